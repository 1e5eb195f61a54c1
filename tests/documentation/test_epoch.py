"""Epoch AI's public compute estimates: read, matched, flagged, and accepted by a person without
touching the provider's figures."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documentation import epoch
from documentation.models import ComputeEstimate
from tests.documentation.support import FIXTURES
from tests.factories import GPAIModelFactory, SupplierFactory

SAMPLE = (FIXTURES / "epoch_models_sample.csv").read_bytes()


def test_rows_are_read_with_their_attribution():
    rows = epoch.read(SAMPLE, "sample.csv")
    assert len(rows) == 4
    assert rows[0]["training_compute_flop"] == 3.2e25
    assert rows[0]["attribution"] == "Data by Epoch AI, CC BY 4.0"
    assert rows[2]["base_model"] == "Example Small 3" and rows[2]["finetune_compute_flop"] == 1.5e21
    assert rows[2]["training_compute_flop"] is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Name,Compute\nx,1\n", "missing column(s): Model, Organization"),
        (
            b"Model,Organization,Training compute (FLOP)\nA,B,lots\n",
            "line 2: 'lots' is not a number",
        ),
        (b"Model,Organization,Training compute (FLOP)\nA,B,inf\n", "is not a number"),
        (b"Model,Organization,Training compute (FLOP)\nA,B,1,extra\n", "more cells than columns"),
        (b"Model,Organization,Training compute (FLOP)\n", "no rows"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_malformed_files_give_a_reason(data, message):
    with pytest.raises(epoch.EpochProblem) as problem:
        epoch.read(data, "sample.csv")
    assert message in str(problem.value)


def test_matching_needs_the_name_and_the_organisation():
    rows = epoch.read(SAMPLE, "sample.csv")
    found = epoch.matches(
        rows, model_name="Example Small", model_version="3", supplier_names=["Example Labs"]
    )
    assert [row["organization"] for row in found] == ["Example Labs"]


@pytest.mark.parametrize(
    ("compute", "upper", "flag"),
    [
        (3.2e25, None, "likely"),
        (1e25, None, "likely"),
        (4e23, 2e25, "possible"),
        (4e23, 9e24, ""),
        (None, None, ""),
    ],
)
def test_systemic_risk_flag(compute, upper, flag):
    assert epoch.systemic_risk_flag(compute=compute, upper=upper) == flag


@pytest.mark.django_db
def test_import_suggests_and_acceptance_leaves_the_provider_figure_alone(procurement_client):
    supplier = SupplierFactory(name="Example Labs")
    model = GPAIModelFactory(
        supplier=supplier, name="Example Large", version="2", training_compute_flop=None
    )
    response = procurement_client.post(
        reverse("documentation:epoch_import", args=[model.pk]),
        {"file": SimpleUploadedFile("notable_ai_models.csv", SAMPLE)},
    )
    assert response.status_code == 302
    estimate = ComputeEstimate.objects.get()
    assert estimate.status == "suggested" and estimate.training_compute_flop == 3.2e25
    page = procurement_client.get(response.url).content.decode()
    assert "Third-party estimate, not provider-declared" in page
    assert "Likely systemic risk" in page and "Data by Epoch AI, CC BY 4.0" in page

    procurement_client.post(
        reverse("documentation:estimate_decide", args=[estimate.pk]), {"decision": "accept"}
    )
    estimate.refresh_from_db()
    model.refresh_from_db()
    assert estimate.status == "accepted"
    assert model.training_compute_flop is None
    assert model.systemic_risk_status == "unknown"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data", [b"Name,Compute\nx,1\n", SAMPLE.replace(b"Example Large 2", b"Something Else")]
)
def test_an_unusable_or_unmatched_file_saves_nothing(procurement_client, data):
    model = GPAIModelFactory(
        supplier=SupplierFactory(name="Example Labs"), name="Example Large", version="2"
    )
    response = procurement_client.post(
        reverse("documentation:epoch_import", args=[model.pk]),
        {"file": SimpleUploadedFile("notable_ai_models.csv", data)},
    )
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not ComputeEstimate.objects.exists()
