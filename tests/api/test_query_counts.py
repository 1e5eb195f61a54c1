"""The API's lists read the same number of queries however many records a page has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    AssessmentFactory,
    AssessmentItemFactory,
    DecisionFactory,
    EvidenceFactory,
    GPAIModelFactory,
    SupplierFactory,
)

pytestmark = pytest.mark.django_db


def _queries(client, url):
    # The first request of a token also records its use and reads the user's permissions.
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def _grow(make, count):
    for _ in range(count):
        make()


def test_supplier_list_queries_do_not_grow(api):
    url = reverse("api:supplier_list")
    SupplierFactory()
    few = _queries(api["viewer"], url)
    _grow(lambda: GPAIModelFactory(supplier=SupplierFactory()), 12)

    assert _queries(api["viewer"], url) == few


def test_model_list_queries_do_not_grow(api):
    url = reverse("api:model_list")
    GPAIModelFactory()
    few = _queries(api["viewer"], url)
    _grow(GPAIModelFactory, 12)

    assert _queries(api["viewer"], url) == few


def test_assessment_list_queries_do_not_grow(api):
    url = reverse("api:assessment_list")
    AssessmentFactory()
    few = _queries(api["viewer"], url)
    _grow(lambda: DecisionFactory(assessment=AssessmentFactory()), 6)
    _grow(AssessmentFactory, 6)

    assert _queries(api["viewer"], url) == few


def test_item_and_evidence_lists_queries_do_not_grow(api):
    assessment = AssessmentFactory()
    item = AssessmentItemFactory(assessment=assessment)
    items_url = reverse("api:item_list", kwargs={"pk": assessment.pk})
    evidence_url = reverse("api:evidence_list", kwargs={"pk": assessment.pk, "item_pk": item.pk})
    EvidenceFactory(item=item)
    few_items, few_evidence = (
        _queries(api["viewer"], items_url),
        _queries(api["viewer"], evidence_url),
    )
    _grow(lambda: EvidenceFactory(item=AssessmentItemFactory(assessment=assessment)), 8)
    _grow(lambda: EvidenceFactory(item=item), 8)

    assert _queries(api["viewer"], items_url) == few_items
    assert _queries(api["viewer"], evidence_url) == few_evidence
