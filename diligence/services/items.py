"""Answers on checklist items: status, notes and review, saved unless someone else saved first."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import audit_log
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
        "assignee": data.get("assignee", item.assignee),
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
    before, before_status = current.get_status_display(), current.status
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.updated_by = by
    current.save()
    progress.refresh(current.assessment)
    if current.status != before_status:
        audit_log(
            actor=by,
            action="item_status_changed",
            target=current.assessment,
            summary=f"{current.checklist_item.code}: {before} → {current.get_status_display()}",
            data={"items": [current.pk], "status": current.status},
        )
    return current


@transaction.atomic
def assessment_items_bulk_status(*, assessment, versions, status, by):
    """Set one status on several items of an assessment, as one audited change.

    `versions` maps item id to the version the person saw; when any of them was saved by
    someone else since, nothing is changed and the items are named.
    """
    _require_editable(assessment, by)
    items = list(
        AssessmentItem.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, applicable=True, pk__in=list(versions))
        .select_related("checklist_item")
        .order_by("checklist_item__order", "checklist_item__code")
    )
    if len(items) != len(versions):
        raise ValidationError("Some ticked items are not items of this assessment that apply.")
    changed = [i.checklist_item.code for i in items if i.version != versions[i.pk]]
    if changed:
        raise ConflictError(
            f"Someone else changed {', '.join(changed)} since you loaded the page; nothing was "
            "changed. Check them and try again."
        )
    to_change = [i for i in items if i.status != status]
    for item in to_change:
        item.status = status
        if status in (ItemStatus.ACCEPTED, ItemStatus.GAP) and not item.reviewer:
            item.reviewer = by
            item.reviewed_on = datetime.date.today()
        item.version += 1
        item.updated_by = by
        item.save()
    if to_change:
        progress.refresh(assessment)
        label = ItemStatus(status).label
        codes = ", ".join(i.checklist_item.code for i in to_change)
        audit_log(
            actor=by,
            action="item_status_changed",
            target=assessment,
            summary=f"{len(to_change)} items set to {label}: {codes}",
            data={"items": [i.pk for i in to_change], "status": status},
        )
    return to_change
