"""Webhook deliveries as background jobs: sent by a worker after the commit, each retry a job
due at the next attempt, and the daily expiry check publishing through the same queue."""

import datetime

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from api import tasks
from api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from diligence import services as diligence_services
from tests.api.receiver import webhook_receiver
from tests.factories import AssessmentFactory, AssessmentItemFactory, EvidenceFactory
from tests.workers import run_worker

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_tasks")]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    with webhook_receiver() as receiver:
        yield receiver


def _endpoint(receiver, events):
    return WebhookEndpoint.objects.create(url=f"{receiver.url}/hooks", events=events)


def test_a_delivery_is_a_job_and_its_retry_a_job_due_later(
    receiver, django_capture_on_commit_callbacks
):
    _endpoint(receiver, ["assessment.submitted"])
    receiver.answers["/hooks"] = [503, 200]
    assessment = AssessmentFactory()

    with django_capture_on_commit_callbacks(execute=True):
        diligence_services.assessment_submit(assessment=assessment, by=assessment.owner)
    job = DBTaskResult.objects.get(task_path=tasks.webhook_deliver.module_path)
    assert job.status == TaskResultStatus.READY
    assert receiver.received == []  # the request that made the change sent nothing

    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    retry = DBTaskResult.objects.filter(status=TaskResultStatus.READY).get()
    assert retry.run_after == delivery.next_attempt_at

    run_worker()  # not due yet: nothing is sent
    assert len(receiver.received) == 1

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    run_worker()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)
    assert len(receiver.received) == 2
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def test_the_daily_expiry_check_publishes_and_the_worker_delivers(receiver):
    _endpoint(receiver, ["evidence.expiring"])
    today = datetime.date.today()
    item = AssessmentItemFactory(assessment=AssessmentFactory())
    EvidenceFactory(item=item, valid_until=today + datetime.timedelta(days=3))

    tasks.expiring_publish.enqueue(today.isoformat())
    run_worker()
    tasks.expiring_publish.enqueue(today.isoformat())  # a second run the same day
    run_worker()

    assert [delivery.event for delivery in WebhookDelivery.objects.all()] == ["evidence.expiring"]
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED
    assert len(receiver.received) == 1
