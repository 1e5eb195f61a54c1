"""What a register would change in the signatures the app has recorded."""

import datetime
from dataclasses import dataclass

from vendors.register.parsing import CHAPTERS, SIGNED

# What the register would change -----------------------------------------------------------


class ChangeKind:
    NEW_SIGNATORY = "new_signatory"
    CHAPTER_SIGNED = "chapter_signed"
    CHAPTER_WITHDRAWN = "chapter_withdrawn"
    CHAPTER_NOT_SIGNED = "chapter_not_signed"
    DECLINED = "declined"
    NOT_IN_LIST = "not_in_list"
    # Not proposals to change the status:
    CHECK_NOT_IN_LIST = "check_not_in_list"  # applying it records a note only
    NEWER_SOURCE = "newer_source"  # the record is newer than the list; nothing to apply

    LABELS = {
        NEW_SIGNATORY: "New signatory",
        CHAPTER_SIGNED: "Chapter added",
        CHAPTER_WITHDRAWN: "Chapter withdrawn",
        CHAPTER_NOT_SIGNED: "Chapter not signed",
        DECLINED: "Declined",
        NOT_IN_LIST: "Supplier not in the list",
        CHECK_NOT_IN_LIST: "Check: not in the list",
        NEWER_SOURCE: "Recorded from a newer source",
    }


# Signature statuses, as vendors.models.SignatureStatus stores them.
STATUS_SIGNED = "signed"
STATUS_NOT_SIGNED = "not_signed"
STATUS_DECLINED = "declined"
STATUS_WITHDRAWN = "withdrawn"
STATUS_UNKNOWN = "unknown"
STATUS_LABELS = {
    STATUS_SIGNED: "Signed",
    STATUS_NOT_SIGNED: "Not signed",
    STATUS_DECLINED: "Declined",
    STATUS_WITHDRAWN: "Withdrawn",
    STATUS_UNKNOWN: "Unknown",
}
CHAPTER_LABELS = {
    "transparency": "Transparency",
    "copyright": "Copyright",
    "safety_security": "Safety and Security",
}


@dataclass(frozen=True)
class Recorded:
    """What is recorded for one chapter, as far as the list's rules need it."""

    status: str = STATUS_UNKNOWN
    verified_on: datetime.date | None = None
    # The date of the list the status was applied from; None when a person recorded it.
    list_date: datetime.date | None = None


@dataclass(frozen=True)
class Change:
    kind: str
    chapter: str
    current: str  # the status recorded now
    proposed: str  # the status the register gives

    @property
    def applicable(self):
        """False when the record is newer than the list: shown, never applied."""
        return self.kind != ChangeKind.NEWER_SOURCE

    @property
    def note_only(self):
        """Applying it records a note and leaves the status as it is."""
        return self.kind == ChangeKind.CHECK_NOT_IN_LIST

    @property
    def label(self):
        return ChangeKind.LABELS[self.kind]

    @property
    def chapter_label(self):
        return CHAPTER_LABELS[self.chapter]

    @property
    def current_label(self):
        return STATUS_LABELS[self.current]

    @property
    def proposed_label(self):
        return STATUS_LABELS[self.proposed]


def _from_absence(chapter, current, kind):
    """A chapter the register does not list for a provider (or a provider it does not list)."""
    if current == STATUS_SIGNED:
        return Change(kind or ChangeKind.CHAPTER_WITHDRAWN, chapter, current, STATUS_WITHDRAWN)
    if current == STATUS_UNKNOWN:
        return Change(kind or ChangeKind.CHAPTER_NOT_SIGNED, chapter, current, STATUS_NOT_SIGNED)
    return None  # not signed, declined or withdrawn already say what the absence says


def _status_change(row_status, row_chapters, chapter, current):
    if row_status is None:
        return _from_absence(chapter, current, ChangeKind.NOT_IN_LIST)
    if chapter in row_chapters:
        proposed = STATUS_SIGNED if row_status == SIGNED else STATUS_DECLINED
        if current == proposed:
            return None
        kind = ChangeKind.CHAPTER_SIGNED if row_status == SIGNED else ChangeKind.DECLINED
        return Change(kind, chapter, current, proposed)
    if row_status == SIGNED:
        return _from_absence(chapter, current, None)
    return None  # a decline of some chapters says nothing about the others


def is_newer_than_list(recorded, list_date):
    """True when the record must not be overwritten by a list of `list_date`: it was verified
    after the list's date, or on that date from another source."""
    if list_date is None or recorded.verified_on is None:
        return False
    if recorded.verified_on > list_date:
        return True
    return recorded.verified_on == list_date and recorded.list_date != list_date


