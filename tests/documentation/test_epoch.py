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
    assert len(rows) == 7
    composer = rows[0]
    assert composer["source_name"] == "Composer 2" and composer["organization"] == "Cursor"
    assert composer["training_compute_flop"] == 2.32e25
    assert composer["confidence"] == "Confident" and composer["base_model"] == "Kimi K2.5"
    assert composer["link"] == "https://arxiv.org/abs/2603.24477"
    assert composer["attribution"] == "Data by Epoch AI, CC BY 4.0"
    assert rows[3]["source_name"] == "GPT-5.5" and rows[3]["training_compute_flop"] is None


def test_fine_tuning_compute_and_bounds_are_read():
    data = (
        b"Model,Organization,Training compute (FLOP),Base model,Finetune compute (FLOP),"
        b"Training compute lower bound,Training compute upper bound\n"
        b"Tuned,Org,,Base,1.5e21,1e23,2e25\n"
    )
    (row,) = epoch.read(data, "sample.csv")
    assert row["base_model"] == "Base" and row["finetune_compute_flop"] == 1.5e21
    assert (row["compute_lower_flop"], row["compute_upper_flop"]) == (1e23, 2e25)
    assert row["training_compute_flop"] is None


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
        rows, model_name="DeepSeek-V4", model_version="Pro", supplier_names=["DeepSeek"]
    )
    assert [row["source_name"] for row in found] == ["DeepSeek-V4-Pro"]
    assert not epoch.matches(
        rows, model_name="DeepSeek-V4", model_version="Pro", supplier_names=["Moonshot"]
    )
    assert not epoch.matches(
        rows, model_name="DeepSeek", model_version="V4", supplier_names=["DeepSeek"]
    )


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
    supplier = SupplierFactory(name="Cursor")
    model = GPAIModelFactory(
        supplier=supplier, name="Composer", version="2", training_compute_flop=None
    )
    response = procurement_client.post(
        reverse("documentation:epoch_import", args=[model.pk]),
        {"file": SimpleUploadedFile("notable_ai_models.csv", SAMPLE)},
    )
    assert response.status_code == 302
    estimate = ComputeEstimate.objects.get()
    assert estimate.status == "suggested" and estimate.training_compute_flop == 2.32e25
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
    "data", [b"Name,Compute\nx,1\n", SAMPLE.replace(b"Composer 2", b"Something Else")]
)
def test_an_unusable_or_unmatched_file_saves_nothing(procurement_client, data):
    model = GPAIModelFactory(supplier=SupplierFactory(name="Cursor"), name="Composer", version="2")
    response = procurement_client.post(
        reverse("documentation:epoch_import", args=[model.pk]),
        {"file": SimpleUploadedFile("notable_ai_models.csv", data)},
    )
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not ComputeEstimate.objects.exists()
