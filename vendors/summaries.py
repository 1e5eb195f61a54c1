"""Each supplier's signatures summed up in one row (vendors.models.SignatureSummary).

The dashboard counts suppliers by each chapter's status and by stale checks, and the
follow-ups find whose stale checks a person is reminded of. Read from the signatures, that is
three rows and two passes over the checks for every supplier on the first view after any
change. Instead, every service that writes signatures refreshes the suppliers' summaries in the
same transaction (`signature_summaries_refresh`): the summaries are never behind the
signatures, and the counts read one row per supplier.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from vendors.models import Chapter, Signature, SignatureSummary

BATCH = 2000
FIELDS = [*Chapter.values, "never_checked", "oldest_check", "last_verifier"]


def stale_summary(today, prefix=""):
    """Suppliers with a stale check, from their summary, as `vendors.queries.stale_signature`
    decides for one signature: a check never made or older than SIGNATURE_STALE_AFTER_DAYS.
    `prefix` reaches the summary through a relation."""
    cutoff = today - datetime.timedelta(days=settings.SIGNATURE_STALE_AFTER_DAYS)
    return Q(**{f"{prefix}never_checked": True}) | Q(**{f"{prefix}oldest_check__lt": cutoff})


def _latest(check):
    # A check without a date counts as the oldest: "most recent" is by date, then by id.
    return (check["verified_on"] or datetime.date.min, check["pk"])


def summarise(signatures):
    """{supplier id: {field: value}} of these signatures, all of each supplier's: the status
    of each chapter, whether a check was never made, the oldest check, and who made the most
    recent one (as `vendors.followups` names the person to remind)."""
    summaries = {}
    for signature in signatures.values(
        "pk", "supplier_id", "chapter", "status", "verified_on", "verified_by_id"
    ).order_by():
        summary = summaries.setdefault(
            signature["supplier_id"],
            {**dict.fromkeys(Chapter.values, ""), "never_checked": False, "checks": []},
        )
        summary[signature["chapter"]] = signature["status"]
        if signature["verified_on"] is None:
            summary["never_checked"] = True
        summary["checks"].append(signature)
    for summary in summaries.values():
        checks = summary.pop("checks")
        dates = [check["verified_on"] for check in checks if check["verified_on"]]
        summary["oldest_check"] = min(dates, default=None)
        verified = [check for check in checks if check["verified_by_id"] is not None]
        latest = max(verified, key=_latest, default=None)
        summary["last_verifier_id"] = latest["verified_by_id"] if latest else None
    return summaries


def _empty():
    return {**dict.fromkeys(Chapter.values, ""), "never_checked": False, "oldest_check": None,
            "last_verifier_id": None}  # fmt: skip


def signature_summaries_refresh(*, suppliers):
    """Recompute these suppliers' summaries from their signatures, in the caller's transaction
    (or in one of their own when the caller has none, as a script or a test may).

    The summaries are locked first, so that two transactions changing signatures of one
    supplier at once summarise in turn: the second reads the first's committed signatures,
    not its own snapshot of them."""
    suppliers = sorted({getattr(supplier, "pk", supplier) for supplier in suppliers})
    with transaction.atomic(savepoint=False):
        _refresh(suppliers)


def _refresh(suppliers):
    for start in range(0, len(suppliers), BATCH):
        batch = suppliers[start : start + BATCH]
        SignatureSummary.objects.bulk_create(
            [SignatureSummary(supplier_id=pk) for pk in batch], ignore_conflicts=True
        )
        list(SignatureSummary.objects.select_for_update().filter(pk__in=batch).values_list("pk"))
        summaries = summarise(Signature.objects.filter(supplier_id__in=batch))
        # One INSERT ... ON CONFLICT UPDATE: bulk_update would write a CASE for every row.
        SignatureSummary.objects.bulk_create(
            [
                SignatureSummary(supplier_id=pk, **{**_empty(), **summaries.get(pk, {})})
                for pk in batch
            ],
            update_conflicts=True,
            unique_fields=["supplier"],
            update_fields=FIELDS,
        )


def signature_summaries_rebuild(summary_model=SignatureSummary, signature_model=Signature):
    """Every supplier's summary from scratch, after signatures were written without the
    services (a bulk load); takes the model classes so that a data migration can use it."""
    summary_model.objects.all().delete()
    summary_model.objects.bulk_create(
        (
            summary_model(supplier_id=pk, **summary)
            for pk, summary in summarise(signature_model.objects.all()).items()
        ),
        batch_size=BATCH,
    )
