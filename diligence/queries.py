"""The querysets that the assessment pages read."""

import datetime

from django.db.models import Count, F, Prefetch, Q

from diligence.models import (
    Assessment,
    AssessmentItem,
    AssessmentStatus,
    Decision,
    Evidence,
)

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


def overdue(queryset, today):
    return queryset.exclude(status=AssessmentStatus.DECIDED).filter(due_date__lt=today)


# What the rows of the assessment page show of an item and its checklist item: the guidance
# and legal texts stay in the database until the item's own page.
ITEM_ROW_FIELDS = [
    "assessment_id",
    "applicable",
    "exclusion_reason",
    "status",
    "version",
    "checklist_item__code",
    "checklist_item__title",
    "checklist_item__category",
    "checklist_item__required",
    "checklist_item__order",
]


def items_with_evidence_count(queryset):
    """Items as the rows of the assessment page show them, with their current evidence."""
    return (
        queryset.select_related("checklist_item")
        .only(*ITEM_ROW_FIELDS)
        .annotate(evidence_count=Count("evidence", filter=Q(evidence__is_current=True)))
    )


def assessment_for_detail(queryset):
    items = items_with_evidence_count(AssessmentItem.objects)
    return queryset.select_related(
        "supplier", "model", "owner", "checklist", "decision", "decision__decided_by"
    ).prefetch_related(
        Prefetch("items", queryset=items),
        Prefetch("decisions", queryset=Decision.objects.select_related("decided_by")),
    )


def evidence_for_item(item):
    return (
        Evidence.objects.filter(item=item)
        .select_related("created_by", "item")
        .order_by("-created_at", "-id")
    )
