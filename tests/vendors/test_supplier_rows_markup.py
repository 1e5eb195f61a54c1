"""The supplier list's rows are rendered by Jinja2 (templates/vendors/_supplier_rows.jinja);
they read exactly as the Django template loop gave them before
(tests/vendors/data/supplier_rows_before.html is that loop as it was), hostile names included."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from tests.factories import GPAIModelFactory, SupplierFactory

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


@pytest.mark.parametrize("query", ["?archived=on", "?archived=on&sort=-name", "?q=Beta"])
def test_rows_read_as_the_django_template_gave_them(viewer_client, suppliers, query):
    response = viewer_client.get(reverse("vendors:supplier_list") + query)
    listed = list(response.context["object_list"])
    assert listed

    before = ROWS_BEFORE.render({"object_list": listed})

    assert TBODY.search(response.content.decode()).group(1) == before
    if len(listed) == 3:
        assert before.count("<tr>") == 3
        assert "&lt;script&gt;alert(&#x27;x&#x27;)" in before
        assert "Alpha &quot;&lt;AI&gt;&quot; &amp; &#x27;Co&#x27;" in before


def test_each_row_links_to_its_supplier_page(viewer_client, suppliers):
    response = viewer_client.get(reverse("vendors:supplier_list") + "?archived=on")
    listed = list(response.context["object_list"])

    assert len(listed) == 3
    for supplier in listed:
        assert supplier.detail_url == reverse("vendors:supplier_detail", args=[supplier.pk])
        assert supplier.country_name == supplier.country.name


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
