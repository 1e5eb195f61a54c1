"""Procurement enters a Model Documentation Form, sees what is complete and what it may still
ask for, and finds the completeness next to the checklist item."""

import datetime

import pytest
from playwright.sync_api import expect

from core.roles import PROCUREMENT
from diligence import services as diligence_services
from tests.factories import GPAIModelFactory, SupplierFactory, UserFactory

PASSWORD = "a-demo-password-for-the-browser"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_entry_then_completeness_then_checklist_hint(page, tmp_path):
    buyer = UserFactory(username="paula", role=PROCUREMENT, password=PASSWORD)
    supplier = SupplierFactory(name="Example Labs", legal_name="Example Labs SAS", country="FR")
    model = GPAIModelFactory(supplier=supplier, name="Example Small", version="3")
    assessment = diligence_services.assessment_start(
        model=model,
        reference="TENDER-2026-014",
        purpose="Summarising tender documents.",
        owner=buyer,
        due_date=datetime.date.today() + datetime.timedelta(days=30),
        by=buyer,
    )
    item = assessment.items.get(checklist_item__code="DOC-11")

    page.goto(model.get_absolute_url())
    page.get_by_label("Username").fill("paula")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Documentation").click()
    page.get_by_role("link", name="Enter an MDF").click()

    page.get_by_label("Document version").fill("1.0")
    page.get_by_label("Last updated").fill("2026-10-01")
    page.get_by_label("Downstream information requested on").fill("2026-11-20")
    page.get_by_label("1.1 Legal name of the model provider").fill("Example Labs SAS")
    page.get_by_label("1.2 Model name").fill("Example Small 3")
    page.locator("[data-field=model-dependencies]").get_by_label("N/A").check()
    page.get_by_label("2.1 Model architecture").fill("Decoder-only transformer.")
    # One significant figure, in a field for the authorities only: flagged, never "missing".
    page.get_by_label("2.9 Total number of parameters").fill("2e10")
    page.get_by_role("button", name="Save draft").click()

    completeness = page.get_by_test_id("completeness")
    expect(completeness).to_contain_text("downstream providers present")
    expect(completeness).to_contain_text("answer due by 4 Dec 2026")
    expect(completeness).to_contain_text("contractual request")
    parameters = page.locator("[data-field=parameters]")
    expect(parameters).to_contain_text("contractual request (NDA)")
    expect(parameters).to_contain_text("at least two significant figures")
    expect(page.locator("[data-field=licence]")).to_contain_text("missing")
    expect(page.get_by_test_id("request-email")).to_contain_text("3.2 Licence")
    page.screenshot(path=tmp_path / "mdf.png", full_page=True)

    page.goto(item.get_absolute_url())
    hints = page.get_by_test_id("item-hints")
    expect(hints).to_contain_text("4 of ")
    expect(hints).to_contain_text("downstream field(s) missing")
    expect(hints).to_contain_text("Suggested: requested")
    expect(hints).to_contain_text("you decide")
    item.refresh_from_db()
    assert item.status == "open"
