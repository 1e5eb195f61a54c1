import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.roles import PROCUREMENT
from tests.factories import UserFactory
from vendors.models import GPAIModel, Supplier

PASSWORD = "a-demo-password-for-the-browser"
SOURCE = "https://digital-strategy.ec.europa.eu/en/policies/contents-code-gpai"
META_SOURCE = "https://www.cnbc.com/2025/07/18/meta-europe-ai-code.html"

# Keep the groups and permissions made by data migrations: a transactional test flushes the
# database, and the browser's requests need committed data.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _sign_in(page, username):
    page.goto(reverse("vendors:supplier_list"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Suppliers", exact=True)).to_be_visible()


def _chapter_card(page, chapter):
    return page.locator(".chapter-card").filter(has=page.get_by_role("heading", name=chapter))


def test_procurement_records_a_supplier_its_model_and_signatures(page, tmp_path):
    UserFactory(
        username="paula", first_name="Paula", last_name="Buyer", role=PROCUREMENT, password=PASSWORD
    )

    _sign_in(page, "paula")

    # The supplier
    page.get_by_role("link", name="Add supplier").click()
    page.get_by_label("Name*").fill("Meta")
    page.get_by_label("Country*").select_option(label="United States of America")
    page.get_by_label("Website").fill("https://ai.meta.com")
    page.get_by_role("button", name="Save supplier").click()
    expect(page.get_by_role("heading", name="Meta", level=1)).to_be_visible()
    expect(page.get_by_text("Supplier “Meta” added.")).to_be_visible()
    for chapter in ("Transparency", "Copyright", "Safety and Security"):
        expect(_chapter_card(page, chapter).locator(".chapter-badge")).to_have_text("Unknown")

    # A model above the compute threshold
    page.get_by_role("link", name="Add model").first.click()
    page.get_by_label("Name*").fill("Llama")
    page.get_by_label("Version").fill("3.1 405B")
    page.get_by_label("Text").check()
    page.get_by_label("Training compute (FLOP)").fill("3.8 × 10^25")
    page.get_by_role("button", name="Save model").click()
    expect(page.get_by_text("Model “Llama 3.1 405B” added to Meta.")).to_be_visible()
    systemic = page.locator(".list-group-item").filter(has_text="Systemic risk")
    expect(systemic.locator(".badge")).to_have_text("Yes")
    expect(systemic).to_contain_text(
        "is above 10^25 FLOP, so high-impact capabilities, and with them systemic risk, are "
        "presumed."
    )
    expect(page.get_by_text("3.8 × 10^25 FLOP", exact=True)).to_be_visible()
    page.screenshot(path=tmp_path / "model.png", full_page=True)

    # The Code of Practice signatures, chapter by chapter
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Meta").click()
    page.get_by_role("link", name="Record signatures").click()
    transparency = page.get_by_role("group", name="Transparency")
    transparency.get_by_label("Status").select_option(label="Signed")
    transparency.get_by_label("Date signed").fill("2025-08-01")
    transparency.get_by_label("Source").fill(SOURCE)
    page.get_by_role("group", name="Copyright").get_by_label("Status").select_option(
        label="Not signed"
    )
    safety = page.get_by_role("group", name="Safety and Security")
    safety.get_by_label("Status").select_option(label="Declined")
    safety.get_by_label("Source").fill(META_SOURCE)
    page.get_by_role("button", name="Save signatures").click()

    expect(page.get_by_text("Code of Practice signatures saved.")).to_be_visible()
    expect(_chapter_card(page, "Transparency").locator(".chapter-badge")).to_have_text("Signed")
    expect(_chapter_card(page, "Transparency")).to_contain_text("1 Aug 2025")
    expect(_chapter_card(page, "Copyright").locator(".chapter-badge")).to_have_text("Not signed")
    safety_card = _chapter_card(page, "Safety and Security")
    expect(safety_card.locator(".chapter-badge")).to_have_text("Declined")
    expect(safety_card.get_by_role("link", name=re.compile("cnbc.com"))).to_have_attribute(
        "href", META_SOURCE
    )
    expect(page.get_by_role("link", name="Llama 3.1 405B")).to_be_visible()
    page.screenshot(path=tmp_path / "supplier.png", full_page=True)

    supplier = Supplier.objects.get(name="Meta")
    assert dict(supplier.signatures.values_list("chapter", "status")) == {
        "transparency": "signed",
        "copyright": "not_signed",
        "safety_security": "declined",
    }
    assert GPAIModel.objects.get(supplier=supplier).training_compute_flop == 38 * 10**24


def test_supplier_list_shows_the_recorded_signatures(page):
    UserFactory(username="paula", role=PROCUREMENT, password=PASSWORD)
    _sign_in(page, "paula")
    page.get_by_role("link", name="Add supplier").click()
    page.get_by_label("Name*").fill("Aleph Alpha")
    page.get_by_label("Country*").select_option(label="Germany")
    page.get_by_role("button", name="Save supplier").click()

    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Suppliers"
    ).click()

    row = page.get_by_role("row").filter(has_text="Aleph Alpha")
    expect(row).to_contain_text("EU/EEA")
    expect(row.locator(".chapter-badge")).to_have_text(
        ["Transparency: Unknown", "Copyright: Unknown", "Safety and Security: Unknown"]
    )
