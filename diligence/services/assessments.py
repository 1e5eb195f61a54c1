"""The assessment workflow: start, submit, send back, decide, reopen, move to a newer checklist."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import events, files
from core.audit import audit_log
from diligence import applicability, notify, progress
from diligence.models import (
    Assessment,
    AssessmentItem,
    AssessmentStatus,
    ChecklistStatus,
    Decision,
    ItemStatus,
    Outcome,
)
from diligence.services.checklists import latest_published_checklist
from vendors.facts import derive


def model_facts(model, assessment=None):
    """The model's facts, with the buyer's fine-tuning plans of `assessment` when given."""
    signed = {s.chapter for s in model.supplier.signatures.all() if s.is_signed}
    return model.facts(signed, buyer=assessment)


def assessment_derived(assessment, model=None):
    """The derived facts an assessment's items are evaluated against (vendors.facts.Derived)."""
    model = model or assessment.model
    return derive(model_facts(model, assessment), with_buyer=True)


def _instantiate_items(assessment, checklist_items, derived, by):
    rows = []
    for checklist_item in checklist_items:
        verdict = applicability.applicability(checklist_item.rule, derived)
        rows.append(
            AssessmentItem(
                assessment=assessment,
                checklist_item=checklist_item,
                applicable=verdict.applies,
                exclusion_reason=verdict.reason,
                pending_reason=verdict.pending,
            )
        )
    # With history rows, the first change of an item shows what it changed from.
    bulk_create_with_history(rows, AssessmentItem, default_user=by)


def assessment_start(
    *,
    model,
    reference,
    purpose,
    owner,
    due_date,
    by,
    request_token=None,
    buyer_plans_fine_tuning=False,
    buyer_fine_tuning_flop=None,
):
    """Start due diligence on a model against the newest published checklist.

    A repeated submission of the same form (same request token) returns the first assessment.
    """
    if request_token and (
        existing := Assessment.objects.filter(request_token=request_token).first()
    ):
        return existing
    checklist = latest_published_checklist()
    if checklist is None:
        raise ValidationError(
            "No checklist is published yet; ask a checklist admin to publish one."
        )
    assessment = Assessment(
        model=model,
        supplier=model.supplier,
        checklist=checklist,
        reference=reference,
        purpose=purpose,
        owner=owner,
        due_date=due_date,
        buyer_plans_fine_tuning=buyer_plans_fine_tuning,
        buyer_fine_tuning_flop=buyer_fine_tuning_flop if buyer_plans_fine_tuning else None,
        request_token=request_token,
        created_by=by,
    )
    derived = assessment_derived(assessment, model)
    assessment.evidence_modes = applicability.evidence_modes(derived)
    assessment.facts_snapshot = derived.as_dict()
    try:
        with transaction.atomic():
            assessment.save()
            _instantiate_items(assessment, checklist.items.all(), derived, by)
            progress.refresh(assessment)
            audit_log(
                actor=by,
                action="assessment_started",
                target=assessment,
                summary=f"Started against {checklist}",
            )
    except IntegrityError:
        if request_token and (
            existing := Assessment.objects.filter(request_token=request_token).first()
        ):
            return existing
        raise
    return assessment


def removed_reason(version):
    return f"Not in checklist version {version}."


READ_ONLY_MESSAGE = "This assessment is decided and read-only. Reopen it to change it."


IN_REVIEW_MESSAGE = (
    "This assessment is in review. Its owner cannot change it until the reviewer decides or "
    "requests changes."
)


def _require_editable(assessment, by=None):
    # Lock the assessment, so a decision cannot slip in between this check and the write.
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_editable:
        raise ValidationError(READ_ONLY_MESSAGE)
    if by is not None and not assessment.editable_by(by):
        raise ValidationError(IN_REVIEW_MESSAGE)


def may_decide(user, assessment):
    """Four eyes: a user with the right to decide who does not own the assessment."""
    return (
        user.is_active
        and user.has_perm("diligence.decide_assessment")
        and user.pk != assessment.owner_id
    )


@transaction.atomic
def assessment_submit(*, assessment, by, reviewer=None):
    """Submit a draft for review by `reviewer`, who is emailed and sees it as awaiting a
    decision. The reviewer must be allowed to decide and must not be the owner."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError("Only a draft assessment can be submitted for review.")
    if by != assessment.owner:
        raise ValidationError("Only the owner of the assessment can submit it.")
    if reviewer is not None and not may_decide(reviewer, assessment):
        raise ValidationError(
            {"reviewer": "Choose a colleague who may decide on assessments, not the owner."}
        )
    assessment.status = AssessmentStatus.IN_REVIEW
    assessment.reviewer = reviewer
    assessment.save(update_fields=["status", "reviewer", "updated_at"])
    who = f" to {reviewer.get_full_name() or reviewer.username}" if reviewer else ""
    audit_log(
        actor=by,
        action="assessment_submitted",
        target=assessment,
        summary=f"Submitted for review{who}",
        data={"reviewer": reviewer.pk if reviewer else None},
    )
    events.publish(events.ASSESSMENT_SUBMITTED, target=assessment, by=by)
    if reviewer is not None:
        notify.review_requested(assessment, by)
    return assessment


@transaction.atomic
def assessment_return(*, assessment, by, reason):
    """The reviewer requests changes: the assessment is a draft again, the owner is told."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.IN_REVIEW:
        raise ValidationError("Only an assessment in review can be sent back.")
    assessment.status = AssessmentStatus.DRAFT
    assessment.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=by,
        action="assessment_returned",
        target=assessment,
        summary=f"Changes requested: {reason}",
        data={"comment": reason},
    )
    if by.pk != assessment.owner_id:
        notify.changes_requested(assessment, by, reason)
    return assessment


