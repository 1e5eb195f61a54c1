"""One text rule for every way in (`core.text.normalise_text`): NUL refused, bidirectional,
zero-width and control characters removed, Unicode in normal form C. Every form of the app
and of the admin has it, and the register import applies it to each cell."""

import importlib
import json
import pkgutil

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from contracts import services as contract_services
from core.text import NormalisedTextMixin, is_normalised, normalise_text
from diligence.forms import AssessmentStartForm
from tests.factories import SIGNATORY_LIST, UserFactory
from tests.security.conftest import signed_in
from vendors.models import RegisterSnapshot, Supplier

PROJECT_PACKAGES = ("core", "vendors", "diligence", "contracts", "overview", "procurement")
RLO, PDF_ISOLATE = "\u202e", "\u2068"


# The rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Mistral AI SAS", "Mistral AI SAS"),
        (f"Mistral {RLO}SAS", "Mistral SAS"),  # right-to-left override
        (f"{PDF_ISOLATE}Acme\u2069 Ltd\u200f", "Acme Ltd"),  # isolates and marks
        ("Zero\u200bwidth\u2060joined\ufeff", "Zerowidthjoined"),
        ("bell\x07 escape\x1b[31m del\x7f c1\x85", "bell escape[31m del c1"),
        ("Cafe\u0301", "Caf\u00e9"),  # decomposed é becomes one character (NFC)
        ("tab\tline\nreturn\r", "tab\tline\nreturn\r"),  # the line controls stay
        (
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
        ),
        ("\U0001f469\u200d\U0001f52c", "\U0001f469\u200d\U0001f52c"),  # joiners stay
        ("日本語 Ελληνικά עברית", "日本語 Ελληνικά עברית"),
    ],
    ids=[
        "plain",
        "bidi-override",
        "isolates",
        "zero-width",
        "controls",
        "nfc",
        "line-controls",
        "persian-zwnj",
        "emoji-zwj",
        "mixed-scripts",
    ],
)
def test_normalise_text_removes_what_no_one_types_and_keeps_what_scripts_need(typed, stored):
    assert normalise_text(typed) == stored
    assert normalise_text(stored) == stored  # idempotent
    assert is_normalised(stored)


@pytest.mark.parametrize("text", ["nul\x00byte", "lone \ud800 surrogate"])
def test_normalise_text_refuses_what_cannot_be_stored(text):
    with pytest.raises(ValidationError):
        normalise_text(text)
    assert not is_normalised(text)


# Every form has it ------------------------------------------------------------------------


