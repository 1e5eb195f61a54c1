"""The admin keeps suppliers, models and signatures: they are archived, never deleted."""

import datetime

import pytest
from django.urls import reverse

from core.models import AuditEntry
from diligence.services import assessment_start
from tests.factories import GPAIModelFactory, SupplierFactory, UserFactory
from vendors.models import GPAIModel, Signature, Supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_a_superuser_cannot_delete_a_supplier_or_a_model(superuser_client):
    model = GPAIModelFactory()
    supplier = model.supplier

    for url in (
        reverse("admin:vendors_supplier_delete", args=[supplier.pk]),
        reverse("admin:vendors_gpaimodel_delete", args=[model.pk]),
    ):
        assert superuser_client.post(url, {"post": "yes"}).status_code == 403

    assert Supplier.objects.filter(pk=supplier.pk).exists()
    assert GPAIModel.objects.filter(pk=model.pk).exists()


def test_the_supplier_change_page_offers_no_delete(superuser_client):
    supplier = SupplierFactory()
    page = superuser_client.get(reverse("admin:vendors_supplier_change", args=[supplier.pk]))
    assert page.status_code == 200
    assert reverse("admin:vendors_supplier_delete", args=[supplier.pk]) not in page.content.decode()
    # The signature rows come without a "Delete?" box.
    assert 'name="signatures-0-DELETE"' not in page.content.decode()
    assert Signature.objects.filter(supplier=supplier).count() == 3


def test_a_model_changed_in_the_admin_re_evaluates_its_open_assessments(
    superuser_client, form_data
):
    model = GPAIModelFactory(training_compute_flop=10**24)
    owner = UserFactory(role="Procurement")
    assessment = assessment_start(
        model=model,
        reference="TENDER-ADMIN",
        purpose="Summaries.",
        owner=owner,
        due_date=datetime.date.today() + datetime.timedelta(days=30),
        by=owner,
    )
    url = reverse("admin:vendors_gpaimodel_change", args=[model.pk])
    data = form_data(superuser_client.get(url).context["adminform"].form)
    data["training_compute_flop"] = ""

    assert superuser_client.post(url, data).status_code == 302

    row = assessment.items.get(checklist_item__code="SAF-01")
    assert row.applicable and row.pending_reason
    assert AuditEntry.objects.filter(action="assessment_reevaluated").exists()


def test_a_model_whose_modalities_are_emptied_in_the_admin_is_saved_with_none(
    superuser_client, form_data
):
    model = GPAIModelFactory(modalities=["text"])
    url = reverse("admin:vendors_gpaimodel_change", args=[model.pk])
    data = form_data(superuser_client.get(url).context["adminform"].form)
    data["modalities"] = ""

    assert superuser_client.post(url, data).status_code == 302

    model.refresh_from_db()
    assert model.modalities == []
