"""Every endpoint that changes state refuses GET with 405, unless GET shows the form that
posts to it (and changes nothing). The endpoints come from the URLconf: each URL is posted to
by every role, and one that some role may post to is a write."""

import pytest
from django.urls import resolve

from tests.security.conftest import (
    STAFF,
    is_login_redirect,
    request_undone,
    signed_in,
    url_patterns,
)
from tests.security.pages import page_forms

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quiet_request_log")]


def _client(world, role):
    """A new client each time: posting to "logout" signs a client out."""
    return signed_in(world.users.get(role))


def _writers(world, url):
    """The roles whose POST the URL takes (neither refused nor answered 405)."""
    roles = []
    for role in ("anonymous", *STAFF):
        response = request_undone(_client(world, role), "post", url).response
        refused = response.status_code in (403, 404, 405)
        # Sent to sign in: refused for a visitor; for a signed-in user, signed out (logout).
        if refused or (role == "anonymous" and is_login_redirect(response)):
            continue
        roles.append(role)
    return roles


def _posts_to(form, url):
    return form.method == "post" and (form.action in ("", url) or resolve_same(form.action, url))


def resolve_same(action, url):
    try:
        return resolve(action.split("?")[0].split("#")[0]).route == resolve(url).route
    except Exception:  # noqa: BLE001 - an action that is not one of our URLs
        return False


def test_every_state_changing_endpoint_refuses_get_or_only_shows_its_form(world):
    writes, problems = [], []
    for name in url_patterns():
        url = world.url(name)
        writers = _writers(world, url)
        if not writers:
            continue
        writes.append(name)
        for role in writers:
            outcome = request_undone(_client(world, role), "get", url, check_state=True)
            response = outcome.response
            if outcome.changed:
                problems.append((name, role, "GET changed", outcome.changed))
            if response.status_code == 405:
                continue
            # A step that does not apply to this user now (the second-factor page once the
            # factor is given) sends them on, for GET and POST alike, changing nothing.
            if response.status_code == 302 and not outcome.changed:
                posted = request_undone(_client(world, role), "post", url, check_state=True)
                if (
                    posted.response.status_code == 302
                    and posted.response["Location"] == response["Location"]
                    and not posted.changed
                ):
                    continue
            forms = page_forms(response.content.decode()) if response.status_code == 200 else []
            if not any(_posts_to(form, url) for form in forms):
                problems.append((name, role, response.status_code, "no form posting here"))

    assert problems == []
    # The discovery found the workflow actions, which only take POST.
    assert {
        "logout",
        "vendors:supplier_archive",
        "diligence:assessment_submit",
        "diligence:assessment_decide",
        "contracts:document_generate",
    } <= set(writes)
