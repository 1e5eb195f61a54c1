"""The MDF pages: entry grouped by section, completeness, confirming, new versions with their
diff, who may do what, the checklist hint, and constant query counts."""

import datetime

import pytest
from django.urls import reverse

from core.models import AuditEntry
from diligence import services as diligence_services
from documentation import services
from documentation.models import MdfDocument
from tests.documentation.support import full_values, record_mdf
from tests.factories import GPAIModelFactory

pytestmark = pytest.mark.django_db


def test_entry_form_is_grouped_by_section_with_guidance_and_saves_a_draft(
    procurement_client, form_data
):
    model = GPAIModelFactory()
    url = reverse("documentation:mdf_create", args=[model.pk])
    page = procurement_client.get(url)
    sections = [section for section, _rows in page.context["groups"]]
    assert sections[0] == "General information" and sections[-1] == "Energy consumption"
    assert "secure hash" in page.content.decode()  # guidance of 1.3
    data = form_data(page.context["form"])
    data.update(
        {
            "document_version": "2.0",
            "last_updated": "2026-05-04",
            "value__provider-legal-name": "Example Labs SAS",
            "na__model-dependencies": "on",
            "value__parameters": "7e10",
        }
    )
    response = procurement_client.post(url, data)
    document = MdfDocument.objects.get()
    assert response.url == document.get_absolute_url()
    values = {v.field_key: (v.value, v.not_applicable) for v in document.values.all()}
    assert values == {
        "provider-legal-name": ("Example Labs SAS", False),
        "model-dependencies": ("", True),
        "parameters": ("7e10", False),
    }


def test_na_and_a_value_together_are_refused(procurement_client, form_data):
    model = GPAIModelFactory()
    url = reverse("documentation:mdf_create", args=[model.pk])
    data = form_data(procurement_client.get(url).context["form"])
    data.update(
        {
            "document_version": "1",
            "last_updated": "2026-05-04",
            "na__model-dependencies": "on",
            "value__model-dependencies": "Base model 1",
        }
    )
    response = procurement_client.post(url, data)
    assert "Leave the value empty" in str(response.context["form"].errors)
    assert not MdfDocument.objects.exists()


def test_detail_shows_missing_contractual_due_date_and_email(procurement_client, procurement_user):
    model = GPAIModelFactory(placed_on_market=datetime.date(2025, 9, 1))
    values = full_values()
    del values["licence"]
    values["model-dependencies"] = ("", True)
    values["provider-legal-name"] = ("", True)  # N/A not allowed here
    document = record_mdf(
        model, procurement_user, values=values, requested_on=datetime.date(2026, 11, 2)
    )
    page = procurement_client.get(document.get_absolute_url())
    result = page.context["result"]
    assert [spec.key for spec in result.missing] == ["provider-legal-name", "licence"]
    assert result.answer_due == datetime.date(2026, 11, 16)
    text = page.content.decode()
    assert "contractual request (NDA)" in text
    assert "- 3.2 Licence" in page.context["email"]
    assert "- 1.1 Legal name of the model provider" in page.context["email"]
    # Authority-only fields are never "missing".
    assert "training-energy" not in [spec.key for spec in result.missing]


