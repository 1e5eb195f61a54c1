"""Text read from imported files is stored under the same rule as text typed into a form
(core.text): invisible controls removed, Unicode NFC, and a NUL refused with a clear message."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.text import is_normalised
from documentation.models import ComputeEstimate, MdfDocument, MdfValue, TrainingSummary
from tests.documentation.support import DEMO
from tests.factories import GPAIModelFactory, SupplierFactory

pytestmark = pytest.mark.django_db

HOSTILE = "Exa\u202emple\u200b La\x07bs Cafe\u0301"
CLEAN = "Example Labs Caf\u00e9"


def _post(client, name, model, filename, data):
    return client.post(
        reverse(f"documentation:{name}", args=[model.pk]),
        {"file": SimpleUploadedFile(filename, data)},
    )


def test_mdf_values_read_from_a_file_are_stored_normalised(procurement_client):
    data = json.dumps(
        {
            "document_version": "1\u200b.0",
            "last_updated": "2026-01-02",
            "fields": {"provider-legal-name": HOSTILE},
        }
    ).encode()
    _post(procurement_client, "mdf_import", GPAIModelFactory(), "mdf.json", data)
    document = MdfDocument.objects.get()
    assert document.document_version == "1.0"
    assert MdfValue.objects.get(document=document).value == CLEAN


def test_an_mdf_file_with_a_nul_is_refused_and_saves_nothing(procurement_client, media_root):
    data = json.dumps(
        {"document_version": "1", "last_updated": "2026-01-02", "fields": {"architecture": "a\0b"}}
    ).encode()
    response = _post(procurement_client, "mdf_import", GPAIModelFactory(), "mdf.json", data)
    assert "NUL character" in str(response.context["form"].errors["file"])
    assert not MdfDocument.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_summary_text_read_from_a_file_is_stored_normalised(procurement_client):
    data = (DEMO / "summary.md").read_text().replace("ExampleBot", "Example\u202eBot\u200b")
    _post(procurement_client, "summary_import", GPAIModelFactory(), "summary.md", data.encode())
    record = TrainingSummary.objects.get()
    assert "ExampleBot" in record.crawlers
    stored = [record.crawlers, record.top_domains, record.tdm_statement, *record.sections.values()]
    assert all(is_normalised(text) for text in stored)


def test_epoch_rows_are_stored_normalised(procurement_client):
    model = GPAIModelFactory(supplier=SupplierFactory(name="Cursor"), name="Composer", version="2")
    data = (
        "Model,Organization,Training compute (FLOP),Confidence\n"
        "Composer\u200b 2,Cur\u202esor,2.32e+25,Confi\x07dent\n"
    ).encode()
    _post(procurement_client, "epoch_import", model, "notable_ai_models.csv", data)
    estimate = ComputeEstimate.objects.get()
    assert (estimate.source_name, estimate.organization, estimate.confidence) == (
        "Composer 2",
        "Cursor",
        "Confident",
    )


def test_an_epoch_file_with_a_nul_is_refused(procurement_client):
    model = GPAIModelFactory(supplier=SupplierFactory(name="Cursor"), name="Composer", version="2")
    data = b"Model,Organization,Training compute (FLOP)\nComposer 2,Cursor\x00,2.32e+25\n"
    response = _post(procurement_client, "epoch_import", model, "notable_ai_models.csv", data)
    assert "NUL character" in str(response.context["form"].errors["file"])
    assert not ComputeEstimate.objects.exists()
