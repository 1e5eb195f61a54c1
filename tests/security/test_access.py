"""Every URL of the app, for every role: who gets in, who gets 403, who learns nothing (404).

The URLs come from the URLconf itself, so a new page that nobody added to the expectation
table in conftest.py (`ACCESS`) fails the suite. Each URL is built with the ids of real
records from a complete data graph; every request runs in a savepoint that is rolled back,
so the next request finds the same records.
"""

import datetime
import hashlib

import pytest
from django.urls import reverse

from contracts.models import ClauseOverride, Document
from core import reminders
from core.models import AuditEntry
from diligence.models import Assessment, AssessmentItem, Decision, Evidence
from tests.factories import SupplierFactory
from tests.security.conftest import (
    ACCESS,
    ACTIONS,
    MISSING_ID,
    MISSING_UUID,
    NEWER_REGISTER_CSV,
    OK,
    PDF,
    POST_FOR_URL,
    ROLES,
    SIGNED_OUT,
    SUPPLIER_PAGES,
    encode,
    first_allowed,
    is_login_redirect,
    matches,
    request_undone,
    signed_in,
    stored_files,
    url_patterns,
)
from vendors.models import GPAIModel, RegisterSnapshot, Signature, Supplier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quiet_request_log")]


def _post_data(world, name):
    key = POST_FOR_URL.get(name)
    return encode(ACTIONS[key].data(world)) if key else {}


def _describe(response):
    where = f" → {response.url}" if response.status_code == 302 else ""
    return f"{response.status_code}{where}"


# The table covers the URLconf ------------------------------------------------------------


def test_every_url_of_the_app_is_in_the_access_table():
    names = set(url_patterns())

    assert names - set(ACCESS) == set(), "URLs without an entry in ACCESS (tests/security)"
    assert set(ACCESS) - names == set(), "ACCESS names URLs the app no longer has"
    # The walk itself went into every app's namespace and kept the admin out.
    assert {name.split(":")[0] for name in names if ":" in name} == {
        "vendors",
        "diligence",
        "contracts",
        "documentation",
        "identity",
        "portal",
    }


def test_every_url_is_built_with_the_ids_of_real_records(world):
    for name, route in url_patterns().items():
        url = world.url(name)
        assert "<" not in url, name
        if "<" in route:  # a URL with ids opens for a role that may use it
            assert world.url_kwargs[name], name


def test_every_write_has_a_valid_submission_for_the_access_test():
    # A write is a URL some roles may POST to and others may not.
    writes = {name for name, access in ACCESS.items() if 403 in access.post.values()}
    assert "diligence:assessment_submit" in writes
    assert writes - set(POST_FOR_URL) == set()


# Who gets what ----------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in_for_every_url_and_method(world, clients):
    client = clients["anonymous"]
    problems = []
    for name, access in ACCESS.items():
        url = world.url(name)
        for method in ("get", "post"):
            data = {} if access.public else _post_data(world, name)
            outcome = request_undone(client, method, url, data, check_state=not access.public)
            response = outcome.response
            if access.public:
                if response.status_code != (access.anonymous or {}).get(method, 200):
                    problems.append(f"{method.upper()} {name}: {_describe(response)}")
            elif not is_login_redirect(response):
                problems.append(f"{method.upper()} {name}: {_describe(response)}, not sign-in")
            if outcome.changed:
                problems.append(f"{method.upper()} {name} changed {outcome.changed}")

    assert problems == []


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_access_table_says(role, world, clients):
    """Allowed: 200 or a redirect. Read-only roles: 403 for writes. Outsiders: 404.
    A refused POST changes nothing, whether it carries a valid submission or nothing at all."""
    problems = []
    for name, access in ACCESS.items():
        url = world.url(name)
        for method in ("get", "post"):
            expected = getattr(access, method)[role]
            submissions = [{}]
            if method == "post" and name != "login":
                submissions = [_post_data(world, name)]
                if expected in (403, 404):
                    submissions.append({})
            for data in submissions:
                # Signing in or out replaces the session: use a client of its own.
                client = (
                    signed_in(world.users[role]) if name in ("login", "logout") else clients[role]
                )
                outcome = request_undone(client, method, url, data, check_state=expected != OK)
                label = f"{method.upper()} {name}{'' if data else ' (nothing posted)'}"
                if not matches(outcome.response, expected):
                    problems.append(f"{label}: {_describe(outcome.response)}, expected {expected}")
                if outcome.changed and expected != SIGNED_OUT:
                    problems.append(f"refused {label} changed {outcome.changed}")

    assert problems == []


