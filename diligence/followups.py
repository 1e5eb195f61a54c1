"""Follow-ups on due diligence: assessments due, decisions and evidence about to expire.

Each function is a source for `core.reminders` (listed in the FOLLOW_UP_SOURCES setting):
`source(today, user=None)` returns the follow-ups that are due (all of them, or those of one
user), in one query. The assessment's owner gets them, since the owner runs the assessment and
asks the supplier for new evidence.
"""

import datetime

from django.urls import reverse

from core.reminders import OVERDUE, FollowUp, in_days, threshold
from diligence.models import Assessment, AssessmentItem, AssessmentStatus, Evidence, ItemStatus

# Follow-ups show on the page from this many days before their date.
WINDOW_DAYS = 30


def assessment_title(assessment):
    return f"{assessment.reference} – {assessment.supplier.name}, {assessment.model}"


def assessment_follow_ups(today, user=None, *, count=False):
    """Open assessments due within the window or overdue; reminders at 30, 7, 1 days and overdue."""
    queryset = (
        Assessment.objects.exclude(status=AssessmentStatus.DECIDED)
        .filter(due_date__lte=today + datetime.timedelta(days=WINDOW_DAYS))
        .select_related("supplier", "model")
        .order_by("due_date", "pk")
    )
    if user is not None:
        queryset = queryset.filter(owner=user)
    if count:
        return queryset.count()
    result = []
    for assessment in queryset:
        crossed = threshold(assessment.due_date, today)
        overdue = crossed == OVERDUE
        when = f"{assessment.due_date:%-d %b %Y} ({in_days(assessment.due_date, today)})"
        result.append(
            FollowUp(
                kind="assessment_due",
                subject=f"assessment:{assessment.pk}",
                due_on=assessment.due_date,
                title=assessment_title(assessment),
                detail=f"Overdue since {when}" if overdue else f"Due {when}",
                url=assessment.get_absolute_url(),
                recipients=(assessment.owner_id,),
                threshold=crossed,
                overdue=overdue,
                group="Assessments due",
            )
        )
    return result


def decision_follow_ups(today, user=None, *, count=False):
    """Decisions that expire within the window (reminders at 30, 7, 1 days) or have expired."""
    queryset = (
        Assessment.objects.filter(
            status=AssessmentStatus.DECIDED,
            decision__valid_until__lte=today + datetime.timedelta(days=WINDOW_DAYS),
        )
        .select_related("supplier", "model", "decision")
        .order_by("decision__valid_until", "pk")
    )
    if user is not None:
        queryset = queryset.filter(owner=user)
    if count:
        return queryset.count()
    result = []
    for assessment in queryset:
        valid_until = assessment.decision.valid_until
        expired = valid_until < today
        when = f"{valid_until:%-d %b %Y} ({in_days(valid_until, today)})"
        result.append(
            FollowUp(
                kind="decision_expiring",
                subject=f"decision:{assessment.decision_id}",
                due_on=valid_until,
                title=assessment_title(assessment),
                detail=(
                    f"Decision expired on {when}: reopen the assessment to re-assess"
                    if expired
                    else f"{assessment.decision.get_outcome_display()}, valid until {when}"
                ),
                url=assessment.get_absolute_url(),
                recipients=(assessment.owner_id,),
                threshold=threshold(valid_until, today, overdue=False),
                overdue=expired,
                group="Decisions expiring",
            )
        )
    return result


