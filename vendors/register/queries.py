"""The querysets that the signatory register's pages read."""

import hashlib
from array import array

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Lower

from vendors import register
from vendors.models import RegisterChange, RegisterMatch, RegisterSnapshot, Signature, Supplier
from vendors.register import applying
from vendors.register.applying import undoable


def register_snapshots():
    """Snapshots, newest list first, with how many rows each has and how many await a person."""
    return (
        RegisterSnapshot.objects.select_related("imported_by")
        .annotate(
            entry_count=Count("entries"),
            pending_count=Count("entries", filter=Q(entries__match=RegisterMatch.UNCERTAIN)),
        )
        .order_by("-taken_on", "-id")
    )


def _signatures_by_supplier(supplier_ids):
    by_supplier = {}
    for signature in (
        Signature.objects.filter(supplier__in=supplier_ids)
        .select_related("from_list")
        .defer("from_list__source_url", "from_list__file_name", "from_list__file_sha256")
    ):
        by_supplier.setdefault(signature.supplier_id, []).append(signature)
    return by_supplier


def _with_recorded(suppliers, by_supplier):
    """Give each supplier `signature_by_chapter`, `statuses` and `recorded` (chapter ->
    Recorded), as `vendors.register.review` reads them."""
    for supplier in suppliers:
        signatures = by_supplier.get(supplier.id, [])
        supplier.signature_by_chapter = {s.chapter: s for s in signatures}
        supplier.statuses = {s.chapter: s.status for s in signatures}
        supplier.recorded = {
            s.chapter: register.Recorded(
                s.status, s.verified_on, s.from_list.taken_on if s.from_list_id else None
            )
            for s in signatures
        }
    return suppliers


def _suppliers(ids):
    """Active suppliers by id (all of them for None), with what the register's pages show."""
    suppliers = Supplier.objects.active().only("id", "name", "legal_name", "country")
    return suppliers if ids is None else suppliers.filter(pk__in=ids)


def register_review(snapshot):
    """The snapshot's entries and its `vendors.register.Review`, compared with what is
    recorded now, in a fixed number of queries however many suppliers there are.

    The suppliers the list names (at most one per row) are compared in Python, by
    `register.review`. The others, every active supplier the list does not name, are compared
    by one query (`_unlisted_outcomes`) that gives each chapter's outcome as a number; their
    sections are sequences that read the suppliers of the page shown, and no more.
    """
    entries = list(snapshot.entries.select_related("supplier").order_by("row_number"))
    named = {entry.supplier_id for entry in entries if entry.supplier_id is not None}
    suppliers = _with_recorded(list(_suppliers(named)), _signatures_by_supplier(named))
    checked = set(
        snapshot.applied_changes.filter(
            supplier__in=named, kind=register.ChangeKind.CHECK_NOT_IN_LIST, undone_at=None
        ).values_list("supplier_id", "chapter")
    )
    review = register.review(entries, suppliers, list_date=snapshot.taken_on, checked=checked)
    unlisted = Unlisted.sections(_unlisted_outcomes(snapshot))
    review.not_in_list = unlisted[Unlisted.TO_APPLY]
    review.newer_source = Chained(review.newer_source, unlisted[Unlisted.KEPT])
    review.in_line = Chained(review.in_line, unlisted[Unlisted.IN_LINE])
    return entries, review


# The outcome of one chapter of a supplier the list does not name, as `register.chapter_change`
# decides it with no row: (kind, recorded status, status the list gives), or None for none.
_NO_CHANGE = 0
_OUTCOMES = {
    _NO_CHANGE: None,
    1: (register.ChangeKind.NOT_IN_LIST, register.STATUS_SIGNED, register.STATUS_WITHDRAWN),
    2: (register.ChangeKind.NOT_IN_LIST, register.STATUS_UNKNOWN, register.STATUS_NOT_SIGNED),
    3: (register.ChangeKind.CHECK_NOT_IN_LIST, register.STATUS_SIGNED, register.STATUS_SIGNED),
    4: (register.ChangeKind.NEWER_SOURCE, register.STATUS_SIGNED, register.STATUS_WITHDRAWN),
    5: (register.ChangeKind.NEWER_SOURCE, register.STATUS_UNKNOWN, register.STATUS_NOT_SIGNED),
}
_TO_APPLY = {1, 2, 3}
_KEPT = {4, 5}  # the record is newer than the list: shown, never applied


