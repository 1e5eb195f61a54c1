"""Two documents from one clause pack. The contract schedule goes to the supplier: its text,
read back from the PDF and the Word file, holds the clauses and nothing of the internal record.
The due-diligence report holds that record. Both PDFs are tagged (PDF/UA-1)."""

import io
import re

import docx
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
from weasyprint import HTML

from contracts import services
from diligence import services as diligence_services
from diligence.models import AssessmentItem
from tests.contracts.support import set_status

EVIDENCE_DESCRIPTION = "Training summary, internal copy 7"
EVIDENCE_LINK = "https://evidence.example/confidential-summary"
FILE_NAME = "redteam-findings.pdf"
REMOVAL_REASON = "Framework agreement already covers audits"


@pytest.fixture
def record(xai_assessment, procurement_user, legal_user, media_root):
    """An assessment with evidence (a link and a file), gaps and a change by Legal."""
    items = {
        item.checklist_item.code: item
        for item in AssessmentItem.objects.filter(assessment=xai_assessment).select_related(
            "checklist_item", "assessment"
        )
    }
    diligence_services.evidence_add(
        item=items["DOC-11"],
        data={"description": EVIDENCE_DESCRIPTION, "url": EVIDENCE_LINK},
        by=procurement_user,
    )
    pdf = HTML(string="<p>Findings</p>").write_pdf()
    evidence = diligence_services.evidence_add(
        item=items["CPY-05"],
        data={"description": "Red-team findings", "issuer": "Audit firm"},
        uploaded_file=SimpleUploadedFile(FILE_NAME, pdf, content_type="application/pdf"),
        by=procurement_user,
    )
    set_status(xai_assessment, "DOC-14", "gap")
    services.clause_pack_remove(
        assessment=xai_assessment, clause_key="audit-rights", reason=REMOVAL_REASON, by=legal_user
    )
    return xai_assessment, evidence


def _generate(assessment, kind, document_format, user):
    document, _created = services.document_generate(
        assessment=assessment, format=document_format, kind=kind, by=user
    )
    return document, default_storage.open(document.storage_name).read()


def _pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    metadata = " ".join(str(value) for value in (reader.metadata or {}).values())
    return " ".join(page.extract_text() for page in reader.pages) + " " + metadata


def _word_text(data):
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    properties = document.core_properties
    parts += [
        properties.title,
        properties.subject,
        properties.keywords,
        properties.comments,
        properties.category,
    ]
    return "\n".join(part or "" for part in parts)


def _internal_texts(assessment, evidence):
    """What the supplier must never read: the record, the reasons and the decision's terms."""
    items = AssessmentItem.objects.filter(assessment=assessment, applicable=True)
    return [
        EVIDENCE_DESCRIPTION,
        EVIDENCE_LINK,
        FILE_NAME,
        evidence.sha256,
        REMOVAL_REASON,
        assessment.purpose,
        "Selected because",
        "Added by Legal",
        "Due-diligence status",
        "Changes by Legal",
        "Evidence",
        "Decision",
        "Not yet decided",
        "Gap",
        "Pending",
        *[item.checklist_item.code for item in items.select_related("checklist_item")],
    ]


@pytest.mark.parametrize(("document_format", "read"), [("pdf", _pdf_text), ("docx", _word_text)])
def test_the_schedule_holds_the_clauses_and_nothing_internal(
    record, legal_user, document_format, read
):
    assessment, evidence = record
    document, data = _generate(assessment, "schedule", document_format, legal_user)
    text = read(data)
    flat = " ".join(text.split())

    assert document.kind == "schedule"
    assert "Contract schedule" in flat or "CONTRACT SCHEDULE" in flat
    for clause in document.snapshot["clauses"]:
        assert " ".join(clause["title"].split()) in flat
    assert "audit-rights" not in [c["key"] for c in document.snapshot["clauses"]]
    leaked = [internal for internal in _internal_texts(assessment, evidence) if internal in flat]
    assert leaked == []


@pytest.mark.parametrize(("document_format", "read"), [("pdf", _pdf_text), ("docx", _word_text)])
def test_the_schedule_mentions_no_table_and_names_what_its_clauses_concern(
    record, legal_user, document_format, read
):
    # The schedule holds no status table, so no clause may send the reader to one: the
    # clauses on open items and gaps list them by title themselves.
    assessment, _evidence = record
    document, data = _generate(assessment, "schedule", document_format, legal_user)
    flat = " ".join(read(data).split())

    keys = [clause["key"] for clause in document.snapshot["clauses"]]
    assert {"outstanding-information", "remediation-plan"} <= set(keys)
    assert re.findall(r"\btables?\b", flat, flags=re.IGNORECASE) == []
    assert "this document" not in flat
    assert "robots.txt obeyed" in flat
    assert "Architecture, size, modalities and input limits" in flat


@pytest.mark.parametrize(("document_format", "read"), [("pdf", _pdf_text), ("docx", _word_text)])
def test_the_report_holds_the_record(record, legal_user, document_format, read):
    assessment, evidence = record
    document, data = _generate(assessment, "report", document_format, legal_user)
    flat = " ".join(read(data).split())

    assert document.kind == "report"
    for expected in (
        EVIDENCE_DESCRIPTION,
        FILE_NAME,
        REMOVAL_REASON,
        "Selected because",
        "DOC-14",
        "Not yet decided",
    ):
        assert expected in flat
    # A hash may wrap in a narrow column; its characters are all there in order.
    assert evidence.sha256 in flat.replace(" ", "")


def _structure_roles(node, seen=None, depth=0):
    seen = set() if seen is None else seen
    node = node.get_object()
    if depth > 60:
        return seen
    if isinstance(node, list):
        for child in node:
            _structure_roles(child, seen, depth + 1)
        return seen
    if hasattr(node, "get"):
        if "/S" in node:
            seen.add(str(node["/S"]))
        if "/K" in node:
            _structure_roles(node["/K"], seen, depth + 1)
    return seen


@pytest.mark.parametrize("kind", ["schedule", "report"])
def test_the_pdf_is_tagged_with_language_title_and_structure(record, legal_user, kind):
    assessment, _evidence = record
    _document, data = _generate(assessment, kind, "pdf", legal_user)
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]

    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title.startswith(
        "Contract schedule" if kind == "schedule" else "Due-diligence report"
    )
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    roles = _structure_roles(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/P", "/Table"} <= roles