def evidence_follow_ups(today, user=None, *, count=False):
    """Current evidence that expires within the window (reminders at 30, 7, 1 days) or has."""
    queryset = (
        Evidence.objects.filter(
            is_current=True,
            valid_until__lte=today + datetime.timedelta(days=WINDOW_DAYS),
        )
        .select_related(
            "item__assessment__supplier", "item__assessment__model", "item__checklist_item"
        )
        .order_by("valid_until", "pk")
    )
    if user is not None:
        queryset = queryset.filter(assessment__owner=user)
    if count:
        return queryset.count()
    result = []
    for evidence in queryset:
        item, assessment = evidence.item, evidence.item.assessment
        expired = evidence.valid_until < today
        when = f"{evidence.valid_until:%-d %b %Y} ({in_days(evidence.valid_until, today)})"
        result.append(
            FollowUp(
                kind="evidence_expiring",
                subject=f"evidence:{evidence.pk}",
                due_on=evidence.valid_until,
                title=f"{evidence.description} ({item.checklist_item.code}, {assessment.reference})",
                detail=f"Expired on {when}" if expired else f"Valid until {when}",
                url=reverse("diligence:item_detail", args=[assessment.pk, item.pk]),
                recipients=(assessment.owner_id,),
                threshold=threshold(evidence.valid_until, today, overdue=False),
                overdue=expired,
                group="Evidence expiring",
            )
        )
    return result


def review_follow_ups(today, user=None, *, count=False):
    """Assessments in review, for the reviewer the owner named: awaiting their decision."""
    queryset = (
        Assessment.objects.filter(status=AssessmentStatus.IN_REVIEW, reviewer__isnull=False)
        .select_related("supplier", "model", "owner")
        .order_by("due_date", "pk")
    )
    if user is not None:
        queryset = queryset.filter(reviewer=user)
    if count:
        return queryset.count()
    result = []
    for assessment in queryset:
        owner = assessment.owner.get_full_name() or assessment.owner.username
        when = f"{assessment.due_date:%-d %b %Y} ({in_days(assessment.due_date, today)})"
        result.append(
            FollowUp(
                kind="review_awaiting",
                subject=f"review:{assessment.pk}:{assessment.revision}",
                due_on=assessment.due_date,
                title=assessment_title(assessment),
                detail=f"Submitted by {owner}; due {when}",
                url=reverse("diligence:assessment_decide", args=[assessment.pk]),
                recipients=(assessment.reviewer_id,),
                threshold=threshold(assessment.due_date, today),
                overdue=assessment.due_date < today,
                group="Awaiting your decision",
            )
        )
    return result


def assigned_item_follow_ups(today, user=None, *, count=False):
    """Items not done yet of draft assessments, for the colleague they are assigned to."""
    queryset = (
        AssessmentItem.objects.filter(
            assignee__isnull=False,
            applicable=True,
            assessment__status=AssessmentStatus.DRAFT,
        )
        .exclude(status__in=[ItemStatus.ACCEPTED, ItemStatus.NOT_APPLICABLE])
        .select_related("assessment__supplier", "assessment__model", "checklist_item")
        .order_by("assessment__due_date", "assessment_id", "checklist_item__order", "pk")
    )
    if user is not None:
        queryset = queryset.filter(assignee=user)
    if count:
        return queryset.count()
    result = []
    for item in queryset:
        assessment = item.assessment
        when = f"{assessment.due_date:%-d %b %Y} ({in_days(assessment.due_date, today)})"
        result.append(
            FollowUp(
                kind="item_assigned",
                subject=f"item:{item.pk}",
                due_on=assessment.due_date,
                title=f"{item.checklist_item.code} {item.checklist_item.title} ({assessment.reference})",
                detail=f"{item.get_status_display()}; the assessment is due {when}",
                url=reverse("diligence:item_detail", args=[assessment.pk, item.pk]),
                recipients=(item.assignee_id,),
                threshold=threshold(assessment.due_date, today),
                overdue=assessment.due_date < today,
                group="Items assigned to you",
            )
        )
    return result


# The kind of follow-up each source gives, and what a person must be allowed to read to be told
# about it (see `core.reminders.may_see`).
assessment_follow_ups.kind = "assessment_due"
assessment_follow_ups.permission = "diligence.view_assessment"
decision_follow_ups.kind = "decision_expiring"
decision_follow_ups.permission = "diligence.view_assessment"
evidence_follow_ups.kind = "evidence_expiring"
evidence_follow_ups.permission = "diligence.view_evidence"
review_follow_ups.kind = "review_awaiting"
review_follow_ups.permission = "diligence.decide_assessment"
assigned_item_follow_ups.kind = "item_assigned"
assigned_item_follow_ups.permission = "diligence.change_assessmentitem"
