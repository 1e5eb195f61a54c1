import datetime
import io
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from core.roles import LEGAL, PROCUREMENT
from diligence import services as diligence_services
from diligence.models import AssessmentItem
from tests.e2e.conftest import RENDER_WAIT_MS
from tests.factories import GPAIModelFactory, SupplierFactory, UserFactory

PASSWORD = "a-demo-password-for-the-browser"

# Keep the groups, permissions, checklist and clause library made by data migrations: a
# transactional test flushes the database, and the browser's requests need committed data.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def assessment():
    owner = UserFactory(username="paula", role=PROCUREMENT)
    supplier = SupplierFactory(
        name="Société Générale IA",
        legal_name="Société Générale Intelligence Artificielle SA",
        country="FR",
        signatures={
            "transparency": "signed",
            "copyright": "not_signed",
            "safety_security": "signed",
        },
    )
    model = GPAIModelFactory(supplier=supplier, name="Lumière", version="2")
    assessment = diligence_services.assessment_start(
        model=model,
        reference="TENDER-2026-031",
        purpose="Drafting replies to customer enquiries.",
        owner=owner,
        due_date=datetime.date.today() + datetime.timedelta(days=30),
        by=owner,
    )
    AssessmentItem.objects.filter(assessment=assessment, checklist_item__code="DOC-11").update(
        status="gap"
    )
    return assessment


def test_legal_removes_a_clause_and_downloads_the_pdf(page, assessment, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    UserFactory(
        username="lena", first_name="Lena", last_name="Counsel", role=LEGAL, password=PASSWORD
    )

    # Lena signs in and opens the assessment.
    page.goto(reverse("diligence:assessment_list"))
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="TENDER-2026-031").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("TENDER-2026-031")

    # The clause pack shows each selected clause with the reason behind it.
    page.get_by_role("link", name="Clause pack").click()
    expect(page.get_by_role("heading", name="Clause pack", level=1)).to_be_visible()
    included = page.get_by_role("region", name=re.compile("Clauses in the pack"))
    integration = included.get_by_role("listitem").filter(
        has_text="Integration information as a condition"
    )
    expect(integration).to_contain_text("Why selected: DOC-11 is a gap")
    expect(included).to_contain_text("Copyright chapter not signed (status: Not signed)")

    # She removes the audit clause, with a reason.
    audit = included.get_by_role("listitem").filter(has_text="Information and audit rights")
    audit.get_by_text("Remove from the pack…").click()
    audit.get_by_label("Reason for removing “Information and audit rights”").fill(
        "Audit rights are in the framework agreement."
    )
    audit.get_by_role("button", name="Remove").click()

    expect(page.get_by_text("Removed “Information and audit rights”.")).to_be_visible()
    removed = page.get_by_role("region", name=re.compile("Removed by Legal"))
    expect(removed).to_contain_text("Information and audit rights")
    expect(removed).to_contain_text("Audit rights are in the framework agreement.")
    expect(page.get_by_role("region", name="Changes by Legal")).to_contain_text(
        "Removed “Information and audit rights”: Audit rights are in the framework agreement."
    )
    expect(included).not_to_contain_text("Information and audit rights")

    # She generates the contract schedule as PDF and downloads it.
    page.get_by_role("button", name="Generate PDF").click(timeout=RENDER_WAIT_MS)
    expect(page.get_by_text("Contract schedule, PDF version 1 generated.")).to_be_visible()
    schedule = page.get_by_role("region", name="Contract schedule")
    with page.expect_download() as download:
        schedule.get_by_role("link", name="PDF version 1").click()
    assert download.value.suggested_filename == "contract-schedule-TENDER-2026-031-v1.pdf"
    page.screenshot(path=tmp_path / "clause-pack.png", full_page=True)

    reader = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    pages = [p.extract_text() for p in reader.pages]
    text = re.sub(r"\s+", " ", " ".join(pages))
    assert "Société Générale IA" in text
    assert "Lumière 2" in text
    assert "TENDER-2026-031" in text
    assert "Integration information as a condition" in text
    assert "Copyright duties without the Copyright chapter" in text
    assert "Information and audit rights" not in text
    # The schedule goes to the supplier: no reasons, no record.
    assert "Selected because" not in text
    assert "Audit rights are in the framework agreement." not in text
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]

    # The due-diligence report, for the buyer, says why each clause is there.
    page.get_by_role("button", name="Generate report PDF").click(timeout=RENDER_WAIT_MS)
    expect(page.get_by_text("Due-diligence report, PDF version 1 generated.")).to_be_visible()
    report = page.get_by_role("region", name="Due-diligence report")
    with page.expect_download() as download:
        report.get_by_role("link", name="PDF version 1").click()
    assert download.value.suggested_filename == "due-diligence-report-TENDER-2026-031-v1.pdf"
    reader = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert "Selected because: DOC-11 is a gap" in text
    assert "Audit rights are in the framework agreement." in text
