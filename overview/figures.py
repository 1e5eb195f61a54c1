"""The dashboard's per-supplier figures, kept in summary rows (overview.models.SupplierFigures).

Summing the progress counters of every assessment grows with the assessments; the first view
of the dashboard after any change paid for it. Instead, each change to an assessment's counters
(`diligence.progress.refresh`, called by every service that changes items) refreshes its
supplier's row in the same transaction, through `core.summaries`: the sums are never behind
the data, and the dashboard reads one row per supplier.
"""

from django.db.models import Count, Q, Sum

from diligence.models import Assessment
from overview.models import SupplierFigures


def _sums(assessments):
    """{supplier id: {field: value}} summed from these assessments' counters."""
    rows = (
        assessments.values("supplier_id")
        .annotate(
            assessments=Count("pk", filter=Q(items_counted__gt=0)),
            **{field: Sum(field) for field in SupplierFigures.SUMMED},
        )
        .order_by()
    )
    return {row.pop("supplier_id"): row for row in rows}


def supplier_figures_refresh(*, suppliers):
    """Recompute these suppliers' rows from their assessments, in the caller's transaction.

    The rows are locked first, so that two transactions changing assessments of one supplier
    at once sum in turn: the second reads the first's committed counters, not its own snapshot
    of them."""
    suppliers = sorted(set(suppliers))
    SupplierFigures.objects.bulk_create(
        [SupplierFigures(supplier_id=pk) for pk in suppliers], ignore_conflicts=True
    )
    list(SupplierFigures.objects.select_for_update().filter(pk__in=suppliers).values_list("pk"))
    sums = _sums(Assessment.objects.filter(supplier_id__in=suppliers))
    empty = dict.fromkeys(["assessments", *SupplierFigures.SUMMED], 0)
    rows = [SupplierFigures(supplier_id=pk, **{**empty, **sums.get(pk, {})}) for pk in suppliers]
    SupplierFigures.objects.bulk_update(rows, ["assessments", *SupplierFigures.SUMMED])


def supplier_figures_rebuild(figures_model=SupplierFigures, assessment_model=Assessment):
    """Every supplier's row from scratch, after rows were written without the services (a
    bulk load); takes the model classes so that a data migration can use it."""
    figures_model.objects.all().delete()
    figures_model.objects.bulk_create(
        (
            figures_model(supplier_id=pk, **sums)
            for pk, sums in _sums(assessment_model.objects.all()).items()
        ),
        batch_size=2000,
    )
