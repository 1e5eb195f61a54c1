"""Starting an assessment from the model page."""

import datetime

import pytest
from django.urls import reverse

from core.models import AuditEntry
from diligence.models import (
    Assessment,
)
from tests.diligence.views.support import (
    NEXT_MONTH,
    TODAY,
    _page,
)

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
