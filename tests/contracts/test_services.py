"""Clause packs and their documents: what the triggers select, Legal's changes, and versions."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from contracts import content, queries, services
from contracts.models import ClauseOverride, Document
from core.audit import audit_entries_for
from tests.contracts.support import set_status

pytestmark = pytest.mark.django_db


def _state(assessment):
    return queries.clause_pack_state(queries.assessment_for_pack().get(pk=assessment.pk))


def _keys(entries):
    return [entry.clause.key for entry in entries]


def test_pack_holds_the_clauses_the_triggers_select_with_their_reasons(xai_assessment):
    pack = _state(xai_assessment).pack
    reasons = {entry.clause.key: entry.reason for entry in pack.included}

    assert (
        reasons["other-means-transparency"]
        == "Transparency chapter not signed (status: Not signed)"
    )
    assert reasons["other-means-copyright"] == "Copyright chapter not signed (status: Not signed)"
    assert reasons["integration-information"] == "DOC-11 is a gap"
    assert reasons["remediation-plan"] == "2 items are gaps: DOC-11, CPY-05"
    assert reasons["serious-incidents"] == "Model with systemic risk (Art. 51(2))"
    assert (
        reasons["authorised-representative"]
        == "Authorised representative needed (United States of America) (Art. 54)"
    )
    assert reasons["legacy-model"] == "Placed on the EU market on 9 Jul 2025, before 2 Aug 2025"
    # A legacy model: training summary and copyright worded for 2 Aug 2027, not as done.
    assert {"training-summary-legacy", "copyright-legacy"} <= set(reasons)
    assert _keys(pack.not_selected) == [
        "downstream-information-contractual",
        "downstream-fields-missing",
        "training-summary",
        "open-source-exemption",
        "open-source-claim-fails",
        "copyright-policy",
        "tdm-opt-outs",
        "other-means-safety",
        "systemic-risk-status",
        "modified-model",
        "customer-fine-tuning",
    ]
    assert pack.entry("other-means-safety").selection.reason == "Safety and Security chapter signed"
    assert (
        pack.entry("downstream-fields-missing").selection.reason
        == "No confirmed Model Documentation Form recorded for the model"
    )


def test_legal_removes_a_clause_with_a_reason_and_it_is_logged(xai_assessment, legal_user):
    override = services.clause_pack_remove(
        assessment=xai_assessment,
        clause_key="audit-rights",
        reason="Covered by the framework agreement.",
        by=legal_user,
    )

    pack = _state(xai_assessment).pack
    assert "audit-rights" not in _keys(pack.included)
    [removed] = pack.removed
    assert removed.override == override
    assert (override.action, override.clause_title, override.created_by) == (
        "remove",
        "Information and audit rights",
        legal_user,
    )
    entry = audit_entries_for(xai_assessment).get(action="clause_removed")
    assert entry.actor == legal_user
    assert (
        entry.summary
        == "Removed clause “Information and audit rights”: Covered by the framework agreement."
    )
    assert entry.data["clause"] == "audit-rights"


def test_legal_adds_a_clause_and_it_is_logged(xai_assessment, legal_user):
    services.clause_pack_add(
        assessment=xai_assessment,
        clause_key="other-means-safety",
        reason="Group policy asks for it.",
        by=legal_user,
    )

    entry = _state(xai_assessment).pack.entry("other-means-safety")
    assert entry.added
    assert entry.reason == "Added by Legal: Group policy asks for it."
    assert audit_entries_for(xai_assessment).filter(action="clause_added").count() == 1


@pytest.mark.parametrize(
    ("service", "key", "reason", "message"),
    [
        (services.clause_pack_remove, "open-source-exemption", "x", "is not in the pack"),
        (services.clause_pack_add, "definitions", "x", "is already in the pack"),
        (services.clause_pack_remove, "no-such-clause", "x", "not in the current clause library"),
        (services.clause_pack_remove, "definitions", "   ", "Give the reason"),
    ],
)
def test_overrides_that_make_no_sense_are_refused(
    xai_assessment, legal_user, service, key, reason, message
):
    with pytest.raises(ValidationError, match=message):
        service(assessment=xai_assessment, clause_key=key, reason=reason, by=legal_user)
    assert not ClauseOverride.objects.exists()


# Documents ---------------------------------------------------------------------------------


def test_generated_document_is_stored_with_its_snapshot_and_hashes(
    xai_assessment, legal_user, media_root
):
    document, created = services.document_generate(
        assessment=xai_assessment, format="pdf", by=legal_user
    )

    assert created
    assert (document.version, document.format, document.created_by) == (1, "pdf", legal_user)
    data = default_storage.open(document.storage_name).read()
    assert data.startswith(b"%PDF-")
    assert (media_root / document.storage_name).is_file()
    assert document.file_sha256 == hashlib.sha256(data).hexdigest()
    assert document.size == len(data)
    assert (
        document.content_sha256
        == hashlib.sha256(content.canonical_json(document.snapshot)).hexdigest()
    )
    assert document.snapshot["supplier"]["name"] == "xAI"
    assert document.document_id.hex in document.storage_name
    entry = audit_entries_for(xai_assessment).get(action="document_generated")
    assert entry.data == {
        "document": str(document.document_id),
        "kind": "schedule",
        "content_sha256": document.content_sha256,
    }


def test_same_snapshot_gives_back_the_same_document_without_rendering(
    xai_assessment, legal_user, media_root, monkeypatch
):
    first, _ = services.document_generate(assessment=xai_assessment, format="pdf", by=legal_user)

    def fail(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setitem(services.RENDERERS, "pdf", fail)
    # Another day, another person: the content is the same, so the document is the same.
    monkeypatch.setattr(services.timezone, "localdate", lambda: datetime.date(2030, 1, 1))
    again, created = services.document_generate(
        assessment=xai_assessment, format="pdf", by=legal_user
    )

    assert (again, created) == (first, False)
    assert Document.objects.count() == 1


def test_a_change_makes_the_next_version_and_keeps_the_earlier_one(
    xai_assessment, legal_user, media_root
):
    def report():
        return services.document_generate(
            assessment=xai_assessment, format="pdf", kind="report", by=legal_user
        )

    first, _ = report()
    first_bytes = default_storage.open(first.storage_name).read()

    set_status(xai_assessment, "CPY-05", "accepted")
    second, created = report()
    services.clause_pack_remove(
        assessment=xai_assessment, clause_key="audit-rights", reason="Framework.", by=legal_user
    )
    third, _ = report()

    assert created
    assert [first.version, second.version, third.version] == [1, 2, 3]
    assert len({first.content_sha256, second.content_sha256, third.content_sha256}) == 3
    assert len({first.document_id, second.document_id, third.document_id}) == 3
    assert "audit-rights" in [c["key"] for c in second.snapshot["clauses"]]
    assert "audit-rights" not in [c["key"] for c in third.snapshot["clauses"]]
    # The earlier version is kept as it was.
    first.refresh_from_db()
    assert default_storage.open(first.storage_name).read() == first_bytes
    assert hashlib.sha256(first_bytes).hexdigest() == first.file_sha256


def test_versions_are_counted_per_format(xai_assessment, legal_user, media_root):
    pdf, _ = services.document_generate(assessment=xai_assessment, format="pdf", by=legal_user)
    word, _ = services.document_generate(assessment=xai_assessment, format="docx", by=legal_user)

    assert (pdf.version, word.version) == (1, 1)
    assert pdf.content_sha256 == word.content_sha256
    assert default_storage.open(word.storage_name).read()[:2] == b"PK"


def test_a_failed_write_leaves_no_file_behind(xai_assessment, legal_user, media_root, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "audit_log", fail)
    with pytest.raises(RuntimeError):
        services.document_generate(assessment=xai_assessment, format="docx", by=legal_user)

    assert not Document.objects.exists()
    assert not list(media_root.rglob("*.docx"))


def test_snapshot_holds_no_date_of_rendering(xai_assessment):
    # {{ today }} is the date of each document, filled in when it is rendered.
    assessment = queries.assessment_for_pack().get(pk=xai_assessment.pk)
    snapshot, _hash = services.document_snapshot(assessment, "report")
    assert "today" not in snapshot["values"]
    assert set(snapshot) == {
        "schema",
        "kind",
        "supplier",
        "model",
        "assessment",
        "signatures",
        "items",
        "evidence",
        "changes",
        "library",
        "clauses",
        "values",
    }


def test_schedule_snapshot_holds_the_clauses_and_nothing_of_the_record(xai_assessment):
    assessment = queries.assessment_for_pack().get(pk=xai_assessment.pk)
    snapshot, _hash = services.document_snapshot(assessment)
    assert set(snapshot) == {
        "schema",
        "kind",
        "supplier",
        "model",
        "reference",
        "library",
        "clauses",
        "values",
    }
    assert snapshot["kind"] == "schedule"
    assert {key for clause in snapshot["clauses"] for key in clause} == {
        "number",
        "key",
        "title",
        "category",
        "legal_basis",
        "body",
    }


def test_schedule_and_report_are_versioned_apart(xai_assessment, legal_user, media_root):
    schedule, _ = services.document_generate(assessment=xai_assessment, format="pdf", by=legal_user)
    report, _ = services.document_generate(
        assessment=xai_assessment, format="pdf", kind="report", by=legal_user
    )
    # The record changes, not the clauses: an open item is now requested, still not settled.
    set_status(xai_assessment, "DOC-14", "requested")
    same_schedule, schedule_created = services.document_generate(
        assessment=xai_assessment, format="pdf", by=legal_user
    )
    new_report, report_created = services.document_generate(
        assessment=xai_assessment, format="pdf", kind="report", by=legal_user
    )

    assert (schedule.kind, report.kind) == ("schedule", "report")
    assert (schedule.version, report.version) == (1, 1)
    assert not schedule_created and same_schedule == schedule
    assert report_created and new_report.version == 2
    assert schedule.filename.startswith("contract-schedule-")
    assert report.filename.startswith("due-diligence-report-")


def test_document_marks_items_pending_while_systemic_risk_is_unknown(procurement_user):
    from diligence import services as diligence_services
    from tests.factories import GPAIModelFactory, SupplierFactory

    model = GPAIModelFactory(supplier=SupplierFactory(country="FR"))
    assessment = diligence_services.assessment_start(
        model=model,
        reference="TENDER-PENDING",
        purpose="Summaries.",
        owner=procurement_user,
        due_date=datetime.date.today() + datetime.timedelta(days=30),
        by=procurement_user,
    )

    snapshot, _hash = services.document_snapshot(
        queries.assessment_for_pack().get(pk=assessment.pk), "report"
    )

    items = {item["code"]: item for item in snapshot["items"]}
    assert items["SAF-01"]["pending"] == "Pending: systemic-risk status not known."
    assert "pending" not in items["DOC-02"]
