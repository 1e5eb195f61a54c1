"""Clause-library curation, Legal's changes to clause packs and document generation."""

import hashlib
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from contracts import content, queries
from contracts.documents.layout import DocumentMeta
from contracts.documents.pdf import render_pdf
from contracts.documents.word import render_docx
from contracts.models import (
    ClauseOverride,
    ClausePack,
    Document,
    DocumentFormat,
    OverrideAction,
)
from core.audit import audit_log
from core.library import services as library_services
from diligence.models import Assessment

RENDERERS = {DocumentFormat.PDF: render_pdf, DocumentFormat.DOCX: render_docx}
CONTENT_TYPES = {
    DocumentFormat.PDF: "application/pdf",
    DocumentFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

# Clause-library curation is the versioned library's (core.library.services), under the names
# the clause library's services have always had. Publishing checks every clause again
# (`Clause.clean`: placeholders and triggers).
clause_library_publish = library_services.library_publish
clause_library_retire = library_services.library_retire
clause_library_new_draft = library_services.library_new_draft

# Clause packs ----------------------------------------------------------------------------------


def _clause_override(*, assessment, clause_key, reason, by, action):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason, so that others can follow the change."})
    with transaction.atomic():
        # One change to a pack at a time, judged against the pack as it now stands.
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        assessment = queries.assessment_for_pack().get(pk=assessment.pk)
        pack = queries.clause_pack_state(assessment).pack
        entry = pack.entry(clause_key)
        if entry is None:
            raise ValidationError("That clause is not in the current clause library.")
        in_pack = entry in pack.included
        if action == OverrideAction.REMOVE and not in_pack:
            raise ValidationError(f"“{entry.clause.title}” is not in the pack.")
        if action == OverrideAction.ADD and in_pack:
            raise ValidationError(f"“{entry.clause.title}” is already in the pack.")
        clause_pack, _created = ClausePack.objects.get_or_create(assessment=assessment)
        override = ClauseOverride.objects.create(
            pack=clause_pack,
            clause_key=clause_key,
            clause_title=entry.clause.title,
            action=action,
            reason=reason,
            created_by=by,
        )
        verb = "Removed" if action == OverrideAction.REMOVE else "Added"
        audit_log(
            actor=by,
            action=f"clause_{'removed' if action == OverrideAction.REMOVE else 'added'}",
            target=assessment,
            summary=f"{verb} clause “{entry.clause.title}”: {reason}",
            data={"clause": clause_key, "override": override.pk},
        )
    return override


def clause_pack_remove(*, assessment, clause_key, reason, by):
    """Legal takes a clause the triggers selected out of the pack, saying why."""
    return _clause_override(
        assessment=assessment,
        clause_key=clause_key,
        reason=reason,
        by=by,
        action=OverrideAction.REMOVE,
    )


def clause_pack_add(*, assessment, clause_key, reason, by):
    """Legal puts a clause in the pack that no trigger selected (or one removed before)."""
    return _clause_override(
        assessment=assessment,
        clause_key=clause_key,
        reason=reason,
        by=by,
        action=OverrideAction.ADD,
    )


# Documents -------------------------------------------------------------------------------------


def document_snapshot(assessment):
    """The content a document of this assessment would be made from now, and its hash."""
    state = queries.clause_pack_state(assessment)
    if state.library is None:
        raise ValidationError("No clause library is published yet; ask Legal to publish one.")
    snapshot = content.document_snapshot(assessment, state.library, state.pack)
    return snapshot, content.content_sha256(snapshot)


def document_generate(*, assessment, format, by):
    """Store a document of the clause pack as it stands, or return the one already stored.

    Returns (document, created). A document is never rendered twice for the same content: the
    same snapshot gives back the stored document; a changed one makes the next version.
    """
    if format not in RENDERERS:
        raise ValidationError("Choose PDF or Word.")
    with transaction.atomic():
        # Versions are numbered under a lock on the assessment, so two clicks make one version.
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        assessment = queries.assessment_for_pack().get(pk=assessment.pk)
        snapshot, content_hash = document_snapshot(assessment)
        existing = Document.objects.filter(
            assessment=assessment, format=format, content_sha256=content_hash
        ).first()
        if existing is not None:
            return existing, False
        version = (
            Document.objects.filter(assessment=assessment, format=format).aggregate(
                v=Max("version")
            )["v"]
            or 0
        ) + 1
        document_id = uuid.uuid4()
        today = timezone.localdate()
        meta = DocumentMeta(str(document_id), version, today, content_hash)
        data = RENDERERS[format](snapshot, meta)
        name = default_storage.save(
            f"clause-packs/{document_id.hex[:2]}/{document_id.hex}.{format}", ContentFile(data)
        )
        try:
            document = Document.objects.create(
                assessment=assessment,
                format=format,
                version=version,
                document_id=document_id,
                snapshot=snapshot,
                content_sha256=content_hash,
                file_sha256=hashlib.sha256(data).hexdigest(),
                storage_name=name,
                size=len(data),
                created_by=by,
            )
            audit_log(
                actor=by,
                action="document_generated",
                target=assessment,
                summary=f"Generated clause-pack {document.get_format_display()} version {version}",
                data={"document": str(document_id), "content_sha256": content_hash},
            )
        except BaseException:
            # The row was not written, so the file must not stay behind.
            default_storage.delete(name)
            raise
    return document, True


def document_open(*, document, by):
    """The stored file of a document, opened for download, with the download on record."""
    audit_log(
        actor=by,
        action="document_downloaded",
        target=document.assessment,
        summary=f"Downloaded clause-pack {document.get_format_display()} version {document.version}",
        data={"document": str(document.document_id)},
    )
    return default_storage.open(document.storage_name, "rb")
