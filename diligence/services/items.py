"""Answers on checklist items: status, notes and review, saved unless someone else saved first."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from diligence import progress
from diligence.models import AssessmentItem, ItemStatus
from diligence.services.assessments import _require_editable


class ConflictError(ValidationError):
    """Someone else saved the record since the form was loaded."""


@transaction.atomic
def assessment_item_update(*, item, data, expected_version, by):
    """Save an item's status and notes, unless someone else saved it since `expected_version`."""
    _require_editable(item.assessment, by)
    status = data["status"]
    if status == ItemStatus.NOT_APPLICABLE and not data.get("justification", "").strip():
        raise ValidationError({"justification": "Say why this item does not apply."})
    fields = {
        "status": status,
        "justification": data.get("justification", ""),
        "notes": data.get("notes", ""),
        "reviewer": data.get("reviewer"),
        "reviewed_on": data.get("reviewed_on"),
    }
    if (
        status != item.status
        and status in (ItemStatus.ACCEPTED, ItemStatus.GAP)
        and not fields["reviewer"]
    ):
        fields["reviewer"] = by
        fields["reviewed_on"] = fields["reviewed_on"] or datetime.date.today()
    current = AssessmentItem.objects.select_for_update().get(pk=item.pk)
    if current.version != expected_version:
        raise ConflictError(
            "Someone else changed this item while you were editing it. Your input is shown "
            "below; check the current values and save again."
        )
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.updated_by = by
    current.save()
    progress.refresh(current.assessment)
    return current
