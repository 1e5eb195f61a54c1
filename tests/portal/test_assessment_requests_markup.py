"""The supplier requests block of the assessment page, read as rows composed once per process
(portal.queries.for_assessment_page), gives the markup the template gave from the records
(tests/portal/data/assessment_requests_before.html is that template as it was)."""

from pathlib import Path

import pytest
from django.template import engines
from django.test import RequestFactory

from portal import queries, services
from portal.models import RequestStatus
from portal.templatetags.supplier_requests import supplier_requests
from tests.portal.conftest import open_items

pytestmark = pytest.mark.django_db

BEFORE = engines["django"].from_string(
    (Path(__file__).parent / "data" / "assessment_requests_before.html").read_text()
)
AFTER = engines["django"].from_string(
    "{% load supplier_requests %}{% supplier_requests assessment %}"
)
HOSTILE = "o'brien+<script>@supplier.example"


def _before(assessment, user):
    return BEFORE.render(
        {
            "show": True,
            "assessment": assessment,
            "requests": list(queries.requests_of(assessment)[: queries.ASSESSMENT_PAGE_REQUESTS]),
            "answered": list(queries.answers_to_review(assessment)),
            "can_ask": supplier_requests({"user": user}, assessment)["can_ask"],
        }
    )


def _after(assessment, user):
    request = RequestFactory().get("/")
    request.user = user
    return AFTER.render({"assessment": assessment, "user": user}, request)


def test_the_block_reads_as_before_with_requests_in_every_state(
    assessment, send_request, procurement_user
):
    assert _after(assessment, procurement_user) == _before(assessment, procurement_user)

    answered, _link = send_request(assessment)
    type(answered).objects.filter(pk=answered.pk).update(recipient_email=HOSTILE)
    rows = list(answered.items.order_by("pk"))
    services.supplier_answers_save(
        request=answered,
        answers={row.pk: {"answer_text": "Done.", "answer_yes_no": "yes"} for row in rows},
    )
    services.supplier_request_submit(request=answered)
    send_request(assessment, email="open@supplier.example", items=open_items(assessment, 1))
    for status in (RequestStatus.CLOSED, RequestStatus.REVOKED):
        closed, _link = send_request(assessment, email=f"{status}@supplier.example")
        type(closed).objects.filter(pk=closed.pk).update(status=status)

    after = _after(assessment, procurement_user)

    assert after == _before(assessment, procurement_user)
    assert "o&#x27;brien+&lt;script&gt;@supplier.example" in after
    assert after.count("#row-") == len(rows)
    for label in ("Supplier answered", "Awaiting the supplier", "Reviewed", "Revoked"):
        assert label in after


def test_the_block_lists_the_newest_requests_only(assessment, send_request, procurement_user):
    for number in range(queries.ASSESSMENT_PAGE_REQUESTS + 2):
        send_request(assessment, email=f"r{number}@supplier.example")

    after = _after(assessment, procurement_user)

    assert after == _before(assessment, procurement_user)
    assert after.count("@supplier.example</a>") == queries.ASSESSMENT_PAGE_REQUESTS
    assert "r0@supplier.example" not in after


def test_a_viewer_sees_the_block_without_the_button_to_ask(assessment, send_request, viewer_user):
    send_request(assessment)

    after = _after(assessment, viewer_user)

    assert after == _before(assessment, viewer_user)
    assert "Ask the supplier" not in after
