import base64
import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import expect

from core.roles import CHECKLIST_ADMIN
from tests.factories import UserFactory

PASSWORD = "a-demo-password-for-the-browser"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _code(secret, drift=0):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, drift=drift):06d}"


def _password(page, next_url, button="Sign in"):
    page.goto(next_url)
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=button).click()


def test_staff_sets_up_an_authenticator_and_signs_in_with_it(page):
    UserFactory(username="sam", role=CHECKLIST_ADMIN, is_staff=True, password=PASSWORD)

    # First sign-in: the password, then the set-up, before any page.
    _password(page, reverse("vendors:register_list"))
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    qr = page.get_by_role("img", name="QR code to add GPAI due diligence to an authenticator app")
    expect(qr).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from the app").fill(_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    recovery = page.locator(".recovery-codes code").all_inner_texts()
    assert len(recovery) == 10
    page.get_by_role("link", name="I have kept them, continue").click()
    expect(page.get_by_role("heading", name="Signatory register")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Account menu for")).click()
    page.get_by_role("button", name="Sign out").click()

    # Next sign-in: the password, then the code the app shows now (the next 30-second step,
    # since the step just used cannot sign in twice).
    _password(page, reverse("vendors:register_list"))
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    page.get_by_label("Code").fill(_code(secret, drift=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Signatory register")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Account menu for")).click()
    page.get_by_role("button", name="Sign out").click()

    # The admin asks the same; a recovery code stands in for the phone.
    _password(page, reverse("admin:index"), button="Log in")
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    page.get_by_label("Code").fill(recovery[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
