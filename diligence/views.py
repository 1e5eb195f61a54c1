import datetime
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import ListView

from core import exports
from core.access import AccessMixin, check_access, get_object_for
from core.audit import audit_entries_for, audit_log
from core.files import content_disposition_attachment
from core.forms import valid_filters
from core.history import changes
from diligence import applicability, queries, services
from diligence.forms import (
    AssessmentFilterForm,
    AssessmentItemForm,
    AssessmentStartForm,
    DecisionForm,
    EvidenceForm,
    MoveVersionForm,
    QuickStatusForm,
    ReasonForm,
)
from diligence.models import Assessment, AssessmentItem, AssessmentStatus, Evidence, ItemStatus


def _show_errors(request, error):
    for message in error.messages:
        messages.error(request, message)


class AssessmentListView(AccessMixin, ListView):
    access_model = Assessment
    template_name = "diligence/assessment_list.html"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = AssessmentFilterForm(self.request.GET or None)
        filters = valid_filters(self.filter_form)
        return queries.assessments_for_list(filters)

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter_form=self.filter_form,
            query_string=query.urlencode(),
            today=datetime.date.today(),
            **kwargs,
        )


@require_safe
@login_required
def assessment_export(request):
    """The assessment list as CSV, with the filters of the list page, streamed."""
    check_access(request.user, Assessment)
    today = datetime.date.today()
    filters = valid_filters(AssessmentFilterForm(request.GET or None))
    assessments = queries.assessments_for_list(filters, today)
    columns = [
        ("Reference", lambda a: a.reference),
        ("Supplier", lambda a: a.supplier.name),
        ("Model", lambda a: str(a.model)),
        ("Owner", lambda a: a.owner.get_full_name() or a.owner.get_username()),
        ("Status", lambda a: a.get_status_display()),
        ("Outcome", lambda a: a.decision.get_outcome_display() if a.decision else ""),
        ("Decision valid until", lambda a: a.decision.valid_until if a.decision else None),
        ("Due date", lambda a: a.due_date),
        ("Overdue", lambda a: a.status != AssessmentStatus.DECIDED and a.due_date < today),
        ("Applicable items", lambda a: a.applicable_count),
        ("Accepted or not applicable", lambda a: a.accepted_count),
        ("Gaps", lambda a: a.gap_count),
    ]
    audit_log(
        actor=request.user,
        action="assessments_exported",
        target=request.user,
        summary=f"Exported the assessment list ({request.GET.urlencode() or 'no filters'})",
        data={"query": request.GET.urlencode()},
    )
    rows = assessments.iterator(chunk_size=exports.CHUNK_SIZE)
    return exports.csv_response(f"assessments-{today:%Y-%m-%d}.csv", columns, rows)


@login_required
def assessment_start(request):
    check_access(request.user, Assessment, "add")
    initial = {"owner": request.user, "model": request.GET.get("model")}
    form = AssessmentStartForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.assessment_start(
                model=data["model"],
                reference=data["reference"],
                purpose=data["purpose"],
                owner=data["owner"],
                due_date=data["due_date"],
                by=request.user,
                request_token=data["request_token"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Assessment {assessment.reference} started.")
            return redirect(assessment)
    return render(request, "diligence/assessment_form.html", {"form": form})


def _group_items(items):
    """Applicable items by category, gaps first, and the items that do not apply."""
    priority = {ItemStatus.GAP: 0, ItemStatus.OPEN: 1, ItemStatus.REQUESTED: 2}
    by_category = defaultdict(list)
    excluded = []
    for item in items:
        if item.applicable:
            by_category[item.checklist_item.category].append(item)
        else:
            excluded.append(item)
    groups = []
    for category, label in applicability.Category.CHOICES:
        rows = sorted(by_category.get(category, []), key=lambda i: priority.get(i.status, 3))
        done = sum(i.status in (ItemStatus.ACCEPTED, ItemStatus.NOT_APPLICABLE) for i in rows)
        gaps = sum(i.status == ItemStatus.GAP for i in rows)
        groups.append(
            {
                "category": category,
                "label": label,
                "items": rows,
                "done": done,
                "gaps": gaps,
                "percent": round(100 * done / len(rows)) if rows else 100,
            }
        )
    return groups, excluded


@require_safe
@login_required
def assessment_detail(request, pk):
    assessment = get_object_for(request.user, queries.assessment_for_detail(Assessment.objects), pk)
    groups, excluded = _group_items(assessment.items.all())
    can_edit = assessment.is_editable and request.user.has_perm("diligence.change_assessmentitem")
    modes = assessment.evidence_modes
    for group in groups:
        group["mode_label"] = applicability.EVIDENCE_MODE_LABELS.get(modes.get(group["category"]))
    context = {
        "assessment": assessment,
        "groups": groups,
        "excluded": excluded,
        "can_edit": can_edit,
        "quick_statuses": QuickStatusForm.STATUSES,
        "can_decide": request.user.has_perm("diligence.decide_assessment")
        and request.user != assessment.owner,
        "decision_form": DecisionForm(),
        "move_form": MoveVersionForm(assessment=assessment),
        "decisions": assessment.decisions.all(),
        "audit_entries": audit_entries_for(assessment)[:50],
    }
    return render(request, "diligence/assessment_detail.html", context)


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
    can_edit = item.assessment.is_editable and request.user.has_perm(
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
    context = {
        "item": item,
        "assessment": item.assessment,
        "item_form": item_form,
        "evidence_form": evidence_form,
        "evidence": evidence,
        "can_edit": can_edit,
        "history": changes(AssessmentItem.history.filter(id=item.pk), subject=lambda r: "Item"),
    }
    return render(request, "diligence/item_detail.html", context)


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
    item = queries.items_with_evidence_count(AssessmentItem.objects).get(pk=item.pk)
    context = {
        "item": item,
        "assessment": item.assessment,
        "can_edit": True,
        "quick_statuses": QuickStatusForm.STATUSES,
        "row_error": error,
    }
    return render(request, "diligence/_item_row.html", context)


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
    response = FileResponse(
        default_storage.open(evidence.storage_name, "rb"), content_type=evidence.content_type
    )
    response["Content-Disposition"] = content_disposition_attachment(evidence.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


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
