"""Recording what a supplier documents: MDF versions and training summaries, their
confirmation, and third-party compute estimates. Each write is one transaction, audited."""

from django.core.exceptions import ValidationError
from django.db import transaction

from core import files
from core.audit import audit_log
from core.text import normalise_data, normalise_text
from documentation import queries
from documentation.models import (
    ComputeEstimate,
    EstimateStatus,
    MdfDocument,
    MdfValue,
    TrainingSummary,
)

META_FIELDS = ("document_version", "last_updated", "source_url", "requested_on")


def _write_values(document, values, keys):
    unknown = set(values) - keys
    if unknown:
        raise ValidationError(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    document.values.all().delete()
    MdfValue.objects.bulk_create(
        MdfValue(
            document=document,
            field_key=key,
            value=normalise_text(value or ""),
            not_applicable=not_applicable,
        )
        for key, (value, not_applicable) in values.items()
        if (value or "").strip() or not_applicable
    )


def _meta(meta):
    """The version's own values; text read from a file is held to the rule forms apply."""
    return {name: normalise_data(meta.get(name)) or _blank(name) for name in META_FIELDS}


def mdf_create(*, model, meta, values, by, source_name="", source_file=None):
    """Record a new draft MDF version of `model` with its field values (key → (value, N/A)).
    `source_file`, the file it was imported from, is kept with the version."""
    return _with_source(
        source_file,
        lambda stored: _mdf_create(model, meta, values, by, source_name, stored),
    )


@transaction.atomic
def _mdf_create(model, meta, values, by, source_name, stored):
    catalogue = queries.current_catalogue()
    if catalogue is None:
        raise ValidationError("No Model Documentation Form catalogue is published.")
    document = MdfDocument(
        model=model,
        catalogue=catalogue,
        source_name=normalise_text(source_name)[:200],
        created_by=by,
        **_meta(meta),
    )
    if stored:
        document.keep_source(stored)
    document.save()
    _write_values(document, values, {spec.key for spec in queries.specs_of(catalogue)})
    audit_log(
        actor=by,
        action="mdf_created",
        target=document,
        summary=f"Recorded {document}"
        + (f" from {document.source_name}" if document.source_name else ""),
        data={"fields": sorted(values), **_source_data(document)},
    )
    return document


def _with_source(uploaded_file, write):
    """Store the imported file as evidence files are (checked, under a generated name, with
    its SHA-256), then `write(stored)` the record. If the write fails, the file is removed
    again, so a failed import leaves nothing behind."""
    if uploaded_file is None:
        return write(None)
    stored = files.store_evidence_file(uploaded_file, accepted=files.IMPORT_TYPES)
    try:
        return write(stored)
    except BaseException:
        files.delete_stored_file(stored.storage_name)
        raise


def _source_data(record):
    if not record.has_source_file:
        return {}
    return {"source_file": record.source_name, "sha256": record.source_sha256}


def _blank(name):
    return None if name in ("last_updated", "requested_on") else ""


@transaction.atomic
def mdf_update(*, document, meta, values, by):
    """Change a draft MDF version; a confirmed one never changes."""
    document = MdfDocument.objects.select_for_update().get(pk=document.pk)
    if not document.is_draft:
        raise ValidationError("This version is confirmed and cannot change; record a new version.")
    before = queries.values_of(document)
    for name, value in _meta(meta).items():
        setattr(document, name, value)
    document.save(update_fields=list(META_FIELDS))
    _write_values(document, values, {spec.key for spec in queries.specs_of(document.catalogue)})
    changed = sorted(
        key
        for key in set(before) | set(values)
        if before.get(key) != values.get(key) and (before.get(key) or values.get(key))
    )
    audit_log(
        actor=by,
        action="mdf_updated",
        target=document,
        summary=f"Changed {document}: {len(changed)} field(s)",
        data={"fields": changed},
    )
    return document


def mdf_confirm(*, document, by):
    """Freeze a draft as the supplier's version: from now on it never changes."""
    return record_confirm(record=document, by=by)


@transaction.atomic
def mdf_new_version(*, source, by):
    """A new draft with the values of `source`, to enter what changed in the next version."""
    document = MdfDocument.objects.create(
        model=source.model,
        catalogue=queries.current_catalogue() or source.catalogue,
        document_version="",
        last_updated=source.last_updated,
        source_url=source.source_url,
        requested_on=source.requested_on,
        created_by=by,
    )
    keys = {spec.key for spec in queries.specs_of(document.catalogue)}
    values = {key: value for key, value in queries.values_of(source).items() if key in keys}
    _write_values(document, values, keys)
    audit_log(
        actor=by,
        action="mdf_created",
        target=document,
        summary=f"New version of {document.model} based on {source}",
        data={"based_on": source.pk},
    )
    return document


# Training-content summary ---------------------------------------------------------------

SUMMARY_FIELDS = (
    "summary_version",
    "last_updated",
    "url",
    "sections",
    "size_bands",
    "exact_sizes",
    "latest_collection",
    "crawlers",
    "top_domains",
    "tdm_statement",
)


def summary_create(*, model, data, by, source_name="", source_file=None):
    """Record a new draft training summary; `source_file`, the file it was read from, is kept
    with it."""
    return _with_source(
        source_file, lambda stored: _summary_create(model, data, by, source_name, stored)
    )


@transaction.atomic
def _summary_create(model, data, by, source_name, stored):
    data = normalise_data(data)
    summary = TrainingSummary(
        model=model,
        created_by=by,
        source_name=normalise_text(source_name)[:200],
        **{name: data[name] for name in SUMMARY_FIELDS if name in data},
    )
    if stored:
        summary.keep_source(stored)
    summary.save()
    audit_log(
        actor=by,
        action="training_summary_created",
        target=summary,
        summary=f"Recorded {summary}"
        + (f" from {summary.source_name}" if summary.source_name else ""),
        data=_source_data(summary),
    )
    return summary


@transaction.atomic
def summary_update(*, summary, data, by):
    summary = TrainingSummary.objects.select_for_update().get(pk=summary.pk)
    if not summary.is_draft:
        raise ValidationError("This summary is confirmed and cannot change; record a new version.")
    data = normalise_data(data)
    changed = [
        name for name in SUMMARY_FIELDS if name in data and getattr(summary, name) != data[name]
    ]
    for name in changed:
        setattr(summary, name, data[name])
    summary.save(update_fields=changed or ["status"])
    audit_log(
        actor=by,
        action="training_summary_updated",
        target=summary,
        summary=f"Changed {summary}",
        data={"fields": changed},
    )
    return summary


def summary_confirm(*, summary, by):
    return record_confirm(record=summary, by=by)


@transaction.atomic
def record_confirm(*, record, by):
    """Confirm a draft MDF version or training summary: from now on it never changes."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    if not record.is_draft:
        raise ValidationError(f"This {record.noun} is already confirmed.")
    if problem := record.confirm_problem():
        raise ValidationError(problem)
    record.mark_confirmed(by=by)
    audit_log(
        actor=by,
        action=f"{record.audit_name}_confirmed",
        target=record,
        summary=f"Confirmed {record}",
    )
    return record


# Third-party compute estimates ----------------------------------------------------------


@transaction.atomic
def estimate_suggest(*, model, row, by):
    """Keep an estimate from a public data set as a suggestion for `model`."""
    estimate = ComputeEstimate.objects.create(model=model, created_by=by, **row)
    audit_log(
        actor=by,
        action="compute_estimate_suggested",
        target=estimate,
        summary=f"Third-party estimate for {model} from {estimate.source_name}",
    )
    return estimate


@transaction.atomic
def estimate_decide(*, estimate, accept, by):
    """A person accepts or dismisses a suggested estimate. Accepting records that the buyer
    relies on it as a third-party figure; it changes neither the provider's figures nor the
    model's facts."""
    estimate = ComputeEstimate.objects.select_for_update().get(pk=estimate.pk)
    if estimate.status != EstimateStatus.SUGGESTED:
        raise ValidationError("This estimate was decided already.")
    estimate.status = EstimateStatus.ACCEPTED if accept else EstimateStatus.DISMISSED
    estimate.decided_by = by
    estimate.save(update_fields=["status", "decided_by"])
    audit_log(
        actor=by,
        action=f"compute_estimate_{estimate.status}",
        target=estimate,
        summary=f"{estimate.get_status_display()} {estimate}",
    )
    return estimate
