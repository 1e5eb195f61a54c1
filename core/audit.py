"""The audit trail: `audit_log` records a workflow action or download (`audit_log_many` the same
action on many records), `audit_entries_for` reads a record's entries."""

from django.contrib.contenttypes.models import ContentType

from core.models import AuditEntry


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
