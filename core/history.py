"""Field-level change history, read from django-simple-history's tables."""

from dataclasses import dataclass, field

from django.utils.text import capfirst

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
        result.append(
            Change(record.history_date, record.history_user, subject(record), kind, diffs)
        )
    result.reverse()
    return result[:limit]
