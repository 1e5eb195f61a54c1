"""Working many items in the browser: a status saves on change and the progress follows without
a reload; ticked items get one status at once."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.roles import PROCUREMENT
from diligence import services
from tests.factories import GPAIModelFactory, SupplierFactory, UserFactory

PASSWORD = "a-demo-password-for-the-browser"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_save_on_change_and_bulk_status(page):
    paula = UserFactory(username="paula", role=PROCUREMENT, password=PASSWORD)
    model = GPAIModelFactory(supplier=SupplierFactory(name="Mistral AI"), name="Mistral Medium")
    assessment = services.assessment_start(
        model=model,
        reference="TENDER-2026-05",
        purpose="Customer replies.",
        owner=paula,
        due_date=datetime.date.today() + datetime.timedelta(days=20),
        by=paula,
    )
    first, second, third = assessment.items.filter(
        applicable=True, checklist_item__category="documentation"
    )[:3]

    page.goto(reverse("home"))
    page.get_by_label("Username").fill("paula")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(assessment.get_absolute_url())
    progress = page.get_by_role("region", name="Progress by category")
    expect(progress).to_contain_text(re.compile(r"0 of \d+ done"))

    # A status saves as soon as it is chosen; progress and audit trail follow, no reload.
    page.evaluate("window.notReloaded = true")
    page.get_by_label(f"Status of {first.checklist_item.code}").select_option("accepted")
    expect(progress).to_contain_text(re.compile(r"1 of \d+ done"))
    expect(page.get_by_role("region", name="Audit trail")).to_contain_text(
        f"{first.checklist_item.code}: Open → Accepted"
    )
    assert page.evaluate("window.notReloaded") is True

    # Tick two items and request them both.
    page.get_by_label(f"Tick {second.checklist_item.code}").check()
    page.get_by_label(f"Tick {third.checklist_item.code}").check()
    page.get_by_label("Set the ticked items to").select_option("requested")
    page.get_by_role("button", name="Apply to ticked items").click()
    expect(page.get_by_text("2 items set to Requested.")).to_be_visible()
    for item in (second, third):
        expect(page.locator(f"#item-{item.pk} .item-status")).to_have_text("Requested")

    # Filters: only gaps (none), then a title search.
    page.get_by_label("Show").select_option("gaps")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("0 items shown.")).to_be_visible()
