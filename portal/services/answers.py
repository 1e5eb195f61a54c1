"""The supplier's side: the link opens an open request, and the supplier saves answers, adds
and removes files, enters the MDF and the training summary, submits, or stops the reminders.
The audit entries name "supplier (via link, <email>)" as their actor."""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core import files
from core.audit import audit_log
from portal import notify, tokens
from portal.models import RequestItem, RequestStatus, SupplierFile, SupplierRequest

LOCKED_MESSAGE = _("These answers were submitted and can no longer change.")


def _supplier_audit(request, action, summary, data=None):
    audit_log(
        actor=None,
        action=action,
        target=request.assessment,
        summary=summary,
        data={"actor_label": request.actor_label, "request": request.pk, **(data or {})},
    )


# The link ----------------------------------------------------------------------------------


def request_for_token(token, *, now=None):
    """The open request this token opens, or None: unknown, expired, revoked or answered alike."""
    if not tokens.is_well_formed(token):
        return None
    request = (
        SupplierRequest.objects.filter(token_hash=tokens.token_hash(token))
        .select_related("assessment")
        .first()
    )
    return request if request and is_usable(request, now=now) else None


def is_usable(request, *, now=None):
    """Whether the supplier may still answer: open, and before the due date plus grace."""
    return request.is_open and (now or timezone.now()) < request.token_expires_at


# The supplier's side -----------------------------------------------------------------------


def _lock_open(request):
    request = SupplierRequest.objects.select_for_update().get(pk=request.pk)
    if not is_usable(request):
        raise ValidationError(LOCKED_MESSAGE)
    return request


@transaction.atomic
def supplier_answers_save(*, request, answers):
    """Save the supplier's draft answers: {request item id: {answer_text, answer_yes_no,
    answer_links}}. Only these three fields are written, whatever else was posted."""
    request = _lock_open(request)
    rows = {row.pk: row for row in request.items.filter(pk__in=list(answers))}
    changed = []
    for pk, answer in answers.items():
        row = rows.get(pk)
        if row is None:
            raise ValidationError(_("That item is not part of this request."))
        values = {
            "answer_text": answer.get("answer_text", ""),
            "answer_yes_no": answer.get("answer_yes_no", "") if row.asks_yes_no else "",
            "answer_links": answer.get("answer_links", ""),
        }
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    RequestItem.objects.bulk_update(changed, ["answer_text", "answer_yes_no", "answer_links"])
    if changed:
        _supplier_audit(
            request, "supplier_answers_saved", f"Supplier saved answers ({len(changed)} items)"
        )
    return changed


def supplier_file_add(*, request, request_item, uploaded_file):
    """Check and store a file as evidence files are, within the request's quota."""
    if request_item.request_id != request.pk:
        raise ValidationError(_("That item is not part of this request."))
    used = SupplierFile.objects.filter(request_item__request=request).aggregate(total=Sum("size"))
    size = getattr(uploaded_file, "size", 0) or 0
    quota = settings.SUPPLIER_LINK_QUOTA_BYTES
    if (used["total"] or 0) + size > quota:
        raise ValidationError(
            _("These files would pass the %(megabytes)s MB allowed for this request.")
            % {"megabytes": quota // files.MEGABYTE}
        )
    stored = files.store_evidence_file(uploaded_file)
    try:
        with transaction.atomic():
            _lock_open(request)
            supplier_file = SupplierFile.objects.create(
                request_item=request_item,
                storage_name=stored.storage_name,
                original_name=stored.original_name,
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
            )
            _supplier_audit(
                request,
                "supplier_file_uploaded",
                f"Supplier uploaded {stored.original_name} for "
                f"{request_item.item.checklist_item.code}",
                {"sha256": stored.sha256},
            )
    except BaseException:
        files.delete_stored_file(stored.storage_name)
        raise
    return supplier_file


@transaction.atomic
def supplier_file_remove(*, request, supplier_file):
    _lock_open(request)
    name = supplier_file.original_name
    supplier_file.delete()
    transaction.on_commit(lambda: files.delete_stored_file(supplier_file.storage_name))
    _supplier_audit(request, "supplier_file_removed", f"Supplier removed {name}")


def _as_json(cleaned_data):
    return json.loads(json.dumps(cleaned_data, cls=DjangoJSONEncoder))


@transaction.atomic
def supplier_documentation_save(*, request, kind, cleaned_data):
    """Keep what the supplier entered in the MDF ("mdf") or training-summary ("summary") form
    of the documentation app, to be recorded when the owner accepts it."""
    request = _lock_open(request)
    field = {"mdf": "mdf_entry", "summary": "summary_entry"}[kind]
    asked = request.asks_mdf if kind == "mdf" else request.asks_training_summary
    if not asked:
        raise ValidationError(_("This request does not ask for it."))
    setattr(request, field, _as_json(cleaned_data))
    request.save(update_fields=[field, "updated_at"])
    label = "the MDF" if kind == "mdf" else "the training summary"
    _supplier_audit(request, "supplier_documentation_saved", f"Supplier saved {label}")
    return request


@transaction.atomic
def supplier_request_submit(*, request):
    """Lock the answers and hand them to the owner; the link stops working."""
    request = _lock_open(request)
    request.status = RequestStatus.SUBMITTED
    request.submitted_at = timezone.now()
    request.save(update_fields=["status", "submitted_at", "updated_at"])
    answered = [row for row in request.items.prefetch_related("files") if row.is_answered]
    _supplier_audit(
        request,
        "supplier_request_submitted",
        f"Supplier submitted answers on {len(answered)} of {request.items.count()} items",
    )
    notify.answers_submitted(request)
    return request


@transaction.atomic
def supplier_reminders_stop(*, request):
    request = SupplierRequest.objects.select_for_update().get(pk=request.pk)
    if not request.reminders_stopped:
        request.reminders_stopped = True
        request.save(update_fields=["reminders_stopped", "updated_at"])
        _supplier_audit(request, "supplier_reminders_stopped", "Supplier stopped the reminders")
    return request
