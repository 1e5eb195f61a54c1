"""Starting an assessment from the model page."""

import datetime

import pytest
from django.urls import reverse

from core.models import AuditEntry
from diligence import services
from diligence.models import (
    Assessment,
)
from tests.diligence.views.support import (
    NEXT_MONTH,
    TODAY,
    _page,
)
from tests.factories import GPAIModelFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def test_start_form_from_the_model_page_starts_an_assessment(
    procurement_client, procurement_user, gpai_model, form_data
):
    model_page = _page(procurement_client.get(gpai_model.get_absolute_url()))
    start_url = f"{reverse('diligence:assessment_start')}?model={gpai_model.pk}"
    assert start_url in model_page
    form = procurement_client.get(start_url).context["form"]
    data = form_data(form)
    assert data["model"] == str(gpai_model.pk)
    assert data["owner"] == str(procurement_user.pk)

    response = procurement_client.post(
        start_url,
        {**data, "reference": "TENDER-9", "purpose": "Search", "due_date": NEXT_MONTH.isoformat()},
        follow=True,
    )

    assessment = Assessment.objects.get()
    assert response.redirect_chain == [(assessment.get_absolute_url(), 302)]
    assert (assessment.reference, assessment.model, assessment.owner) == (
        "TENDER-9",
        gpai_model,
        procurement_user,
    )
    assert "Assessment TENDER-9 started." in _page(response)


def test_submitting_the_start_form_twice_creates_one_assessment(
    procurement_client, gpai_model, form_data
):
    url = f"{reverse('diligence:assessment_start')}?model={gpai_model.pk}"
    data = form_data(procurement_client.get(url).context["form"])
    data.update(reference="TENDER-9", purpose="Search", due_date=NEXT_MONTH.isoformat())

    first = procurement_client.post(url, data)
    second = procurement_client.post(url, data)

    assessment = Assessment.objects.get()
    assert first.url == second.url == assessment.get_absolute_url()
    assert AuditEntry.objects.filter(action="assessment_started").count() == 1


def test_start_form_refuses_a_due_date_in_the_past(procurement_client, gpai_model, form_data):
    url = f"{reverse('diligence:assessment_start')}?model={gpai_model.pk}"
    data = form_data(procurement_client.get(url).context["form"])
    yesterday = TODAY - datetime.timedelta(days=1)
    data.update(reference="TENDER-9", purpose="Search", due_date=yesterday.isoformat())

    response = procurement_client.post(url, data)

    assert response.context["form"].errors == {"due_date": ["The due date cannot be in the past."]}
    assert not Assessment.objects.exists()


# Unknown stays unknown; the buyer's own fine-tuning


def test_safety_items_of_an_undetermined_model_are_listed_as_pending(
    viewer_client, procurement_user
):
    model = GPAIModelFactory(supplier=SupplierFactory(country="FR"))
    assessment = services.assessment_start(
        model=model,
        reference="TENDER-UNKNOWN",
        purpose="Summaries.",
        owner=procurement_user,
        due_date=NEXT_MONTH,
        by=procurement_user,
    )

    response = viewer_client.get(assessment.get_absolute_url())

    groups = {group["category"]: group for group in response.context["groups"]}
    assert groups["safety_security"]["items"]
    assert "Pending: systemic-risk status not known." in _page(response)


def test_starting_with_fine_tuning_plans_flags_that_the_buyer_may_become_a_provider(
    procurement_client, form_data
):
    model = GPAIModelFactory(training_compute_flop=3 * 10**24)
    url = reverse("diligence:assessment_start")
    data = form_data(procurement_client.get(url).context["form"])
    data.update(
        {
            "model": model.pk,
            "reference": "TENDER-FT",
            "purpose": "Fine-tuned assistant.",
            "due_date": (TODAY + datetime.timedelta(days=10)).isoformat(),
            "buyer_plans_fine_tuning": "on",
            "buyer_fine_tuning_flop": "2e24",
        }
    )

    response = procurement_client.post(url, data, follow=True)

    assessment = response.context["assessment"]
    assert assessment.buyer_fine_tuning_flop == 2 * 10**24
    assert assessment.facts_snapshot["buyer_fine_tuning"]["value"] == "yes"
    assert "the buyer may itself become the provider of a new general-purpose AI model" in (
        _page(response)
    )


def test_fine_tuning_compute_without_the_plan_is_refused(procurement_client, form_data):
    model = GPAIModelFactory()
    url = reverse("diligence:assessment_start")
    data = form_data(procurement_client.get(url).context["form"])
    data.update(
        {
            "model": model.pk,
            "reference": "TENDER-FT",
            "purpose": "x",
            "due_date": (TODAY + datetime.timedelta(days=10)).isoformat(),
            "buyer_fine_tuning_flop": "2e24",
        }
    )

    response = procurement_client.post(url, data)

    assert response.status_code == 200
    assert "Tick this box if you plan fine-tuning" in _page(response)
