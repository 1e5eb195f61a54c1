import datetime

import pytest

from core.history import changes, changes_as_values, fold_created
from tests.factories import GPAIModelFactory, SupplierFactory, UserFactory
from vendors.models import GPAIModel, Signature, Supplier

pytestmark = pytest.mark.django_db


def test_changes_lists_creation_and_each_change_newest_first():
    supplier = SupplierFactory(name="Mistral", country="FR", signatures=False)
    supplier.name = "Mistral AI"
    supplier.save()
    supplier.country = "DE"
    supplier.save()

    result = changes(Supplier.history.filter(id=supplier.pk))

    assert [(c.kind, c.fields) for c in result] == [
        ("changed", [("Country", "France", "Germany")]),
        ("changed", [("Name", "Mistral", "Mistral AI")]),
        ("created", []),
    ]


def test_changes_names_who_made_them():
    editor = UserFactory()
    supplier = SupplierFactory(signatures=False)
    supplier.notes = "Asked for the copyright policy."
    supplier._history_user = editor
    supplier.save()

    [latest, _created] = changes(Supplier.history.filter(id=supplier.pk))

    assert latest.who == editor


def test_changes_show_values_as_a_reader_knows_them():
    model = GPAIModelFactory(
        licence="",
        modalities=["text"],
        open_licence=False,
        placed_on_market=None,
        systemic_risk_status="unknown",
    )
    model.licence = "Apache 2.0"
    model.modalities = ["text", "code"]
    model.open_licence = True
    model.placed_on_market = datetime.date(2025, 3, 17)
    model.systemic_risk_status = "not_systemic"
    model.save()

    [latest, _created] = changes(GPAIModel.history.filter(id=model.pk))

    assert latest.fields == [
        ("Modalities", "text", "text, code"),
        ("First placed on the EU market", "—", "17 Mar 2025"),
        ("Licence", "—", "Apache 2.0"),
        ("Free and open-source licence", "no", "yes"),
        ("Systemic risk status", "Unknown", "Not systemic risk"),
    ]


def test_changes_skip_saves_that_change_nothing_a_reader_sees():
    supplier = SupplierFactory(signatures=False)
    supplier.updated_by = UserFactory()
    supplier.save()  # updated_at and updated_by change, nothing else

    assert [c.kind for c in changes(Supplier.history.filter(id=supplier.pk))] == ["created"]


def test_changes_follow_each_record_on_its_own():
    supplier = SupplierFactory()
    transparency, copyright_ = (
        supplier.signatures.get(chapter="transparency"),
        supplier.signatures.get(chapter="copyright"),
    )
    transparency.status = "signed"
    transparency.save()
    copyright_.status = "not_signed"
    copyright_.save()
    copyright_.delete()

    result = changes(
        Signature.history.filter(supplier_id=supplier.pk),
        subject=lambda record: record.chapter,
    )

    assert [(c.subject, c.kind, c.fields) for c in result[:3]] == [
        ("copyright", "deleted", []),
        ("copyright", "changed", [("Status", "Unknown", "Not signed")]),
        ("transparency", "changed", [("Status", "Unknown", "Signed")]),
    ]


def test_changes_keep_the_newest_up_to_the_limit():
    supplier = SupplierFactory(signatures=False)
    for note in ("one", "two", "three"):
        supplier.notes = note
        supplier.save()

    result = changes(Supplier.history.filter(id=supplier.pk), limit=2)

    assert [c.fields[0][2] for c in result] == ["three", "two"]


def test_changes_read_the_history_in_one_query(django_assert_num_queries):
    supplier = SupplierFactory()
    for note in ("one", "two", "three"):
        supplier.notes = note
        supplier._history_user = UserFactory()
        supplier.save()

    with django_assert_num_queries(1):
        result = changes(Supplier.history.filter(id=supplier.pk))
        assert [c.who.username for c in result if c.who]


def test_changes_as_values_match_the_records_with_people_and_hostile_text():
    editor = UserFactory(username="o'brien\"<x>")
    supplier = SupplierFactory(signatures={"copyright": "signed", "transparency": "declined"})
    signature = supplier.signatures.get(chapter="copyright")
    signature.note = "<b>\"quoted\"</b> & 'single' {{ x }}"
    signature.signed_on = datetime.date(2025, 8, 1)
    signature._history_user = editor
    signature.save()
    signature.status = "declined"
    signature.save()
    signature.delete()

    def subject(record):
        return f"Signature: {record['chapter'] if isinstance(record, dict) else record.chapter}"

    history = Signature.history.filter(supplier_id=supplier.pk)
    as_values = changes_as_values(history, Signature, subject=subject)
    as_records = changes(history, subject=subject)

    assert [(c.when, c.subject, c.kind, c.fields) for c in as_values] == [
        (c.when, c.subject, c.kind, c.fields) for c in as_records
    ]
    assert [c.who for c in as_values] == [None if c.who is None else str(c.who) for c in as_records]
    assert editor.username in [c.who for c in as_values]
    assert len(as_values) >= 5  # two created, note and date, status, deleted


def test_changes_as_values_refuse_a_model_with_a_field_descriptor():
    with pytest.raises(ValueError, match="country"):
        changes_as_values(Supplier.history.all(), Supplier)


def test_children_read_as_values_fold_into_the_parent_created_by_the_same_person():
    creator = UserFactory()
    supplier = SupplierFactory.build(signatures=False)
    supplier._history_user = creator
    supplier.save()
    signature = Signature(supplier=supplier, chapter="copyright", status="signed")
    signature._history_user = creator
    signature.save()

    [created] = fold_created(
        changes(Supplier.history.filter(id=supplier.pk)),
        changes_as_values(
            Signature.history.filter(supplier_id=supplier.pk),
            Signature,
            subject=lambda row: f"Signature: {row['chapter']}",
        ),
        label="signatures",
    )

    assert created.kind == "created with its signatures (copyright)"