def assessment_decide(
    *, assessment, outcome, conditions, valid_until, by, notes="", attachment=None
):
    """Decide on an assessment in review; an attachment is checked and stored like evidence,
    and removed again when the decision is not recorded."""
    stored = files.store_evidence_file(attachment) if attachment else None
    try:
        return _decide(assessment, outcome, conditions, valid_until, by, notes, stored)
    except BaseException:
        if stored:
            files.delete_stored_file(stored.storage_name)
        raise


@transaction.atomic
def _decide(assessment, outcome, conditions, valid_until, by, notes, stored):
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.IN_REVIEW:
        raise ValidationError("Only an assessment in review can be decided.")
    if by == assessment.owner:
        raise ValidationError("Someone other than the owner must decide (four-eyes principle).")
    errors = {}
    if outcome == Outcome.APPROVED_WITH_CONDITIONS and not conditions.strip():
        errors["conditions"] = "State the conditions of the approval."
    if valid_until <= datetime.date.today():
        errors["valid_until"] = "The decision must be valid until a date in the future."
    if outcome == Outcome.APPROVED:
        unresolved = assessment.items.filter(
            applicable=True, checklist_item__required=True
        ).exclude(status__in=[ItemStatus.ACCEPTED, ItemStatus.NOT_APPLICABLE])
        if unresolved.exists():
            errors["outcome"] = (
                f"{unresolved.count()} required item(s) are not accepted. Approve with conditions "
                "or reject instead."
            )
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.create(
        assessment=assessment,
        revision=assessment.revision,
        outcome=outcome,
        conditions=conditions,
        notes=notes,
        valid_until=valid_until,
        decided_by=by,
        **(
            {
                "storage_name": stored.storage_name,
                "original_name": stored.original_name,
                "content_type": stored.content_type,
                "size": stored.size,
                "sha256": stored.sha256,
            }
            if stored
            else {}
        ),
    )
    assessment.status = AssessmentStatus.DECIDED
    assessment.decision = decision
    assessment.save(update_fields=["status", "decision", "updated_at"])
    audit_log(
        actor=by,
        action="assessment_decided",
        target=assessment,
        summary=f"{decision.get_outcome_display()}, valid until {valid_until:%d %b %Y}",
    )
    events.publish(events.ASSESSMENT_DECIDED, target=assessment, by=by)
    return decision


@transaction.atomic
def assessment_reopen(*, assessment, by, reason):
    """Start a new revision of a decided assessment; earlier decisions stay on record."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.DECIDED:
        raise ValidationError("Only a decided assessment can be reopened.")
    assessment.status = AssessmentStatus.DRAFT
    assessment.revision += 1
    assessment.decision = None
    assessment.save(update_fields=["status", "revision", "decision", "updated_at"])
    audit_log(
        actor=by,
        action="assessment_reopened",
        target=assessment,
        summary=f"Reopened as revision {assessment.revision}: {reason}",
    )
    events.publish(events.ASSESSMENT_REOPENED, target=assessment, by=by)
    # Open again, so it follows the facts as they now stand. Imported here: the re-evaluation
    # module builds on this one.
    from diligence.services.reevaluation import assessment_reevaluate

    assessment_reevaluate(assessment=assessment, by=by, reason="reopened")
    return assessment


@transaction.atomic
def assessment_move_to_version(*, assessment, checklist, by):
    """Move an assessment to a newer published checklist, carrying answers over by item code.

    Returns the codes of the items that the new version no longer has; their rows stay, marked
    as not applicable, so their evidence stays visible.
    """
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require_editable(assessment)
    if checklist.status != ChecklistStatus.PUBLISHED:
        raise ValidationError("An assessment can only move to a published checklist.")
    if checklist.version <= assessment.checklist.version:
        raise ValidationError("Choose a newer checklist version than the current one.")
    derived = assessment_derived(assessment)
    new_items = {item.code: item for item in checklist.items.all()}
    rows = list(assessment.items.select_related("checklist_item"))
    removed = []
    for row in rows:
        new_item = new_items.pop(row.checklist_item.code, None)
        if new_item is None:
            removed.append(row.checklist_item.code)
            row.applicable = False
            row.exclusion_reason = removed_reason(checklist.version)
            row.pending_reason = ""
        else:
            verdict = applicability.applicability(new_item.rule, derived)
            row.checklist_item = new_item
            row.applicable = verdict.applies
            row.exclusion_reason = verdict.reason
            row.pending_reason = verdict.pending
        row.version += 1
    bulk_update_with_history(
        rows,
        AssessmentItem,
        ["checklist_item", "applicable", "exclusion_reason", "pending_reason", "version"],
        default_user=by,
    )
    _instantiate_items(assessment, new_items.values(), derived, by)
    old_version = assessment.checklist.version
    assessment.checklist = checklist
    assessment.evidence_modes = applicability.evidence_modes(derived)
    assessment.facts_snapshot = derived.as_dict()
    assessment.save(update_fields=["checklist", "evidence_modes", "facts_snapshot", "updated_at"])
    progress.refresh(assessment)
    audit_log(
        actor=by,
        action="assessment_moved",
        target=assessment,
        summary=(
            f"Moved from checklist v{old_version} to v{checklist.version}: "
            f"{len(new_items)} new item(s), {len(removed)} removed"
            + (f" ({', '.join(removed)})" if removed else "")
        ),
        data={"added": sorted(new_items), "removed": removed},
    )
    return removed
