"""The querysets that the supplier pages read."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Lower

from vendors import facts
from vendors.models import Chapter, GPAIModel, Signature, Supplier

SYSTEMIC_RISK_MODEL = Q(systemic_risk_status__in=facts.SystemicRisk.WITH_SYSTEMIC_RISK) | Q(
    training_compute_flop__gt=facts.SYSTEMIC_RISK_FLOP_THRESHOLD
)

CHAPTER_ORDER = {chapter.value: index for index, chapter in enumerate(Chapter)}


def suppliers_for_list(filters):
    """Suppliers matching the cleaned filter data, with what the list shows, in few queries."""
    systemic_models = GPAIModel.objects.active().filter(
        SYSTEMIC_RISK_MODEL, supplier=OuterRef("pk")
    )
    queryset = Supplier.objects.annotate(
        model_count=Count("models", filter=Q(models__archived_at__isnull=True)),
        has_systemic_model=Exists(systemic_models),
    ).prefetch_related(
        Prefetch(
            "signatures",
            queryset=Signature.objects.only(
                "id", "supplier_id", "chapter", "status", "verified_on"
            ),
        )
    )

    if not filters.get("archived"):
        queryset = queryset.active()
    if q := filters.get("q"):
        queryset = queryset.filter(Q(name__icontains=q) | Q(legal_name__icontains=q))
    if country := filters.get("country"):
        queryset = queryset.filter(country=country)
    if region := filters.get("region"):
        in_eu = Q(country__in=facts.EU_EEA_COUNTRIES)
        queryset = queryset.filter(in_eu if region == "eu" else ~in_eu)
    if systemic := filters.get("systemic"):
        queryset = queryset.filter(has_systemic_model=(systemic == "yes"))
    for chapter in Chapter:
        if status := filters.get(chapter.value):
            queryset = queryset.filter(
                Exists(
                    Signature.objects.filter(
                        supplier=OuterRef("pk"), chapter=chapter, status=status
                    )
                )
            )
    sort = filters.get("sort") or "name"
    order = {"name": Lower("name").asc(), "-name": Lower("name").desc()}.get(sort, sort)
    return queryset.order_by(order, "pk")


def signatures_in_order(supplier):
    """The supplier's signatures in the Code's chapter order (uses prefetched rows)."""
    return sorted(supplier.signatures.all(), key=lambda s: CHAPTER_ORDER[s.chapter])


def supplier_for_detail(queryset):
    return queryset.prefetch_related(
        Prefetch("signatures", queryset=Signature.objects.select_related("verified_by")),
        Prefetch("models", queryset=GPAIModel.objects.order_by("archived_at", "name", "version")),
    )
