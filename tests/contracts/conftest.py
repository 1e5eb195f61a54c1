import datetime

import pytest

from diligence import services as diligence_services
from tests.contracts.support import set_status
from tests.factories import GPAIModelFactory, SupplierFactory


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def xai_assessment(procurement_user):
    """Grok from a US supplier that signed only Safety and Security: a legacy model with
    systemic risk, started against the default checklist, with two gaps."""
    supplier = SupplierFactory(
        name="xAI",
        legal_name="X.AI LLC",
        country="US",
        signatures={
            "transparency": "not_signed",
            "copyright": "not_signed",
            "safety_security": "signed",
        },
    )
    model = GPAIModelFactory(
        supplier=supplier,
        name="Grok",
        version="4",
        placed_on_market=datetime.date(2025, 7, 9),
        systemic_risk_status="presumed",
    )
    assessment = diligence_services.assessment_start(
        model=model,
        reference="TENDER-2026-014",
        purpose="Customer-service assistant.",
        owner=procurement_user,
        due_date=datetime.date.today() + datetime.timedelta(days=30),
        by=procurement_user,
    )
    set_status(assessment, "DOC-11", "gap")
    set_status(assessment, "CPY-05", "gap")
    return assessment
