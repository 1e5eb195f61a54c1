"""What the recorded documentation says about a checklist item, shown beside it with a
suggested status. The person working the item decides; nothing here changes the item."""

import datetime

from django.conf import settings

from core.checklist_hints import Hint
from documentation import completeness, queries, summary
from documentation.models import MdfDocument, TrainingSummary

# The checklist items the documentation speaks to (diligence/data/checklist/v2.yaml).
MDF_DOWNSTREAM = {"DOC-11"}
MDF_AUTHORITIES = {"DOC-10"}
MDF_CURRENT = {"DOC-18"}
SUMMARY_ITEMS = {"DOC-23", "DOC-24", "CPY-12"}


def mdf_completeness(document, *, today=None):
    """The completeness of an MDF version as the pages and hints show it."""
    specs = queries.specs_of(document.catalogue)
    return completeness.assess(
        specs,
        queries.values_of(document),
        last_updated=document.last_updated,
        today=today or datetime.date.today(),
        requested_on=document.requested_on,
        newest_model_date=queries.newest_model_date(document.model),
        stale_after_days=getattr(settings, "MDF_STALE_AFTER_DAYS", 365),
    )


def summary_check(record, *, today=None):
    return summary.check(
        sections=record.sections or {},
        size_bands=record.size_bands or {},
        exact_sizes=record.exact_sizes or {},
        latest_collection=record.latest_collection,
        crawlers=record.crawlers,
        top_domains=record.top_domains,
        tdm_statement=record.tdm_statement,
        last_updated=record.last_updated,
        today=today or datetime.date.today(),
    )


def checklist_hint(*, item_code, model_id):
    if item_code in MDF_DOWNSTREAM | MDF_AUTHORITIES | MDF_CURRENT:
        return _mdf_hints(item_code, model_id)
    if item_code in SUMMARY_ITEMS:
        return _summary_hints(item_code, model_id)
    return []


def _mdf_hints(item_code, model_id):
    document = (
        MdfDocument.objects.filter(model_id=model_id)
        .select_related("model", "catalogue")
        .order_by("-created_at", "-pk")
        .first()
    )
    if document is None:
        return [Hint("No Model Documentation Form recorded for this model yet.", "open")]
    result = mdf_completeness(document)
    url, label = document.get_absolute_url(), f"MDF {document.document_version}"
    draft = " (draft, not yet confirmed)" if document.is_draft else ""
    if item_code in MDF_DOWNSTREAM:
        missing = len(result.missing)
        text = (
            f"MDF {document.document_version}{draft}: {result.downstream_present} of "
            f"{result.downstream_total} downstream fields present"
        )
        if missing:
            text += f", {missing} missing or incomplete"
            if result.answer_due:
                text += f" (answer due {completeness.shown_date(result.answer_due)})"
            status = "requested" if document.requested_on else "received"
            text += f". Suggested: {status}, {missing} downstream field(s) missing."
        else:
            status = "received"
            text += ". Suggested: received, complete."
        return [Hint(text, status, url, label)]
    if item_code in MDF_AUTHORITIES:
        received = sum(
            1 for field in result.fields if field.state == completeness.State.RECEIVED_EXTRA
        )
        text = (
            f"MDF {document.document_version}{draft}: {received} field(s) meant for the authorities "
            f"received; {len(result.contractual)} only by contractual request (NDA). "
            "Suggested: received, if the supplier confirms the rest exists."
        )
        return [Hint(text, "received", url, label)]
    if result.stale:
        return [
            Hint(
                f"MDF {document.document_version}: stale. " + " ".join(result.stale_reasons),
                "gap",
                url,
                label,
            )
        ]
    return [
        Hint(
            f"MDF {document.document_version}: current (last updated {completeness.shown_date(document.last_updated)}).",
            "received",
            url,
            label,
        )
    ]


def _summary_hints(item_code, model_id):
    record = (
        TrainingSummary.objects.filter(model_id=model_id).order_by("-created_at", "-pk").first()
    )
    if record is None:
        return [Hint("No training-content summary recorded for this model yet.", "open")]
    result = summary_check(record)
    url, label = record.get_absolute_url(), "Training summary"
    if item_code == "DOC-23":
        if record.url:
            return [
                Hint(
                    f"Summary recorded, published at {record.url}. Suggested: received.",
                    "received",
                    url,
                    label,
                )
            ]
        return [Hint("Summary recorded without its public address.", "requested", url, label)]
    if item_code == "CPY-12":
        present = [code for code in ("3.1", "3.2") if (record.sections or {}).get(code, "").strip()]
        if len(present) == 2 and record.tdm_statement.strip():
            return [
                Hint("Sections 3.1 and 3.2 present. Suggested: received.", "received", url, label)
            ]
        return [
            Hint("Section 3.1 or 3.2 of the summary is missing. Suggested: gap.", "gap", url, label)
        ]
    issues = len(result.missing_sections) + len(result.problems)
    if result.complete and not result.stale:
        text = "Summary follows the template and is current. Suggested: received."
        status = "received"
    else:
        parts = []
        if issues:
            parts.append(f"{issues} point(s) missing")
        if result.stale:
            parts.append("older than six months")
        text = f"Summary checked: {', '.join(parts)}. Suggested: gap."
        status = "gap"
    return [Hint(text, status, url, label)]
