"""The supplier link, the whole loop: the buyer asks, the email arrives at a real SMTP server,
the supplier answers two items, uploads a PDF, fills part of the MDF on a phone-sized screen
and submits; the buyer accepts one answer and asks again about the other, and the supplier
gets a new link for it."""

import datetime
import time

import pytest
from playwright.sync_api import expect

from core.roles import PROCUREMENT
from diligence import services as diligence_services
from diligence.models import Evidence
from portal.models import SupplierRequest
from tests.factories import MINIMAL_PDF, GPAIModelFactory, SupplierFactory, UserFactory

PASSWORD = "a-demo-password-for-the-browser"
SUPPLIER = "compliance@example-labs.test"
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _wait_for_mail(inbox, count):
    for _ in range(100):
        if len(inbox.messages) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"{count} email(s) expected, {len(inbox.messages)} arrived")


def test_request_answer_submit_accept_and_ask_again(page, browser, live_server, smtp_inbox, settings, tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    buyer = UserFactory(
        username="paula", email="paula@buyer.test", role=PROCUREMENT, password=PASSWORD
    )
    model = GPAIModelFactory(
        supplier=SupplierFactory(name="Example Labs", country="FR"), name="Example Small"
    )
    assessment = diligence_services.assessment_start(
        model=model,
        reference="TENDER-2026-021",
        purpose="Summarising tender documents.",
        owner=buyer,
        due_date=datetime.date.today() + datetime.timedelta(days=30),
        by=buyer,
    )
    card_item = assessment.items.get(checklist_item__code="DOC-10")
    policy_item = assessment.items.get(checklist_item__code="DOC-11")

    # The buyer asks for two items and the MDF.
    page.goto(assessment.get_absolute_url())
    page.get_by_label("Username").fill("paula")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Ask the supplier").click()
    page.get_by_label("Recipient's name").fill("Sam Example")
    page.get_by_label("Recipient's email").fill(SUPPLIER)
    page.get_by_label("Message to the supplier").fill("Two points for our tender, thank you.")
    for box in page.locator("input[name=items]").all():
        box.uncheck()
    for item in (card_item, policy_item):
        page.locator(f"input[name=items][value='{item.pk}']").check()
    page.locator(f"input[name=yes_no_items][value='{card_item.pk}']").check()
    page.get_by_label("Ask for the Model Documentation Form").check()
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_text(f"The link is on its way to {SUPPLIER}.")).to_be_visible()
    _wait_for_mail(smtp_inbox, 1)
    link = smtp_inbox.last_url(SUPPLIER)
    assert link.startswith(live_server.url)

    # The supplier opens it on a phone: the address loses the token at once.
    phone = browser.new_context(viewport=PHONE, locale="en-GB")
    phone.set_default_timeout(10_000)
    supplier = phone.new_page()
    supplier.goto(link)
    assert "/supplier/link/" not in supplier.url
    expect(supplier.get_by_role("heading", name="Questions about Example Small")).to_be_visible()
    expect(supplier.get_by_text("Two points for our tender")).to_be_visible()
    expect(supplier.get_by_text("Summarising tender documents")).to_have_count(0)
    request = SupplierRequest.objects.get()
    card_row = request.items.get(item=card_item)
    policy_row = request.items.get(item=policy_item)

    card = supplier.locator(f"#item-{card_row.pk}")
    card.get_by_label("Yes").check()
    card.get_by_label("Your answer").fill("Our model card covers the architecture and training.")
    pdf = tmp_path / "model-card.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    card.get_by_label("Add a file").set_input_files(pdf)
    policy = supplier.locator(f"#item-{policy_row.pk}")
    policy.get_by_label("Your answer").fill("Our usage policy is public.")
    policy.get_by_label("Links").fill("https://example-labs.test/usage-policy")
    supplier.get_by_role("button", name="Save draft").click()
    expect(supplier.get_by_text("Your answers are saved as a draft.")).to_be_visible()
    expect(card.get_by_role("button", name="Remove model-card.pdf")).to_be_visible()
    # Nothing wider than the phone's screen.
    width = supplier.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    supplier.screenshot(path=tmp_path / "supplier-answers.png", full_page=True)

    supplier.get_by_role("link", name="Model Documentation Form").click()
    supplier.get_by_label("Document version").fill("2.1")
    supplier.get_by_label("Last updated").fill("2026-10-01")
    supplier.get_by_label("2.1 Model architecture").fill("Decoder-only transformer.")
    supplier.get_by_role("button", name="Save draft").click()
    expect(supplier.get_by_text("Saved as a draft.")).to_be_visible()
    supplier.get_by_role("button", name="Submit answers").click()
    expect(supplier.get_by_role("heading", name="Thank you")).to_be_visible()
    _wait_for_mail(smtp_inbox, 2)  # the owner is told

    # The buyer sees the answers, accepts one and asks again about the other.
    page.goto(assessment.get_absolute_url())
    answered = page.locator("#supplier-requests")
    expect(answered.get_by_text("Supplier answered").first).to_be_visible()
    answered.get_by_role("link", name=SUPPLIER).click()
    expect(page.get_by_text("Our model card covers the architecture")).to_be_visible()
    page.get_by_role("button", name="Accept DOC-10").click()
    expect(page.get_by_text("DOC-10: the answer is accepted")).to_be_visible()
    card_item.refresh_from_db()
    assert card_item.status == "received"
    assert Evidence.objects.get(item=card_item).original_name == "model-card.pdf"
    page.get_by_role("button", name="Record as draft documentation").click()
    expect(page.get_by_text("Recorded as drafts; check and confirm them")).to_be_visible()
    page.get_by_label("What is missing for DOC-11").fill("Please add the acceptable-use annex.")
    page.get_by_role("button", name="Ask again DOC-11").click()
    expect(page.get_by_text("A new link for the open points")).to_be_visible()

    # The supplier gets a new link for the open point; the old one is closed.
    _wait_for_mail(smtp_inbox, 3)
    new_link = smtp_inbox.last_url(SUPPLIER)
    assert new_link != link
    supplier.goto(link)
    expect(supplier.get_by_role("heading", name="This link cannot be used")).to_be_visible()
    supplier.goto(new_link)
    expect(supplier.get_by_text("Please add the acceptable-use annex.")).to_be_visible()
    expect(supplier.get_by_text("DOC-10")).to_have_count(0)
    supplier.screenshot(path=tmp_path / "supplier-asked-again.png", full_page=True)
    phone.close()
