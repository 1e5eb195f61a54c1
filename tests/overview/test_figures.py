"""The dashboard's per-supplier summary rows: kept by the services in the same transaction,
always equal to the figures summed from the assessments again."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from diligence import services
from diligence.models import Assessment
from overview import figures
from overview.models import SupplierFigures
from tests.factories import AssessmentFactory, AssessmentItemFactory, GPAIModelFactory

pytestmark = pytest.mark.django_db

FIELDS = ["assessments", *SupplierFigures.SUMMED]


def _rows():
    return {
        row.pop("supplier"): row
        for row in SupplierFigures.objects.values("supplier", *FIELDS).order_by("supplier")
    }


def _summed_again():
    """The rows as summed from the assessments' counters from scratch."""
    kept = _rows()
    figures.supplier_figures_rebuild()
    rebuilt = _rows()
    assert SupplierFigures.objects.count() == len(rebuilt)
    return kept, rebuilt


def _assessment(owner, statuses):
    assessment = AssessmentFactory(owner=owner)
    for status in statuses:
        AssessmentItemFactory(assessment=assessment, status=status)
    return Assessment.objects.get(pk=assessment.pk)


def test_started_assessment_is_summed_in_its_suppliers_row(procurement_user):
    model = GPAIModelFactory()
    services.assessment_start(
        model=model,
        reference="T-1",
        purpose="Chat assistant",
        owner=procurement_user,
        due_date=datetime.date.today() + datetime.timedelta(days=30),
        by=procurement_user,
    )
    row = SupplierFigures.objects.get(supplier=model.supplier)
    assessment = Assessment.objects.get(model=model)
    assert row.assessments == 1
    assert row.items_counted == assessment.items_counted > 0
    assert row.items_accepted == 0
    kept, rebuilt = _summed_again()
    assert kept == rebuilt


def test_item_changes_update_the_row_in_the_same_transaction(procurement_user):
    assessment = _assessment(procurement_user, ["accepted", "open", "open"])
    other = AssessmentFactory(owner=procurement_user, model__supplier=assessment.supplier)
    AssessmentItemFactory(assessment=other, status="gap", checklist_item__category="copyright")
    item = assessment.items.filter(status="open").first()
    with transaction.atomic():
        services.assessment_item_update(
            item=item, data={"status": "gap"}, expected_version=item.version, by=procurement_user
        )
        row = SupplierFigures.objects.get(supplier=assessment.supplier)
        assert (row.assessments, row.items_counted, row.items_accepted) == (2, 4, 1)
        assert row.gaps_copyright == 1
        assert row.gaps_documentation + row.gaps_safety_security == 1
    versions = {i.pk: i.version for i in assessment.items.all()}
    services.assessment_items_bulk_status(
        assessment=assessment, versions=versions, status="accepted", by=procurement_user
    )
    row = SupplierFigures.objects.get(supplier=assessment.supplier)
    assert row.items_accepted == 3
    kept, rebuilt = _summed_again()
    assert kept == rebuilt


def test_a_failed_change_leaves_the_row_as_it_was(procurement_user):
    assessment = _assessment(procurement_user, ["open"])
    before = _rows()
    item = assessment.items.get()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.assessment_item_update(
            item=item,
            data={"status": "accepted"},
            expected_version=item.version,
            by=procurement_user,
        )
        raise RuntimeError("the request failed after the change")
    assert _rows() == before


def test_supplier_without_counted_items_is_not_in_readiness(viewer_client, procurement_user):
    counted = _assessment(procurement_user, ["accepted", "open"])
    _assessment(procurement_user, ["not_applicable"])
    rows = viewer_client.get(reverse("home")).context["readiness_rows"]
    assert [row["supplier_id"] for row, _bar in rows] == [counted.supplier_id]
    assert rows[0][0]["share"] == 0.5
