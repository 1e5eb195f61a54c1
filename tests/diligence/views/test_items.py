"""The assessment page and its quick status, and the item page: status, review and the
optimistic lock."""

import pytest
from django.urls import reverse

from diligence.models import (
    ItemStatus,
)
from tests.diligence.views.support import (
    CONFLICT,
    _page,
)

pytestmark = pytest.mark.django_db


def test_assessment_page_groups_items_by_category_and_lists_those_that_do_not_apply(
    viewer_client, assessment
):
    response = viewer_client.get(assessment.get_absolute_url())

    groups = {group["category"]: group for group in response.context["groups"]}
    assert groups["documentation"]["mode_label"] == "Other adequate means (Art. 53(4), Art. 55(2))"
    assert groups["copyright"]["mode_label"] == "Code of Practice measure"
    assert groups["safety_security"]["items"] == []
    excluded = {item.checklist_item.code for item in response.context["excluded"]}
    assert {"SAF-01", "DOC-21"} <= excluded
    assert "Only for providers established outside the EU (Art. 54)." in _page(response)


def test_quick_status_changes_the_item_and_returns_to_its_row(procurement_client, assessment, item):
    url = reverse("diligence:item_quick_status", args=[assessment.pk, item.pk])

    response = procurement_client.post(url, {"status": "requested", "version": 1})

    assert response.url == f"{assessment.get_absolute_url()}#item-{item.pk}"
    item.refresh_from_db()
    assert (item.status, item.version) == (ItemStatus.REQUESTED, 2)
    followed = procurement_client.get(response.url)
    assert "DOC-10: Requested." in _page(followed)


def test_quick_status_through_htmx_answers_with_the_updated_row(
    procurement_client, assessment, item
):
    url = reverse("diligence:item_quick_status", args=[assessment.pk, item.pk])

    response = procurement_client.post(url, {"status": "gap", "version": 1}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    row = _page(response)
    assert row.startswith(f'<tr id="item-{item.pk}">')
    assert "item-gap" in row
    assert 'name="version" value="2"' in row


def test_quick_status_from_a_stale_page_is_refused(procurement_client, assessment, item):
    url = reverse("diligence:item_quick_status", args=[assessment.pk, item.pk])
    procurement_client.post(url, {"status": "requested", "version": 1})

    response = procurement_client.post(url, {"status": "gap", "version": 1}, follow=True)

    item.refresh_from_db()
    assert item.status == ItemStatus.REQUESTED
    assert CONFLICT in _page(response)


# The item page: status, review and the optimistic lock


def test_item_form_saves_status_and_notes(procurement_client, item, form_data):
    url = item.get_absolute_url()
    data = form_data(procurement_client.get(url).context["item_form"])

    response = procurement_client.post(
        url, {**data, "status": "gap", "notes": "No summary given", "save_item": "1"}, follow=True
    )

    item.refresh_from_db()
    assert (item.status, item.notes, item.version) == ("gap", "No summary given", 2)
    assert "DOC-10 saved." in _page(response)
    latest = response.context["history"][0]
    assert latest.who.username == "procurement"
    assert ("Status", "Open", "Gap") in latest.fields


def test_item_form_asks_why_an_item_does_not_apply(procurement_client, item, form_data):
    url = item.get_absolute_url()
    data = form_data(procurement_client.get(url).context["item_form"])

    response = procurement_client.post(url, {**data, "status": "not_applicable", "save_item": "1"})

    assert response.context["item_form"].errors == {
        "justification": ["Say why this item does not apply."]
    }
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN


def test_second_of_two_concurrent_saves_gets_a_conflict_and_keeps_its_input(
    procurement_client, reviewer_client, item, form_data
):
    url = item.get_absolute_url()
    mine = form_data(procurement_client.get(url).context["item_form"])
    theirs = form_data(reviewer_client.get(url).context["item_form"])
    procurement_client.post(
        url, {**mine, "status": "requested", "notes": "Asked", "save_item": "1"}
    )

    response = reviewer_client.post(
        url, {**theirs, "status": "gap", "notes": "Nothing came", "save_item": "1"}
    )

    assert response.status_code == 200
    form = response.context["item_form"]
    assert form.non_field_errors()[0].startswith(CONFLICT)
    assert CONFLICT in _page(response)
    assert (form["status"].value(), form["notes"].value()) == ("gap", "Nothing came")
    assert "Nothing came</textarea>" in _page(response)
    item.refresh_from_db()
    assert (item.status, item.notes, item.version) == ("requested", "Asked", 2)

    # Having seen the message, the second user saves again on purpose.
    again = reviewer_client.post(url, {**form_data(form), "save_item": "1"})

    assert again.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.notes, item.version) == ("gap", "Nothing came", 3)