def _project_form_classes():
    for package_name in PROJECT_PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if ".migrations" in module.name or ".management" in module.name:
                continue
            importlib.import_module(module.name)
    seen, pending = set(), [forms.BaseForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            if subclass not in seen:
                seen.add(subclass)
                pending.append(subclass)
    return sorted(
        (cls for cls in seen if cls.__module__.split(".")[0] in PROJECT_PACKAGES),
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )


def test_every_form_of_the_app_applies_the_text_rule():
    classes = _project_form_classes()
    names = {f"{cls.__module__}.{cls.__qualname__}" for cls in classes}

    assert [cls for cls in classes if not issubclass(cls, NormalisedTextMixin)] == []
    # The walk found the forms people submit.
    assert {
        "vendors.forms.SupplierForm",
        "diligence.forms.EvidenceForm",
        "contracts.forms.ClauseOverrideForm",
        "core.forms.SignInForm",
    } <= names


@pytest.mark.django_db
def test_every_form_of_the_admin_applies_the_text_rule():
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    missing = []
    for model, model_admin in admin.site._registry.items():
        form_classes = [
            model_admin.get_form(request),
            model_admin.get_changelist_form(request),
            *(
                inline.get_formset(request).form
                for inline in model_admin.get_inline_instances(request)
            ),
        ]
        if hasattr(model_admin, "add_form"):
            form_classes.append(model_admin.get_form(request, obj=None, change=False))
        missing += [
            (model._meta.label, form_class.__name__)
            for form_class in form_classes
            if not issubclass(form_class, NormalisedTextMixin)
        ]

    assert missing == []


# Finding 5: bidirectional controls in names -------------------------------------------------


@pytest.mark.django_db
def test_a_right_to_left_override_in_a_legal_name_is_not_stored_shown_or_printed(
    world, clients, form_data, media_root
):
    client = clients["procurement"]
    url = reverse("vendors:supplier_update", args=[world.supplier.pk])
    data = form_data(client.get(url).context["form"])
    data["legal_name"] = f"Mistral AI {RLO}SAS{RLO}"

    assert client.post(url, data).status_code == 302

    supplier = Supplier.objects.get(pk=world.supplier.pk)
    assert supplier.legal_name == "Mistral AI SAS"
    page = client.get(supplier.get_absolute_url()).content.decode()
    assert RLO not in page and "Mistral AI SAS" in page
    document, _ = contract_services.document_generate(
        assessment=world.assessment, format="pdf", by=world.users["legal"]
    )
    assert document.snapshot["supplier"]["legal_name"] == "Mistral AI SAS"


# Finding 4: NUL inside a register JSON ------------------------------------------------------


def _register_json(provider):
    rows = [
        {
            "provider": provider,
            "chapters": "all",
            "date": "2025-08-01",
            "source_url": SIGNATORY_LIST,
        }
    ]
    return json.dumps(rows).encode()


@pytest.mark.django_db
def test_a_register_json_with_an_escaped_nul_is_refused_by_row_and_column(world):
    client = signed_in(world.users["checklist_admin"])
    data = _register_json("Mistral\u0000AI")
    assert b"\\u0000" in data and b"\x00" not in data  # escaped: the file check cannot see it
    snapshots = RegisterSnapshot.objects.count()

    response = client.post(
        reverse("vendors:register_import"),
        {
            "file": SimpleUploadedFile("register.json", data, "application/json"),
            "taken_on": "2026-01-15",
            "source_url": SIGNATORY_LIST,
        },
    )

    assert response.status_code == 200
    assert "Row 1, column provider: This text contains a NUL character" in response.content.decode()
    assert RegisterSnapshot.objects.count() == snapshots


@pytest.mark.django_db
def test_a_register_json_with_bidi_controls_is_imported_without_them(world):
    client = signed_in(world.users["checklist_admin"])

    response = client.post(
        reverse("vendors:register_import"),
        {
            "file": SimpleUploadedFile(
                "register.json", _register_json(f"Cohere{RLO} Inc."), "application/json"
            ),
            "taken_on": "2026-01-15",
            "source_url": SIGNATORY_LIST,
        },
    )

    assert response.status_code == 302
    entry = RegisterSnapshot.objects.order_by("-pk").first().entries.get()
    assert entry.provider == "Cohere Inc."


# Numbers and JSON that no database holds -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["9" * 20, "9" * 5000, "-" + "9" * 19])
def test_a_record_chosen_by_an_id_beyond_64_bits_is_an_invalid_choice(world, pk):
    form = AssessmentStartForm(data={"model": pk, "owner": pk, "reference": "R", "purpose": "P"})

    assert not form.is_valid()  # SQLite raised OverflowError binding such an id
    assert "model" in form.errors and "owner" in form.errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value", ["[1e999]", '["text", NaN]', "[Infinity]", "[" + "9" * 5000 + "]"]
)
def test_admin_json_that_no_database_stores_is_refused_as_invalid_json(world, value):
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    model_admin = admin.site._registry[type(world.model)]
    form_class = model_admin.get_form(request, world.model)
    data = {
        "supplier": world.model.supplier_id,
        "name": "Mistral Medium",
        "systemic_risk_status": "unknown",
        "modalities": value,
    }

    form = form_class(data=data, instance=world.model)

    assert not form.is_valid()
    assert form.errors["modalities"] == ["Enter a valid JSON."]