def chapter_change(row_status, row_chapters, chapter, current, *, list_date=None):
    """The change one register row makes to one recorded chapter, or None.

    `row_status` None means the provider is not in the register at all. `current` is a
    `Recorded` (a plain status reads as recorded by a person, never verified); `list_date` is
    the date of the list. The list only ever improves the record:
    - a record verified after the list, or on its date from another source, is kept and the
      change comes back as NEWER_SOURCE, to show and not to apply;
    - a chapter missing from the list is withdrawn only when its "signed" came from an earlier
      list; when a person recorded it, the change is CHECK_NOT_IN_LIST, a note to look again.
    """
    if not isinstance(current, Recorded):
        current = Recorded(current or STATUS_UNKNOWN)
    status = current.status or STATUS_UNKNOWN
    change = _status_change(row_status, row_chapters, chapter, status)
    if change is None:
        return None
    if is_newer_than_list(current, list_date):
        return Change(ChangeKind.NEWER_SOURCE, chapter, status, change.proposed)
    if change.proposed == STATUS_WITHDRAWN and current.list_date is None:
        return Change(ChangeKind.CHECK_NOT_IN_LIST, chapter, status, status)
    return change


def supplier_changes(row_status, row_chapters, recorded, *, list_date=None):
    """The changes for every chapter of one supplier; `recorded` maps chapter to a status or
    a `Recorded`."""
    changes = (
        chapter_change(
            row_status, row_chapters, chapter, recorded.get(chapter), list_date=list_date
        )
        for chapter in CHAPTERS
    )
    return [change for change in changes if change is not None]


@dataclass
class Review:
    pending: list  # entries whose supplier awaits a person's confirmation
    new_signatories: list  # entries that name no supplier
    changes: list  # (entry, supplier, [Change]) for suppliers in the register
    not_in_list: list  # (supplier, [Change]) for suppliers the register does not name
    in_line: list  # suppliers whose record already agrees with the register
    newer_source: list = None  # (supplier, [Change]) kept: recorded after the list

    @property
    def change_count(self):
        """The changes to apply. `not_in_list` may be a sequence that counts its changes
        without reading its suppliers (`change_count`)."""
        missing = getattr(self.not_in_list, "change_count", None)
        if missing is None:
            missing = sum(len(c) for _, c in self.not_in_list)
        return sum(len(c) for *_, c in self.changes) + missing


def _split(found, supplier, checked):
    """(changes to apply, changes kept because the record is newer)."""
    to_apply, kept = [], []
    for change in found:
        if not change.applicable:
            kept.append(change)
        elif not (change.note_only and (supplier.id, change.chapter) in checked):
            to_apply.append(change)
    return to_apply, kept


def review(entries, suppliers, *, list_date=None, checked=frozenset()):
    """Compare register entries with the recorded suppliers.

    An entry has `status`, `chapters`, `supplier_id` and `linked` (True when its supplier is
    settled, False while a person has to confirm it); a supplier has `id` and `recorded`
    (chapter -> Recorded) or `statuses` (chapter -> status). Suppliers with a match awaiting
    confirmation are left out of "not in the list" until someone decides. `checked` holds
    (supplier id, chapter) pairs whose "check: not in the list" was noted already.
    """
    by_id = {supplier.id: supplier for supplier in suppliers}
    pending = [e for e in entries if e.supplier_id is not None and not e.linked]
    linked = [e for e in entries if e.supplier_id is not None and e.linked]
    new_signatories = [e for e in entries if e.supplier_id is None and e.status == SIGNED]
    changes, in_line, newer_source = [], [], []

    def sort(supplier, found, to_list):
        to_apply, kept = _split(found, supplier, checked)
        if kept:
            newer_source.append((supplier, kept))
        if to_apply:
            to_list(to_apply)
        elif not kept:
            in_line.append(supplier)

    for entry in linked:
        supplier = by_id.get(entry.supplier_id)
        if supplier is None:  # archived since the import
            continue
        found = supplier_changes(
            entry.status, entry.chapters, _recorded(supplier), list_date=list_date
        )
        sort(supplier, found, lambda c, e=entry, s=supplier: changes.append((e, s, c)))
    named = {e.supplier_id for e in entries if e.supplier_id is not None}
    not_in_list = []
    for supplier in suppliers:
        if supplier.id in named:
            continue
        found = supplier_changes(None, (), _recorded(supplier), list_date=list_date)
        sort(supplier, found, lambda c, s=supplier: not_in_list.append((s, c)))
    return Review(pending, new_signatories, changes, not_in_list, in_line, newer_source)


def _recorded(supplier):
    recorded = getattr(supplier, "recorded", None)
    if recorded is not None:
        return recorded
    return {chapter: Recorded(status) for chapter, status in supplier.statuses.items()}