def test_an_id_that_does_not_exist_answers_404(world, clients):
    problems = []
    with_ids = sorted(
        name
        for name, route in url_patterns().items()
        if "<" in route and name not in SUPPLIER_PAGES  # tests/portal: no role may use them
    )
    for name in with_ids:
        role, method = first_allowed(name)
        for key in world.url_kwargs[name]:
            missing = MISSING_UUID if key.endswith("job_id") else MISSING_ID
            url = world.url(name, **{key: missing})
            outcome = request_undone(
                clients[role], method, url, _post_data(world, name), check_state=True
            )
            if outcome.response.status_code != 404 or outcome.changed:
                problems.append((name, key, _describe(outcome.response), outcome.changed))

    assert "diligence:evidence_download" in with_ids
    assert problems == []


def _wrong_parents(world):
    """{case: (url name, kwargs, [(role, method[, data])])}: a record reached through a parent
    it does not have, or a submission that names a record that does not exist."""
    a, other = world.assessment.pk, world.other_assessment.pk
    item, evidence = world.item.pk, world.evidence.pk
    item_of_other = world.other_item_of_other.pk
    snapshot = world.snapshot.pk
    return {
        "item of another assessment": (
            "diligence:item_detail",
            {"pk": a, "item_pk": item_of_other},
            [("viewer", "get"), ("procurement", "post")],
        ),
        "item of another assessment, quick status": (
            "diligence:item_quick_status",
            {"pk": a, "item_pk": item_of_other},
            [("procurement", "post")],
        ),
        "evidence under another item of its assessment": (
            "diligence:evidence_download",
            {"pk": a, "item_pk": world.other_item.pk, "evidence_pk": evidence},
            [("viewer", "get"), ("viewer", "head")],
        ),
        "evidence under another assessment": (
            "diligence:evidence_download",
            {"pk": other, "item_pk": item, "evidence_pk": evidence},
            [("viewer", "get")],
        ),
        "evidence under another assessment and its item": (
            "diligence:evidence_download",
            {"pk": other, "item_pk": item_of_other, "evidence_pk": evidence},
            [("viewer", "get")],
        ),
        "link evidence has no file": (
            "diligence:evidence_download",
            {"pk": a, "item_pk": item, "evidence_pk": world.link.pk},
            [("viewer", "get")],
        ),
        "document of another assessment's clause pack": (
            "contracts:document_download",
            {"pk": a, "document_pk": world.other_document.pk},
            [("legal", "get"), ("procurement", "head")],
        ),
        "document under the other assessment": (
            "contracts:document_download",
            {"pk": other, "document_pk": world.document.pk},
            [("legal", "get")],
        ),
        "document job under the other assessment": (
            "contracts:document_job",
            {"pk": other, "job_id": world.document_job.pk},
            [("legal", "get"), ("procurement", "head")],
        ),
        "register entry of another snapshot, match": (
            "vendors:register_match",
            {"pk": snapshot, "entry_pk": world.older_entry.pk},
            [("procurement", "post")],
        ),
        "register entry of another snapshot, create supplier": (
            "vendors:register_supplier_create",
            {"pk": snapshot, "entry_pk": world.older_entry.pk},
            [("procurement", "get"), ("checklist_admin", "post")],
        ),
        "register entry linked to a supplier already": (
            "vendors:register_supplier_create",
            {"pk": snapshot, "entry_pk": world.matched_entry.pk},
            [("procurement", "get"), ("procurement", "post")],
        ),
        "register change for a supplier that does not exist": (
            "vendors:register_apply",
            {"pk": snapshot},
            [("procurement", "post", {"supplier": MISSING_ID, "chapter": "copyright"})],
        ),
    }


def test_a_record_under_a_parent_it_does_not_belong_to_answers_404(world, clients):
    problems = []
    cases = _wrong_parents(world)
    for case, (name, kwargs, requests) in cases.items():
        url = reverse(name, kwargs=kwargs)
        for role, method, *data in requests:
            data = data[0] if data else _post_data(world, name)
            outcome = request_undone(clients[role], method, url, data, check_state=True)
            if outcome.response.status_code != 404 or outcome.changed:
                problems.append((case, role, method, _describe(outcome.response), outcome.changed))

    assert problems == []


def test_new_version_of_evidence_from_another_item_answers_404(world, clients, media_root):
    data = encode(ACTIONS["evidence_add"].data(world))
    url = reverse(
        "diligence:item_detail", kwargs={"pk": world.assessment.pk, "item_pk": world.other_item.pk}
    )
    files = stored_files(media_root)

    response = clients["procurement"].post(url, {**data, "supersedes": world.evidence.pk})

    assert response.status_code == 404
    assert Evidence.objects.count() == 2
    assert stored_files(media_root) == files
    world.evidence.refresh_from_db()
    assert world.evidence.is_current


