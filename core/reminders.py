"""Follow-ups and the reminders emailed about them, whatever app they come from.

A follow-up is something a person should act on by a date: an assessment due, a decision or a
piece of evidence about to expire, a signature check gone stale. Apps provide functions
`source(today, user=None, *, count=False)` that return follow-ups, or only their number when
`count` is set, and carry the `kind` of follow-up they give and the `permission` a person needs
to be told about it. The FOLLOW_UP_SOURCES setting lists them by dotted path, so this module
reads no app. The "My follow-ups" page shows a user's, the dashboard counts them, and
`manage.py send_reminders` emails each recipient a digest of the follow-ups that crossed a
threshold since the last run.

A reminder is sent at most once per key and recipient: the key names the subject, the date it
is about and the threshold, and the SentReminder rows are written in the transaction that
sends the email. If sending fails the rows roll back and the next run tries again.
"""

import datetime
import logging
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from core.models import SentReminder

logger = logging.getLogger(__name__)

# Days before a date at which a reminder goes out.
THRESHOLDS = (30, 7, 1)
OVERDUE = "overdue"
STALE = "stale"


@dataclass(frozen=True)
class FollowUp:
    kind: str  # e.g. "assessment_due"; groups the page and the email
    subject: str  # what it is about, e.g. "assessment:12"
    due_on: datetime.date | None  # the date it is about; None for a check never made
    title: str
    detail: str
    url: str  # a path in the app
    recipients: tuple = ()  # user ids
    threshold: str | None = None  # "30d", "7d", "1d", "overdue", "stale"; None: no email
    overdue: bool = False
    group: str = field(default="", compare=False)  # heading on the page and in the email

    @property
    def key(self):
        return f"{self.kind}:{self.subject}:{self.due_on or 'never'}:{self.threshold}"


def threshold(due_on, today, *, thresholds=THRESHOLDS, overdue=True):
    """The reminder threshold `due_on` has crossed by `today`: the nearest of "30d", "7d", "1d",
    "overdue" once the date has passed (if `overdue`), or None when none applies yet.

    A run that finds 5 days left sends the 7-day reminder, never the 30-day one as well.
    """
    days = (due_on - today).days
    if days < 0:
        return OVERDUE if overdue else None
    crossed = [limit for limit in thresholds if days <= limit]
    return f"{min(crossed)}d" if crossed else None


def in_days(due_on, today):
    """'today', 'tomorrow', 'in 7 days', 'yesterday', '3 days ago'."""
    days = (due_on - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def sources():
    """The follow-up sources named in the FOLLOW_UP_SOURCES setting."""
    return [import_string(path) for path in getattr(settings, "FOLLOW_UP_SOURCES", ())]


def view_permissions():
    """What a person must be allowed to read to be told about a follow-up of each kind."""
    return {source.kind: source.permission for source in sources()}


def may_see(user, item, permissions=None):
    # A user who lost their role (an owner who left the team) is told nothing, on the page or
    # by email; a kind no source gives is shown to nobody.
    permission = (permissions or view_permissions()).get(item.kind)
    return permission is not None and user.has_perm(permission)


def follow_ups(today, *, user=None):
    """Every follow-up due from every source, or only those for `user`, by date."""
    found = []
    for source in sources():
        found.extend(source(today, user=user))
    if user is not None:
        permissions = view_permissions()
        found = [item for item in found if may_see(user, item, permissions)]
    return sorted(found, key=lambda f: (f.due_on or datetime.date.min, f.kind, f.title))


def follow_up_count(today, *, user):
    """How many follow-ups `user` has: `len(follow_ups(today, user=user))`, counted by the
    database instead of built one by one (the dashboard shows only the number)."""
    return sum(
        source(today, user=user, count=True)
        for source in sources()
        if user.has_perm(source.permission)
    )


@dataclass
class SendReport:
    emails: int = 0
    reminders: int = 0
    without_email: list = field(default_factory=list)
    failed: list = field(default_factory=list)


def send_reminders(*, today, base_url="", connection=None, dry_run=False, items=None):
    """Email each recipient the follow-ups that crossed a threshold and were not sent before."""
    items = follow_ups(today) if items is None else items
    wanted = {}
    for item in items:
        if item.threshold is None:
            continue
        for user_id in item.recipients:
            wanted.setdefault(user_id, []).append(item)
    report = SendReport()
    if not wanted:
        return report
    keys = {item.key for batch in wanted.values() for item in batch}
    already = set(
        SentReminder.objects.filter(key__in=keys, recipient_id__in=list(wanted)).values_list(
            "key", "recipient_id"
        )
    )
    users = get_user_model().objects.filter(pk__in=wanted, is_active=True).order_by("pk")
    connection = connection or get_connection()
    permissions = view_permissions()
    for user in users:
        batch = [
            item
            for item in wanted[user.pk]
            if (item.key, user.pk) not in already and may_see(user, item, permissions)
        ]
        if not batch:
            continue
        if not user.email:
            report.without_email.append(user.get_username())
            continue
        if dry_run:
            report.emails += 1
            report.reminders += len(batch)
            continue
        try:
            with transaction.atomic():
                # A concurrent run that sent the same reminder makes this insert fail.
                SentReminder.objects.bulk_create(
                    [SentReminder(key=item.key, recipient=user) for item in batch]
                )
                _message(user, batch, today, base_url, connection).send()
        except IntegrityError:
            logger.info("Reminders for %s were sent by another run.", user.get_username())
            continue
        except (smtplib.SMTPException, OSError) as error:  # one bad address must not stop the rest
            logger.warning("Could not email %s: %s", user.get_username(), error)
            report.failed.append(user.get_username())
            continue
        report.emails += 1
        report.reminders += len(batch)
    return report


def _message(user, batch, today, base_url, connection):
    overdue = sum(1 for item in batch if item.overdue)
    subject = f"{len(batch)} follow-up{'s' if len(batch) != 1 else ''} in GPAI due diligence"
    if overdue:
        subject += f" ({overdue} overdue)"
    groups = {}
    for item in batch:
        groups.setdefault(item.group, []).append(item)
    body = render_to_string(
        "core/email/reminders.txt",
        {"user": user, "groups": groups, "today": today, "base_url": base_url.rstrip("/")},
    )
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        connection=connection,
    )
