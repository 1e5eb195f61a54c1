"""Security headers on every response, production cookie and transport settings, and a browser
that runs every page under the Content Security Policy without refusing anything."""

import base64
import datetime
import runpy
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import expect, sync_playwright

from core.roles import PROCUREMENT
from diligence import services as diligence_services
from diligence.applicability import Category
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import GPAIModelFactory, SupplierFactory, UserFactory

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
PASSWORD = "a-password-for-the-browser"


def _assessment(owner):
    supplier = SupplierFactory(name="Mistral AI", country="FR", signatures={"copyright": "signed"})
    model = GPAIModelFactory(supplier=supplier, name="Mistral Medium", version="3")
    return diligence_services.assessment_start(
        model=model,
        reference="TENDER-2026-001",
        purpose="Drafting replies to customer enquiries.",
        owner=owner,
        due_date=datetime.date.today() + datetime.timedelta(days=30),
        by=owner,
    )


def _pages(assessment):
    """A page of each app, the admin's, and pages a visitor sees."""
    supplier = assessment.supplier
    return {
        "dashboard": reverse("home"),
        "supplier list": reverse("vendors:supplier_list"),
        "supplier": reverse("vendors:supplier_detail", args=[supplier.pk]),
        "signatory register": reverse("vendors:register_list"),
        "assessment": reverse("diligence:assessment_detail", args=[assessment.pk]),
        "clause pack": reverse("contracts:clause_pack", args=[assessment.pk]),
        "CSV export": reverse("vendors:supplier_export"),
        "admin change page": reverse("admin:vendors_supplier_change", args=[supplier.pk]),
    }


@pytest.mark.django_db
def test_every_page_sends_the_security_headers(admin_client, admin_user):
    pages = _pages(_assessment(admin_user))
    responses = {name: admin_client.get(url) for name, url in pages.items()}
    visitor = Client()
    responses["sign-in page"] = visitor.get(reverse("login"))
    responses["redirect to sign in"] = visitor.get(reverse("home"))
    responses["not found"] = admin_client.get("/no-such-page/")

    for name, response in responses.items():
        assert response.status_code in (200, 302, 404), name
        for header, value in HEADERS.items():
            assert response.headers.get(header) == value, f"{name}: {header}"


def test_the_policy_allows_no_inline_script_or_style():
    directives = dict(
        part.split(" ", 1) for part in django_settings.CONTENT_SECURITY_POLICY.split("; ")
    )

    assert directives["script-src"] == directives["style-src"] == "'self'"
    assert "unsafe" not in django_settings.CONTENT_SECURITY_POLICY


# Production: HTTPS on, as by default outside development


@pytest.fixture
def production(settings, monkeypatch):
    """This test run's settings, with the transport and cookie settings production gets."""
    monkeypatch.delenv("DEBUG", raising=False)
    monkeypatch.setenv("HTTPS", "1")
    monkeypatch.setenv("SECRET_KEY", "a-long-and-random-production-secret-key-0123456789")
    computed = runpy.run_path(str(settings.BASE_DIR / "procurement" / "settings.py"))
    for name, value in computed.items():
        if name.startswith(("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_")):
            setattr(settings, name, value)
    return settings


def test_production_redirects_plain_http_to_https(production, db):
    response = Client().get(reverse("login"))

    assert response.status_code == 301
    assert response.url.startswith("https://")


def test_production_sends_hsts_and_secure_http_only_same_site_cookies(production, db):
    UserFactory(username="alice", role=PROCUREMENT, password=PASSWORD)
    client = Client()

    page = client.get(reverse("login"), secure=True)
    signed_in = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, secure=True
    )

    assert page.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert signed_in.url == reverse("home")
    cookies = {
        "csrf": page.cookies[django_settings.CSRF_COOKIE_NAME],
        "session": signed_in.cookies[django_settings.SESSION_COOKIE_NAME],
    }
    for name, cookie in cookies.items():
        assert cookie["secure"], name
        assert cookie["httponly"], name
        assert cookie["samesite"] == "Lax", name


