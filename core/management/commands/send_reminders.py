"""`manage.py send_reminders`: email each person one digest of the follow-ups that crossed a
threshold (run daily from cron)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import reminders


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"“{value}” is not a date; write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Email each user a digest of their follow-ups that crossed a reminder threshold "
        "(30, 7 and 1 days before a date, overdue, stale). Meant for cron; each reminder "
        "is sent once, however often it runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=_date, help="Act as if today were this date (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "SITE_URL", ""),
            help="The app's address, for links in the emails (default: the SITE_URL setting).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be sent; send nothing."
        )

    def handle(self, *args, date=None, base_url="", dry_run=False, **options):
        today = date or datetime.date.today()
        report = reminders.send_reminders(today=today, base_url=base_url, dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(
            f"{verb} {report.reminders} reminder(s) in {report.emails} email(s) for {today:%Y-%m-%d}."
        )
        if report.without_email:
            self.stdout.write(
                "Not sent, no email address: " + ", ".join(sorted(report.without_email))
            )
        if report.failed:
            raise CommandError(
                "Sending failed for " + ", ".join(report.failed) + "; the next run tries again."
            )
