"""The assessment page's item rows: links built from one reversed URL per page, the rows written
by Jinja2 (templates/diligence/_item_row.jinja); the rows read exactly as the Django row
template gave them before (tests/diligence/data/item_row_before.html is that template as it
was), on the page and in the row the quick status change answers with."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.urls import reverse

from core.roles import PROCUREMENT
from diligence.forms import QuickStatusForm
from diligence.models import AssessmentStatus, ChecklistItem
from diligence.views.assessments import set_row_links
from tests.factories import AssessmentFactory, UserFactory

pytestmark = pytest.mark.django_db

ROW_BEFORE = engines["django"].from_string(
    (Path(__file__).parents[1] / "data" / "item_row_before.html").read_text()
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
HOSTILE = "<script>alert(\"x\")</script> & 'q' {{ x }} {% y %} ?a=1&b=<2>"


def _rows(page):
    return {pk: row for row, pk in re.findall(r'(<tr id="item-(\d+)">.*?</tr>)', page, re.S)}


def _row_before(item, assessment, *, can_edit, query="", row_error=None):
    """The row as the Django template wrote it: an include for the badge and a reverse() per
    link (the links built for the page are removed first)."""
    for name in ("detail_url", "quick_status_url"):
        item.__dict__.pop(name, None)
    html = ROW_BEFORE.render(
        {
            "item": item,
            "assessment": assessment,
            "can_edit": can_edit,
            "quick_statuses": QuickStatusForm.STATUSES,
            "query": query,
            "row_error": row_error,
            "csrf_token": "token",
        }
    )
    return CSRF.sub("", html).strip()


def _assert_rows_as_before(response, assessment):
    page = CSRF.sub("", response.content.decode())
    rows = [item for group in response.context["groups"] for item in group["shown"]]
    assert rows
    page_rows = _rows(page)
    assert len(page_rows) == len(rows)
    for item in rows:
        before = _row_before(
            item,
            assessment,
            can_edit=response.context["can_edit"],
            query=response.context["query"],
        )
        assert page_rows[str(item.pk)] == before


@pytest.fixture
def assessment(procurement_user):
    assessment = AssessmentFactory(owner=procurement_user, with_items=True)
    items = list(assessment.items.order_by("pk"))
    for item, status in zip(items, ["accepted", "gap", "not_applicable", "open"], strict=False):
        item.status = status
        item.save()
    return assessment


@pytest.fixture
def hostile_assessment(assessment):
    """Titles, codes, a pending reason and an assignee's name that a page must escape, one item
    recommended rather than required, and one that does not apply."""
    items = list(assessment.items.select_related("checklist_item").order_by("pk"))
    for item in items[:5]:
        ChecklistItem.objects.filter(pk=item.checklist_item_id).update(
            title=f"{HOSTILE} {item.checklist_item.title}", code=f"<{item.checklist_item.code}>"
        )
    ChecklistItem.objects.filter(pk=items[3].checklist_item_id).update(required=False)
    assignee = UserFactory(username="a<b>", first_name=HOSTILE, last_name="&", role=PROCUREMENT)
    items[0].assignee = assignee
    items[0].pending_reason = HOSTILE
    items[0].save()
    items[6].applicable = False
    items[6].exclusion_reason = HOSTILE
    items[6].save()
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
    assert response.context["can_edit"]
    _assert_rows_as_before(response, assessment)


@pytest.mark.parametrize(
    "query",
    ["", "?show=open", "?show=gaps&required=on", f"?q=script&show=&x={HOSTILE}", "?show=mine"],
)
def test_rows_with_hostile_text_read_as_before(procurement_client, hostile_assessment, query):
    url = reverse("diligence:assessment_detail", args=[hostile_assessment.pk])
    response = procurement_client.get(url + query)
    page = response.content.decode()
    assert "<script>alert" not in page
    if query == "?show=mine":
        # Nothing is assigned to the user: every category says so, in Django's words.
        assert page.count("No item of this category matches the filters.") == 3
        return
    _assert_rows_as_before(response, hostile_assessment)
    assert "&lt;script&gt;" in page


def test_rows_of_a_reader_who_cannot_edit_read_as_before(viewer_client, hostile_assessment):
    response = viewer_client.get(
        reverse("diligence:assessment_detail", args=[hostile_assessment.pk])
    )
    assert not response.context["can_edit"]
    assert 'name="status"' not in "".join(_rows(response.content.decode()).values())
    _assert_rows_as_before(response, hostile_assessment)


def test_rows_of_a_decided_assessment_read_as_before(procurement_client, hostile_assessment):
    hostile_assessment.status = AssessmentStatus.DECIDED
    hostile_assessment.save()
    response = procurement_client.get(
        reverse("diligence:assessment_detail", args=[hostile_assessment.pk])
    )
    assert not response.context["can_edit"]
    _assert_rows_as_before(response, hostile_assessment)


@pytest.mark.parametrize(("status", "error"), [("gap", None), ("nonsense", "Choose a valid")])
def test_the_row_a_quick_status_change_answers_with_reads_as_before(
    procurement_client, hostile_assessment, status, error
):
    item = hostile_assessment.items.select_related("checklist_item").order_by("pk")[0]
    url = reverse("diligence:item_quick_status", args=[hostile_assessment.pk, item.pk])

    response = procurement_client.post(
        url, {"status": status, "version": item.version}, HTTP_HX_REQUEST="true"
    )

    answer = CSRF.sub("", response.content.decode())
    item = response.context["item"]
    before = _row_before(
        item, hostile_assessment, can_edit=True, row_error=response.context["row_error"]
    )
    assert answer.startswith(before + "\n\n<section")
    assert (error is not None) == (f'role="alert">{error}' in before)
