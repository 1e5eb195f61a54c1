"""Constants and helpers shared by the tests of the assessment pages."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEntry
from diligence.models import (
    Assessment,
    AssessmentItem,
    Evidence,
)

TODAY = datetime.date.today()
NEXT_MONTH = TODAY + datetime.timedelta(days=30)
NEXT_YEAR = TODAY + datetime.timedelta(days=365)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(32)
CONFLICT = "Someone else changed this item while you were editing it."


def _pdf(name="model-card.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()]


def _writes():
    """Every write on these pages leaves an audit entry, a history row or an evidence row."""
    return (
        AuditEntry.objects.count()
        + Assessment.history.count()
        + AssessmentItem.history.count()
        + Evidence.objects.count()
    )


def _page(response):
    return response.content.decode()
