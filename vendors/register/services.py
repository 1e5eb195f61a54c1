"""Writes for the signatory register: import a snapshot, settle matches, apply its changes.

Applying and undoing live in `applying`, applying all in `apply_all`; they are re-exported here.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import events
from core.audit import audit_log
from vendors import register
from vendors.models import (
    LINKED_MATCHES,
    RegisterEntry,
    RegisterMatch,
    RegisterSnapshot,
    Supplier,
)
from vendors.register import applying
from vendors.register.apply_all import (  # noqa: F401 (the register's services, in one place)
    register_changes_apply_all,
)
from vendors.register.applying import (  # noqa: F401 (the register's services, in one place)
    latest_snapshot,
    register_change_apply,
    register_change_undo,
    require_latest,
)
from vendors.services import supplier_create

_MATCH_FOR_CERTAINTY = {
    register.CERTAIN: RegisterMatch.MATCHED,
    register.UNCERTAIN: RegisterMatch.UNCERTAIN,
    register.NO_MATCH: RegisterMatch.NONE,
}


@transaction.atomic
def register_import(*, data, filename, taken_on, source_url, by):
    """Store a register file as a dated snapshot, every row matched to a supplier if possible.

    The whole file is checked before anything is written; a bad file raises
    ValidationError with every problem and leaves no trace.
    """
    rows = register.parse_register(data, filename=filename, as_of=taken_on, source_url=source_url)
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
    require_latest(snapshot)
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
def register_supplier_create(*, snapshot, entry, form, by):
    """Add a new signatory as a supplier, with the chapters the snapshot says it signed."""
    require_latest(snapshot)
    entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.match not in (RegisterMatch.NONE, RegisterMatch.REJECTED):
        raise ValidationError(f"“{entry.provider}” is linked to a supplier already.")
    supplier = supplier_create(form=form, by=by)
    entry.supplier = supplier
    entry.match = RegisterMatch.CREATED
    entry.match_resolved_by = by
    entry.match_resolved_at = timezone.now()
    entry.save(update_fields=["supplier", "match", "match_resolved_by", "match_resolved_at"])
    for chapter in register.CHAPTERS:
        applying.register_change_apply(
            snapshot=snapshot,
            supplier=supplier,
            chapter=chapter,
            by=by,
            kind=register.ChangeKind.NEW_SIGNATORY,
        )
    audit_log(
        actor=by,
        action="register_supplier_created",
        target=supplier,
        summary=f"Added from row {entry.row_number} of the {snapshot}",
        data={"snapshot": snapshot.pk, "entry": entry.pk},
    )
    return supplier
