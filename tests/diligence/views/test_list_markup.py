"""The assessment list's rows are written by Jinja2 (templates/diligence/_assessment_rows.jinja)
and read exactly as the Django loop gave them before (tests/diligence/data/
assessment_rows_before.html is that loop as it was), hostile text included."""

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
