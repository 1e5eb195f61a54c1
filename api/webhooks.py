"""Webhooks: events sent to registered endpoints, signed, retried with backoff, on record.

Each delivery is a POST of a JSON body with three headers:

    Webhook-Id: <the delivery's UUID, the same on every retry>
    Webhook-Timestamp: <Unix time of this attempt, in seconds>
    Webhook-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>" under the endpoint's secret>

Each delivery is a background job (api/tasks.py), enqueued when the transaction that caused
it commits, and each retry is a job due at the next attempt. The worker publishes the
"expiring" events daily; `manage.py webhooks_deliver` does the same and tries every delivery
that is due, for a deployment that prefers cron. `delivery_attempt(delivery_id)` takes only an
id and claims the delivery under a row lock, so no two attempts send it at once.
"""

import datetime
import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from api import serializers as s
from api.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from core import events
from diligence.models import Assessment, Decision, Evidence
from vendors.models import RegisterSnapshot, Signature

logger = logging.getLogger(__name__)


# Where deliveries may go -----------------------------------------------------------------------


def _addresses(host):
    try:
        return {ipaddress.ip_address(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError, ValueError):
        return set()


def endpoint_url_check(url):
    """Refuse a URL that deliveries must not reach: only https, and only public addresses, so
    a webhook cannot be pointed at the app's own network. WEBHOOK_ALLOW_LOOPBACK (tests and
    local trials) also lets plain http to loopback through."""
    parts = urlsplit(url)
    allow_loopback = settings.WEBHOOK_ALLOW_LOOPBACK
    if parts.scheme != "https" and not (allow_loopback and parts.scheme == "http"):
        raise ValidationError("A webhook URL must start with https://.")
    if parts.username or parts.password:
        raise ValidationError("Put no user name or password in the URL; deliveries are signed.")
    addresses = _addresses(parts.hostname or "")
    if not addresses:
        raise ValidationError("The host name of this URL cannot be resolved.")
    for address in addresses:
        if address.is_loopback and allow_loopback:
            continue
        if not address.is_global:
            raise ValidationError(
                "This URL leads to a private, loopback or reserved address; webhooks only go to "
                "public addresses."
            )
    if parts.scheme == "http" and not all(a.is_loopback for a in addresses):
        raise ValidationError("A webhook URL must start with https://.")


# Signing -------------------------------------------------------------------------------------


def signature(secret, timestamp, body):
    message = f"{timestamp}.".encode() + body
    return "v1=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


# What an event says ----------------------------------------------------------------------------


def _data(target):
    if isinstance(target, Assessment):
        assessment = (
            Assessment.objects.select_related("owner", "checklist", "decision__decided_by")
            .prefetch_related("decisions__decided_by")
            .get(pk=target.pk)
        )
        return {"assessment": s.AssessmentOut(assessment).data}
    if isinstance(target, Signature):
        return {"supplier": target.supplier_id, "signature": s.SignatureOut(target).data}
    if isinstance(target, Evidence):
        item = target.item
        return {
            "assessment": item.assessment_id,
            "item": item.pk,
            "evidence": s.EvidenceOut(target).data,
        }
    if isinstance(target, Decision):
        return {"assessment": target.assessment_id, "decision": s.DecisionOut(target).data}
    if isinstance(target, RegisterSnapshot):
        return {
            "register_snapshot": {
                "id": target.pk,
                "taken_on": target.taken_on,
                "source_url": target.source_url,
                "file_name": target.file_name,
                "file_sha256": target.file_sha256,
                "rows": target.entries.count(),
            }
        }
    raise TypeError(f"No webhook payload for {type(target).__name__}")


def _endpoints_for(event):
    return [e for e in WebhookEndpoint.objects.filter(active=True) if event in e.events]


def _key(event, target, occurred):
    return f"{event}:{type(target).__name__.lower()}:{target.pk}:{occurred.isoformat()}"


def _delivery(endpoint, *, event, key, occurred, by, data):
    """An unsaved delivery of one occurrence to one endpoint, its payload written in."""
    delivery = WebhookDelivery(
        endpoint=endpoint, event=event, key=key[:200], next_attempt_at=occurred, payload={}
    )
    delivery.payload = {
        "id": str(delivery.uuid),
        "event": event,
        "occurred_at": occurred.isoformat(),
        "actor": by.get_username() if by else None,
        "data": data,
    }
    return delivery


def _payload_data(target):
    return json.loads(json.dumps(_data(target), cls=DjangoJSONEncoder))


def on_event(event, *, target, by=None, key=None):
    """Listener of core.events: one delivery per active endpoint that wants the event,
    written in the event's transaction and sent once it commits."""
    endpoints = _endpoints_for(event)
    if not endpoints:
        return
    occurred = timezone.now()
    key = key or _key(event, target, occurred)
    data = _payload_data(target)
    created = []
    for endpoint in endpoints:
        delivery = _delivery(endpoint, event=event, key=key, occurred=occurred, by=by, data=data)
        try:
            with transaction.atomic():
                delivery.save()
        except IntegrityError:
            continue  # this occurrence reached the endpoint already
        created.append(delivery.pk)
    if created:
        # A job per delivery once the change is committed (api.tasks: a worker sends it, and
        # its retries are jobs too). Imported here: the tasks module imports this one.
        from api import tasks

        transaction.on_commit(lambda: tasks.deliveries_enqueue(created))


def on_events(event, *, targets, by=None):
    """`on_event` for many targets of one event: the endpoints are looked up once and the
    deliveries written together."""
    endpoints = _endpoints_for(event)
    if not endpoints:
        return
    occurred = timezone.now()
    deliveries = []
    for target in targets:
        key, data = _key(event, target, occurred), _payload_data(target)
        deliveries += [
            _delivery(endpoint, event=event, key=key, occurred=occurred, by=by, data=data)
            for endpoint in endpoints
        ]
    try:
        with transaction.atomic():
            created = [d.pk for d in WebhookDelivery.objects.bulk_create(deliveries, 1000)]
    except IntegrityError:
        # An occurrence reached an endpoint already: one at a time, skipping those.
        for target in targets:
            on_event(event, target=target, by=by)
        return
    from api import tasks

    transaction.on_commit(lambda: tasks.deliveries_enqueue(created))


# Sending ---------------------------------------------------------------------------------------


def _next_attempt(attempts, now):
    delays = settings.WEBHOOK_RETRY_MINUTES
    if attempts > len(delays):
        return None
    return now + datetime.timedelta(minutes=delays[attempts - 1])


def delivery_attempt(delivery_id, *, now=None):
    """Try one delivery once, if it is still pending and due. Returns the delivery."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return None
        # Claimed: a concurrent run sees it as not due while this one sends.
        delivery.next_attempt_at = now + datetime.timedelta(seconds=settings.WEBHOOK_TIMEOUT * 2)
        delivery.save(update_fields=["next_attempt_at"])
    status_code, error, started = None, "", time.monotonic()
    try:
        endpoint_url_check(delivery.endpoint.url)
        body = json.dumps(delivery.payload, separators=(",", ":")).encode()
        timestamp = str(int(time.time()))
        response = requests.post(
            delivery.endpoint.url,
            data=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "gpai-due-diligence-webhooks/1",
                "Webhook-Id": str(delivery.uuid),
                "Webhook-Timestamp": timestamp,
                "Webhook-Signature": signature(delivery.endpoint.secret, timestamp, body),
            },
            timeout=settings.WEBHOOK_TIMEOUT,
            allow_redirects=False,  # a redirect could lead anywhere: it counts as a failure
        )
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except ValidationError as refused:
        error = " ".join(refused.messages)
    except requests.RequestException as failure:
        error = type(failure).__name__
    return _record_attempt(delivery, status_code, error, started, now)


@transaction.atomic
def _record_attempt(delivery, status_code, error, started, now):
    WebhookAttempt.objects.create(
        delivery=delivery,
        status_code=status_code,
        error=error[:500],
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    delivery.attempts += 1
    if not error:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            DeliveryStatus.DELIVERED,
            timezone.now(),
            None,
        )
    else:
        delivery.next_attempt_at = _next_attempt(delivery.attempts, now)
        if delivery.next_attempt_at is None:
            delivery.status = DeliveryStatus.FAILED
        logger.warning("Webhook delivery %s failed: %s", delivery.uuid, error)
    delivery.save(update_fields=["attempts", "status", "delivered_at", "next_attempt_at"])
    return delivery


def deliveries_send(delivery_ids):
    """Try these deliveries now (after the commit that made them)."""
    for delivery_id in delivery_ids:
        try:
            delivery_attempt(delivery_id)
        except Exception:  # the change itself is done; the retry run will try again
            logger.exception("Webhook delivery %s could not be tried", delivery_id)


def deliveries_due(now=None):
    now = now or timezone.now()
    return WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).values_list("pk", flat=True)


# Expiring evidence and decisions ---------------------------------------------------------------


def expiring_publish(*, today=None):
    """Publish "expiring" for current evidence and decisions whose validity ends within
    WEBHOOK_EXPIRY_DAYS; each record and end date once, however often this runs."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.WEBHOOK_EXPIRY_DAYS)
    count = 0
    evidence = Evidence.objects.filter(
        is_current=True, valid_until__gte=today, valid_until__lte=horizon
    ).select_related("item", "created_by")
    for record in evidence:
        key = f"{events.EVIDENCE_EXPIRING}:evidence:{record.pk}:{record.valid_until}"
        with transaction.atomic():
            events.publish(events.EVIDENCE_EXPIRING, target=record, key=key)
        count += 1
    decisions = Decision.objects.filter(
        valid_until__gte=today, valid_until__lte=horizon, assessment__decision=F("pk")
    ).select_related("decided_by")
    for record in decisions:
        key = f"{events.DECISION_EXPIRING}:decision:{record.pk}:{record.valid_until}"
        with transaction.atomic():
            events.publish(events.DECISION_EXPIRING, target=record, key=key)
        count += 1
    return count
