"""A checklist admin imports the public list of signatories; a buyer reviews and applies it."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.roles import CHECKLIST_ADMIN, PROCUREMENT
from tests.factories import SupplierFactory, UserFactory

PASSWORD = "a-demo-password-for-the-browser"
SAMPLE = Path(__file__).resolve().parents[2] / "vendors" / "data" / "signatory-register-sample.csv"

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
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_import_review_and_apply_the_signatory_list(page, tmp_path):
    UserFactory(
        username="carla",
        first_name="Carla",
        last_name="Admin",
        role=CHECKLIST_ADMIN,
        password=PASSWORD,
    )
    UserFactory(
        username="paula", first_name="Paula", last_name="Buyer", role=PROCUREMENT, password=PASSWORD
    )
    SupplierFactory(name="Mistral AI", legal_name="Mistral AI SAS")
    SupplierFactory(name="Open Hipo")

    # The checklist admin imports the list; a bad file first.
    _sign_in(page, "carla")
    page.get_by_role("link", name="Signatory register").click()
    page.get_by_role("link", name="Import a list").click()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "provider,chapters,date,source_url\nMistral AI,all,1 Aug 2025,https://example.org\n"
    )
    page.get_by_label("Register file").set_input_files(bad)
    page.get_by_label("List as of").fill("2025-12-31")
    page.get_by_role("button", name="Import list").click()
    expect(page.get_by_text("Row 2, column date: “1 Aug 2025” is not a date")).to_be_visible()

    page.get_by_label("Register file").set_input_files(SAMPLE)
    page.get_by_label("List as of").fill("2025-12-31")
    page.get_by_role("button", name="Import list").click()
    expect(page.get_by_role("heading", name="Signatory list as of 31 Dec 2025")).to_be_visible()
    expect(page.get_by_text("29 rows from signatory-register-sample.csv")).to_be_visible()
    page.screenshot(path=tmp_path / "register.png", full_page=True)
    _sign_out(page)

    # A buyer reviews the difference.
    _sign_in(page, "paula")
    page.get_by_role("link", name="Signatory register").click()
    page.get_by_role("link", name="31 Dec 2025").click()
    changes = page.get_by_role("region", name="Changes for suppliers in the list")
    expect(changes.get_by_role("row")).to_have_count(1 + 3)  # Mistral AI's three chapters
    pending = page.get_by_role("region", name="Names to confirm")
    expect(pending).to_contain_text("Open Hippo")
    expect(page.get_by_role("region", name="New signatories")).to_contain_text("Anthropic")

    # Apply one chapter after comparing before and after; the row goes and a second click is
    # not offered.
    changes.get_by_role("button", name="Apply Copyright for Mistral AI: Signed").click()
    expect(
        page.get_by_role("heading", name="Mistral AI – Copyright: Chapter added")
    ).to_be_visible()
    page.get_by_role("button", name="Confirm and apply").click()
    expect(page.get_by_text("Mistral AI – Copyright: Unknown → Signed.")).to_be_visible()
    expect(changes.get_by_role("row")).to_have_count(1 + 2)
    expect(changes.get_by_role("button", name=re.compile("Apply Copyright"))).to_have_count(0)

    # Confirm the similar name, which turns it into changes to apply.
    pending.get_by_role("button", name="Confirm that Open Hippo is Open Hipo").click()
    expect(page.get_by_text("“Open Hippo” is Open Hipo.")).to_be_visible()
    expect(changes.get_by_role("link", name="Open Hipo")).to_be_visible()

    # The supplier page shows the signature with the list as its source.
    changes.get_by_role("link", name="Mistral AI").click()
    copyright_card = page.locator(".chapter-card").filter(
        has=page.get_by_role("heading", name="Copyright")
    )
    expect(copyright_card.locator(".chapter-badge")).to_have_text("Signed")
    expect(copyright_card).to_contain_text("31 Dec 2025 by paula")
    expect(copyright_card).to_contain_text(
        "Chapter added: row 35 “Mistral AI” of the Signatory register of 31 Dec 2025"
    )
    expect(
        copyright_card.get_by_role("link", name=re.compile("digital-strategy.ec.europa.eu"))
    ).to_be_visible()

    # The dashboard counts it.
    page.get_by_role("link", name="Overview").click()
    signatures = page.get_by_role("region", name="Code of Practice signatures by chapter")
    signatures.get_by_text("Show as a table").click()
    copyright_row = signatures.get_by_role("row", name=re.compile("^Copyright"))
    expect(copyright_row.get_by_role("cell").first).to_have_text("1")
    expect(
        signatures.get_by_role("group", name="Code of Practice signatures by chapter")
    ).to_be_visible()
    page.screenshot(path=tmp_path / "dashboard.png", full_page=True)
