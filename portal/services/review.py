"""Back in the app: the owner accepts each answer (its files and links become the item's
evidence) or asks again about it, and records the supplier's documentation as drafts."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diligence import services as diligence_services
from diligence.models import ItemStatus
from documentation import forms as documentation_forms
from documentation import queries as documentation_queries
from documentation import services as documentation_services
from portal.models import RequestItem, RequestStatus, ReviewStatus, SupplierRequest
from portal.services.requests import (
    buyer_audit,
    require_buyer_may_change,
    supplier_request_create,
)


def _review_row(request_item, by):
    row = (
        RequestItem.objects.select_for_update()
        .select_related("request__assessment")
        .get(pk=request_item.pk)
    )
    require_buyer_may_change(row.request.assessment, by)
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
    buyer_audit(
        row.request,
        "supplier_answer_accepted",
        f"Accepted the supplier's answer on {item.checklist_item.code}",
        by=by,
        data={"item": item.pk},
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
    buyer_audit(
        row.request,
        "supplier_answer_asked_again",
        f"Asked the supplier again about {row.item.checklist_item.code}: {row.review_comment}",
        by=by,
        data={"item": row.item_id},
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
    buyer_audit(
        request,
        "supplier_documentation_recorded",
        f"Recorded the supplier's documentation as drafts: {', '.join(map(str, recorded))}",
        by=by,
    )
    return recorded
