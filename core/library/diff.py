"""What changed between two versions of a library: rows added, removed, and changed field by
field. Rows are matched by the library's `child_key` (an item's code, a clause's key)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    key: str
    title: str
    fields: list = field(default_factory=list)  # [FieldChange]


@dataclass(frozen=True)
class LibraryDiff:
    old: object
    new: object
    added: list  # rows of `new` that `old` does not have
    removed: list  # rows of `old` that `new` does not have
    changed: list  # [RowChange]
    unchanged: int

    @property
    def is_empty(self):
        return not (self.added or self.removed or self.changed)

    @property
    def summary(self):
        """'2 added, 1 removed, 3 changed' or 'no differences'."""
        parts = [
            f"{len(rows)} {word}"
            for rows, word in ((self.added, "added"), (self.removed, "removed"))
            if rows
        ]
        if self.changed:
            parts.append(f"{len(self.changed)} changed")
        return ", ".join(parts) or "no differences"


def compared_fields(model):
    """The row fields a comparison shows: every stored field but the id and the library."""
    parent = model.child_library_field()
    return [
        f
        for f in model.child_model()._meta.concrete_fields
        if not f.primary_key and f.name != parent
    ]


def shown(row, model_field):
    """A field's value as a curator reads it: choice labels, yes/no, empty as a dash."""
    value = getattr(row, model_field.attname)
    if model_field.choices:
        value = dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "—" if value in (None, "") else str(value)


def library_diff(old, new):
    """The differences from version `old` to version `new` of the same library."""
    key = new.child_key
    fields = compared_fields(type(new))
    old_rows = {getattr(row, key): row for row in old.child_rows()}
    new_rows = list(new.child_rows())
    added, changed, unchanged = [], [], 0
    for row in new_rows:
        before = old_rows.get(getattr(row, key))
        if before is None:
            added.append(row)
            continue
        changes = [
            FieldChange(str(f.verbose_name).capitalize(), shown(before, f), shown(row, f))
            for f in fields
            if getattr(before, f.attname) != getattr(row, f.attname)
        ]
        if changes:
            code, name = getattr(row, key), str(row)
            title = name if code in name else f"{code} — {name}"
            changed.append(RowChange(code, title, changes))
        else:
            unchanged += 1
    kept = {getattr(row, key) for row in new_rows}
    removed = [row for code, row in old_rows.items() if code not in kept]
    return LibraryDiff(old, new, added, removed, changed, unchanged)
