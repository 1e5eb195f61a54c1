"""What the dashboard reads: counts, readiness, gaps, signatures and the coming dates.

Every figure is aggregated in the database, so the page reads the same number of queries
however many suppliers, models, assessments and items there are. The definitions match the
lists each number links to, so a number and its list always agree.

The aggregates still read every row, so their cost grows with the data. The dashboard keeps
them in the cache under `data_version()`, a fingerprint of the rows they are made from, read in
one cheap query per page: any change to those rows changes the fingerprint, so the figures
shown are never older than the data.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Lower
from django.urls import reverse

from core.auth import role_parts
from core.fingerprint import fingerprint
from diligence.applicability import Category
from diligence.models import (
    Assessment,
    AssessmentItem,
    AssessmentStatus,
    Decision,
    Evidence,
    ItemStatus,
)
from overview.models import READINESS_SHARE, SupplierFigures
from portal.models import SupplierRequest
from vendors import facts
from vendors.models import (
    Chapter,
    GPAIModel,
    Signature,
    SignatureStatus,
    SignatureSummary,
    Supplier,
)
from vendors.queries import LEGACY_MODEL, SYSTEMIC_RISK_MODEL
from vendors.summaries import stale_summary

COMING_DAYS_AHEAD = 60
COMING_DAYS_BACK = 30
COMING_LIMIT = 12


def data_version():
    """A fingerprint of every row the figures and follow-up counts depend on (see the module).

    Records are changed through `save()`, which sets `updated_at` (indexed), or added with a
    new id; evidence and decisions are never edited. Who is reminded of a stale signature
    check depends on the roles, and on who is still active."""
    tracked = [Supplier, GPAIModel, Signature, Assessment, AssessmentItem, SupplierRequest]
    return fingerprint(
        [
            *[("max", model, "updated_at") for model in tracked],
            *[("max", model, "id") for model in [*tracked, Evidence, Decision]],
            *role_parts(),
            ("count_true", get_user_model(), "is_active"),
        ]
    )


def _rows(condition=None):
    """COUNT(1): rows counted without reading their id, so an index can answer alone."""
    return Count(Value(1), filter=condition)


def _of_archived_supplier():
    """Rows of archived suppliers, as a filter to exclude: a few hundred ids hashed once,
    cheaper than joining every row with the thousands of active suppliers."""
    return Q(supplier__in=Supplier.objects.filter(archived_at__isnull=False).values("pk"))


def supplier_counts(today):
    """Active suppliers, those with a stale check, and for each chapter how many have each
    status ({chapter: {status: number}}, every chapter and status present).

    The last two from the suppliers' signature summaries (vendors.summaries), grouped by the
    chapters' statuses and staleness (a few dozen groups) and summed here."""
    rows = (
        SignatureSummary.objects.exclude(_of_archived_supplier())
        .values(
            stale=ExpressionWrapper(stale_summary(today), output_field=BooleanField()),
            **{f"{chapter}_status": F(chapter) for chapter in Chapter.values},
        )
        .annotate(number=_rows())
        .order_by()
    )
    by_chapter = {chapter: dict.fromkeys(SignatureStatus.values, 0) for chapter in Chapter.values}
    stale = 0
    for row in rows:
        stale += row["number"] if row["stale"] else 0
        for chapter, by_status in by_chapter.items():
            # Empty while the supplier has no signature for the chapter: not counted.
            if row[f"{chapter}_status"] in by_status:
                by_status[row[f"{chapter}_status"]] += row["number"]
    return {
        "suppliers": Supplier.objects.active().count(),
        "stale_suppliers": stale,
        "by_chapter": by_chapter,
    }


def model_counts():
    active = GPAIModel.objects.active().exclude(_of_archived_supplier())
    return active.aggregate(
        models=_rows(),
        legacy_models=_rows(LEGACY_MODEL),
        legacy_suppliers=Count("supplier", filter=LEGACY_MODEL, distinct=True),
        systemic_models=_rows(SYSTEMIC_RISK_MODEL),
    )


def assessment_counts(today):
    """Assessments by status, and the overdue ones, in one pass over the (status, due date)
    index, grouped by status."""
    counts = {**dict.fromkeys(AssessmentStatus.values, 0), "overdue": 0}
    rows = (
        Assessment.objects.values("status")
        .annotate(number=_rows(), due_before_today=_rows(Q(due_date__lt=today)))
        .order_by()
    )
    for row in rows:
        counts[row["status"]] = row["number"]
        # As diligence.queries.overdue: not decided and due before today.
        if row["status"] != AssessmentStatus.DECIDED:
            counts["overdue"] += row["due_before_today"]
    return counts


def gap_items(category=None):
    """Items marked as a gap in any assessment of an active supplier (the gap list)."""
    queryset = AssessmentItem.objects.filter(
        applicable=True,
        status=ItemStatus.GAP,
        assessment__supplier__archived_at__isnull=True,
    )
    if category:
        queryset = queryset.filter(checklist_item__category=category)
    return queryset


