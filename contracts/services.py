"""Clause-library curation, Legal's changes to clause packs and document generation."""

import hashlib
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from contracts import content, limits, placeholders, queries
from contracts.documents.layout import DocumentMeta
from contracts.documents.pdf import render_pdf
from contracts.documents.word import render_docx
from contracts.models import (
    ClauseOverride,
    ClausePack,
    Document,
    DocumentFormat,
    DocumentKind,
    OverrideAction,
)
from core.audit import audit_log
from core.library import services as library_services
from diligence.models import Assessment, Evidence

RENDERERS = {DocumentFormat.PDF: render_pdf, DocumentFormat.DOCX: render_docx}
CONTENT_TYPES = {
    DocumentFormat.PDF: "application/pdf",
    DocumentFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

# Clause-library curation is the versioned library's (core.library.services), under the names
# the clause library's services have always had. Publishing checks every clause again
# (`Clause.clean`: placeholders, triggers and size) and their size together.
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


def document_snapshot(assessment, kind=DocumentKind.SCHEDULE):
    """The content a document of this kind would be made from now, and its hash.

    `assessment` comes from `queries.assessment_for_pack`; the report reads the current
    evidence in one more query.
    """
    state = queries.clause_pack_state(assessment)
    if state.library is None:
        raise ValidationError("No clause library is published yet; ask Legal to publish one.")
    if kind == DocumentKind.SCHEDULE:
        snapshot = content.schedule_snapshot(assessment, state.library, state.pack)
    else:
        evidence = (
            Evidence.objects.filter(item__assessment=assessment, is_current=True)
            .select_related("item__checklist_item")
            .order_by("item__checklist_item__order", "item__checklist_item__code", "created_at")
        )
        snapshot = content.report_snapshot(
            assessment, state.library, state.pack, evidence=evidence, overrides=state.overrides
        )
    return snapshot, content.content_sha256(snapshot)


def _check_clause_texts(snapshot):
    """Refuse, before rendering, clauses that reached a published library without passing its
    checks (a script, a hand edit of the database): their placeholders are never printed."""
    problems = [
        f"{clause['key']}: {' '.join(errors)}"
        for clause in snapshot["clauses"]
        if (errors := placeholders.errors(clause["body"]))
    ]
    if problems:
        raise ValidationError(
            ["Some clauses cannot be printed; ask Legal to correct the clause library.", *problems]
        )


def _stored_document(assessment, kind, format, content_hash):
    return Document.objects.filter(
        assessment=assessment, kind=kind, format=format, content_sha256=content_hash
    ).first()


def _next_version(assessment, kind, format):
    current = Document.objects.filter(assessment=assessment, kind=kind, format=format).aggregate(
        v=Max("version")
    )["v"]
    return (current or 0) + 1


def document_generate(*, assessment, format, by, kind=DocumentKind.SCHEDULE):
    """Store a document of the clause pack as it stands, or return the one already stored.

    Returns (document, created). A document is never rendered twice for the same content: the
    same snapshot gives back the stored document; a changed one makes the next version.

    Rendering runs outside any transaction, in a child process within the render limits
    (`contracts.limits`), so no database lock is held while it runs (on SQLite a write
    transaction holds the whole database). Only storing the row happens under the lock on the
    assessment, which checks again that no one stored this content or this version meanwhile.
    """
    if format not in RENDERERS:
        raise ValidationError("Choose PDF or Word.")
    if kind not in DocumentKind.values:
        raise ValidationError("Choose the contract schedule or the due-diligence report.")
    assessment = queries.assessment_for_pack().get(pk=assessment.pk)
    snapshot, content_hash = document_snapshot(assessment, kind)
    existing = _stored_document(assessment, kind, format, content_hash)
    if existing is not None:
        return existing, False
    _check_clause_texts(snapshot)
    version = _next_version(assessment, kind, format)
    document_id = uuid.uuid4()
    meta = DocumentMeta(str(document_id), version, timezone.localdate(), content_hash)
    data = limits.render_within_limits(RENDERERS[format], snapshot, meta)
    name = default_storage.save(
        f"clause-packs/{document_id.hex[:2]}/{document_id.hex}.{format}", ContentFile(data)
    )
    try:
        with transaction.atomic():
            # Versions are numbered under a lock on the assessment, so two clicks make one.
            Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
            existing = _stored_document(assessment, kind, format, content_hash)
            if existing is not None:  # the same click, twice: the first one stored it
                default_storage.delete(name)
                return existing, False
            if _next_version(assessment, kind, format) != version:
                raise ValidationError(
                    "Someone made a new version of this document while yours was being made. "
                    "Look at the current version, and generate again if the pack changed."
                )
            document = Document.objects.create(
                assessment=assessment,
                kind=kind,
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
                summary=(
                    f"Generated {document.get_kind_display().lower()} "
                    f"{document.get_format_display()} version {version}"
                ),
                data={
                    "document": str(document_id),
                    "kind": kind,
                    "content_sha256": content_hash,
                },
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
        summary=(
            f"Downloaded {document.get_kind_display().lower()} "
            f"{document.get_format_display()} version {document.version}"
        ),
        data={"document": str(document.document_id)},
    )
    return default_storage.open(document.storage_name, "rb")
