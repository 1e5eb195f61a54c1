"""Every page of every role passes axe-core with no serious or critical violation.

axe-core comes bundled with the pinned `axe-playwright-python` package and is injected into
the page by Playwright: nothing is downloaded when the test runs. The pages are found from the
URLconf and the access table of the security suite, so a new page is checked without being
listed here; the error pages are checked too.
"""

import pprint

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import reverse

from core.roles import PROCUREMENT
from tests.factories import UserFactory
from tests.security.conftest import ACCESS, OK, STAFF, build_world, signed_in, url_patterns

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BLOCKING = ("serious", "critical")
# GET URLs that answer a file (a download, a QR code image), not a page.
NOT_PAGES = {
    "vendors:supplier_export",
    "diligence:assessment_export",
    "diligence:evidence_download",
    "diligence:decision_attachment_download",
    "contracts:document_download",
    "identity:enrol_qr",
    "portal:supplier_file_download",
}


@pytest.fixture
def world(procurement_user, legal_user, checklist_admin_user, viewer_user, outsider_user,
          settings, tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    users = {
        "procurement": procurement_user,
        "legal": legal_user,
        "checklist_admin": checklist_admin_user,
        "viewer": viewer_user,
        "outsider": outsider_user,
        "reviewer": UserFactory(username="reviewer", role=PROCUREMENT),
    }
    return build_world(users)


def pages_of(role, world):
    """The URLs of every page this role may open, and the error pages it may meet."""
    urls = [
        world.url(name)
        for name in sorted(url_patterns())
        if name not in NOT_PAGES
        and ACCESS[name].get.get(role) == OK
        and not name.startswith(("oidc_", "login"))
    ]
    urls.append("/no-such-page/")  # the 404 page
    forbidden = [name for name in sorted(ACCESS) if ACCESS[name].get.get(role) == 403]
    if forbidden:
        urls.append(world.url(forbidden[0]))  # the 403 page
    return urls


def _violations(page):
    results = Axe().run(page)
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


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


@pytest.mark.parametrize("role", [*STAFF, "outsider"])
def test_every_page_of_the_role_passes_axe(role, world, page, live_server):
    _sign_in(page, world.users[role], live_server)
    found = {}
    urls = pages_of(role, world)
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
        if violations := _violations(page):
            found[url] = violations
    assert len(urls) > (1 if role == "outsider" else 10)
    assert found == {}, pprint.pformat(found, width=100)


def test_the_supplier_s_pages_pass_axe(world, page, live_server):
    """The supplier link's pages, which no signed-in role reaches: opened through a link."""
    from django.core import mail

    from portal import services as portal_services
    from tests.portal.mail import LINK

    portal_services.supplier_request_create(
        assessment=world.assessment,
        data={
            "recipient_name": "Sam Supplier",
            "recipient_email": "axe@supplier.example",
            "due_date": world.assessment.due_date,
            "message": "Two questions, thank you.",
            "asks_mdf": True,
            "asks_training_summary": True,
        },
        items=[world.item, world.other_item],
        yes_no_items=[world.item.pk],
        by=world.users["procurement"],
        base_url=live_server.url,
    )
    link = LINK.search(mail.outbox[-1].body).group(0)
    found = {}
    page.goto(link)
    urls = [reverse(name) for name in ("portal:answers", "portal:mdf", "portal:summary")]
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
        if violations := _violations(page):
            found[url] = violations
    page.goto(reverse("portal:answers"))
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_load_state("load")
    assert "submitted" in page.url
    for url in (page.url, link, reverse("portal:reminders_stop", args=["not-a-key"])):
        page.goto(url)
        page.wait_for_load_state("load")
        if violations := _violations(page):
            found[url] = violations
    assert found == {}, pprint.pformat(found, width=100)


def test_the_sign_in_page_passes_axe(page):
    page.goto(reverse("login"))
    assert _violations(page) == []