def supplier_figures():
    """The gaps per category (as `gap_items` counts them) and how many suppliers the readiness
    chart lists, summed from the suppliers' summary rows (overview.figures) in one query."""
    totals = SupplierFigures.objects.exclude(_of_archived_supplier()).aggregate(
        readiness_suppliers=_rows(Q(items_counted__gt=0)),
        **{value: Sum(f"gaps_{value}") for value, _label in Category.CHOICES},
    )
    return {
        "gaps": [(value, label, totals[value] or 0) for value, label in Category.CHOICES],
        "readiness_suppliers": totals["readiness_suppliers"],
    }


def readiness_by_supplier():
    """Per active supplier with assessments: applicable items, how many are accepted and the
    share, least ready first. Items a reviewer marked not applicable do not count.

    Read from the suppliers' summary rows (overview.figures), one row per supplier."""
    return (
        SupplierFigures.objects.filter(supplier__archived_at__isnull=True, items_counted__gt=0)
        .values("supplier_id", "supplier__name", "assessments")
        .annotate(
            items=F("items_counted"),
            accepted=F("items_accepted"),
            share=READINESS_SHARE,
        )
        .order_by("share", Lower("supplier__name"), "supplier_id")
    )


@dataclass(frozen=True)
class ComingDate:
    date: datetime.date
    what: str
    title: str
    url: str

    def is_past(self, today):
        return self.date < today


def coming_dates(today):
    """Dates from 30 days back to 60 days ahead, soonest first, at most COMING_LIMIT; then
    the legacy-model deadline of Art. 111(3) while it lies ahead."""
    start = today - datetime.timedelta(days=COMING_DAYS_BACK)
    end = today + datetime.timedelta(days=COMING_DAYS_AHEAD)
    # Only the fields the titles show: an assessment row is wide (its facts snapshot).
    titled = ("due_date", "reference", "supplier__name", "model__name", "model__version")
    dates = []
    for assessment in (
        Assessment.objects.exclude(status=AssessmentStatus.DECIDED)
        .filter(due_date__range=(start, end))
        .select_related("supplier", "model")
        .only(*titled)
        .order_by("due_date", "pk")[:COMING_LIMIT]
    ):
        dates.append(
            ComingDate(
                assessment.due_date,
                "Assessment overdue" if assessment.due_date < today else "Assessment due",
                f"{assessment.reference} – {assessment.supplier.name}, {assessment.model}",
                assessment.get_absolute_url(),
            )
        )
    for assessment in (
        Assessment.objects.filter(
            status=AssessmentStatus.DECIDED, decision__valid_until__range=(start, end)
        )
        .select_related("supplier", "model", "decision")
        .only(*titled, "decision__valid_until")
        .order_by("decision__valid_until", "pk")[:COMING_LIMIT]
    ):
        dates.append(
            ComingDate(
                assessment.decision.valid_until,
                "Decision expired"
                if assessment.decision.valid_until < today
                else "Decision expires",
                f"{assessment.reference} – {assessment.supplier.name}, {assessment.model}",
                assessment.get_absolute_url(),
            )
        )
    for evidence in (
        Evidence.objects.filter(is_current=True, valid_until__range=(start, end))
        .select_related("assessment", "item__checklist_item")
        .only("description", "valid_until", "assessment__reference", "item__checklist_item__code")
        .order_by("valid_until", "pk")[:COMING_LIMIT]
    ):
        code, reference = evidence.item.checklist_item.code, evidence.assessment.reference
        dates.append(
            ComingDate(
                evidence.valid_until,
                "Evidence expired" if evidence.valid_until < today else "Evidence expires",
                f"{evidence.description} ({code}, {reference})",
                reverse("diligence:item_detail", args=[evidence.assessment_id, evidence.item_id]),
            )
        )
    # A check turns stale the day after it is SIGNATURE_STALE_AFTER_DAYS old.
    stale_after = datetime.timedelta(days=settings.SIGNATURE_STALE_AFTER_DAYS + 1)
    name = Supplier.objects.filter(pk=OuterRef("supplier_id")).values("name")
    for row in (
        SignatureSummary.objects.exclude(_of_archived_supplier())
        .filter(oldest_check__range=(start - stale_after, end - stale_after))
        .values("supplier_id", "oldest_check")
        # Named after the sort and the limit: only the rows shown look up their supplier.
        .annotate(supplier_name=Subquery(name))
        .order_by("oldest_check", "supplier_id")[:COMING_LIMIT]
    ):
        stale_on = row["oldest_check"] + stale_after
        dates.append(
            ComingDate(
                stale_on,
                "Signature check went stale" if stale_on < today else "Signature check goes stale",
                row["supplier_name"],
                reverse("vendors:supplier_detail", args=[row["supplier_id"]]),
            )
        )
    dates.sort(key=lambda d: (d.date, d.what, d.title))
    return dates[:COMING_LIMIT]


def legacy_deadline(today, counts):
    """Art. 111(3): models placed on the market before 2 Aug 2025 must comply by 2 Aug 2027."""
    if today > facts.LEGACY_COMPLIANCE_DEADLINE or not counts["legacy_models"]:
        return None
    return ComingDate(
        facts.LEGACY_COMPLIANCE_DEADLINE,
        "Legacy models must comply (Art. 111(3))",
        f"{counts['legacy_models']} legacy model{'s' if counts['legacy_models'] != 1 else ''} "
        f"at {counts['legacy_suppliers']} supplier{'s' if counts['legacy_suppliers'] != 1 else ''}",
        reverse("vendors:supplier_list") + "?legacy=yes",
    )
