"""Follow-ups on the supplier register: Code of Practice signature checks gone stale.

A source for `core.reminders` (listed in the FOLLOW_UP_SOURCES setting). Who is reminded: the person who made the supplier's most recent
check, if they may still change signatures; otherwise the person who last changed the
supplier, if they may; otherwise everyone who may change signatures (the Procurement role).
So the person who knows the source is asked first, and no supplier is left without someone.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q
from django.db.models.functions import Lower

from core.reminders import STALE, FollowUp
from vendors.models import SignatureSummary, Supplier
from vendors.queries import stale_signature
from vendors.summaries import stale_summary


def signature_editors():
    """Ids of the active users who may change signatures, through a role or on their own."""
    may_change = {"content_type__app_label": "vendors", "codename": "change_signature"}
    return set(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(**{f"groups__permissions__{k}": v for k, v in may_change.items()})
            | Q(**{f"user_permissions__{k}": v for k, v in may_change.items()})
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def recipients_for(last_verifier_id, updated_by_id, editors):
    """Who is reminded of a supplier's stale check (see the module's docstring)."""
    for candidate in (last_verifier_id, updated_by_id):
        if candidate in editors:
            return (candidate,)
    return tuple(sorted(editors))


def stale_suppliers(today):
    """Active suppliers with a stale check, with the oldest check, whether a chapter was never
    checked, how many checks are stale and who checked last. One query."""
    return (
        Supplier.objects.active()
        .filter(stale_summary(today, "signature_summary__"))
        .annotate(
            oldest_check=F("signature_summary__oldest_check"),
            never_checked=F("signature_summary__never_checked"),
            stale_count=Count("signatures", filter=stale_signature(today, "signatures__")),
            last_verifier_id=F("signature_summary__last_verifier"),
        )
        .only("id", "name", "updated_by_id")
        .order_by(Lower("name"), "pk")
    )


def reminded(user_id, editors, prefix="signature_summary__"):
    """The suppliers whose stale check `recipients_for` gives to this user, as a filter, so the
    database leaves out the others instead of Python reading them all; a filter on suppliers,
    or on their summaries when `prefix` is empty.

    Who made each supplier's most recent check is kept in its summary (vendors.summaries): the
    check is this user's, or it is no editor's and the supplier's last editor gives it to them
    (themselves, no one, or no editor: every editor is reminded)."""
    if user_id not in editors:
        return Q(pk__in=[])
    last_verifier = f"{prefix}last_verifier"
    by_last_editor = Q(updated_by=user_id) | Q(updated_by__isnull=True) | ~Q(updated_by__in=editors)
    if not prefix:
        # From the summaries: the suppliers so edited are read once and hashed, not joined.
        by_last_editor = Q(supplier__in=Supplier.objects.filter(by_last_editor).values("pk"))
    no_editors_check = Q(**{f"{last_verifier}__isnull": True}) | ~Q(
        **{f"{last_verifier}__in": editors}
    )
    return Q(**{last_verifier: user_id}) | (no_editors_check & by_last_editor)


def _stale_supplier_count(today, user, editors):
    """How many suppliers `stale_suppliers` gives (to this user): the same filters without the
    figures the list shows, on the summaries alone, leaving out the few archived suppliers
    instead of joining every active one."""
    archived = Supplier.objects.filter(archived_at__isnull=False).values("pk")
    summaries = SignatureSummary.objects.filter(stale_summary(today)).exclude(supplier__in=archived)
    if user is not None:
        summaries = summaries.filter(reminded(user.pk, editors, prefix=""))
    return summaries.count()


def stale_signature_follow_ups(today, user=None, *, count=False):
    editors = signature_editors()
    stale_after = datetime.timedelta(days=settings.SIGNATURE_STALE_AFTER_DAYS + 1)
    if count:
        return _stale_supplier_count(today, user, editors)
    suppliers = stale_suppliers(today)
    if user is not None:
        suppliers = suppliers.filter(reminded(user.pk, editors))
    result = []
    for supplier in suppliers:
        recipients = recipients_for(supplier.last_verifier_id, supplier.updated_by_id, editors)
        if user is not None and user.pk not in recipients:
            continue
        checks = f"{supplier.stale_count} chapter check{'s' if supplier.stale_count != 1 else ''}"
        if supplier.never_checked:
            due_on, detail = None, f"{checks} to make: never checked"
        else:
            due_on = supplier.oldest_check + stale_after
            detail = f"{checks} stale: last checked on {supplier.oldest_check:%-d %b %Y}"
        result.append(
            FollowUp(
                kind="signature_stale",
                subject=f"supplier:{supplier.pk}",
                due_on=due_on,
                title=f"{supplier.name}: Code of Practice signatures",
                detail=detail,
                url=supplier.get_absolute_url(),
                recipients=recipients,
                threshold=STALE,
                overdue=True,
                group="Signature checks to redo",
            )
        )
    return result


# The kind of follow-up this source gives, and what a person must be allowed to read to be told
# about it (see `core.reminders.may_see`).
stale_signature_follow_ups.kind = "signature_stale"
stale_signature_follow_ups.permission = "vendors.view_signature"
