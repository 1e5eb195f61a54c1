"""The assessment page's item rows: links built from one reversed URL per page, the status
badge written out instead of included; the rows read exactly as the row template gave them
before (tests/diligence/data/item_row_before.html is that template as it was)."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.urls import reverse

from diligence.forms import QuickStatusForm
from diligence.views.assessments import set_row_links
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db

ROW_BEFORE = engines["django"].from_string(
    (Path(__file__).parents[1] / "data" / "item_row_before.html").read_text()
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _rows(page):
    return {pk: row for row, pk in re.findall(r'(<tr id="item-(\d+)">.*?</tr>)', page, re.S)}


@pytest.fixture
def assessment(procurement_user):
    assessment = AssessmentFactory(owner=procurement_user, with_items=True)
    items = list(assessment.items.order_by("pk"))
    for item, status in zip(items, ["accepted", "gap", "not_applicable", "open"], strict=False):
        item.status = status
        item.save()
    return assessment


def test_each_row_link_is_the_one_reverse_gives(assessment):
    items = set_row_links(assessment.pk, list(assessment.items.all()))
    assert len(items) > 40
    for item in items:
        assert item.detail_url == reverse("diligence:item_detail", args=[assessment.pk, item.pk])
        assert item.quick_status_url == reverse(
            "diligence:item_quick_status", args=[assessment.pk, item.pk]
        )


@pytest.mark.parametrize("query", ["", "?status=gap"])
def test_rows_read_as_the_row_template_gave_them(procurement_client, assessment, query):
    response = procurement_client.get(
        reverse("diligence:assessment_detail", args=[assessment.pk]) + query
    )
    page = CSRF.sub("", response.content.decode())
    rows = [item for group in response.context["groups"] for item in group["shown"]]
    assert rows and response.context["can_edit"]
    for item in rows:
        # The template as it was: an include for the badge and a reverse() per link.
        del item.detail_url, item.quick_status_url
        before = ROW_BEFORE.render(
            {
                "item": item,
                "assessment": assessment,
                "can_edit": True,
                "quick_statuses": QuickStatusForm.STATUSES,
                "query": response.context["query"],
                "csrf_token": "token",
            }
        )
        before = CSRF.sub("", before).strip()
        assert _rows(page)[str(item.pk)] == before