# Fields the server sets are not taken from the request -------------------------------------


def test_supplier_forms_ignore_who_created_it_demo_and_archive_fields(world, clients, form_data):
    outsider = world.users["outsider"]
    forged = {
        "id": MISSING_ID,
        "created_by": outsider.pk,
        "updated_by": outsider.pk,
        "is_demo": "on",
        "archived_at": "2020-01-01 00:00",
        "created_at": "2020-01-01 00:00",
    }
    client = clients["procurement"]

    client.post(
        reverse("vendors:supplier_create"), {**ACTIONS["supplier_create"].data(world), **forged}
    )
    page = client.get(world.url("vendors:supplier_update"))
    client.post(
        world.url("vendors:supplier_update"),
        {**form_data(page.context["form"]), "notes": "Edited", **forged},
    )

    procurement = world.users["procurement"]
    created = Supplier.objects.get(name="Cohere")
    world.supplier.refresh_from_db()
    for supplier in (created, world.supplier):
        assert supplier.updated_by == procurement
        assert (supplier.is_demo, supplier.archived_at) == (False, None)
    assert created.created_by == procurement
    assert created.pk != MISSING_ID
    assert world.supplier.notes == "Edited"
    assert world.supplier.created_by is None  # as the factory made it


def test_model_forms_keep_the_supplier_of_the_url(world, clients, form_data):
    elsewhere = SupplierFactory(name="Aleph Alpha", country="DE")
    forged = {"supplier": elsewhere.pk, "is_demo": "on", "archived_at": "2020-01-01 00:00"}
    forged["created_by"] = world.users["outsider"].pk
    client = clients["procurement"]

    client.post(
        world.url("vendors:model_create"), {**ACTIONS["model_create"].data(world), **forged}
    )
    page = client.get(world.url("vendors:model_update"))
    client.post(
        world.url("vendors:model_update"),
        {**form_data(page.context["form"]), "notes": "Edited", **forged},
    )

    created = GPAIModel.objects.get(name="Codestral")
    world.model.refresh_from_db()
    for model in (created, world.model):
        assert model.supplier == world.supplier
        assert (model.is_demo, model.archived_at) == (False, None)
    assert created.created_by == world.users["procurement"]
    assert world.model.notes == "Edited"
    assert not elsewhere.models.exists()


def test_signature_form_sets_who_verified_and_keeps_supplier_and_chapter(world, clients):
    elsewhere = SupplierFactory(name="Aleph Alpha", country="DE")
    data = ACTIONS["signatures_edit"].data(world)
    for chapter in ("transparency", "copyright", "safety_security"):
        data.update(
            {
                f"{chapter}-verified_by": world.users["outsider"].pk,
                f"{chapter}-supplier": elsewhere.pk,
                f"{chapter}-chapter": "copyright",
                f"{chapter}-created_by": world.users["outsider"].pk,
            }
        )

    response = clients["procurement"].post(world.url("vendors:signatures_edit"), data)

    assert response.status_code == 302
    signatures = Signature.objects.filter(supplier=world.supplier)
    assert sorted(signatures.values_list("chapter", flat=True)) == [
        "copyright",
        "safety_security",
        "transparency",
    ]
    assert {s.verified_by for s in signatures} == {world.users["procurement"]}
    assert not Signature.objects.filter(supplier=elsewhere).exclude(status="unknown").exists()


def test_starting_an_assessment_ignores_status_revision_decision_and_supplier(world, clients):
    forged = {
        "status": "decided",
        "revision": "7",
        "decision": world.decision.pk,
        "created_by": world.users["outsider"].pk,
        "supplier": world.other_assessment.supplier_id,
        "checklist": world.checklist.pk,
        "evidence_modes": '{"documentation": "code"}',
    }

    response = clients["procurement"].post(
        reverse("diligence:assessment_start"),
        {**ACTIONS["assessment_start"].data(world), **forged},
    )

    assessment = Assessment.objects.get(reference="TENDER-2026-002")
    assert response.status_code == 302
    assert (assessment.status, assessment.revision, assessment.decision) == ("draft", 1, None)
    assert assessment.created_by == world.users["procurement"]
    assert assessment.supplier == world.model.supplier
    assert assessment.checklist == world.newer_checklist  # the newest published version
    assert assessment.evidence_modes == world.assessment.evidence_modes


