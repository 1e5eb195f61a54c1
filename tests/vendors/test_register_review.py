"""The snapshot's review read from the database agrees with `vendors.register.review`, the
pure comparison, on every combination of what can be recorded for a supplier the list does
not name: status, date verified, the list it came from and a check noted already."""

import datetime
import itertools

import pytest
from django.db.models.functions import Lower
from django.utils import timezone

from tests.factories import SupplierFactory, UserFactory
from vendors import register
from vendors.models import RegisterChange, Signature, Supplier
from vendors.register import apply_all, queries, services

pytestmark = pytest.mark.django_db

LIST = "https://digital-strategy.ec.europa.eu/en/policies/contents-code-gpai"
AS_OF = datetime.date(2025, 12, 31)
STATUSES = ["signed", "not_signed", "declined", "withdrawn", "unknown", None]  # None: no row
VERIFIED = [None, AS_OF - datetime.timedelta(days=1), AS_OF, AS_OF + datetime.timedelta(days=1)]
SOURCES = ["by hand", "this list", "an earlier list", "another list of the same day"]
CHECKS = ["none", "noted", "noted and undone"]


def _import(user, taken_on=AS_OF, filename="register.csv"):
    text = (
        "provider,chapters,date,source_url,status,note\n"
        f"Mistral AI SAS,all,2025-08-01,{LIST},,{filename}\n"
        f"Aleph Alfa,all,2025-08-01,{LIST},,\n"
    )
    return services.register_import(
        data=text.encode(), filename=filename, taken_on=taken_on, source_url=LIST, by=user
    )


def _cases():
    for status, verified, source, check in itertools.product(STATUSES, VERIFIED, SOURCES, CHECKS):
        if status is None and (verified, source) != (None, "by hand"):
            continue  # no signature: nothing verified, no source
        yield status, verified, source, check


@pytest.fixture
def world():
    """A snapshot, and suppliers it does not name whose chapters hold every case in turn."""
    user = UserFactory()
    earlier = _import(user, taken_on=AS_OF - datetime.timedelta(days=30), filename="old.csv")
    same_day = _import(user, filename="same-day.csv")
    snapshot = _import(user, filename="register.csv")
    SupplierFactory(name="Mistral AI")  # named by the list: compared apart
    SupplierFactory(name="Aleph Alpha")  # awaits a person: left out until settled
    lists = {
        "by hand": None,
        "this list": snapshot,
        "an earlier list": earlier,
        "another list of the same day": same_day,
    }
    cases = list(_cases())
    signatures, notes = [], []
    for number, start in enumerate(range(0, len(cases), len(register.CHAPTERS))):
        supplier = SupplierFactory(name=f"Case {number:03d}", signatures=False)
        chapters = zip(register.CHAPTERS, cases[start : start + 3], strict=False)
        for chapter, (status, verified, source, check) in chapters:
            if status is not None:
                signatures.append(
                    Signature(
                        supplier=supplier,
                        chapter=chapter,
                        status=status,
                        verified_on=verified,
                        from_list=lists[source],
                    )
                )
            if check != "none":
                notes.append(
                    RegisterChange(
                        snapshot=snapshot,
                        supplier=supplier,
                        chapter=chapter,
                        kind=register.ChangeKind.CHECK_NOT_IN_LIST,
                        undone_at=timezone.now() if check == "noted and undone" else None,
                    )
                )
    Signature.objects.bulk_create(signatures)
    RegisterChange.objects.bulk_create(notes)
    SupplierFactory(name="Archived", archived_at=timezone.now())  # left out everywhere
    return snapshot, user, len(cases)


def _pure_review(snapshot):
    """What `register.review` says, given every active supplier with its record."""
    entries = list(snapshot.entries.select_related("supplier").order_by("row_number"))
    suppliers = list(Supplier.objects.active().order_by(Lower("name"), "pk"))
    for supplier in suppliers:
        supplier.recorded = {
            s.chapter: register.Recorded(
                s.status, s.verified_on, s.from_list.taken_on if s.from_list_id else None
            )
            for s in Signature.objects.filter(supplier=supplier).select_related("from_list")
        }
    checked = set(
        snapshot.applied_changes.filter(
            kind=register.ChangeKind.CHECK_NOT_IN_LIST, undone_at=None
        ).values_list("supplier_id", "chapter")
    )
    return register.review(entries, suppliers, list_date=snapshot.taken_on, checked=checked)


def _by_id(pairs):
    return [(supplier.id, changes) for supplier, changes in pairs]


def test_the_database_review_agrees_with_the_pure_one_on_every_case(world):
    snapshot, _, case_count = world
    expected = _pure_review(snapshot)

    _, found = queries.register_review(snapshot)

    assert case_count == 5 * 4 * 4 * 3 + 3  # the same, with no signature row
    assert _by_id(found.not_in_list) == _by_id(expected.not_in_list)
    assert _by_id(found.newer_source) == _by_id(expected.newer_source)
    assert [s.id for s in found.in_line] == [s.id for s in expected.in_line]
    assert [(e.pk, s.id, c) for e, s, c in found.changes] == [
        (e.pk, s.id, c) for e, s, c in expected.changes
    ]
    assert [e.pk for e in found.pending] == [e.pk for e in expected.pending]
    assert found.change_count == expected.change_count
    # Every kind of outcome occurs, so none of them is left untested.
    kinds = {c.kind for _, changes in expected.not_in_list + expected.newer_source for c in changes}
    assert kinds == {
        register.ChangeKind.NOT_IN_LIST,
        register.ChangeKind.CHECK_NOT_IN_LIST,
        register.ChangeKind.NEWER_SOURCE,
    }


def test_pages_of_a_section_are_the_slices_of_the_whole(world):
    snapshot, _, _ = world
    _, found = queries.register_review(snapshot)
    whole = _by_id(found.not_in_list)

    assert _by_id(found.not_in_list[5:12]) == whole[5:12]
    assert len(found.not_in_list) == len(whole)
    in_line = [s.id for s in found.in_line]
    assert [s.id for s in found.in_line[1:4]] == in_line[1:4]


def test_the_preview_plans_and_fingerprint_are_those_applying_all_checks(world):
    snapshot, user, _ = world
    _, found = queries.register_review(snapshot)
    every = apply_all.plan_all(snapshot=snapshot, review=found, by=user)

    planned = queries.PlannedChanges(snapshot=snapshot, review=found, by=user)

    assert len(planned) == len(every) == found.change_count
    assert [p.key for p in every] == list(queries.change_keys(found))
    assert [p.key for p in planned[10:60]] == [p.key for p in every[10:60]]
    assert [p.key for p in planned] == [p.key for p in every]


def test_the_fingerprint_follows_the_changes_to_apply_and_only_them(world):
    snapshot, _, _ = world
    before = queries.changes_fingerprint(queries.register_review(snapshot)[1])
    newer = Signature.objects.filter(verified_on__gt=AS_OF, supplier__name__startswith="Case")
    newer.filter(status="signed").update(verified_on=AS_OF + datetime.timedelta(days=2))
    assert queries.changes_fingerprint(queries.register_review(snapshot)[1]) == before

    Signature.objects.filter(status="unknown", verified_on=None).first().delete()
    assert queries.changes_fingerprint(queries.register_review(snapshot)[1]) == before

    unknown = Signature.objects.filter(status="unknown", verified_on=None).first()
    unknown.status = "not_signed"
    unknown.save()
    assert queries.changes_fingerprint(queries.register_review(snapshot)[1]) != before
