"""Background jobs of the core app (run by `manage.py worker`)."""

import datetime

from django.conf import settings
from django_tasks import task

from core import reminders


@task()
def reminders_send(day):
    """The daily reminder emails (a DAILY_JOBS entry); each reminder goes out once."""
    report = reminders.send_reminders(
        today=datetime.date.fromisoformat(day), base_url=settings.SITE_URL
    )
    return {"emails": report.emails, "reminders": report.reminders, "failed": report.failed}
