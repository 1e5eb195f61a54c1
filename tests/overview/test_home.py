import datetime

import pytest
from django.urls import reverse

from tests.factories import GPAIModelFactory, SupplierFactory

pytestmark = pytest.mark.django_db

ARCHIVED = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)


def test_home_counts_active_suppliers_models_and_signed_chapters(viewer_client):
    mistral = SupplierFactory(signatures={"transparency": "signed", "copyright": "signed"})
    GPAIModelFactory.create_batch(2, supplier=mistral)
    GPAIModelFactory(supplier=mistral, archived_at=ARCHIVED)
    SupplierFactory(signatures={"copyright": "signed"})
    gone = SupplierFactory(signatures={"transparency": "signed"}, archived_at=ARCHIVED)
    GPAIModelFactory(supplier=gone)

    response = viewer_client.get(reverse("home"))

    assert response.context["supplier_count"] == 2
    assert response.context["model_count"] == 2
    assert response.context["signed_by_chapter"] == [
        ("Transparency", "transparency", 1),
        ("Copyright", "copyright", 2),
        ("Safety and Security", "safety_security", 0),
    ]


def test_home_links_each_chapter_count_to_the_filtered_list(viewer_client):
    response = viewer_client.get(reverse("home"))
    assert (
        f'href="{reverse("vendors:supplier_list")}?copyright=signed"' in response.content.decode()
    )


def test_outsider_sees_they_have_no_role_yet(outsider_client):
    SupplierFactory()

    response = outsider_client.get(reverse("home"))

    assert response.status_code == 200
    assert "Your account has no role yet" in response.content.decode()
    assert "supplier_count" not in response.context
    assert reverse("vendors:supplier_list") not in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in_from_home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"
