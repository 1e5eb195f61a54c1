"""Writes for the signatory register: import a snapshot, settle matches, apply its changes.

Every change a snapshot proposes is applied by a person, one chapter at a time, and the
signature then names the snapshot as its source. Applying is idempotent: the change is worked
out again from the record as it is now, so a second click finds nothing left to do.
"""

import dataclasses
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import events
from core.audit import audit_log
from core.fact_changes import facts_changed
from vendors import register
from vendors.models import (
    LINKED_MATCHES,
    RegisterEntry,
    RegisterMatch,
    RegisterSnapshot,
    Signature,
    SignatureStatus,
    Supplier,
)
from vendors.services import supplier_create

_MATCH_FOR_CERTAINTY = {
    register.CERTAIN: RegisterMatch.MATCHED,
    register.UNCERTAIN: RegisterMatch.UNCERTAIN,
    register.NO_MATCH: RegisterMatch.NONE,
}


def latest_snapshot():
    return RegisterSnapshot.objects.order_by("-taken_on", "-id").first()


def _require_latest(snapshot):
    latest = latest_snapshot()
    if latest is not None and latest.pk != snapshot.pk:
        raise ValidationError(
            f"The {latest} is newer than this one; review and apply changes there, so an "
            "older list does not undo a newer one."
        )


@transaction.atomic
def register_import(*, data, filename, taken_on, source_url, by):
    """Store a register file as a dated snapshot, every row matched to a supplier if possible.

    The whole file is checked before anything is written; a bad file raises
    ValidationError with every problem and leaves no trace.
    """
    rows = register.parse_register(data, filename=filename, as_of=taken_on)
    sha256 = hashlib.sha256(data).hexdigest()
    if earlier := RegisterSnapshot.objects.filter(file_sha256=sha256, taken_on=taken_on).first():
        raise ValidationError(
            f"This file was imported already as the {earlier} on "
            f"{timezone.localtime(earlier.imported_at):%-d %b %Y}."
        )
    snapshot = RegisterSnapshot.objects.create(
        taken_on=taken_on,
        source_url=source_url,
        file_name=filename[:200],
        file_sha256=sha256,
        imported_by=by,
    )
    candidates = [
        register.Candidate(supplier.pk, (supplier.name, supplier.legal_name))
        for supplier in Supplier.objects.active().only("id", "name", "legal_name")
    ]
    entries, settled = [], set()
    for row in rows:
        match = register.match_provider(row.provider, candidates)
        status = _MATCH_FOR_CERTAINTY[match.certainty]
        # Two rows cannot both settle one supplier; the second waits for a person.
        if status == RegisterMatch.MATCHED and match.supplier_id in settled:
            status = RegisterMatch.UNCERTAIN
        if status == RegisterMatch.MATCHED:
            settled.add(match.supplier_id)
        entries.append(
            RegisterEntry(
                snapshot=snapshot,
                row_number=row.row_number,
                provider=row.provider,
                status=row.status,
                chapters=list(row.chapters),
                signed_on=row.date,
                source_url=row.source_url,
                note=row.note,
                supplier_id=match.supplier_id,
                match=status,
                match_score=match.score if match.supplier_id else None,
            )
        )
    RegisterEntry.objects.bulk_create(entries)
    audit_log(
        actor=by,
        action="register_imported",
        target=snapshot,
        summary=f"Imported {len(entries)} rows from {filename} (list as of {taken_on:%-d %b %Y})",
        data={"file_sha256": sha256, "rows": len(entries)},
    )
    events.publish(events.REGISTER_IMPORTED, target=snapshot, by=by)
    return snapshot


@transaction.atomic
def register_match_resolve(*, snapshot, entry, confirm, by):
    """Confirm or reject the supplier proposed for an uncertain match. Repeating is harmless."""
    _require_latest(snapshot)
    entry = (
        RegisterEntry.objects.select_for_update(of=("self",))
        .select_related("supplier")
        .get(pk=entry.pk)
    )
    wanted = RegisterMatch.CONFIRMED if confirm else RegisterMatch.REJECTED
    if entry.match == wanted:
        return entry
    if entry.match != RegisterMatch.UNCERTAIN:
        raise ValidationError(
            f"The match of “{entry.provider}” was settled already ({entry.get_match_display()})."
        )
    supplier = entry.supplier
    if confirm:
        taken = (
            snapshot.entries.filter(supplier=supplier, match__in=LINKED_MATCHES)
            .exclude(pk=entry.pk)
            .first()
        )
        if taken:
            raise ValidationError(
                f"{supplier} is matched already to row {taken.row_number} "
                f"(“{taken.provider}”); reject one of the two."
            )
    else:
        entry.supplier = None
    entry.match = wanted
    entry.match_resolved_by = by
    entry.match_resolved_at = timezone.now()
    entry.save(update_fields=["supplier", "match", "match_resolved_by", "match_resolved_at"])
    verb = "confirmed" if confirm else "rejected"
    audit_log(
        actor=by,
        action=f"register_match_{verb}",
        target=snapshot,
        summary=f"Row {entry.row_number} “{entry.provider}” is {'' if confirm else 'not '}"
        f"{supplier}: match {verb}",
        data={"entry": entry.pk, "supplier": supplier.pk},
    )
    return entry


