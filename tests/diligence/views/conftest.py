"""Fixtures of the assessment-page tests: a model, an assessment on it, an item and evidence."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from core.roles import PROCUREMENT
from diligence import services
from tests.diligence.views.support import NEXT_MONTH, PDF
from tests.factories import (
    GPAIModelFactory,
    SupplierFactory,
    UserFactory,
)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def reviewer():
    """A second Procurement user, who may decide on the first one's assessments."""
    return UserFactory(username="reviewer", role=PROCUREMENT)


@pytest.fixture
def reviewer_client(reviewer):
    client = Client()
    client.force_login(reviewer)
    return client


@pytest.fixture
def gpai_model():
    supplier = SupplierFactory(name="Mistral AI", country="FR", signatures={"copyright": "signed"})
    return GPAIModelFactory(supplier=supplier, name="Mistral Medium", version="3")


@pytest.fixture
def assessment(gpai_model, procurement_user):
    return services.assessment_start(
        model=gpai_model,
        reference="TENDER-2025-07",
        purpose="Drafting replies to customer enquiries.",
        owner=procurement_user,
        due_date=NEXT_MONTH,
        by=procurement_user,
    )


@pytest.fixture
def item(assessment):
    return assessment.items.get(checklist_item__code="DOC-10")


@pytest.fixture
def evidence(item, procurement_user, media_root):
    return services.evidence_add(
        item=item,
        data={"description": "Model card"},
        uploaded_file=SimpleUploadedFile('Modell "Karte" ü.pdf', PDF),
        by=procurement_user,
    )
