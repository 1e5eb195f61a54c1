"""Importing a register snapshot, settling matches and applying its changes."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEntry
from diligence.services import assessment_start
from tests.factories import GPAIModelFactory, SupplierFactory, UserFactory
from vendors.forms import SupplierForm
from vendors.models import (
    RegisterChange,
    RegisterEntry,
    RegisterMatch,
    RegisterSnapshot,
    Signature,
    Supplier,
)
from vendors.register import apply_all, applying, queries, services

pytestmark = pytest.mark.django_db

LIST = "https://digital-strategy.ec.europa.eu/en/policies/contents-code-gpai"
XAI = "https://www.thestar.com.my/tech/tech-news/2025/07/31/musk039s-xai-to-sign-eu039s-ai-code-of-practice"
AS_OF = datetime.date(2025, 12, 31)
CSV = (
    "# Sample\n"
    "provider,chapters,date,source_url,status,note\n"
    f"Mistral AI SAS,all,2025-08-01,{LIST},,\n"
    f"xAI,safety_security,,{XAI},signed,Only this chapter\n"
    f"Aleph Alfa,all,2025-08-01,{LIST},,\n"
    f"Cohere,all,,{LIST},,\n"
    "Meta,,2025-07-18,https://www.cnbc.com/2025/07/18/meta-europe-ai-code.html,declined,\n"
)


@pytest.fixture
def user():
    return UserFactory(role="Procurement")


def _import(user, text=CSV, taken_on=AS_OF, filename="register.csv"):
    return services.register_import(
        data=text.encode(), filename=filename, taken_on=taken_on, source_url=LIST, by=user
    )


def _statuses(supplier):
    return dict(Signature.objects.filter(supplier=supplier).values_list("chapter", "status"))


def test_import_stores_every_row_with_its_match(user):
    mistral = SupplierFactory(name="Mistral AI")
    aleph = SupplierFactory(name="Aleph Alpha")
    xai = SupplierFactory(name="xAI")

    snapshot = _import(user)

    entries = {e.provider: e for e in snapshot.entries.all()}
    assert {name: (e.supplier, e.match) for name, e in entries.items()} == {
        "Mistral AI SAS": (mistral, RegisterMatch.MATCHED),
        "xAI": (xai, RegisterMatch.MATCHED),
        "Aleph Alfa": (aleph, RegisterMatch.UNCERTAIN),
        "Cohere": (None, RegisterMatch.NONE),
        "Meta": (None, RegisterMatch.NONE),
    }
    assert entries["xAI"].chapters == ["safety_security"]
    assert entries["xAI"].note == "Only this chapter"
    assert entries["Meta"].signed_on == datetime.date(2025, 7, 18)
    assert (snapshot.taken_on, snapshot.source_url, snapshot.imported_by) == (AS_OF, LIST, user)
    entry = AuditEntry.objects.get(action="register_imported")
    assert entry.summary == "Imported 5 rows from register.csv (list as of 31 Dec 2025)"


def test_a_bad_file_imports_nothing(user):
    bad = CSV + "Pleias,all,someday,not a url,,\n"

    with pytest.raises(ValidationError) as raised:
        _import(user, bad)

    assert raised.value.messages == [
        "Row 8, column date: “someday” is not a date; write it as YYYY-MM-DD, e.g. 2025-08-01.",
        "Row 8, column source_url: “not a url” is not a web address (http:// or https://).",
    ]
    assert not RegisterSnapshot.objects.exists()
    assert not RegisterEntry.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_same_file_for_the_same_date_is_imported_once(user):
    _import(user)
    with pytest.raises(ValidationError, match="This file was imported already as the Signatory"):
        _import(user)
    assert RegisterSnapshot.objects.count() == 1


def test_rows_dated_after_the_list_are_refused(user):
    with pytest.raises(ValidationError, match="after the date of the list"):
        _import(user, taken_on=datetime.date(2025, 7, 31))


def test_applying_a_change_records_the_snapshot_as_the_source(user):
    mistral = SupplierFactory(name="Mistral AI")
    snapshot = _import(user)

    change = services.register_change_apply(
        snapshot=snapshot, supplier=mistral, chapter="copyright", by=user
    )

    assert (change.kind, change.current, change.proposed) == ("chapter_signed", "unknown", "signed")
    signature = Signature.objects.get(supplier=mistral, chapter="copyright")
    assert signature.status == "signed"
    assert signature.signed_on == datetime.date(2025, 8, 1)
    assert signature.source_url == LIST
    assert signature.verified_on == AS_OF
    assert signature.verified_by == user
    assert signature.note == (
        f"Chapter added: row 3 “Mistral AI SAS” of the Signatory register of 31 Dec 2025 "
        f"(snapshot #{snapshot.pk}, register.csv)."
    )
    assert _statuses(mistral) == {
        "transparency": "unknown",
        "copyright": "signed",
        "safety_security": "unknown",
    }
    audit = AuditEntry.objects.get(action="register_change_applied")
    assert audit.target == mistral
    assert audit.actor == user
    assert audit.summary == (
        "Chapter added: Copyright Unknown → Signed, from the Signatory register of 31 Dec 2025"
    )


def test_applying_twice_changes_once(user):
    mistral = SupplierFactory(name="Mistral AI")
    snapshot = _import(user)

    first = services.register_change_apply(
        snapshot=snapshot, supplier=mistral, chapter="copyright", by=user
    )
    second = services.register_change_apply(
        snapshot=snapshot, supplier=mistral, chapter="copyright", by=user
    )

    assert first is not None
    assert second is None
    assert AuditEntry.objects.filter(action="register_change_applied").count() == 1
    assert Signature.history.filter(supplier_id=mistral.pk, chapter="copyright").count() == 2


def _signed_from_an_earlier_list(user, supplier, provider, source=LIST):
    earlier = _import(
        user,
        text=f"provider,chapters,date,source_url\n{provider},all,2025-08-01,{source}\n",
        taken_on=datetime.date(2025, 9, 1),
        filename="earlier.csv",
    )
    for chapter in ("transparency", "copyright", "safety_security"):
        services.register_change_apply(
            snapshot=earlier, supplier=supplier, chapter=chapter, by=user
        )
    return earlier


def test_a_partial_signatory_has_its_other_chapters_withdrawn_or_not_signed(user):
    xai = SupplierFactory(name="xAI", signatures={"copyright": "unknown"})
    _signed_from_an_earlier_list(user, xai, "xAI", source=XAI)
    Signature.objects.filter(supplier=xai, chapter="copyright").update(
        status="unknown", from_list=None, verified_on=None
    )
    snapshot = _import(user)

    for chapter in ("transparency", "copyright", "safety_security"):
        services.register_change_apply(snapshot=snapshot, supplier=xai, chapter=chapter, by=user)

    assert _statuses(xai) == {
        "transparency": "withdrawn",
        "copyright": "not_signed",
        "safety_security": "signed",
    }
    withdrawn = Signature.objects.get(supplier=xai, chapter="transparency")
    assert withdrawn.signed_on == datetime.date(2025, 8, 1)  # kept: when it was signed
    assert withdrawn.source_url == XAI
    assert withdrawn.note.endswith("Only this chapter")


def test_a_decline_is_recorded_with_its_date_in_the_note(user):
    meta = SupplierFactory(
        name="Meta", legal_name="Meta Platforms, Inc.", signatures={"copyright": "signed"}
    )
    snapshot = _import(user)

    services.register_change_apply(snapshot=snapshot, supplier=meta, chapter="copyright", by=user)

    signature = Signature.objects.get(supplier=meta, chapter="copyright")
    assert (signature.status, signature.signed_on) == ("declined", None)
    assert "Declined on 18 Jul 2025." in signature.note


def test_a_supplier_not_in_the_list_is_withdrawn_with_the_list_as_source(user):
    gone = SupplierFactory(name="Gone AI")
    _signed_from_an_earlier_list(user, gone, "Gone AI")
    snapshot = _import(user)

    change = services.register_change_apply(
        snapshot=snapshot, supplier=gone, chapter="copyright", by=user
    )

    assert (change.kind, change.proposed) == ("not_in_list", "withdrawn")
    signature = Signature.objects.get(supplier=gone, chapter="copyright")
    assert signature.source_url == LIST
    assert signature.note.startswith("Supplier not in the list: not listed in the Signatory")


def test_a_signature_row_missing_for_a_chapter_is_created(user):
    mistral = SupplierFactory(name="Mistral AI", signatures=False)
    snapshot = _import(user)

    services.register_change_apply(
        snapshot=snapshot, supplier=mistral, chapter="transparency", by=user
    )

    assert _statuses(mistral) == {"transparency": "signed"}


def test_an_uncertain_match_must_be_settled_before_applying(user):
    aleph = SupplierFactory(name="Aleph Alpha")
    snapshot = _import(user)

    with pytest.raises(ValidationError, match="Confirm or reject the match of “Aleph Alfa”"):
        services.register_change_apply(
            snapshot=snapshot, supplier=aleph, chapter="copyright", by=user
        )

    entry = snapshot.entries.get(provider="Aleph Alfa")
    services.register_match_resolve(snapshot=snapshot, entry=entry, confirm=True, by=user)
    services.register_match_resolve(snapshot=snapshot, entry=entry, confirm=True, by=user)
    change = services.register_change_apply(
        snapshot=snapshot, supplier=aleph, chapter="copyright", by=user
    )

    assert change.proposed == "signed"
    entry.refresh_from_db()
    assert (entry.match, entry.match_resolved_by) == (RegisterMatch.CONFIRMED, user)
    assert AuditEntry.objects.filter(action="register_match_confirmed").count() == 1


def test_rejecting_a_match_makes_the_row_a_new_signatory(user):
    aleph = SupplierFactory(name="Aleph Alpha", signatures={"copyright": "signed"})
    snapshot = _import(user)
    entry = snapshot.entries.get(provider="Aleph Alfa")

    services.register_match_resolve(snapshot=snapshot, entry=entry, confirm=False, by=user)

    entry.refresh_from_db()
    assert (entry.match, entry.supplier) == (RegisterMatch.REJECTED, None)
    # Now Aleph Alpha is a supplier the list does not name; its "signed" came from a person.
    change = services.register_change_apply(
        snapshot=snapshot, supplier=aleph, chapter="copyright", by=user
    )
    assert change.kind == "check_not_in_list"
    with pytest.raises(ValidationError, match="was settled already"):
        services.register_match_resolve(snapshot=snapshot, entry=entry, confirm=True, by=user)


def test_creating_a_supplier_for_a_new_signatory_records_its_signatures(user):
    snapshot = _import(user)
    entry = snapshot.entries.get(provider="Cohere")
    form = SupplierForm({"name": "Cohere", "country": "CA"})
    assert form.is_valid()

    supplier = services.register_supplier_create(snapshot=snapshot, entry=entry, form=form, by=user)

    assert _statuses(supplier) == dict.fromkeys(
        ("transparency", "copyright", "safety_security"), "signed"
    )
    assert set(
        Signature.objects.filter(supplier=supplier).values_list("verified_on", "verified_by")
    ) == {(AS_OF, user.pk)}
    entry.refresh_from_db()
    assert (entry.match, entry.supplier) == (RegisterMatch.CREATED, supplier)
    assert AuditEntry.objects.filter(action="register_supplier_created").count() == 1
    with pytest.raises(ValidationError, match="linked to a supplier already"):
        services.register_supplier_create(
            snapshot=snapshot, entry=entry, form=SupplierForm({"name": "Cohere 2"}), by=user
        )
    assert Supplier.objects.filter(name__startswith="Cohere").count() == 1


def test_only_the_newest_snapshot_can_be_applied(user):
    mistral = SupplierFactory(name="Mistral AI")
    older = _import(user, taken_on=datetime.date(2025, 12, 1))
    newer = _import(user, CSV.replace("# Sample", "# Newer"), taken_on=AS_OF)

    with pytest.raises(ValidationError, match="is newer than this one"):
        services.register_change_apply(
            snapshot=older, supplier=mistral, chapter="copyright", by=user
        )
    assert services.register_change_apply(
        snapshot=newer, supplier=mistral, chapter="copyright", by=user
    )


def test_applying_a_change_re_evaluates_the_suppliers_open_assessments(user):
    mistral = SupplierFactory(name="Mistral AI")
    model = GPAIModelFactory(supplier=mistral, training_compute_flop=10**24)
    assessment = assessment_start(
        model=model,
        reference="TENDER-REG",
        purpose="Summaries.",
        owner=user,
        due_date=datetime.date.today() + datetime.timedelta(days=30),
        by=user,
    )
    snapshot = _import(user)

    services.register_change_apply(
        snapshot=snapshot, supplier=mistral, chapter="copyright", by=user
    )

    assessment.refresh_from_db()
    assert assessment.evidence_modes["copyright"] == "code_measure"
    entry = AuditEntry.objects.get(action="assessment_reevaluated")
    assert entry.data["reason"] == f"Signature applied from the {snapshot}"


# Only ever improving the record --------------------------------------------------------------


def test_an_older_list_never_overwrites_a_newer_manual_check(user):
    mistral = SupplierFactory(name="Mistral AI", signatures=False)
    checked_on = datetime.date(2026, 1, 10)  # after the list's date
    for chapter in ("transparency", "copyright", "safety_security"):
        Signature.objects.create(
            supplier=mistral, chapter=chapter, status="not_signed", verified_on=checked_on
        )
    snapshot = _import(user)

    change = services.register_change_apply(
        snapshot=snapshot, supplier=mistral, chapter="copyright", by=user
    )

    assert change is None
    signature = Signature.objects.get(supplier=mistral, chapter="copyright")
    assert (signature.status, signature.verified_on) == ("not_signed", checked_on)
    assert not RegisterChange.objects.exists()


def test_a_supplier_recorded_by_a_person_and_not_in_the_list_gets_a_note_only(user):
    gone = SupplierFactory(name="Gone AI", signatures={"copyright": "signed"})
    Signature.objects.filter(supplier=gone).update(verified_on=datetime.date(2025, 10, 1))
    snapshot = _import(user)

    change = services.register_change_apply(
        snapshot=snapshot, supplier=gone, chapter="copyright", by=user
    )

    assert (change.kind, change.proposed) == ("check_not_in_list", "signed")
    signature = Signature.objects.get(supplier=gone, chapter="copyright")
    assert (signature.status, signature.verified_on) == ("signed", datetime.date(2025, 10, 1))
    assert signature.note.startswith("Check: not in the Signatory register of 31 Dec 2025")
    # Noted once: a second apply finds nothing to do.
    assert (
        services.register_change_apply(
            snapshot=snapshot, supplier=gone, chapter="copyright", by=user
        )
        is None
    )


def test_a_change_confirmed_on_an_older_view_is_refused(user):
    mistral = SupplierFactory(name="Mistral AI")
    snapshot = _import(user)
    plan = applying.plan_change(snapshot=snapshot, supplier=mistral, chapter="copyright", by=user)
    Signature.objects.filter(supplier=mistral, chapter="copyright").update(status="declined")

    with pytest.raises(ValidationError, match="changed since you looked"):
        services.register_change_apply(
            snapshot=snapshot, supplier=mistral, chapter="copyright", by=user, expected=plan.key
        )
    assert _statuses(mistral)["copyright"] == "declined"


def test_undo_restores_the_earlier_values_as_a_new_audited_change(user):
    mistral = SupplierFactory(name="Mistral AI", signatures={"copyright": "not_signed"})
    Signature.objects.filter(supplier=mistral).update(
        verified_on=datetime.date(2025, 10, 1), note="Asked by email."
    )
    snapshot = _import(user)
    services.register_change_apply(
        snapshot=snapshot, supplier=mistral, chapter="copyright", by=user
    )
    applied = RegisterChange.objects.get()
    assert (applied.before["status"], applied.after["status"]) == ("not_signed", "signed")

    services.register_change_undo(applied=applied, by=user)

    signature = Signature.objects.get(supplier=mistral, chapter="copyright")
    assert (signature.status, signature.verified_on, signature.note, signature.from_list) == (
        "not_signed",
        datetime.date(2025, 10, 1),
        "Asked by email.",
        None,
    )
    assert AuditEntry.objects.filter(action="register_change_undone").count() == 1
    assert signature.history.count() == 3  # recorded, applied, undone
    with pytest.raises(ValidationError, match="undone already"):
        services.register_change_undo(applied=applied, by=user)


def test_undo_is_refused_once_something_newer_was_recorded(user):
    mistral = SupplierFactory(name="Mistral AI")
    snapshot = _import(user)
    services.register_change_apply(
        snapshot=snapshot, supplier=mistral, chapter="copyright", by=user
    )
    Signature.objects.filter(supplier=mistral, chapter="copyright").update(
        verified_on=datetime.date(2026, 2, 1)
    )

    with pytest.raises(ValidationError, match="was changed after this change was applied"):
        services.register_change_undo(applied=RegisterChange.objects.get(), by=user)
    assert _statuses(mistral)["copyright"] == "signed"


def _review(snapshot):
    return queries.register_review(snapshot)[1]


def test_apply_all_applies_the_previewed_changes_in_one_go(user):
    mistral = SupplierFactory(name="Mistral AI")
    gone = SupplierFactory(name="Gone AI", signatures={"copyright": "signed"})
    snapshot = _import(user)
    review = _review(snapshot)
    plans = apply_all.plan_all(snapshot=snapshot, review=review, by=user)
    fingerprint = queries.changes_fingerprint(review)

    applied = services.register_changes_apply_all(
        snapshot=snapshot, review=review, fingerprint=fingerprint, by=user
    )

    assert len(applied) == len(plans) == 3 + 3  # Mistral's chapters; Gone's two unknown + a check
    assert _statuses(mistral) == dict.fromkeys(
        ("transparency", "copyright", "safety_security"), "signed"
    )
    assert _statuses(gone) == {
        "transparency": "not_signed",
        "copyright": "signed",
        "safety_security": "not_signed",
    }
    assert AuditEntry.objects.filter(action="register_changes_applied_all").count() == 1


def test_apply_all_is_refused_whole_when_the_changes_are_not_the_previewed_ones(user):
    mistral = SupplierFactory(name="Mistral AI")
    snapshot = _import(user)
    review = _review(snapshot)
    fingerprint = queries.changes_fingerprint(review)
    services.register_change_apply(
        snapshot=snapshot, supplier=mistral, chapter="copyright", by=user
    )

    with pytest.raises(ValidationError, match="not the ones you previewed"):
        services.register_changes_apply_all(
            snapshot=snapshot, review=_review(snapshot), fingerprint=fingerprint, by=user
        )
    assert RegisterChange.objects.count() == 1


def test_apply_all_is_refused_when_a_supplier_not_in_the_list_changed_since_the_preview(user):
    gone = SupplierFactory(name="Gone AI", signatures={"copyright": "signed"})
    snapshot = _import(user)
    fingerprint = queries.changes_fingerprint(_review(snapshot))
    gone.signatures.filter(chapter="transparency").update(status="declined")

    with pytest.raises(ValidationError, match="not the ones you previewed"):
        services.register_changes_apply_all(
            snapshot=snapshot, review=_review(snapshot), fingerprint=fingerprint, by=user
        )
    assert not RegisterChange.objects.exists()


def test_apply_all_is_refused_when_a_record_changed_after_the_review_was_read(user):
    gone = SupplierFactory(name="Gone AI", signatures={"copyright": "signed"})
    snapshot = _import(user)
    review = _review(snapshot)
    fingerprint = queries.changes_fingerprint(review)
    gone.signatures.filter(chapter="transparency").update(status="declined")

    with pytest.raises(ValidationError, match="not the ones you previewed"):
        services.register_changes_apply_all(
            snapshot=snapshot, review=review, fingerprint=fingerprint, by=user
        )
    assert not RegisterChange.objects.exists()


def test_an_html_page_of_the_commission_imports_with_the_page_as_source(user):
    page = Path(__file__).parent / "data" / "commission-signatories.html"
    snapshot = services.register_import(
        data=page.read_bytes(),
        filename="contents-code-gpai.html",
        taken_on=AS_OF,
        source_url=LIST,
        by=user,
    )
    assert snapshot.entries.count() == 7
    assert snapshot.entries.get(provider="xAI").chapters == ["safety_security"]


def _apply_all(snapshot, user):
    review = _review(snapshot)
    fingerprint = queries.changes_fingerprint(review)
    return services.register_changes_apply_all(
        snapshot=snapshot, review=review, fingerprint=fingerprint, by=user
    )


def test_apply_all_leaves_the_trace_of_each_change_as_applying_one_does(user):
    mistral = SupplierFactory(name="Mistral AI", signatures=False)  # no signature rows yet
    gone = SupplierFactory(name="Gone AI", signatures={"copyright": "signed"})
    snapshot = _import(user)

    applied = _apply_all(snapshot, user)

    assert len(applied) == 6
    entries = AuditEntry.objects.filter(action="register_change_applied")
    assert {(e.target, e.data["chapter"], e.data["change"]) for e in entries} == {
        (change.supplier, change.chapter, change.pk) for change in applied
    }
    assert all(e.actor == user and e.data["snapshot"] == snapshot.pk for e in entries)
    assert entries.get(target_id=str(gone.pk), data__chapter="copyright").summary == (
        "Check: not in the list: Copyright noted, from the Signatory register of 31 Dec 2025"
    )
    for supplier, chapter in [(mistral, "copyright"), (gone, "transparency")]:
        history = Signature.history.filter(supplier_id=supplier.pk, chapter=chapter)
        latest = history.latest("history_date")
        signature = Signature.objects.get(supplier=supplier, chapter=chapter)
        assert latest.history_user == user
        assert latest.from_list_id == snapshot.pk == signature.from_list_id
        assert (latest.status, latest.note, latest.updated_at) == (
            signature.status,
            signature.note,
            signature.updated_at,
        )
        assert signature.updated_by == user
        assert signature.updated_at > gone.created_at
    assert Signature.history.get(supplier_id=mistral.pk, chapter="copyright").history_type == "+"
    assert Signature.history.filter(supplier_id=gone.pk, chapter="copyright").count() == 2
    for change in applied:
        assert applying.undoable(
            change, Signature.objects.get(supplier=change.supplier, chapter=change.chapter)
        )


def test_apply_all_sends_a_webhook_event_per_signature_looking_endpoints_up_once(
    user, settings, django_capture_on_commit_callbacks
):
    from api.models import WebhookDelivery, WebhookEndpoint

    settings.WEBHOOK_ALLOW_LOOPBACK = True
    WebhookEndpoint.objects.create(url="http://127.0.0.1:9/hook", events=["signature.changed"])
    WebhookEndpoint.objects.create(url="http://127.0.0.1:9/other", events=["signature.changed"])
    SupplierFactory(name="Mistral AI")
    SupplierFactory.create_batch(3, signatures={"copyright": "signed"})
    snapshot = _import(user)

    with django_capture_on_commit_callbacks() as callbacks:
        applied = _apply_all(snapshot, user)

    deliveries = WebhookDelivery.objects.filter(event="signature.changed")
    assert deliveries.count() == 2 * len(applied) == 2 * (3 + 3 * 3)
    chapters = {
        (d.payload["data"]["supplier"], d.payload["data"]["signature"]["chapter"])
        for d in deliveries
    }
    assert chapters == {(change.supplier_id, change.chapter) for change in applied}
    assert len(callbacks) == 1  # one job enqueues them all


def test_apply_all_writes_in_batches_not_per_change(user):
    SupplierFactory(name="Mistral AI")
    SupplierFactory.create_batch(3, signatures={"copyright": "signed"})
    snapshot = _import(user)
    with CaptureQueriesContext(connection) as few:
        assert len(_apply_all(snapshot, user)) == 3 + 3 * 3

    SupplierFactory.create_batch(40, signatures={"copyright": "signed"})
    later = _import(user, taken_on=AS_OF + datetime.timedelta(days=1), filename="later.csv")
    with CaptureQueriesContext(connection) as many:
        changes = len(_apply_all(later, user))

    assert changes == 40 * 3 + 3  # the new suppliers' chapters; the checks, due again
    # Ten times the changes, a few statements more: the batches SQLite's limits allow.
    assert len(many) <= len(few) + 5
