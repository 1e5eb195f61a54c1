"""CSV exports of the supplier and assessment lists: filters, safety, streaming, access."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.exports import csv_lines, csv_safe
from core.models import AuditEntry
from tests.factories import (
    AssessmentFactory,
    AssessmentItemFactory,
    DecisionFactory,
    GPAIModelFactory,
    SupplierFactory,
    UserFactory,
)
from vendors.models import Signature, Supplier

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+2", "'+1+2"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Mistral AI", "Mistral AI"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (3, "3"),
        (-3, "-3"),  # a number is not a formula
        (True, "yes"),
        (False, "no"),
        (datetime.date(2025, 8, 1), "2025-08-01"),
    ],
)
def test_csv_safe(value, cell):
    assert csv_safe(value) == cell


def test_csv_lines_start_with_a_byte_order_mark_and_quote_what_needs_it():
    lines = list(csv_lines([("Name", str), ("Length", len)], ["a,b", 'say "hi"']))
    assert lines == ["\ufeffName,Length\r\n", '"a,b",3\r\n', '"say ""hi""",8\r\n']


def _rows(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


# Suppliers ---------------------------------------------------------------------------------


def test_supplier_export_has_the_lists_columns(viewer_client, viewer_user):
    mistral = SupplierFactory(
        name="Mistral AI",
        legal_name="Mistral AI SAS",
        signatures={"transparency": "signed", "copyright": "signed"},
    )
    Signature.objects.filter(supplier=mistral).update(verified_on=datetime.date(2025, 12, 15))
    GPAIModelFactory(supplier=mistral, systemic_risk_status="notified")

    response = viewer_client.get(reverse("vendors:supplier_export"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="suppliers-{TODAY:%Y-%m-%d}.csv"'
    )
    header, row = _rows(response)
    assert dict(zip(header, row, strict=True)) == {
        "Name": "Mistral AI",
        "Legal name": "Mistral AI SAS",
        "Country": "FR",
        "Established in the EU/EEA": "yes",
        "Website": "https://example.org",
        "Models": "1",
        "Has a systemic-risk model": "yes",
        "Transparency": "Signed",
        "Transparency checked on": "2025-12-15",
        "Copyright": "Signed",
        "Copyright checked on": "2025-12-15",
        "Safety and Security": "Unknown",
        "Safety and Security checked on": "2025-12-15",
        "Archived on": "",
        "Last changed": row[-1],
    }
    audit = AuditEntry.objects.get(action="suppliers_exported")
    assert (audit.actor, audit.summary) == (viewer_user, "Exported the supplier list (no filters)")


def test_supplier_export_honours_the_filters(viewer_client):
    SupplierFactory(name="Mistral AI", signatures={"copyright": "signed"})
    SupplierFactory(name="Mistral Labs", country="US", signatures={"copyright": "signed"})
    SupplierFactory(name="Aleph Alpha", signatures={"copyright": "declined"})
    query = {"q": "mistral", "region": "eu", "copyright": "signed"}

    rows = _rows(viewer_client.get(reverse("vendors:supplier_export"), query))
    listed = viewer_client.get(reverse("vendors:supplier_list"), query).context["object_list"]

    assert [row[0] for row in rows[1:]] == ["Mistral AI"] == [s["name"] for s in listed]


def test_supplier_export_ignores_an_invalid_filter_like_the_list(viewer_client):
    SupplierFactory(name="Mistral AI")
    rows = _rows(viewer_client.get(reverse("vendors:supplier_export"), {"region": "mars"}))
    assert [row[0] for row in rows[1:]] == ["Mistral AI"]


def test_supplier_names_cannot_become_formulas(viewer_client):
    SupplierFactory(name='=HYPERLINK("https://evil.example","Click")', legal_name="@SUM(1)")
    header, row = _rows(viewer_client.get(reverse("vendors:supplier_export")))
    assert row[:2] == ['\'=HYPERLINK("https://evil.example","Click")', "'@SUM(1)"]


def test_the_supplier_list_offers_the_export_with_its_filters(viewer_client):
    page = viewer_client.get(reverse("vendors:supplier_list"), {"q": "mistral", "page": "1"})
    assert f'href="{reverse("vendors:supplier_export")}?q=mistral"' in page.content.decode()


def test_outsider_gets_404_for_the_supplier_export(outsider_client):
    assert outsider_client.get(reverse("vendors:supplier_export")).status_code == 404
    assert not AuditEntry.objects.exists()


def test_a_large_supplier_export_is_read_in_chunks(viewer_client):
    Supplier.objects.bulk_create(
        Supplier(name=f"Supplier {n:04d}", country="FR") for n in range(1_100)
    )

    response = viewer_client.get(reverse("vendors:supplier_export"))
    with CaptureQueriesContext(connection) as queries:
        rows = _rows(response)

    assert len(rows) == 1 + 1_100
    # The suppliers' signatures are fetched once per chunk of 500: never all at once.
    signature_reads = [
        q for q in queries.captured_queries if 'FROM "vendors_signature"' in q["sql"]
    ]
    assert len(signature_reads) == 3


# Assessments -------------------------------------------------------------------------------


def test_assessment_export_honours_the_filters(viewer_client, viewer_user):
    owner = UserFactory(first_name="Olga", last_name="Owner", role="Procurement")
    late = AssessmentFactory(
        reference="LATE-1", owner=owner, due_date=TODAY - datetime.timedelta(days=2)
    )
    AssessmentItemFactory(assessment=late, status="gap")
    AssessmentItemFactory(assessment=late, status="accepted")
    AssessmentFactory(reference="LATER-1", owner=owner)
    done = AssessmentFactory(reference="DONE-1", due_date=TODAY - datetime.timedelta(days=9))
    DecisionFactory(assessment=done, valid_until=datetime.date(2027, 1, 31))

    everything = _rows(viewer_client.get(reverse("diligence:assessment_export")))
    overdue = _rows(viewer_client.get(reverse("diligence:assessment_export"), {"overdue": "on"}))

    assert [row[0] for row in everything[1:]] == ["DONE-1", "LATE-1", "LATER-1"]
    header, row = overdue
    assert dict(zip(header, row, strict=True)) == {
        "Reference": "LATE-1",
        "Supplier": late.supplier.name,
        "Model": str(late.model),
        "Owner": "Olga Owner",
        "Status": "Draft",
        "Outcome": "",
        "Decision valid until": "",
        "Due date": late.due_date.isoformat(),
        "Overdue": "yes",
        "Applicable items": "2",
        "Accepted or not applicable": "1",
        "Gaps": "1",
    }
    decided = dict(zip(everything[0], everything[1], strict=True))
    assert (decided["Outcome"], decided["Decision valid until"], decided["Overdue"]) == (
        "Approved",
        "2027-01-31",
        "no",
    )
    assert AuditEntry.objects.filter(action="assessments_exported", actor=viewer_user).count() == 2


def test_assessment_references_cannot_become_formulas(viewer_client):
    AssessmentFactory(reference="-2+3+cmd|' /C calc'!A0")
    header, row = _rows(viewer_client.get(reverse("diligence:assessment_export")))
    assert row[0] == "'-2+3+cmd|' /C calc'!A0"


def test_the_assessment_list_offers_the_export_with_its_filters(viewer_client):
    page = viewer_client.get(
        reverse("diligence:assessment_list"), {"overdue": "on", "status": "draft"}
    )
    assert (
        f'href="{reverse("diligence:assessment_export")}?overdue=on&amp;status=draft"'
        in page.content.decode()
    )


def test_outsider_gets_404_for_the_assessment_export(outsider_client):
    assert outsider_client.get(reverse("diligence:assessment_export")).status_code == 404
