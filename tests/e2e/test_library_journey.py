"""A curator publishes a new checklist version in the admin, as a person does: compares it with
the version it replaces, confirms, and retires the old one in the same step."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from core.library import services
from core.roles import CHECKLIST_ADMIN
from diligence.models import Checklist
from tests.factories import UserFactory

PASSWORD = "a-demo-password-for-the-browser"

# Keep the groups and the checklist made by data migrations (see test_clause_journey.py).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_curator_compares_publishes_and_retires_in_one_step(page):
    curator = UserFactory(username="cora", role=CHECKLIST_ADMIN, is_staff=True, password=PASSWORD)
    # Staff sign in with a second factor; Cora set up her authenticator app before.
    authenticator = TOTPDevice.objects.create(user=curator, name="Authenticator app")
    # The published default is v2 (its data migration retired v1).
    published = Checklist.objects.get(version=2)
    draft = services.library_new_draft(source=published, by=curator)
    draft.items.filter(code="DOC-02").update(title="Systemic-risk status and evidence")

    # Cora signs in, lands on the admin's checklist list and selects the draft on the checklist list.
    page.goto(reverse("admin:diligence_checklist_changelist"))
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(f"{totp(authenticator.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()
    page.locator(f"input[name=_selected_action][value='{draft.pk}']").check()
    page.get_by_role("combobox", name="Action").select_option("publish")
    page.get_by_role("button", name="Go").click()

    # She is asked first, told what changed, and looks at the differences.
    expect(page.get_by_role("heading", name="Publish 1 draft?")).to_be_visible()
    expect(page.get_by_text("Compared with v2: 1 changed.")).to_be_visible()
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="See the differences side by side").click()
    title_row = opened.value.locator("table.side-by-side").get_by_role("row", name="Title")
    expect(title_row).to_contain_text("Systemic-risk status declared")
    expect(title_row).to_contain_text("Systemic-risk status and evidence")
    opened.value.close()

    # She confirms, retiring v2 at the same time.
    page.get_by_label("Also retire the version it replaces").check()
    page.get_by_role("button", name="Yes, publish").click()

    expect(page.get_by_text("published; retired v2")).to_be_visible()
    statuses = dict(Checklist.objects.values_list("version", "status"))
    assert statuses == {1: "retired", 2: "retired", 3: "published"}
