"""Follow-ups on the supplier register: Code of Practice signature checks gone stale.

A source for `core.reminders` (listed in the FOLLOW_UP_SOURCES setting). Who is reminded: the person who made the supplier's most recent
check, if they may still change signatures; otherwise the person who last changed the
supplier, if they may; otherwise everyone who may change signatures (the Procurement role).
So the person who knows the source is asked first, and no supplier is left without someone.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    When,
    Window,
)
from django.db.models.functions import Lower, RowNumber

from core.reminders import STALE, FollowUp
from vendors.models import Signature, Supplier
from vendors.queries import stale_signature


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


def _last_verifier(of_supplier):
    return Subquery(
        of_supplier.filter(verified_by__isnull=False)
        .order_by("-verified_on", "-pk")
        .values("verified_by")[:1]
    )


def stale_suppliers(today):
    """Active suppliers with a stale check, with the oldest check, whether a chapter was never
    checked, how many checks are stale and who checked last. One query."""
    of_supplier = Signature.objects.filter(supplier=OuterRef("pk"))
    return (
        Supplier.objects.active()
        .filter(Exists(of_supplier.filter(stale_signature(today))))
        .annotate(
            oldest_check=Min("signatures__verified_on"),
            never_checked=Exists(of_supplier.filter(verified_on__isnull=True)),
            stale_count=Count("signatures", filter=stale_signature(today, "signatures__")),
            last_verifier_id=_last_verifier(of_supplier),
        )
        .only("id", "name", "updated_by_id")
        .order_by(Lower("name"), "pk")
    )


def _last_checked_by(verifiers):
    """The suppliers whose most recent check one of `verifiers` made (and 0, no supplier, for
    the others): every supplier's most recent check read in one pass over the index."""
    checks = Signature.objects.filter(verified_by__isnull=False)
    if connection.features.can_distinct_on_fields:
        latest = checks.order_by("supplier_id", "-verified_on", "-pk").distinct("supplier_id")
    else:
        # SQLite has no DISTINCT ON: the same rows through a window, about half as fast.
        latest = checks.annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("supplier_id"),
                order_by=[F("verified_on").desc(), F("pk").desc()],
            )
        ).filter(rank=1)
    return latest.values(by=Case(When(verified_by__in=verifiers, then=F("supplier_id")), default=0))


def reminded(user_id, editors):
    """The suppliers whose stale check `recipients_for` gives to this user, as a filter, so the
    database leaves out the others instead of Python reading them all.

    Each supplier's most recent check is read once for all suppliers, not looked up supplier
    by supplier: the check is this user's, or it is no editor's and the supplier's last
    editor gives it to them (themselves, no one, or no editor: every editor is reminded)."""
    if user_id not in editors:
        return Q(pk__in=[])
    by_last_editor = Q(updated_by=user_id) | Q(updated_by__isnull=True) | ~Q(updated_by__in=editors)
    return Q(pk__in=_last_checked_by([user_id])) | (
        ~Q(pk__in=_last_checked_by(editors)) & by_last_editor
    )


def _stale_supplier_count(today, user, editors):
    """How many suppliers `stale_suppliers` gives (to this user): the same filters without the
    figures the list shows, which the database would otherwise work out for every supplier."""
    of_supplier = Signature.objects.filter(supplier=OuterRef("pk"))
    suppliers = Supplier.objects.active().filter(Exists(of_supplier.filter(stale_signature(today))))
    if user is not None:
        suppliers = suppliers.filter(reminded(user.pk, editors))
    return suppliers.count()


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
