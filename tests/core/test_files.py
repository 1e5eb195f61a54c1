import hashlib
import io
import re
import struct
import zipfile
import zlib
from urllib.parse import unquote

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from core import files
from core.files import (
    EvidenceFileField,
    content_disposition_attachment,
    delete_stored_file,
    safe_display_name,
    store_evidence_file,
    stored_file_response,
    validate_evidence_file,
)
from tests.factories import MINIMAL_PDF

PDF_BYTES = MINIMAL_PDF
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
HTML_BYTES = b"  \n<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n"


def png_bytes():
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(header))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def zip_bytes(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes(**extra_parts):
    return zip_bytes(
        {
            "[Content_Types].xml": "<Types/>",
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": "<w:document/>",
            **extra_parts,
        }
    )


def xlsx_bytes():
    return zip_bytes(
        {
            "[Content_Types].xml": "<Types/>",
            "_rels/.rels": "<Relationships/>",
            "xl/workbook.xml": "<workbook/>",
        }
    )


def refusal(name, content):
    with pytest.raises(ValidationError) as caught:
        validate_evidence_file(SimpleUploadedFile(name, content))
    return caught.value


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("report.pdf", PDF_BYTES, "application/pdf"),
        ("chart.png", png_bytes(), "image/png"),
        ("photo.jpg", JPEG_BYTES, "image/jpeg"),
        ("photo.JPEG", JPEG_BYTES, "image/jpeg"),
        ("policy.docx", docx_bytes(), files.DOCX.content_type),
        ("register.xlsx", xlsx_bytes(), files.XLSX.content_type),
        ("notes.txt", "\ufeffÉvaluation du modèle\r\n\tligne 2\n".encode(), "text/plain"),
        ("summary.md", b"# Summary\n\nSee <https://example.org>.\n", "text/markdown"),
        ("scores.csv", b"model,score\n<5 years,3\n", "text/csv"),
    ],
)
def test_each_allowed_type_is_accepted(name, content, content_type):
    detected = validate_evidence_file(SimpleUploadedFile(name, content))

    assert detected.content_type == content_type


def test_file_over_the_size_limit_is_refused_with_the_limit_in_mb(settings):
    settings.EVIDENCE_MAX_BYTES = 2 * 1024 * 1024
    content = PDF_BYTES + b"0" * (3 * 1024 * 1024)

    error = refusal("big.pdf", content)

    assert error.messages == ["Files can be at most 2 MB; this one is 3.1 MB."]


def test_file_over_the_limit_is_refused_even_if_its_declared_size_is_small(settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    uploaded = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2048)
    uploaded.size = 10

    with pytest.raises(ValidationError) as caught:
        validate_evidence_file(uploaded)

    assert caught.value.code == "too_large"


def test_file_exactly_at_the_size_limit_is_accepted(settings):
    settings.EVIDENCE_MAX_BYTES = len(PDF_BYTES)

    assert validate_evidence_file(SimpleUploadedFile("exact.pdf", PDF_BYTES)) == files.PDF


def test_empty_file_is_refused():
    assert refusal("empty.pdf", b"").messages == ["The file is empty."]


def test_empty_file_is_refused_when_its_size_is_not_declared():
    uploaded = SimpleUploadedFile("empty.pdf", b"")
    uploaded.size = None

    with pytest.raises(ValidationError) as caught:
        validate_evidence_file(uploaded)

    assert caught.value.code == "empty"


def test_png_named_pdf_is_refused_with_what_it_really_is():
    error = refusal("report.pdf", png_bytes())

    assert error.messages == [
        "This file is a PNG image but is named .pdf. Upload it with its real extension."
    ]


def test_pdf_named_png_is_refused():
    assert refusal("chart.png", PDF_BYTES).code == "extension_mismatch"


def test_file_without_an_extension_is_refused_with_the_extension_to_use():
    error = refusal("report", PDF_BYTES)

    assert "Name it .pdf" in error.messages[0]


def test_plain_text_named_pdf_is_refused():
    assert "a text file but is named .pdf" in refusal("report.pdf", b"hello\n").messages[0]


@pytest.mark.parametrize("name", ["report.pdf", "report.txt", "report.md", "report.html"])
def test_html_is_refused_whatever_its_name(name):
    error = refusal(name, HTML_BYTES)

    assert error.messages == ["HTML, SVG and XML files are not accepted as evidence."]


@pytest.mark.parametrize(
    "content",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'\xef\xbb\xbf\n\n<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
    ],
)
def test_svg_is_refused(content):
    assert refusal("logo.txt", content).code == "markup"


