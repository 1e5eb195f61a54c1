"""The assessment list: filters, pages and progress."""

import datetime

import pytest
from django.urls import reverse

from core.roles import PROCUREMENT
from diligence import services
from diligence.models import (
    AssessmentStatus,
)
from tests.diligence.views.support import (
    TODAY,
    _page,
)
from tests.factories import (
    AssessmentFactory,
    DecisionFactory,
    GPAIModelFactory,
    SupplierFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessments(procurement_user):
    """Five assessments that differ in status, supplier, owner and due date."""
    other_owner = UserFactory(username="olga", role=PROCUREMENT)
    mistral = GPAIModelFactory(supplier=SupplierFactory(name="Mistral AI"))
    openai = GPAIModelFactory(supplier=SupplierFactory(name="OpenAI", country="US"))
    last_week = TODAY - datetime.timedelta(days=7)
    AssessmentFactory(reference="A-draft", model=mistral, owner=procurement_user)
    AssessmentFactory(
        reference="B-overdue", model=mistral, owner=procurement_user, due_date=last_week
    )
    AssessmentFactory(
        reference="C-review", model=openai, owner=other_owner, status=AssessmentStatus.IN_REVIEW
    )
    decided = AssessmentFactory(
        reference="D-decided-late", model=openai, owner=other_owner, due_date=last_week
    )
    DecisionFactory(assessment=decided)
    return {"mistral": mistral.supplier, "openai": openai.supplier, "olga": other_owner}


def _references(response):
    return [assessment.reference for assessment in response.context["object_list"]]


@pytest.mark.parametrize(
    ("query", "references"),
    [
        ({}, ["B-overdue", "D-decided-late", "A-draft", "C-review"]),
        ({"status": "draft"}, ["B-overdue", "A-draft"]),
        ({"status": "decided"}, ["D-decided-late"]),
        ({"status": "open"}, ["B-overdue", "A-draft", "C-review"]),
        ({"supplier": "openai"}, ["D-decided-late", "C-review"]),
        ({"owner": "olga"}, ["D-decided-late", "C-review"]),
        ({"overdue": "on"}, ["B-overdue"]),
        ({"q": "review"}, ["C-review"]),
        ({"supplier": "mistral", "status": "in_review"}, []),
    ],
    ids=lambda value: (
        "&".join(f"{k}={v}" for k, v in value.items()) or "all" if isinstance(value, dict) else None
    ),
)
def test_assessment_list_filters(viewer_client, assessments, query, references):
    query = {
        key: assessments[value].pk if key in ("supplier", "owner") else value
        for key, value in query.items()
    }

    response = viewer_client.get(reverse("diligence:assessment_list"), query)

    assert _references(response) == references


def test_assessment_list_marks_overdue_assessments(viewer_client, assessments):
    response = viewer_client.get(reverse("diligence:assessment_list"), {"q": "B-overdue"})
    assert "Overdue</span>" in _page(response)
    response = viewer_client.get(reverse("diligence:assessment_list"), {"q": "D-decided"})
    assert "Overdue</span>" not in _page(response)


def test_assessment_list_pages_keep_the_filters(viewer_client):
    AssessmentFactory.create_batch(27, status=AssessmentStatus.IN_REVIEW)
    AssessmentFactory()
    url = reverse("diligence:assessment_list")

    first = viewer_client.get(url, {"status": "in_review"})
    second = viewer_client.get(url, {"status": "in_review", "page": 2})

    assert len(first.context["object_list"]) == 25
    assert len(second.context["object_list"]) == 2
    assert 'href="?status=in_review&amp;page=2"' in _page(first)
    assert "27 due-diligence assessments" in _page(first)


def test_assessment_list_counts_progress(viewer_client, assessment, procurement_user):
    for code in ("DOC-02", "DOC-10"):
        item = assessment.items.get(checklist_item__code=code)
        services.assessment_item_update(
            item=item, data={"status": "accepted"}, expected_version=1, by=procurement_user
        )
    gap = assessment.items.get(checklist_item__code="CPY-01")
    services.assessment_item_update(
        item=gap, data={"status": "gap"}, expected_version=1, by=procurement_user
    )

    [listed] = viewer_client.get(reverse("diligence:assessment_list")).context["object_list"]

    applicable = assessment.items.filter(applicable=True).count()
    assert (listed.applicable_count, listed.accepted_count, listed.gap_count) == (applicable, 2, 1)


def test_assessment_list_names_the_chosen_supplier_and_lists_no_supplier_options(
    viewer_client, assessments
):
    url = reverse("diligence:assessment_list")

    filtered = _page(viewer_client.get(url, {"supplier": assessments["openai"].pk}))
    unfiltered = _page(viewer_client.get(url))

    assert f'name="supplier" value="{assessments["openai"].pk}"' in filtered
    assert ">OpenAI</span>" in filtered
    assert 'name="supplier"' not in unfiltered
