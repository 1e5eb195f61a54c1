"""Field-level change history, read from django-simple-history's tables."""

import datetime
import inspect
from dataclasses import dataclass, field
from operator import attrgetter

from django.db.models.query_utils import DeferredAttribute
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

# Rows created along with their parent, by the same person in the same request, are one entry.
_TOGETHER = datetime.timedelta(seconds=5)

# Bookkeeping columns that change on every save and say nothing to a reader.
_IGNORED = {"id", "created_at", "updated_at", "created_by", "updated_by", "version"}


@dataclass
class Change:
    when: object
    who: object
    subject: str
    kind: str  # "created", "changed" or "deleted"
    fields: list = field(default_factory=list)  # (label, old, new)


def _display(model_field, value):
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if hasattr(value, "code") and hasattr(value, "name"):  # a country
        return value.name
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):  # in the reader's time zone, as the page shows dates
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "j M Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j M Y")
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    return str(value)


def _tracked_fields(record):
    return [
        f
        for f in record.instance_type._meta.concrete_fields
        if f.name not in _IGNORED and not f.is_relation
    ]


def changes(history_queryset, *, subject=str, limit=50):
    """The changes in these history records, newest first.

    `subject(record)` names the record in the list ("Signature: Copyright"). One query.
    """
    records = history_queryset.select_related("history_user").order_by("history_date", "history_id")
    return changes_in(records, subject=subject, limit=limit)


def changes_in(records, *, subject=str, who=attrgetter("history_user"), limit=50):
    """The changes in history records already read in the order they were made, as `changes`
    gives them; `who(record)` is who made one, the user or the name the page prints."""
    previous = {}
    result = []
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        kind = {"+": "created", "~": "changed", "-": "deleted"}[record.history_type]
        diffs = []
        if kind == "changed" and before is not None:
            for f in _tracked_fields(record):
                old, new = getattr(before, f.attname), getattr(record, f.attname)
                if old != new:
                    diffs.append((capfirst(f.verbose_name), _display(f, old), _display(f, new)))
            if not diffs:
                continue
        result.append(Change(record.history_date, who(record), subject(record), kind, diffs))
    result.reverse()
    return result[:limit]


def _value_fields(model):
    fields = [
        f for f in model._meta.concrete_fields if f.name not in _IGNORED and not f.is_relation
    ]
    for f in fields:
        if type(inspect.getattr_static(model, f.attname)) is not DeferredAttribute:
            raise ValueError(f"{model.__name__}.{f.name} does not read back as stored")
    return fields


def history_values(history_queryset, model):
    """The rows `changes_in_values` reads of these history records of `model`, in order."""
    return history_queryset.order_by("history_date", "history_id").values(
        "id",
        "history_date",
        "history_type",
        "history_user__username",
        *(f.attname for f in _value_fields(model)),
    )


def changes_as_values(history_queryset, model, *, subject=str, limit=50):
    """The same changes as `changes`, read as plain values rather than records: quicker for a
    page that shows many. `who` is the user's name as the page prints it (or None), and
    `subject(row)` receives the row as a dict.

    Only for models whose tracked fields read back as stored; a field with its own descriptor
    (a country, say) would show its raw value, so such a model is refused."""
    rows = history_values(history_queryset, model)
    return changes_in_values(rows, model, subject=subject, limit=limit)


def changes_in_values(rows, model, *, subject=str, limit=50):
    """`changes_as_values` of the rows `history_values` gives, already read."""
    fields = _value_fields(model)
    previous = {}
    result = []
    for row in rows:
        before = previous.get(row["id"])
        previous[row["id"]] = row
        kind = {"+": "created", "~": "changed", "-": "deleted"}[row["history_type"]]
        diffs = []
        if kind == "changed" and before is not None:
            for f in fields:
                old, new = before[f.attname], row[f.attname]
                if old != new:
                    diffs.append((capfirst(f.verbose_name), _display(f, old), _display(f, new)))
            if not diffs:
                continue
        who = row["history_user__username"]
        result.append(Change(row["history_date"], who, subject(row), kind, diffs))
    result.reverse()
    return result[:limit]


def _person(who):
    """A user, or the name `changes_as_values` gives for one, as one comparable name."""
    return None if who is None else str(who)


def fold_created(parent_changes, child_changes, *, label):
    """The history of a record and of its child rows, newest first, with the children created
    along with the record (same person, within seconds) folded into its "created" entry:
    "Supplier created with its signatures (Transparency, Copyright …)"."""
    created = next((c for c in parent_changes if c.kind == "created"), None)
    folded, rest = [], []
    for change in child_changes:
        if (
            created is not None
            and change.kind == "created"
            and _person(change.who) == _person(created.who)
            and abs(change.when - created.when) <= _TOGETHER
        ):
            folded.append(change)
        else:
            rest.append(change)
    if folded:
        names = ", ".join(c.subject.split(": ", 1)[-1] for c in reversed(folded))
        created.kind = f"created with its {label} ({names})"
    merged = [*parent_changes, *rest]
    merged.sort(key=lambda change: change.when, reverse=True)
    return merged
