"""The clause naming the downstream-provider fields missing from the supplier's Model
Documentation Form: which form counts, what the clause says, and why the report says it is in
the pack."""

import io

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from contracts import content, queries, services
from documentation import services as documentation_services
from tests.documentation.support import downstream_keys, full_values, record_mdf, specs

pytestmark = pytest.mark.django_db


def _loaded(assessment):
    return queries.assessment_for_pack().get(pk=assessment.pk)


def _state(assessment):
    return queries.clause_pack_state(_loaded(assessment))


def _confirmed(model, by, *, version, missing=()):
    values = full_values()
    for key in missing:
        del values[key]
    document = record_mdf(model, by, values=values, version=version)
    return documentation_services.mdf_confirm(document=document, by=by)


def _labels(keys):
    by_key = {spec.key: spec for spec in specs()}
    return [f"{by_key[key].number} {by_key[key].label}" for key in keys]


@pytest.fixture
def missing():
    return downstream_keys()[:2]


def test_a_confirmed_form_lacking_downstream_fields_selects_the_clause(
    xai_assessment, procurement_user, missing
):
    _confirmed(xai_assessment.model, procurement_user, version="3.0", missing=missing)

    entry = _state(xai_assessment).pack.entry("downstream-fields-missing")

    first, second = _labels(missing)
    assert entry.selection.selected
    assert entry.reason == (
        "Model Documentation Form 3.0: 2 downstream-provider fields missing or incomplete "
        f"({first}, {second})"
    )


def test_only_the_current_confirmed_version_counts(xai_assessment, procurement_user, missing):
    model = xai_assessment.model
    _confirmed(model, procurement_user, version="3.0", missing=missing)
    _confirmed(model, procurement_user, version="3.1")
    # A newer draft lacking everything is not the supplier's version yet.
    record_mdf(model, procurement_user, values={}, version="4.0-draft")

    entry = _state(xai_assessment).pack.entry("downstream-fields-missing")

    assert not entry.selection.selected
    assert entry.reason == "Model Documentation Form 3.1: downstream fields complete"


def test_a_draft_form_alone_is_no_form(xai_assessment, procurement_user):
    record_mdf(xai_assessment.model, procurement_user, values={}, version="1.0")

    entry = _state(xai_assessment).pack.entry("downstream-fields-missing")

    assert entry.reason == "No confirmed Model Documentation Form recorded for the model"
    # The clause that asks for the information in the first place stays in the pack.
    assert _state(xai_assessment).pack.entry("downstream-information").selection.selected


def test_placeholders_name_the_version_and_the_missing_fields(
    xai_assessment, procurement_user, missing
):
    values = content.placeholder_values(_loaded(xai_assessment))
    assert (values["mdf.version"], values["mdf.downstream_missing"]) == ("none recorded", [])

    _confirmed(xai_assessment.model, procurement_user, version="3.0", missing=missing)
    values = content.placeholder_values(_loaded(xai_assessment))

    first, second = _labels(missing)
    assert values["mdf.version"] == "3.0"
    assert values["mdf.downstream_missing"] == [first, second]


def test_placeholders_list_the_open_items_and_the_gaps_by_title(xai_assessment):
    values = content.placeholder_values(_loaded(xai_assessment))

    assert values["items.gaps"] == ["Information for integrators received", "robots.txt obeyed"]
    assert "Public summary of training content" in values["items.open"]
    assert "robots.txt obeyed" not in values["items.open"]
    assert "Safety and Security Framework" in values["items.open_safety_security"]
    assert "Public summary of training content" not in values["items.open_safety_security"]


def _pdf_text(document):
    data = default_storage.open(document.storage_name).read()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def test_the_schedule_names_the_fields_and_the_report_says_why(
    xai_assessment, procurement_user, legal_user, missing, media_root
):
    _confirmed(xai_assessment.model, procurement_user, version="3.0", missing=missing)
    first, second = _labels(missing)

    schedule, _ = services.document_generate(
        assessment=xai_assessment, format="pdf", kind="schedule", by=legal_user
    )
    report, _ = services.document_generate(
        assessment=xai_assessment, format="pdf", kind="report", by=legal_user
    )

    schedule_text, report_text = _pdf_text(schedule), _pdf_text(report)
    assert "Missing information for downstream providers" in schedule_text
    assert "in its version 3.0, lacks the following information" in schedule_text
    assert f"– {first}" in schedule_text and f"– {second}" in schedule_text
    assert "Selected because" not in schedule_text
    assert (
        "Model Documentation Form 3.0: 2 downstream-provider fields missing or incomplete"
        in report_text
    )
