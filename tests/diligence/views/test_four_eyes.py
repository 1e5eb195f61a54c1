"""Four eyes that route themselves: the owner names a reviewer, who is emailed (through a real
SMTP server on loopback) and sees the assessment awaiting a decision; changes requested go
back to the owner by email; the owner cannot change items while in review."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEntry
from diligence import services
from diligence.models import AssessmentStatus
from tests.diligence.views.support import NEXT_YEAR, PDF, _page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_submit_notify_request_changes_resubmit_and_decide(
    procurement_client,
    procurement_user,
    reviewer_client,
    reviewer,
    assessment,
    smtp_inbox,
    settings,
):
    settings.SITE_URL = "https://dd.example.org"  # the address of the links in the email
    submit = reverse("diligence:assessment_submit", args=[assessment.pk])
    decide = reverse("diligence:assessment_decide", args=[assessment.pk])
    procurement_client.post(submit, {"reviewer": reviewer.pk, "confirm": "1"})

    # The reviewer is emailed, with a link to decide.
    [message] = smtp_inbox.messages
    assert message["To"] == reviewer.email
    assert message["Subject"] == "Please decide: TENDER-2025-07 – Mistral AI"
    assert f"https://dd.example.org{decide}" in message.get_content()

    # ... and sees it on the dashboard and in My follow-ups; the owner does not.
    home = _page(reviewer_client.get(reverse("home")))
    assert "Awaiting your decision" in home and "TENDER-2025-07" in home
    follow_ups = reviewer_client.get(reverse("follow_ups"))
    assert "Awaiting your decision" in follow_ups.context["groups"]
    assert "Awaiting your decision" not in _page(procurement_client.get(reverse("home")))

    # The owner cannot change items while in review, and is offered no Decide form.
    item = assessment.items.get(checklist_item__code="DOC-10")
    with pytest.raises(ValidationError, match="in review"):
        services.assessment_item_update(
            item=item,
            data={"status": "requested"},
            expected_version=item.version,
            by=procurement_user,
        )
    owner_decide = procurement_client.get(decide, follow=True)
    assert owner_decide.redirect_chain[-1][0] == assessment.get_absolute_url()
    assert "Record decision" not in _page(owner_decide)

    # The reviewer requests changes with a comment: audited, the owner emailed.
    reviewer_client.post(
        reverse("diligence:assessment_return", args=[assessment.pk]),
        {"reason": "DOC-12 is missing"},
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert AuditEntry.objects.filter(
        action="assessment_returned", summary="Changes requested: DOC-12 is missing"
    ).exists()
    to_owner = smtp_inbox.messages[-1]
    assert to_owner["To"] == procurement_user.email
    assert "DOC-12 is missing" in to_owner.get_content()

    # Resubmitted, then decided with notes.
    procurement_client.post(submit, {"reviewer": reviewer.pk, "confirm": "1"})
    page = reviewer_client.get(decide)
    assert page.context["summary"]["open_required"]
    reviewer_client.post(
        decide,
        {
            "outcome": "approved_with_conditions",
            "conditions": "Deliver DOC-12 within 30 days.",
            "valid_until": NEXT_YEAR.isoformat(),
            "notes": "Checked with Legal.",
        },
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DECIDED
    assert assessment.decision.notes == "Checked with Legal."
    assert len(smtp_inbox.messages) == 3


def test_the_reviewer_must_be_allowed_to_decide_and_not_the_owner(
    assessment, procurement_user, viewer_user
):
    for reviewer in (procurement_user, viewer_user):
        with pytest.raises(ValidationError, match="Choose a colleague who may decide"):
            services.assessment_submit(
                assessment=assessment, by=procurement_user, reviewer=reviewer
            )


@pytest.mark.django_db
def test_a_decision_takes_notes_and_an_attachment_checked_as_evidence(
    procurement_user, reviewer_client, reviewer, assessment, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    services.assessment_submit(assessment=assessment, by=procurement_user, reviewer=reviewer)
    decide = reverse("diligence:assessment_decide", args=[assessment.pk])
    data = {"outcome": "rejected", "valid_until": NEXT_YEAR.isoformat(), "notes": "See minutes."}

    refused = reviewer_client.post(
        decide, {**data, "attachment": SimpleUploadedFile("minutes.pdf", b"not a pdf")}
    )
    assert refused.context["form"].errors["attachment"]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_REVIEW

    reviewer_client.post(decide, {**data, "attachment": SimpleUploadedFile("minutes.pdf", PDF)})
    assessment.refresh_from_db()
    decision = assessment.decision
    assert (decision.notes, decision.original_name) == ("See minutes.", "minutes.pdf")
    download = reverse("diligence:decision_attachment_download", args=[assessment.pk, decision.pk])
    assert download in _page(reviewer_client.get(assessment.get_absolute_url()))
    response = reviewer_client.get(download)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="minutes.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    entry = AuditEntry.objects.filter(action="evidence_downloaded").latest("pk")
    assert (entry.actor, entry.target, entry.data) == (
        reviewer,
        assessment,
        {"decision": decision.pk},
    )
    # Under another assessment's address, the attachment is not found, and nothing is logged.
    downloads = AuditEntry.objects.filter(action="evidence_downloaded").count()
    elsewhere = reverse(
        "diligence:decision_attachment_download", args=[assessment.pk + 1000, decision.pk]
    )
    assert reviewer_client.get(elsewhere).status_code == 404
    assert AuditEntry.objects.filter(action="evidence_downloaded").count() == downloads