def _chapter_outcome(snapshot, chapter):
    """The number in `_OUTCOMES` for `chapter`, as SQL: the rules of `register.chapter_change`
    for a provider the list does not name. tests/vendors/test_register_review.py checks that
    both agree on every combination of status, dates, source and notes."""
    prefix = f"signature_{chapter}__"
    listed_on = snapshot.taken_on

    def signature(**lookups):
        return Q(**{prefix + name: value for name, value in lookups.items()})

    signed = signature(status=register.STATUS_SIGNED)
    unknown = signature(status__in=[register.STATUS_UNKNOWN, ""]) | signature(status__isnull=True)
    # Verified on the list's date from that day's list: not newer than the list.
    from_this_list = signature(
        verified_on=listed_on,
        from_list__in=RegisterSnapshot.objects.filter(taken_on=listed_on).values("pk"),
    )
    # Otherwise verified on or after the list's date: newer (register.is_newer_than_list).
    newer = signature(verified_on__gte=listed_on)
    noted = Exists(
        RegisterChange.objects.filter(
            snapshot=snapshot,
            supplier=OuterRef("pk"),
            chapter=chapter,
            kind=register.ChangeKind.CHECK_NOT_IN_LIST,
            undone_at=None,
        )
    )
    by_hand = signature(from_list__isnull=True)
    return Case(
        When(signed & from_this_list, then=Value(1)),
        When(signed & newer, then=Value(4)),
        When(signed & by_hand & noted, then=Value(_NO_CHANGE)),
        When(signed & by_hand, then=Value(3)),
        When(signed, then=Value(1)),
        When(unknown & from_this_list, then=Value(2)),
        When(unknown & newer, then=Value(5)),
        When(unknown, then=Value(2)),
        default=Value(_NO_CHANGE),
        output_field=IntegerField(),
    )


