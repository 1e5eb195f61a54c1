import pytest
from django.utils import timezone

from core.audit import audit_entries_for, audit_log, recent_audit_entries
from tests.factories import GPAIModelFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def test_audit_log_records_who_did_what_to_which_record(procurement_user):
    supplier = SupplierFactory()
    before = timezone.now()

    entry = audit_log(
        actor=procurement_user,
        action="archived",
        target=supplier,
        summary="Archived supplier",
        data={"reason": "duplicate"},
    )

    entry.refresh_from_db()
    assert (entry.actor, entry.action, entry.target) == (procurement_user, "archived", supplier)
    assert (entry.summary, entry.data) == ("Archived supplier", {"reason": "duplicate"})
    assert entry.at >= before


def test_audit_log_cuts_long_summaries_to_fit(procurement_user):
    entry = audit_log(
        actor=procurement_user, action="noted", target=SupplierFactory(), summary="x" * 600
    )
    entry.refresh_from_db()
    assert entry.summary == "x" * 500
    assert entry.data == {}


def test_audit_entries_for_a_record_are_its_own_newest_first(procurement_user):
    # A supplier and a model with the same primary key must not share entries.
    supplier = SupplierFactory(pk=4242)
    model = GPAIModelFactory(pk=4242)
    audit_log(actor=procurement_user, action="archived", target=supplier)
    audit_log(actor=procurement_user, action="archived", target=model)
    audit_log(actor=procurement_user, action="restored", target=supplier)

    entries = audit_entries_for(supplier)

    assert [(e.action, e.target) for e in entries] == [
        ("restored", supplier),
        ("archived", supplier),
    ]


def test_recent_audit_entries_are_the_newest_of_the_record_with_who_made_them(
    procurement_user, django_assert_num_queries
):
    supplier, other = SupplierFactory(), SupplierFactory()
    for index in range(4):
        audit_log(actor=procurement_user, action=f"a{index}", target=supplier)
    audit_log(actor=None, action="linked", target=supplier, data={"actor_label": "Supplier"})
    audit_log(actor=procurement_user, action="other", target=other)
    expected = list(audit_entries_for(supplier)[:3])

    with django_assert_num_queries(1):
        recent = recent_audit_entries(supplier, limit=3)
        shown = [(entry.pk, entry.at, entry.action, str(entry.who)) for entry in recent]

    assert shown == [(e.pk, e.at, e.action, str(e.who)) for e in expected]
    assert [str(entry.who) for entry in recent] == ["Supplier", *[procurement_user.username] * 2]
