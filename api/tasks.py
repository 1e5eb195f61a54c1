"""Background jobs of the API app: webhook deliveries and their retries, and the daily
"expiring" events (run by `manage.py worker`)."""

import datetime

from django_tasks import task

from api import webhooks
from api.models import DeliveryStatus


@task()
def webhook_deliver(delivery_id):
    """Try one delivery; when it fails and a retry is left, the retry is a job of its own,
    due at the delivery's next attempt (with a backend that can hold jobs until then)."""
    delivery = webhooks.delivery_attempt(delivery_id)
    if delivery is None:
        return None  # delivered, given up or claimed by another attempt meanwhile
    retry_due = delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at
    if retry_due and webhook_deliver.get_backend().supports_defer:
        webhook_deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    return delivery.status


def deliveries_enqueue(delivery_ids):
    for delivery_id in delivery_ids:
        webhook_deliver.enqueue(delivery_id)


@task()
def expiring_publish(day):
    """The daily expiry check (a DAILY_JOBS entry): "expiring" events for evidence and
    decisions, then every delivery that is due, in case a retry job was lost."""
    published = webhooks.expiring_publish(today=datetime.date.fromisoformat(day))
    due = list(webhooks.deliveries_due())
    deliveries_enqueue(due)
    return {"published": published, "deliveries": len(due)}
