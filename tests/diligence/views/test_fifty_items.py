"""Working many items: filters, stable order, bulk status, save on change with out-of-band
updates of the progress and the audit trail."""

import re

import pytest
from django.urls import reverse

from core.models import AuditEntry
from diligence import services
from diligence.models import ItemStatus
from tests.diligence.views.support import _page

pytestmark = pytest.mark.django_db


def _codes(response):
    return [i.checklist_item.code for g in response.context["groups"] for i in g["shown"]]


def test_filters_show_open_gaps_required_and_search_in_a_stable_order(
    procurement_client, assessment, procurement_user
):
    url = assessment.get_absolute_url()
    everything = _codes(procurement_client.get(url))
    first = assessment.items.get(checklist_item__code=everything[0])
    services.assessment_item_update(
        item=first, data={"status": "gap"}, expected_version=first.version, by=procurement_user
    )

    # A change does not move rows.
    assert _codes(procurement_client.get(url)) == everything
    assert _codes(procurement_client.get(url, {"show": "gaps"})) == [everything[0]]
    assert everything[0] in _codes(procurement_client.get(url, {"show": "open"}))
    required = _codes(procurement_client.get(url, {"required": "on"}))
    assert required and set(required) < set(everything)
    title = first.checklist_item.title
    searched = procurement_client.get(url, {"q": title[:12].upper()})
    assert everything[0] in _codes(searched)
    assert "item" in _page(searched) and "shown" in _page(searched)


def test_bulk_status_sets_ticked_items_with_one_audit_entry(procurement_client, assessment):
    items = list(assessment.items.filter(applicable=True)[:3])
    response = procurement_client.post(
        reverse("diligence:items_bulk_status", args=[assessment.pk]),
        {"status": "requested", "items": [f"{i.pk}:{i.version}" for i in items]},
        follow=True,
    )
    assert "3 items set to Requested." in _page(response)
    for item in items:
        item.refresh_from_db()
        assert (item.status, item.version) == ("requested", 2)
    [entry] = AuditEntry.objects.filter(action="item_status_changed")
    assert entry.summary.startswith("3 items set to Requested: ")
    assert sorted(entry.data["items"]) == sorted(i.pk for i in items)


def test_bulk_status_is_refused_whole_when_an_item_changed_since(
    procurement_client, assessment, procurement_user
):
    items = list(assessment.items.filter(applicable=True)[:2])
    versions = [f"{i.pk}:{i.version}" for i in items]
    services.assessment_item_update(
        item=items[1], data={"status": "gap"}, expected_version=1, by=procurement_user
    )
    response = procurement_client.post(
        reverse("diligence:items_bulk_status", args=[assessment.pk]),
        {"status": "accepted", "items": versions},
        follow=True,
    )
    assert "since you loaded the page; nothing was changed" in _page(response)
    items[0].refresh_from_db()
    assert items[0].status == ItemStatus.OPEN


def test_the_owner_cannot_bulk_change_while_in_review(
    procurement_client, assessment, procurement_user, reviewer
):
    services.assessment_submit(assessment=assessment, by=procurement_user, reviewer=reviewer)
    item = assessment.items.filter(applicable=True).first()
    response = procurement_client.post(
        reverse("diligence:items_bulk_status", args=[assessment.pk]),
        {"status": "requested", "items": [f"{item.pk}:{item.version}"]},
        follow=True,
    )
    assert "This assessment is in review." in _page(response)
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN


def test_htmx_status_change_answers_the_row_the_progress_and_the_audit_trail(
    procurement_client, assessment
):
    item = assessment.items.filter(applicable=True).first()
    response = procurement_client.post(
        reverse("diligence:item_quick_status", args=[assessment.pk, item.pk]),
        {"status": "accepted", "version": item.version},
        headers={"HX-Request": "true"},
    )
    page = _page(response)
    assert f'<tr id="item-{item.pk}">' in page
    assert re.search(r'id="progress" hx-swap-oob="true"', page)
    assert re.search(r'id="audit-trail" hx-swap-oob="true"', page)
    assert f"{item.checklist_item.code}: Open → Accepted" in page
    assert "1 of" in page


def test_item_page_links_previous_and_next_within_the_filter(procurement_client, assessment):
    page = procurement_client.get(assessment.get_absolute_url(), {"required": "on"})
    codes = _codes(page)
    middle = assessment.items.get(checklist_item__code=codes[1])

    response = procurement_client.get(middle.get_absolute_url(), {"required": "on"})

    assert response.context["previous_item"].checklist_item.code == codes[0]
    assert response.context["next_item"].checklist_item.code == codes[2]
    text = _page(response)
    assert 'accesskey="n"' in text and "?required=on" in text
    assert "<kbd>N</kbd> for the next" in text


def test_an_assigned_item_is_filtered_as_mine_and_in_the_assignees_follow_ups(
    procurement_client, assessment, procurement_user, reviewer, reviewer_client, form_data
):
    item = assessment.items.get(checklist_item__code="DOC-10")
    page = procurement_client.get(item.get_absolute_url())
    data = form_data(page.context["item_form"])
    procurement_client.post(
        item.get_absolute_url(), {**data, "assignee": reviewer.pk, "save_item": "1"}
    )
    item.refresh_from_db()
    assert item.assignee == reviewer

    # A quick status change keeps the assignee.
    procurement_client.post(
        reverse("diligence:item_quick_status", args=[assessment.pk, item.pk]),
        {"status": "requested", "version": item.version},
    )
    item.refresh_from_db()
    assert (item.status, item.assignee) == ("requested", reviewer)

    assert _codes(reviewer_client.get(assessment.get_absolute_url(), {"show": "mine"})) == [
        "DOC-10"
    ]
    assert _codes(procurement_client.get(assessment.get_absolute_url(), {"show": "mine"})) == []
    assert "Assigned to" in _page(procurement_client.get(assessment.get_absolute_url()))
    follow_ups = reviewer_client.get(reverse("follow_ups"))
    assert "Items assigned to you" in follow_ups.context["groups"]
