import re
from collections import Counter

import pytest

from contracts import default_clauses, placeholders
from contracts.models import Clause, ClauseCategory, ClauseLibrary, LibraryStatus
from contracts.triggers import ITEM_CODE, TriggerKind, param_error
from diligence import default_checklist
from diligence.applicability import Category
from vendors.models import Chapter

CLAUSES = default_clauses.CLAUSES
BY_KEY = {clause["key"]: clause for clause in CLAUSES}
FIELDS = {
    "key",
    "title",
    "category",
    "legal_basis",
    "trigger_kind",
    "trigger_param",
    "body",
    "order",
}


def test_library_has_between_20_and_35_clauses():
    assert 20 <= len(CLAUSES) <= 35


def test_keys_are_unique_slugs_and_orders_follow_the_list():
    assert len(BY_KEY) == len(CLAUSES)
    assert all(re.fullmatch(r"[a-z0-9-]+", key) for key in BY_KEY)
    orders = [clause["order"] for clause in CLAUSES]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)


@pytest.mark.parametrize("clause", CLAUSES, ids=lambda clause: clause["key"])
def test_clause_is_well_formed(clause):
    assert set(clause) == FIELDS
    assert clause["category"] in ClauseCategory.values
    assert clause["title"] and clause["legal_basis"] and len(clause["body"]) > 100
    assert placeholders.errors(clause["body"]) == []
    error = param_error(
        clause["trigger_kind"],
        clause["trigger_param"],
        chapters=frozenset(Chapter.values),
        categories=Category.VALUES,
    )
    assert error == ""


def test_item_codes_in_triggers_exist_in_the_default_checklist():
    codes = {item["code"] for item in default_checklist.ITEMS}
    used = [c["trigger_param"] for c in CLAUSES if ITEM_CODE.fullmatch(c["trigger_param"])]
    assert used
    assert set(used) <= codes


def test_every_trigger_kind_and_chapter_is_used():
    # The first library's open-source kind and the bare "outside the Union" kind stay for
    # curators; the defaults use the exemption and "representative needed" (Art. 54(6)).
    kept_for_curators = {TriggerKind.OPEN_SOURCE_CLAIMED, TriggerKind.PROVIDER_OUTSIDE_EU}
    assert {clause["trigger_kind"] for clause in CLAUSES} == TriggerKind.VALUES - kept_for_curators
    not_signed = Counter(
        c["trigger_param"] for c in CLAUSES if c["trigger_kind"] == TriggerKind.CHAPTER_NOT_SIGNED
    )
    # One "other adequate means" clause per chapter (Art. 53(4), Art. 55(2)).
    assert not_signed == Counter(Chapter.values)


def test_bodies_use_placeholders():
    used = {
        name for clause in CLAUSES for name in re.findall(r"\{\{\s*(\S+)\s*\}\}", clause["body"])
    }
    assert {
        "supplier.name",
        "supplier.legal_name",
        "model.name",
        "assessment.reference",
        "today",
    } <= used


