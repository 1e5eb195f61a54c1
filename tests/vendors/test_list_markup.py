"""The supplier list writes its signature badges out instead of including a template per badge
(faster); the markup is the one the included template gave."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from tests.factories import SupplierFactory
from tests.vendors.test_supplier_rows_markup import as_records

pytestmark = pytest.mark.django_db

# The badge template the list included once per signature, as it was.
INCLUDED_BADGE = Template(
    '<span class="badge rounded-pill chapter-badge status-{{ signature.status }}" '
    'title="{{ signature.chapter_label }}: {{ signature.status_label }}">{% if short %}'
    "{{ signature.status_label }}{% else %}{{ signature.chapter_label }}: "
    "{{ signature.status_label }}{% endif %}</span>\n"
)


def test_signature_badges_are_the_markup_the_included_template_gave(viewer_client):
    suppliers = [
        SupplierFactory(name="Alpha <AI>", signatures={"transparency": "signed"}),
        SupplierFactory(
            name="Beta", signatures={"copyright": "declined", "safety_security": "withdrawn"}
        ),
    ]
    response = viewer_client.get(reverse("vendors:supplier_list"))
    page = response.content.decode()
    listed = {supplier.pk: supplier for supplier in as_records(response.context["object_list"])}
    assert set(listed) == {supplier.pk for supplier in suppliers}
    for supplier in listed.values():
        badges = "".join(
            INCLUDED_BADGE.render(Context({"signature": signature}))
            for signature in supplier.ordered_signatures
        )
        assert badges.count("<span") == 3
        assert (
            f'<div class="d-flex flex-wrap gap-1">\n            {badges}\n            </div>'
            in page
        )
