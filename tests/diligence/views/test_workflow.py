"""Submitting, returning, deciding, reopening and moving an assessment."""

import pytest
from django.test import Client
from django.urls import reverse

from diligence import services
from diligence.models import (
    AssessmentStatus,
    Checklist,
    ItemStatus,
)
from tests.diligence.views.support import (
    NEXT_YEAR,
    TODAY,
    _page,
)
from tests.factories import (
    AssessmentFactory,
    DecisionFactory,
)

pytestmark = pytest.mark.django_db


def test_owner_submits_for_review(procurement_client, assessment, reviewer):
    page = _page(procurement_client.get(assessment.get_absolute_url()))
    assert "Submit for review" in page
    url = reverse("diligence:assessment_submit", args=[assessment.pk])

    # The button opens the page: the items still open, and a reviewer to choose (not the owner).
    opened = procurement_client.post(url)
    assert opened.context["unresolved"]
    assert list(opened.context["form"].fields["reviewer"].queryset) == [reviewer]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT

    # Without confirming the open items, nothing is submitted.
    unconfirmed = procurement_client.post(url, {"reviewer": reviewer.pk, "confirm": ""})
    assert "Confirm that you submit with items still open" in _page(unconfirmed)

    response = procurement_client.post(url, {"reviewer": reviewer.pk, "confirm": "1"}, follow=True)

    assessment.refresh_from_db()
    assert (assessment.status, assessment.reviewer) == (AssessmentStatus.IN_REVIEW, reviewer)
    assert "who has been emailed." in _page(response)


def test_someone_else_cannot_submit_the_owners_assessment(reviewer_client, assessment):
    assert "Submit for review" not in _page(reviewer_client.get(assessment.get_absolute_url()))

    response = reviewer_client.post(
        reverse("diligence:assessment_submit", args=[assessment.pk]), follow=True
    )

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert "Only the owner of the assessment can submit it." in _page(response)


def test_sending_back_needs_a_reason(reviewer_client, assessment, procurement_user):
    services.assessment_submit(assessment=assessment, by=procurement_user)
    url = reverse("diligence:assessment_return", args=[assessment.pk])

    refused = reviewer_client.post(url, {"reason": " "}, follow=True)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_REVIEW
    assert "Say why the assessment goes back to the owner." in _page(refused)

    reviewer_client.post(url, {"reason": "DOC-12 is missing"})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_owner_sees_no_decide_button_and_cannot_decide(
    procurement_client, assessment, procurement_user
):
    services.assessment_submit(assessment=assessment, by=procurement_user)
    decide_url = reverse("diligence:assessment_decide", args=[assessment.pk])
    assert decide_url not in _page(procurement_client.get(assessment.get_absolute_url()))
    # The owner is sent back to the assessment, by GET and by POST alike; no form is offered.
    opened = procurement_client.get(decide_url, follow=True)
    assert "Record decision" not in _page(opened)

    response = procurement_client.post(
        decide_url, {"outcome": "rejected", "valid_until": NEXT_YEAR.isoformat()}, follow=True
    )

    assert "Someone other than the owner must decide (four-eyes principle)." in _page(response)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_REVIEW


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        (
            {"outcome": "approved"},
            {
                "outcome": [
                    "18 required item(s) are not accepted. Approve with conditions or reject instead."
                ]
            },
        ),
        (
            {"outcome": "approved_with_conditions", "conditions": ""},
            {"conditions": ["State the conditions of the approval."]},
        ),
        (
            {"outcome": "rejected", "valid_until": TODAY.isoformat()},
            {"valid_until": ["The decision must be valid until a date in the future."]},
        ),
    ],
    ids=["unresolved-items", "no-conditions", "valid-until-today"],
)
def test_decide_form_shows_why_a_decision_is_refused(
    reviewer_client, assessment, procurement_user, form_data, values, errors
):
    services.assessment_submit(assessment=assessment, by=procurement_user)
    url = reverse("diligence:assessment_decide", args=[assessment.pk])
    data = form_data(reviewer_client.get(url).context["form"])

    response = reviewer_client.post(url, {**data, "valid_until": NEXT_YEAR.isoformat(), **values})

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert not assessment.decisions.exists()


