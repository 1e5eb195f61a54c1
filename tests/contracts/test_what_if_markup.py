"""The what-if page reads exactly as its Django template gave it before
(tests/contracts/data/model_what_if_before.html is that template as it was, its form fields
rendered by crispy-forms): as recorded, with a scenario that changes things, and with errors;
names that must be escaped included."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.urls import reverse

from tests.factories import GPAIModelFactory, SupplierFactory

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> & \"quoted\" {{ x }} {% y %}"
PAGE_BEFORE = engines["django"].from_string(
    (Path(__file__).parent / "data" / "model_what_if_before.html").read_text()
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
CONTEXT = ("gpai_model", "form", "result", "changes", "submitted", "checklist", "library")


@pytest.fixture
def hostile_model():
    supplier = SupplierFactory(name=HOSTILE, country="US", signatures={"copyright": "signed"})
    original = GPAIModelFactory(name=f"Base {HOSTILE}", training_compute_flop=10**26)
    return GPAIModelFactory(
        supplier=supplier,
        name=HOSTILE,
        training_compute_flop=5 * 10**25,
        modification_of=original,
        modification_compute_flop=10**24,
    )


def _page_and_before(client, model, query=None):
    response = client.get(reverse("contracts:model_what_if", args=[model.pk]), query or {})
    assert response.status_code == 200
    context = {name: response.context[name] for name in CONTEXT}
    before = PAGE_BEFORE.render(context, response.wsgi_request)
    return CSRF.sub("", response.content.decode()), CSRF.sub("", before)


def _submitted(client, model, **changes):
    """The form as the page renders it, some values changed."""
    form = client.get(reverse("contracts:model_what_if", args=[model.pk])).context["form"]
    data = {}
    for field in form:
        value = field.value()
        if value not in (None, False, ""):
            data[field.html_name] = "on" if value is True else value
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_recorded_model_reads_as_the_django_template_did(viewer_client, hostile_model):
    page, before = _page_and_before(viewer_client, hostile_model)

    assert page == before
    assert HOSTILE not in page
    assert 'class="dateinput form-control" required id="id_today"' in page


def test_a_scenario_that_changes_things_reads_as_the_django_template_did(
    legal_client, hostile_model
):
    query = _submitted(
        legal_client,
        hostile_model,
        signature_safety_security="signed",
        training_compute_flop="",
        open_licence="on",
        buyer_plans_fine_tuning="on",
        buyer_fine_tuning_flop="3e24",
        upstream_provider=HOSTILE,
    )

    page, before = _page_and_before(legal_client, hostile_model, query)

    assert page == before
    assert "What changes compared with the record" in page
    assert re.search(r"<input type=\"checkbox\" name=\"open_licence\"[^>]* checked", page)


def test_a_scenario_with_errors_reads_as_the_django_template_did(viewer_client, hostile_model):
    query = _submitted(
        viewer_client,
        hostile_model,
        today="yesterday",
        training_compute_flop="lots",
        systemic_risk_source="not a url",
        country="ZZ",
    )

    page, before = _page_and_before(viewer_client, hostile_model, query)

    assert page == before
    assert page.count('<div id="id_') >= 4
    assert "is-invalid" in page and "“lots” is not a number of FLOP" in page


def test_a_scenario_that_changes_nothing_reads_as_the_django_template_did(
    viewer_client, hostile_model
):
    query = _submitted(viewer_client, hostile_model)

    page, before = _page_and_before(viewer_client, hostile_model, query)

    assert page == before
    assert "Nothing: the facts, the items and the clauses stay as they are." in page


def test_pending_items_read_as_the_django_template_did(viewer_client):
    supplier = SupplierFactory(country="US", signatures={"safety_security": "signed"})
    model = GPAIModelFactory(supplier=supplier, name=HOSTILE, training_compute_flop=5 * 10**25)
    query = _submitted(viewer_client, model, training_compute_flop="")

    page, before = _page_and_before(viewer_client, model, query)

    assert page == before
    assert 'title="' in page and ">pending</span>" in page
    assert "Items that would not apply" in page