def _unlisted_outcomes(snapshot):
    """(supplier id, code) for every active supplier that no row of the snapshot names, in the
    suppliers' order; the code holds the outcome of each chapter (`_outcomes`). One query, read
    as plain rows: there is one for every supplier."""
    chapters = register.CHAPTERS
    named = snapshot.entries.filter(supplier__isnull=False).values("supplier")
    code = sum(
        (
            F(f"outcome_{chapter}") * len(_OUTCOMES) ** place
            for place, chapter in enumerate(chapters)
        ),
        Value(0),
    )
    queryset = (
        Supplier.objects.active()
        .exclude(pk__in=named)
        .annotate(
            **{
                f"signature_{chapter}": FilteredRelation(
                    "signatures", condition=Q(signatures__chapter=chapter)
                )
                for chapter in chapters
            }
        )
        .annotate(
            **{f"outcome_{chapter}": _chapter_outcome(snapshot, chapter) for chapter in chapters}
        )
        .annotate(code=ExpressionWrapper(code, output_field=IntegerField()))
        .order_by(Lower("name"), "pk")
        .values_list("pk", "code")
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _outcomes(code):
    """The outcome of each chapter, in `register.CHAPTERS` order, from a supplier's code."""
    base = len(_OUTCOMES)
    return tuple(code // base**place % base for place in range(len(register.CHAPTERS)))


class _Code:
    """What one code means, worked out once for every code there can be."""

    def __init__(self, code):
        outcomes = _outcomes(code)
        pairs = list(zip(register.CHAPTERS, outcomes, strict=True))
        self.changes = {
            section: [
                register.Change(_OUTCOMES[o][0], chapter, *_OUTCOMES[o][1:])
                for chapter, o in pairs
                if o in wanted
            ]
            for section, wanted in ((Unlisted.TO_APPLY, _TO_APPLY), (Unlisted.KEPT, _KEPT))
        }
        self.keys = {
            section: [
                f":{c.chapter}:{c.kind}:{c.current}:{c.proposed}" for c in self.changes[section]
            ]
            for section in self.changes
        }
        # The code with only the outcomes to apply: what applying all depends on.
        self.applied_code = sum(
            (o if o in _TO_APPLY else 0) * len(_OUTCOMES) ** place
            for place, o in enumerate(outcomes)
        )
        self.to_apply = bool(self.changes[Unlisted.TO_APPLY])
        self.kept = bool(self.changes[Unlisted.KEPT])


class Unlisted:
    """One section of the suppliers the list does not name, as a sequence a paginator pages
    through: its length, change count and keys come from the codes alone, and a slice reads
    the suppliers in it (one query)."""

    TO_APPLY = "to_apply"  # (supplier, [Change]) to apply
    KEPT = "kept"  # (supplier, [Change]) kept: the record is newer than the list
    IN_LINE = "in_line"  # supplier

    def __init__(self, rows, section):
        self.section = section
        self.rows = rows

    @classmethod
    def sections(cls, rows):
        """The three sections of (supplier id, code) rows, sorted in one pass."""
        to_apply, kept, in_line = [], [], []
        for row in rows:
            meaning = _CODES[row[1]]
            if meaning.to_apply:
                to_apply.append(row)
            if meaning.kept:
                kept.append(row)
            if not (meaning.to_apply or meaning.kept):
                in_line.append(row)
        return {
            cls.TO_APPLY: cls(to_apply, cls.TO_APPLY),
            cls.KEPT: cls(kept, cls.KEPT),
            cls.IN_LINE: cls(in_line, cls.IN_LINE),
        }

    def __len__(self):
        return len(self.rows)

    @property
    def change_count(self):
        return sum(len(_CODES[code].changes[self.section]) for _, code in self.rows)

    def keys(self):
        """The key of every change ("supplier:chapter:kind:recorded:proposed", as
        `applying.Plan.key`), without reading the suppliers."""
        for supplier_id, code in self.rows:
            for key in _CODES[code].keys[self.section]:
                yield f"{supplier_id}{key}"

    def changes_at(self, start, stop):
        """(supplier id, chapter) of the changes from `start` to `stop`, counted over all rows."""
        found, position = [], 0
        for supplier_id, code in self.rows:
            changes = _CODES[code].changes[self.section]
            if position + len(changes) > start:
                found += [
                    (supplier_id, change.chapter)
                    for offset, change in enumerate(changes, position)
                    if start <= offset < stop
                ]
            position += len(changes)
            if position >= stop:
                break
        return found

    def digest(self):
        """A hash of the changes to apply, from the rows alone."""
        values = array("q")
        for supplier_id, code in self.rows:
            values.append(supplier_id)
            values.append(_CODES[code].applied_code)
        return hashlib.sha256(values).hexdigest()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return list(self)[index]
        rows = self.rows[index]
        ids = [supplier_id for supplier_id, _ in rows]
        # A long slice (applying all) reads the active suppliers rather than list their ids.
        suppliers = _suppliers(ids) if len(ids) <= 1000 else _suppliers(None)
        by_id = {s.id: s for s in suppliers}
        items = []
        for supplier_id, code in rows:
            supplier = by_id.get(supplier_id)
            if supplier is None:  # archived since the codes were read
                continue
            if self.section == self.IN_LINE:
                items.append(supplier)
            else:
                items.append((supplier, list(_CODES[code].changes[self.section])))
        return items

    def __iter__(self):
        return iter(self[0 : len(self)])


_CODES = {code: _Code(code) for code in range(len(_OUTCOMES) ** len(register.CHAPTERS))}


class Chained:
    """Two sequences as one, for a paginator: a list, then an `Unlisted` section."""

    def __init__(self, first, second):
        self.first, self.second = first, second

    def __len__(self):
        return len(self.first) + len(self.second)

    def __bool__(self):
        return len(self) > 0

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return list(self)[index]
        start, stop, _ = index.indices(len(self))
        head = len(self.first)
        items = list(self.first[start:stop])
        if stop > head:
            items += self.second[max(start - head, 0) : stop - head]
        return items

    def __iter__(self):
        yield from self.first
        yield from self.second


class AppliedChanges:
    """The changes applied from a snapshot, newest first, as a sequence a paginator pages
    through: a slice reads its changes and their signatures, and gives each `undoable` (the
    signature still holds what the change set). Two queries a page, and one for the count."""

    def __init__(self, snapshot):
        self.queryset = RegisterChange.objects.filter(snapshot=snapshot).select_related(
            "supplier", "applied_by", "undone_by"
        )
        self._count = None

    def __len__(self):
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    def __bool__(self):
        return len(self) > 0

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return list(self)[index]
        applied = list(self.queryset[index])
        signatures = {
            (signature.supplier_id, signature.chapter): signature
            for signature in Signature.objects.filter(
                supplier__in={change.supplier_id for change in applied}
            )
        }
        for change in applied:
            signature = signatures.get((change.supplier_id, change.chapter))
            change.undoable = change.supplier.archived_at is None and undoable(change, signature)
        return applied

    def __iter__(self):
        return iter(self[0 : len(self)])


class PlannedChanges:
    """Every change of a review to apply, as the apply-all preview shows them: a sequence a
    paginator pages through, whose length and fingerprint come from the review, and whose
    slice plans the changes in it (`applying.plan_change`, four queries a page). The order and
    the fingerprint are those of `apply_all.plan_all`, which applying all plans again."""

    def __init__(self, *, snapshot, review, by):
        self.snapshot, self.by = snapshot, by
        self.listed = [
            (supplier, change) for _, supplier, changes in review.changes for change in changes
        ]
        self.unlisted = review.not_in_list
        self.review = review

    def __len__(self):
        return len(self.listed) + self.unlisted.change_count

    def __bool__(self):
        return len(self) > 0

    @property
    def fingerprint(self):
        return changes_fingerprint(self.review)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return list(self)[index]
        start, stop, _ = index.indices(len(self))
        head = len(self.listed)
        pairs = [(s, change.chapter) for s, change in self.listed[start:stop]]
        if stop > head:
            wanted = self.unlisted.changes_at(max(start - head, 0), stop - head)
            by_id = {s.id: s for s in _suppliers({supplier_id for supplier_id, _ in wanted})}
            pairs += [(by_id[i], chapter) for i, chapter in wanted if i in by_id]
        records = applying.load_records(self.snapshot, [supplier for supplier, _ in pairs])
        plans = (
            applying.plan_change(
                snapshot=self.snapshot, supplier=s, chapter=chapter, by=self.by, records=records
            )
            for s, chapter in pairs
        )
        return [plan for plan in plans if plan is not None]

    def __iter__(self):
        return iter(self[0 : len(self)])


def change_keys(review):
    """The key of every change of a review to apply ("supplier:chapter:kind:recorded:proposed",
    as `applying.Plan.key`), in the order of the snapshot's page."""
    for _, supplier, changes in review.changes:
        for change in changes:
            yield f"{supplier.pk}:{change.chapter}:{change.kind}:{change.current}:{change.proposed}"
    yield from review.not_in_list.keys()


def changes_fingerprint(review):
    """A hash of the changes a review would apply, which the apply-all preview carries: the
    keys of the changes for suppliers the list names, and the rows of the others."""
    listed = [
        f"{supplier.pk}:{change.chapter}:{change.kind}:{change.current}:{change.proposed}"
        for _, supplier, changes in review.changes
        for change in changes
    ]
    listed.append(review.not_in_list.digest())
    return hashlib.sha256("\n".join(listed).encode()).hexdigest()
