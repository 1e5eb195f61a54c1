"""Checklist curation: publish, retire and copy versions of the checklist."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.audit import audit_log
from diligence.models import Checklist, ChecklistItem, ChecklistStatus


@transaction.atomic
def checklist_publish(*, checklist, by):
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if not checklist.is_draft:
        raise ValidationError("Only a draft can be published.")
    if not checklist.items.exists():
        raise ValidationError("A checklist without items cannot be published.")
    checklist.status = ChecklistStatus.PUBLISHED
    checklist.published_at = timezone.now()
    checklist.published_by = by
    checklist.save(update_fields=["status", "published_at", "published_by"])
    audit_log(
        actor=by, action="checklist_published", target=checklist, summary=f"Published {checklist}"
    )
    return checklist


@transaction.atomic
def checklist_retire(*, checklist, by):
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if checklist.status != ChecklistStatus.PUBLISHED:
        raise ValidationError("Only a published checklist can be retired.")
    checklist.status = ChecklistStatus.RETIRED
    checklist.save(update_fields=["status"])
    audit_log(
        actor=by, action="checklist_retired", target=checklist, summary=f"Retired {checklist}"
    )
    return checklist


@transaction.atomic
def checklist_new_draft(*, source, by):
    """Copy a version, items included, into a new draft with the next version number."""
    next_version = (Checklist.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    draft = Checklist.objects.create(
        name=source.name,
        version=next_version,
        based_on=source,
        notes=f"Based on v{source.version}.",
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            checklist=draft,
            **{
                f.name: getattr(item, f.name)
                for f in ChecklistItem._meta.concrete_fields
                if f.name not in ("id", "checklist")
            },
        )
        for item in source.items.all()
    )
    audit_log(
        actor=by, action="checklist_drafted", target=draft, summary=f"New draft from {source}"
    )
    return draft


def latest_published_checklist():
    return Checklist.objects.filter(status=ChecklistStatus.PUBLISHED).order_by("-version").first()
