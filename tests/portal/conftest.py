"""Fixtures of the supplier-link tests: an assessment with items, and a request whose link is
read from the email that reached the SMTP server on loopback (`smtp_inbox`)."""

import pytest
from django.urls import reverse

from diligence.models import AssessmentItem
from portal import services
from tests.factories import AssessmentFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


@pytest.fixture
def assessment(procurement_user):
    return AssessmentFactory(owner=procurement_user, created_by=procurement_user, with_items=True)


def open_items(assessment, count=2):
    return list(
        AssessmentItem.objects.filter(assessment=assessment)
        .select_related("checklist_item")
        .order_by("checklist_item__order")[:count]
    )


@pytest.fixture
def send_request(smtp_inbox, django_capture_on_commit_callbacks):
    """Send a request and return (request, link path) as the supplier receives it."""

    def send(assessment, *, email="answers@supplier.example", items=None, **data):
        items = open_items(assessment) if items is None else items
        with django_capture_on_commit_callbacks(execute=True):
            request = services.supplier_request_create(
                assessment=assessment,
                data={
                    "recipient_name": "Sam Supplier",
                    "recipient_email": email,
                    "due_date": assessment.due_date,
                    "message": "Please answer these.",
                    **data,
                },
                items=items,
                yes_no_items=[items[0].pk] if items else [],
                by=assessment.owner,
                base_url="http://testserver/",
            )
        return request, smtp_inbox.last_link(email)

    return send


def answers_url():
    return reverse("portal:answers")