def test_utf8_text_longer_than_one_chunk_is_accepted():
    content = ("a" + "é" * 40_000).encode()  # a chunk boundary falls inside a character

    assert validate_evidence_file(SimpleUploadedFile("notes.txt", content)) == files.TEXT


def test_markup_after_a_chunk_of_whitespace_is_refused():
    assert refusal("page.txt", b" " * 70_000 + b"<html></html>").code == "markup"


def test_text_with_nul_bytes_is_refused():
    assert refusal("notes.txt", b"line one\x00line two\n").code == "binary"


def test_text_that_is_not_utf8_is_refused_with_a_hint():
    error = refusal("notes.csv", "modèle;évalué\n".encode("latin-1"))

    assert error.messages[0].startswith("Text files must be UTF-8 encoded.")


def test_unknown_binary_is_refused_with_the_list_of_accepted_types():
    error = refusal("tool.pdf", b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)))

    assert error.messages == [files.ACCEPTED_TYPES_MESSAGE]


def test_png_with_a_zip_appended_named_docx_is_refused():
    polyglot = png_bytes() + docx_bytes()
    assert zipfile.is_zipfile(io.BytesIO(polyglot))  # the trick this test is about

    error = refusal("policy.docx", polyglot)

    assert error.messages[0].startswith("This file is a PNG image but is named .docx.")


def test_docx_glued_behind_another_zip_is_refused():
    glued = zip_bytes({"readme.txt": "decoy"}) + docx_bytes()

    assert refusal("policy.docx", glued).code == "zip_polyglot"


def test_zip_without_word_parts_named_docx_is_refused():
    archive = zip_bytes({"[Content_Types].xml": "<Types/>", "payload/run.exe": "MZ"})

    assert refusal("policy.docx", archive).code == "zip_unsupported"


def test_damaged_zip_is_refused():
    assert refusal("policy.docx", docx_bytes()[:60]).code == "zip_damaged"


def test_docx_with_macros_is_refused():
    assert refusal("policy.docx", docx_bytes(**{"word/vbaProject.bin": "macro"})).code == "macros"


def test_docx_with_an_extreme_compression_ratio_is_refused():
    bomb = docx_bytes(**{"word/media/padding.bin": b"\0" * (2 * 1024 * 1024)})
    assert len(bomb) < 20_000  # small on the wire, large once expanded

    assert refusal("policy.docx", bomb).code == "zip_bomb"


def test_zip_expanding_past_the_total_limit_is_refused(monkeypatch):
    monkeypatch.setattr(files, "ZIP_MAX_UNCOMPRESSED_BYTES", 1000)

    error = refusal("policy.docx", docx_bytes(**{"word/styles.xml": "x" * 2000}))

    assert error.code == "zip_bomb"


@pytest.mark.parametrize(
    ("uploaded_name", "display_name"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\evil\\x.pdf", "x.pdf"),
        ("..\\../secret/..\\report.pdf", "report.pdf"),
        ("rep\x00ort\x1b[0m\u202efdp.exe.pdf", "report[0mfdp.exe.pdf"),
        ('Supplier "A"; <report>: v2?.pdf', "Supplier _A_; _report__ v2_.pdf"),
        ("  many \t\n  spaces   here .pdf", "many spaces here.pdf"),
        ("Cafe\u0301 report.pdf", "Café report.pdf"),
        ("\x00\x01.pdf", "evidence.pdf"),
        ("../..", "evidence"),
    ],
)
def test_uploaded_names_become_safe_display_names(uploaded_name, display_name):
    assert safe_display_name(uploaded_name) == display_name


def test_long_names_are_shortened_keeping_the_extension():
    name = safe_display_name("a" * 500 + ".pdf")

    assert len(name) <= 150
    assert name == "a" * 146 + ".pdf"


def test_stored_file_has_a_generated_name_and_the_sha256_of_its_bytes(media_root):
    content = PDF_BYTES + b"% supplier policy\n"

    stored = store_evidence_file(SimpleUploadedFile("../../etc/passwd.pdf", content))

    assert re.fullmatch(r"evidence/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{32}\.pdf", stored.storage_name)
    written = (media_root / stored.storage_name).read_bytes()
    assert written == content
    assert stored.sha256 == hashlib.sha256(written).hexdigest()
    assert stored.size == len(content)
    assert stored.original_name == "passwd.pdf"
    assert stored.content_type == "application/pdf"


