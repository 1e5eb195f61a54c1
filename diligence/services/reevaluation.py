"""Open assessments follow the facts: when a model's or a supplier's facts or signatures change.

The vendors services call `core.fact_changes.facts_changed` inside the transaction that changed
the facts; `follow_fact_changes`, registered when the app is ready, re-evaluates every open
assessment (draft or in review) of the models concerned. Items that now apply join the
assessment, items that no longer apply are set apart with the reason, answers and evidence are
kept, and an audit entry lists what moved. Decided assessments are not touched: their page
compares the facts they were decided on with today's (`diligence.queries.facts_drift`).
"""

from django.conf import settings
from django.db.models import Q
from simple_history.utils import bulk_update_with_history

from core.audit import audit_log
from diligence import applicability, progress
from diligence.models import Assessment, AssessmentItem, AssessmentStatus
from diligence.services.assessments import assessment_derived
from vendors.facts import facts_changes
from vendors.models import GPAIModel

OPEN_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.IN_REVIEW)
_REMOVED_PREFIX = "Not in checklist version"


def follow_fact_changes(*, models, suppliers, by, reason):
    """The follower `core.fact_changes` calls: the models named, the suppliers' models, and the
    models recorded as modifications of any of them."""
    model_ids = {model.pk for model in models}
    concerned = GPAIModel.objects.filter(
        Q(pk__in=model_ids) | Q(supplier__in=suppliers) | Q(modification_of__in=model_ids)
    )
    many = settings.REEVALUATE_IN_BACKGROUND_OVER
    if Assessment.objects.filter(model__in=concerned, status__in=OPEN_STATUSES).count() > many:
        # Too many for the request: a job, enqueued in this transaction (it exists only if the
        # change is committed), re-evaluates them in a worker moments later.
        from diligence import tasks

        tasks.assessments_reevaluate.enqueue(
            sorted(concerned.values_list("pk", flat=True)), by.pk if by else None, reason
        )
        return
    assessments_reevaluate(models=concerned, by=by, reason=reason)


def assessments_reevaluate(*, models, by, reason):
    """Re-evaluate the open assessments of `models` (a queryset or list); returns them."""
    assessments = list(
        Assessment.objects.select_for_update(of=("self",))
        .filter(model__in=models, status__in=OPEN_STATUSES)
        .select_related("model__supplier", "model__modification_of__supplier")
        .prefetch_related("model__supplier__signatures")
        .order_by("pk")
    )
    for assessment in assessments:
        assessment_reevaluate(assessment=assessment, by=by, reason=reason)
    return assessments


def assessment_reevaluate(*, assessment, by, reason):
    """Bring one open assessment's items in line with its model's facts as they now stand.

    Returns (added, set_apart): the codes of items that now apply, and (code, reason) pairs of
    items that no longer do. Statuses, notes and evidence are never changed.
    """
    derived = assessment_derived(assessment)
    added, set_apart, changed = [], [], []
    for row in assessment.items.select_related("checklist_item"):
        if not row.applicable and row.exclusion_reason.startswith(_REMOVED_PREFIX):
            continue  # left behind by a move to a newer checklist version: stays apart
        verdict = applicability.applicability(row.checklist_item.rule, derived)
        if (row.applicable, row.exclusion_reason, row.pending_reason) == (
            verdict.applies,
            verdict.reason,
            verdict.pending,
        ):
            continue
        code = row.checklist_item.code
        if verdict.applies and not row.applicable:
            added.append(code)
        elif row.applicable and not verdict.applies:
            set_apart.append((code, verdict.reason))
        row.applicable = verdict.applies
        row.exclusion_reason = verdict.reason
        row.pending_reason = verdict.pending
        row.version += 1  # a form opened before the change must be reloaded
        changed.append(row)
    if changed:
        bulk_update_with_history(
            changed,
            AssessmentItem,
            ["applicable", "exclusion_reason", "pending_reason", "version"],
            default_user=by,
        )
    modes = applicability.evidence_modes(derived)
    mode_moves = {
        category: applicability.EVIDENCE_MODE_LABELS[mode]
        for category, mode in modes.items()
        if assessment.evidence_modes.get(category) != mode
    }
    snapshot = derived.as_dict()
    # Assessments started before snapshots were kept have none: nothing to compare facts with.
    fact_moves = (
        facts_changes(assessment.facts_snapshot, snapshot) if assessment.facts_snapshot else []
    )
    assessment.evidence_modes = modes
    assessment.facts_snapshot = snapshot
    assessment.save(update_fields=["evidence_modes", "facts_snapshot", "updated_at"])
    progress.refresh(assessment)
    if added or set_apart or fact_moves or mode_moves:
        audit_log(
            actor=by,
            action="assessment_reevaluated",
            target=assessment,
            summary=_summary(reason, added, set_apart, fact_moves, mode_moves),
            data={
                "reason": reason,
                "added": added,
                "set_apart": [{"code": code, "reason": why} for code, why in set_apart],
                "facts": [
                    {"fact": change.label, "before": change.before, "after": change.after}
                    for change in fact_moves
                ],
                "evidence_modes": mode_moves,
            },
        )
    return added, set_apart


def _summary(reason, added, set_apart, fact_moves, mode_moves):
    parts = [f"Facts changed ({reason})"]
    labels = dict(applicability.Category.CHOICES)
    if mode_moves:
        parts.append(
            "; ".join(f"{labels[c]} now evidenced by {mode}" for c, mode in mode_moves.items())
        )
    if fact_moves:
        parts.append(
            "; ".join(f"{c.label}: {c.before or '—'} → {c.after or '—'}" for c in fact_moves)
        )
    if added:
        parts.append(f"{len(added)} item(s) now apply: {', '.join(added)}")
    if set_apart:
        parts.append(
            f"{len(set_apart)} item(s) set apart: {', '.join(code for code, _ in set_apart)}"
        )
    return ". ".join(parts)
