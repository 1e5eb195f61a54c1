"""Writes to the supplier register that follow a rule or touch several rows."""

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core import events
from core.audit import audit_log
from core.fact_changes import facts_changed
from vendors.models import Chapter, GPAIModel, Signature, Supplier
from vendors.summaries import signature_summaries_refresh


@transaction.atomic
def supplier_create(*, form, by):
    """Save a new supplier with an 'unknown' signature for each chapter of the Code."""
    supplier = form.save(commit=False)
    supplier.created_by = supplier.updated_by = by
    supplier.save()
    # Plain bulk_create writes no history rows, and the first change would show no diff.
    bulk_create_with_history(
        [
            Signature(supplier=supplier, chapter=chapter, created_by=by, updated_by=by)
            for chapter in Chapter.values
        ],
        Signature,
        default_user=by,
    )
    signature_summaries_refresh(suppliers=[supplier])
    return supplier


@transaction.atomic
def record_save(*, form, by):
    """Save an edited supplier or model, noting who changed it.

    A changed record changes the facts its open assessments were evaluated against, so they are
    re-evaluated in the same transaction.
    """
    record = form.save(commit=False)
    record.updated_by = by
    created = record.pk is None
    if created:
        record.created_by = by
    record.save()
    form.save_m2m()
    if not created and form.has_changed():
        reason = f"{record._meta.verbose_name} “{record}” edited"
        if isinstance(record, GPAIModel):
            facts_changed(models=[record], by=by, reason=reason)
        elif isinstance(record, Supplier):
            facts_changed(suppliers=[record], by=by, reason=reason)
    return record


@transaction.atomic
def signatures_update(*, forms, by):
    """Save the per-chapter signature forms; a new verification date records who verified."""
    saved = []
    for form in forms:
        if not form.has_changed():
            continue
        signature = form.save(commit=False)
        signature.updated_by = by
        if form.verified_changed:
            signature.verified_by = by if signature.verified_on else None
        if set(form.changed_data) & {"status", "signed_on", "source_url", "verified_on"}:
            signature.from_list = None  # a person recorded it; no longer the list's word
        signature.save()
        saved.append(signature)
        events.publish(events.SIGNATURE_CHANGED, target=signature, by=by)
    suppliers = {signature.supplier_id: signature.supplier for signature in saved}
    signature_summaries_refresh(suppliers=suppliers)
    facts_changed(suppliers=suppliers.values(), by=by, reason="Code of Practice signatures changed")
    return saved


@transaction.atomic
def record_archive(*, record, by, archive=True):
    """Archive or restore a supplier or model: it leaves the default lists, keeps its history."""
    record.archived_at = timezone.now() if archive else None
    record.updated_by = by
    record.save(update_fields=["archived_at", "updated_by", "updated_at"])
    audit_log(
        actor=by,
        action="archived" if archive else "restored",
        target=record,
        summary=f"{'Archived' if archive else 'Restored'} {record._meta.verbose_name} {record}",
    )
    return record
