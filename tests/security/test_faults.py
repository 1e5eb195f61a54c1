"""Faults in the middle of a write, editors who collide, and forms sent twice.

A database error halfway through a write must leave nothing behind: no row, no audit entry,
no stored file. Where files are involved the tests commit for real (transaction=True), so
the app's own transactions are what rolls back, as in production; the groups, checklist and
clause library that migrations made are restored after each (serialized_rollback=True). The
survey of every write runs in one savepoint per write instead: a write that leaves rows
behind shows them the same way, and the survey stays fast.
"""

import contextlib
import threading

import pytest
from django.db import DatabaseError, connections, transaction

from contracts import services as contract_services
from contracts.models import ClauseOverride, ClausePack, Document
from core.models import AuditEntry
from diligence import services as diligence_services
from diligence.models import Assessment, AssessmentItem, Decision, Evidence
from tests.security.conftest import (
    ACTIONS,
    Rollback,
    build_world,
    changed_tables,
    db_state,
    encode,
    signed_in,
    stored_files,
)
from vendors.models import GPAIModel, RegisterEntry, RegisterSnapshot, Signature, Supplier

committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)
pytestmark = pytest.mark.usefixtures("quiet_request_log")


def _failing(*args, **kwargs):
    raise DatabaseError("the database went away")


def _client(world, role):
    client = signed_in(world.users[role])
    client.raise_request_exception = False  # a server error is answered as a 500 page
    return client


@contextlib.contextmanager
def _undone():
    """Whatever happens inside is rolled back, so the next case finds the same records."""
    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


# A fault halfway through a write -----------------------------------------------------------

# (action, what fails, where): each write, with a step in its middle made to fail.
FAULTS = [
    ("evidence_add", "the evidence row", (Evidence, "save")),
    ("evidence_add", "the audit entry", (diligence_services.evidence, "audit_log")),
    ("document_generate", "the document row", (Document, "save")),
    ("document_generate", "the audit entry", (contract_services, "audit_log")),
    ("assessment_start", "the audit entry", (diligence_services.assessments, "audit_log")),
    ("assessment_start", "the items", (AssessmentItem.objects, "bulk_create")),
    ("supplier_create", "the signatures", (Signature.objects, "bulk_create")),
    ("register_import", "the entries", (RegisterEntry.objects, "bulk_create")),
    ("register_import", "the audit entry", (AuditEntry.objects, "create")),
    ("register_apply", "the audit entry", (AuditEntry.objects, "create")),
    ("register_supplier_create", "the audit entry", (AuditEntry.objects, "create")),
    ("clause_remove", "the audit entry", (contract_services, "audit_log")),
    ("assessment_decide", "the audit entry", (diligence_services.assessments, "audit_log")),
    ("assessment_reopen", "the audit entry", (diligence_services.assessments, "audit_log")),
    ("assessment_move", "the audit entry", (diligence_services.assessments, "audit_log")),
    ("item_save", "the history row", (AssessmentItem.history.model, "save")),
]


# Writes made by a background job (contracts/tasks.py): the request enqueues, the job writes.
BACKGROUND_JOBS = {"document_generate"}
FAILED_JOB_MESSAGE = "The document could not be made."


@pytest.mark.django_db
def test_a_database_error_halfway_through_any_write_leaves_nothing_behind(
    users, media_root, monkeypatch
):
    world = build_world(users)
    problems = []
    for key, step, (owner, name) in FAULTS:
        action = ACTIONS[key]
        with _undone():
            if action.prepare:
                action.prepare(world)
            client = _client(world, action.role)
            before, files = db_state(), stored_files(media_root)
            with monkeypatch.context() as patch:
                patch.setattr(owner, name, _failing)
                response = client.post(world.url(action.url_name), encode(action.data(world)))
            # A write made by a background job fails the job, and the page says so.
            failed_job = (
                key in BACKGROUND_JOBS
                and response.status_code == 302
                and FAILED_JOB_MESSAGE in client.get(response.url).content.decode()
            )
            if response.status_code != 500 and not failed_job:
                problems.append(f"{key} ({step} fails): {response.status_code}, not an error")
            if changed := changed_tables(before, db_state()):
                problems.append(f"{key} ({step} fails) left rows in {changed}")
            if stored_files(media_root) != files:
                problems.append(f"{key} ({step} fails) left a file behind")
            # The control: without the fault, the same write goes through.
            response = client.post(world.url(action.url_name), encode(action.data(world)))
            if response.status_code not in (200, 302) or not changed_tables(before, db_state()):
                problems.append(f"{key} without the fault wrote nothing ({response.status_code})")

    assert problems == []


