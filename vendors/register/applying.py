"""Applying a register snapshot to the recorded signatures: one change, all of them, or undo.

A change is worked out again from the record as it is when it is applied, so applying is
idempotent and a record that became newer than the list in the meantime is left alone. Every
applied change is kept with the values before and after (`RegisterChange`); it can be undone
while the signature still holds the values it set, that is while nothing newer was recorded.
"""

import dataclasses
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core import events
from core.audit import audit_log, audit_log_many
from core.fact_changes import facts_changed
from vendors import register
from vendors.models import (
    Chapter,
    RegisterChange,
    RegisterSnapshot,
    Signature,
    SignatureStatus,
    Supplier,
)
from vendors.summaries import signature_summaries_refresh

# The fields a change from the list sets, and that undo restores.
FIELDS = ("status", "signed_on", "source_url", "verified_on", "verified_by", "note", "from_list")
_DATES = ("signed_on", "verified_on")
_IDS = ("verified_by", "from_list")
BATCH = 500  # rows a statement when writing many changes at once


def latest_snapshot():
    return RegisterSnapshot.objects.order_by("-taken_on", "-id").first()


def require_latest(snapshot):
    latest = latest_snapshot()
    if latest is not None and latest.pk != snapshot.pk:
        raise ValidationError(
            f"The {latest} is newer than this one; review and apply changes there, so an "
            "older list does not undo a newer one."
        )


def signature_values(signature):
    """The values of FIELDS as JSON: dates as ISO text, users and snapshots as ids."""
    if signature is None:
        signature = Signature()
    values = {}
    for name in FIELDS:
        if name in _IDS:
            values[name] = getattr(signature, f"{name}_id")
        elif name in _DATES:
            value = getattr(signature, name)
            values[name] = value.isoformat() if value else None
        else:
            values[name] = getattr(signature, name)
    return values


def recorded(signature):
    """The `register.Recorded` of a signature (from_list loaded with it)."""
    if signature is None:
        return register.Recorded()
    return register.Recorded(
        signature.status,
        signature.verified_on,
        signature.from_list.taken_on if signature.from_list_id else None,
    )


@dataclass
class Plan:
    """One change to apply: the signature (None if none yet), the change, before and after."""

    supplier: Supplier
    chapter: str
    signature: Signature | None
    change: register.Change
    entry: object
    before: dict
    after: dict

    @property
    def chapter_label(self):
        return Chapter(self.chapter).label

    def rows(self):
        """(label, before, after) for the fields the change sets, for a person to compare."""
        labels = {
            "status": "Status",
            "signed_on": "Date signed",
            "source_url": "Source",
            "verified_on": "Date verified",
            "note": "Note",
        }
        status_labels = dict(SignatureStatus.choices)
        out = []
        for name, label in labels.items():
            old, new = self.before[name], self.after[name]
            if name == "status":
                old, new = status_labels[old], status_labels[new]
            out.append((label, old or "—", new or "—", old != new))
        return out

    @property
    def key(self):
        c = self.change
        return f"{self.supplier.pk}:{self.chapter}:{c.kind}:{c.current}:{c.proposed}"


@dataclass
class Records:
    """What planning reads about the suppliers, loaded once however many there are: the
    snapshot's entries by supplier id, the signatures by (supplier id, chapter), and the
    (supplier id, chapter) pairs whose "check: not in the list" was noted already."""

    entries: dict
    signatures: dict
    noted: set


def load_records(snapshot, suppliers):
    """The `Records` of `suppliers` (a list or a queryset): three queries."""
    entries = {}
    for entry in snapshot.entries.filter(supplier__in=suppliers):
        entries.setdefault(entry.supplier_id, []).append(entry)
    signatures = {
        (signature.supplier_id, signature.chapter): signature
        for signature in Signature.objects.select_related("from_list").filter(
            supplier__in=suppliers
        )
    }
    noted = set(
        RegisterChange.objects.filter(
            snapshot=snapshot,
            supplier__in=suppliers,
            kind=register.ChangeKind.CHECK_NOT_IN_LIST,
            undone_at=None,
        ).values_list("supplier_id", "chapter")
    )
    return Records(entries, signatures, noted)


def _entry_for(records, supplier):
    entries = records.entries.get(supplier.pk, [])
    entry = next((e for e in entries if e.linked), None)
    if entry is None and entries:
        raise ValidationError(
            f"Confirm or reject the match of “{entries[0].provider}” with {supplier} first."
        )
    return entry


