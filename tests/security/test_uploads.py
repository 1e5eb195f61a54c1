"""Hostile uploads, end to end through the evidence form on the item page.

tests/core/test_files.py checks the file checks one by one, and tests/diligence/test_views.py
a few refusals through the page. Here each hostile file goes through the real view as a
person's browser would send it: a refusal must come as a message on the form with nothing
stored (no evidence row, no file under MEDIA_ROOT); a file that is accepted must be stored
under a generated name as the type its content really is, and come back only as a download
that no browser renders. Never a server error.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.files import MEGABYTE
from diligence import services as diligence_services
from diligence.models import Evidence
from tests.core.test_files import docx_bytes, png_bytes
from tests.factories import GPAIModelFactory, SupplierFactory
from tests.security.conftest import NEXT_MONTH, PDF, signed_in, stored_files
from vendors.models import RegisterSnapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quiet_request_log")]

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'


@pytest.fixture
def item(procurement_user, media_root):
    model = GPAIModelFactory(supplier=SupplierFactory(name="Mistral AI"))
    assessment = diligence_services.assessment_start(
        model=model,
        reference="TENDER-2026-001",
        purpose="Support.",
        owner=procurement_user,
        due_date=NEXT_MONTH,
        by=procurement_user,
    )
    return assessment.items.get(checklist_item__code="DOC-10")


@pytest.fixture
def client(procurement_user):
    return signed_in(procurement_user)


def _upload(client, item, file, **data):
    return client.post(
        item.get_absolute_url(),
        {"add_evidence": "1", "description": "Model card", "file": file, **data},
    )


def _file(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type)


def _zip(parts, prefix=b"", suffix=b""):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return prefix + buffer.getvalue() + suffix


REFUSED = {
    "oversize": (
        "card.pdf",
        PDF + b"\0" * MEGABYTE,
        "Files can be at most 1 MB; this one is 1.1 MB.",
    ),
    "empty": ("card.pdf", b"", "The submitted file is empty."),
    "PNG named .pdf": (
        "card.pdf",
        png_bytes(),
        "This file is a PNG image but is named .pdf. Upload it with its real extension.",
    ),
    "PDF named .html": (
        "card.html",
        PDF + HTML,
        "This file is a PDF document but is named .html. Upload it with its real extension.",
    ),
    "PDF named .exe": (
        "card.exe",
        PDF,
        "This file is a PDF document but is named .exe. Upload it with its real extension.",
    ),
    "HTML named .pdf": ("card.pdf", HTML, "HTML, SVG and XML files are not accepted as evidence."),
    "HTML named .txt": ("card.txt", HTML, "HTML, SVG and XML files are not accepted as evidence."),
    "HTML after a byte-order mark and blank lines, named .md": (
        "card.md",
        b"\xef\xbb\xbf\n\n   \t" + HTML,
        "HTML, SVG and XML files are not accepted as evidence.",
    ),
    "HTML in UTF-16, named .txt": (
        "card.txt",
        HTML.decode().encode("utf-16"),
        "Text files must be UTF-8 encoded. Save the file as UTF-8 and upload it again.",
    ),
    "SVG": ("chart.svg", SVG, "HTML, SVG and XML files are not accepted as evidence."),
    "SVG named .png": ("chart.png", SVG, "HTML, SVG and XML files are not accepted as evidence."),
    "XML named .csv": (
        "data.csv",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        "HTML, SVG and XML files are not accepted as evidence.",
    ),
    "PNG with a ZIP appended, named .docx": (
        "policy.docx",
        png_bytes() + docx_bytes(),
        "This file is a PNG image but is named .docx. Upload it with its real extension.",
    ),
    "Word file glued behind another ZIP": (
        "policy.docx",
        _zip({"readme.txt": "x"}) + docx_bytes(),
        "This file has other data before its content, so it is not accepted.",
    ),
    "Word file with macros": (
        "policy.docx",
        docx_bytes(**{"word/vbaProject.bin": b"\0macro"}),
        "Word and Excel files with macros are not accepted. Save it as .docx or .xlsx without "
        "macros and upload it again.",
    ),
    "ZIP named .docx": (
        "policy.docx",
        _zip({"payload.html": HTML}),
        "ZIP archives are not accepted; only Word (.docx) and Excel (.xlsx) files are.",
    ),
    "unknown binary": (
        "tool.bin",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff",
        "Only PDF, Word (.docx), Excel (.xlsx), PNG, JPEG, text, Markdown and CSV files are "
        "accepted.",
    ),
    "a path and no extension": (
        "../../../etc/passwd",
        PDF,
        "This file is a PDF document but its name has no extension. Name it .pdf and upload it "
        "again.",
    ),
    # A hand-made request can put a raw quote in the name: the multipart header takes the
    # name that follows, and its extension does not fit.
    "raw quote in the name": (
        'card";filename="evil.html";.pdf',
        PDF,
        "This file is a PDF document but is named .html. Upload it with its real extension.",
    ),
    "full-width extension": (
        "card.\uff50\uff44\uff46",
        PDF,
        "This file is a PDF document but its name has no extension. Name it .pdf and upload it "
        "again.",
    ),
}


def test_each_hostile_file_is_refused_with_a_message_and_nothing_is_stored(
    client, item, media_root, settings
):
    settings.EVIDENCE_MAX_BYTES = MEGABYTE
    problems = []
    for case, (name, content, message) in REFUSED.items():
        response = _upload(client, item, _file(name, content, "application/pdf"))
        form = response.context["evidence_form"] if response.context else None
        errors = list(form.errors.get("file", [])) if form else []
        if response.status_code != 200 or errors != [message]:
            problems.append((case, response.status_code, errors))
        elif message not in response.content.decode().replace("&#x27;", "'"):
            problems.append((case, "the message is not on the page"))
        if Evidence.objects.exists() or stored_files(media_root):
            problems.append((case, "something was stored"))

    assert problems == [], problems


def _download(client, evidence):
    response = client.get(evidence.get_download_url())
    body = b"".join(response.streaming_content)
    return response, body


ACCEPTED = {
    # (name sent, content, stored display name, content type served)
    "PDF with HTML after the header": ("card.pdf", PDF + HTML, "card.pdf", "application/pdf"),
    "Word file with HTML after it": (
        "policy.docx",
        docx_bytes() + HTML,
        "policy.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "GIF/JavaScript polyglot named .txt": (
        "notes.txt",
        b"GIF89a/*<svg onload=alert(1)>*/=alert(1)//",
        "notes.txt",
        "text/plain",
    ),
    "text with markup further down": (
        "notes.md",
        b"# Notes\n\n<script>alert(1)</script>\n",
        "notes.md",
        "text/markdown",
    ),
    "double extension": ("card.html.pdf", PDF, "card.html.pdf", "application/pdf"),
    "path traversal": ("../../../etc/card.pdf", PDF, "card.pdf", "application/pdf"),
    "Windows path": ("..\\..\\Windows\\card.pdf", PDF, "card.pdf", "application/pdf"),
    "encoded traversal": ("%2e%2e%2fcard.pdf", PDF, "%2e%2e%2fcard.pdf", "application/pdf"),
    # Browsers send a quote, CR and LF in a file name as %22, %0D and %0A.
    "header injection, as a browser sends it": (
        "card%22;%0D%0AX-Evil: 1;.pdf",
        PDF,
        "card%22;%0D%0AX-Evil_ 1;.pdf",
        "application/pdf",
    ),
    # A raw line break ends the multipart header; the name is what is left after a slash.
    "raw line break in the name": (
        "card\r\nContent-Type: text/html.pdf",
        PDF,
        "html.pdf",
        "application/pdf",
    ),
    "markup in the name": (
        '"><img src=x onerror=alert(1)>.pdf',
        PDF,
        "___img src=x onerror=alert(1)_.pdf",
        "application/pdf",
    ),
    "control and bidi characters": (
        "card\x07\x1b\u202egnp.pdf",
        PDF,
        "cardgnp.pdf",
        "application/pdf",
    ),
    "nothing before the extension": (".pdf", PDF, "evidence.pdf", "application/pdf"),
    "very long name": ("a" * 1000 + ".pdf", PDF, "a" * 146 + ".pdf", "application/pdf"),
}


def test_files_that_pass_are_stored_under_a_generated_name_and_served_inert(
    client, item, media_root
):
    problems = []
    for case, (name, content, display, content_type) in ACCEPTED.items():
        response = _upload(
            client, item, _file(name, content, "text/html"), description=case, request_token=""
        )
        if response.status_code != 302:
            errors = response.context["evidence_form"].errors if response.context else None
            problems.append((case, response.status_code, errors))
            continue
        evidence = Evidence.objects.get(description=case)
        if (evidence.original_name, evidence.content_type) != (display, content_type):
            problems.append((case, evidence.original_name, evidence.content_type))
        stored = media_root / evidence.storage_name
        if not (stored.is_file() and stored.resolve().is_relative_to(media_root / "evidence")):
            problems.append((case, "stored outside the evidence folder", evidence.storage_name))
        served, body = _download(client, evidence)
        disposition = served["Content-Disposition"]
        if (
            body != content
            or served["Content-Type"] != content_type
            or served["X-Content-Type-Options"] != "nosniff"
            or not disposition.startswith("attachment; ")
            or any(c in disposition for c in "\r\n<>\x00")
        ):
            problems.append((case, served["Content-Type"], disposition))

    assert problems == [], problems
    # Each file under its own generated name, whatever it was called.
    names = {path.rsplit("/", 1)[1] for path in stored_files(media_root)}
    assert len(names) == len(ACCEPTED)
    assert all(len(name.split(".")[0]) == 32 for name in names)


def test_too_many_files_in_one_request_is_a_400_and_nothing_is_stored(
    client, item, media_root, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    files = [_file(f"card-{n}.pdf", PDF, "application/pdf") for n in range(4)]

    response = _upload(client, item, files)

    assert response.status_code == 400
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


def test_too_many_fields_in_one_request_is_a_400_and_nothing_is_stored(
    client, item, media_root, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    fields = {f"field{n}": "x" for n in range(30)}

    response = _upload(client, item, _file("card.pdf", PDF), **fields)

    assert response.status_code == 400
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


def test_several_files_in_the_file_field_store_one_evidence_at_most(client, item, media_root):
    files = [_file("first.pdf", PDF), _file("second.html", HTML)]

    response = _upload(client, item, files)

    assert response.status_code in (200, 302)
    assert Evidence.objects.count() <= 1
    assert len(stored_files(media_root)) == Evidence.objects.count()
    for evidence in Evidence.objects.all():
        assert evidence.content_type == "application/pdf"


def test_a_file_and_a_link_together_are_refused(client, item, media_root):
    response = _upload(client, item, _file("card.pdf", PDF), url="https://example.org/card")

    assert response.context["evidence_form"].non_field_errors() == ["Give either a file or a link."]
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


# The signatory register takes uploads too ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("register.csv", png_bytes(), "The file is not UTF-8 text"),
        ("register.csv", b"\0" * 10, "The file contains binary data"),
        ("register.csv", HTML, "Missing columns"),
        ("register.json", b"[" * 100_000, "The file is not valid JSON"),
        ("register.json", b"[" + b"9" * 5000 + b"]", "The file is not valid JSON"),
        (
            "register.csv",
            b'provider,chapters,date,source_url\n"' + b"x" * 200_000 + b'",all,,https://e.org\n',
            "the CSV cannot be read",
        ),
        ("register.csv", b"provider,chapters\n" + b"x" * (2 * MEGABYTE), "larger than 2 MB"),
    ],
    ids=["png", "binary", "html", "deep json", "long number", "huge field", "oversize"],
)
def test_register_import_refuses_hostile_files_with_a_message(
    checklist_admin_user, media_root, name, content, message
):
    client = signed_in(checklist_admin_user)

    response = client.post(
        reverse("vendors:register_import"),
        {
            "file": _file(f"../../{name}", content, "text/csv"),
            "taken_on": "2025-12-31",
            "source_url": "https://example.org/list",
        },
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert not RegisterSnapshot.objects.exists()
    assert stored_files(media_root) == []
