"""The worker: jobs claimed under a row lock run once, however many workers run at once; the
daily jobs are started once a day; reminders are never sent twice when runs overlap."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core import schedule
from core.models import DailyRun, SentReminder
from core.tasks import reminders_send
from tests.factories import AssessmentFactory, UserFactory
from tests.workers import record_run, run_worker, worker

TODAY = datetime.date.today()
JOBS = 40

# Workers on several machines share PostgreSQL. The in-memory SQLite database of the tests
# refuses a second writer at once ("table is locked") instead of waiting as a database file
# does, so the tests that run workers side by side run on PostgreSQL (`.ci/run` runs both).
side_by_side = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
)


def _in_threads(*targets):
    """Run the targets at the same time, each in a thread with its own connection."""
    errors = []

    def run(target):
        try:
            target()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


@side_by_side
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_run_each_job_exactly_once(database_tasks):
    ids = [record_run.enqueue(number).id for number in range(JOBS)]

    _in_threads(worker("worker-a").run, worker("worker-b").run)

    rows = DBTaskResult.objects.filter(id__in=ids)
    assert rows.count() == JOBS
    assert set(rows.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    assert all(len(row.worker_ids) == 1 for row in rows)  # claimed once, by one worker
    assert DailyRun.objects.filter(job__startswith="test-run:").count() == JOBS


@pytest.mark.django_db
def test_a_job_waits_in_the_database_until_a_worker_runs_it(database_tasks):
    result = record_run.enqueue(7)
    assert DBTaskResult.objects.get(id=result.id).status == TaskResultStatus.READY
    assert not DailyRun.objects.exists()

    run_worker()

    row = DBTaskResult.objects.get(id=result.id)
    assert (row.status, row.return_value, row.worker_ids) == ("SUCCESSFUL", 7, ["worker-1"])


def _at(hour, day=TODAY):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.mark.django_db
def test_daily_jobs_start_once_a_day_from_their_hour(database_tasks, settings):
    settings.DAILY_JOBS_HOUR = 6

    assert schedule.daily_jobs_enqueue(now=_at(5)) == []
    assert schedule.daily_jobs_enqueue(now=_at(6)) == settings.DAILY_JOBS
    assert schedule.daily_jobs_enqueue(now=_at(18)) == []
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert schedule.daily_jobs_enqueue(now=_at(7, tomorrow)) == settings.DAILY_JOBS

    queued = DBTaskResult.objects.order_by("enqueued_at", "task_path")
    assert sorted((row.task_path, row.args_kwargs["args"][0]) for row in queued) == sorted(
        [(path, day.isoformat()) for path in settings.DAILY_JOBS for day in (TODAY, tomorrow)]
    )
    run_worker()
    assert set(queued.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}


@side_by_side
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_workers_looking_at_the_clock_together_start_each_daily_job_once(database_tasks, settings):
    settings.DAILY_JOBS_HOUR = 0
    now = _at(9)

    _in_threads(*[lambda: schedule.daily_jobs_enqueue(now=now)] * 4)

    assert DailyRun.objects.filter(day=TODAY).count() == len(settings.DAILY_JOBS)
    assert DBTaskResult.objects.count() == len(settings.DAILY_JOBS)


@side_by_side
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_overlapping_reminder_runs_email_each_reminder_once(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    owner = UserFactory(username="olga", email="olga@example.org", role="Procurement")
    due = AssessmentFactory(owner=owner, due_date=TODAY + datetime.timedelta(days=5))

    _in_threads(*[lambda: reminders_send.call(TODAY.isoformat())] * 3)
    reminders_send.call(TODAY.isoformat())  # and a run the next hour

    assert [message.to for message in mail.outbox] == [["olga@example.org"]]
    assert due.reference in mail.outbox[0].body
    assert SentReminder.objects.filter(recipient=owner).exists()


@pytest.mark.django_db
def test_daily_jobs_command_for_cron(database_tasks, settings, capsys):
    settings.DAILY_JOBS_HOUR = 0

    call_command("daily_jobs")
    call_command("daily_jobs")

    out = capsys.readouterr().out
    assert f"Started: {', '.join(settings.DAILY_JOBS)}." in out
    assert "core.tasks.reminders_send, api.tasks.expiring_publish" in out
    assert "Nothing to start: all ran today." in out
    assert DBTaskResult.objects.count() == len(settings.DAILY_JOBS) == 3
