"""Follow-ups on supplier requests: answers awaited from the supplier, overdue ones, and
answers waiting for the owner's review. A source for `core.reminders` (FOLLOW_UP_SOURCES)."""

from core.reminders import OVERDUE, FollowUp, in_days, threshold
from diligence.followups import assessment_title
from portal.models import RequestStatus, SupplierRequest


def supplier_request_follow_ups(today, user=None, *, count=False):
    """Requests awaiting the supplier (reminders to the owner once overdue) and answers to review."""
    queryset = (
        SupplierRequest.objects.filter(status__in=[RequestStatus.SENT, RequestStatus.SUBMITTED])
        .select_related("assessment__supplier", "assessment__model")
        .order_by("due_date", "pk")
    )
    if user is not None:
        queryset = queryset.filter(assessment__owner=user)
    if count:
        return queryset.count()
    result = []
    for request in queryset:
        assessment = request.assessment
        when = f"{request.due_date:%-d %b %Y} ({in_days(request.due_date, today)})"
        submitted = request.status == RequestStatus.SUBMITTED
        overdue = not submitted and threshold(request.due_date, today) == OVERDUE
        if submitted:
            detail = f"{request.recipient_email} answered; review the answers"
        elif overdue:
            detail = f"{request.recipient_email} has not answered; due {when}"
        else:
            detail = f"Awaiting {request.recipient_email}; due {when}"
        result.append(
            FollowUp(
                kind="supplier_request",
                subject=f"supplier_request:{request.pk}:{request.status}",
                due_on=request.due_date,
                title=assessment_title(assessment),
                detail=detail,
                url=request.get_absolute_url(),
                recipients=(assessment.owner_id,),
                threshold=OVERDUE if overdue else None,
                overdue=overdue,
                group="Supplier answers",
            )
        )
    return result


supplier_request_follow_ups.kind = "supplier_request"
supplier_request_follow_ups.permission = "portal.view_supplierrequest"
