"""Assessment pages: the list and its CSV export, starting an assessment, and its detail page."""

import datetime
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from core import exports
from core.access import AccessMixin, check_access, get_object_for
from core.audit import audit_log
from core.forms import valid_filters
from core.links import row_link
from diligence import applicability, queries, services
from diligence.forms import (
    AssessmentFilterForm,
    AssessmentStartForm,
    ItemFilterForm,
    MoveVersionForm,
    QuickStatusForm,
)
from diligence.models import Assessment, AssessmentStatus, ItemStatus


class AssessmentListView(AccessMixin, ListView):
    access_model = Assessment
    template_name = "diligence/assessment_list.html"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = AssessmentFilterForm(self.request.GET or None)
        filters = valid_filters(self.filter_form)
        return queries.assessment_list_rows(filters)

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        context = super().get_context_data(
            filter_form=self.filter_form,
            query_string=query.urlencode(),
            today=datetime.date.today(),
            **kwargs,
        )
        detail = row_link("diligence:assessment_detail")
        for assessment in context["object_list"]:
            assessment.detail_url = detail(assessment.pk)
        return context


@require_safe
@login_required
def assessment_export(request):
    """The assessment list as CSV, with the filters of the list page, streamed."""
    check_access(request.user, Assessment)
    today = datetime.date.today()
    filters = valid_filters(AssessmentFilterForm(request.GET or None))
    assessments = queries.assessment_list_rows(filters, today)
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
                buyer_plans_fine_tuning=data["buyer_plans_fine_tuning"],
                buyer_fine_tuning_flop=data["buyer_fine_tuning_flop"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Assessment {assessment.reference} started.")
            return redirect(assessment)
    return render(request, "diligence/assessment_form.html", {"form": form})


DONE = (ItemStatus.ACCEPTED, ItemStatus.NOT_APPLICABLE)


def label_assignees(items):
    """Set `assignee_label` (a name or "") on each item, in one query."""
    ids = {item.assignee_id for item in items if item.assignee_id}
    names = {}
    if ids:
        for user in (
            get_user_model()
            .objects.filter(pk__in=ids)
            .only("id", "username", "first_name", "last_name")
        ):
            names[user.pk] = user.get_full_name() or user.username
    for item in items:
        item.assignee_label = names.get(item.assignee_id, "")


def item_matches(item, filters):
    """Whether an item is shown under the assessment page's filters (ItemFilterForm)."""
    show = filters.get("show")
    if show == "open" and item.status in DONE:
        return False
    if show == "gaps" and item.status != ItemStatus.GAP:
        return False
    if show == "mine" and item.assignee_id != filters.get("user_id"):
        return False
    if filters.get("required") and not item.checklist_item.required:
        return False
    q = (filters.get("q") or "").casefold()
    return (
        not q
        or q in item.checklist_item.title.casefold()
        or q in item.checklist_item.code.casefold()
    )


def set_row_links(assessment_pk, items):
    """Give each item row its links (`detail_url`, `quick_status_url`)."""
    detail = row_link("diligence:item_detail", assessment_pk)
    quick_status = row_link("diligence:item_quick_status", assessment_pk)
    for item in items:
        item.detail_url, item.quick_status_url = detail(item.pk), quick_status(item.pk)
    return items


def _group_items(items, filters=None):
    """Applicable items by category in the checklist's order (stable after a change), the
    progress of every item, the items the filters show, and the items that do not apply."""
    filters = filters or {}
    by_category = defaultdict(list)
    excluded = []
    for item in items:
        if item.applicable:
            by_category[item.checklist_item.category].append(item)
        else:
            excluded.append(item)
    groups = []
    for category, label in applicability.Category.CHOICES:
        rows = by_category.get(category, [])
        done = sum(i.status in DONE for i in rows)
        gaps = sum(i.status == ItemStatus.GAP for i in rows)
        groups.append(
            {
                "category": category,
                "label": label,
                "items": rows,
                "shown": [i for i in rows if item_matches(i, filters)],
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
    filter_form = ItemFilterForm(request.GET or None)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    items = queries.items_for_detail(assessment)
    groups, excluded = _group_items(
        items, {**filters, "user_id": request.user.pk} if filters else {}
    )
    label_assignees([item for group in groups for item in group["items"]])
    set_row_links(assessment.pk, [item for group in groups for item in group["shown"]])
    can_edit = assessment.editable_by(request.user) and request.user.has_perm(
        "diligence.change_assessmentitem"
    )
    modes = assessment.evidence_modes
    for group in groups:
        group["mode_label"] = applicability.EVIDENCE_MODE_LABELS.get(modes.get(group["category"]))
    context = {
        "assessment": assessment,
        "groups": groups,
        "excluded": excluded,
        "filter_form": filter_form,
        "filtered": any(filters.values()),
        "shown_count": sum(len(g["shown"]) for g in groups),
        "query": request.GET.urlencode(),
        "bulk_statuses": QuickStatusForm.STATUSES,
        "can_edit": can_edit,
        "quick_statuses": QuickStatusForm.STATUSES,
        "can_decide": request.user.has_perm("diligence.decide_assessment")
        and request.user != assessment.owner,
        "move_form": MoveVersionForm(assessment=assessment),
        "decisions": queries.decisions_for_detail(assessment),
        "drift": queries.facts_drift(assessment, items),
        "buyer_finding": assessment.facts_snapshot.get("buyer_fine_tuning"),
        "audit_entries": queries.audit_trail(assessment),
    }
    return render(request, "diligence/assessment_detail.html", context)