@pytest.mark.parametrize(
    ("key", "trigger", "words"),
    [
        (
            "downstream-information",
            "not_open_source_exempt",
            ["Annex XII", "Model Documentation Form", "14 days", "up to date"],
        ),
        (
            "downstream-information-contractual",
            "open_source_exempt",
            ["law does not oblige", "by contract", "Annex XII"],
        ),
        ("change-notice", "always", ["change to the Model", "documentation", "signatory"]),
        ("copyright-policy", "not_legacy_model", ["policy", "copyright"]),
        ("copyright-legacy", "legacy_model", ["no later than 2 August 2027", "Article 4(3)"]),
        ("tdm-opt-outs", "not_legacy_model", ["Article 4(3)", "robots.txt", "RFC 9309"]),
        ("infringing-output", "always", ["safeguards", "infringes"]),
        ("rightsholder-complaints", "always", ["contact point", "complaints"]),
        ("training-summary", "not_legacy_model", ["summary", "template of the AI Office"]),
        (
            "training-summary-legacy",
            "legacy_model",
            ["no later than 2 August 2027", "template of the AI Office"],
        ),
        ("open-source-exemption", "open_source_exempt", ["Article 53(2)", "not monetised"]),
        (
            "open-source-claim-fails",
            "open_source_claim_fails",
            ["Article 53(1)(a)", "Article 54", "in full"],
        ),
        (
            "systemic-risk-status",
            "systemic_risk_undetermined",
            ["cumulative compute", "Article 52(1)", "two weeks"],
        ),
        (
            "authorised-representative",
            "representative_needed",
            ["authorised representative", "{{ supplier.representative }}"],
        ),
        ("modified-model", "modification", ["original provider", "compute"]),
        ("customer-fine-tuning", "buyer_may_become_provider", ["provider of a new", "compute"]),
        ("serious-incidents", "systemic_risk", ["serious incident", "AI Office"]),
        ("model-report-summaries", "systemic_risk", ["Model Report", "summaries"]),
        ("ai-office-cooperation", "always", ["cooperate", "AI Office"]),
        ("audit-rights", "always", ["audit", "independent auditor"]),
        ("remediation-plan", "item_gap", ["remediation plan", "for each gap", "deadline"]),
        ("suspension", "always", ["suspend"]),
        ("termination", "always", ["terminate"]),
        ("ip-indemnity", "always", ["indemnify", "intellectual-property"]),
        ("legacy-model", "legacy_model", ["2 August 2027", "before 2 August 2025"]),
    ],
)
def test_library_covers_the_clauses_a_buyer_needs(key, trigger, words):
    clause = BY_KEY[key]
    assert clause["trigger_kind"] == trigger
    body = " ".join(clause["body"].split())
    for word in words:
        assert word in body


@pytest.mark.django_db
def test_migrations_publish_version_3_and_retire_versions_1_and_2():
    first, second, third = ClauseLibrary.objects.order_by("version")
    for library, version in ((first, 1), (second, 2)):
        assert (library.version, library.status) == (version, LibraryStatus.RETIRED)
        assert list(library.clauses.values_list("key", flat=True)) == [
            c["key"] for c in default_clauses.load(version)["clauses"]
        ]
    assert second.based_on == first
    assert (third.version, third.status, third.name, third.based_on) == (
        3,
        LibraryStatus.PUBLISHED,
        default_clauses.VERSION_NAME,
        second,
    )
    assert list(third.clauses.values_list("key", flat=True)) == [c["key"] for c in CLAUSES]
    assert all(third.clauses.values_list("active", flat=True))


@pytest.mark.django_db
def test_clause_packs_stay_on_the_library_their_documents_were_made_from():
    # Documents keep the text they were made from: publishing v3 changed no v2 clause.
    v2 = ClauseLibrary.objects.get(version=2)
    stored = {c.key: c.body for c in v2.clauses.all()}
    assert stored == {c["key"]: c["body"] for c in default_clauses.load(2)["clauses"]}
    assert "status table" in stored["outstanding-information"]


def test_no_clause_points_to_a_table_or_record_the_schedule_does_not_hold():
    for clause in CLAUSES:
        body = " ".join(clause["body"].split()).lower()
        for phrase in ("status table", "this document", "due-diligence record", " table"):
            assert phrase not in body, (clause["key"], phrase)


@pytest.mark.parametrize(
    ("key", "placeholder"),
    [
        ("outstanding-information", "{{ items.open }}"),
        ("remediation-plan", "{{ items.gaps }}"),
        ("safety-evidence", "{{ items.open_safety_security }}"),
        ("downstream-fields-missing", "{{ mdf.downstream_missing }}"),
        ("downstream-fields-missing", "{{ mdf.version }}"),
    ],
)
def test_clauses_name_the_matters_they_concern_themselves(key, placeholder):
    assert placeholder in BY_KEY[key]["body"]


def test_the_missing_mdf_fields_clause_builds_on_the_statutory_information_clause():
    clause = BY_KEY["downstream-fields-missing"]
    assert clause["trigger_kind"] == TriggerKind.MDF_DOWNSTREAM_MISSING
    assert clause["category"] == BY_KEY["downstream-information"]["category"]
    assert "Art. 53(1)(b)" in clause["legal_basis"]
    assert "information for downstream providers" in " ".join(clause["body"].split())


@pytest.mark.django_db
def test_every_default_clause_passes_model_validation():
    draft = ClauseLibrary.objects.create(name="Draft", version=99)
    for clause in CLAUSES:
        Clause(library=draft, **clause).full_clean()