@transaction.atomic
def register_change_apply(*, snapshot, supplier, chapter, by):
    """Apply what the snapshot says about one chapter of one supplier.

    Returns the change made, or None when the record already agrees with the snapshot.
    """
    _require_latest(snapshot)
    if chapter not in register.CHAPTERS:
        raise ValidationError(f"“{chapter}” is not a chapter of the Code.")
    # Locking the supplier makes two clicks at once apply the change once.
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if supplier.is_archived:
        raise ValidationError(f"{supplier} is archived; restore it before changing it.")
    entries = list(snapshot.entries.filter(supplier=supplier))
    entry = next((e for e in entries if e.linked), None)
    if entry is None and entries:
        raise ValidationError(
            f"Confirm or reject the match of “{entries[0].provider}” with {supplier} first."
        )
    signature = Signature.objects.filter(supplier=supplier, chapter=chapter).first()
    change = register.chapter_change(
        entry.status if entry else None,
        tuple(entry.chapters) if entry else (),
        chapter,
        signature.status if signature else SignatureStatus.UNKNOWN,
    )
    if change is None:
        return None
    _record(supplier, chapter, signature, change, snapshot, entry, by)
    facts_changed(suppliers=[supplier], by=by, reason=f"Signature applied from the {snapshot}")
    return change


def _record(supplier, chapter, signature, change, snapshot, entry, by):
    if signature is None:
        signature = Signature(supplier=supplier, chapter=chapter, created_by=by)
    before = signature.get_status_display()
    signature.status = change.proposed
    if change.proposed == SignatureStatus.SIGNED:
        signature.signed_on = entry.signed_on
    elif change.proposed != SignatureStatus.WITHDRAWN:
        signature.signed_on = None  # a withdrawn chapter keeps the date it was signed
    signature.source_url = entry.source_url if entry else snapshot.source_url
    signature.verified_on = snapshot.taken_on
    signature.verified_by = by
    signature.updated_by = by
    signature.note = _note(change, snapshot, entry)
    signature.save()
    summary = (
        f"{change.label}: {signature.get_chapter_display()} {before} → "
        f"{signature.get_status_display()}, from the {snapshot}"
    )
    audit_log(
        actor=by,
        action="register_change_applied",
        target=supplier,
        summary=summary,
        data={
            "snapshot": snapshot.pk,
            "entry": entry.pk if entry else None,
            "chapter": chapter,
            "kind": change.kind,
            "from": change.current,
            "to": change.proposed,
        },
    )
    events.publish(events.SIGNATURE_CHANGED, target=signature, by=by)


def _note(change, snapshot, entry):
    where = f"the {snapshot} (snapshot #{snapshot.pk}, {snapshot.file_name}"
    if entry is None:
        return f"{change.label}: not listed in {where})."
    note = f"{change.label}: row {entry.row_number} “{entry.provider}” of {where})."
    if entry.status == register.DECLINED and entry.signed_on:
        note += f" Declined on {entry.signed_on:%-d %b %Y}."
    if entry.note:
        note += f" {entry.note}"
    return note


@transaction.atomic
def register_supplier_create(*, snapshot, entry, form, by):
    """Add a new signatory as a supplier, with the chapters the snapshot says it signed."""
    _require_latest(snapshot)
    entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.match not in (RegisterMatch.NONE, RegisterMatch.REJECTED):
        raise ValidationError(f"“{entry.provider}” is linked to a supplier already.")
    supplier = supplier_create(form=form, by=by)
    entry.supplier = supplier
    entry.match = RegisterMatch.CREATED
    entry.match_resolved_by = by
    entry.match_resolved_at = timezone.now()
    entry.save(update_fields=["supplier", "match", "match_resolved_by", "match_resolved_at"])
    signatures = {s.chapter: s for s in supplier.signatures.all()}
    for chapter in register.CHAPTERS:
        signature = signatures.get(chapter)
        change = register.chapter_change(
            entry.status,
            tuple(entry.chapters),
            chapter,
            signature.status if signature else SignatureStatus.UNKNOWN,
        )
        if change:
            change = dataclasses.replace(change, kind=register.ChangeKind.NEW_SIGNATORY)
            _record(supplier, chapter, signature, change, snapshot, entry, by)
    audit_log(
        actor=by,
        action="register_supplier_created",
        target=supplier,
        summary=f"Added from row {entry.row_number} of the {snapshot}",
        data={"snapshot": snapshot.pk, "entry": entry.pk},
    )
    return supplier
