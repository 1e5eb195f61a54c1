"""The Django admin is held to the app's rules: version pages cannot be posted, every change
leaves an audit entry with its actor and names its editor, and what an admin types is stored
under the same text rule as what a user types (`core/admin_site.py`)."""

import pytest
from django import forms
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from api.models import TokenScope, WebhookDelivery, WebhookEndpoint
from api.tokens import api_token_create
from contracts import services as contract_services
from contracts.models import ClauseLibrary
from core.audit import audit_entries_for
from core.models import AuditEntry, SentReminder
from diligence import services as diligence_services
from tests.factories import UserFactory
from tests.security.conftest import signed_in
from vendors.models import GPAIModel, Supplier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quiet_request_log")]


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def _staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def _history_form_url(record):
    meta = record._meta
    version = record.history.latest()
    return reverse(
        f"admin:{meta.app_label}_{meta.model_name}_simple_history",
        args=[record.pk, version.history_id],
    )


def _supplier_revert_data(supplier):
    return {
        "name": "Renamed through history",
        "legal_name": supplier.legal_name,
        "country": "FR",
        "website": "",
        "archived_at_0": "2026-01-01",
        "archived_at_1": "00:00:00",
        "signatures-TOTAL_FORMS": "0",
        "signatures-INITIAL_FORMS": "0",
    }


# Finding 1: the history pages of the admin --------------------------------------------------


@pytest.mark.parametrize("role", ["legal", "checklist_admin"])
def test_a_read_only_staff_user_cannot_revert_a_supplier_through_its_history(world, role):
    supplier, editor = world.supplier, world.supplier.updated_by
    client = signed_in(_staff(world.users[role]))
    url = _history_form_url(supplier)

    assert client.get(url).status_code == 200  # the version can still be read
    response = client.post(url, _supplier_revert_data(supplier))

    assert response.status_code == 403
    supplier.refresh_from_db()
    assert supplier.name == "Mistral AI"
    assert supplier.archived_at is None
    assert supplier.updated_by == editor


def test_a_read_only_staff_user_cannot_revert_a_model_through_its_history(world):
    model = world.model
    client = signed_in(_staff(world.users["legal"]))

    response = client.post(
        _history_form_url(model),
        {"supplier": model.supplier_id, "name": "Renamed", "modalities": '["text"]'},
    )

    assert response.status_code == 403
    model.refresh_from_db()
    assert model.name == "Mistral Medium"


def test_no_one_reverts_through_the_history_pages_not_even_a_superuser(world, superuser):
    client = signed_in(superuser)
    url = _history_form_url(world.supplier)

    page = client.get(url)
    assert b"Revert" not in page.content.split(b"<title>")[1].split(b"</title>")[0]
    assert client.post(url, _supplier_revert_data(world.supplier)).status_code == 403
    assert Supplier.objects.get(pk=world.supplier.pk).name == "Mistral AI"


# Every admin change leaves the app's trail --------------------------------------------------


def test_a_supplier_changed_in_the_admin_names_its_editor_and_is_audited(
    world, superuser, form_data
):
    client = signed_in(superuser)
    url = reverse("admin:vendors_supplier_change", args=[world.supplier.pk])
    page = client.get(url)
    data = _admin_form_data(page, form_data)
    data["legal_name"] = "Mistral AI S.A.S."

    response = client.post(url, data)

    assert response.status_code == 302, _errors(response)
    supplier = Supplier.objects.get(pk=world.supplier.pk)
    assert supplier.legal_name == "Mistral AI S.A.S."
    assert supplier.updated_by == superuser
    entry = audit_entries_for(supplier).get(action="admin_changed")
    assert entry.actor == superuser
    assert "Legal name" in entry.summary


def test_a_supplier_added_in_the_admin_gets_its_signatures_and_an_audit_entry(superuser, form_data):
    client = signed_in(superuser)
    url = reverse("admin:vendors_supplier_add")
    data = _admin_form_data(client.get(url), form_data)
    data.update({"name": "Cohere", "country": "CA"})

    response = client.post(url, data)

    assert response.status_code == 302, _errors(response)
    supplier = Supplier.objects.get(name="Cohere")
    assert supplier.created_by == supplier.updated_by == superuser
    assert supplier.signatures.count() == 3
    assert audit_entries_for(supplier).get(action="admin_added").actor == superuser


def test_text_typed_in_the_admin_follows_the_app_s_text_rule(world, superuser, form_data):
    client = signed_in(superuser)
    url = reverse("admin:vendors_supplier_change", args=[world.supplier.pk])
    data = _admin_form_data(client.get(url), form_data)
    data["legal_name"] = "Mistral \u202eSAS\u202c AI\u200b"
    data["notes"] = "Cafe\u0301"

    assert client.post(url, data).status_code == 302
    supplier = Supplier.objects.get(pk=world.supplier.pk)
    assert supplier.legal_name == "Mistral SAS AI"
    assert supplier.notes == "Caf\u00e9"

    data["notes"] = "Null\x00byte"
    page = client.post(url, data)
    assert page.status_code == 200
    assert page.context["adminform"].form.errors["notes"]
    assert Supplier.objects.get(pk=world.supplier.pk).notes == "Caf\u00e9"