def test_an_assessment_cannot_be_given_to_a_user_without_the_role(world, clients):
    data = {**ACTIONS["assessment_start"].data(world), "owner": world.users["outsider"].pk}

    response = clients["procurement"].post(reverse("diligence:assessment_start"), data)

    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert not Assessment.objects.filter(reference="TENDER-2026-002").exists()


def test_item_form_ignores_assessment_applicability_and_who_changed_it(world, clients):
    item = world.item
    forged = {
        "assessment": world.other_assessment.pk,
        "checklist_item": world.other_item.checklist_item_id,
        "applicable": "",
        "exclusion_reason": "Forged",
        "updated_by": world.users["outsider"].pk,
    }

    response = clients["procurement"].post(
        world.url("diligence:item_detail"), {**ACTIONS["item_save"].data(world), **forged}
    )

    assert response.status_code == 302
    saved = AssessmentItem.objects.get(pk=item.pk)
    assert (saved.assessment_id, saved.checklist_item_id) == (
        item.assessment_id,
        item.checklist_item_id,
    )
    assert (saved.applicable, saved.exclusion_reason) == (True, "")
    assert saved.updated_by == world.users["procurement"]
    assert (saved.status, saved.version) == ("requested", item.version + 1)


def test_item_form_with_a_version_from_the_future_is_refused(world, clients):
    item = world.item
    data = {**ACTIONS["item_save"].data(world), "version": item.version + 5}

    response = clients["procurement"].post(world.url("diligence:item_detail"), data)

    assert response.status_code == 200
    assert "Someone else changed this item" in response.content.decode()
    saved = AssessmentItem.objects.get(pk=item.pk)
    assert (saved.status, saved.version) == (item.status, item.version)


def test_quick_status_changes_only_the_status(world, clients):
    item = world.item
    forged = {
        "notes": "Overwritten",
        "justification": "Forged",
        "reviewer": world.users["outsider"].pk,
    }

    clients["procurement"].post(
        world.url("diligence:item_quick_status"),
        {**ACTIONS["item_quick_status"].data(world), **forged},
    )

    saved = AssessmentItem.objects.get(pk=item.pk)
    assert saved.status == "received"
    assert (saved.notes, saved.justification, saved.reviewer) == ("", "", None)


