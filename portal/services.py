"""The supplier-request workflow: send a link, the supplier answers and submits, the owner
accepts or asks again. Each write is one transaction with an audit entry on the assessment; the
supplier's entries name "supplier (via link, <email>)" as their actor."""

import datetime
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core import files
from core.audit import audit_log
from diligence import services as diligence_services
from diligence.models import ItemStatus
from documentation import forms as documentation_forms
from documentation import queries as documentation_queries
from documentation import services as documentation_services
from portal import notify, tokens
from portal.models import RequestItem, RequestStatus, ReviewStatus, SupplierFile, SupplierRequest

LOCKED_MESSAGE = _("These answers were submitted and can no longer change.")


def _supplier_audit(request, action, summary, data=None):
    audit_log(
        actor=None,
        action=action,
        target=request.assessment,
        summary=summary,
        data={"actor_label": request.actor_label, "request": request.pk, **(data or {})},
    )


def _new_link(request):
    token, token_hash = tokens.token_new()
    request.token_hash = token_hash
    request.token_expires_at = tokens.expiry_for(request.due_date)
    request.sent_at = timezone.now()
    return token


# The buyer's side ------------------------------------------------------------------------


def _require_buyer_may_change(assessment, by):
    """Asking the supplier and taking in answers change the assessment's items, so they follow
    the items' rules: nothing once decided, and not by the owner while it is in review."""
    if not assessment.is_editable:
        raise ValidationError(diligence_services.READ_ONLY_MESSAGE)
    if not assessment.editable_by(by):
        raise ValidationError(diligence_services.IN_REVIEW_MESSAGE)


@transaction.atomic
def supplier_request_create(
    *, assessment, data, items, yes_no_items=(), by, base_url, previous=None
):
    """Send the supplier a link to answer `items` (assessment items) and, if asked, the MDF
    and the training-content summary. Returns the request; the link goes only into the email."""
    _require_buyer_may_change(assessment, by)
    if not items and not data.get("asks_mdf") and not data.get("asks_training_summary"):
        raise ValidationError(_("Choose at least one item, the MDF or the training summary."))
    request = SupplierRequest(
        assessment=assessment,
        recipient_name=data["recipient_name"],
        recipient_email=data["recipient_email"],
        due_date=data["due_date"],
        message=data.get("message", ""),
        asks_mdf=bool(data.get("asks_mdf")),
        asks_training_summary=bool(data.get("asks_training_summary")),
        previous=previous,
        created_by=by,
    )
    token = _new_link(request)
    request.save()
    comments = data.get("comments", {})
    RequestItem.objects.bulk_create(
        RequestItem(
            request=request,
            item=item,
            guidance=item.checklist_item.evidence_requested,
            comment=comments.get(item.pk, ""),
            asks_yes_no=item.pk in set(yes_no_items),
        )
        for item in items
    )
    audit_log(
        actor=by,
        action="supplier_request_sent",
        target=assessment,
        summary=f"Asked {request.recipient_email} through a supplier link: "
        f"{_what_is_asked(request, items)}; due {request.due_date:%-d %b %Y}",
        data={"request": request.pk, "items": [item.pk for item in items]},
    )
    notify.link_sent(request, token, base_url)
    return request


def _what_is_asked(request, items):
    parts = [", ".join(item.checklist_item.code for item in items)] if items else []
    if request.asks_mdf:
        parts.append("the MDF")
    if request.asks_training_summary:
        parts.append("the training summary")
    return "; ".join(parts)


@transaction.atomic
def supplier_request_resend(*, request, by, base_url):
    """A new link for an open request; the old one stops working at once."""
    request = SupplierRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ValidationError(_("Only a request awaiting the supplier can be sent again."))
    token = _new_link(request)
    request.save(update_fields=["token_hash", "token_expires_at", "sent_at", "updated_at"])
    audit_log(
        actor=by,
        action="supplier_request_resent",
        target=request.assessment,
        summary=f"Sent a new supplier link to {request.recipient_email}; the old link no longer works",
        data={"request": request.pk},
    )
    notify.link_sent(request, token, base_url)
    return request


@transaction.atomic
def supplier_request_revoke(*, request, by):
    request = SupplierRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ValidationError(_("Only a request awaiting the supplier can be revoked."))
    request.status = RequestStatus.REVOKED
    request.revoked_at = timezone.now()
    request.save(update_fields=["status", "revoked_at", "updated_at"])
    audit_log(
        actor=by,
        action="supplier_request_revoked",
        target=request.assessment,
        summary=f"Revoked the supplier link sent to {request.recipient_email}",
        data={"request": request.pk},
    )
    return request


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


# Back in the app ---------------------------------------------------------------------------


def _review_row(request_item, by):
    row = (
        RequestItem.objects.select_for_update()
        .select_related("request__assessment")
        .get(pk=request_item.pk)
    )
    _require_buyer_may_change(row.request.assessment, by)
    if row.request.status != RequestStatus.SUBMITTED:
        raise ValidationError(_("Only submitted answers can be reviewed."))
    if row.review != ReviewStatus.PENDING:
        raise ValidationError(_("This answer has already been reviewed."))
    return row


