"""The buyer asks: a request with its link sent to the supplier, sent again, or revoked."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from diligence import services as diligence_services
from portal import notify, tokens
from portal.models import RequestItem, RequestStatus, SupplierRequest


def buyer_audit(request, action, summary, *, by, data=None):
    """An audit entry on the request's assessment, by the user who acted on the request."""
    audit_log(
        actor=by,
        action=action,
        target=request.assessment,
        summary=summary,
        data={"request": request.pk, **(data or {})},
    )


def _new_link(request):
    token, token_hash = tokens.token_new()
    request.token_hash = token_hash
    request.token_expires_at = tokens.expiry_for(request.due_date)
    request.sent_at = timezone.now()
    return token


def require_buyer_may_change(assessment, by):
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
    require_buyer_may_change(assessment, by)
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
    buyer_audit(
        request,
        "supplier_request_sent",
        f"Asked {request.recipient_email} through a supplier link: "
        f"{_what_is_asked(request, items)}; due {request.due_date:%-d %b %Y}",
        by=by,
        data={"items": [item.pk for item in items]},
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
    buyer_audit(
        request,
        "supplier_request_resent",
        f"Sent a new supplier link to {request.recipient_email}; the old link no longer works",
        by=by,
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
    buyer_audit(
        request,
        "supplier_request_revoked",
        f"Revoked the supplier link sent to {request.recipient_email}",
        by=by,
    )
    return request