def test_evidence_form_ignores_hash_storage_name_and_the_rest_the_server_sets(
    world, clients, media_root
):
    forged = {
        "sha256": "0" * 64,
        "size": "1",
        "storage_name": "../../settings.py",
        "original_name": "forged.exe",
        "content_type": "text/html",
        "is_current": "",
        "created_by": world.users["outsider"].pk,
        "item": world.other_item.pk,
    }

    response = clients["procurement"].post(
        world.url("diligence:item_detail"),
        {**encode(ACTIONS["evidence_add"].data(world)), **forged},
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get(description="Model card, second edition")
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (evidence.size, evidence.content_type) == (len(PDF), "application/pdf")
    assert evidence.original_name == "model-card-v2.pdf"
    assert evidence.storage_name.startswith("evidence/") and evidence.storage_name.endswith(".pdf")
    assert (media_root / evidence.storage_name).read_bytes() == PDF
    assert (evidence.is_current, evidence.item, evidence.created_by) == (
        True,
        world.item,
        world.users["procurement"],
    )


def test_decision_records_who_decided_and_the_current_revision(world, clients):
    ACTIONS["assessment_decide"].prepare(world)
    forged = {
        "decided_by": world.users["outsider"].pk,
        "revision": "9",
        "assessment": world.other_assessment.pk,
        "status": "draft",
    }

    response = clients["reviewer"].post(
        world.url("diligence:assessment_decide"),
        {**ACTIONS["assessment_decide"].data(world), **forged},
    )

    assert response.status_code == 302
    decision = Decision.objects.get(assessment=world.assessment)
    assert (decision.decided_by, decision.revision) == (world.users["reviewer"], 1)
    world.assessment.refresh_from_db()
    assert (world.assessment.status, world.assessment.decision) == ("decided", decision)


def test_workflow_actions_ignore_a_status_or_revision_in_the_request(world, clients):
    client = clients["procurement"]
    client.post(
        world.url("diligence:assessment_submit"),
        {**ACTIONS["assessment_submit"].data(world), "status": "decided", "revision": "5"},
    )
    world.assessment.refresh_from_db()
    assert (world.assessment.status, world.assessment.revision) == ("in_review", 1)

    clients["reviewer"].post(
        world.url("diligence:assessment_decide"), ACTIONS["assessment_decide"].data(world)
    )
    client.post(
        world.url("diligence:assessment_reopen"),
        {"reason": "New version", "revision": "10", "status": "decided"},
    )

    world.assessment.refresh_from_db()
    assert (world.assessment.status, world.assessment.revision) == ("draft", 2)


def test_clause_changes_record_legal_the_library_title_and_the_action_of_the_url(world, clients):
    forged = {
        "created_by": world.users["outsider"].pk,
        "action": "add",
        "clause_title": "Forged title",
        "pack": MISSING_ID,
    }

    clients["legal"].post(
        world.url("contracts:clause_remove"), {**ACTIONS["clause_remove"].data(world), **forged}
    )

    override = ClauseOverride.objects.latest("id")
    assert override.clause_key == world.included_clause
    assert (override.action, override.created_by) == ("remove", world.users["legal"])
    assert override.clause_title != "Forged title"
    assert override.pack.assessment == world.assessment


def test_document_generation_numbers_and_hashes_the_document_itself(world, clients, media_root):
    forged = {
        "version": "7",
        "content_sha256": "0" * 64,
        "file_sha256": "0" * 64,
        "storage_name": "../../settings.py",
        "document_id": "00000000-0000-0000-0000-000000000000",
        "created_by": world.users["outsider"].pk,
        "assessment": world.other_assessment.pk,
    }
    clients["legal"].post(
        world.url("contracts:clause_add"), ACTIONS["clause_add"].data(world)
    )  # a change, so that a new version is made

    clients["legal"].post(world.url("contracts:document_generate"), {"format": "docx", **forged})

    document = Document.objects.filter(assessment=world.assessment).latest("id")
    assert document.version == 2
    assert document.created_by == world.users["legal"]
    data = (media_root / document.storage_name).read_bytes()
    assert document.file_sha256 == hashlib.sha256(data).hexdigest()
    assert document.content_sha256 != "0" * 64
    assert str(document.document_id) != forged["document_id"]
    assert document.storage_name.startswith("clause-packs/")
    assert not Document.objects.filter(assessment=world.other_assessment, version=7).exists()


def test_register_import_records_the_file_hash_and_importer_itself(world, clients):
    data = {
        **encode(ACTIONS["register_import"].data(world)),
        "file_sha256": "0" * 64,
        "imported_by": world.users["outsider"].pk,
        "file_name": "forged.csv",
    }

    clients["checklist_admin"].post(reverse("vendors:register_import"), data)

    snapshot = RegisterSnapshot.objects.latest("id")
    assert snapshot.file_sha256 == hashlib.sha256(NEWER_REGISTER_CSV).hexdigest()
    assert (snapshot.file_name, snapshot.imported_by) == (
        "register-2026.csv",
        world.users["checklist_admin"],
    )


def test_applying_the_register_takes_status_and_source_from_the_list(world, clients):
    forged = {
        "status": "declined",
        "source_url": "https://evil.example/",
        "verified_by": world.users["outsider"].pk,
        "verified_on": "2020-01-01",
    }

    clients["procurement"].post(
        world.url("vendors:register_apply"), {**ACTIONS["register_apply"].data(world), **forged}
    )

    signature = Signature.objects.get(supplier=world.supplier, chapter="copyright")
    assert signature.status == "signed"
    assert signature.source_url == world.matched_entry.source_url
    assert (signature.verified_by, signature.verified_on) == (
        world.users["procurement"],
        world.snapshot.taken_on,
    )
    applied = AuditEntry.objects.filter(action="register_change_applied")
    assert applied.filter(data__chapter="copyright").count() == 1


# A user without a role sees nothing, the pages everyone opens included ----------------------


def test_outsider_sees_no_record_on_the_dashboard_and_follow_ups(world, clients):
    for name in ("home", "follow_ups"):
        page = clients["outsider"].get(reverse(name)).content.decode()
        for secret in (world.supplier.name, world.model.name, world.assessment.reference):
            assert secret not in page, (name, secret)


def test_an_owner_who_lost_their_role_is_told_nothing_about_their_assessments(
    world, clients, mailoutbox
):
    owner, client = world.users["procurement"], clients["procurement"]
    follow_ups = reverse("follow_ups")
    # The control: while in the role, the owner's assessment is due within 30 days.
    assert world.assessment.reference in client.get(follow_ups).content.decode()

    owner.groups.clear()
    page = client.get(follow_ups).content.decode()
    reminders.send_reminders(today=datetime.date.today())

    assert world.assessment.reference not in page
    assert world.supplier.name not in page
    assert client.get(reverse("home")).context["follow_up_count"] == 0
    assert [m for m in mailoutbox if owner.email in m.to] == []
    # The others are still reminded of what they may see.
    assert any(world.users["reviewer"].email in m.to for m in mailoutbox)
