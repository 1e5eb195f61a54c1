"""`manage.py worker`: run background jobs, and start the daily ones when they are due.

Any number of workers may run, on one machine or several, against the same database: each job
is claimed under a row lock (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, an exclusive
transaction on SQLite) and runs once. Every worker also looks at the clock once a minute and
enqueues the day's jobs that no worker has started yet (core.schedule).

The options are django-tasks-db's `db_worker`, with all queues by default.
"""

import logging
import os
import threading

from django.db import DatabaseError, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from core import schedule

logger = logging.getLogger(__name__)

CLOCK_SECONDS = 60


def _watch_the_clock(stop):
    while not stop.is_set():
        try:
            schedule.daily_jobs_enqueue()
        except DatabaseError:  # a busy or restarting database: the next minute tries again
            logger.exception("Could not start the daily jobs")
        finally:
            connection.close()
        stop.wait(CLOCK_SECONDS)


class Command(db_worker.Command):
    help = "Run background jobs (documents, reminders, webhooks) and start the daily ones."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*")
        parser.add_argument(
            "--no-daily-jobs",
            action="store_false",
            dest="daily_jobs",
            help="Only run jobs; leave starting the daily ones to other workers or to cron.",
        )

    def handle(self, *args, daily_jobs=True, **options):
        # With --reload the first process only restarts the one that works; that one watches.
        reloader_parent = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if daily_jobs and not options.get("batch") and not reloader_parent:
            stop = threading.Event()
            threading.Thread(
                target=_watch_the_clock, args=(stop,), name="daily-jobs", daemon=True
            ).start()
        return super().handle(*args, **options)
