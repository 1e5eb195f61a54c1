"""Importing a filled MDF: JSON, CSV, Word and PDF. A file that cannot be used gives a clear
error and saves nothing."""

import json

import pytest
from django.urls import reverse

from core.models import AuditEntry
from documentation import mdf_files
from documentation.models import MdfDocument, MdfValue
from tests.documentation.support import DEMO, docx_bytes, pdf_bytes, specs
from tests.factories import GPAIModelFactory

pytestmark = pytest.mark.django_db


def _keys():
    return {spec.key for spec in specs()}


def test_the_demo_json_file_reads_with_na_and_metadata():
    parsed = mdf_files.parse((DEMO / "mdf.json").read_bytes(), "mdf.json", specs())
    assert parsed.document_version == "1.0"
    assert str(parsed.last_updated) == "2025-09-30"
    assert parsed.values["model-dependencies"] == ("", True)
    assert parsed.values["provider-legal-name"] == ("Mistral AI SAS", False)


def test_csv_with_metadata_rows():
    data = (
        b"field,value\ndocument_version,2\nlast_updated,2026-01-31\n"
        b'provider-legal-name,"Example Labs, Inc."\nmodel-dependencies,N/A\n'
    )
    parsed = mdf_files.parse(data, "mdf.csv", specs())
    assert parsed.document_version == "2"
    assert parsed.values == {
        "provider-legal-name": ("Example Labs, Inc.", False),
        "model-dependencies": ("", True),
    }


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("mdf.json", b"{not json", "not valid JSON"),
        ("mdf.json", b"[1, 2]", 'expected an object with "fields"'),
        (
            "mdf.json",
            json.dumps({"fields": {"colour": "blue"}}).encode(),
            "unknown field(s) 'colour'",
        ),
        ("mdf.json", json.dumps({"fields": {"architecture": ["a"]}}).encode(), "must be text"),
        ("mdf.json", json.dumps({"fields": {}, "extra": 1}).encode(), "unexpected key(s) extra"),
        ("mdf.json", json.dumps({"fields": {}}).encode(), "no field values"),
        (
            "mdf.json",
            json.dumps({"last_updated": "May", "fields": {"architecture": "x"}}).encode(),
            "is not a date",
        ),
        ("mdf.json", b"\xff\xfe\x00", "not UTF-8"),
        ("mdf.csv", b"key,text\narchitecture,x\n", 'header "field,value"'),
        ("mdf.csv", b"field,value\narchitecture,x,y\n", "line 2: expected 2 columns"),
        ("mdf.csv", b"field,value\narchitecture,x\narchitecture,y\n", "given twice"),
        ("mdf.docx", b"PK\x03\x04 not really a zip", "not a Word document"),
        ("mdf.pdf", b"%PDF-1.4 broken", "PDF"),
        ("mdf.docx", b"plain text", "neither a Word document"),
        ("mdf.txt", b"field,value\n", "use a .json, .csv, .docx or .pdf"),
    ],
)
def test_malformed_files_give_a_clear_reason(name, data, message):
    with pytest.raises(mdf_files.ImportProblem) as problem:
        mdf_files.parse(data, name, specs())
    assert message in str(problem.value)


def test_word_document_is_mapped_by_labels_and_lists_what_it_could_not_map():
    data = docx_bytes(
        [
            "Model Documentation Form",
            "Document version: 3.2",
            "Last updated: 2026-04-30",
            "1. General information",
            "1.1 Legal name of the model provider: Example Labs SAS",
            "1.6 Model dependencies",
            "N/A",
            "2.1 Model architecture",
            "A decoder-only transformer.",
            "It uses grouped-query attention.",
        ],
        table_rows=[("4.5 Required hardware", "One GPU with 80 GB")],
    )
    parsed = mdf_files.parse(data, "form.docx", specs())
    assert parsed.document_version == "3.2"
    assert str(parsed.last_updated) == "2026-04-30"
    assert parsed.values["provider-legal-name"] == ("Example Labs SAS", False)
    assert parsed.values["model-dependencies"] == ("", True)
    assert parsed.values["architecture"][0] == (
        "A decoder-only transformer.\nIt uses grouped-query attention."
    )
    assert parsed.values["required-hardware"] == ("One GPU with 80 GB", False)
    assert "licence" in parsed.unmapped and "architecture" not in parsed.unmapped


def test_pdf_text_is_mapped_by_labels():
    data = pdf_bytes(
        [
            "1.1 Legal name of the model provider: Example Labs SAS",
            "2.9 Total number of parameters: 7.3e10",
            "3.1 Distribution channels (for downstream providers): public API",
        ]
    )
    parsed = mdf_files.parse(data, "form.pdf", specs())
    assert parsed.values["provider-legal-name"] == ("Example Labs SAS", False)
    assert parsed.values["parameters"] == ("7.3e10", False)
    assert parsed.values["distribution-channels-downstream"] == ("public API", False)
    assert "distribution-channels-authorities" in parsed.unmapped


def test_a_document_that_does_not_follow_the_form_is_refused():
    data = docx_bytes(["Quarterly report", "Revenue grew."])
    with pytest.raises(mdf_files.ImportProblem, match="No field of the form was found"):
        mdf_files.parse(data, "report.docx", specs())


def _upload(client, model, name, data, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("documentation:mdf_import", args=[model.pk]),
        {"file": SimpleUploadedFile(name, data), **extra},
    )


def test_importing_a_file_makes_a_draft_and_audits_it(procurement_client):
    model = GPAIModelFactory()
    response = _upload(procurement_client, model, "mdf.json", (DEMO / "mdf.json").read_bytes())
    document = MdfDocument.objects.get()
    assert response.url == reverse("documentation:mdf_edit", args=[document.pk])
    assert document.is_draft and document.source_name == "mdf.json"
    assert document.values.get(field_key="model-dependencies").not_applicable
    assert AuditEntry.objects.filter(action="mdf_created", target_id=str(document.pk)).exists()


def test_importing_a_word_file_warns_about_fields_to_enter_by_hand(procurement_client):
    model = GPAIModelFactory()
    data = docx_bytes(["1.1 Legal name of the model provider: Example Labs SAS"])
    response = _upload(
        procurement_client,
        model,
        "form.docx",
        data,
        document_version="1",
        last_updated="2026-01-02",
    )
    page = procurement_client.get(response.url)
    text = page.content.decode()
    assert "Not found in the document, enter by hand" in text
    assert "2.1 Model architecture" in text


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("mdf.json", b"{broken"),
        ("mdf.csv", b"field,value\nunknown-field,1\n"),
        ("mdf.pdf", b"%PDF-1.4 broken"),
        ("mdf.docx", b"PK\x03\x04broken"),
    ],
)
def test_a_malformed_upload_shows_the_reason_and_saves_nothing(procurement_client, name, data):
    model = GPAIModelFactory()
    response = _upload(
        procurement_client, model, name, data, document_version="1", last_updated="2026-01-02"
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not MdfDocument.objects.exists() and not MdfValue.objects.exists()
    assert not AuditEntry.objects.filter(action="mdf_created").exists()


def test_a_file_without_version_or_date_asks_for_them(procurement_client):
    model = GPAIModelFactory()
    data = json.dumps({"fields": {"architecture": "Transformer"}}).encode()
    response = _upload(procurement_client, model, "mdf.json", data)
    assert "no document version or last-updated date" in str(response.context["form"].errors)
    assert not MdfDocument.objects.exists()