@transaction.atomic
def supplier_answer_accept(*, request_item, by, base_url=""):
    """The answer's files and links become the item's evidence, and the item is received."""
    row = _review_row(request_item, by)
    item = row.item
    email = row.request.recipient_email
    for supplier_file in row.files.all():
        with default_storage.open(supplier_file.storage_name, "rb") as stored:
            evidence = diligence_services.evidence_add(
                item=item,
                data={"description": f"{supplier_file.original_name} (from {email})"},
                uploaded_file=File(stored, name=supplier_file.original_name),
                by=by,
            )
        supplier_file.evidence = evidence
        supplier_file.save(update_fields=["evidence"])
    for link in row.links:
        diligence_services.evidence_add(
            item=item, data={"description": f"Link from {email}", "url": link}, by=by
        )
    item.refresh_from_db()
    if item.status in (ItemStatus.OPEN, ItemStatus.REQUESTED):
        diligence_services.assessment_item_update(
            item=item,
            data={
                "status": ItemStatus.RECEIVED,
                "justification": item.justification,
                "notes": item.notes,
                "reviewer": item.reviewer,
                "reviewed_on": item.reviewed_on,
                "assignee": item.assignee,
            },
            expected_version=item.version,
            by=by,
        )
    row.review = ReviewStatus.ACCEPTED
    row.reviewed_by, row.reviewed_at = by, timezone.now()
    row.save(update_fields=["review", "reviewed_by", "reviewed_at"])
    audit_log(
        actor=by,
        action="supplier_answer_accepted",
        target=item.assessment,
        summary=f"Accepted the supplier's answer on {item.checklist_item.code}",
        data={"request": row.request_id, "item": item.pk},
    )
    _close_if_reviewed(row.request, by, base_url=base_url)
    return row


@transaction.atomic
def supplier_answer_ask_again(*, request_item, comment, by, base_url):
    """Ask again about one item; once every answer is reviewed, the supplier gets a new link
    for the items asked again."""
    if not comment.strip():
        raise ValidationError(_("Say what is missing, so the supplier knows what to answer."))
    row = _review_row(request_item, by)
    row.review = ReviewStatus.ASKED_AGAIN
    row.review_comment = comment.strip()
    row.reviewed_by, row.reviewed_at = by, timezone.now()
    row.save(update_fields=["review", "review_comment", "reviewed_by", "reviewed_at"])
    audit_log(
        actor=by,
        action="supplier_answer_asked_again",
        target=row.item.assessment,
        summary=f"Asked the supplier again about {row.item.checklist_item.code}: {row.review_comment}",
        data={"request": row.request_id, "item": row.item_id},
    )
    return _close_if_reviewed(row.request, by, base_url=base_url)


def _close_if_reviewed(request, by, base_url=""):
    if request.items.filter(review=ReviewStatus.PENDING).exists():
        return None
    request.status = RequestStatus.CLOSED
    request.save(update_fields=["status", "updated_at"])
    again = list(
        request.items.filter(review=ReviewStatus.ASKED_AGAIN).select_related(
            "item__checklist_item", "item__assessment"
        )
    )
    if not again:
        return None
    today = timezone.localdate()
    due_date = max(
        request.due_date, today + datetime.timedelta(days=settings.SUPPLIER_LINK_ASK_AGAIN_DAYS)
    )
    return supplier_request_create(
        assessment=request.assessment,
        data={
            "recipient_name": request.recipient_name,
            "recipient_email": request.recipient_email,
            "due_date": due_date,
            "message": request.message,
            "comments": {row.item_id: row.review_comment for row in again},
        },
        items=[row.item for row in again],
        yes_no_items=[row.item_id for row in again if row.asks_yes_no],
        by=by,
        base_url=base_url,
        previous=request,
    )


@transaction.atomic
def supplier_documentation_record(*, request, by):
    """Record what the supplier entered as a draft MDF version and training summary of the
    model, through the documentation app, for the buyer to check and confirm there."""
    request = SupplierRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in (RequestStatus.SUBMITTED, RequestStatus.CLOSED):
        raise ValidationError(_("Only submitted answers can be reviewed."))
    if request.documentation_recorded:
        raise ValidationError(_("The supplier's documentation is already recorded."))
    model = request.assessment.model
    source = f"Supplier link ({request.recipient_email})"
    recorded = []
    if request.mdf_entry:
        specs = documentation_queries.specs_of(documentation_queries.current_catalogue())
        form = documentation_forms.MdfForm(request.mdf_entry, specs=specs)
        if form.is_valid():
            recorded.append(
                documentation_services.mdf_create(
                    model=model, meta=form.meta(), values=form.values(), by=by, source_name=source
                )
            )
    if request.summary_entry:
        form = documentation_forms.SummaryForm(request.summary_entry)
        if form.is_valid():
            recorded.append(
                documentation_services.summary_create(
                    model=model, data=form.data_for_record(), by=by, source_name=source
                )
            )
    if not recorded:
        raise ValidationError(_("The supplier entered no documentation to record."))
    request.documentation_recorded = True
    request.save(update_fields=["documentation_recorded", "updated_at"])
    audit_log(
        actor=by,
        action="supplier_documentation_recorded",
        target=request.assessment,
        summary=f"Recorded the supplier's documentation as drafts: {', '.join(map(str, recorded))}",
        data={"request": request.pk},
    )
    return recorded


@transaction.atomic
def supplier_reminders_stop(*, request):
    request = SupplierRequest.objects.select_for_update().get(pk=request.pk)
    if not request.reminders_stopped:
        request.reminders_stopped = True
        request.save(update_fields=["reminders_stopped", "updated_at"])
        _supplier_audit(request, "supplier_reminders_stopped", "Supplier stopped the reminders")
    return request
