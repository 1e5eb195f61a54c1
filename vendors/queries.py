"""The querysets that the supplier pages read."""

import datetime
from operator import attrgetter

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Lower

from core.history import history_values
from core.statements import Statement, columns, records
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


def suppliers_for_list(filters, today=None):
    """Suppliers matching the cleaned filter data, with what the list shows and their
    signatures (`listed_signatures`), in few queries."""
    return suppliers_matching(filters, today).prefetch_related(
        # A list per supplier (to_attr), not a queryset per supplier: cheaper on a page of 25.
        Prefetch(
            "signatures",
            queryset=Signature.objects.only(
                "id", "supplier_id", "chapter", "status", "verified_on"
            ),
            to_attr="listed_signatures",
        )
    )


def suppliers_matching(filters, today=None):
    """Suppliers matching the cleaned filter data, in the list's order, each with its number
    of active models (`model_count`) and whether one has systemic risk (`has_systemic_model`)."""
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
        # A correlated scalar read rather than EXISTS: PostgreSQL would run an EXISTS over the
        # whole list once, hashed (all the models of every supplier: about 9 ms at ten times
        # the benchmark data), where the page needs it for its fifty rows only.
        has_systemic_model=Coalesce(
            Subquery(systemic_models.values(flag=Value(True))[:1], output_field=BooleanField()),
            False,
        ),
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
        queryset = queryset.filter(
            Exists(systemic_models) if systemic == "yes" else ~Exists(systemic_models)
        )
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


class ListedSuppliers:
    """The suppliers matching the filters as a paginator reads them: `count()`, and slices of
    rows (dicts) with the columns `fields`, `model_count`, `has_systemic_model` and
    `signatures`, each signature a dict of chapter, status and verified_on, by chapter name.

    The list pages are read for the same few filters again and again: their SQL is composed
    once per process for each set of filters (core.statements), the signatures' for each
    number of suppliers on a page."""

    def __init__(self, filters, fields, today=None):
        filters = tuple(sorted((name, value) for name, value in filters.items() if value))
        stale = dict(filters).get("stale")
        # The day and the setting count only for the filter of stale checks.
        self.shape = (
            filters,
            (today or datetime.date.today(), settings.SIGNATURE_STALE_AFTER_DAYS)
            if stale
            else None,
        )
        self.fields = tuple(fields)

    def count(self):
        counted = _supplier_count.rows(*self.shape)
        return counted[0]["number"] if counted else 0

    def __getitem__(self, page):
        rows = _supplier_rows.rows(*self.shape, self.fields, page.start, page.stop)
        by_supplier = {row["id"]: [] for row in rows}
        if by_supplier:
            ids = list(by_supplier)
            for signature in _listed_signatures.rows(len(ids), params=ids):
                by_supplier[signature.pop("supplier_id")].append(signature)
        for row in rows:
            row["signatures"] = by_supplier[row["id"]]
        return rows


def _matching(filters, stale_check):
    return suppliers_matching(dict(filters), stale_check[0] if stale_check else None)


_supplier_count = Statement(
    lambda filters, stale_check: (
        _matching(filters, stale_check)
        .order_by()
        .values(number=Func(F("pk"), function="COUNT", output_field=IntegerField()))
    )
)
_supplier_rows = Statement(
    lambda filters, stale_check, fields, low, high: _matching(filters, stale_check).values(
        *fields, "model_count", "has_systemic_model"
    )[low:high]
)
_listed_signatures = Statement(
    lambda count, *ids: (
        Signature.objects.filter(supplier_id__in=ids)
        .order_by("chapter")
        .values("supplier_id", "chapter", "status", "verified_on")
    )
)


def signatures_in_order(signatures, key=attrgetter("chapter")):
    """Signatures in the Code's chapter order; `key` reads a signature's chapter."""
    return sorted(signatures, key=lambda signature: CHAPTER_ORDER[key(signature)])


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


# The supplier page's reads, composed once per process (core.statements): the page's queries
# are fixed but for the supplier's pk, and composing them cost more than running them. Who
# created, changed or checked a record is read as the name the page prints, not as a user.
_page_supplier = Statement(
    lambda pk: Supplier.objects.filter(pk=pk).values(
        *columns(Supplier),
        created_by_name=F("created_by__username"),
        updated_by_name=F("updated_by__username"),
    )
)
_page_signatures = Statement(
    lambda pk: (
        Signature.objects.filter(supplier_id=pk)
        .order_by()
        .values(*columns(Signature), verified_by_name=F("verified_by__username"))
    )
)
_page_models = Statement(
    lambda pk: (
        GPAIModel.objects.filter(supplier_id=pk)
        .order_by("archived_at", "name", "version")
        .values(*columns(GPAIModel))
    )
)


HistoricalSupplier = Supplier.history.model
HistoricalSignature = Signature.history.model
_page_supplier_history = Statement(
    lambda pk: (
        HistoricalSupplier.objects.filter(id=pk)
        .order_by("history_date", "history_id")
        .values(*columns(HistoricalSupplier), history_user_name=F("history_user__username"))
    )
)
_page_signature_history = Statement(
    lambda pk: history_values(HistoricalSignature.objects.filter(supplier_id=pk), Signature)
)


def supplier_page_history(supplier):
    """The supplier's history records in the order they were made, each with the name of who
    made it (`history_user_name`), and its signatures' as the rows
    core.history.changes_in_values reads."""
    supplier_records = records(
        HistoricalSupplier,
        _page_supplier_history.rows(params=[supplier.pk]),
        ("history_user_name",),
    )
    return supplier_records, _page_signature_history.rows(params=[supplier.pk])


def supplier_for_page(pk):
    """The supplier the supplier page shows, with `created_by_name` and `updated_by_name`;
    None if there is none."""
    found = records(
        Supplier, _page_supplier.rows(params=[pk]), ("created_by_name", "updated_by_name")
    )
    return found[0] if found else None


def supplier_page_rows(supplier):
    """The supplier page's signatures (in chapter order, each with `verified_by_name`) and
    models, each knowing its supplier without a query: two queries, and two more only when a
    model modifies another (its original and that original's supplier)."""
    signatures = records(
        Signature, _page_signatures.rows(params=[supplier.pk]), ("verified_by_name",)
    )
    models = records(GPAIModel, _page_models.rows(params=[supplier.pk]))
    for record in (*signatures, *models):
        record.supplier = supplier
    prefetch_related_objects(models, "modification_of__supplier")
    return signatures_in_order(signatures), models


def model_for_detail(queryset=None):
    """A model with what its facts are derived from: supplier, signatures, original model."""
    queryset = GPAIModel.objects.all() if queryset is None else queryset
    return queryset.select_related(
        "supplier", "modification_of__supplier", "created_by", "updated_by"
    ).prefetch_related("supplier__signatures")