def test_a_confirmed_version_does_not_change(procurement_client, procurement_user, form_data):
    document = record_mdf(GPAIModelFactory(), procurement_user)
    procurement_client.post(reverse("documentation:mdf_confirm", args=[document.pk]))
    document.refresh_from_db()
    assert document.status == "confirmed" and document.confirmed_by == procurement_user
    edit = reverse("documentation:mdf_edit", args=[document.pk])
    response = procurement_client.post(
        edit, {"document_version": "9", "last_updated": "2026-01-01"}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.document_version == "1.0"
    with pytest.raises(Exception, match="confirmed"):
        services.mdf_update(document=document, meta={}, values={}, by=procurement_user)


def test_a_new_version_shows_a_field_by_field_diff(procurement_client, procurement_user, form_data):
    model = GPAIModelFactory()
    first = record_mdf(model, procurement_user)
    services.mdf_confirm(document=first, by=procurement_user)
    response = procurement_client.post(reverse("documentation:mdf_new_version", args=[first.pk]))
    second = MdfDocument.objects.exclude(pk=first.pk).get()
    assert response.url == reverse("documentation:mdf_edit", args=[second.pk])
    data = form_data(procurement_client.get(response.url).context["form"])
    data.update(
        {
            "document_version": "1.1",
            "last_updated": "2026-07-01",
            "value__architecture": "Mixture of experts",
            "value__required-software": "",
        }
    )
    procurement_client.post(response.url, data)
    page = procurement_client.get(second.get_absolute_url())
    changes = {spec.key: (old, new) for spec, old, new in page.context["changes"]}
    assert changes == {
        "architecture": ("Value of Model architecture", "Mixture of experts"),
        "required-software": ("Value of Required software", ""),
    }
    assert page.context["previous"] == first
    actions = set(
        AuditEntry.objects.filter(target_id=str(second.pk)).values_list("action", flat=True)
    )
    assert actions == {"mdf_created", "mdf_updated"}


def test_roles(procurement_user, viewer_client, outsider_client, legal_client):
    document = record_mdf(GPAIModelFactory(), procurement_user)
    assert viewer_client.get(document.get_absolute_url()).status_code == 200
    assert legal_client.get(document.get_absolute_url()).status_code == 200
    assert outsider_client.get(document.get_absolute_url()).status_code == 404
    edit = reverse("documentation:mdf_edit", args=[document.pk])
    assert viewer_client.get(edit).status_code == 403
    assert (
        viewer_client.post(reverse("documentation:mdf_confirm", args=[document.pk])).status_code
        == 403
    )
    create = reverse("documentation:mdf_create", args=[document.model_id])
    assert outsider_client.get(create).status_code == 404
    document.refresh_from_db()
    assert document.is_draft


def test_checklist_item_shows_completeness_and_a_suggested_status(
    procurement_client, procurement_user
):
    model = GPAIModelFactory()
    values = full_values()
    for key in ("licence", "required-hardware", "required-software"):
        del values[key]
    record_mdf(model, procurement_user, values=values)
    assessment = diligence_services.assessment_start(
        model=model,
        reference="T-1",
        purpose="Drafting",
        owner=procurement_user,
        due_date=datetime.date.today() + datetime.timedelta(days=30),
        by=procurement_user,
    )
    item = assessment.items.get(checklist_item__code="DOC-11")
    page = procurement_client.get(item.get_absolute_url())
    (hint,) = page.context["hints"]
    assert hint.suggested_status == "received"
    assert "3 downstream field(s) missing" in hint.text
    assert "you decide" in page.content.decode()
    item.refresh_from_db()
    assert item.status == "open"  # a suggestion only


def _mdf_page_queries(client, document, django_assert_max_num_queries):
    url = document.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(30) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_mdf_page_reads_a_constant_number_of_queries(
    procurement_client, procurement_user, django_assert_max_num_queries
):
    model = GPAIModelFactory()
    record_mdf(model, procurement_user, values={"architecture": ("x", False)})
    small = record_mdf(model, procurement_user, values={"architecture": ("y", False)})
    few = _mdf_page_queries(procurement_client, small, django_assert_max_num_queries)
    for number in range(5):
        services.mdf_update(
            document=small,
            meta={"document_version": f"1.{number}", "last_updated": datetime.date(2026, 1, 1)},
            values=full_values(),
            by=procurement_user,
        )
    for _ in range(3):
        record_mdf(model, procurement_user)
    big = record_mdf(model, procurement_user)
    assert _mdf_page_queries(procurement_client, big, django_assert_max_num_queries) == few


def test_model_documentation_page_reads_a_constant_number_of_queries(
    procurement_client, procurement_user, django_assert_max_num_queries
):
    model = GPAIModelFactory()
    record_mdf(model, procurement_user)
    url = reverse("documentation:model_documentation", args=[model.pk])
    procurement_client.get(url)
    with django_assert_max_num_queries(30) as queries:
        procurement_client.get(url)
    few = len(queries)
    for _ in range(4):
        record_mdf(model, procurement_user)
    with django_assert_max_num_queries(few):
        assert procurement_client.get(url).status_code == 200
