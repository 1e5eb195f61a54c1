"""Facts change, assessments follow: open assessments are re-evaluated when the model's or the
supplier's facts or signatures change; decided ones stay as decided and say what changed."""

import datetime

import pytest
from django.urls import reverse

from core.models import AuditEntry
from diligence import services
from diligence.models import AssessmentStatus, ItemStatus
from tests.factories import DecisionFactory, GPAIModelFactory, SupplierFactory
from vendors import services as vendor_services
from vendors.forms import GPAIModelForm, SignatureForm, SupplierForm

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def model():
    """A French supplier's model known to be below the systemic-risk threshold."""
    supplier = SupplierFactory(name="Mistral AI", country="FR")
    return GPAIModelFactory(
        supplier=supplier, name="Mistral Small", version="3", training_compute_flop=10**24
    )


def _start(model, owner):
    return services.assessment_start(
        model=model,
        reference="TENDER-2026-11",
        purpose="Customer enquiries.",
        owner=owner,
        due_date=TODAY + datetime.timedelta(days=30),
        by=owner,
    )


def _item(assessment, code):
    return assessment.items.select_related("checklist_item").get(checklist_item__code=code)


def _edit_model(model, by, form_data, **changes):
    data = {**form_data(GPAIModelForm(instance=model)), **changes}
    form = GPAIModelForm(data, instance=model)
    assert form.is_valid(), form.errors
    return vendor_services.record_save(form=form, by=by)


def test_unknown_compute_brings_the_safety_items_back_pending_and_keeps_answers(
    model, procurement_user, form_data
):
    assessment = _start(model, procurement_user)
    assert not _item(assessment, "SAF-01").applicable
    services.assessment_item_update(
        item=_item(assessment, "DOC-02"),
        data={"status": ItemStatus.ACCEPTED, "notes": "Below 10^25"},
        expected_version=1,
        by=procurement_user,
    )

    _edit_model(model, procurement_user, form_data, training_compute_flop="")

    safety = _item(assessment, "SAF-01")
    assert safety.applicable
    assert safety.pending_reason == "Pending: systemic-risk status not known."
    answered = _item(assessment, "DOC-02")
    assert (answered.status, answered.notes) == (ItemStatus.ACCEPTED, "Below 10^25")
    entry = AuditEntry.objects.get(action="assessment_reevaluated")
    assert "SAF-01" in entry.data["added"]
    assert {"fact": "Systemic risk", "before": "no", "after": "undetermined"} in entry.data["facts"]
    assert entry.summary.startswith("Facts changed (GPAI model “Mistral Small 3” edited)")


def test_items_that_no_longer_apply_are_set_apart_with_the_reason(procurement_user, form_data):
    model = GPAIModelFactory(
        supplier=SupplierFactory(country="FR"), training_compute_flop=4 * 10**25
    )
    assessment = _start(model, procurement_user)
    services.assessment_item_update(
        item=_item(assessment, "SAF-01"),
        data={"status": ItemStatus.REQUESTED, "notes": "Asked on Monday"},
        expected_version=1,
        by=procurement_user,
    )

    _edit_model(model, procurement_user, form_data, training_compute_flop="1e24")

    safety = _item(assessment, "SAF-01")
    assert not safety.applicable
    assert safety.exclusion_reason.startswith("Only for models with systemic risk (Art. 55)")
    assert (safety.status, safety.notes) == (ItemStatus.REQUESTED, "Asked on Monday")
    entry = AuditEntry.objects.get(action="assessment_reevaluated")
    assert entry.data["set_apart"][0]["code"] == "SAF-01"
    assessment.refresh_from_db()
    assert assessment.facts_snapshot["systemic_risk"]["value"] == "no"


def test_moving_the_supplier_outside_the_union_adds_the_representative_item(
    model, procurement_user, form_data
):
    assessment = _start(model, procurement_user)
    supplier = model.supplier
    data = {**form_data(SupplierForm(instance=supplier)), "country": "US"}
    form = SupplierForm(data, instance=supplier)
    assert form.is_valid(), form.errors

    vendor_services.record_save(form=form, by=procurement_user)

    assert _item(assessment, "DOC-21").applicable
    assert "DOC-21" in AuditEntry.objects.get(action="assessment_reevaluated").data["added"]


def test_signing_a_chapter_changes_the_evidence_mode_of_open_assessments(model, procurement_user):
    assessment = _start(model, procurement_user)
    signature = model.supplier.signatures.get(chapter="copyright")
    form = SignatureForm(
        {
            "status": "signed",
            "signed_on": "2025-08-01",
            "source_url": "https://digital-strategy.ec.europa.eu/en/policies/contents-code-gpai",
            "verified_on": TODAY.isoformat(),
            "note": "",
        },
        instance=signature,
    )
    assert form.is_valid(), form.errors

    vendor_services.signatures_update(forms=[form], by=procurement_user)

    assessment.refresh_from_db()
    assert assessment.evidence_modes["copyright"] == "code_measure"
    entry = AuditEntry.objects.get(action="assessment_reevaluated")
    assert "Copyright now evidenced by Code of Practice measure" in entry.summary


def test_an_unchanged_save_moves_nothing_and_logs_nothing(model, procurement_user, form_data):
    _start(model, procurement_user)

    _edit_model(model, procurement_user, form_data)

    assert not AuditEntry.objects.filter(action="assessment_reevaluated").exists()


def test_a_decided_assessment_is_not_touched_but_shows_what_changed(
    model, procurement_user, procurement_client, form_data
):
    assessment = _start(model, procurement_user)
    DecisionFactory(assessment=assessment)

    _edit_model(model, procurement_user, form_data, training_compute_flop="")

    assert not _item(assessment, "SAF-01").applicable
    assert not AuditEntry.objects.filter(action="assessment_reevaluated").exists()
    page = procurement_client.get(assessment.get_absolute_url())
    drift = page.context["drift"]
    assert [(c.label, c.before, c.after) for c in drift.changes][0] == (
        "Systemic risk",
        "no",
        "undetermined",
    )
    assert "SAF-01" in [item.checklist_item.code for item in drift.now_apply]
    html = page.content.decode()
    assert "Facts changed since the decision" in html
    assert 'href="#reopen-reason"' in html and 'id="reopen-reason"' in html


def test_reopening_brings_the_assessment_in_line_with_the_facts(model, procurement_user, form_data):
    assessment = _start(model, procurement_user)
    DecisionFactory(assessment=assessment)
    _edit_model(model, procurement_user, form_data, training_compute_flop="")

    services.assessment_reopen(assessment=assessment, by=procurement_user, reason="New facts")

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert _item(assessment, "SAF-01").applicable


def test_a_decided_assessment_without_changes_shows_no_warning(
    model, procurement_user, procurement_client
):
    assessment = _start(model, procurement_user)
    DecisionFactory(assessment=assessment)

    page = procurement_client.get(reverse("diligence:assessment_detail", args=[assessment.pk]))

    assert not page.context["drift"]
    assert "Facts changed since the decision" not in page.content.decode()
