"""Every page of every role passes axe-core with no serious or critical violation.

axe-core comes bundled with the pinned `axe-playwright-python` package and is injected into
the page by Playwright: nothing is downloaded when the test runs. The pages are found from the
URLconf and the access table of the security suite, so a new page is checked without being
listed here; the error pages are checked too.
"""

import logging
import pprint
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from contracts.models import ClauseLibrary
from core.library import services as library_services
from core.roles import ADMINISTRATOR, PROCUREMENT
from diligence.models import Checklist
from tests.factories import UserFactory
from tests.security.conftest import ACCESS, OK, STAFF, build_world, signed_in, url_patterns

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BLOCKING = ("serious", "critical")
# GET URLs that answer a file (a download, a QR code image), not a page.
# Files, not pages: every download and export is named so (the XSS sweep skips them alike),
# and the sign-in QR code is an image.
NOT_PAGES = {"identity:enrol_qr"}


def _is_page(name):
    return name not in NOT_PAGES and not name.endswith(("_download", "_export"))


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
        if _is_page(name)
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
    from tests.mail import LINK

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


# The admin --------------------------------------------------------------------------------


@pytest.fixture
def admin_roles(world):
    """The people who work in the admin: the curator of the libraries and the Administrator
    who gives roles. Each has a draft to publish in every library the curator looks after."""
    curator = world.users["checklist_admin"]
    curator.is_staff = True
    curator.save(update_fields=["is_staff"])
    administrator = UserFactory(username="administrator", role=ADMINISTRATOR, is_staff=True)
    for model in (Checklist, ClauseLibrary):
        draft = library_services.library_new_draft(
            source=library_services.latest_published(model), by=curator
        )
        draft.child_rows().filter(pk=draft.child_rows().first().pk).delete()
    return {"curator": curator, "administrator": administrator}


def admin_pages_of(user):
    """Every admin page `user` may open: the index, each model's list, its add form and the
    change form of its first row, and each library version's comparison page."""
    client = signed_in(user)
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        candidates = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")]
        candidates.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        first = model_admin.get_queryset(_request_for(user)).order_by("-pk").first()
        if first is not None:
            candidates.append(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            )
            if hasattr(model_admin, "differences_view"):
                candidates.append(
                    reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_differences", args=[first.pk]
                    )
                )
        urls += [url for url in candidates if _opens(client, url)]
    return urls


def _opens(client, url):
    # A page the role may not open answers 403 here, which is not worth a logged traceback.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return client.get(url).status_code == 200
    finally:
        logger.setLevel(level)


def _request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _confirm_page(page, changelist, action, version):
    """Select a version on the list, choose the action and open its confirmation page."""
    page.goto(changelist)
    page.locator(f"input.action-select[value='{version.pk}']").check()
    page.select_option("select[name=action]", action)
    page.get_by_role("button", name="Go").click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("role", ["curator", "administrator"])
def test_every_admin_page_of_the_admin_roles_passes_axe(role, admin_roles, page, live_server):
    user = admin_roles[role]
    _sign_in(page, user, live_server)
    found = {}
    urls = admin_pages_of(user)
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
        if violations := _violations(page):
            found[url] = violations
    if role == "curator":
        for model in (Checklist, ClauseLibrary):
            changelist = reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
            )
            draft = model.objects.get(status="draft")
            for action, version in (
                ("publish", draft),
                ("retire", library_services.latest_published(model)),
            ):
                _confirm_page(page, changelist, action, version)
                assert page.get_by_role("button", name=re.compile("Yes")).count() == 1
                if violations := _violations(page):
                    found[f"{changelist} {action}"] = violations
    assert len(urls) > (10 if role == "curator" else 2)
    assert found == {}, pprint.pformat(found, width=100)
