"""The assessment workflow and checklist curation, through the services that carry them out."""

import datetime
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEntry
from core.roles import PROCUREMENT
from diligence import services
from diligence.models import (
    Assessment,
    AssessmentItem,
    AssessmentStatus,
    Checklist,
    ChecklistStatus,
    Decision,
    Evidence,
    ItemStatus,
    Outcome,
)
from tests.factories import (
    MINIMAL_PDF,
    ChecklistItemFactory,
    GPAIModelFactory,
    SupplierFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
NEXT_YEAR = TODAY + datetime.timedelta(days=365)
PDF = MINIMAL_PDF


@pytest.fixture
def gpai_model():
    """An EU supplier's model without systemic risk that signed two chapters of the Code."""
    supplier = SupplierFactory(
        name="Mistral AI",
        country="FR",
        signatures={"transparency": "signed", "copyright": "signed", "safety_security": "declined"},
    )
    return GPAIModelFactory(
        supplier=supplier, name="Mistral Medium", version="3", training_compute_flop=10**24
    )


@pytest.fixture
def reviewer():
    """A second Procurement user: the four-eyes reviewer."""
    return UserFactory(username="reviewer", role=PROCUREMENT)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _start(model, owner, **kwargs):
    return services.assessment_start(
        model=model,
        reference=kwargs.pop("reference", "TENDER-2025-07"),
        purpose="Drafting replies to customer enquiries.",
        owner=owner,
        due_date=TODAY + datetime.timedelta(days=30),
        by=owner,
        **kwargs,
    )


@pytest.fixture
def assessment(gpai_model, procurement_user):
    return _start(gpai_model, procurement_user)


def _item(assessment, code):
    return assessment.items.select_related("assessment", "checklist_item").get(
        checklist_item__code=code
    )


def _update(item, by, status, expected_version=None, **data):
    return services.assessment_item_update(
        item=item,
        data={"status": status, **data},
        expected_version=item.version if expected_version is None else expected_version,
        by=by,
    )


def _resolve_required_items(assessment, by):
    for item in assessment.items.filter(applicable=True, checklist_item__required=True):
        _update(_item(assessment, item.checklist_item.code), by, ItemStatus.ACCEPTED)


def _in_review(assessment):
    return services.assessment_submit(assessment=assessment, by=assessment.owner)


def _decide(assessment, by, outcome=Outcome.REJECTED, conditions="", valid_until=NEXT_YEAR):
    return services.assessment_decide(
        assessment=assessment,
        outcome=outcome,
        conditions=conditions,
        valid_until=valid_until,
        by=by,
    )


def _actions(assessment):
    return list(
        AuditEntry.objects.filter(target_id=str(assessment.pk))
        .order_by("at", "id")
        .values_list("action", "actor__username")
    )


def _pdf(name="model-card.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()]


# Starting an assessment


def test_start_sets_up_every_checklist_item_and_says_why_the_others_do_not_apply(assessment):
    items = {
        item.checklist_item.code: item for item in assessment.items.select_related("checklist_item")
    }

    assert len(items) == assessment.checklist.items.count() == 56
    assert items["DOC-02"].applicable
    assert items["CPY-01"].applicable
    assert not items["SAF-01"].applicable
    assert items["SAF-01"].exclusion_reason.startswith("Only for models with systemic risk")
    assert not items["DOC-21"].applicable
    assert (
        items["DOC-21"].exclusion_reason
        == "Only for providers established outside the Union (Art. 54)."
    )
    assert all(item.status == ItemStatus.OPEN for item in items.values())


def test_start_includes_safety_items_for_a_model_with_systemic_risk(procurement_user):
    model = GPAIModelFactory(
        supplier=SupplierFactory(country="US"), systemic_risk_status="notified"
    )

    assessment = _start(model, procurement_user)

    assert _item(assessment, "SAF-01").applicable
    assert _item(assessment, "DOC-21").applicable  # Art. 54: provider outside the EU


def test_start_pins_the_newest_published_checklist(gpai_model, procurement_user, reviewer):
    v1 = services.latest_published_checklist()
    v2 = services.checklist_new_draft(source=v1, by=reviewer)
    services.checklist_publish(checklist=v2, by=reviewer)
    services.checklist_new_draft(source=v2, by=reviewer)  # v3 stays a draft

    assessment = _start(gpai_model, procurement_user)

    assert assessment.checklist == v2
    assert set(assessment.items.values_list("checklist_item__checklist", flat=True)) == {v2.pk}


def test_start_skips_a_retired_version(gpai_model, procurement_user, reviewer):
    v1 = services.latest_published_checklist()
    draft = services.checklist_new_draft(source=v1, by=reviewer)
    v2 = services.checklist_publish(checklist=draft, by=reviewer)
    services.checklist_retire(checklist=v2, by=reviewer)

    assert _start(gpai_model, procurement_user).checklist == v1


def test_start_is_refused_when_no_checklist_is_published(gpai_model, procurement_user, reviewer):
    services.checklist_retire(checklist=services.latest_published_checklist(), by=reviewer)

    with pytest.raises(ValidationError, match="No checklist is published yet"):
        _start(gpai_model, procurement_user)

    assert not Assessment.objects.exists()


def test_start_records_the_evidence_mode_of_each_category_from_the_signed_chapters(assessment):
    assert assessment.evidence_modes == {
        "documentation": "code_measure",
        "copyright": "code_measure",
        "safety_security": "other_means",
    }


def test_starting_twice_with_the_same_request_token_creates_one_assessment(
    gpai_model, procurement_user
):
    token = "8d0c6c8e-58a4-4b57-9a4e-0c1c1a2b3c4d"

    first = _start(gpai_model, procurement_user, request_token=token)
    second = _start(gpai_model, procurement_user, request_token=token, reference="Again")

    assert second == first
    assert Assessment.objects.count() == 1
    assert AssessmentItem.objects.count() == 56
    assert _actions(first) == [("assessment_started", "procurement")]


# Submitting, returning, deciding and reopening


def test_owner_submits_a_draft_for_review(assessment, procurement_user):
    services.assessment_submit(assessment=assessment, by=procurement_user)

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_REVIEW
    assert _actions(assessment)[-1] == ("assessment_submitted", "procurement")


def test_only_the_owner_can_submit(assessment, reviewer):
    with pytest.raises(ValidationError, match="Only the owner"):
        services.assessment_submit(assessment=assessment, by=reviewer)

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_an_assessment_in_review_cannot_be_submitted_again(assessment, procurement_user):
    _in_review(assessment)

    with pytest.raises(ValidationError, match="Only a draft"):
        services.assessment_submit(assessment=assessment, by=procurement_user)


def test_reviewer_sends_an_assessment_back_to_the_owner(assessment, reviewer):
    _in_review(assessment)

    services.assessment_return(assessment=assessment, by=reviewer, reason="DOC-12 is missing")

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    entry = AuditEntry.objects.filter(action="assessment_returned").get()
    assert (entry.actor, entry.summary) == (reviewer, "Changes requested: DOC-12 is missing")


def test_a_draft_cannot_be_sent_back(assessment, reviewer):
    with pytest.raises(ValidationError, match="Only an assessment in review"):
        services.assessment_return(assessment=assessment, by=reviewer, reason="Why")


def test_owner_cannot_decide_on_their_own_assessment(assessment, procurement_user):
    _in_review(assessment)

    with pytest.raises(ValidationError, match="four-eyes"):
        _decide(assessment, procurement_user)

    assert not Decision.objects.exists()


def test_a_draft_cannot_be_decided(assessment, reviewer):
    with pytest.raises(ValidationError, match="Only an assessment in review"):
        _decide(assessment, reviewer)


def test_approval_with_conditions_states_the_conditions(assessment, reviewer):
    _in_review(assessment)

    with pytest.raises(ValidationError) as refused:
        _decide(assessment, reviewer, Outcome.APPROVED_WITH_CONDITIONS, conditions="  ")

    assert refused.value.message_dict == {"conditions": ["State the conditions of the approval."]}
    assert not Decision.objects.exists()


@pytest.mark.parametrize("days", [0, -1])
def test_a_decision_is_valid_until_a_future_date(assessment, reviewer, days):
    _in_review(assessment)

    with pytest.raises(ValidationError) as refused:
        _decide(assessment, reviewer, valid_until=TODAY + datetime.timedelta(days=days))

    assert list(refused.value.message_dict) == ["valid_until"]


def test_approval_is_blocked_while_required_items_are_unresolved(assessment, reviewer):
    _in_review(assessment)
    required = assessment.items.filter(applicable=True, checklist_item__required=True).count()

    with pytest.raises(ValidationError) as refused:
        _decide(assessment, reviewer, Outcome.APPROVED)

    assert refused.value.message_dict["outcome"] == [
        f"{required} required item(s) are not accepted. Approve with conditions or reject instead."
    ]


def test_approval_succeeds_once_every_required_item_is_accepted_or_not_applicable(
    assessment, procurement_user, reviewer
):
    _resolve_required_items(assessment, procurement_user)
    _update(
        _item(assessment, "DOC-02"),
        procurement_user,
        ItemStatus.NOT_APPLICABLE,
        justification="The Commission's list settles it.",
    )
    _update(_item(assessment, "DOC-01"), procurement_user, ItemStatus.GAP)  # recommended only
    _in_review(assessment)

    decision = _decide(assessment, reviewer, Outcome.APPROVED)

    assessment.refresh_from_db()
    assert (assessment.status, assessment.decision) == (AssessmentStatus.DECIDED, decision)
    assert (decision.outcome, decision.revision, decision.decided_by) == ("approved", 1, reviewer)


def test_a_decided_assessment_refuses_item_changes_and_evidence(
    assessment, procurement_user, reviewer
):
    _in_review(assessment)
    _decide(assessment, reviewer)
    item = _item(assessment, "DOC-02")

    with pytest.raises(ValidationError, match="read-only"):
        _update(item, procurement_user, ItemStatus.ACCEPTED)
    with pytest.raises(ValidationError, match="read-only"):
        services.evidence_add(
            item=item,
            data={"description": "Card", "url": "https://example.org"},
            by=procurement_user,
        )

    item.refresh_from_db()
    assert (item.status, item.version) == (ItemStatus.OPEN, 1)
    assert not Evidence.objects.exists()


def test_reopening_starts_revision_2_and_keeps_the_earlier_decision(
    assessment, procurement_user, reviewer
):
    _in_review(assessment)
    first = _decide(assessment, reviewer, Outcome.APPROVED_WITH_CONDITIONS, conditions="Audit")

    services.assessment_reopen(assessment=assessment, by=procurement_user, reason="New version")

    assessment.refresh_from_db()
    assert (assessment.status, assessment.revision, assessment.decision) == ("draft", 2, None)
    assert list(assessment.decisions.all()) == [first]
    _in_review(assessment)
    second = _decide(assessment, reviewer)
    assert list(assessment.decisions.values_list("revision", "outcome")) == [
        (2, "rejected"),
        (1, "approved_with_conditions"),
    ]
    assert second.revision == 2


def test_only_a_decided_assessment_can_be_reopened(assessment, procurement_user):
    with pytest.raises(ValidationError, match="Only a decided"):
        services.assessment_reopen(assessment=assessment, by=procurement_user, reason="Why")


def test_every_workflow_step_is_audited_with_who_did_it(assessment, procurement_user, reviewer):
    _in_review(assessment)
    services.assessment_return(assessment=assessment, by=reviewer, reason="Incomplete")
    _in_review(assessment)
    _decide(assessment, reviewer)
    services.assessment_reopen(assessment=assessment, by=procurement_user, reason="New facts")

    assert _actions(assessment) == [
        ("assessment_started", "procurement"),
        ("assessment_submitted", "procurement"),
        ("assessment_returned", "reviewer"),
        ("assessment_submitted", "procurement"),
        ("assessment_decided", "reviewer"),
        ("assessment_reopened", "procurement"),
    ]


# Item updates and the optimistic lock


def test_second_update_from_the_same_version_conflicts_and_the_first_stays(
    assessment, procurement_user, reviewer
):
    mine = _item(assessment, "DOC-02")
    theirs = _item(assessment, "DOC-02")

    _update(
        mine, procurement_user, ItemStatus.REQUESTED, expected_version=1, notes="Asked on 3 Sep"
    )
    with pytest.raises(services.ConflictError):
        _update(theirs, reviewer, ItemStatus.GAP, expected_version=1, notes="Nothing received")

    stored = AssessmentItem.objects.get(pk=mine.pk)
    assert (stored.status, stored.notes, stored.version) == ("requested", "Asked on 3 Sep", 2)
    assert stored.updated_by == procurement_user


def test_accepting_an_item_records_who_reviewed_it_and_when(assessment, reviewer):
    item = _update(_item(assessment, "DOC-02"), reviewer, ItemStatus.ACCEPTED)

    assert (item.reviewer, item.reviewed_on, item.version) == (reviewer, TODAY, 2)


def test_not_applicable_needs_a_justification(assessment, procurement_user):
    item = _item(assessment, "DOC-02")

    with pytest.raises(ValidationError, match="Say why"):
        _update(item, procurement_user, ItemStatus.NOT_APPLICABLE, justification=" ")

    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN


def test_item_update_is_kept_in_the_field_history(assessment, procurement_user):
    item = _update(_item(assessment, "DOC-02"), procurement_user, ItemStatus.GAP, notes="None")

    latest = item.history.order_by("-history_date", "-history_id").first()
    assert (latest.status, latest.notes, latest.version) == ("gap", "None", 2)


# Evidence


def test_new_evidence_version_supersedes_the_old_one_which_stays(assessment, procurement_user):
    item = _item(assessment, "DOC-10")
    first = services.evidence_add(
        item=item,
        data={"description": "Card v1", "url": "https://example.org/v1"},
        by=procurement_user,
    )

    second = services.evidence_add(
        item=item,
        data={"description": "Card v2", "url": "https://example.org/v2"},
        supersedes=first,
        by=procurement_user,
    )

    first.refresh_from_db()
    assert (first.is_current, second.is_current) == (False, True)
    assert second.supersedes == first
    assert first.superseded_by == second
    assert list(item.evidence.values_list("description", flat=True)) == ["Card v2", "Card v1"]


def test_superseding_evidence_that_is_already_superseded_is_refused(assessment, procurement_user):
    item = _item(assessment, "DOC-10")
    first = services.evidence_add(
        item=item, data={"description": "v1", "url": "https://example.org/1"}, by=procurement_user
    )
    services.evidence_add(
        item=item,
        data={"description": "v2", "url": "https://example.org/2"},
        supersedes=first,
        by=procurement_user,
    )

    with pytest.raises(ValidationError, match="already been superseded"):
        services.evidence_add(
            item=item,
            data={"description": "v2 again", "url": "https://example.org/3"},
            supersedes=first,
            by=procurement_user,
        )

    assert item.evidence.count() == 2


def test_evidence_file_is_stored_under_a_generated_name_with_its_hash(
    assessment, procurement_user, media_root
):
    evidence = services.evidence_add(
        item=_item(assessment, "DOC-10"),
        data={"description": "Model card"},
        uploaded_file=_pdf(),
        by=procurement_user,
    )

    assert evidence.original_name == "model-card.pdf"
    assert evidence.storage_name.startswith("evidence/")
    assert (media_root / evidence.storage_name).read_bytes() == PDF
    assert len(evidence.sha256) == 64
    entry = AuditEntry.objects.get(action="evidence_added")
    assert entry.data == {"evidence": evidence.pk, "sha256": evidence.sha256}


def test_evidence_file_is_removed_again_when_the_database_write_fails(
    assessment, procurement_user, media_root, monkeypatch
):
    def fail(**kwargs):
        raise RuntimeError("database went away")

    # The audit entry is written in the same transaction, after the evidence row.
    monkeypatch.setattr(services.evidence, "audit_log", fail)

    with pytest.raises(RuntimeError):
        services.evidence_add(
            item=_item(assessment, "DOC-10"),
            data={"description": "Model card"},
            uploaded_file=_pdf(),
            by=procurement_user,
        )

    assert not Evidence.objects.exists()
    assert _stored_files(media_root) == []


def test_adding_evidence_twice_with_the_same_request_token_stores_one(
    assessment, procurement_user, media_root
):
    item = _item(assessment, "DOC-10")
    token = "0e6f3a5c-1d2b-4c3d-8e9f-a0b1c2d3e4f5"

    first = services.evidence_add(
        item=item,
        data={"description": "Card"},
        uploaded_file=_pdf(),
        by=procurement_user,
        request_token=token,
    )
    second = services.evidence_add(
        item=item,
        data={"description": "Card"},
        uploaded_file=_pdf(),
        by=procurement_user,
        request_token=token,
    )

    assert second == first
    assert Evidence.objects.count() == 1
    assert len(_stored_files(media_root)) == 1


# Checklist curation


def test_publishing_a_draft_freezes_it_and_is_audited(reviewer):
    draft = services.checklist_new_draft(source=services.latest_published_checklist(), by=reviewer)

    services.checklist_publish(checklist=draft, by=reviewer)

    draft.refresh_from_db()
    assert (draft.status, draft.published_by) == (ChecklistStatus.PUBLISHED, reviewer)
    assert draft.published_at is not None
    assert AuditEntry.objects.filter(action="checklist_published", target_id=str(draft.pk)).exists()


def test_only_a_draft_with_items_can_be_published(reviewer):
    empty = Checklist.objects.create(name="Empty", version=7)

    with pytest.raises(ValidationError, match="without items"):
        services.checklist_publish(checklist=empty, by=reviewer)
    with pytest.raises(ValidationError, match="Only a draft"):
        services.checklist_publish(checklist=services.latest_published_checklist(), by=reviewer)


def test_retiring_a_published_version(reviewer):
    v1 = services.latest_published_checklist()

    services.checklist_retire(checklist=v1, by=reviewer)

    v1.refresh_from_db()
    assert v1.status == ChecklistStatus.RETIRED
    assert AuditEntry.objects.filter(action="checklist_retired").count() == 1


def test_a_draft_cannot_be_retired(reviewer):
    draft = services.checklist_new_draft(source=services.latest_published_checklist(), by=reviewer)

    with pytest.raises(ValidationError, match="Only a published"):
        services.checklist_retire(checklist=draft, by=reviewer)


def test_new_draft_copies_every_item_under_the_next_version_number(reviewer):
    v1 = services.latest_published_checklist()
    ChecklistItemFactory(checklist=Checklist.objects.create(name="Other", version=4))

    draft = services.checklist_new_draft(source=v1, by=reviewer)

    fields = ("code", "category", "title", "guidance", "applies_to", "condition", "required")
    assert (draft.version, draft.status, draft.based_on) == (5, ChecklistStatus.DRAFT, v1)
    assert list(draft.items.values_list(*fields)) == list(v1.items.values_list(*fields))
    assert v1.items.count() == 56
    assert AuditEntry.objects.filter(action="checklist_drafted", target_id=str(draft.pk)).exists()


# Moving to a newer checklist version


@pytest.fixture
def version_2(reviewer):
    """v2 drops DOC-03 and adds a required item DOC-26."""
    draft = services.checklist_new_draft(source=services.latest_published_checklist(), by=reviewer)
    draft.items.filter(code="DOC-03").delete()
    ChecklistItemFactory(checklist=draft, code="DOC-26", title="Energy consumption")
    return services.checklist_publish(checklist=draft, by=reviewer)


def test_move_carries_answers_over_by_code_and_lists_removed_items(
    assessment, procurement_user, version_2
):
    _update(_item(assessment, "DOC-02"), procurement_user, ItemStatus.ACCEPTED, notes="Below 10^25")
    _update(_item(assessment, "DOC-03"), procurement_user, ItemStatus.GAP, notes="Not given")

    removed = services.assessment_move_to_version(
        assessment=assessment, checklist=version_2, by=procurement_user
    )

    assessment.refresh_from_db()
    assert removed == ["DOC-03"]
    assert assessment.checklist == version_2
    carried = _item(assessment, "DOC-02")
    assert (carried.checklist_item.checklist, carried.status, carried.notes) == (
        version_2,
        ItemStatus.ACCEPTED,
        "Below 10^25",
    )
    dropped = _item(assessment, "DOC-03")
    assert (dropped.applicable, dropped.exclusion_reason) == (False, "Not in checklist version 3.")
    assert dropped.notes == "Not given"
    added = _item(assessment, "DOC-26")
    assert (added.applicable, added.status) == (True, ItemStatus.OPEN)
    assert assessment.items.count() == 57


def test_move_is_audited_with_what_was_added_and_removed(assessment, procurement_user, version_2):
    services.assessment_move_to_version(
        assessment=assessment, checklist=version_2, by=procurement_user
    )

    entry = AuditEntry.objects.get(action="assessment_moved")
    assert entry.actor == procurement_user
    assert entry.data == {"added": ["DOC-26"], "removed": ["DOC-03"]}
    assert entry.summary == "Moved from checklist v2 to v3: 1 new item(s), 1 removed (DOC-03)"


def test_move_is_refused_to_an_older_version(gpai_model, procurement_user, version_2):
    assessment = _start(gpai_model, procurement_user)
    assert assessment.checklist == version_2

    with pytest.raises(ValidationError, match="newer checklist version"):
        services.assessment_move_to_version(
            assessment=assessment,
            checklist=Checklist.objects.get(version=2),
            by=procurement_user,
        )


def test_move_is_refused_to_an_unpublished_version(assessment, procurement_user, reviewer):
    draft = services.checklist_new_draft(source=assessment.checklist, by=reviewer)

    with pytest.raises(ValidationError, match="published checklist"):
        services.assessment_move_to_version(
            assessment=assessment, checklist=draft, by=procurement_user
        )

    assessment.refresh_from_db()
    assert assessment.checklist.version == 2


def test_start_and_move_are_kept_in_the_items_field_history(
    assessment, procurement_user, version_2
):
    services.assessment_move_to_version(
        assessment=assessment, checklist=version_2, by=procurement_user
    )

    dropped = _item(assessment, "DOC-03")
    records = dropped.history.order_by("history_date", "history_id")
    assert [(r.history_type, r.applicable, r.history_user) for r in records] == [
        ("+", True, procurement_user),
        ("~", False, procurement_user),
    ]
    added = _item(assessment, "DOC-26")
    assert added.history.get().history_type == "+"


def _counters(assessment):
    assessment.refresh_from_db()
    return {name: getattr(assessment, name) for name in Assessment.PROGRESS_FIELDS}


def test_progress_counters_follow_every_item_change(assessment, procurement_user):
    applicable = assessment.items.filter(applicable=True)
    assert _counters(assessment) == {
        "items_applicable": applicable.count(),
        "items_done": 0,
        "items_counted": applicable.count(),
        "items_accepted": 0,
        "gaps_documentation": 0,
        "gaps_copyright": 0,
        "gaps_safety_security": 0,
    }
    documentation, copyright_ = (
        applicable.filter(checklist_item__category=category).first()
        for category in ("documentation", "copyright")
    )

    _update(_item(assessment, documentation.checklist_item.code), procurement_user, ItemStatus.GAP)
    _update(
        _item(assessment, copyright_.checklist_item.code), procurement_user, ItemStatus.ACCEPTED
    )

    counters = _counters(assessment)
    assert (counters["gaps_documentation"], counters["items_accepted"]) == (1, 1)
    assert counters["items_done"] == 1

    _update(
        _item(assessment, copyright_.checklist_item.code),
        procurement_user,
        ItemStatus.NOT_APPLICABLE,
        justification="Only used internally.",
    )

    counters = _counters(assessment)
    assert counters["items_counted"] == applicable.count() - 1
    assert counters["items_accepted"] == 0
    assert (counters["items_applicable"], counters["items_done"]) == (applicable.count(), 1)


def test_the_migration_that_adds_list_counters_fills_them_for_existing_assessments(
    assessment, procurement_user
):
    from django.apps import apps

    backfill = importlib.import_module("diligence.migrations.0008_progress_for_the_list").backfill
    item = assessment.items.filter(applicable=True).first()
    _update(item, procurement_user, ItemStatus.ACCEPTED)
    expected = _counters(assessment)
    Assessment.objects.filter(pk=assessment.pk).update(items_applicable=0, items_done=0)

    backfill(apps, None)

    assert _counters(assessment) == expected
    assert expected["items_done"] == 1
