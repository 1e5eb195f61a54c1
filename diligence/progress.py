"""An assessment's progress counters, recomputed from its items.

The dashboard and the assessment list read these counters instead of counting every item of
every assessment, so their cost grows with the number of assessments, not with fifty times
that. Every service that changes items calls `refresh`; the functions take the model classes
so that data migrations can use them with their historical models.
"""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from core import summaries

# Counter field -> which applicable items it counts.
COUNTERS = {
    # The assessment list's "done of applicable": accepted or found not to apply.
    "items_applicable": Q(),
    "items_done": Q(status__in=["accepted", "not_applicable"]),
    # Readiness counts the items that apply, less those a reviewer marked not applicable.
    "items_counted": ~Q(status="not_applicable"),
    "items_accepted": Q(status="accepted"),
    "gaps_documentation": Q(status="gap", checklist_item__category="documentation"),
    "gaps_copyright": Q(status="gap", checklist_item__category="copyright"),
    "gaps_safety_security": Q(status="gap", checklist_item__category="safety_security"),
}


def _counter(item_model, condition):
    items = (
        item_model.objects.filter(condition, assessment=OuterRef("pk"), applicable=True)
        .order_by()
        .values("assessment")
        .annotate(number=Count("pk"))
        .values("number")
    )
    return Coalesce(Subquery(items), 0)


def refresh_queryset(assessments, item_model):
    """Recompute the counters of these assessments in one UPDATE.

    Only the counters the model has: a data migration's historical model may predate some."""
    fields = {field.name for field in assessments.model._meta.get_fields()}
    return assessments.update(
        **{
            name: _counter(item_model, condition)
            for name, condition in COUNTERS.items()
            if name in fields
        }
    )


def refresh(assessment):
    """Recompute one assessment's counters, and the summaries kept from them (the dashboard's
    per-supplier figures), in the caller's transaction."""
    from diligence.models import Assessment, AssessmentItem

    refresh_queryset(Assessment.objects.filter(pk=assessment.pk), AssessmentItem)
    summaries.assessments_changed(suppliers=[assessment.supplier_id])
