"""Single sign-on without a browser: roles from groups, password sign-in turned off but for the
break-glass accounts, the sign-in page, and sign-out at the provider (a real one, on loopback)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry
from core.roles import LEGAL, PROCUREMENT, VIEWER
from identity import oidc, second_factor
from tests.factories import UserFactory
from tests.identity.provider import CLIENT_ID, openid_provider, use_provider
from tests.security.live_app import free_port

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-sign-in-password"
ROLE_MAP = {"dd-buyers": PROCUREMENT, "dd-legal": LEGAL, "dd-odd": "No such role"}


@pytest.mark.parametrize(
    ("groups", "roles"),
    [
        (["dd-buyers"], {PROCUREMENT}),
        (["dd-buyers", "dd-legal", "all-staff"], {PROCUREMENT, LEGAL}),
        ("dd-legal", {LEGAL}),  # some providers send one group as a string
        (["all-staff"], set()),
        (None, set()),
        (["dd-odd"], set()),  # a map to a role the app does not have grants nothing
    ],
)
def test_roles_for_groups(groups, roles):
    assert oidc.roles_for_groups(groups, ROLE_MAP) == roles


def test_roles_follow_the_groups_at_each_sign_in(settings):
    settings.OIDC_ROLE_MAP = ROLE_MAP
    user = UserFactory(role=VIEWER)

    oidc.user_roles_sync(user=user, groups=["dd-buyers"])
    oidc.user_roles_sync(user=user, groups=["dd-buyers"])  # unchanged: nothing written

    assert set(user.groups.values_list("name", flat=True)) == {PROCUREMENT}
    assert AuditEntry.objects.filter(action="roles_synced", target_id=str(user.pk)).count() == 1


def test_without_a_role_map_roles_stay_with_the_admin(settings):
    settings.OIDC_ROLE_MAP = {}
    user = UserFactory(role=VIEWER)
    other = Group.objects.create(name="Not a role")
    user.groups.add(other)

    oidc.user_roles_sync(user=user, groups=["dd-buyers"])

    assert set(user.groups.values_list("name", flat=True)) == {VIEWER, "Not a role"}


def _password_sign_in(client, username, url=None):
    return client.post(url or reverse("login"), {"username": username, "password": PASSWORD})


def test_password_sign_in_can_be_off_for_all_but_the_break_glass_accounts(settings):
    settings.PASSWORD_SIGN_IN = False
    settings.PASSWORD_SIGN_IN_ACCOUNTS = ["emergency"]
    UserFactory(username="paula", role=PROCUREMENT, password=PASSWORD)
    UserFactory(username="emergency", is_staff=True, is_superuser=True, password=PASSWORD)

    refused = _password_sign_in(Client(), "paula")
    refused_in_admin = _password_sign_in(Client(), "paula", reverse("admin:login"))
    allowed = _password_sign_in(Client(), "emergency", reverse("admin:login"))

    assert refused.status_code == 200 and "correct username and password" in refused.text
    assert refused_in_admin.status_code == 200
    assert allowed.status_code == 302


def test_sign_in_page_offers_single_sign_on_when_configured(client, settings):
    settings.OIDC_ISSUER = "https://id.example.org/realms/staff"
    settings.OIDC_PROVIDER_NAME = "Example ID"
    settings.PASSWORD_SIGN_IN = False

    page = client.get(reverse("login") + "?next=/suppliers/").text

    assert 'href="/accounts/oidc/authenticate/?next=/suppliers/"' in page
    assert "Sign in with Example ID" in page
    assert "<summary>Emergency account</summary>" in page


def test_sign_in_page_without_single_sign_on_shows_only_the_password_form(client):
    page = client.get(reverse("login")).text

    assert "Sign in with" not in page and "Emergency account" not in page


def test_password_users_sign_out_to_the_sign_in_page(client, viewer_user):
    client.force_login(viewer_user)

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_single_sign_on_users_sign_out_at_the_provider_too(settings, tmp_path):
    user = UserFactory(username="alice@example.org")
    with openid_provider(
        app_url="http://testserver",
        callback_path=reverse("oidc_authentication_callback"),
        login_path=reverse("login"),
        accounts={},
        tmp_path=tmp_path,
    ) as provider:
        use_provider(settings, provider, {})
        client = Client()
        client.force_login(user, backend=second_factor.SSO_BACKEND)
        session = client.session
        session["oidc_id_token"] = "the-id-token"
        session.save()

        response = client.post(reverse("logout"))

    assert re.fullmatch(
        re.escape(f"{provider.issuer}/session/end?client_id={CLIENT_ID}")
        + r"&post_logout_redirect_uri=http%3A%2F%2Ftestserver%2Faccounts%2Flogin%2F"
        + r"&id_token_hint=the-id-token",
        response["Location"],
    )
    assert client.get(reverse("home")).status_code == 302


def test_single_sign_on_needs_no_local_second_factor(settings):
    staff = UserFactory(is_staff=True)
    assert second_factor.state_after_sign_in(staff, second_factor.SSO_BACKEND) == "done"
    assert second_factor.state_after_sign_in(staff, "identity.backends.LocalPasswordBackend") == (
        "enrol"
    )


def test_sign_out_still_works_when_the_provider_cannot_be_reached(settings):
    settings.OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    settings.AUTHENTICATION_BACKENDS = [
        "identity.backends.LocalPasswordBackend",
        second_factor.SSO_BACKEND,
    ]
    client = Client()
    client.force_login(UserFactory(), backend=second_factor.SSO_BACKEND)

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302
