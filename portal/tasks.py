"""Background jobs of the supplier link (run by `manage.py worker`)."""

import datetime

from django.conf import settings
from django_tasks import task

from portal.reminders import supplier_reminders_send


@task()
def supplier_reminders(day):
    """The daily reminders to suppliers (a DAILY_JOBS entry); each goes out once."""
    return supplier_reminders_send(
        today=datetime.date.fromisoformat(day), base_url=settings.SITE_URL
    )
