"""Webhooks, received by a real server on loopback: signed deliveries after the commit,
retries with backoff, no redirects followed, attempts on record, and only public https
endpoints outside the tests."""

import datetime
import hashlib
import hmac
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from api import webhooks
from api.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from diligence import services as diligence_services
from tests.api.receiver import webhook_receiver
from tests.factories import (
    AssessmentFactory,
    DecisionFactory,
    EvidenceFactory,
    SupplierFactory,
    UserFactory,
)
from tests.security.conftest import NEWER_REGISTER_CSV, SIGNATORY_LIST
from tests.security.live_app import free_port
from vendors import forms as vendor_forms
from vendors import services as vendor_services
from vendors.register import services as register_services

pytestmark = pytest.mark.django_db

ALL = [
    "assessment.submitted",
    "assessment.decided",
    "assessment.reopened",
    "signature.changed",
    "evidence.expiring",
    "decision.expiring",
    "register.imported",
]


def verify(secret, headers, body, now=None, tolerance=300):
    """What a receiver does (README, "Webhooks"): recompute the signature, compare in constant
    time, and refuse old timestamps so a captured delivery cannot be replayed later."""
    timestamp = headers["Webhook-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    sent = headers["Webhook-Signature"].removeprefix("v1=")
    fresh = abs((now or timezone.now().timestamp()) - int(timestamp)) <= tolerance
    return fresh and hmac.compare_digest(expected.hexdigest(), sent)


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    with webhook_receiver() as receiver:
        yield receiver


def endpoint(receiver, path="/hooks", events=ALL, **kwargs):
    return WebhookEndpoint.objects.create(url=f"{receiver.url}{path}", events=events, **kwargs)


def _submit(assessment):
    diligence_services.assessment_submit(assessment=assessment, by=assessment.owner)


def test_submitted_assessment_is_delivered_signed_after_the_commit(
    receiver, django_capture_on_commit_callbacks
):
    hook = endpoint(receiver)
    assessment = AssessmentFactory(reference="TENDER-7")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _submit(assessment)
        assert receiver.received == []  # nothing leaves before the commit

    assert len(callbacks) == 1
    ((path, headers, body),) = receiver.received
    payload = json.loads(body)
    assert path == "/hooks"
    assert verify(hook.secret, headers, body)
    assert not verify("another secret", headers, body)
    assert payload["event"] == "assessment.submitted"
    assert payload["id"] == headers["Webhook-Id"]
    assert payload["data"]["assessment"]["reference"] == "TENDER-7"
    assert payload["data"]["assessment"]["status"] == "in_review"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
    assert WebhookAttempt.objects.get().status_code == 200


def test_a_tampered_body_fails_verification(receiver, django_capture_on_commit_callbacks):
    hook = endpoint(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        _submit(AssessmentFactory())
    (_path, headers, body) = receiver.received[0]

    assert not verify(hook.secret, headers, body.replace(b"in_review", b"decided"))
    assert not verify(hook.secret, headers, body, now=int(headers["Webhook-Timestamp"]) + 3600)


def test_only_the_events_an_endpoint_wants_reach_it(receiver, django_capture_on_commit_callbacks):
    endpoint(receiver, "/decided", events=["assessment.decided"])
    endpoint(receiver, "/off", active=False)
    reviewer = UserFactory(role="Procurement")
    assessment = AssessmentFactory()

    with django_capture_on_commit_callbacks(execute=True):
        _submit(assessment)
        diligence_services.assessment_decide(
            assessment=assessment,
            outcome="rejected",
            conditions="",
            valid_until=datetime.date.today() + datetime.timedelta(days=90),
            by=reviewer,
        )
        diligence_services.assessment_reopen(assessment=assessment, by=reviewer, reason="New model")

    assert receiver.paths() == ["/decided"]
    payload = json.loads(receiver.received[0][2])
    assert payload["data"]["assessment"]["decision"]["outcome"] == "rejected"
    assert payload["actor"] == reviewer.username


def test_failed_delivery_is_retried_with_backoff_until_it_arrives(
    receiver, django_capture_on_commit_callbacks
):
    endpoint(receiver)
    receiver.answers["/hooks"] = [500, 503, 200]
    with django_capture_on_commit_callbacks(execute=True):
        _submit(AssessmentFactory())
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    first_retry = delivery.next_attempt_at
    assert (
        datetime.timedelta(seconds=50)
        < first_retry - timezone.now()
        <= datetime.timedelta(minutes=1)
    )

    # Not due yet: the retry run leaves it alone.
    call_command("webhooks_deliver", stdout=io.StringIO())
    assert WebhookAttempt.objects.count() == 1

    webhooks.delivery_attempt(delivery.pk, now=first_retry)
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at - first_retry >= datetime.timedelta(minutes=5)
    webhooks.delivery_attempt(delivery.pk, now=delivery.next_attempt_at)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 3
    assert [a.status_code for a in delivery.tries.all()] == [500, 503, 200]
    # The same delivery, the same id and body each time.
    assert len({headers["Webhook-Id"] for _p, headers, _b in receiver.received}) == 1
    assert len({body for _p, _h, body in receiver.received}) == 1


def test_delivery_is_given_up_after_the_last_retry(receiver, settings):
    settings.WEBHOOK_RETRY_MINUTES = [1, 5]
    endpoint(receiver)
    receiver.answers["/hooks"] = [500]
    _submit(AssessmentFactory())  # without the commit callbacks: only the retry run sends
    delivery = WebhookDelivery.objects.get()

    for _ in range(3):
        delivery.refresh_from_db()
        webhooks.delivery_attempt(delivery.pk, now=delivery.next_attempt_at)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 3
    assert delivery.next_attempt_at is None
    assert webhooks.delivery_attempt(delivery.pk, now=timezone.now()) is None


def test_a_redirect_is_not_followed(receiver, django_capture_on_commit_callbacks):
    endpoint(receiver, "/moved")
    receiver.answers["/moved"] = [302]

    with django_capture_on_commit_callbacks(execute=True):
        _submit(AssessmentFactory())

    assert receiver.paths() == ["/moved"]  # /caught-redirect never asked
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.tries.get().error == "HTTP 302"


def test_an_endpoint_that_does_not_answer_counts_as_a_failed_attempt(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_TIMEOUT = 1
    WebhookEndpoint.objects.create(url=f"http://127.0.0.1:{free_port()}/", events=ALL)
    _submit(AssessmentFactory())

    webhooks.deliveries_send(list(webhooks.deliveries_due()))

    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None and attempt.error == "ConnectionError"


def test_signature_change_and_register_import_are_events(
    receiver, django_capture_on_commit_callbacks
):
    endpoint(receiver)
    user = UserFactory(role="Procurement")
    supplier = SupplierFactory(name="Mistral AI")
    signature = supplier.signatures.get(chapter="copyright")
    form = vendor_forms.SignatureForm(
        {"status": "not_signed", "source_url": "", "note": ""}, instance=signature
    )
    assert form.is_valid(), form.errors

    with django_capture_on_commit_callbacks(execute=True):
        vendor_services.signatures_update(forms=[form], by=user)
        register_services.register_import(
            data=NEWER_REGISTER_CSV,
            filename="register.csv",
            taken_on=datetime.date.today(),
            source_url=SIGNATORY_LIST,
            by=user,
        )

    events = [json.loads(body) for _p, _h, body in receiver.received]
    assert [e["event"] for e in events] == ["signature.changed", "register.imported"]
    assert events[0]["data"]["signature"]["status"] == "not_signed"
    assert events[1]["data"]["register_snapshot"]["rows"] == 1


def test_expiring_evidence_and_decisions_are_published_once(receiver):
    endpoint(receiver)
    soon = datetime.date.today() + datetime.timedelta(days=10)
    EvidenceFactory(valid_until=soon)
    EvidenceFactory(valid_until=datetime.date.today() + datetime.timedelta(days=200))
    DecisionFactory(valid_until=soon)

    call_command("webhooks_deliver", stdout=io.StringIO())
    call_command("webhooks_deliver", stdout=io.StringIO())

    events = sorted(json.loads(body)["event"] for _p, _h, body in receiver.received)
    assert events == ["decision.expiring", "evidence.expiring"]
    assert WebhookDelivery.objects.count() == 2


@pytest.mark.parametrize(
    ("url", "allow_loopback", "refused"),
    [
        ("https://93.184.216.34/hooks", False, None),
        ("http://93.184.216.34/hooks", False, "must start with https"),
        ("https://127.0.0.1/hooks", False, "private, loopback or reserved"),
        ("https://10.1.2.3/hooks", False, "private, loopback or reserved"),
        ("https://192.168.0.10/hooks", False, "private, loopback or reserved"),
        ("https://169.254.169.254/latest", False, "private, loopback or reserved"),
        ("https://[::1]/hooks", False, "private, loopback or reserved"),
        ("https://user:pw@93.184.216.34/", False, "no user name or password"),
        ("http://127.0.0.1:9/hooks", True, None),
        ("http://10.1.2.3/hooks", True, "private, loopback or reserved"),
    ],
)
def test_endpoint_urls_are_limited_to_public_https(settings, url, allow_loopback, refused):
    settings.WEBHOOK_ALLOW_LOOPBACK = allow_loopback

    if refused is None:
        webhooks.endpoint_url_check(url)
    else:
        with pytest.raises(ValidationError, match=refused):
            webhooks.endpoint_url_check(url)


def test_admin_registers_an_endpoint_and_sees_the_attempts(client, receiver):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:api_webhookendpoint_add"),
        {
            "url": f"{receiver.url}/hooks",
            "description": "ERP",
            "events": ["assessment.submitted"],
            "active": "on",
            "secret": "a-shared-secret-of-enough-length",
        },
    )
    assert response.status_code == 302, response.content
    hook = WebhookEndpoint.objects.get()
    assert hook.created_by == admin_user and hook.events == ["assessment.submitted"]
    _submit(AssessmentFactory())
    webhooks.deliveries_send(list(webhooks.deliveries_due()))

    page = client.get(
        reverse("admin:api_webhookdelivery_change", args=[WebhookDelivery.objects.get().pk])
    )

    assert page.status_code == 200
    assert "assessment.submitted" in page.text and ">200<" in page.text


def test_admin_refuses_a_private_endpoint(client, settings):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:api_webhookendpoint_add"),
        {"url": "https://10.0.0.5/hooks", "events": ["assessment.submitted"], "secret": "x" * 20},
    )

    assert response.status_code == 200
    assert "only go to public addresses" in response.text
    assert not WebhookEndpoint.objects.exists()
