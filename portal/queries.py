"""The querysets the supplier-link pages read."""

from django.db.models import Count, F, Q

from core.links import row_link
from core.statements import Statement
from portal.models import RequestItem, RequestStatus, ReviewStatus, SupplierRequest

ASSESSMENT_PAGE_REQUESTS = 10  # the newest requests the assessment page lists


def requests_of(assessment):
    """An assessment's supplier requests, newest first, with their counts."""
    return (
        SupplierRequest.objects.filter(assessment=assessment)
        .annotate(
            item_count=Count("items", distinct=True),
            to_review=Count("items", filter=Q(items__review=ReviewStatus.PENDING), distinct=True),
        )
        .order_by("-created_at", "-pk")
        # What the assessment page lists of each request, without its texts.
        .only("assessment", "recipient_email", "status", "due_date")
    )


# What the assessment page shows of its requests and of the answers to review, as rows: the
# page reads them on every visit, and their SQL is composed once per process (core.statements).
_page_requests = Statement(
    lambda assessment_pk: requests_of(assessment_pk).values(
        "pk", "recipient_email", "status", "due_date", "item_count", "to_review"
    )[:ASSESSMENT_PAGE_REQUESTS]
)
_page_answers = Statement(
    lambda assessment_pk: answers_to_review(assessment_pk).values(
        "pk",
        "request_id",
        code=F("item__checklist_item__code"),
        title=F("item__checklist_item__title"),
    )
)
STATUS_LABELS = dict(RequestStatus.choices)


def for_assessment_page(assessment):
    """(the newest requests, the answers to review) of an assessment, as rows with their
    links: each request with its `url` and `status_label`, each answer with its request's
    `url` and the item's `code` and `title`."""
    request_url = row_link("portal:request_detail", assessment.pk)
    requests = _page_requests.rows(params=[assessment.pk])
    for row in requests:
        row["url"], row["status_label"] = request_url(row["pk"]), STATUS_LABELS[row["status"]]
    answers = _page_answers.rows(params=[assessment.pk])
    for row in answers:
        row["url"] = request_url(row["request_id"])
    return requests, answers


def answers_to_review(assessment):
    """The items the supplier answered that wait for the owner's review, with their request."""
    return (
        RequestItem.objects.filter(
            request__assessment=assessment,
            request__status=RequestStatus.SUBMITTED,
            review=ReviewStatus.PENDING,
        )
        .select_related("item__checklist_item", "request")
        .order_by("item__checklist_item__order", "item__checklist_item__code", "pk")
        # A link per answer: neither the answers nor the checklist's guidance are read.
        .only(
            "request__assessment",
            "item__checklist_item__code",
            "item__checklist_item__title",
        )
    )


def request_for_detail(queryset):
    return queryset.select_related(
        "assessment__supplier", "assessment__model", "assessment__owner", "created_by"
    ).prefetch_related("items__item__checklist_item", "items__files", "items__reviewed_by")


def awaiting_counts(today):
    """For the dashboard: requests awaiting the supplier, how many of them are overdue, and
    answered requests awaiting the owner's review. One query."""
    return SupplierRequest.objects.filter(
        status__in=[RequestStatus.SENT, RequestStatus.SUBMITTED]
    ).aggregate(
        awaiting=Count("pk", filter=Q(status=RequestStatus.SENT)),
        overdue=Count("pk", filter=Q(status=RequestStatus.SENT, due_date__lt=today)),
        answered=Count("pk", filter=Q(status=RequestStatus.SUBMITTED)),
    )