def test_json_typed_in_the_admin_cannot_carry_a_nul(world, superuser, form_data):
    client = signed_in(superuser)
    url = reverse("admin:vendors_gpaimodel_change", args=[world.model.pk])
    data = _admin_form_data(client.get(url), form_data)
    data["modalities"] = '["text", "image\\u0000"]'

    page = client.post(url, data)

    assert page.status_code == 200
    assert "NUL character" in page.content.decode()
    assert GPAIModel.objects.get(pk=world.model.pk).modalities == world.model.modalities


def _records_of_every_admin_model(world):
    """The data graph, plus a draft checklist and clause library (the newest rows of their
    tables, so editable), a sent reminder, an authenticator device, an API token and a webhook
    endpoint with one delivery."""
    by = world.users["checklist_admin"]
    SentReminder.objects.create(key="assessment_due:test", recipient=by)
    TOTPDevice.objects.create(user=by, name="Authenticator app")
    api_token_create(user=by, name="ERP sync", scope=TokenScope.READ, expires_in_days=30, by=by)
    endpoint = WebhookEndpoint.objects.create(
        url="http://127.0.0.1:9/gpai", events=["assessment.decided"], created_by=by
    )
    WebhookDelivery.objects.create(
        endpoint=endpoint, event="assessment.decided", key="test", payload={"id": 1}
    )
    diligence_services.checklist_new_draft(source=world.checklist, by=by)
    contract_services.clause_library_new_draft(
        source=ClauseLibrary.objects.order_by("-version").first(), by=by
    )


def _admin_form_data(page, form_data):
    """What submitting an admin change or add page unchanged would post: the main form, each
    inline's management form and rows."""
    context = page.context
    forms_on_page = [context["adminform"].form]
    for inline in context.get("inline_admin_formsets", []):
        forms_on_page += [inline.formset.management_form, *inline.formset.forms]
    data = form_data(*forms_on_page)
    # The admin wraps multiple selects in a widget of its own, which the reader takes for a
    # single select: post every selected value.
    for form in forms_on_page:
        for bound_field in form:
            name, widget = bound_field.html_name, bound_field.field.widget
            if isinstance(bound_field.field, forms.ModelMultipleChoiceField):
                data[name] = [str(v) for v in bound_field.value() or []]
            elif isinstance(widget, forms.MultiWidget):  # a date and a time, for example
                data.pop(name, None)
                parts = widget.decompress(bound_field.value())
                for suffix, part_widget, part in zip(
                    widget.widgets_names, widget.widgets, parts, strict=True
                ):
                    data[name + suffix] = part_widget.format_value(part) or ""
    return data


def _errors(response):
    if response.status_code != 200 or response.context is None:
        return response.status_code
    context = response.context
    errors = [context["adminform"].form.errors]
    errors += [inline.formset.errors for inline in context.get("inline_admin_formsets", [])]
    return errors


def test_every_admin_change_form_saves_with_an_audit_entry_and_its_actor(
    world, superuser, form_data, settings
):
    """Walks every model of the admin: a record of it, saved unchanged through its change page,
    leaves an `admin_changed` entry naming the admin; a page that may not change says 403."""
    # The webhook endpoint points at loopback: no host name to resolve, nothing sent.
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    _records_of_every_admin_model(world)
    client = signed_in(superuser)
    walked = []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        record = model._default_manager.order_by("-pk").first()
        assert record is not None, f"No {meta.label} in the data graph to walk."
        try:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
        except NoReverseMatch:
            continue
        page = client.get(url)
        assert page.status_code == 200, meta.label
        request = page.wsgi_request
        before = AuditEntry.objects.filter(action="admin_changed").count()
        if not model_admin.has_change_permission(request, record):
            assert client.post(url, {}).status_code == 403, meta.label
            assert AuditEntry.objects.filter(action="admin_changed").count() == before
            continue

        response = client.post(url, _admin_form_data(page, form_data))

        assert response.status_code == 302, (meta.label, _errors(response))
        entry = audit_entries_for(record).get(action="admin_changed")
        assert entry.actor == superuser, meta.label
        walked.append(meta.label)
    # The walk reached the register, the curated libraries and the accounts.
    assert {
        "vendors.Supplier",
        "vendors.GPAIModel",
        "diligence.Checklist",
        "contracts.ClauseLibrary",
        "contracts.Clause",
        "auth.User",
        "auth.Group",
    } <= set(walked)
