"""Legal asks "what changes if the supplier signs Copyright?" on the what-if page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.roles import LEGAL
from tests.factories import GPAIModelFactory, SupplierFactory, UserFactory
from vendors.models import Signature

PASSWORD = "a-demo-password-for-the-browser"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_legal_sees_what_signing_copyright_would_change_without_saving_it(page, tmp_path):
    UserFactory(username="lena", role=LEGAL, password=PASSWORD)
    supplier = SupplierFactory(name="xAI", country="US", signatures={"safety_security": "signed"})
    model = GPAIModelFactory(
        supplier=supplier, name="Grok", version="4", training_compute_flop=5 * 10**25
    )

    page.goto(model.get_absolute_url())
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="What if…").click()
    expect(page.get_by_role("heading", name="What if…")).to_be_visible()

    page.get_by_label("Copyright chapter").select_option(label="Signed")
    page.get_by_role("button", name="Explain").click()

    changes = page.locator("section").filter(
        has=page.get_by_role("heading", name="What changes compared with the record")
    )
    expect(changes).to_contain_text("Clauses that would leave the pack")
    expect(changes).to_contain_text("Copyright duties without the Copyright chapter")
    assert "signature_copyright=signed" in page.url
    page.screenshot(path=tmp_path / "what-if.png", full_page=True)
    assert Signature.objects.get(supplier=supplier, chapter="copyright").status == "unknown"
    assert reverse("contracts:model_what_if", args=[model.pk]) in page.url
