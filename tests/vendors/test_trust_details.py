"""Small things on the supplier pages that cost trust when wrong: a new supplier is "not
checked yet", its signatures are one history entry, an archived supplier offers no new work,
history dates are in the reader's time zone, and the signature form helps."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.history import _display
from diligence.models import Assessment
from tests.factories import SupplierFactory
from vendors.models import Signature, Supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_supplier(procurement_client):
    procurement_client.post(reverse("vendors:supplier_create"), {"name": "Meta", "country": "US"})
    return Supplier.objects.get(name="Meta")


def test_a_new_supplier_is_not_checked_yet_rather_than_stale(procurement_client, new_supplier):
    page = procurement_client.get(new_supplier.get_absolute_url()).content.decode()
    assert page.count("Not checked yet") == 3
    assert "Check is stale" not in page
    assert "never" not in page


def test_signatures_created_with_the_supplier_are_one_history_entry(
    procurement_client, new_supplier
):
    history = procurement_client.get(new_supplier.get_absolute_url()).context["history"]
    assert [(change.subject, change.kind) for change in history] == [
        (
            "Supplier",
            "created with its signatures (Transparency, Copyright, Safety and Security)",
        )
    ]


def test_an_archived_supplier_offers_no_signatures_or_models(procurement_client):
    supplier = SupplierFactory(archived_at=timezone.now())
    page = procurement_client.get(supplier.get_absolute_url()).content.decode()
    assert "Record signatures" not in page
    assert "Add model" not in page
    assert "Restore" in page


def test_an_archived_supplier_refuses_signatures_sent_anyway(procurement_client):
    supplier = SupplierFactory(archived_at=timezone.now())
    url = reverse("vendors:signatures_edit", args=[supplier.pk])

    response = procurement_client.post(
        url, {"copyright-status": "signed", "copyright-source_url": "https://example.org/s"}
    )

    assert response.status_code == 302
    assert response.url == supplier.get_absolute_url()
    assert set(supplier.signatures.values_list("status", flat=True)) == {"unknown"}
    assert procurement_client.get(url).status_code == 302


def test_an_active_supplier_offers_them(procurement_client):
    page = procurement_client.get(SupplierFactory().get_absolute_url()).content.decode()
    assert "Record signatures" in page
    assert "Add model" in page


def test_the_supplier_page_links_to_its_assessments(viewer_client):
    supplier = SupplierFactory()
    page = viewer_client.get(supplier.get_absolute_url()).content.decode()
    url = f"{reverse('diligence:assessment_list')}?supplier={supplier.pk}"
    assert f'href="{url}"' in page
    assert viewer_client.get(url).status_code == 200
    assert Assessment.objects.count() == 0  # the list filters by supplier; nothing to show


def test_history_shows_timestamps_in_the_readers_time_zone(settings):
    settings.TIME_ZONE = "Europe/Brussels"
    timezone.activate("Europe/Brussels")
    try:
        late = datetime.datetime(2026, 1, 1, 23, 30, tzinfo=datetime.UTC)
        field = Signature._meta.get_field("updated_at")
        assert _display(field, late) == "2 Jan 2026 00:30"
        assert _display(Signature._meta.get_field("signed_on"), datetime.date(2025, 8, 1)) == (
            "1 Aug 2025"
        )
    finally:
        timezone.deactivate()


def test_date_verified_defaults_to_today(procurement_client, new_supplier):
    response = procurement_client.get(reverse("vendors:signatures_edit", args=[new_supplier.pk]))
    for form in response.context["forms"]:
        assert form["verified_on"].value() == datetime.date.today()


def test_one_source_fills_in_every_chapter_without_its_own(
    procurement_client, new_supplier, form_data
):
    url = reverse("vendors:signatures_edit", args=[new_supplier.pk])
    response = procurement_client.get(url)
    data = form_data(*response.context["forms"])
    for chapter in ("transparency", "copyright", "safety_security"):
        data[f"{chapter}-status"] = "signed"
        data[f"{chapter}-source_url"] = ""
    data["copyright-source_url"] = "https://example.org/copyright-statement"
    data["all-source_url"] = "https://digital-strategy.ec.europa.eu/signatories"

    response = procurement_client.post(url, data)

    assert response.status_code == 302
    sources = dict(new_supplier.signatures.values_list("chapter", "source_url"))
    assert sources == {
        "transparency": "https://digital-strategy.ec.europa.eu/signatories",
        "copyright": "https://example.org/copyright-statement",
        "safety_security": "https://digital-strategy.ec.europa.eu/signatories",
    }


def test_the_country_select_can_be_searched_and_pages_have_a_favicon(procurement_client):
    page = procurement_client.get(reverse("vendors:supplier_create")).content.decode()
    assert "data-searchable" in page
    assert "js/select-search" in page
    assert 'rel="icon"' in page
