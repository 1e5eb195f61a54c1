import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.roles import PROCUREMENT
from diligence.models import Assessment, Evidence
from tests.factories import MINIMAL_PDF, GPAIModelFactory, SupplierFactory, UserFactory

PASSWORD = "a-demo-password-for-the-browser"
PDF = MINIMAL_PDF

# Keep the groups, permissions and published checklist made by data migrations: a
# transactional test flushes the database, and the browser's requests need committed data.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _sign_in(page, username, url):
    page.goto(url)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _item_row(page, code):
    return page.get_by_role("row").filter(has_text=code)


def test_procurement_assesses_a_model_and_a_second_person_approves_it(page, tmp_path):
    UserFactory(
        username="paula", first_name="Paula", last_name="Buyer", role=PROCUREMENT, password=PASSWORD
    )
    UserFactory(
        username="rita",
        first_name="Rita",
        last_name="Reviewer",
        role=PROCUREMENT,
        password=PASSWORD,
    )
    supplier = SupplierFactory(name="Mistral AI", country="FR", signatures={"copyright": "signed"})
    model = GPAIModelFactory(supplier=supplier, name="Mistral Medium", version="3")
    evidence_file = tmp_path / "model-card.pdf"
    evidence_file.write_bytes(PDF)
    due = datetime.date.today() + datetime.timedelta(days=30)
    valid_until = datetime.date.today() + datetime.timedelta(days=365)

    # Paula starts an assessment from the model's page.
    _sign_in(page, "paula", reverse("vendors:model_detail", args=[model.pk]))
    expect(page.get_by_role("heading", name="Mistral Medium 3", level=1)).to_be_visible()
    page.get_by_role("link", name="Start assessment").click()
    expect(page.get_by_label("Supplier's model*")).to_have_value(str(model.pk))
    page.get_by_label("Procurement reference*").fill("TENDER-2025-07")
    page.get_by_label("Purpose or use case*").fill("Drafting replies to customer enquiries.")
    page.get_by_label("Due date*").fill(due.isoformat())
    page.get_by_role("button", name="Start assessment").click()
    expect(page.get_by_text("Assessment TENDER-2025-07 started.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("TENDER-2025-07"), level=1)).to_contain_text(
        "Draft"
    )
    expect(page.get_by_text("Items that do not apply")).to_be_visible()

    # A quick status on the assessment page: saved as soon as it is chosen.
    page.get_by_label("Status of DOC-02").select_option(label="Requested")
    expect(_item_row(page, "DOC-02").locator(".item-status")).to_have_text("Requested")
    page.screenshot(path=tmp_path / "assessment.png", full_page=True)

    # Evidence and a review on the item's page.
    _item_row(page, "DOC-10").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("DOC-10")
    page.get_by_label("File").set_input_files(evidence_file)
    page.get_by_label("Description*").fill("Model card, edition 2025")
    page.get_by_label("Issuer").fill("Mistral AI")
    page.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_text("Evidence added.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="model-card.pdf").click()
    assert download.value.suggested_filename == "model-card.pdf"
    assert download.value.path().read_bytes() == PDF

    page.get_by_label("Status*").select_option(label="Accepted")
    page.get_by_label("Notes").fill("Covers every point of Annex XII.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("DOC-10 saved.")).to_be_visible()
    page.screenshot(path=tmp_path / "item.png", full_page=True)

    # Paula submits the assessment for review.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="TENDER-2025-07"
    ).click()
    expect(_item_row(page, "DOC-10").locator(".item-status")).to_have_text("Accepted")
    expect(_item_row(page, "DOC-10").get_by_role("cell", name="1", exact=True)).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_label("Reviewer*").select_option(label="Rita Reviewer (rita)")
    page.get_by_label("Submit with these items as they are").check()
    page.get_by_role("button", name="Submit for review").click()
    expect(
        page.get_by_text("Submitted for review to Rita Reviewer, who has been emailed.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Decide")).to_have_count(0)  # not for the owner
    page.get_by_role("button", name=re.compile("^Account menu for")).click()
    page.get_by_role("button", name="Sign out").click()

    # Rita, a second buyer, approves with conditions.
    _sign_in(page, "rita", reverse("diligence:assessment_list"))
    page.get_by_role("link", name="TENDER-2025-07").click()
    page.get_by_role("link", name="Decide").click()
    page.get_by_label("Approved with conditions").check()
    page.get_by_role("textbox", name="Conditions").fill(
        "The supplier delivers the training-data summary by March."
    )
    page.get_by_label("Valid until*").fill(valid_until.isoformat())
    page.get_by_role("button", name="Record decision").click()

    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    decisions = page.get_by_role("region", name="Decisions")
    expect(decisions).to_contain_text("Approved with conditions")
    expect(decisions).to_contain_text(
        "Conditions: The supplier delivers the training-data summary by March."
    )
    expect(decisions).to_contain_text("by rita")
    expect(page.get_by_text("This assessment is decided and read-only.")).to_be_visible()
    expect(page.get_by_role("button", name="Set")).to_have_count(0)
    expect(page.get_by_role("combobox", name=re.compile("Status of"))).to_have_count(0)
    page.screenshot(path=tmp_path / "decided.png", full_page=True)

    _item_row(page, "DOC-10").get_by_role("link").click()
    expect(page.get_by_role("definition").filter(has_text="Covers every point")).to_have_text(
        "Covers every point of Annex XII."
    )
    expect(page.get_by_role("button", name="Save", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Add evidence")).to_have_count(0)

    assessment = Assessment.objects.get(reference="TENDER-2025-07")
    assert (
        assessment.status,
        assessment.decision.outcome,
        assessment.decision.decided_by.username,
    ) == (
        "decided",
        "approved_with_conditions",
        "rita",
    )
    assert Evidence.objects.get().original_name == "model-card.pdf"
