"""Workflow actions on an assessment: submit, send back, reopen, decide, move to a newer checklist.

Each is a POST that calls one service and redirects to the assessment with a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.access import get_object_for
from diligence import queries, services
from diligence.forms import DecisionForm, MoveVersionForm, ReasonForm, SubmitForm
from diligence.models import Assessment, Evidence, ItemStatus


def _show_errors(request, error):
    for message in error.messages:
        messages.error(request, message)


def _assessment_to_change(request, pk):
    return get_object_for(request.user, Assessment, pk, action="change")


def _workflow_action(request, assessment, run, success):
    try:
        run(assessment)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, success)
    return redirect(assessment)


@require_POST
@login_required
def assessment_submit(request, pk):
    """The button opens the submit page: the reviewer to choose and, when items are still
    open or in gap, the list of them to confirm. The confirmed form submits."""
    assessment = _assessment_to_change(request, pk)
    if request.user != assessment.owner or assessment.status != "draft":
        try:
            services.assessment_submit(assessment=assessment, by=request.user)
        except ValidationError as error:  # says why: not the owner, or not a draft
            _show_errors(request, error)
        return redirect(assessment)
    # The button on the assessment page posts nothing; the submit page posts a reviewer.
    bound = "reviewer" in request.POST or "confirm" in request.POST
    form = SubmitForm(request.POST if bound else None, assessment=assessment)
    unresolved = list(
        assessment.items.filter(applicable=True)
        .exclude(status__in=[ItemStatus.ACCEPTED, ItemStatus.NOT_APPLICABLE])
        .select_related("checklist_item")
        .order_by("checklist_item__order", "pk")
    )
    if form.is_bound and form.is_valid():
        if unresolved and not form.cleaned_data["confirm"]:
            form.add_error(None, "Confirm that you submit with items still open or in gap.")
        else:
            try:
                services.assessment_submit(
                    assessment=assessment, by=request.user, reviewer=form.cleaned_data["reviewer"]
                )
            except ValidationError as error:
                _show_errors(request, error)
                return redirect(assessment)
            reviewer = form.cleaned_data["reviewer"]
            messages.success(
                request,
                f"Submitted for review to {reviewer.get_full_name() or reviewer.username}, "
                "who has been emailed.",
            )
            return redirect(assessment)
    context = {"assessment": assessment, "form": form, "unresolved": unresolved}
    return render(request, "diligence/assessment_submit.html", context)


@require_POST
@login_required
def assessment_return(request, pk):
    # Access first: a user who may not change the assessment learns nothing from the form.
    assessment = _assessment_to_change(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if not reason:
        messages.error(request, "Say why the assessment goes back to the owner.")
        return redirect(assessment)
    return _workflow_action(
        request,
        assessment,
        lambda a: services.assessment_return(assessment=a, by=request.user, reason=reason),
        "Changes requested; the owner has been emailed.",
    )


@require_POST
@login_required
def assessment_reopen(request, pk):
    assessment = _assessment_to_change(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the assessment is reopened.")
        return redirect(assessment)
    return _workflow_action(
        request,
        assessment,
        lambda a: services.assessment_reopen(
            assessment=a, by=request.user, reason=form.cleaned_data["reason"]
        ),
        "Reopened as a new revision.",
    )


def _decision_summary(assessment, valid_until=None):
    """What the reviewer decides on: gaps, open required items, evidence that expires before
    the decision would, and facts that changed since the items were evaluated."""
    items = list(
        assessment.items.filter(applicable=True)
        .exclude(status__in=[ItemStatus.ACCEPTED, ItemStatus.NOT_APPLICABLE])
        .select_related("checklist_item")
        .order_by("checklist_item__order", "pk")
    )
    evidence = list(
        Evidence.objects.filter(
            item__assessment=assessment, is_current=True, valid_until__isnull=False
        )
        .select_related("item__checklist_item")
        .order_by("valid_until", "pk")
    )
    if valid_until:
        evidence = [e for e in evidence if e.valid_until < valid_until]
    return {
        "gaps": [i for i in items if i.status == ItemStatus.GAP],
        "open_required": [
            i for i in items if i.status != ItemStatus.GAP and i.checklist_item.required
        ],
        "expiring": evidence,
        "valid_until": valid_until,
        "fact_changes": queries.facts_changed_since_evaluation(assessment),
    }


@login_required
def assessment_decide(request, pk):
    assessment = get_object_for(
        request.user,
        Assessment.objects.select_related("owner", "reviewer", "supplier"),
        pk,
        action="change",
    )
    if not request.user.has_perm("diligence.decide_assessment"):
        raise Http404
    if not services.may_decide(request.user, assessment):
        # The owner is never offered the form, and a form posted anyway changes nothing.
        messages.error(request, "Someone other than the owner must decide (four-eyes principle).")
        return redirect(assessment)
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    valid_until = None
    if request.method == "POST" and form.is_valid():
        valid_until = form.cleaned_data["valid_until"]
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_decide(assessment=assessment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, "Decision recorded.")
            return redirect(assessment)
    context = {
        "assessment": assessment,
        "form": form,
        "summary": _decision_summary(assessment, valid_until),
    }
    return render(request, "diligence/assessment_decide.html", context)


@require_POST
@login_required
def assessment_move(request, pk):
    assessment = get_object_for(request.user, Assessment, pk, action="change")
    form = MoveVersionForm(request.POST, assessment=assessment)
    if not form.is_valid():
        messages.error(request, "Choose a newer published checklist version.")
        return redirect(assessment)
    try:
        removed = services.assessment_move_to_version(
            assessment=assessment, checklist=form.cleaned_data["checklist"], by=request.user
        )
    except ValidationError as error:
        _show_errors(request, error)
    else:
        note = f" Items no longer in the checklist: {', '.join(removed)}." if removed else ""
        messages.success(request, f"Moved to {form.cleaned_data['checklist']}.{note}")
    return redirect(assessment)
