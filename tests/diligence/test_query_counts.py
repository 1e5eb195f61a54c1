"""The assessment pages read a fixed number of queries, however many items, evidence versions,
decisions and assessments there are."""

import pytest
from django.urls import reverse

from core.audit import audit_log
from diligence.models import Evidence
from tests.factories import (
    AssessmentFactory,
    ChecklistFactory,
    ChecklistItemFactory,
    DecisionFactory,
    EvidenceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CATEGORIES = ["documentation", "copyright", "safety_security"]
# Session, user, the user's permissions (2) and groups, then the page's own reads, and the
# supplier link's card (its requests).
MAX_DETAIL_QUERIES = 12
# The item page also reads its neighbours under the filters and offers the assignees.
MAX_ITEM_QUERIES = 11
MAX_LIST_QUERIES = 11


def _count(client, url, django_assert_max_num_queries, limit):
    client.get(url)  # warm caches that live for the whole process (content types)
    with django_assert_max_num_queries(limit) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _evidence_versions(item, count):
    """`count` versions of one document, each superseding the one before."""
    previous = None
    for _ in range(count):
        current = EvidenceFactory(item=item, supersedes=previous)
        if previous is not None:
            Evidence.objects.filter(pk=previous.pk).update(is_current=False)
        previous = current
    return previous


def _assessment(item_count, versions):
    """An assessment on its own checklist of `item_count` items across the three categories,
    each with `versions` evidence versions, a few item reviewers, two decisions on record and
    audit entries."""
    checklist = ChecklistFactory(status="published")
    for index in range(item_count):
        ChecklistItemFactory(
            checklist=checklist,
            category=CATEGORIES[index % 3],
            required=index % 4 != 0,
            applies_to="systemic_risk_only" if index % 10 == 9 else "all_gpai",
        )
    assessment = AssessmentFactory(checklist=checklist, with_items=True)
    reviewers = UserFactory.create_batch(3)
    for index, item in enumerate(assessment.items.all()):
        item.status = ["open", "requested", "accepted", "gap"][index % 4]
        item.applicable = item.checklist_item.applies_to == "all_gpai"
        item.reviewer = reviewers[index % 3]
        item.save()
        _evidence_versions(item, versions)
    DecisionFactory(assessment=assessment, decided_by=reviewers[0], outcome="rejected")
    assessment.refresh_from_db()
    assessment.revision = 2
    assessment.status = "in_review"
    assessment.decision = None
    assessment.save()
    for reviewer in reviewers:
        audit_log(actor=reviewer, action="noted", target=assessment, summary="Looked at it")
    return assessment


@pytest.mark.parametrize("role", ["procurement_client", "viewer_client"])
def test_assessment_detail_queries_do_not_grow_with_items_or_evidence(
    request, django_assert_max_num_queries, role
):
    client = request.getfixturevalue(role)
    small = _assessment(item_count=3, versions=1)
    large = _assessment(item_count=50, versions=5)
    # Both pages offer the move to a newer version.
    ChecklistItemFactory(checklist=ChecklistFactory(status="published"))

    with_3 = _count(
        client, small.get_absolute_url(), django_assert_max_num_queries, MAX_DETAIL_QUERIES
    )
    with_50 = _count(
        client, large.get_absolute_url(), django_assert_max_num_queries, MAX_DETAIL_QUERIES
    )

    assert with_50 == with_3


def test_item_page_queries_do_not_grow_with_evidence_versions(
    procurement_client, django_assert_max_num_queries
):
    small = _assessment(item_count=1, versions=1).items.get()
    large = _assessment(item_count=1, versions=5).items.get()
    for item in (small, large):
        for status in ("requested", "gap", "accepted"):
            item.status = status
            item.save()

    one = _count(
        procurement_client,
        small.get_absolute_url(),
        django_assert_max_num_queries,
        MAX_ITEM_QUERIES,
    )
    five = _count(
        procurement_client,
        large.get_absolute_url(),
        django_assert_max_num_queries,
        MAX_ITEM_QUERIES,
    )

    assert five == one
    assert len(procurement_client.get(large.get_absolute_url()).context["evidence"]) == 5


def _add_assessments(count):
    owners = UserFactory.create_batch(3, role="Procurement")
    for index in range(count):
        assessment = AssessmentFactory(owner=owners[index % 3], with_items=True)
        if index % 3 == 0:
            DecisionFactory(assessment=assessment)


@pytest.mark.parametrize("query", [{}, {"status": "decided"}, {"overdue": "on", "q": "TENDER"}])
def test_assessment_list_queries_do_not_grow_with_assessments(
    viewer_client, django_assert_max_num_queries, query
):
    url = reverse("diligence:assessment_list")
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())

    _add_assessments(5)
    with_5 = _count(viewer_client, url, django_assert_max_num_queries, MAX_LIST_QUERIES)
    _add_assessments(60)
    with_65 = _count(viewer_client, url, django_assert_max_num_queries, MAX_LIST_QUERIES)

    assert with_65 == with_5


@pytest.mark.parametrize(
    "query", ["show=open", "show=gaps&required=on", "q=item", "show=open&required=on&q=1"]
)
def test_filtered_assessment_page_queries_do_not_grow_with_items(
    procurement_client, django_assert_max_num_queries, query
):
    small = _assessment(item_count=3, versions=1)
    large = _assessment(item_count=50, versions=2)
    ChecklistItemFactory(checklist=ChecklistFactory(status="published"))  # both may move
    counts = [
        _count(
            procurement_client,
            f"{a.get_absolute_url()}?{query}",
            django_assert_max_num_queries,
            MAX_DETAIL_QUERIES,
        )
        for a in (small, large)
    ]
    assert counts[0] == counts[1]


def test_bulk_status_queries_do_not_grow_with_the_items_page(
    procurement_user, procurement_client, django_assert_max_num_queries
):
    """The page after a bulk change reads as many queries, however many items changed."""
    assessments = [_assessment(item_count=size, versions=1) for size in (3, 30)]
    ChecklistItemFactory(checklist=ChecklistFactory(status="published"))  # both may move
    counts = []
    for assessment in assessments:
        assessment.status = "draft"
        assessment.owner = procurement_user
        assessment.save()
        items = [i for i in assessment.items.all() if i.applicable]
        procurement_client.post(
            reverse("diligence:items_bulk_status", args=[assessment.pk]),
            {"status": "requested", "items": [f"{i.pk}:{i.version}" for i in items]},
        )
        assert all(i.status == "requested" for i in assessment.items.filter(applicable=True))
        counts.append(
            _count(
                procurement_client,
                assessment.get_absolute_url(),
                django_assert_max_num_queries,
                MAX_DETAIL_QUERIES,
            )
        )
    assert counts[0] == counts[1]
