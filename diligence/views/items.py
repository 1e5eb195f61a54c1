"""Checklist item pages: the item with its answer and evidence, the quick status change from the
assessment page, and evidence downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from core import checklist_hints
from core.access import check_access
from core.audit import audit_log
from core.files import stored_file_response
from core.history import changes
from diligence import queries, services
from diligence.forms import (
    AssessmentItemForm,
    BulkStatusForm,
    EvidenceForm,
    ItemFilterForm,
    QuickStatusForm,
)
from diligence.models import Assessment, AssessmentItem, Decision, Evidence
from diligence.views.assessments import _group_items, label_assignees, set_row_links


def _item_for(request, assessment_pk, item_pk, action="view"):
    check_access(request.user, AssessmentItem, action)
    return get_object_or_404(
        AssessmentItem.objects.select_related(
            "assessment", "assessment__supplier", "assessment__model", "checklist_item", "reviewer"
        ),
        pk=item_pk,
        assessment_id=assessment_pk,
    )


@login_required
def item_detail(request, pk, item_pk):
    item = _item_for(request, pk, item_pk)
    can_edit = item.assessment.editable_by(request.user) and request.user.has_perm(
        "diligence.change_assessmentitem"
    )
    item_form = AssessmentItemForm.for_item(item)
    evidence_form = EvidenceForm()
    if request.method == "POST":
        item = _item_for(request, pk, item_pk, "change")
        if "save_item" in request.POST:
            item_form = AssessmentItemForm(request.POST)
            if item_form.is_valid() and _save_item(request, item, item_form):
                return redirect(item)
        else:
            check_access(request.user, Evidence, "add")
            evidence_form = EvidenceForm(request.POST, request.FILES)
            if evidence_form.is_valid() and _add_evidence(request, item, evidence_form):
                return redirect(item)
    evidence = list(queries.evidence_for_item(item))
    previous_item, next_item, query = _neighbours(request, item)
    context = {
        "previous_item": previous_item,
        "next_item": next_item,
        "query": query,
        "item": item,
        "assessment": item.assessment,
        "item_form": item_form,
        "evidence_form": evidence_form,
        "evidence": evidence,
        "can_edit": can_edit,
        # What other records say about this item (e.g. the supplier's documentation).
        "hints": checklist_hints.hints_for(
            item_code=item.checklist_item.code, model_id=item.assessment.model_id
        ),
        "history": changes(AssessmentItem.history.filter(id=item.pk), subject=lambda r: "Item"),
    }
    return render(request, "diligence/item_detail.html", context)


def _neighbours(request, item):
    """The items before and after this one on the assessment page, under the same filters
    (passed on in the query string), and that query string. One query."""
    filter_form = ItemFilterForm(request.GET or None)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    active = any(filters.values())
    if active:
        filters = {**filters, "user_id": request.user.pk}
    groups, _ = _group_items(
        item.assessment.items.select_related("checklist_item").only(
            "id",
            "assessment_id",
            "status",
            "applicable",
            "checklist_item__code",
            "checklist_item__title",
            "checklist_item__required",
            "checklist_item__category",
            "checklist_item__order",
            "assignee_id",
        ),
        filters,
    )
    shown = [i for group in groups for i in group["shown"]]
    ids = [i.pk for i in shown]
    if item.pk not in ids:
        return None, None, ""
    index = ids.index(item.pk)
    previous_item = shown[index - 1] if index > 0 else None
    next_item = shown[index + 1] if index + 1 < len(shown) else None
    query = filter_form.data.urlencode() if active else ""
    return previous_item, next_item, query


def _save_item(request, item, form):
    data = form.cleaned_data
    try:
        services.assessment_item_update(
            item=item, data=data, expected_version=data["version"], by=request.user
        )
    except services.ConflictError as error:
        # Keep the user's input, but base the next save on the version now stored, so that
        # saving again is a deliberate overwrite after seeing the message.
        item.refresh_from_db()
        form.data = form.data.copy()
        form.data["version"] = item.version
        form.add_error(None, error)
        return False
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(request, f"{item.checklist_item.code} saved.")
    return True


def _add_evidence(request, item, form):
    data = form.cleaned_data
    supersedes = None
    if data.get("supersedes"):
        supersedes = get_object_or_404(Evidence, pk=data["supersedes"], item=item)
    try:
        services.evidence_add(
            item=item,
            data=data,
            uploaded_file=data.get("file"),
            supersedes=supersedes,
            by=request.user,
            request_token=data.get("request_token"),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(request, "Evidence added.")
    return True


@require_POST
@login_required
def item_quick_status(request, pk, item_pk):
    """Change an item's status from the assessment page; answers htmx with the updated row."""
    item = _item_for(request, pk, item_pk, "change")
    form = QuickStatusForm(request.POST)
    error = None
    if not form.is_valid():
        error = "Choose a valid status."
    else:
        data = {
            "status": form.cleaned_data["status"],
            "justification": item.justification,
            "notes": item.notes,
            "reviewer": item.reviewer,
            "reviewed_on": item.reviewed_on,
        }
        try:
            item = services.assessment_item_update(
                item=item, data=data, expected_version=form.cleaned_data["version"], by=request.user
            )
        except ValidationError as error_:
            error = " ".join(error_.messages)
    if request.htmx:
        return _item_row(request, item, error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"{item.checklist_item.code}: {item.get_status_display()}.")
    return redirect(f"{item.assessment.get_absolute_url()}#item-{item.pk}")


