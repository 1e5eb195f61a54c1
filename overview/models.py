"""Summary rows the dashboard reads instead of summing every assessment (see overview.figures)."""

from django.db import models
from django.db.models.functions import Cast

# A supplier's readiness: the share of its counted items that are accepted. The readiness chart
# orders by it, and an index on it lets the chart's page read its rows in that order.
READINESS_SHARE = Cast("items_accepted", models.FloatField()) / Cast(
    "items_counted", models.FloatField()
)


class SupplierFigures(models.Model):
    """One supplier's assessments summed up: the readiness and the gaps the dashboard shows.

    Kept by `overview.figures.supplier_figures_refresh` in the transaction that changed an
    assessment's progress counters (diligence.progress), so it is never behind the data."""

    supplier = models.OneToOneField(
        "vendors.Supplier", on_delete=models.CASCADE, primary_key=True, related_name="figures"
    )
    # Assessments with applicable items that count (as the readiness chart counts them).
    assessments = models.PositiveIntegerField(default=0)
    items_counted = models.PositiveIntegerField(default=0)
    items_accepted = models.PositiveIntegerField(default=0)
    gaps_documentation = models.PositiveIntegerField(default=0)
    gaps_copyright = models.PositiveIntegerField(default=0)
    gaps_safety_security = models.PositiveIntegerField(default=0)

    SUMMED = (
        "items_counted",
        "items_accepted",
        "gaps_documentation",
        "gaps_copyright",
        "gaps_safety_security",
    )

    class Meta:
        verbose_name_plural = "supplier figures"
        indexes = [
            models.Index(
                READINESS_SHARE,
                "supplier",
                condition=models.Q(items_counted__gt=0),
                name="overview_figures_readiness",
            )
        ]

    def __str__(self):
        return f"Figures of supplier {self.supplier_id}"