def _note(change, snapshot, entry):
    where = f"the {snapshot} (snapshot #{snapshot.pk}, {snapshot.file_name}"
    if change.note_only:
        return (
            f"Check: not in the {snapshot}, while recorded as {change.current_label.lower()} "
            "from another source. Look at the source again."
        )
    if entry is None:
        return f"{change.label}: not listed in {where})."
    note = f"{change.label}: row {entry.row_number} “{entry.provider}” of {where})."
    if entry.status == register.DECLINED and entry.signed_on:
        note += f" Declined on {entry.signed_on:%-d %b %Y}."
    if entry.note:
        note += f" {entry.note}"
    return note


def _after(before, change, snapshot, entry, by):
    after = dict(before)
    note = _note(change, snapshot, entry)
    if change.note_only:
        after["note"] = f"{before['note']}\n{note}".strip() if before["note"] else note
        return after
    after["status"] = change.proposed
    if change.proposed == SignatureStatus.SIGNED:
        signed_on = entry.signed_on if entry else None
        after["signed_on"] = signed_on.isoformat() if signed_on else before["signed_on"]
    elif change.proposed != SignatureStatus.WITHDRAWN:
        after["signed_on"] = None  # a withdrawn chapter keeps the date it was signed
    after["source_url"] = entry.source_url if entry else snapshot.source_url
    after["verified_on"] = snapshot.taken_on.isoformat()
    after["verified_by"] = by.pk
    after["note"] = note
    after["from_list"] = snapshot.pk
    return after


def plan_change(*, snapshot, supplier, chapter, by, kind=None, records=None):
    """The change the snapshot makes to one chapter now, or None when there is none to apply.
    `kind` replaces the change's kind (a new signatory). `records` holds what is read about
    the supplier (`load_records`); without it, it is read for this supplier alone."""
    if chapter not in register.CHAPTERS:
        raise ValidationError(f"“{chapter}” is not a chapter of the Code.")
    if records is None:
        records = load_records(snapshot, [supplier])
    entry = _entry_for(records, supplier)
    signature = records.signatures.get((supplier.pk, chapter))
    change = register.chapter_change(
        entry.status if entry else None,
        tuple(entry.chapters) if entry else (),
        chapter,
        recorded(signature),
        list_date=snapshot.taken_on,
    )
    if change is None or not change.applicable:
        return None
    if change.note_only and (supplier.pk, chapter) in records.noted:
        return None
    if kind:
        change = dataclasses.replace(change, kind=kind)
    before = signature_values(signature)
    after = _after(before, change, snapshot, entry, by)
    return Plan(supplier, chapter, signature, change, entry, before, after)


def _signature(plan, by):
    """The plan's signature (a new one if there is none yet) with the values after."""
    signature = plan.signature or Signature(
        supplier=plan.supplier, chapter=plan.chapter, created_by=by
    )
    _set_values(signature, plan.after)
    signature.updated_by = by
    return signature


def _applied(plan, snapshot, by):
    """The record of the applied change, not saved yet."""
    change = plan.change
    return RegisterChange(
        snapshot=snapshot,
        supplier=plan.supplier,
        chapter=plan.chapter,
        kind=change.kind,
        before=plan.before,
        after=plan.after,
        applied_by=by,
    )


def audit_entry(plan, snapshot, applied):
    """(target, summary, data) of the audit entry of an applied change."""
    change = plan.change
    chapter = Chapter(plan.chapter).label
    if change.note_only:
        summary = f"{change.label}: {chapter} noted, from the {snapshot}"
    else:
        summary = (
            f"{change.label}: {chapter} {change.current_label} → "
            f"{change.proposed_label}, from the {snapshot}"
        )
    data = {
        "snapshot": snapshot.pk,
        "entry": plan.entry.pk if plan.entry else None,
        "chapter": plan.chapter,
        "kind": change.kind,
        "from": change.current,
        "to": change.proposed,
        "change": applied.pk,
    }
    return plan.supplier, summary, data


def _write(plan, snapshot, by):
    signature = _signature(plan, by)
    signature.save()
    signature_summaries_refresh(suppliers=[signature.supplier_id])
    applied = _applied(plan, snapshot, by)
    applied.save()
    target, summary, data = audit_entry(plan, snapshot, applied)
    audit_log(actor=by, action="register_change_applied", target=target, summary=summary, data=data)
    events.publish(events.SIGNATURE_CHANGED, target=signature, by=by)
    return applied


