"""The dashboard, a user's follow-ups and the list of gaps the dashboard counts."""

import datetime

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import ListView

from core import charts, dashboard, reminders
from core.access import AccessMixin
from diligence.applicability import Category
from diligence.models import AssessmentItem
from vendors.models import Chapter, SignatureStatus

READINESS_PAGE_SIZE = 10


def home(request):
    """The dashboard: where suppliers stand, where assessments stand, what is coming up."""
    user, today = request.user, datetime.date.today()
    context = {
        "can_see": user.has_perm("vendors.view_supplier"),
        "can_see_assessments": user.has_perm("diligence.view_assessment"),
        "today": today,
        "follow_up_count": reminders.follow_up_count(today, user=user),
    }
    if context["can_see"]:
        context.update(_suppliers(today))
    if context["can_see_assessments"]:
        context.update(_assessments(request, today))
    if context["can_see"] and context["can_see_assessments"]:
        legacy = dashboard.legacy_deadline(today, context["model_counts"])
        context["coming_dates"] = dashboard.coming_dates(today) + ([legacy] if legacy else [])
    return render(request, "core/home.html", context)


def _suppliers(today):
    suppliers = dashboard.supplier_counts(today)
    models = dashboard.model_counts()
    by_chapter = dashboard.signatures_by_chapter()
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


def _assessments(request, today):
    counts = dashboard.assessment_counts(today)
    gaps_url = reverse("gaps")
    gaps = [
        charts.Bar(label, number, f"{gaps_url}?category={value}", colour="gap")
        for value, label, number in dashboard.gaps_by_category()
    ]
    list_url = reverse("diligence:assessment_list")
    page = Paginator(dashboard.readiness_by_supplier(), READINESS_PAGE_SIZE).get_page(
        request.GET.get("readiness")
    )
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
        "readiness_page": page,
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


def follow_ups(request):
    """The signed-in user's pending follow-ups, from every app."""
    items = reminders.follow_ups(datetime.date.today(), user=request.user)
    groups = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    return render(request, "core/follow_ups.html", {"groups": groups, "count": len(items)})


class GapListView(AccessMixin, ListView):
    """The checklist items marked as a gap, as the dashboard counts them, by category."""

    access_model = AssessmentItem
    template_name = "core/gap_list.html"
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
