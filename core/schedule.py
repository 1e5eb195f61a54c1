"""Daily jobs the worker starts by itself: reminders and expiry checks (the DAILY_JOBS setting).

Every worker looks at the clock about once a minute (`manage.py worker`). From DAILY_JOBS_HOUR
on, the first one to claim today's DailyRun row of a job enqueues the job, in the same
transaction. The row is unique per job and day, so however many workers, servers or manual
runs overlap, a job is enqueued once a day; a worker that was stopped at that hour starts the
day's jobs when it comes back. The jobs themselves send nothing twice either
(core.reminders: one SentReminder per reminder and recipient).
"""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import DailyRun

logger = logging.getLogger(__name__)


def daily_jobs_enqueue(*, now=None):
    """Enqueue the daily jobs not yet started today; returns the paths of those enqueued."""
    now = timezone.localtime(now)
    if now.hour < settings.DAILY_JOBS_HOUR:
        return []
    today = now.date()
    started = []
    for path in settings.DAILY_JOBS:
        job = import_string(path)
        try:
            with transaction.atomic():
                DailyRun.objects.create(job=path, day=today)
                job.enqueue(today.isoformat())
        except IntegrityError:
            continue  # another worker started it today
        logger.info("Started the daily job %s for %s", path, today)
        started.append(path)
    return started
