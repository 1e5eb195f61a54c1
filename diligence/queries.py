"""The querysets that the assessment pages read."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from core.audit import audit_entries_for
from diligence import applicability
from diligence.models import (
    Assessment,
    AssessmentItem,
    AssessmentStatus,
    Decision,
    Evidence,
)
from vendors.facts import derive, facts_changes
from vendors.models import GPAIModel, Signature, SignatureStatus

# Filter value for assessments not yet decided (draft or in review).
OPEN = "open"


def assessments_for_list(filters, today=None):
    today = today or datetime.date.today()
    # From the progress counters (diligence.progress), not by counting the items.
    queryset = Assessment.objects.select_related("supplier", "model", "owner", "decision").annotate(
        applicable_count=F("items_applicable"),
        accepted_count=F("items_done"),
        gap_count=F("gaps_documentation") + F("gaps_copyright") + F("gaps_safety_security"),
    )
    if q := filters.get("q"):
        queryset = queryset.filter(
            Q(reference__icontains=q) | Q(supplier__name__icontains=q) | Q(model__name__icontains=q)
        )
    if (status := filters.get("status")) == OPEN:
        queryset = queryset.exclude(status=AssessmentStatus.DECIDED)
    elif status:
        queryset = queryset.filter(status=status)
    if supplier := filters.get("supplier"):
        queryset = queryset.filter(supplier=supplier)
    if owner := filters.get("owner"):
        queryset = queryset.filter(owner=owner)
    if filters.get("overdue"):
        queryset = overdue(queryset, today)
    return queryset.order_by("due_date", "pk")


# What the assessment list's rows and its CSV export show: the other columns of the five
# joined tables stay in the database.
LIST_ROW_FIELDS = [
    "reference",
    "status",
    "due_date",
    "supplier__name",
    "model__name",
    "model__version",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
    "decision__outcome",
    "decision__valid_until",
]


def assessment_list_rows(filters, today=None):
    """`assessments_for_list` with only the columns the list and its export show."""
    return assessments_for_list(filters, today).only(*LIST_ROW_FIELDS)


def overdue(queryset, today):
    return queryset.exclude(status=AssessmentStatus.DECIDED).filter(due_date__lt=today)


# What the rows of the assessment page show of an item and its checklist item: the guidance
# and legal texts stay in the database until the item's own page.
ITEM_ROW_FIELDS = [
    "assessment_id",
    "applicable",
    "exclusion_reason",
    "pending_reason",
    "status",
    "version",
    "assignee_id",
    "checklist_item__code",
    "checklist_item__applies_to",
    "checklist_item__condition",
    "checklist_item__title",
    "checklist_item__category",
    "checklist_item__required",
    "checklist_item__order",
]


def current_evidence_count():
    """An item's current evidence, counted in a subquery of its own: a count of the items
    (a list's pages) then reads the items alone, without joining and grouping the evidence."""
    current = Evidence.objects.filter(item=OuterRef("pk"), is_current=True)
    counted = current.values("item").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted), 0)


def items_with_evidence_count(queryset):
    """Items as the rows of the assessment page show them, with their current evidence."""
    return (
        queryset.select_related("checklist_item")
        .only(*ITEM_ROW_FIELDS)
        .annotate(evidence_count=Count("evidence", filter=Q(evidence__is_current=True)))
    )


# What the assessment page shows of the assessment and of the records it names. The model is
# read whole: a decided assessment compares its facts with today's (`facts_drift`).
DETAIL_FIELDS = [
    "supplier",
    "model",
    "owner",
    "checklist",
    "reviewer",
    "reference",
    "purpose",
    "status",
    "revision",
    "due_date",
    "evidence_modes",
    "facts_snapshot",
    "buyer_plans_fine_tuning",
    "buyer_fine_tuning_flop",
    "supplier__name",
    "supplier__country",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
    "checklist__name",
    "checklist__version",
    "checklist__status",
]


def assessment_for_detail(queryset):
    """The assessment as its page shows it. Its items, decisions and facts are read by
    `items_for_detail`, `decisions_for_detail` and `facts_drift`, each in one query of its own
    without the prefetch machinery; the page shows every decision, not the current one through
    `assessment.decision`, and the model's original is read only for a decided modification."""
    return queryset.select_related("supplier", "model", "owner", "checklist").only(
        *DETAIL_FIELDS, *(f"model__{field.attname}" for field in GPAIModel._meta.concrete_fields)
    )


def items_for_detail(assessment):
    return list(items_with_evidence_count(AssessmentItem.objects.filter(assessment=assessment)))


def decisions_for_detail(assessment):
    return (
        Decision.objects.filter(assessment=assessment)
        .select_related("decided_by")
        .only(
            "assessment_id",
            "revision",
            "outcome",
            "conditions",
            "notes",
            "storage_name",
            "original_name",
            "size",
            "valid_until",
            "decided_at",
            "decided_by__username",
        )
    )


def audit_trail(assessment):
    """The assessment's latest audit entries, with the columns its audit trail block shows."""
    entries = audit_entries_for(assessment)
    return entries.only("actor__username", "summary", "data", "at")[:50]


@dataclass(frozen=True)
class FactsDrift:
    """What changed in the facts since a decided assessment was decided."""

    changes: list  # vendors.facts.FactChange
    now_apply: list  # items that would now apply
    set_apart: list  # (item, reason) that would no longer apply

    def __bool__(self):
        return bool(self.changes or self.now_apply or self.set_apart)


def facts_drift(assessment, items):
    """For a decided assessment loaded by `assessment_for_detail` and its items: the facts that
    changed since the decision, and the items a re-evaluation would move. Nothing is changed."""
    if assessment.is_editable:
        return None
    model = assessment.model
    if model.supplier_id == assessment.supplier_id:
        model.supplier = assessment.supplier  # its name and country are what the facts read
    signed = set(
        Signature.objects.filter(supplier=model.supplier_id, status=SignatureStatus.SIGNED)
        .order_by()
        .values_list("chapter", flat=True)
    )
    derived = derive(model.facts(signed, buyer=assessment), with_buyer=True)
    snapshot = assessment.facts_snapshot
    changes = facts_changes(snapshot, derived.as_dict()) if snapshot else []
    now_apply, set_apart = [], []
    for item in items:
        if not item.applicable and item.exclusion_reason.startswith("Not in checklist version"):
            continue
        verdict = applicability.applicability(item.checklist_item.rule, derived)
        if verdict.applies and not item.applicable:
            now_apply.append(item)
        elif item.applicable and not verdict.applies:
            set_apart.append((item, verdict.reason))
    return FactsDrift(changes, now_apply, set_apart)


def facts_changed_since_evaluation(assessment):
    """The derived facts that differ now from those the items were last evaluated against."""
    snapshot = assessment.facts_snapshot
    if not snapshot:
        return []
    model = assessment.model
    signed = {s.chapter for s in model.supplier.signatures.all() if s.is_signed}
    derived = derive(model.facts(signed, buyer=assessment), with_buyer=True)
    return facts_changes(snapshot, derived.as_dict())


def evidence_for_item(item):
    return (
        Evidence.objects.filter(item=item)
        .select_related("created_by", "item")
        .order_by("-created_at", "-id")
    )
