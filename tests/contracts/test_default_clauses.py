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


def test_library_has_between_20_and_30_clauses():
    assert 20 <= len(CLAUSES) <= 30


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
    assert {clause["trigger_kind"] for clause in CLAUSES} == TriggerKind.VALUES
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
            "always",
            ["Annex XII", "Model Documentation Form", "14 days", "up to date"],
        ),
        ("change-notice", "always", ["change to the Model", "documentation", "signatory"]),
        ("copyright-policy", "always", ["policy", "copyright"]),
        ("tdm-opt-outs", "always", ["Article 4(3)", "robots.txt", "RFC 9309"]),
        ("infringing-output", "always", ["safeguards", "infringes"]),
        ("rightsholder-complaints", "always", ["contact point", "complaints"]),
        ("training-summary", "always", ["summary", "template of the AI Office"]),
        (
            "authorised-representative",
            "provider_outside_eu",
            ["authorised representative", "{{ supplier.representative }}"],
        ),
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
def test_migration_publishes_the_library_as_version_1():
    library = ClauseLibrary.objects.get()
    assert (library.version, library.status, library.name) == (
        1,
        LibraryStatus.PUBLISHED,
        default_clauses.VERSION_NAME,
    )
    assert list(library.clauses.values_list("key", flat=True)) == [c["key"] for c in CLAUSES]
    assert all(library.clauses.values_list("active", flat=True))


@pytest.mark.django_db
def test_every_default_clause_passes_model_validation():
    draft = ClauseLibrary.objects.create(name="Draft", version=2)
    for clause in CLAUSES:
        Clause(library=draft, **clause).full_clean()
