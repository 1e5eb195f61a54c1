"""Evidence on checklist items: files and links, each new version superseding the old one."""

from django.core.exceptions import ValidationError
from django.db import transaction

from core import files
from core.audit import audit_log
from diligence.models import Evidence
from diligence.services.assessments import READ_ONLY_MESSAGE, _require_editable


def evidence_add(*, item, data, uploaded_file=None, supersedes=None, by, request_token=None):
    """Add evidence (a file or a link). A new version supersedes, and never changes, the old one.

    The file is stored first; if the database write then fails, the file is removed again so
    nothing is left behind.
    """
    if not item.assessment.is_editable:  # checked again, under a lock, before the write
        raise ValidationError(READ_ONLY_MESSAGE)
    if request_token and (existing := Evidence.objects.filter(request_token=request_token).first()):
        return existing
    stored = files.store_evidence_file(uploaded_file) if uploaded_file else None
    try:
        with transaction.atomic():
            evidence = _evidence_save(item, data, stored, supersedes, by, request_token)
    except BaseException:
        if stored:
            files.delete_stored_file(stored.storage_name)
        if request_token and (
            existing := Evidence.objects.filter(request_token=request_token).first()
        ):
            return existing
        raise
    return evidence


def _evidence_save(item, data, stored, supersedes, by, request_token):
    _require_editable(item.assessment, by)
    if supersedes is not None:
        supersedes = Evidence.objects.select_for_update().get(pk=supersedes.pk, item=item)
        if not supersedes.is_current:
            raise ValidationError("That evidence has already been superseded by a newer version.")
    evidence = Evidence(
        item=item,
        assessment_id=item.assessment_id,
        description=data["description"],
        issuer=data.get("issuer", ""),
        effective_date=data.get("effective_date"),
        valid_until=data.get("valid_until"),
        url="" if stored else data.get("url", ""),
        supersedes=supersedes,
        request_token=request_token,
        created_by=by,
    )
    if stored:
        evidence.storage_name = stored.storage_name
        evidence.original_name = stored.original_name
        evidence.content_type = stored.content_type
        evidence.size = stored.size
        evidence.sha256 = stored.sha256
    evidence.save()
    if supersedes is not None:
        Evidence.objects.filter(pk=supersedes.pk).update(is_current=False)
    audit_log(
        actor=by,
        action="evidence_added",
        target=item.assessment,
        summary=f"Evidence for {item.checklist_item.code}: {evidence.description}",
        data={"evidence": evidence.pk, "sha256": evidence.sha256},
    )
    return evidence
