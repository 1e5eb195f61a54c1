"""Helpers for the clause-pack tests: sample snapshots and reading PDFs back."""

import datetime
import io
import uuid

from pypdf import PdfReader

from contracts import default_clauses
from contracts.content import content_sha256
from contracts.documents.layout import DocumentMeta
from diligence.models import AssessmentItem

CATEGORY_LABELS = {
    "general": "General",
    "documentation": "Information and documentation",
    "copyright": "Copyright",
    "safety_security": "Safety and security",
    "compliance": "Compliance and cooperation",
    "remedies": "Remedies and liability",
}


def set_status(assessment, code, status):
    AssessmentItem.objects.filter(assessment=assessment, checklist_item__code=code).update(
        status=status
    )


def sample_snapshot(supplier_name="Mistral AI", clause_count=None, **changes):
    """A snapshot as `content.document_snapshot` makes it, with every default clause."""
    clauses = default_clauses.CLAUSES[:clause_count]
    snapshot = {
        "schema": 1,
        "supplier": {
            "name": supplier_name,
            "legal_name": "Mistral AI SAS",
            "country": "France",
            "in_eu": True,
            "representative": "",
        },
        "model": {"name": "Mistral Medium", "version": "3"},
        "assessment": {
            "reference": "TENDER-2025-07",
            "revision": 1,
            "status": "Decided",
            "checklist": "Default checklist v1",
            "decision": {
                "outcome": "Approved with conditions",
                "date": "2026-01-15",
                "valid_until": "2027-01-15",
            },
        },
        "signatures": [
            {
                "chapter": "Transparency",
                "status": "Signed",
                "signed_on": "2025-08-01",
                "source": "",
            },
            {"chapter": "Copyright", "status": "Not signed", "signed_on": None, "source": ""},
            {
                "chapter": "Safety and Security",
                "status": "Declined",
                "signed_on": None,
                "source": "",
            },
        ],
        "items": [
            {
                "code": "DOC-11",
                "title": "Information for integrators received",
                "category": "Documentation and transparency",
                "status": "Gap",
                "evidence": 2,
            },
            {
                "code": "DOC-14",
                "title": "Architecture, size, modalities and input limits",
                "category": "Documentation and transparency",
                "status": "Requested",
                "evidence": 0,
            },
            {
                "code": "CPY-05",
                "title": "robots.txt obeyed",
                "category": "Copyright",
                "status": "Accepted",
                "evidence": 3,
            },
        ],
        "library": {"name": "Default clause library", "version": 1},
        "clauses": [
            {
                "number": number,
                "key": clause["key"],
                "title": clause["title"],
                "category": CATEGORY_LABELS[clause["category"]],
                "legal_basis": clause["legal_basis"],
                "body": clause["body"],
                "reason": "Standard clause for every general-purpose AI model supplier",
                "added": False,
            }
            for number, clause in enumerate(clauses, start=1)
        ],
        "values": {
            "supplier.name": supplier_name,
            "supplier.legal_name": "Mistral AI SAS",
            "supplier.country": "France",
            "supplier.representative": "none recorded",
            "model.name": "Mistral Medium",
            "model.version": "3",
            "chapters.signed": "Transparency",
            "chapters.unsigned": "Copyright and Safety and Security",
            "assessment.reference": "TENDER-2025-07",
            "decision.date": "15 January 2026",
            "items.open": ["Architecture, size, modalities and input limits"],
            "items.gaps": ["Information for integrators received", "robots.txt obeyed"],
            "items.open_safety_security": ["Serious-incident reporting"],
            "mdf.version": "2.0",
            "mdf.downstream_missing": ["1.4 Release date"],
        },
    }
    snapshot.update(changes)
    return snapshot


def meta_for(snapshot, version=1, date=datetime.date(2026, 2, 3)):
    return DocumentMeta(str(uuid.uuid4()), version, date, content_sha256(snapshot))


def pdf_pages(data):
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def pdf_fonts(data):
    """The base names of the fonts embedded in the PDF, subset prefixes removed."""
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return fonts


def image_xobjects(data):
    """Every image XObject in the PDF, however deeply nested in form XObjects."""
    images = []

    def walk(resources):
        for xobject in (resources or {}).get("/XObject", {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image":
                images.append(xobject)
            walk(xobject.get("/Resources"))

    for page in PdfReader(io.BytesIO(data)).pages:
        walk(page.get("/Resources"))
    return images
