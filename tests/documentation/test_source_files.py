"""The file an MDF or training summary was imported from is kept as evidence files are: stored
under a generated name with its SHA-256, linked as the record's source, downloaded only through
a view that checks access and audits it. A failed import leaves no file behind."""

import hashlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import files
from core.models import AuditEntry
from documentation import services
from documentation.models import MdfDocument, TrainingSummary
from tests.documentation.support import DEMO, docx_bytes, pdf_bytes, record_mdf
from tests.factories import GPAIModelFactory

pytestmark = pytest.mark.django_db

MDF_JSON = (DEMO / "mdf.json").read_bytes()
SUMMARY_MD = (DEMO / "summary.md").read_bytes()
MDF_CSV = (
    b"field,value\ndocument_version,2\nlast_updated,2026-01-31\nprovider-legal-name,Example Labs\n"
)
MDF_LINE = "1.1 Legal name of the model provider: Example Labs SAS"
META = {"document_version": "1", "last_updated": "2026-01-02"}


def _stored_files(media_root):
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def _import_mdf(client, model, name, data, **extra):
    return client.post(
        reverse("documentation:mdf_import", args=[model.pk]),
        {"file": SimpleUploadedFile(name, data), **extra},
    )


def _import_summary(client, model, name, data):
    return client.post(
        reverse("documentation:summary_import", args=[model.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("mdf.json", MDF_JSON, "application/json"),
        ("mdf.csv", MDF_CSV, "text/csv"),
        ("form.docx", docx_bytes([MDF_LINE]), files.DOCX.content_type),
        ("form.pdf", pdf_bytes([MDF_LINE]), "application/pdf"),
    ],
)
def test_an_imported_mdf_keeps_its_file_with_its_hash(
    procurement_client, media_root, name, data, content_type
):
    _import_mdf(procurement_client, GPAIModelFactory(), name, data, **META)
    document = MdfDocument.objects.get()
    assert document.has_source_file and document.source_name == name
    assert document.source_sha256 == hashlib.sha256(data).hexdigest()
    assert document.source_size == len(data) and document.source_content_type == content_type
    assert (media_root / document.source_storage_name).read_bytes() == data
    created = AuditEntry.objects.get(action="mdf_created", target_id=str(document.pk))
    assert created.data["sha256"] == document.source_sha256


@pytest.mark.parametrize(
    ("name", "data"),
    [("summary.md", SUMMARY_MD), ("summary.markdown", SUMMARY_MD), ("summary.pdf", None)],
)
def test_an_imported_summary_keeps_its_file_with_its_hash(
    procurement_client, media_root, name, data
):
    data = data or pdf_bytes(SUMMARY_MD.decode().splitlines()[:40])
    _import_summary(procurement_client, GPAIModelFactory(), name, data)
    record = TrainingSummary.objects.get()
    assert record.has_source_file and record.source_name == name
    assert record.source_sha256 == hashlib.sha256(data).hexdigest()
    assert (media_root / record.source_storage_name).read_bytes() == data


def test_an_mdf_entered_by_hand_has_no_source_file(procurement_user):
    document = record_mdf(GPAIModelFactory(), procurement_user)
    assert not document.has_source_file and not document.source_sha256


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("mdf.json", b"{broken"),
        ("mdf.pdf", b"%PDF-1.4 broken"),
        # Reads as a form, but the file checks refuse it: text with binary data in it.
        ("mdf.csv", MDF_CSV.replace(b"Example Labs", b"Example\x01Labs")),
    ],
)
def test_a_failed_mdf_import_leaves_no_record_and_no_file(
    procurement_client, media_root, name, data
):
    response = _import_mdf(procurement_client, GPAIModelFactory(), name, data, **META)
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not MdfDocument.objects.exists()
    assert _stored_files(media_root) == []


