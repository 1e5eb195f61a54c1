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
from diligence import services
from diligence.forms import DecisionForm, MoveVersionForm, ReasonForm
from diligence.models import Assessment


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
    return _workflow_action(
        request,
        _assessment_to_change(request, pk),
        lambda a: services.assessment_submit(assessment=a, by=request.user),
        "Submitted for review.",
    )


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
        "Sent back to the owner.",
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


@login_required
def assessment_decide(request, pk):
    assessment = get_object_for(request.user, Assessment, pk, action="change")
    if not request.user.has_perm("diligence.decide_assessment"):
        raise Http404
    form = DecisionForm(request.POST or None)
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
    return render(
        request, "diligence/assessment_decide.html", {"assessment": assessment, "form": form}
    )


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
