"""The pages that read every app: the dashboard, a user's follow-ups, the list of gaps."""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from core import reminders
from core.access import AccessMixin
from diligence.applicability import Category
from diligence.followups import review_follow_ups
from diligence.models import AssessmentItem
from overview import charts, dashboard
from portal import queries as portal_queries
from vendors.models import Chapter, SignatureStatus

READINESS_PAGE_SIZE = 10


@dataclass(frozen=True)
class PageSummary:
    """What the page links need of a Paginator page, without the queryset behind it, so it
    can be kept in the cache."""

    number: int
    count: int
    num_pages: int
    start_index: int
    end_index: int

    @classmethod
    def of(cls, page):
        count, num_pages = page.paginator.count, page.paginator.num_pages
        return cls(page.number, count, num_pages, page.start_index(), page.end_index())

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.num_pages

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1


# The figures are kept under the data's fingerprint (dashboard.data_version), so a change to
# the data shows at once; the timeout only bounds how long unused entries stay in memory.
FIGURES_TIMEOUT = 300


@require_safe
def home(request):
    """The dashboard: where suppliers stand, where assessments stand, what is coming up."""
    user, today = request.user, datetime.date.today()
    can_see = user.has_perm("vendors.view_supplier")
    can_see_assessments = user.has_perm("diligence.view_assessment")
    version = dashboard.data_version()
    context = {
        "can_see": can_see,
        "can_see_assessments": can_see_assessments,
        "today": today,
        "follow_up_count": _cached(
            ("follow-ups", user.pk, version, today),
            lambda: reminders.follow_up_count(today, user=user),
        ),
        "awaiting_decision": _cached(
            ("awaiting-decision", user.pk, version, today),
            lambda: review_follow_ups(today, user) if can_see_assessments else [],
        ),
        "supplier_requests": _cached(
            ("supplier-requests", version, today),
            lambda: portal_queries.awaiting_counts(today),
        )
        if user.has_perm("portal.view_supplierrequest")
        else None,
    }
    readiness_page = request.GET.get("readiness", "")[:12]
    figures_key = ("figures", can_see, can_see_assessments, readiness_page, version, today)
    context.update(
        _cached(figures_key, lambda: _figures(today, can_see, can_see_assessments, readiness_page))
    )
    return render(request, "overview/home.html", context)


def _cached(key, compute):
    digest = hashlib.sha256(repr(key).encode()).hexdigest()
    return cache.get_or_set(f"dashboard:{digest}", compute, FIGURES_TIMEOUT)


def _figures(today, can_see, can_see_assessments, readiness_page):
    figures = {}
    if can_see:
        figures.update(_suppliers(today))
    if can_see_assessments:
        figures.update(_assessments(today, readiness_page))
    if can_see and can_see_assessments:
        legacy = dashboard.legacy_deadline(today, figures["model_counts"])
        figures["coming_dates"] = dashboard.coming_dates(today) + ([legacy] if legacy else [])
    return figures


def _suppliers(today):
    suppliers = dashboard.supplier_counts(today)
    models = dashboard.model_counts()
    by_chapter = suppliers["by_chapter"]
    list_url = reverse("vendors:supplier_list")
    rows = [
        (
            chapter.label,
            [
                charts.Segment(
                    status, label, by_chapter[chapter][status], f"{list_url}?{chapter}={status}"
                )
                for status, label in SignatureStatus.choices
            ],
        )
        for chapter in Chapter
    ]
    chart = charts.stacked_bar_chart(
        chart_id="chart-signatures",
        title="Code of Practice signatures by chapter",
        description="For each chapter, how many active suppliers signed, did not sign, "
        "declined, withdrew, or are not known yet. The table below gives the numbers.",
        rows=rows,
        legend=SignatureStatus.choices,
    )
    return {
        "supplier_count": suppliers["suppliers"],
        "stale_supplier_count": suppliers["stale_suppliers"],
        "model_count": models["models"],
        "model_counts": models,
        "signed_by_chapter": [
            (chapter.label, chapter.value, by_chapter[chapter]["signed"]) for chapter in Chapter
        ],
        "signature_rows": rows,
        "signature_statuses": SignatureStatus.choices,
        "signatures_chart": chart,
    }


def _assessments(today, readiness_page):
    counts = dashboard.assessment_counts(today)
    summed = dashboard.supplier_figures()
    gaps_url = reverse("gaps")
    gaps = [
        charts.Bar(label, number, f"{gaps_url}?category={value}", colour="gap")
        for value, label, number in summed["gaps"]
    ]
    list_url = reverse("diligence:assessment_list")
    paginator = Paginator(dashboard.readiness_by_supplier(), READINESS_PAGE_SIZE)
    # Counted with the gaps above: the paginator need not count the suppliers again.
    paginator.count = summed["readiness_suppliers"]
    page = paginator.get_page(readiness_page)
    readiness = [
        charts.Bar(
            row["supplier__name"],
            round(row["share"] * 100),
            f"{list_url}?supplier={row['supplier_id']}",
            text=f"{round(row['share'] * 100)} %",
        )
        for row in page
    ]
    return {
        "assessment_counts": counts,
        "open_assessment_count": counts["draft"] + counts["in_review"],
        "gap_bars": gaps,
        "gaps_chart": charts.bar_chart(
            chart_id="chart-gaps",
            title="Gaps by category",
            description="Checklist items marked as a gap in assessments of active suppliers, "
            "by category. The table below gives the numbers.",
            bars=gaps,
        ),
        "readiness_page": PageSummary.of(page),
        "readiness_rows": list(zip(page, readiness, strict=True)),
        "readiness_chart": charts.bar_chart(
            chart_id="chart-readiness",
            title="Readiness per supplier",
            description="Share of the applicable checklist items accepted across each "
            "supplier's assessments, least ready first. The table below gives the numbers.",
            bars=readiness,
            max_value=100,
        ),
    }


@require_safe
def follow_ups(request):
    """The signed-in user's pending follow-ups, from every app."""
    items = reminders.follow_ups(datetime.date.today(), user=request.user)
    groups = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    return render(request, "overview/follow_ups.html", {"groups": groups, "count": len(items)})


class GapListView(AccessMixin, ListView):
    """The checklist items marked as a gap, as the dashboard counts them, by category."""

    access_model = AssessmentItem
    template_name = "overview/gap_list.html"
    paginate_by = 25

    def get_queryset(self):
        category = self.request.GET.get("category")
        self.category = category if category in Category.VALUES else None
        return (
            dashboard.gap_items(self.category)
            .select_related(
                "checklist_item", "assessment__supplier", "assessment__model", "assessment__owner"
            )
            .order_by("assessment__due_date", "assessment_id", "checklist_item__order")
        )

    def get_context_data(self, **kwargs):
        labels = dict(Category.CHOICES)
        return super().get_context_data(
            category=self.category,
            category_label=labels.get(self.category),
            categories=Category.CHOICES,
            query_string=f"category={self.category}" if self.category else "",
            **kwargs,
        )