def test_a_summary_the_file_checks_refuse_leaves_no_record_and_no_file(
    procurement_client, media_root
):
    data = SUMMARY_MD.replace(b"ExampleBot", b"Example\x01Bot")
    response = _import_summary(procurement_client, GPAIModelFactory(), "summary.md", data)
    assert "binary data" in str(response.context["form"].errors["file"])
    assert not TrainingSummary.objects.exists()
    assert _stored_files(media_root) == []


def test_the_stored_file_is_removed_when_the_record_cannot_be_written(
    procurement_user, media_root, monkeypatch
):
    def fail(**kwargs):
        raise ValidationError("The audit log is unavailable.")

    monkeypatch.setattr(services, "audit_log", fail)
    with pytest.raises(ValidationError):
        services.mdf_create(
            model=GPAIModelFactory(),
            meta=META,
            values={"provider-legal-name": ("Example Labs", False)},
            by=procurement_user,
            source_file=SimpleUploadedFile("mdf.json", MDF_JSON),
        )
    with pytest.raises(ValidationError):
        services.summary_create(
            model=GPAIModelFactory(),
            data={},
            by=procurement_user,
            source_file=SimpleUploadedFile("summary.md", SUMMARY_MD),
        )
    assert not MdfDocument.objects.exists() and not TrainingSummary.objects.exists()
    assert _stored_files(media_root) == []


def test_json_is_kept_only_where_imports_are_accepted(media_root):
    upload = SimpleUploadedFile("form.json", json.dumps({"fields": {}}).encode())
    with pytest.raises(ValidationError, match="named .json"):
        files.store_evidence_file(upload)
    stored = files.store_evidence_file(upload, accepted=files.IMPORT_TYPES)
    assert stored.content_type == "application/json" and stored.storage_name.endswith(".json")


def test_the_source_file_downloads_through_the_app_and_is_audited(
    procurement_client, viewer_client, media_root, django_assert_max_num_queries
):
    _import_mdf(procurement_client, GPAIModelFactory(), "mdf.json", MDF_JSON)
    document = MdfDocument.objects.get()
    url = reverse("documentation:mdf_source_download", args=[document.pk])
    page = procurement_client.get(document.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page and document.source_sha256 in page

    with django_assert_max_num_queries(12):
        response = viewer_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MDF_JSON
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="mdf.json"')
    assert response["X-Content-Type-Options"] == "nosniff"
    entry = AuditEntry.objects.get(action="mdf_source_downloaded")
    assert entry.target_id == str(document.pk) and entry.data["sha256"] == document.source_sha256


def test_the_summary_source_file_downloads_and_is_audited(procurement_client, media_root):
    _import_summary(procurement_client, GPAIModelFactory(), "summary.md", SUMMARY_MD)
    record = TrainingSummary.objects.get()
    url = reverse("documentation:summary_source_download", args=[record.pk])
    assert f'href="{url}"' in procurement_client.get(record.get_absolute_url()).content.decode()
    response = procurement_client.get(url)
    assert b"".join(response.streaming_content) == SUMMARY_MD
    assert AuditEntry.objects.filter(
        action="training_summary_source_downloaded", target_id=str(record.pk)
    ).exists()


def test_outsiders_get_404_and_nothing_is_audited(procurement_client, outsider_client, media_root):
    _import_mdf(procurement_client, GPAIModelFactory(), "mdf.json", MDF_JSON)
    _import_summary(procurement_client, GPAIModelFactory(), "summary.md", SUMMARY_MD)
    for url in (
        reverse("documentation:mdf_source_download", args=[MdfDocument.objects.get().pk]),
        reverse("documentation:summary_source_download", args=[TrainingSummary.objects.get().pk]),
    ):
        assert outsider_client.get(url).status_code == 404
    assert not AuditEntry.objects.filter(action__endswith="_source_downloaded").exists()


def test_a_record_without_a_file_has_no_download(procurement_client, procurement_user):
    document = record_mdf(GPAIModelFactory(), procurement_user)
    url = reverse("documentation:mdf_source_download", args=[document.pk])
    assert procurement_client.get(url).status_code == 404
    assert url not in procurement_client.get(document.get_absolute_url()).content.decode()
