"""The focus ring shows wherever the keyboard goes: on the navy navbar, on buttons, on form
fields and in the admin. Each element is reached with the Tab key, as a keyboard user reaches
it, and its computed outline must be drawn, at least 2 px wide, and stand out from what is
behind it by at least 3:1 (WCAG 2.4.7, 1.4.11)."""

import pytest
from django.conf import settings
from django.urls import reverse

from core.roles import CHECKLIST_ADMIN, PROCUREMENT
from tests.factories import SupplierFactory, UserFactory
from tests.security.conftest import signed_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NAVY = (0x1F, 0x3A, 0x5F)  # --brand, the navbar
WHITE = (255, 255, 255)
MAX_TABS = 60

_RING = """element => {
  const style = getComputedStyle(element);
  return {
    style: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    color: style.outlineColor,
    matches: element.matches(':focus-visible'),
  };
}"""


def _rgb(css):
    parts = css[css.index("(") + 1 : css.index(")")].replace("/", ",").split(",")
    return tuple(int(float(part)) for part in parts[:3])


def _luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _sign_in(page, user, live_server):
    client = signed_in(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _tab_to(page, locator):
    """Press Tab until `locator` has the focus, as a keyboard user would."""
    target = locator.element_handle()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("element => document.activeElement === element", target):
            return target
    raise AssertionError(f"Tab never reached {locator}")


def _assert_ring(page, locator, behind, shots, name):
    element = _tab_to(page, locator)
    ring = element.evaluate(_RING)
    page.screenshot(path=shots / f"{name}.png")
    assert ring["matches"], name
    assert ring["style"] not in ("none", "hidden"), (name, ring)
    assert ring["width"] >= 2, (name, ring)
    assert contrast(_rgb(ring["color"]), behind) >= 3, (name, ring)


@pytest.fixture
def shots(tmp_path):
    folder = tmp_path / "focus"
    folder.mkdir()
    return folder


def test_navbar_links_and_buttons_show_a_focus_ring(page, live_server, shots):
    SupplierFactory(name="Mistral AI", country="FR")
    user = UserFactory(username="paula", role=PROCUREMENT)
    _sign_in(page, user, live_server)
    page.goto(reverse("vendors:supplier_list"))
    navbar = page.get_by_role("navigation", name="Main navigation")

    _assert_ring(page, navbar.get_by_role("link", name="GPAI due diligence"), NAVY, shots, "brand")
    _assert_ring(page, navbar.get_by_role("link", name="Overview"), NAVY, shots, "nav-link")
    _assert_ring(page, navbar.get_by_role("link", name="Suppliers"), NAVY, shots, "nav-active")
    _assert_ring(page, navbar.get_by_role("button", name="Account menu"), NAVY, shots, "menu")


def test_buttons_and_form_fields_show_a_focus_ring(page, live_server, shots):
    user = UserFactory(username="paula", role=PROCUREMENT)
    _sign_in(page, user, live_server)
    page.goto(reverse("vendors:supplier_create"))
    main = page.locator("main")

    _assert_ring(page, main.locator("input[name=name]"), WHITE, shots, "field")
    _assert_ring(page, main.locator("button[type=submit]").first, WHITE, shots, "button")


def test_the_admin_shows_a_focus_ring(page, live_server, shots):
    curator = UserFactory(username="carla", role=CHECKLIST_ADMIN, is_staff=True)
    _sign_in(page, curator, live_server)
    page.goto(reverse("admin:diligence_checklist_changelist"))

    header = (0x41, 0x76, 0x90)  # Django's admin header
    _assert_ring(page, page.locator("#site-name a"), header, shots, "admin-header")
    _assert_ring(page, page.locator(".breadcrumbs a").first, header, shots, "admin-breadcrumb")
    _assert_ring(page, page.locator("select[name=action]"), WHITE, shots, "admin-field")
    _assert_ring(page, page.get_by_role("button", name="Go"), WHITE, shots, "admin-button")
