"""Four eyes in the browser: the owner submits to a named reviewer, who is emailed, finds it
awaiting a decision, requests changes; the owner resubmits and the reviewer approves. The owner
never sees the Decide form."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from core.roles import PROCUREMENT
from diligence import services
from diligence.models import ItemStatus
from tests.factories import GPAIModelFactory, SupplierFactory, UserFactory

PASSWORD = "a-demo-password-for-the-browser"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _sign_in(page, username):
    page.goto(reverse("home"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible()


def _sign_out(page):
    page.get_by_role("button", name=re.compile("^Account menu for")).click()
    page.get_by_role("button", name="Sign out").click()


def test_submit_notify_request_changes_resubmit_approve(page):
    paula = UserFactory(
        username="paula", first_name="Paula", last_name="Buyer", role=PROCUREMENT, password=PASSWORD
    )
    UserFactory(
        username="rita",
        first_name="Rita",
        last_name="Reviewer",
        role=PROCUREMENT,
        password=PASSWORD,
    )
    model = GPAIModelFactory(supplier=SupplierFactory(name="Mistral AI"), name="Mistral Medium")
    assessment = services.assessment_start(
        model=model,
        reference="TENDER-2026-04",
        purpose="Customer replies.",
        owner=paula,
        due_date=datetime.date.today() + datetime.timedelta(days=20),
        by=paula,
    )
    # Every required item accepted; the recommended ones stay open.
    for item in assessment.items.filter(applicable=True, checklist_item__required=True):
        services.assessment_item_update(
            item=item, data={"status": ItemStatus.ACCEPTED}, expected_version=item.version, by=paula
        )
    open_count = assessment.items.filter(applicable=True, status=ItemStatus.OPEN).count()
    assert open_count

    # Paula submits: the open items are listed and must be confirmed; she names Rita.
    _sign_in(page, "paula")
    page.goto(assessment.get_absolute_url())
    page.get_by_role("button", name="Submit for review").click()
    expect(
        page.get_by_role("heading", name=f"{open_count} items still open or in gap")
    ).to_be_visible()
    page.get_by_label("Reviewer*").select_option(label="Rita Reviewer (rita)")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Confirm that you submit with items still open")).to_be_visible()
    page.get_by_label("Submit with these items as they are").check()
    page.get_by_label("Reviewer*").select_option(label="Rita Reviewer (rita)")
    page.get_by_role("button", name="Submit for review").click()
    expect(
        page.get_by_text("Submitted for review to Rita Reviewer, who has been emailed.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Decide")).to_have_count(0)
    assert [m.to for m in mail.outbox] == [["rita@example.org"]]
    _sign_out(page)

    # Rita finds it awaiting her decision and requests changes.
    _sign_in(page, "rita")
    awaiting = page.get_by_role("region", name="Awaiting your decision")
    awaiting.get_by_role("link", name=re.compile("TENDER-2026-04")).click()
    expect(page.get_by_role("heading", name="Decide on TENDER-2026-04")).to_be_visible()
    page.get_by_role("link", name="TENDER-2026-04").first.click()
    page.get_by_label("Request changes from the owner").fill("Ask for the usage policy too.")
    page.get_by_role("button", name="Request changes").click()
    expect(page.get_by_text("Changes requested; the owner has been emailed.")).to_be_visible()
    assert mail.outbox[-1].to == ["paula@example.org"]
    assert "Ask for the usage policy too." in mail.outbox[-1].body
    _sign_out(page)

    # Paula resubmits; the Decide form is never hers.
    _sign_in(page, "paula")
    page.goto(assessment.get_absolute_url())
    expect(page.get_by_role("link", name="Decide")).to_have_count(0)
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_label("Submit with these items as they are").check()
    page.get_by_label("Reviewer*").select_option(label="Rita Reviewer (rita)")
    page.get_by_role("button", name="Submit for review").click()
    page.goto(reverse("diligence:assessment_decide", args=[assessment.pk]))
    expect(page.get_by_role("button", name="Record decision")).to_have_count(0)
    _sign_out(page)

    # Rita approves.
    _sign_in(page, "rita")
    page.goto(assessment.get_absolute_url())
    page.get_by_role("link", name="Decide").click()
    page.get_by_label("Approved", exact=True).check()
    page.get_by_label("Valid until*").fill(
        (datetime.date.today() + datetime.timedelta(days=365)).isoformat()
    )
    page.get_by_label("Decision notes").fill("Usage policy received.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    expect(page.get_by_role("region", name="Decisions")).to_contain_text(
        "Notes: Usage policy received."
    )
