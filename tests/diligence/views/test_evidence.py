"""Evidence: upload, versions and download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.files import MEGABYTE
from core.models import AuditEntry
from diligence import services
from diligence.models import (
    Evidence,
)
from tests.diligence.views.support import (
    PDF,
    PNG,
    _page,
    _pdf,
    _stored_files,
)
from tests.factories import (
    AssessmentFactory,
)

pytestmark = pytest.mark.django_db


def _evidence_post(client, item, form_data, **values):
    url = item.get_absolute_url()
    data = form_data(client.get(url).context["evidence_form"])
    return client.post(url, {**data, "add_evidence": "1", **values})


def test_evidence_upload_stores_the_file_and_lists_it(
    procurement_client, item, form_data, media_root
):
    response = _evidence_post(
        procurement_client, item, form_data, file=_pdf(), description="Model card"
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        "model-card.pdf",
        "application/pdf",
        len(PDF),
    )
    assert _stored_files(media_root) == [media_root / evidence.storage_name]
    page = _page(procurement_client.get(item.get_absolute_url()))
    assert evidence.get_download_url() in page
    assert evidence.sha256 in page


def test_submitting_the_evidence_form_twice_stores_one_file(
    procurement_client, item, form_data, media_root
):
    url = item.get_absolute_url()
    data = form_data(procurement_client.get(url).context["evidence_form"])
    data.update(add_evidence="1", description="Model card")

    procurement_client.post(url, {**data, "file": _pdf()})
    procurement_client.post(url, {**data, "file": _pdf()})

    assert Evidence.objects.count() == 1
    assert len(_stored_files(media_root)) == 1


def test_new_version_of_evidence_supersedes_the_old_one(
    procurement_client, item, evidence, form_data, media_root
):
    url = f"{item.get_absolute_url()}?supersede={evidence.pk}"
    page = procurement_client.get(url)
    assert "Add a new version" in _page(page)
    data = form_data(page.context["evidence_form"])

    procurement_client.post(
        url,
        {
            **data,
            "add_evidence": "1",
            "supersedes": evidence.pk,
            "file": _pdf("card-v2.pdf"),
            "description": "Model card, second edition",
        },
        follow=True,
    )

    evidence.refresh_from_db()
    newer = Evidence.objects.get(supersedes=evidence)
    assert (evidence.is_current, newer.is_current) == (False, True)
    listed = procurement_client.get(item.get_absolute_url()).context["evidence"]
    assert listed == [newer, evidence]


def test_evidence_form_needs_a_file_or_a_link(procurement_client, item, form_data):
    response = _evidence_post(procurement_client, item, form_data, description="Model card")

    assert response.context["evidence_form"].non_field_errors() == ["Give either a file or a link."]
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param(
            "model-card.pdf",
            PDF + bytes(MEGABYTE),
            "Files can be at most 1 MB; this one is 1.1 MB.",
            id="oversize",
        ),
        pytest.param(
            "model-card.pdf",
            PNG,
            "This file is a PNG image but is named .pdf. Upload it with its real extension.",
            id="png-named-pdf",
        ),
        pytest.param(
            "model-card.pdf",
            b"<!doctype html><html><script>alert(1)</script></html>",
            "HTML, SVG and XML files are not accepted as evidence.",
            id="html-named-pdf",
        ),
        pytest.param(
            "../../etc/model-card",
            PDF,
            "This file is a PDF document but its name has no extension. "
            "Name it .pdf and upload it again.",
            id="path-without-extension",
        ),
        pytest.param("model-card.pdf", b"", "The submitted file is empty.", id="empty"),
    ],
)
def test_refused_upload_says_why_on_the_form_and_stores_nothing(
    procurement_client, item, form_data, media_root, settings, name, content, message
):
    settings.EVIDENCE_MAX_BYTES = MEGABYTE

    response = _evidence_post(
        procurement_client,
        item,
        form_data,
        file=SimpleUploadedFile(name, content, content_type="application/pdf"),
        description="Model card",
    )

    assert response.status_code == 200
    assert response.context["evidence_form"].errors["file"] == [message]
    assert message in _page(response).replace("&#x27;", "'")
    assert not Evidence.objects.exists()
    assert _stored_files(media_root) == []


@pytest.mark.parametrize(
    "name",
    ["../../../etc/model-card.pdf", "..\\..\\windows\\model-card.pdf", "/var/model-card.pdf"],
)
def test_path_in_an_uploaded_name_is_dropped_and_the_file_stays_in_the_evidence_folder(
    procurement_client, item, form_data, media_root, name
):
    _evidence_post(procurement_client, item, form_data, file=_pdf(name), description="Card")

    evidence = Evidence.objects.get()
    assert evidence.original_name == "model-card.pdf"
    [stored] = _stored_files(media_root)
    assert stored.relative_to(media_root).parts[0] == "evidence"
    assert stored.name != "model-card.pdf"


def test_very_long_uploaded_name_is_shortened_and_keeps_its_extension(
    procurement_client, item, form_data, media_root
):
    _evidence_post(
        procurement_client, item, form_data, file=_pdf("a" * 400 + ".pdf"), description="Card"
    )

    evidence = Evidence.objects.get()
    assert len(evidence.original_name) <= 150
    assert evidence.original_name == "a" * 146 + ".pdf"
    response = procurement_client.get(evidence.get_download_url())
    assert response["Content-Disposition"].startswith(f'attachment; filename="{"a" * 146}.pdf"')


def test_evidence_download_is_an_attachment_with_a_safe_name_and_is_audited(
    viewer_client, viewer_user, evidence
):
    response = viewer_client.get(evidence.get_download_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Modell _Karte_ u.pdf\"; filename*=UTF-8''Modell%20_Karte_%20%C3%BC.pdf"
    )
    entry = AuditEntry.objects.get(action="evidence_downloaded")
    assert (entry.actor, entry.target, entry.data) == (
        viewer_user,
        evidence.item.assessment,
        {"evidence": evidence.pk},
    )


def test_evidence_download_under_another_assessment_or_item_is_404(
    viewer_client, assessment, item, evidence, procurement_user
):
    other_item = assessment.items.get(checklist_item__code="DOC-11")
    other = AssessmentFactory(owner=procurement_user, with_items=True)
    wrong = [
        (other.pk, item.pk),
        (assessment.pk, other_item.pk),
        (other.pk, other.items.first().pk),
    ]

    for assessment_pk, item_pk in wrong:
        url = reverse("diligence:evidence_download", args=[assessment_pk, item_pk, evidence.pk])
        assert viewer_client.get(url).status_code == 404
    assert not AuditEntry.objects.filter(action="evidence_downloaded").exists()


def test_link_evidence_has_no_download(viewer_client, item, procurement_user):
    link = services.evidence_add(
        item=item,
        data={"description": "Card", "url": "https://example.org/card"},
        by=procurement_user,
    )

    assert viewer_client.get(link.get_download_url()).status_code == 404
