"""The supplier, model and signature forms, used the way a person uses them: open the page,
fill in what it shows, submit."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import GPAIModelFactory, SupplierFactory, UserFactory
from vendors.models import GPAIModel, Signature, Supplier

pytestmark = pytest.mark.django_db

TOMORROW = datetime.date.today() + datetime.timedelta(days=1)
SOURCE = "https://digital-strategy.ec.europa.eu/en/policies/contents-code-gpai"


@pytest.fixture
def supplier():
    return SupplierFactory(name="Mistral AI", country="FR")


@pytest.fixture
def open_form(procurement_client, form_data):
    """GET a form page; return its URL and what submitting it unchanged would post."""

    def open_(name, *args):
        url = reverse(f"vendors:{name}", args=args)
        context = procurement_client.get(url).context
        forms = context["forms"] if "forms" in context else [context["form"]]
        return url, form_data(*forms)

    return open_


def _errors(response):
    context = response.context
    forms = context["forms"] if "forms" in context else [context["form"]]
    return {
        (form.prefix or "") + ("-" if form.prefix else "") + field: messages
        for form in forms
        for field, messages in form.errors.items()
    }


# Suppliers


def test_new_supplier_starts_with_three_unknown_signatures(
    procurement_client, procurement_user, open_form
):
    url, data = open_form("supplier_create")

    response = procurement_client.post(url, {**data, "name": "Cohere", "country": "CA"})

    supplier = Supplier.objects.get(name="Cohere")
    assert response.url == supplier.get_absolute_url()
    assert supplier.created_by == procurement_user
    assert sorted(supplier.signatures.values_list("chapter", "status")) == [
        ("copyright", "unknown"),
        ("safety_security", "unknown"),
        ("transparency", "unknown"),
    ]


@pytest.mark.parametrize("name", ["mistral ai", "MISTRAL AI", "  Mistral AI "])
def test_supplier_name_differing_only_in_case_is_refused(
    procurement_client, supplier, open_form, name
):
    url, data = open_form("supplier_create")

    response = procurement_client.post(url, {**data, "name": name, "country": "FR"})

    assert response.status_code == 200
    assert _errors(response)["name"] == [
        "A supplier named “Mistral AI” already exists. Names are compared without regard to case."
    ]
    assert Supplier.objects.count() == 1


def test_supplier_name_of_an_archived_supplier_is_refused(procurement_client, open_form):
    SupplierFactory(
        name="Inflection", archived_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    )
    url, data = open_form("supplier_create")

    response = procurement_client.post(url, {**data, "name": "inflection", "country": "US"})

    assert "name" in _errors(response)
    assert Supplier.objects.count() == 1


def test_supplier_saved_unchanged_keeps_its_own_name(procurement_client, supplier, open_form):
    url, data = open_form("supplier_update", supplier.pk)

    response = procurement_client.post(url, data)

    assert response.status_code == 302
    supplier.refresh_from_db()
    assert (supplier.name, supplier.country.code) == ("Mistral AI", "FR")


def test_supplier_rename_to_another_suppliers_name_is_refused(
    procurement_client, supplier, open_form
):
    other = SupplierFactory(name="Aleph Alpha")
    url, data = open_form("supplier_update", other.pk)

    response = procurement_client.post(url, {**data, "name": "MISTRAL ai"})

    assert "name" in _errors(response)
    other.refresh_from_db()
    assert other.name == "Aleph Alpha"


@pytest.mark.parametrize(
    ("field", "value"),
    [("website", "not a url"), ("website", "javascript:alert(1)"), ("contact_email", "nobody")],
)
def test_supplier_with_malformed_address_is_refused(procurement_client, open_form, field, value):
    url, data = open_form("supplier_create")

    response = procurement_client.post(
        url, {**data, "name": "Cohere", "country": "CA", field: value}
    )

    assert field in _errors(response)
    assert not Supplier.objects.exists()


def test_supplier_needs_a_country(procurement_client, open_form):
    url, data = open_form("supplier_create")

    response = procurement_client.post(url, {**data, "name": "Cohere"})

    assert _errors(response)["country"] == ["This field is required."]


# Models


def test_model_training_compute_is_read_in_powers_of_ten(procurement_client, supplier, open_form):
    url, data = open_form("model_create", supplier.pk)

    response = procurement_client.post(
        url, {**data, "name": "Mistral Large", "training_compute_flop": "3.8 × 10^25"}
    )

    model = GPAIModel.objects.get()
    assert response.url == model.get_absolute_url()
    assert (model.supplier, model.training_compute_flop) == (supplier, 38 * 10**24)
    assert model.has_systemic_risk


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "is not a number of FLOP"),
        ("3.8 × 10^", "is not a number of FLOP"),
        ("-5", "is not a number of FLOP"),
        ("0", "must be more than zero FLOP"),
        ("1e99", "far beyond any model trained so far"),
        # Beyond what a decimal holds: refused, not a server error (it was decimal.Overflow).
        ("1e1000000", "is not a number of FLOP"),
        ("9.9 × 10^999999999", "is not a number of FLOP"),
        ("3,8e25", "write decimals with a point"),
    ],
)
def test_model_with_unreadable_training_compute_is_refused(
    procurement_client, supplier, open_form, text, message
):
    url, data = open_form("model_create", supplier.pk)

    response = procurement_client.post(
        url, {**data, "name": "Mistral Large", "training_compute_flop": text}
    )

    [error] = _errors(response)["training_compute_flop"]
    assert message in error
    assert text in response.content.decode()  # shown back for correction
    assert not GPAIModel.objects.exists()


def test_model_saved_unchanged_keeps_its_training_compute(procurement_client, open_form):
    model = GPAIModelFactory(training_compute_flop=12_345_678_900_000_000_000_000)
    model.refresh_from_db()
    recorded = model.training_compute_flop
    url, data = open_form("model_update", model.pk)

    procurement_client.post(url, data)

    model.refresh_from_db()
    assert model.training_compute_flop == recorded == 12_345_678_900_000_000_000_000


@pytest.mark.parametrize("name", ["Mistral Large", "mistral large"])
def test_model_with_same_name_and_version_is_refused(procurement_client, supplier, open_form, name):
    GPAIModelFactory(supplier=supplier, name="Mistral Large", version="2")
    url, data = open_form("model_create", supplier.pk)

    response = procurement_client.post(url, {**data, "name": name, "version": "2"})

    assert _errors(response)["version"] == [
        "This supplier already has a model with this name and version."
    ]
    assert GPAIModel.objects.count() == 1


@pytest.mark.parametrize(
    ("same_supplier", "version"), [(True, "3"), (False, "2")], ids=["new version", "other supplier"]
)
def test_model_name_may_repeat_with_another_version_or_supplier(
    procurement_client, supplier, open_form, same_supplier, version
):
    owner = supplier if same_supplier else SupplierFactory()
    GPAIModelFactory(supplier=owner, name="Mistral Large", version="2")
    url, data = open_form("model_create", supplier.pk)

    response = procurement_client.post(url, {**data, "name": "Mistral Large", "version": version})

    assert response.status_code == 302
    assert GPAIModel.objects.count() == 2


def test_model_saved_unchanged_does_not_clash_with_itself(procurement_client, open_form):
    model = GPAIModelFactory(name="Mistral Large", version="2", notes="")
    url, data = open_form("model_update", model.pk)

    response = procurement_client.post(url, {**data, "notes": "Checked."})

    assert response.status_code == 302
    model.refresh_from_db()
    assert model.notes == "Checked."


def test_model_placed_on_the_market_in_the_future_is_refused(
    procurement_client, supplier, open_form
):
    url, data = open_form("model_create", supplier.pk)

    response = procurement_client.post(
        url, {**data, "name": "Mistral Next", "placed_on_market": TOMORROW.isoformat()}
    )

    assert _errors(response)["placed_on_market"] == [
        "A model cannot have been placed on the market in the future."
    ]
    assert not GPAIModel.objects.exists()


def test_model_form_keeps_what_the_page_shows(procurement_client, open_form):
    model = GPAIModelFactory(
        modalities=["text", "image"], open_licence=True, placed_on_market=datetime.date(2025, 3, 17)
    )
    url, data = open_form("model_update", model.pk)

    assert data["modalities"] == ["text", "image"]
    assert data["open_licence"] == "on"
    assert "weights_public" not in data
    assert data["placed_on_market"] == "2025-03-17"


# Signatures


def test_signature_statuses_are_saved_per_chapter(
    procurement_client, procurement_user, supplier, open_form
):
    url, data = open_form("signatures_edit", supplier.pk)
    data.update(
        {
            "transparency-status": "signed",
            "transparency-signed_on": "2025-08-01",
            "transparency-source_url": SOURCE,
            "copyright-status": "not_signed",
            "safety_security-status": "declined",
            "safety_security-source_url": SOURCE,
        }
    )

    response = procurement_client.post(url, data)

    assert response.url == supplier.get_absolute_url()
    saved = {s.chapter: s for s in supplier.signatures.all()}
    assert {chapter: s.status for chapter, s in saved.items()} == {
        "transparency": "signed",
        "copyright": "not_signed",
        "safety_security": "declined",
    }
    assert saved["transparency"].signed_on == datetime.date(2025, 8, 1)
    assert saved["transparency"].updated_by == procurement_user


@pytest.mark.parametrize("status", ["signed", "declined", "withdrawn"])
def test_signature_status_needs_its_source(procurement_client, supplier, open_form, status):
    url, data = open_form("signatures_edit", supplier.pk)

    response = procurement_client.post(url, {**data, "copyright-status": status})

    assert _errors(response)["copyright-source_url"] == ["Give the source that shows this status."]
    assert set(supplier.signatures.values_list("status", flat=True)) == {"unknown"}


def test_signature_source_must_be_a_web_address(procurement_client, supplier, open_form):
    url, data = open_form("signatures_edit", supplier.pk)

    response = procurement_client.post(
        url, {**data, "copyright-status": "signed", "copyright-source_url": "the newspaper"}
    )

    assert _errors(response)["copyright-source_url"] == ["Enter a valid URL."]


@pytest.mark.parametrize("field", ["signed_on", "verified_on"])
def test_signature_dates_in_the_future_are_refused(procurement_client, supplier, open_form, field):
    url, data = open_form("signatures_edit", supplier.pk)
    data.update(
        {
            "transparency-status": "signed",
            "transparency-source_url": SOURCE,
            f"transparency-{field}": TOMORROW.isoformat(),
        }
    )

    response = procurement_client.post(url, data)

    assert _errors(response)[f"transparency-{field}"] == ["This date is in the future."]
    assert not supplier.signatures.filter(status="signed").exists()


def test_signing_date_only_fits_a_signed_or_withdrawn_chapter(
    procurement_client, supplier, open_form
):
    url, data = open_form("signatures_edit", supplier.pk)

    response = procurement_client.post(
        url, {**data, "copyright-status": "not_signed", "copyright-signed_on": "2025-08-01"}
    )

    assert _errors(response)["copyright-signed_on"] == [
        "A signing date only fits a chapter signed or withdrawn."
    ]


def test_one_wrong_chapter_saves_none_and_all_show_their_errors(
    procurement_client, supplier, open_form
):
    url, data = open_form("signatures_edit", supplier.pk)
    data.update(
        {
            "transparency-status": "not_signed",  # valid on its own
            "copyright-status": "signed",
            "safety_security-status": "declined",
        }
    )

    response = procurement_client.post(url, data)

    assert set(_errors(response)) == {"copyright-source_url", "safety_security-source_url"}
    assert set(supplier.signatures.values_list("status", flat=True)) == {"unknown"}


def test_new_verification_date_records_who_verified(
    procurement_client, procurement_user, supplier, open_form
):
    url, data = open_form("signatures_edit", supplier.pk)

    procurement_client.post(
        url,
        {**data, "copyright-verified_on": "2025-12-15", "transparency-verified_on": ""},
    )

    saved = {s.chapter: s for s in supplier.signatures.all()}
    assert saved["copyright"].verified_on == datetime.date(2025, 12, 15)
    assert saved["copyright"].verified_by == procurement_user
    assert saved["transparency"].verified_by is None  # the offered date was cleared
    # Nothing of this chapter was touched: the date offered records no check.
    assert saved["safety_security"].verified_on is None
    assert saved["safety_security"].verified_by is None


def test_a_chapter_recorded_with_the_offered_date_was_checked_today(
    procurement_client, procurement_user, supplier, open_form
):
    url, data = open_form("signatures_edit", supplier.pk)

    procurement_client.post(
        url, {**data, "copyright-status": "not_signed", "copyright-source_url": SOURCE}
    )

    saved = {s.chapter: s for s in supplier.signatures.all()}
    assert saved["copyright"].verified_on == datetime.date.today()
    assert saved["copyright"].verified_by == procurement_user
    assert saved["transparency"].verified_on is None


def test_other_changes_keep_who_verified(procurement_client, supplier, open_form):
    verifier = UserFactory()
    supplier.signatures.filter(chapter="copyright").update(
        verified_on=datetime.date(2025, 9, 1), verified_by=verifier
    )
    url, data = open_form("signatures_edit", supplier.pk)

    procurement_client.post(
        url,
        {
            **data,
            "copyright-status": "not_signed",
            "copyright-source_url": SOURCE,
            "copyright-note": "Asked the supplier.",
        },
    )

    signature = supplier.signatures.get(chapter="copyright")
    assert (signature.status, signature.note) == ("not_signed", "Asked the supplier.")
    assert signature.verified_by == verifier


def test_signatures_saved_unchanged_leave_no_history(procurement_client, supplier, open_form):
    # Checked before: the form offers the stored dates. (A chapter never checked is offered
    # today's date, which records a check only with a change to that chapter.)
    supplier.signatures.update(verified_on=datetime.date(2025, 9, 1))
    before = Signature.history.count()
    url, data = open_form("signatures_edit", supplier.pk)

    response = procurement_client.post(url, data)

    assert response.status_code == 302
    assert Signature.history.count() == before


def test_clearing_the_verification_date_clears_who_verified(
    procurement_client, supplier, open_form
):
    supplier.signatures.filter(chapter="copyright").update(
        verified_on=datetime.date(2025, 9, 1), verified_by=UserFactory()
    )
    url, data = open_form("signatures_edit", supplier.pk)

    procurement_client.post(url, {**data, "copyright-verified_on": ""})

    signature = supplier.signatures.get(chapter="copyright")
    assert (signature.verified_on, signature.verified_by) == (None, None)


# Systemic-risk status and modification (Art. 52; Commission guidelines of 18 Jul 2025)


def test_rebuttal_accepted_needs_the_date_and_source_of_the_decision(procurement_client, open_form):
    model = GPAIModelFactory(training_compute_flop=3 * 10**25)
    url, data = open_form("model_update", model.pk)

    refused = procurement_client.post(url, {**data, "systemic_risk_status": "rebutted"})
    errors = _errors(refused)
    assert errors["systemic_risk_decided_on"] == [
        "Give the date the Commission accepted the rebuttal."
    ]
    assert errors["systemic_risk_source"] == [
        "Give the source that shows the Commission's acceptance."
    ]

    procurement_client.post(
        url,
        {
            **data,
            "systemic_risk_status": "rebutted",
            "systemic_risk_decided_on": "2026-03-02",
            "systemic_risk_source": "https://example.org/decision",
        },
    )
    model.refresh_from_db()
    assert (model.systemic_risk_status, model.systemic_risk_decided_on) == (
        "rebutted",
        datetime.date(2026, 3, 2),
    )


def test_a_modification_records_the_original_and_both_compute_figures(
    procurement_client, supplier, open_form
):
    original = GPAIModelFactory(name="Base", training_compute_flop=9 * 10**24)
    url, data = open_form("model_create", supplier.pk)

    procurement_client.post(
        url,
        {
            **data,
            "name": "Base tuned",
            "modification_of": original.pk,
            "modification_compute_flop": "4e24",
        },
    )

    model = GPAIModel.objects.get(name="Base tuned")
    assert model.modification_of == original
    assert model.modification_compute_flop == 4 * 10**24
    assert model.facts().upstream_compute_flop == 9 * 10**24  # taken from the register


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"upstream_model_name": "Llama 3.1 405B", "modification_of": "ORIGINAL"},
            "upstream_model_name",
            "not both",
        ),
        (
            {"modification_compute_flop": "1e22"},
            "modification_compute_flop",
            "Only for a modification",
        ),
        ({"modification_of": "SELF_ORIGINAL"}, "modification_of", "its own original"),
    ],
    ids=["register-and-name", "compute-without-original", "cycle"],
)
def test_modification_entries_that_cannot_be_right_are_refused(
    procurement_client, open_form, changes, field, message
):
    model = GPAIModelFactory(name="Tuned")
    original = GPAIModelFactory(name="Base")
    if changes.get("modification_of") == "SELF_ORIGINAL":
        original.modification_of = model
        original.save()
    url, data = open_form("model_update", model.pk)
    changes = {
        key: original.pk if value in ("ORIGINAL", "SELF_ORIGINAL") else value
        for key, value in changes.items()
    }

    response = procurement_client.post(url, {**data, **changes})

    assert response.status_code == 200
    assert message in " ".join(_errors(response)[field])