def _item_row(request, item, error):
    """The changed row, with the progress and the audit trail swapped in out of band."""
    item = queries.items_with_evidence_count(AssessmentItem.objects).get(pk=item.pk)
    label_assignees([item])
    set_row_links(item.assessment_id, [item])
    assessment = item.assessment
    groups, _ = _group_items(assessment.items.select_related("checklist_item"))
    context = {
        "item": item,
        "assessment": assessment,
        "can_edit": True,
        "quick_statuses": QuickStatusForm.STATUSES,
        "row_error": error,
        "groups": groups,
        "audit_entries": queries.audit_trail(assessment),
        "oob": True,
    }
    return render(request, "diligence/_item_row_response.html", context)


@require_POST
@login_required
def items_bulk_status(request, pk):
    """Set one status on the ticked items of an assessment, as one audited change."""
    check_access(request.user, AssessmentItem, "change")
    assessment = get_object_or_404(Assessment, pk=pk)
    form = BulkStatusForm(request.POST)
    back = f"{assessment.get_absolute_url()}?{request.POST.get('query', '')[:500]}"
    if not form.is_valid():
        messages.error(request, "Tick the items to change and choose a status.")
        return redirect(back)
    try:
        changed = services.assessment_items_bulk_status(
            assessment=assessment,
            versions=form.cleaned_data["items"],
            status=form.cleaned_data["status"],
            by=request.user,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        label = dict(QuickStatusForm.STATUSES)[form.cleaned_data["status"]]
        messages.success(
            request, f"{len(changed)} item{'s' if len(changed) != 1 else ''} set to {label}."
        )
    return redirect(back)


@require_safe
@login_required
def decision_attachment(request, pk, decision_pk):
    """A decision's attachment, downloaded through the app and logged, as evidence is."""
    check_access(request.user, Evidence)
    decision = get_object_or_404(Decision, pk=decision_pk, assessment_id=pk)
    if not decision.storage_name:
        raise Http404
    audit_log(
        actor=request.user,
        action="evidence_downloaded",
        target=decision.assessment,
        summary=f"Downloaded the decision attachment {decision.original_name}",
        data={"decision": decision.pk},
    )
    return stored_file_response(
        decision.storage_name, content_type=decision.content_type, filename=decision.original_name
    )


@require_safe
@login_required
def evidence_download(request, pk, item_pk, evidence_pk):
    check_access(request.user, Evidence)
    evidence = get_object_or_404(
        Evidence.objects.select_related("item"),
        pk=evidence_pk,
        item_id=item_pk,
        item__assessment_id=pk,
    )
    if not evidence.is_file:
        raise Http404
    audit_log(
        actor=request.user,
        action="evidence_downloaded",
        target=evidence.item.assessment,
        summary=f"Downloaded {evidence.original_name}",
        data={"evidence": evidence.pk},
    )
    return stored_file_response(
        evidence.storage_name, content_type=evidence.content_type, filename=evidence.original_name
    )