def test_reviewer_approves_with_conditions_and_the_assessment_becomes_read_only(
    reviewer_client, reviewer, assessment, item, procurement_user, form_data
):
    services.assessment_submit(assessment=assessment, by=procurement_user)
    detail = _page(reviewer_client.get(assessment.get_absolute_url()))
    url = reverse("diligence:assessment_decide", args=[assessment.pk])
    assert url in detail
    data = form_data(reviewer_client.get(url).context["form"])

    response = reviewer_client.post(
        url,
        {
            **data,
            "outcome": "approved_with_conditions",
            "conditions": "Model card by March",
            "valid_until": NEXT_YEAR.isoformat(),
        },
        follow=True,
    )

    decision = assessment.decisions.get()
    assert (decision.outcome, decision.decided_by) == ("approved_with_conditions", reviewer)
    page = _page(response)
    assert "Decision recorded." in page
    assert "Conditions: Model card by March" in page
    assert "decided and read-only" in page
    assert response.context["can_edit"] is False
    assert reverse("diligence:item_quick_status", args=[assessment.pk, item.pk]) not in page


def test_item_page_of_a_decided_assessment_refuses_changes(
    procurement_client, assessment, item, form_data
):
    url = item.get_absolute_url()
    data = form_data(procurement_client.get(url).context["item_form"])
    DecisionFactory(assessment=assessment)

    page = procurement_client.get(url)
    assert 'name="save_item"' not in _page(page)
    assert 'name="add_evidence"' not in _page(page)
    assert "This assessment is decided;" in _page(page)
    response = procurement_client.post(url, {**data, "status": "gap", "save_item": "1"})

    assert (
        '<div class="alert alert-danger" role="alert"><ul class="errorlist nonfield">'
        "<li>This assessment is decided and read-only. Reopen it to change it.</li>"
    ) in _page(response)
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN


def test_reopening_starts_a_new_revision_and_keeps_the_decision(
    procurement_client, assessment, reviewer
):
    decision = DecisionFactory(assessment=assessment, decided_by=reviewer)

    response = procurement_client.post(
        reverse("diligence:assessment_reopen", args=[assessment.pk]),
        {"reason": "A new model version"},
        follow=True,
    )

    assessment.refresh_from_db()
    assert (assessment.status, assessment.revision) == (AssessmentStatus.DRAFT, 2)
    assert list(response.context["decisions"]) == [decision]
    assert "Reopened as a new revision." in _page(response)


def test_moving_to_a_newer_version_lists_the_removed_items(
    procurement_client, assessment, reviewer
):
    draft = services.checklist_new_draft(source=assessment.checklist, by=reviewer)
    draft.items.filter(code="DOC-03").delete()
    v2 = services.checklist_publish(checklist=draft, by=reviewer)
    page = procurement_client.get(assessment.get_absolute_url())
    assert list(page.context["move_form"].fields["checklist"].queryset) == [v2]

    response = procurement_client.post(
        reverse("diligence:assessment_move", args=[assessment.pk]),
        {"checklist": v2.pk},
        follow=True,
    )

    assessment.refresh_from_db()
    assert assessment.checklist == v2
    assert "Items no longer in the checklist: DOC-03." in _page(response)


def test_moving_to_an_older_version_is_refused(procurement_client, gpai_model, reviewer):
    draft = services.checklist_new_draft(source=services.latest_published_checklist(), by=reviewer)
    services.checklist_publish(checklist=draft, by=reviewer)
    assessment = AssessmentFactory(model=gpai_model)
    client = Client()
    client.force_login(assessment.owner)

    response = client.post(
        reverse("diligence:assessment_move", args=[assessment.pk]),
        {"checklist": Checklist.objects.get(version=2).pk},
        follow=True,
    )

    assessment.refresh_from_db()
    assert assessment.checklist.version == 3
    assert "Choose a newer published checklist version." in _page(response)
