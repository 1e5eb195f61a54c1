"""The querysets that the supplier pages read."""

import datetime

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce, Lower

from vendors import facts
from vendors.models import (
    Chapter,
    GPAIModel,
    Signature,
    Supplier,
)

# Models with systemic risk positively established, as vendors.facts.systemic_risk decides for
# one model: designated, notified or presumed, or above 10^25 FLOP unless the Commission accepted
# a rebuttal (Art. 51-52). Modifications inherit through their original only on the model page.
SYSTEMIC_RISK_MODEL = Q(systemic_risk_status__in=facts.SystemicRisk.WITH_SYSTEMIC_RISK) | (
    Q(training_compute_flop__gt=facts.SYSTEMIC_RISK_FLOP_THRESHOLD)
    & ~Q(systemic_risk_status=facts.SystemicRisk.REBUTTED)
)

CHAPTER_ORDER = {chapter.value: index for index, chapter in enumerate(Chapter)}


# Art. 111(3): models placed on the market before 2 Aug 2025 have until 2 Aug 2027.
LEGACY_MODEL = Q(placed_on_market__lt=facts.GPAI_OBLIGATIONS_APPLY)


def stale_signature(today, prefix=""):
    """Signatures whose check is older than SIGNATURE_STALE_AFTER_DAYS or was never made,
    as Signature.is_stale decides one at a time; `prefix` reaches them through a relation."""
    cutoff = today - datetime.timedelta(days=settings.SIGNATURE_STALE_AFTER_DAYS)
    return Q(**{f"{prefix}verified_on__isnull": True}) | Q(**{f"{prefix}verified_on__lt": cutoff})


# The columns a list page shows of each supplier (and `established_in_eu` reads).
SUPPLIER_LIST_FIELDS = ("id", "name", "legal_name", "country", "is_demo", "archived_at")


def suppliers_for_list(filters, today=None):
    """Suppliers matching the cleaned filter data, with what the list shows, in few queries."""
    today = today or datetime.date.today()
    systemic_models = GPAIModel.objects.active().filter(
        SYSTEMIC_RISK_MODEL, supplier=OuterRef("pk")
    )
    queryset = Supplier.objects.annotate(
        # A correlated count, not a JOIN with GROUP BY: only the page's rows are counted.
        model_count=Coalesce(
            Subquery(
                GPAIModel.objects.active()
                .filter(supplier=OuterRef("pk"))
                .order_by()
                .values("supplier")
                .annotate(number=Count("pk"))
                .values("number")
            ),
            0,
        ),
        has_systemic_model=Exists(systemic_models),
    ).prefetch_related(
        # A list per supplier (to_attr), not a queryset per supplier: cheaper on a page of 25.
        Prefetch(
            "signatures",
            queryset=Signature.objects.only(
                "id", "supplier_id", "chapter", "status", "verified_on"
            ),
            to_attr="listed_signatures",
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
    if legacy := filters.get("legacy"):
        legacy_models = GPAIModel.objects.active().filter(LEGACY_MODEL, supplier=OuterRef("pk"))
        queryset = queryset.filter(
            Exists(legacy_models) if legacy == "yes" else ~Exists(legacy_models)
        )
    if stale := filters.get("stale"):
        stale_checks = Signature.objects.filter(stale_signature(today), supplier=OuterRef("pk"))
        queryset = queryset.filter(
            Exists(stale_checks) if stale == "yes" else ~Exists(stale_checks)
        )
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


def signatures_in_order(signatures):
    """Signatures in the Code's chapter order."""
    return sorted(signatures, key=lambda s: CHAPTER_ORDER[s.chapter])


def supplier_for_detail(queryset):
    return queryset.prefetch_related(
        Prefetch("signatures", queryset=Signature.objects.select_related("verified_by")),
        Prefetch(
            "models",
            # The originals of modified models prefetched, not joined: most models modify
            # none, and then the prefetch reads nothing while a join widens every query.
            queryset=GPAIModel.objects.order_by("archived_at", "name", "version").prefetch_related(
                "modification_of__supplier"
            ),
        ),
    )


def supplier_page_rows(supplier):
    """The supplier page's signatures (in chapter order) and models, read through the
    supplier's own managers so each row knows its supplier without a query, and without the
    prefetch machinery a single supplier does not need: two queries, and two more only when a
    model modifies another (its original and that original's supplier)."""
    signatures = signatures_in_order(supplier.signatures.select_related("verified_by"))
    models = list(
        supplier.models.order_by("archived_at", "name", "version").prefetch_related(
            "modification_of__supplier"
        )
    )
    return signatures, models


def model_for_detail(queryset=None):
    """A model with what its facts are derived from: supplier, signatures, original model."""
    queryset = GPAIModel.objects.all() if queryset is None else queryset
    return queryset.select_related(
        "supplier", "modification_of__supplier", "created_by", "updated_by"
    ).prefetch_related("supplier__signatures")
