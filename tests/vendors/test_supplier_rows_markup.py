"""The supplier list's rows are rendered by Jinja2 (templates/vendors/_supplier_rows.jinja) from
plain rows; they read exactly as the Django template loop gave them before from the suppliers
themselves (tests/vendors/data/supplier_rows_before.html is that loop as it was), hostile names
included."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from tests.factories import GPAIModelFactory, SupplierFactory
from vendors import queries
from vendors.models import Supplier

pytestmark = pytest.mark.django_db

ROWS_BEFORE = engines["django"].from_string(
    (Path(__file__).parent / "data" / "supplier_rows_before.html").read_text()
)
TBODY = re.compile(r"<tbody>\n(.*?\n)      </tbody>", re.S)


@pytest.fixture
def suppliers():
    hostile = SupplierFactory(
        name="Alpha \"<AI>\" & 'Co' {{ x }} {% y %}",
        legal_name="<script>alert('x')</script> & \"Ltd\"",
        country="US",
        is_demo=True,
        signatures={"transparency": "signed", "copyright": "declined"},
    )
    GPAIModelFactory(supplier=hostile, systemic_risk_status="notified")
    GPAIModelFactory(supplier=hostile)
    plain = SupplierFactory(name="Beta", legal_name="", country="DE", signatures=False)
    archived = SupplierFactory(
        name="Gamma", archived_at=timezone.now(), signatures={"safety_security": "withdrawn"}
    )
    GPAIModelFactory(supplier=archived, training_compute_flop=10**26)
    return [hostile, plain, archived]


def as_records(rows):
    """The suppliers of these list rows, as the list read them before: records with their
    annotations and signatures in chapter order."""
    records = {supplier.pk: supplier for supplier in queries.suppliers_for_list({"archived": True})}
    listed = [records[row["id"]] for row in rows]
    for supplier in listed:
        supplier.ordered_signatures = queries.signatures_in_order(supplier.listed_signatures)
    return listed


@pytest.mark.parametrize(
    "query",
    ["?archived=on", "?archived=on&sort=-name", "?q=Beta", "?archived=on&sort=-model_count"],
)
def test_rows_read_as_the_django_template_gave_them(viewer_client, suppliers, query):
    response = viewer_client.get(reverse("vendors:supplier_list") + query)
    listed = as_records(response.context["object_list"])
    assert listed

    before = ROWS_BEFORE.render({"object_list": listed})

    assert TBODY.search(response.content.decode()).group(1) == before
    if len(listed) == 3:
        assert before.count("<tr>") == 3
        assert "&lt;script&gt;alert(&#x27;x&#x27;)" in before
        assert "Alpha &quot;&lt;AI&gt;&quot; &amp; &#x27;Co&#x27;" in before


def test_each_row_links_to_its_supplier_page(viewer_client, suppliers):
    response = viewer_client.get(reverse("vendors:supplier_list") + "?archived=on")
    rows = response.context["object_list"]

    assert len(rows) == 3
    for row in rows:
        assert row["detail_url"] == reverse("vendors:supplier_detail", args=[row["id"]])
        assert row["country_name"] == Supplier.objects.get(pk=row["id"]).country.name


FILTERS_BEFORE = engines["django"].from_string(
    (Path(__file__).parent / "data" / "supplier_filter_selects_before.html").read_text()
)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?country=FR&stale=yes&transparency=signed&sort=-name",
        '?country="><script>x</script>&region=nowhere&copyright=<b>',
    ],
)
def test_filter_selects_read_as_the_django_template_gave_them(viewer_client, suppliers, query):
    response = viewer_client.get(reverse("vendors:supplier_list") + query)
    form = response.context["filter_form"]

    before = FILTERS_BEFORE.render({"filter_form": form})

    assert before.count("<select") == 9
    assert before in response.content.decode()
