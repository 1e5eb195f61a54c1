"""Two-factor sign-in: required for staff and administrators, optional for others, through
the sign-in page and the admin's; enrolment, recovery codes, throttling and the audit trail."""

import base64
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEntry
from core.roles import CHECKLIST_ADMIN, PROCUREMENT
from identity import second_factor
from identity.models import RecoveryCode
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-sign-in-password"


def code_of(device, drift=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def sign_in(client, username, url=None, next_url=None):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(url or reverse("login"), data)


@pytest.fixture
def staff():
    return UserFactory(username="sam", role=CHECKLIST_ADMIN, is_staff=True, password=PASSWORD)


@pytest.fixture
def buyer():
    return UserFactory(username="paula", role=PROCUREMENT, password=PASSWORD)


def enrolled(user):
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    codes = second_factor.recovery_codes_issue(user=user, by=user)
    return device, codes


def test_staff_without_an_authenticator_is_led_to_set_one_up(client, staff):
    sign_in(client, "sam")

    response = client.get(reverse("vendors:supplier_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("identity:enrol"))


def test_enrolment_shows_a_server_drawn_qr_code_and_turns_two_factor_on(client, staff):
    sign_in(client, "sam")
    page = client.get(reverse("identity:enrol"))
    qr = client.get(reverse("identity:enrol_qr"))
    secret = page.context["secret"].replace(" ", "")
    device = TOTPDevice(key=base64.b32decode(secret + "=" * (-len(secret) % 8)).hex())

    response = client.post(reverse("identity:enrol"), {"code": code_of(device)})

    assert page.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    codes = response.context["codes"]
    assert len(codes) == 10 and all(re.fullmatch(r"(\w{4}-){3}\w{4}", c) for c in codes)
    saved = TOTPDevice.objects.get(user=staff)
    assert saved.confirmed and saved.key == device.key  # the secret the page showed
    # Only hashes are stored.
    assert not RecoveryCode.objects.filter(code_sha256__in=codes).exists()
    assert client.get(reverse("vendors:supplier_list")).status_code == 200
    assert AuditEntry.objects.filter(action="two_factor_enrolled", actor=staff).exists()


def test_enrolment_refuses_a_wrong_code(client, staff):
    sign_in(client, "sam")
    client.get(reverse("identity:enrol"))

    response = client.post(reverse("identity:enrol"), {"code": "000000"})

    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    assert client.get(reverse("home")).status_code == 302


def test_enrolled_user_gives_a_code_after_the_password(client, staff):
    device, _ = enrolled(staff)
    sign_in(client, "sam", next_url=reverse("vendors:supplier_list"))

    blocked = client.get(reverse("vendors:supplier_list"))
    wrong = client.post(reverse("identity:verify"), {"code": "123456"})
    right = client.post(
        reverse("identity:verify"),
        {"code": code_of(device), "next": reverse("vendors:supplier_list")},
    )

    assert blocked["Location"].startswith(reverse("identity:verify"))
    assert "That code is not right" in wrong.content.decode()
    assert right["Location"] == reverse("vendors:supplier_list")
    assert client.get(reverse("vendors:supplier_list")).status_code == 200
    actions = list(AuditEntry.objects.filter(actor=staff).values_list("action", flat=True))
    assert "two_factor_failed" in actions and "two_factor_verified" in actions


def test_recovery_code_works_once(staff):
    _, codes = enrolled(staff)
    first, second = Client(), Client()
    sign_in(first, "sam")
    sign_in(second, "sam")

    used = first.post(reverse("identity:verify"), {"code": codes[0].upper()})
    again = second.post(reverse("identity:verify"), {"code": codes[0]})

    assert used.status_code == 302
    assert "That code is not right" in again.content.decode()
    assert second_factor.recovery_codes_left(staff) == 9


def test_wrong_codes_are_throttled_like_passwords(client, settings, staff):
    settings.LOGIN_THROTTLE_FAILURES = 3
    device, _ = enrolled(staff)
    sign_in(client, "sam")
    for _ in range(3):
        client.post(reverse("identity:verify"), {"code": "000000"})

    response = client.post(reverse("identity:verify"), {"code": code_of(device)})

    assert "Too many wrong codes" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_admin_sign_in_asks_for_the_second_factor_too(client, staff):
    device, _ = enrolled(staff)
    sign_in(client, "sam", url=reverse("admin:login"), next_url=reverse("admin:index"))

    blocked = client.get(reverse("admin:index"))
    client.post(reverse("identity:verify"), {"code": code_of(device)})

    assert blocked["Location"].startswith(reverse("identity:verify"))
    assert client.get(reverse("admin:index")).status_code == 200


def test_others_need_no_second_factor_unless_they_turn_it_on(client, buyer):
    sign_in(client, "paula")

    assert client.get(reverse("home")).status_code == 200


def test_setting_requires_a_second_factor_for_everyone(client, settings, buyer):
    settings.TWO_FACTOR_REQUIRED_FOR_ALL = True
    sign_in(client, "paula")

    assert client.get(reverse("home"))["Location"].startswith(reverse("identity:enrol"))


def test_a_user_who_turned_it_on_must_give_a_code(client, buyer):
    enrolled(buyer)
    sign_in(client, "paula")

    assert client.get(reverse("home"))["Location"].startswith(reverse("identity:verify"))


def test_optional_user_may_turn_it_off_but_staff_may_not(buyer, staff):
    for user in (buyer, staff):
        enrolled(user)
        client = Client()
        client.force_login(user)
        client.post(reverse("identity:remove"))

    assert not TOTPDevice.objects.filter(user=buyer).exists()
    assert TOTPDevice.objects.filter(user=staff).exists()


def test_new_recovery_codes_replace_the_old_ones(client, buyer):
    _, old = enrolled(buyer)
    client.force_login(buyer)

    response = client.post(reverse("identity:recovery_codes"))

    new = response.context["codes"]
    assert set(new).isdisjoint(old)
    assert second_factor.recovery_codes_left(buyer) == 10
    assert not second_factor._recovery_code_use(buyer, old[0])


def test_verify_page_does_not_redirect_off_site(client, staff):
    device, _ = enrolled(staff)
    sign_in(client, "sam")

    response = client.post(
        reverse("identity:verify"), {"code": code_of(device), "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("home")


def test_force_login_fixture_marks_the_sign_in_complete(staff):
    client = Client()
    client.force_login(staff)

    assert client.get(reverse("home")).status_code == 200
    assert client.session[second_factor.STATE_KEY] == second_factor.DONE