# In a browser


def _in_chromium(base_url, journey):
    """Run `journey(page, violations)` in Chromium, on a thread of its own.

    Playwright's sync API runs one instance per thread, and the e2e tests' instance may still
    be open on this one. `violations` collects what the console says the policy refused.
    """

    def run():
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                context = browser.new_context(base_url=base_url, locale="en-GB")
                context.set_default_timeout(10_000)
                page = context.new_page()
                violations = []
                page.on(
                    "console",
                    lambda message: (
                        "Content Security Policy" in message.text
                        and violations.append(f"{page.url}: {message.text}")
                    ),
                )
                page.on("pageerror", lambda error: violations.append(f"{page.url}: {error}"))
                return journey(page, violations)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def _sign_in(page, username):
    page.goto(reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # An administrator sets up the second factor first; its page is checked like the others.
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    qr = page.get_by_role("img", name="QR code to add GPAI due diligence to an authenticator app")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code from the app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.get_by_role("link", name="I have kept them, continue").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_browser_refuses_nothing_on_the_main_pages(live_server):
    user = UserFactory(username="paula", role=PROCUREMENT, password=PASSWORD, is_staff=True)
    user.is_superuser = True  # to open an admin change page as well
    user.save()
    assessment = _assessment(user)
    pages = _pages(assessment)
    documentation = assessment.items.filter(
        applicable=True, checklist_item__category=Category.DOCUMENTATION
    )
    documentation.filter(pk__in=documentation.order_by("pk").values("pk")[:4]).update(
        status="accepted"
    )
    item = assessment.items.filter(applicable=True, status="open").order_by("pk").first()
    # The browser runs on another thread: read from the database here, before it starts.
    item_row, item_code = f"#item-{item.pk}", item.checklist_item.code
    supplier_edit = reverse("vendors:supplier_update", args=[assessment.supplier_id])

    def journey(page, violations):
        _sign_in(page, "paula")
        for name in ("dashboard", "supplier", "clause pack", "admin change page"):
            page.goto(pages[name])
            expect(page.locator("h1").first).to_be_visible()

        # htmx: the quick status updates the row in place.
        page.goto(pages["assessment"])
        row = page.locator(item_row)
        with page.expect_response(lambda response: "/status/" in response.url) as answer:
            row.get_by_label(f"Status of {item_code}").select_option("requested")
        assert answer.value.request.headers.get("hx-request") == "true"
        expect(row.locator(".item-status")).to_have_text("Requested")
        expect(page.locator(".alert")).to_have_count(0)  # no page load, no flash message
        # The progress bars, drawn without a style attribute, are as long as they say.
        bar = page.get_by_role("progressbar").first
        done = int(bar.get_attribute("aria-valuenow"))
        fill = bar.locator("rect").bounding_box()["width"] / bar.bounding_box()["width"]
        assert 0 < done < 100
        assert abs(fill - done / 100) < 0.02

        # Bootstrap: the navigation folds on a narrow screen, and messages close.
        page.goto(supplier_edit)
        page.get_by_role("button", name="Save supplier").click()
        alert = page.get_by_role("alert").filter(has_text="saved")
        expect(alert).to_be_visible()
        alert.get_by_role("button", name="Close").click()
        expect(alert).to_have_count(0)
        page.set_viewport_size({"width": 480, "height": 800})
        menu = page.get_by_role("navigation", name="Main navigation")
        expect(menu.get_by_role("link", name="Suppliers")).to_be_hidden()
        menu.get_by_role("button", name="Toggle navigation").click()
        expect(menu.get_by_role("link", name="Suppliers")).to_be_visible()
        return violations

    assert _in_chromium(live_server.url, journey) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_browser_reports_inline_style_the_policy_refuses(live_server):
    """The check above can fail: markup with a style attribute is reported."""

    def journey(page, violations):
        page.goto(reverse("login"))
        page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">')")
        page.wait_for_timeout(200)
        return violations

    violations = _in_chromium(live_server.url, journey)

    assert any("style-src" in violation for violation in violations)
