"""What a register would change in the signatures the app has recorded."""

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

    LABELS = {
        NEW_SIGNATORY: "New signatory",
        CHAPTER_SIGNED: "Chapter added",
        CHAPTER_WITHDRAWN: "Chapter withdrawn",
        CHAPTER_NOT_SIGNED: "Chapter not signed",
        DECLINED: "Declined",
        NOT_IN_LIST: "Supplier not in the list",
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
class Change:
    kind: str
    chapter: str
    current: str  # the status recorded now
    proposed: str  # the status the register gives

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


def chapter_change(row_status, row_chapters, chapter, current):
    """The change one register row makes to one recorded chapter, or None.

    `row_status` None means the provider is not in the register at all.
    """
    current = current or STATUS_UNKNOWN
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


def supplier_changes(row_status, row_chapters, recorded):
    """The changes for every chapter of one supplier; `recorded` maps chapter to status."""
    changes = (
        chapter_change(row_status, row_chapters, chapter, recorded.get(chapter))
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


def review(entries, suppliers):
    """Compare register entries with the recorded suppliers.

    An entry has `status`, `chapters`, `supplier_id` and `linked` (True when its supplier is
    settled, False while a person has to confirm it); a supplier has `id` and `statuses`
    (chapter -> status). Suppliers with a match awaiting confirmation are left out of
    "not in the list" until someone decides.
    """
    by_id = {supplier.id: supplier for supplier in suppliers}
    pending = [e for e in entries if e.supplier_id is not None and not e.linked]
    linked = [e for e in entries if e.supplier_id is not None and e.linked]
    new_signatories = [e for e in entries if e.supplier_id is None and e.status == SIGNED]
    changes, in_line = [], []
    for entry in linked:
        supplier = by_id.get(entry.supplier_id)
        if supplier is None:  # archived since the import
            continue
        found = supplier_changes(entry.status, entry.chapters, supplier.statuses)
        if found:
            changes.append((entry, supplier, found))
        else:
            in_line.append(supplier)
    named = {e.supplier_id for e in entries if e.supplier_id is not None}
    not_in_list = []
    for supplier in suppliers:
        if supplier.id in named:
            continue
        found = supplier_changes(None, (), supplier.statuses)
        if found:
            not_in_list.append((supplier, found))
        else:
            in_line.append(supplier)
    return Review(pending, new_signatories, changes, not_in_list, in_line)
