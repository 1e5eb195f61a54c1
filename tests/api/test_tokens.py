"""API tokens: created on the account page, shown once, stored hashed, scoped, expiring,
revocable, with their last use on record; wrong tokens are throttled like passwords."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken, TokenScope
from core.models import AuditEntry
from tests.api.conftest import token_for

pytestmark = pytest.mark.django_db


def _bearer(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_token_page_creates_a_token_shown_once_and_stores_only_its_hash(viewer_client, viewer_user):
    response = viewer_client.post(
        reverse("api_tokens"), {"name": "ERP sync", "scope": "read", "expires_in_days": "90"}
    )

    token = response.context["new_token"]
    assert token in response.content.decode()
    row = ApiToken.objects.get(user=viewer_user)
    assert row.name == "ERP sync" and row.scope == TokenScope.READ
    assert row.key_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ApiToken.objects.values().get())
    assert row.expires_at.date() == (timezone.now() + datetime.timedelta(days=90)).date()
    assert response["Cache-Control"].startswith("max-age=0")
    assert AuditEntry.objects.filter(action="api_token_created", actor=viewer_user).exists()
    # Shown once: the page does not show it again.
    assert token not in viewer_client.get(reverse("api_tokens")).content.decode()


def test_token_page_refuses_a_token_without_a_name(viewer_client):
    response = viewer_client.post(
        reverse("api_tokens"), {"name": "", "scope": "read", "expires_in_days": "90"}
    )

    assert response.status_code == 200
    assert response.context["new_token"] is None
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_authenticates_as_its_user_and_records_the_last_use(viewer_user):
    row, token = token_for(viewer_user)

    response = _bearer(token).get(reverse("api:supplier_list"))

    assert response.status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None and row.last_used_ip == "127.0.0.1"


def test_revoked_token_is_refused(viewer_client, viewer_user):
    row, token = token_for(viewer_user)

    viewer_client.post(reverse("api_token_revoke", args=[row.pk]))

    row.refresh_from_db()
    assert row.revoked_at is not None
    response = _bearer(token).get(reverse("api:supplier_list"))
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert AuditEntry.objects.filter(action="api_token_revoked").count() == 1


def test_user_cannot_revoke_someone_elses_token(viewer_client, procurement_user):
    row, _ = token_for(procurement_user)

    response = viewer_client.post(reverse("api_token_revoke", args=[row.pk]))

    assert response.status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None


def test_expired_token_is_refused(viewer_user):
    row, token = token_for(viewer_user)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now())

    assert _bearer(token).get(reverse("api:supplier_list")).status_code == 401


def test_token_of_a_deactivated_user_is_refused(viewer_user):
    _, token = token_for(viewer_user)
    viewer_user.is_active = False
    viewer_user.save()

    assert _bearer(token).get(reverse("api:supplier_list")).status_code == 401


def test_token_with_a_wrong_secret_is_refused(viewer_user):
    row, token = token_for(viewer_user)

    response = _bearer(token[:-2] + "xx").get(reverse("api:supplier_list"))

    assert response.status_code == 401


def test_request_without_credentials_gets_401_not_a_sign_in_page():
    response = APIClient().get(reverse("api:supplier_list"))

    assert response.status_code == 401
    assert response.json() == {
        "status": 401,
        "code": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
        "errors": {},
    }


def test_read_only_token_may_not_write(procurement_user):
    _, token = token_for(procurement_user, scope=TokenScope.READ)

    response = _bearer(token).post(
        reverse("api:supplier_list"), {"name": "Cohere", "country": "CA"}, format="json"
    )

    assert response.status_code == 403
    assert "may only read" in response.json()["detail"]


def test_wrong_tokens_are_throttled_like_failed_sign_ins(settings, viewer_user):
    settings.LOGIN_THROTTLE_IP_FAILURES = 3
    _, good = token_for(viewer_user)
    for _ in range(3):
        assert (
            _bearer("gdd_000000000000_wrong").get(reverse("api:supplier_list")).status_code == 401
        )

    response = _bearer(good).get(reverse("api:supplier_list"))

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"


def test_requests_per_token_are_throttled(settings, viewer_user):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/min", "address": "100/min"},
    }
    _, token = token_for(viewer_user)
    client = _bearer(token)
    statuses = [client.get(reverse("api:supplier_list")).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert "Retry-After" in client.get(reverse("api:supplier_list"))
