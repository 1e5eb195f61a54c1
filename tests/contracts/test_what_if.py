"""What if…: the page on each model and `manage.py explain_model` explain a scenario without
saving anything."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.models import AuditEntry
from documentation import services as documentation_services
from tests.documentation.support import downstream_keys, full_values, record_mdf
from tests.factories import GPAIModelFactory, SupplierFactory
from vendors.models import GPAIModel, Signature

pytestmark = pytest.mark.django_db


@pytest.fixture
def xai_model():
    """A US supplier that signed only Safety and Security, with a systemic-risk model."""
    supplier = SupplierFactory(name="xAI", country="US", signatures={"safety_security": "signed"})
    return GPAIModelFactory(
        supplier=supplier, name="Grok", version="4", training_compute_flop=5 * 10**25
    )


def _url(model):
    return reverse("contracts:model_what_if", args=[model.pk])


def _scenario_query(response, **changes):
    """The form as the page renders it, with some values changed: what a person submits."""
    form = response.context["form"]
    data = {}
    for field in form:
        value = field.value()
        if value in (None, False, ""):
            continue
        data[field.html_name] = "on" if value is True else value
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_page_explains_the_model_as_recorded(viewer_client, xai_model):
    response = viewer_client.get(_url(xai_model))

    assert response.status_code == 200
    result = response.context["result"]
    assert result["facts"]["systemic_risk"]["value"] == "yes"
    assert "representative" in result["facts"]
    keys = [clause["key"] for clause in result["clauses"]["selected"]]
    assert "other-means-copyright" in keys and "serious-incidents" in keys
    assert response.context["changes"] is None


def test_page_shows_the_clause_naming_missing_mdf_fields_with_its_reason(
    viewer_client, xai_model, procurement_user
):
    values = full_values()
    missing = downstream_keys()[0]
    del values[missing]
    document = record_mdf(xai_model, procurement_user, values=values, version="5.2")
    documentation_services.mdf_confirm(document=document, by=procurement_user)

    response = viewer_client.get(_url(xai_model))

    selected = {
        row["key"]: row["reason"] for row in response.context["result"]["clauses"]["selected"]
    }
    reason = selected["downstream-fields-missing"]
    assert reason.startswith("Model Documentation Form 5.2: 1 downstream-provider field missing")
    assert reason in response.content.decode()


def test_signing_copyright_in_the_scenario_shows_what_changes_and_saves_nothing(
    legal_client, xai_model
):
    recorded = legal_client.get(_url(xai_model))
    audit_before = AuditEntry.objects.count()

    response = legal_client.get(
        _url(xai_model), _scenario_query(recorded, signature_copyright="signed")
    )

    changes = response.context["changes"]
    dropped = [clause["key"] for clause in changes["clauses_dropped"]]
    assert dropped == ["other-means-copyright"]
    assert changes["facts"] == []
    assert response.context["result"]["evidence"]["copyright"] == "Code of Practice measure"
    assert "Clauses that would leave the pack" in response.content.decode()
    assert Signature.objects.get(supplier=xai_model.supplier, chapter="copyright").status == (
        "unknown"
    )
    assert AuditEntry.objects.count() == audit_before


def test_unknown_compute_in_the_scenario_keeps_safety_items_pending(viewer_client, xai_model):
    recorded = viewer_client.get(_url(xai_model))

    response = viewer_client.get(
        _url(xai_model), _scenario_query(recorded, training_compute_flop="")
    )

    result = response.context["result"]
    assert result["facts"]["systemic_risk"]["value"] == "undetermined"
    pending = [item for item in result["checklist"]["applicable"] if item.get("pending")]
    assert pending and all(item["code"].startswith("SAF-") for item in pending)
    keys = [clause["key"] for clause in result["clauses"]["selected"]]
    assert "systemic-risk-status" in keys and "serious-incidents" not in keys
    assert GPAIModel.objects.get(pk=xai_model.pk).training_compute_flop == 5 * 10**25


def test_unreadable_scenario_values_are_refused_with_a_message(viewer_client, xai_model):
    recorded = viewer_client.get(_url(xai_model))

    response = viewer_client.get(
        _url(xai_model), _scenario_query(recorded, training_compute_flop="lots")
    )

    assert response.status_code == 200
    assert "“lots” is not a number of FLOP" in response.content.decode()
    assert response.context["changes"] is None


def test_page_needs_login_and_the_right_to_see_the_model(client, outsider_client, xai_model):
    assert client.get(_url(xai_model)).status_code == 302
    assert outsider_client.get(_url(xai_model)).status_code == 404
    missing = reverse("contracts:model_what_if", args=[xai_model.pk + 1000])
    assert outsider_client.get(missing).status_code == 404


def test_model_page_links_to_what_if(viewer_client, xai_model):
    page = viewer_client.get(xai_model.get_absolute_url()).content.decode()
    assert _url(xai_model) in page


def test_what_if_queries_do_not_grow_with_the_register(
    viewer_client, xai_model, django_assert_max_num_queries
):
    # Session, user, permissions (2), groups; model with supplier and original, signatures,
    # the newest published checklist and library (their items and clauses the first time, then
    # from the cache); confirmed MDF versions, their catalogue's fields and their values.
    budget = 14
    viewer_client.get(_url(xai_model))
    with django_assert_max_num_queries(budget) as small:
        viewer_client.get(_url(xai_model))
    for _ in range(20):
        GPAIModelFactory(supplier=xai_model.supplier, modification_of=xai_model)
    tuned = GPAIModelFactory(
        supplier=SupplierFactory(country="FR"),
        modification_of=xai_model,
        modification_compute_flop=10**24,
    )
    viewer_client.get(_url(tuned))
    with django_assert_max_num_queries(budget) as large:
        viewer_client.get(_url(tuned))
    assert len(large) == len(small)


# The command


SCENARIO = {
    "today": "2026-12-01",
    "supplier": {"country": "US"},
    "model": {
        "training_compute_flop": None,
        "placed_on_market": "2025-06-01",
        "open_licence": True,
        "weights_public": True,
        "architecture_public": True,
        "usage_info_public": True,
    },
    "signatures": {"transparency": "signed", "copyright": "signed", "safety_security": "unknown"},
    "buyer": {"plans_fine_tuning": True, "fine_tuning_compute_flop": "2e24"},
}


def _explain(tmp_path, scenario):
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    out = io.StringIO()
    call_command("explain_model", str(path), stdout=out)
    return json.loads(out.getvalue())


def test_explain_model_prints_facts_items_and_clauses_as_json(tmp_path):
    result = _explain(tmp_path, SCENARIO)

    assert (result["checklist_version"], result["clause_library_version"]) == (2, 3)
    facts = result["facts"]
    assert facts["systemic_risk"]["value"] == "undetermined"
    assert facts["open_source"]["value"] == "undetermined"
    assert "Cannot be decided yet" in facts["open_source"]["explanation"]
    assert facts["representative"]["value"] == "yes"
    assert facts["legacy"]["value"] == "yes"
    assert facts["buyer_fine_tuning"]["value"] == "undetermined"
    selected = {clause["key"]: clause["reason"] for clause in result["clauses"]["selected"]}
    assert "systemic-risk-status" in selected
    assert "open-source-claim-fails" in selected
    assert "authorised-representative" in selected
    assert {"training-summary-legacy", "copyright-legacy"} <= set(selected)
    assert "open-source-exemption" not in selected
    # A scenario records no Model Documentation Form: the clause naming its missing fields is
    # listed as not selected, with the reason.
    not_selected = {row["key"]: row["reason"] for row in result["clauses"]["not_selected"]}
    assert not_selected["downstream-fields-missing"] == (
        "No confirmed Model Documentation Form recorded for the model"
    )
    excluded = {item["code"] for item in result["checklist"]["excluded"]}
    assert not excluded & {"DOC-04", "DOC-08", "DOC-21", "SAF-01"}


def test_explain_model_saves_nothing(tmp_path):
    before = (GPAIModel.objects.count(), AuditEntry.objects.count())
    _explain(tmp_path, SCENARIO)
    assert (GPAIModel.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "is not valid JSON"),
        (json.dumps({**SCENARIO, "colour": "red"}), "colour: unknown field"),
        (
            json.dumps({**SCENARIO, "model": {"training_compute_flop": "lots"}}),
            "model.training_compute_flop: “lots” is not a number of FLOP",
        ),
        (json.dumps({**SCENARIO, "supplier": {}}), "supplier.country: give the supplier's"),
        (
            json.dumps({**SCENARIO, "signatures": {"copyright": "maybe"}}),
            "signatures.copyright: 'maybe' is not one of",
        ),
    ],
)
def test_explain_model_refuses_a_bad_scenario_with_every_problem_named(tmp_path, text, message):
    path = tmp_path / "scenario.json"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        call_command("explain_model", str(path), stdout=io.StringIO())


def test_explain_model_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("explain_model", str(tmp_path / "nope.json"), stdout=io.StringIO())
