"""The signatory list only improves the record: an older list leaves a newer check alone;
a change is applied after comparing, undone, and the rest applied all at once."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.roles import CHECKLIST_ADMIN
from tests.factories import SupplierFactory, UserFactory
from vendors.models import Signature

PASSWORD = "a-demo-password-for-the-browser"
PAGE = Path(__file__).resolve().parents[1] / "vendors" / "data" / "commission-signatories.html"
LIST = "https://digital-strategy.ec.europa.eu/en/policies/contents-code-gpai"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _status(name, chapter):
    return Signature.objects.get(supplier__name=name, chapter=chapter).status


def test_an_older_list_changes_nothing_checked_later_and_changes_can_be_undone(page):
    UserFactory(username="carla", role=CHECKLIST_ADMIN, password=PASSWORD)
    SupplierFactory(name="Mistral AI")
    anthropic = SupplierFactory(name="Anthropic", signatures={"copyright": "not_signed"})
    # A person checked Anthropic after the list's date.
    Signature.objects.filter(supplier=anthropic).update(
        status="not_signed", verified_on=datetime.date(2026, 1, 10)
    )

    page.goto(reverse("home"))
    page.get_by_label("Username").fill("carla")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # The Commission's page, saved as HTML, as of a date before the check.
    page.goto(reverse("vendors:register_import"))
    page.get_by_label("Register file").set_input_files(PAGE)
    page.get_by_label("List as of").fill("2025-12-31")
    page.get_by_label("Source of the list").fill(LIST)
    page.get_by_role("button", name="Import list").click()
    expect(page.get_by_role("heading", name="Signatory list as of 31 Dec 2025")).to_be_visible()

    changes = page.get_by_role("region", name="Changes for suppliers in the list")
    newer = page.get_by_role("region", name="Recorded from a newer source")
    expect(changes).not_to_contain_text("Anthropic")
    expect(newer.get_by_role("row")).to_have_count(1 + 3)
    expect(newer).to_contain_text("Anthropic")

    # Apply one change after comparing, then undo it.
    changes.get_by_role("button", name="Apply Copyright for Mistral AI: Signed").click()
    compared = page.get_by_role("region", name="Mistral AI – Copyright: Chapter added")
    expect(compared.get_by_role("row", name=re.compile("^Status"))).to_contain_text("Unknown")
    expect(compared.get_by_role("row", name=re.compile("^Status"))).to_contain_text("Signed")
    page.get_by_role("button", name="Confirm and apply").click()
    expect(page.get_by_text("Mistral AI – Copyright: Unknown → Signed.")).to_be_visible()
    assert _status("Mistral AI", "copyright") == "signed"

    applied = page.get_by_role("region", name="Applied from this list")
    applied.get_by_role("button", name="Undo Copyright for Mistral AI").click()
    expect(page.get_by_text("Undone: Mistral AI – Copyright")).to_be_visible()
    expect(applied).to_contain_text("Undone")
    assert _status("Mistral AI", "copyright") == "unknown"

    # Apply all: a preview first, then every change in one go.
    page.get_by_role("link", name=re.compile("Preview and apply all 3 changes")).click()
    expect(page.get_by_role("heading", level=2)).to_have_count(3)
    page.get_by_role("button", name="Confirm and apply all 3 changes").click()
    expect(page.get_by_text("Applied 3 changes.")).to_be_visible()
    assert [_status("Mistral AI", c) for c in ("transparency", "copyright", "safety_security")] == [
        "signed"
    ] * 3
    assert _status("Anthropic", "copyright") == "not_signed"  # the newer check is kept
