"""The supplier link from request to review, through the pages as the supplier and the owner
use them."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.audit import audit_entries_for
from core.roles import PROCUREMENT
from diligence.models import AssessmentStatus, Evidence, ItemStatus
from documentation.models import MdfDocument
from portal import services
from portal.models import RequestStatus, ReviewStatus, SupplierRequest
from tests.factories import MINIMAL_PDF, UserFactory
from tests.portal.conftest import answers_url

pytestmark = pytest.mark.django_db


def _answers_post(request, **extra):
    rows = list(request.items.order_by("pk"))
    data = {}
    for index, row in enumerate(rows):
        data[f"item-{row.pk}-answer_text"] = f"Answer {index + 1}"
        data[f"item-{row.pk}-answer_links"] = ""
        if row.asks_yes_no:
            data[f"item-{row.pk}-answer_yes_no"] = "yes"
    data.update(extra)
    return rows, data


def test_the_request_emails_a_link_that_opens_the_supplier_page(
    assessment, send_request, smtp_inbox
):
    request, link = send_request(assessment)
    assert smtp_inbox.messages[0]["To"] == "answers@supplier.example"
    supplier = Client()
    response = supplier.get(link)
    assert response.status_code == 302
    assert response["Location"] == answers_url()
    assert response["Referrer-Policy"] == "no-referrer"
    page = supplier.get(answers_url())
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    content = page.content.decode()
    for row in request.items.select_related("item__checklist_item"):
        assert row.item.checklist_item.code in content
        assert html.escape(row.guidance.splitlines()[0]) in content
    assert "Please answer these." in content


def test_the_whole_loop_answers_uploads_submits_accepts_and_asks_again(
    assessment, send_request, smtp_inbox, procurement_client, django_capture_on_commit_callbacks
):
    request, link = send_request(assessment, asks_mdf=True)
    supplier = Client()
    supplier.get(link)
    rows, data = _answers_post(request, save="1")
    data[f"file-{rows[0].pk}-file"] = SimpleUploadedFile(
        "policy.pdf", MINIMAL_PDF, "application/pdf"
    )
    data[f"item-{rows[1].pk}-answer_links"] = "https://supplier.example/model-card"
    response = supplier.post(answers_url(), data)
    assert response.status_code == 302
    rows[0].refresh_from_db()
    assert rows[0].answer_text == "Answer 1"
    assert rows[0].answer_yes_no == "yes"
    assert rows[0].files.get().original_name == "policy.pdf"

    mdf_page = supplier.get(reverse("portal:mdf"))
    form = mdf_page.context["form"]
    key = form.specs[0].key
    response = supplier.post(
        reverse("portal:mdf"),
        {"document_version": "1.0", "last_updated": "2026-10-01", f"value__{key}": "Our model"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.mdf_entry["document_version"] == "1.0"

    _, data = _answers_post(request, submit="1")
    data[f"item-{rows[1].pk}-answer_links"] = "https://supplier.example/model-card"
    with django_capture_on_commit_callbacks(execute=True):
        response = supplier.post(answers_url(), data)
    assert response["Location"] == reverse("portal:submitted")
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert any(
        "submitted the answers" in body for body in smtp_inbox.bodies(assessment.owner.email)
    )

    page = procurement_client.get(assessment.get_absolute_url())
    assert "Supplier answered" in page.content.decode()
    detail = procurement_client.get(request.get_absolute_url())
    assert "Answer 1" in detail.content.decode()

    procurement_client.post(
        reverse("portal:answer_accept", args=[assessment.pk, request.pk, rows[0].pk])
    )
    item = rows[0].item
    item.refresh_from_db()
    assert item.status == ItemStatus.RECEIVED
    evidence = Evidence.objects.get(item=item)
    assert evidence.original_name == "policy.pdf"
    assert item.notes == ""  # the supplier's text stays apart from the buyer's notes

    before = len(smtp_inbox.messages)
    with django_capture_on_commit_callbacks(execute=True):
        response = procurement_client.post(
            reverse("portal:answer_ask_again", args=[assessment.pk, request.pk, rows[1].pk]),
            {"comment": "The model card does not state the training cut-off."},
        )
    follow_up = SupplierRequest.objects.get(previous=request)
    assert response["Location"] == follow_up.get_absolute_url()
    assert list(follow_up.items.values_list("item", flat=True)) == [rows[1].item_id]
    assert len(smtp_inbox.messages) == before + 1
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
    rows[1].refresh_from_db()
    assert rows[1].review == ReviewStatus.ASKED_AGAIN

    new_link = smtp_inbox.last_link("answers@supplier.example")
    assert new_link != link
    again = Client()
    again.get(new_link)
    page = again.get(answers_url()).content.decode()
    assert "does not state the training cut-off" in page
    assert rows[0].item.checklist_item.title not in page

    procurement_client.post(
        reverse("portal:documentation_record", args=[assessment.pk, request.pk])
    )
    document = MdfDocument.objects.get(model=assessment.model)
    assert document.is_draft and document.document_version == "1.0"

    actors = {entry.who for entry in audit_entries_for(assessment)}
    assert "supplier (via link, answers@supplier.example)" in actors


def _in_review(assessment):
    assessment.status = AssessmentStatus.IN_REVIEW
    assessment.reviewer = UserFactory(role=PROCUREMENT)
    assessment.save(update_fields=["status", "reviewer"])
    return assessment.reviewer


def test_the_owner_cannot_send_a_request_while_the_assessment_is_in_review(
    assessment, send_request
):
    _in_review(assessment)
    with pytest.raises(ValidationError, match="in review"):
        send_request(assessment)
    assert not SupplierRequest.objects.exists()


def test_the_owner_cannot_take_in_answers_while_in_review_but_the_reviewer_can(
    assessment, send_request, procurement_client
):
    request, link = send_request(assessment)
    supplier = Client()
    supplier.get(link)
    rows, data = _answers_post(request, submit="1")
    supplier.post(answers_url(), data)
    reviewer = _in_review(assessment)

    url = reverse("portal:answer_accept", args=[assessment.pk, request.pk, rows[0].pk])
    response = procurement_client.post(url, follow=True)
    assert "in review" in html.unescape(response.content.decode())
    rows[0].refresh_from_db()
    assert rows[0].review == ReviewStatus.PENDING
    assert not Evidence.objects.filter(item=rows[0].item).exists()

    services.supplier_answer_accept(request_item=rows[0], by=reviewer)
    rows[0].refresh_from_db()
    assert rows[0].review == ReviewStatus.ACCEPTED