def write_all(plans, snapshot, by):
    """`_write` for many plans at once: the signatures, their history, the applied changes and
    their audit entries are each written in a few statements, and the webhooks' endpoints are
    looked up once."""
    signatures = [_signature(plan, by) for plan in plans]
    now = timezone.now()
    pairs = list(zip(signatures, plans, strict=True))
    known = [(signature, plan) for signature, plan in pairs if signature.pk is not None]
    new = [signature for signature in signatures if signature.pk is None]
    bulk_create_with_history(new, Signature, batch_size=BATCH, default_user=by)
    for signature, _ in known:
        signature.updated_at = now
    _update_all(known, by, now)
    Signature.history.bulk_history_create(
        [signature for signature, _ in known],
        batch_size=BATCH,
        update=True,
        default_user=by,
        default_date=now,
    )
    signature_summaries_refresh(suppliers=[signature.supplier_id for signature in signatures])
    applied = RegisterChange.objects.bulk_create(
        [_applied(plan, snapshot, by) for plan in plans], batch_size=BATCH
    )
    audit_log_many(
        actor=by,
        action="register_change_applied",
        entries=[
            audit_entry(plan, snapshot, change) for plan, change in zip(plans, applied, strict=True)
        ],
    )
    events.publish_many(events.SIGNATURE_CHANGED, targets=signatures, by=by)
    return applied


def _update_all(pairs, by, now):
    """Write the new values of existing signatures: one UPDATE for each set of values shared
    by many (most changes from a list set the same status, source, date and note), in batches.
    Django's bulk_update writes a CASE for every row, which PostgreSQL takes seconds over."""
    groups = {}
    for signature, plan in pairs:
        changed = tuple(name for name in FIELDS if plan.after[name] != plan.before[name])
        values = tuple(getattr(signature, _attname(name)) for name in changed)
        groups.setdefault((changed, values), []).append(signature.pk)
    for (changed, values), ids in groups.items():
        update = {_attname(name): value for name, value in zip(changed, values, strict=True)}
        for start in range(0, len(ids), BATCH):
            Signature.objects.filter(pk__in=ids[start : start + BATCH]).update(
                **update, updated_by=by, updated_at=now
            )


def _attname(name):
    return f"{name}_id" if name in _IDS else name


def _set_values(signature, values):
    for name in FIELDS:
        value = values[name]
        if name in _IDS:
            setattr(signature, f"{name}_id", value)
        elif name in _DATES:
            setattr(signature, name, value and datetime.date.fromisoformat(value))
        else:
            setattr(signature, name, value)


def _lock(supplier):
    # Locking the supplier makes two clicks at once apply the change once.
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if supplier.is_archived:
        raise ValidationError(f"{supplier} is archived; restore it before changing it.")
    return supplier


@transaction.atomic
def register_change_apply(*, snapshot, supplier, chapter, by, expected=None, kind=None):
    """Apply what the snapshot says about one chapter of one supplier.

    Returns the change made, or None when there is nothing to apply (the record agrees with
    the list or is newer). `expected` is the plan's key as the person confirmed it: when the
    change is another one now, nothing is applied.
    """
    require_latest(snapshot)
    supplier = _lock(supplier)
    plan = plan_change(snapshot=snapshot, supplier=supplier, chapter=chapter, by=by, kind=kind)
    if plan is None:
        return None
    if expected is not None and plan.key != expected:
        raise ValidationError(
            f"{supplier} – {plan.chapter_label} changed since you looked at it; "
            "check the change again before applying it."
        )
    _write(plan, snapshot, by)
    if not plan.change.note_only:
        facts_changed(suppliers=[supplier], by=by, reason=f"Signature applied from the {snapshot}")
    return plan.change


def undoable(applied, signature):
    """True while the signature still holds what the change set (nothing newer since)."""
    return applied.undone_at is None and signature_values(signature) == applied.after


@transaction.atomic
def register_change_undo(*, applied, by):
    """Undo an applied change: a new change that restores the values before, audited."""
    _lock(applied.supplier)
    applied = RegisterChange.objects.select_for_update().get(pk=applied.pk)
    if applied.undone_at is not None:
        raise ValidationError("This change was undone already.")
    signature = Signature.objects.filter(supplier=applied.supplier, chapter=applied.chapter).first()
    if not undoable(applied, signature):
        raise ValidationError(
            f"{applied.supplier} – {applied.get_chapter_display()} was changed after this "
            "change was applied; undoing it would lose the newer record. Edit the signature "
            "instead."
        )
    _set_values(signature, applied.before)
    signature.updated_by = by
    signature.save()
    signature_summaries_refresh(suppliers=[signature.supplier_id])
    applied.undone_at = timezone.now()
    applied.undone_by = by
    applied.save(update_fields=["undone_at", "undone_by"])
    status_labels = dict(SignatureStatus.choices)
    audit_log(
        actor=by,
        action="register_change_undone",
        target=applied.supplier,
        summary=(
            f"Undone: {signature.get_chapter_display()} "
            f"{status_labels[applied.after['status']]} → "
            f"{status_labels[applied.before['status']]}, applied from the {applied.snapshot}"
        ),
        data={"change": applied.pk, "restored": applied.before},
    )
    events.publish(events.SIGNATURE_CHANGED, target=signature, by=by)
    facts_changed(suppliers=[applied.supplier], by=by, reason="Signature change undone")
    return applied
