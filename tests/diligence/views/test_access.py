"""Who may open and submit what: the allowed role, the read-only roles, an outsider and a
visitor who is not signed in."""

import pytest
from django.urls import reverse

from diligence import services
from tests.diligence.views.support import (
    NEXT_MONTH,
    NEXT_YEAR,
    _page,
    _writes,
)

pytestmark = pytest.mark.django_db


READ_PAGES = ["assessment_list", "assessment_detail", "item_detail", "evidence_download"]
WRITE_PAGES = ["assessment_start", "assessment_decide"]
WRITES = [
    "assessment_start",
    "item_save",
    "evidence_upload",
    "item_quick_status",
    "assessment_submit",
    "assessment_return",
    "assessment_decide",
    "assessment_reopen",
    "assessment_move",
]
READ_ONLY_ROLES = ["viewer_client", "legal_client", "checklist_admin_client"]
# The state each workflow action needs to succeed for a user who is allowed to run it.
NEEDS = {
    "assessment_return": "in_review",
    "assessment_decide": "in_review",
    "assessment_reopen": "decided",
}


@pytest.fixture
def url_for(assessment, item, evidence):
    urls = {
        "assessment_list": reverse("diligence:assessment_list"),
        "assessment_start": reverse("diligence:assessment_start"),
        "item_detail": item.get_absolute_url(),
        "item_save": item.get_absolute_url(),
        "evidence_upload": item.get_absolute_url(),
        "item_quick_status": reverse("diligence:item_quick_status", args=[assessment.pk, item.pk]),
        "evidence_download": evidence.get_download_url(),
    }
    return lambda name: urls.get(name) or reverse(f"diligence:{name}", args=[assessment.pk])


@pytest.fixture
def prepare(assessment, gpai_model, procurement_user, reviewer, url_for):
    """Put the assessment where `view` can succeed; return its URL and a valid submission."""

    def prepare(view):
        if NEEDS.get(view) in ("in_review", "decided"):
            services.assessment_submit(assessment=assessment, by=procurement_user)
        if NEEDS.get(view) == "decided":
            services.assessment_decide(
                assessment=assessment,
                outcome="rejected",
                conditions="",
                valid_until=NEXT_YEAR,
                by=reviewer,
            )
        v2 = None
        if view == "assessment_move":
            draft = services.checklist_new_draft(source=assessment.checklist, by=reviewer)
            v2 = services.checklist_publish(checklist=draft, by=reviewer)
        data = {
            "assessment_start": {
                "model": gpai_model.pk,
                "reference": "TENDER-2025-08",
                "purpose": "Code completion",
                "owner": procurement_user.pk,
                "due_date": NEXT_MONTH.isoformat(),
            },
            "item_save": {"save_item": "1", "status": "requested", "notes": "Asked", "version": 1},
            "evidence_upload": {
                "add_evidence": "1",
                "url": "https://example.org/model-card",
                "description": "Model card",
            },
            "item_quick_status": {"status": "requested", "version": 1},
            "assessment_submit": {"reviewer": reviewer.pk, "confirm": "1"},
            "assessment_return": {"reason": "DOC-12 is missing"},
            "assessment_decide": {"outcome": "rejected", "valid_until": NEXT_YEAR.isoformat()},
            "assessment_reopen": {"reason": "A new model version"},
            "assessment_move": {"checklist": v2.pk if v2 else ""},
        }.get(view, {})
        return url_for(view), data

    return prepare


@pytest.mark.parametrize("page", READ_PAGES + WRITE_PAGES)
def test_procurement_can_open_every_page(procurement_client, reviewer_client, url_for, page):
    client = reviewer_client if page == "assessment_decide" else procurement_client
    assert client.get(url_for(page)).status_code == 200


@pytest.mark.parametrize("view", WRITES)
def test_procurement_can_submit_every_write_view(
    procurement_client, reviewer_client, prepare, view
):
    url, data = prepare(view)
    before = _writes()
    # Four eyes: someone other than the owner decides.
    client = reviewer_client if view == "assessment_decide" else procurement_client

    response = client.post(url, data)

    assert response.status_code == 302
    assert _writes() > before


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
@pytest.mark.parametrize("page", READ_PAGES)
def test_read_only_roles_can_read_pages(request, url_for, role, page):
    client = request.getfixturevalue(role)
    assert client.get(url_for(page)).status_code == 200


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
@pytest.mark.parametrize("page", WRITE_PAGES)
def test_read_only_roles_get_403_for_write_pages(request, url_for, role, page):
    client = request.getfixturevalue(role)
    assert client.get(url_for(page)).status_code == 403


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
@pytest.mark.parametrize("view", WRITES)
def test_read_only_roles_get_403_when_submitting_and_nothing_is_saved(request, prepare, role, view):
    client = request.getfixturevalue(role)
    url, data = prepare(view)
    before = _writes()

    response = client.post(url, data)

    assert response.status_code == 403
    assert _writes() == before


@pytest.mark.parametrize("page", READ_PAGES + WRITE_PAGES)
def test_outsider_gets_404_for_every_page(outsider_client, url_for, page):
    assert outsider_client.get(url_for(page)).status_code == 404


@pytest.mark.parametrize("view", WRITES)
def test_outsider_gets_404_when_submitting_and_nothing_is_saved(outsider_client, prepare, view):
    url, data = prepare(view)
    before = _writes()

    response = outsider_client.post(url, data)

    assert response.status_code == 404
    assert _writes() == before


@pytest.mark.parametrize("page", READ_PAGES + WRITE_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, url_for, page):
    response = client.get(url_for(page))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url_for(page)}"


@pytest.mark.parametrize("view", WRITES)
def test_anonymous_visitor_cannot_submit_anything(client, prepare, view):
    url, data = prepare(view)
    before = _writes()

    response = client.post(url, data)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert _writes() == before


@pytest.mark.parametrize(
    "view",
    ["assessment_submit", "assessment_return", "assessment_reopen", "assessment_move"],
)
def test_workflow_actions_are_post_only(procurement_client, url_for, view):
    assert procurement_client.get(url_for(view)).status_code == 405


def test_read_only_role_sees_no_forms_on_the_assessment_and_item_pages(
    viewer_client, assessment, item
):
    detail = _page(viewer_client.get(assessment.get_absolute_url()))
    item_page = viewer_client.get(item.get_absolute_url())

    assert reverse("diligence:item_quick_status", args=[assessment.pk, item.pk]) not in detail
    assert reverse("diligence:assessment_submit", args=[assessment.pk]) not in detail
    assert 'name="save_item"' not in _page(item_page)
    assert 'name="add_evidence"' not in _page(item_page)
    assert item_page.context["can_edit"] is False