def test_stored_name_uses_the_extension_of_the_detected_type(media_root):
    stored = store_evidence_file(SimpleUploadedFile("Photo.JPEG", JPEG_BYTES))

    assert stored.storage_name.endswith(".jpg")
    assert stored.original_name == "Photo.JPEG"


def test_large_upload_spooled_to_disk_is_stored_intact(media_root):
    content = PDF_BYTES + bytes(range(256)) * 20_000  # about 5 MB, in several chunks
    uploaded = TemporaryUploadedFile("large.pdf", "application/pdf", len(content), None)
    uploaded.write(content)
    uploaded.seek(0)

    stored = store_evidence_file(uploaded)
    uploaded.close()  # as Django does at the end of the request; the file has been moved

    written = (media_root / stored.storage_name).read_bytes()
    assert (
        stored.sha256 == hashlib.sha256(content).hexdigest() == hashlib.sha256(written).hexdigest()
    )


def test_refused_file_is_not_stored(media_root):
    with pytest.raises(ValidationError):
        store_evidence_file(SimpleUploadedFile("report.pdf", png_bytes()))

    assert list(media_root.iterdir()) == []


def test_delete_stored_file_removes_it(media_root):
    stored = store_evidence_file(SimpleUploadedFile("report.pdf", PDF_BYTES))

    delete_stored_file(stored.storage_name)

    assert not (media_root / stored.storage_name).exists()


def test_a_stored_file_is_served_as_an_attachment_whose_type_is_not_sniffed(media_root):
    stored = store_evidence_file(SimpleUploadedFile("report.pdf", PDF_BYTES))

    response = stored_file_response(
        stored.storage_name, content_type=stored.content_type, filename="Bericht über KI.pdf"
    )

    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == content_disposition_attachment("Bericht über KI.pdf")
    assert response["Content-Disposition"].startswith('attachment; filename="Bericht ')


@pytest.mark.parametrize("name", ["../settings.py", "evidence/../../db.sqlite3", "vendors/x.pdf"])
def test_delete_stored_file_refuses_names_it_did_not_generate(media_root, name):
    with pytest.raises(ValueError):
        delete_stored_file(name)


def test_content_disposition_keeps_accents_quotes_and_emoji_safely():
    header = content_disposition_attachment('Rapport "final" – été 😀.pdf')

    fallback = re.fullmatch(r'attachment; filename="([^"]*)"; filename\*=UTF-8\'\'(\S+)', header)
    assert fallback, header
    ascii_name, encoded_name = fallback.groups()
    assert ascii_name == "Rapport _final_ ete.pdf"
    assert unquote(encoded_name) == "Rapport _final_ – été 😀.pdf"
    assert header.isascii()


def test_content_disposition_strips_header_injection():
    header = content_disposition_attachment('x.pdf"\r\nSet-Cookie: a=b')

    assert "\r" not in header and "\n" not in header
    assert header.count('"') == 2


class EvidenceForm(forms.Form):
    evidence = EvidenceFileField()


def test_evidence_file_field_shows_the_refusal_on_the_field():
    form = EvidenceForm(data={}, files={"evidence": SimpleUploadedFile("report.pdf", png_bytes())})

    assert not form.is_valid()
    assert form.errors["evidence"] == [
        "This file is a PNG image but is named .pdf. Upload it with its real extension."
    ]


def test_evidence_file_field_accepts_valid_evidence():
    form = EvidenceForm(data={}, files={"evidence": SimpleUploadedFile("report.pdf", PDF_BYTES)})

    assert form.is_valid(), form.errors
    assert 'accept=".pdf,' in str(form["evidence"])


# Evidence must open, not only start like the kind it claims ------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-",
        PDF_BYTES[:40],
        b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",  # no page at all
        b"%PDF-1.7\n" + b"A" * 4096,
    ],
    ids=["header-only", "first-40-bytes", "no-pages", "garbage-after-header"],
)
def test_a_pdf_that_does_not_open_to_a_page_is_refused(content):
    error = refusal("model-card.pdf", content)

    assert error.code == "pdf_damaged"
    assert "cannot be opened" in error.messages[0]


def test_a_docx_whose_document_part_is_not_xml_is_refused():
    broken = docx_bytes(**{"word/document.xml": "\x00\x01 not a document"})

    assert refusal("policy.docx", broken).code == "zip_damaged"


def test_a_docx_whose_document_part_fails_its_checksum_is_refused():
    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + "x" * 200 + "</w:document>")
    content = bytearray(stored.getvalue())
    position = content.index(b"xxxx")
    content[position] = ord("y")  # one changed byte inside the stored part

    assert refusal("policy.docx", bytes(content)).code == "zip_damaged"