@committed
def test_a_document_file_written_before_the_row_fails_is_removed(users, media_root, monkeypatch):
    """The file is stored first, then the row; when the row cannot be written, the file goes."""
    world = build_world(users)
    ACTIONS["document_generate"].prepare(world)
    written = []
    original = contract_services.default_storage.save

    def save_then_fail_the_row(name, content, **kwargs):
        stored = original(name, content, **kwargs)
        written.append(stored)
        monkeypatch.setattr(Document, "save", _failing)
        return stored

    monkeypatch.setattr(contract_services.default_storage, "save", save_then_fail_the_row)
    files = stored_files(media_root)

    with pytest.raises(DatabaseError):
        contract_services.document_generate(
            assessment=world.assessment, format="docx", by=world.users["legal"]
        )

    assert written and not (media_root / written[0]).exists()
    assert stored_files(media_root) == files
    assert Document.objects.filter(assessment=world.assessment).count() == 1  # the world's


@committed
def test_an_evidence_file_stored_before_the_row_fails_is_removed(users, media_root, monkeypatch):
    world = build_world(users)
    files = stored_files(media_root)
    monkeypatch.setattr(Evidence, "save", _failing)
    client = _client(world, "procurement")

    response = client.post(
        world.url("diligence:item_detail"), encode(ACTIONS["evidence_add"].data(world))
    )

    assert response.status_code == 500
    assert stored_files(media_root) == files
    assert Evidence.objects.count() == 2  # the world's file and link
    assert AuditEntry.objects.filter(action="evidence_added").count() == 2  # the world's


@committed
def test_an_evidence_row_rolled_back_by_its_audit_entry_takes_its_file_along(
    users, media_root, monkeypatch
):
    world = build_world(users)
    files = stored_files(media_root)
    monkeypatch.setattr(diligence_services.evidence, "audit_log", _failing)
    client = _client(world, "procurement")

    response = client.post(
        world.url("diligence:item_detail"), encode(ACTIONS["evidence_add"].data(world))
    )

    assert response.status_code == 500
    assert stored_files(media_root) == files
    assert Evidence.objects.count() == 2


# Two editors ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_two_editors_of_one_item_cannot_overwrite_each_other(users, media_root, form_data):
    world = build_world(users)
    mine, theirs = signed_in(world.users["procurement"]), signed_in(world.users["reviewer"])
    url = world.url("diligence:item_detail")
    my_form = form_data(mine.get(url).context["item_form"])
    their_form = form_data(theirs.get(url).context["item_form"])

    saved = mine.post(url, {**my_form, "save_item": "1", "status": "requested", "notes": "Mine"})
    refused = theirs.post(url, {**their_form, "save_item": "1", "status": "gap", "notes": "Theirs"})

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert "Someone else changed this item" in refused.content.decode()
    item = AssessmentItem.objects.get(pk=world.item.pk)
    assert (item.status, item.notes, item.version) == ("requested", "Mine", world.item.version + 1)


