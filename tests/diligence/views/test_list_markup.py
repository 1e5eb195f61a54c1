"""The assessment list's rows are written by Jinja2 (templates/diligence/_assessment_rows.jinja)
and read exactly as the Django loop gave them before (tests/diligence/data/
assessment_rows_before.html is that loop as it was), hostile text included; so do its filter
selects (_assessment_filter_selects.jinja), the whole page as assessment_list_before.html
gave it."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import engines
from django.urls import reverse

from core.roles import PROCUREMENT
from diligence.models import Assessment, AssessmentStatus
from tests.factories import (
    AssessmentFactory,
    DecisionFactory,
    GPAIModelFactory,
    SupplierFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROWS_BEFORE = engines["django"].from_string(
    (Path(__file__).parents[1] / "data" / "assessment_rows_before.html").read_text()
)
PAGE_BEFORE = engines["django"].from_string(
    (Path(__file__).parents[1] / "data" / "assessment_list_before.html").read_text()
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
HOSTILE = "<script>alert(\"x\")</script> & 'q' {{ x }} {% y %}"


@pytest.fixture
def assessments(procurement_user):
    """Drafts, one overdue, one in review, a decided one, with hostile names and gap counts of
    none, one and several."""
    named = UserFactory(username="n<a>", first_name=HOSTILE, last_name="'", role=PROCUREMENT)
    unnamed = UserFactory(username="o'<b>", first_name="", last_name="", role=PROCUREMENT)
    model = GPAIModelFactory(
        supplier=SupplierFactory(name=f"{HOSTILE} AI"), name=HOSTILE, version="<2>"
    )
    last_week = datetime.date.today() - datetime.timedelta(days=7)
    AssessmentFactory(reference=f"A {HOSTILE}", model=model, owner=named)
    AssessmentFactory(reference="B", model=model, owner=unnamed, due_date=last_week)
    AssessmentFactory(reference="C", owner=named, status=AssessmentStatus.IN_REVIEW)
    decided = AssessmentFactory(reference="D", model=model, owner=unnamed, due_date=last_week)
    DecisionFactory(assessment=decided, outcome="rejected")
    for reference, gaps in [("A", 1), ("C", 3)]:
        Assessment.objects.filter(reference__startswith=reference).update(
            items_applicable=40, items_done=7, gaps_copyright=gaps
        )


@pytest.mark.parametrize("query", ["", "?status=open", "?q=script", "?overdue=on"])
def test_rows_read_as_the_django_loop_gave_them(procurement_client, assessments, query):
    response = procurement_client.get(reverse("diligence:assessment_list") + query)

    page = response.content.decode()
    body = re.search(r"<tbody>\n      (.*)\n      </tbody>", page, re.S).group(1)
    before = ROWS_BEFORE.render(
        {"object_list": response.context["object_list"], "today": response.context["today"]}
    )
    assert body == before.removesuffix("\n")
    assert body.count("<tr>") == len(response.context["object_list"]) > 0
    assert "<script>alert" not in page


@pytest.mark.parametrize(
    "query", ["", "?status=in_review&owner=0", "?q=script&overdue=on", "?supplier=1"]
)
def test_list_page_reads_as_the_django_template_did(procurement_client, assessments, query):
    response = procurement_client.get(reverse("diligence:assessment_list") + query)

    before = PAGE_BEFORE.render(response.context[0].flatten(), response.wsgi_request)
    assert CSRF.sub("", response.content.decode()) == CSRF.sub("", before)
    assert 'name="status"' in before and 'name="owner"' in before


def _queries_of(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        content = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    return len(captured.captured_queries), content.decode()


@pytest.mark.parametrize("url_name", ["diligence:assessment_list", "diligence:assessment_export"])
def test_list_and_export_read_their_columns_without_a_query_per_row(
    procurement_client, assessments, url_name
):
    """The rows read only some columns (queries.LIST_ROW_FIELDS): a column they print that is
    not among them would cost a query per row."""
    url = reverse(url_name)
    _queries_of(procurement_client, url)  # the first request of a session reads a little more
    few, _ = _queries_of(procurement_client, url)
    for _ in range(3):
        DecisionFactory(assessment=AssessmentFactory(), outcome="approved")
    # New users change the roles, which the next request reads again once.
    _queries_of(procurement_client, url)
    more, content = _queries_of(procurement_client, url)
    assert more == few
    assert content.count("Approved") >= 3
