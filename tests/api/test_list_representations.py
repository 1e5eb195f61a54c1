"""The lists of assessments and of an assessment's items are written by plain functions from
values() rows (api.serializers.assessment_list_out, item_out); their JSON is byte for byte what
the serializers (AssessmentListOut, ItemOut) give for the same records, and the pages' counts
read the filtered records alone."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from api import serializers as s
from diligence import queries
from diligence.models import Assessment, AssessmentItem, ItemStatus
from tests.factories import (
    AssessmentFactory,
    AssessmentItemFactory,
    DecisionFactory,
    EvidenceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> & \"quoted\" é\n\u2028"


def _json(data):
    return JSONRenderer().render(data)


def _results(client, url, **params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, {"page_size": 100, **params})
    assert response.status_code == 200
    counts = [q["sql"] for q in context if "COUNT(*)" in q["sql"]]
    return response.data["results"], counts


def test_assessment_list_is_what_the_serializer_gives(api):
    decided = AssessmentFactory(purpose=HOSTILE, reference="B-1")
    DecisionFactory(
        assessment=decided,
        outcome="approved_with_conditions",
        conditions=HOSTILE,
        decided_by=UserFactory(username="o'neil"),
    )
    AssessmentFactory(reference="A-2", due_date=datetime.date(2030, 2, 28))
    # Saved at a summer time of the reader's zone, and at a microsecond.
    Assessment.objects.filter(pk=AssessmentFactory(reference="C-3").pk).update(
        updated_at=datetime.datetime(2026, 7, 1, 12, 0, 0, 123456, tzinfo=datetime.UTC)
    )

    results, counts = _results(api["viewer"], reverse("api:assessment_list"))

    records = queries.assessments_for_list({}).select_related("decision__decided_by")
    assert _json(results) == _json(s.AssessmentListOut(records, many=True).data)
    assert [r["decision"] is None for r in results].count(True) == 2
    assert [r["decision"]["conditions"] for r in results if r["decision"]] == [HOSTILE]
    assert len(counts) == 1 and "JOIN" not in counts[0]


def test_filtered_assessment_list_is_what_the_serializer_gives(api):
    AssessmentFactory(reference="TENDER-1")
    DecisionFactory(assessment=AssessmentFactory(reference="TENDER-2"))
    AssessmentFactory(reference="OTHER-3")

    results, _ = _results(
        api["viewer"], reverse("api:assessment_list"), q="tender", status="decided"
    )

    records = queries.assessments_for_list({"q": "tender", "status": "decided"})
    assert _json(results) == _json(s.AssessmentListOut(records, many=True).data)
    assert [r["reference"] for r in results] == ["TENDER-2"]


def test_item_list_is_what_the_serializer_gives(api):
    assessment = AssessmentFactory()
    reviewed = AssessmentItemFactory(
        assessment=assessment,
        status=ItemStatus.ACCEPTED,
        justification=HOSTILE,
        notes=HOSTILE,
        reviewer=UserFactory(username="rev'iewer"),
        reviewed_on=timezone.localdate(),
    )
    EvidenceFactory(item=reviewed)
    EvidenceFactory(item=reviewed)
    superseded = EvidenceFactory(item=reviewed)
    superseded.is_current = False
    superseded.save()
    AssessmentItemFactory(assessment=assessment, applicable=False, exclusion_reason=HOSTILE)
    AssessmentItemFactory(assessment=AssessmentFactory())  # another assessment's
    url = reverse("api:item_list", kwargs={"pk": assessment.pk})

    results, counts = _results(api["viewer"], url)

    items = queries.items_with_evidence_count(
        AssessmentItem.objects.filter(assessment=assessment)
    ).select_related("reviewer")
    items = items.order_by("checklist_item__order", "checklist_item__code").defer(None)
    assert _json(results) == _json(s.ItemOut(items, many=True).data)
    assert len(results) == assessment.items.count()
    assert [r["evidence_count"] for r in results if r["id"] == reviewed.pk] == [2]
    assert len(counts) == 1 and "JOIN" not in counts[0]
