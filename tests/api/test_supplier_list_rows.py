"""The API's supplier list is built from plain rows (api.serializers.supplier_list_rows); it reads
exactly as SupplierListOut gave it from the suppliers themselves, byte for byte."""

import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from api.serializers import SUPPLIER_FIELDS, SupplierListOut, supplier_list_rows
from core.forms import valid_filters
from tests.factories import GPAIModelFactory, SupplierFactory
from vendors import queries
from vendors.forms import SupplierFilterForm

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> & \"quoted\" é \u2028"


@pytest.fixture
def suppliers():
    checked = SupplierFactory(
        name=f"Alpha {HOSTILE}",
        legal_name=HOSTILE,
        country="US",
        notes=f"Line\n{HOSTILE}",
        signatures={"transparency": "signed", "copyright": "declined"},
    )
    checked.signatures.filter(chapter="transparency").update(verified_on=datetime.date(2025, 8, 4))
    GPAIModelFactory(supplier=checked, systemic_risk_status="notified")
    GPAIModelFactory(supplier=checked, archived_at=timezone.now())
    SupplierFactory(name="Beta", legal_name="", website="", signatures=False)
    SupplierFactory(name="Gamma", archived_at=timezone.now(), signatures={"copyright": "signed"})
    for index in range(3):
        GPAIModelFactory(supplier=SupplierFactory(name=f"Delta {index}", country="DE"))


def _serialized(query):
    """The results SupplierListOut gave for this query, from the suppliers as records."""
    params = QueryDict(query)
    filters = valid_filters(SupplierFilterForm(params))
    records = list(queries.suppliers_for_list(filters))
    size, page = int(params.get("page_size", 25)), int(params.get("page", 1))
    return SupplierListOut(records[(page - 1) * size : page * size], many=True).data


@pytest.mark.parametrize(
    "query", ["", "archived=1", "archived=1&sort=-name&page_size=2&page=2", "systemic=yes", "q=a"]
)
def test_supplier_list_reads_as_the_serializer_gave_it(api, suppliers, query):
    response = api["viewer"].get(f"{reverse('api:supplier_list')}?{query}")
    expected = _serialized(query)

    assert expected
    assert response.content.endswith(b'"results":' + JSONRenderer().render(expected) + b"}")


def test_rows_render_the_bytes_the_serializer_rendered(suppliers):
    filters = {"archived": True}
    listed = queries.ListedSuppliers(filters, SUPPLIER_FIELDS)

    rendered = JSONRenderer().render(supplier_list_rows(listed[0:25]))

    assert rendered == JSONRenderer().render(_serialized("archived=1"))
    assert b'"verified_on":"2025-08-04"' in rendered and b'"archived_at":null' in rendered
