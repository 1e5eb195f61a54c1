"""The audit trail: `audit_log` records a workflow action or download (`audit_log_many` the same
action on many records), `audit_entries_for` reads a record's entries and
`recent_audit_entries` the few its page shows."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS
from django.db.models import F

from core.models import AuditEntry
from core.statements import Statement, columns, records


def _fields(actor, action, target, summary, data):
    return {
        "actor": actor,
        "action": action,
        "summary": summary[:500],
        "target_type": ContentType.objects.get_for_model(target),
        "target_id": str(target.pk),
        "data": data or {},
    }


def audit_log(*, actor, action, target, summary="", data=None):
    """Record a workflow action. Call it inside the transaction that does the action."""
    return AuditEntry.objects.create(**_fields(actor, action, target, summary, data))


def audit_log_many(*, actor, action, entries):
    """Record one action on many targets at once: `entries` holds (target, summary, data) for
    each, written together. Call it inside the transaction that does the action."""
    rows = [AuditEntry(**_fields(actor, action, *entry)) for entry in entries]
    return AuditEntry.objects.bulk_create(rows, batch_size=1000)


def audit_entries_for(target):
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")


# A record's page reads its most recent entries on every view: the SQL is composed once per
# process (core.statements), and each actor read as a pk and a username, what the page prints.
_recent = Statement(
    lambda limit, type_id, target_id: (
        AuditEntry.objects.filter(target_type_id=type_id, target_id=target_id)
        .order_by("-at", "-id")
        .values(*columns(AuditEntry), actor_name=F(f"actor__{get_user_model().USERNAME_FIELD}"))[
            :limit
        ]
    )
)


def recent_audit_entries(target, limit=20):
    """The entries `audit_entries_for(target)[:limit]` gives, each actor read with only its
    pk and username."""
    type_id = ContentType.objects.get_for_model(target).pk
    entries = records(
        AuditEntry, _recent.rows(limit, params=[type_id, str(target.pk)]), ("actor_name",)
    )
    user_model = get_user_model()
    for entry in entries:
        if entry.actor_id is not None:
            entry.actor = user_model.from_db(
                DEFAULT_DB_ALIAS,
                [user_model._meta.pk.attname, user_model.USERNAME_FIELD],
                [entry.actor_id, entry.actor_name],
            )
    return entries
