"""Single sign-on against a real OpenID provider (oidc-provider on loopback) in a browser."""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import expect

from core.models import AuditEntry
from tests.identity.provider import openid_provider, use_provider

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ALICE = {
    "email": "alice@example.org",
    "given_name": "Alice",
    "family_name": "Buyer",
    "groups": ["dd-buyers", "all-staff"],
}


@pytest.fixture
def provider(live_server, settings, tmp_path):
    with openid_provider(
        app_url=live_server.url,
        callback_path=reverse("oidc_authentication_callback"),
        login_path=reverse("login"),
        accounts={"alice": ALICE},
        tmp_path=tmp_path,
    ) as provider:
        use_provider(settings, provider, {"dd-buyers": "Procurement", "dd-legal": "Legal"})
        yield provider


def _sign_in_at_provider(page, login="alice"):
    page.goto(reverse("login"))
    page.get_by_role("link", name="Sign in with Example ID").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password: the test provider takes it")
    page.locator("button[type=submit]").click()


def _with_param(url, name, value):
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query[name] = value
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_single_sign_on_creates_the_user_maps_roles_and_signs_out_at_the_provider(page, provider):
    _sign_in_at_provider(page)

    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    expect(page.get_by_role("link", name="Suppliers", exact=True)).to_be_visible()
    alice = User.objects.get(email="alice@example.org")
    assert alice.username == "alice@example.org" and alice.first_name == "Alice"
    assert list(alice.groups.values_list("name", flat=True)) == ["Procurement"]
    assert not alice.has_usable_password()

    # Removed from the group at the provider: the role goes at the next sign-in.
    provider.set_accounts({"alice": {**ALICE, "groups": ["all-staff"]}})
    page.get_by_role("button", name=re.compile("^Account menu for")).click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(re.escape(f"{provider.issuer}/session/end?")))
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    _sign_in_at_provider(page)

    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    expect(page.get_by_role("link", name="Suppliers", exact=True)).to_have_count(0)
    assert not alice.groups.exists()
    assert AuditEntry.objects.filter(action="roles_synced", actor=alice).count() == 2


def _redirect_tampered(route, location, name):
    """Answer the routed request with a redirect to `location`, its `name` parameter forged.

    Browsers follow redirects without routing them again, so the test answers the request
    that starts the redirects itself."""
    route.fulfill(status=302, headers={"Location": _with_param(location, name, "forged")})


def test_a_tampered_state_signs_no_one_in(page, provider):
    def provider_answer(route):
        # The sign-in form's answer leads to the provider's resume step, which leads back to
        # the app with the code and the state: follow the first two here, forge the state.
        if route.request.method != "POST":
            route.continue_()
            return
        resume = route.fetch(max_redirects=0).headers["location"]
        callback = page.context.request.get(resume, max_redirects=0).headers["location"]
        assert "code=" in callback
        _redirect_tampered(route, callback, "state")

    page.route(re.compile(re.escape(provider.issuer) + r"/interaction/[^/?]+$"), provider_answer)

    _sign_in_at_provider(page)

    expect(page.get_by_role("heading", name="The request could not be understood")).to_be_visible()
    page.goto(reverse("home"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert not User.objects.filter(email="alice@example.org").exists()


def test_a_tampered_nonce_signs_no_one_in(page, provider):
    def app_answer(route):
        authorization = route.fetch(max_redirects=0).headers["location"]
        _redirect_tampered(route, authorization, "nonce")

    page.route(f"**{reverse('oidc_authentication_init')}", app_answer)

    _sign_in_at_provider(page)

    expect(page.get_by_role("heading", name="The request could not be understood")).to_be_visible()
    page.goto(reverse("home"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert not User.objects.filter(email="alice@example.org").exists()