@pytest.mark.django_db
def test_a_quick_status_from_a_stale_page_does_not_overwrite_the_form(users, media_root, form_data):
    world = build_world(users)
    editor, quick = signed_in(world.users["procurement"]), signed_in(world.users["reviewer"])
    url = world.url("diligence:item_detail")
    stale_version = world.item.version  # the assessment page was loaded before the save
    editor.post(
        url,
        {**form_data(editor.get(url).context["item_form"]), "save_item": "1", "notes": "Edited"},
    )

    response = quick.post(
        world.url("diligence:item_quick_status"),
        {"status": "accepted", "version": stale_version},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "Someone else changed this item" in response.content.decode()
    item = AssessmentItem.objects.get(pk=world.item.pk)
    assert (item.status, item.notes, item.version) == ("open", "Edited", stale_version + 1)


@committed
def test_two_saves_of_one_item_at_the_same_moment_store_one(users, media_root):
    """Two requests in two threads, each with its own database connection, sent together."""
    world = build_world(users)
    url = world.url("diligence:item_detail")
    start = threading.Barrier(2, timeout=10)
    results = {}
    clients = {role: _client(world, role) for role in ("procurement", "reviewer")}

    def save(role, notes):
        data = {**ACTIONS["item_save"].data(world), "notes": notes}
        try:
            start.wait()
            results[role] = clients[role].post(url, data).status_code
        except Exception as error:  # noqa: BLE001 - reported by the assertions below
            results[role] = repr(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(role, f"By {role}"))
        for role in ("procurement", "reviewer")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    item = AssessmentItem.objects.get(pk=world.item.pk)
    assert item.version == world.item.version + 1
    assert item.notes in ("By procurement", "By reviewer")
    winner = item.notes.removeprefix("By ")
    loser = "reviewer" if winner == "procurement" else "procurement"
    assert results[winner] == 302
    # The other was refused: told of the conflict, or (SQLite, which locks the whole
    # database) stopped by the lock. Either way it stored nothing.
    assert results[loser] in (200, 500), results
    assert AssessmentItem.history.filter(id=item.pk).count() == 2  # created, then one save


# Forms sent twice ----------------------------------------------------------------------

# (action, the rows the first submission makes; the second makes none)
TWICE = {
    "assessment_start": Assessment,
    "evidence_add": Evidence,
    "clause_remove": ClauseOverride,
    "document_generate": Document,
    "register_import": RegisterSnapshot,
    "supplier_create": Supplier,
    "model_create": GPAIModel,
    "register_supplier_create": RegisterEntry.objects.filter(match="created"),
    "assessment_decide": Decision,
    "register_apply": Signature.objects.filter(status="signed"),
}


@pytest.mark.django_db
def test_a_form_sent_twice_makes_one_row(users, media_root):
    world = build_world(users)
    problems = []
    for key, rows in TWICE.items():
        rows = getattr(rows, "objects", rows)
        action = ACTIONS[key]
        with _undone():
            if action.prepare:
                action.prepare(world)
            client = signed_in(world.users[action.role])
            data, url = action.data(world), world.url(action.url_name)
            count, files = rows.count(), len(stored_files(media_root))
            first = client.post(url, encode(data))
            second = client.post(url, encode(data))
            made = rows.count() - count
            new_files = len(stored_files(media_root)) - files
            # A new signatory made into a supplier leaves the list of new ones: the second
            # submission finds no such entry (404).
            answers = (200, 302, 404) if key == "register_supplier_create" else (200, 302)
            if first.status_code != 302 or second.status_code not in answers:
                problems.append(f"{key}: answered {first.status_code}, {second.status_code}")
            if made != 1:
                problems.append(f"{key}: {made} rows from two submissions")
            if new_files > 1:
                problems.append(f"{key}: {new_files} files from two submissions")

    assert problems == []


@pytest.mark.django_db
def test_a_clause_pack_change_sent_twice_is_logged_once(users, media_root):
    world = build_world(users)
    client = signed_in(world.users["legal"])
    data = ACTIONS["clause_add"].data(world)
    url = world.url("contracts:clause_add")

    client.post(url, data)
    second = client.post(url, data, follow=True)

    assert ClauseOverride.objects.filter(clause_key=world.removed_clause).count() == 2  # out, in
    assert ClausePack.objects.count() == 1
    assert "is already in the pack" in second.content.decode()
    assert AuditEntry.objects.filter(action="clause_added").count() == 1
