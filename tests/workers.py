"""Jobs in tests: the database backend as in production, and the worker run in-process.

The suite runs jobs at once (TASKS_IMMEDIATE, the default under pytest). Tests of the queue
itself take the `database_tasks` fixture: jobs become rows, and `run_worker()` runs the real
worker loop of django-tasks-db until the queue is empty.
"""

import datetime
from unittest import mock

import pytest
from django_tasks import task
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker

from core.models import DailyRun

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "documents"]}
}


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


def worker(worker_id="worker-1"):
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def run_worker(worker_id="worker-1"):
    """Run every job that is due, in this process, as `manage.py worker --batch` would.

    The worker closes connections that are not in autocommit mode, as a new request would; in
    a test's transaction that would close the test's own connection, so here it keeps it."""
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker(worker_id).run()


@task()
def record_run(number):
    """A job that leaves a row per run: a second run of the same job fails on the unique row."""
    DailyRun.objects.create(job=f"test-run:{number}", day=datetime.date.today())
    return number
