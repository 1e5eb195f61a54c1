"""Applying every change of a register snapshot at once, after a person previewed them.

The preview (`queries.PlannedChanges`) shows the changes a page at a time and carries the
fingerprint of all of them (`queries.changes_fingerprint`); applying plans them all again under
lock and refuses the whole when the fingerprint differs or a plan is not the change previewed. The writes are made together (`applying.write_all`): each change
still gets its signature history, its `RegisterChange` and its audit entry.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import audit_log
from core.fact_changes import facts_changed
from vendors.models import Supplier
from vendors.register import queries
from vendors.register.applying import load_records, plan_change, require_latest, write_all


def plan_all(*, snapshot, review, by):
    """Every change of a review to apply, in the order the snapshot page lists them.

    What the plans read is loaded once for all active suppliers (`load_records`), so the
    number of queries does not grow with the suppliers or the changes."""
    pairs = [(supplier, changes) for _, supplier, changes in review.changes]
    pairs += list(review.not_in_list)
    records = load_records(snapshot, Supplier.objects.active().values("pk"))
    plans = []
    for supplier, changes in pairs:
        for change in changes:
            plan = plan_change(
                snapshot=snapshot,
                supplier=supplier,
                chapter=change.chapter,
                by=by,
                records=records,
            )
            if plan is not None:
                plans.append(plan)
    return plans


@transaction.atomic
def register_changes_apply_all(*, snapshot, review, fingerprint, by):
    """Apply every change the preview listed, in one transaction; refused as a whole when the
    changes are not the ones previewed any more."""
    require_latest(snapshot)
    suppliers = [supplier for _, supplier, _ in review.changes] + [s for s, _ in review.not_in_list]
    locked = set(
        Supplier.objects.select_for_update()
        .filter(pk__in=[s.pk for s in suppliers], archived_at__isnull=True)
        .values_list("pk", flat=True)
    )
    plans = [
        p for p in plan_all(snapshot=snapshot, review=review, by=by) if p.supplier.pk in locked
    ]
    # The review is the preview's, and the plans read the records again under lock: both must
    # still be what the person saw.
    keys = list(queries.change_keys(review))
    if queries.changes_fingerprint(review) != fingerprint or [p.key for p in plans] != keys:
        raise ValidationError(
            "The changes are not the ones you previewed any more (someone applied or recorded "
            "something since). Look at the preview again."
        )
    if not plans:
        return []
    applied = write_all(plans, snapshot, by)
    audit_log(
        actor=by,
        action="register_changes_applied_all",
        target=snapshot,
        summary=f"Applied all {len(applied)} changes of the {snapshot}",
        data={"changes": [change.pk for change in applied]},
    )
    changed = {p.supplier.pk: p.supplier for p in plans if not p.change.note_only}
    facts_changed(
        suppliers=changed.values(), by=by, reason=f"Signatures applied from the {snapshot}"
    )
    return applied
