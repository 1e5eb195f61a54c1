import datetime
from types import SimpleNamespace

from contracts.packs import ADD, REMOVE, assemble
from contracts.triggers import ChapterStatus, ItemState, PackFacts
from vendors.facts import ModelFacts, derive

FACTS = PackFacts(
    chapters=(ChapterStatus("copyright", "Copyright", "not_signed", "Not signed"),),
    items=(ItemState("DOC-11", "documentation", "gap", "Gap"),),
    derived=derive(
        ModelFacts(
            provider_in_eu=True,
            training_compute_flop=10**24,
            placed_on_market=datetime.date(2025, 9, 1),
        )
    ),
    country="France",
)


def clause(key, kind="always", param="", active=True):
    return SimpleNamespace(
        key=key, title=key.title(), trigger_kind=kind, trigger_param=param, active=active
    )


def override(key, action, reason="Because."):
    return SimpleNamespace(clause_key=key, action=action, reason=reason)


CLAUSES = [
    clause("definitions"),
    clause("integration", "item_gap", "DOC-11"),
    clause("other-means-copyright", "chapter_not_signed", "copyright"),
    clause("representative", "provider_outside_eu"),
    clause("retired-text", active=False),
]


def keys(entries):
    return [entry.clause.key for entry in entries]


def test_triggers_select_and_the_rest_are_listed_with_the_reason():
    pack = assemble(CLAUSES, FACTS)

    assert keys(pack.included) == ["definitions", "integration", "other-means-copyright"]
    assert [entry.number for entry in pack.included] == [1, 2, 3]
    assert [entry.reason for entry in pack.included][1:] == [
        "DOC-11 is a gap",
        "Copyright chapter not signed (status: Not signed)",
    ]
    assert pack.removed == ()
    assert keys(pack.not_selected) == ["representative"]
    assert pack.not_selected[0].selection.reason == "Provider established in the Union (France)"


def test_inactive_clauses_are_never_in_a_pack():
    pack = assemble(CLAUSES, FACTS, [override("retired-text", ADD)])
    assert pack.entry("retired-text") is None


def test_legal_removes_a_selected_clause_and_it_is_listed_apart_with_the_reason():
    pack = assemble(
        CLAUSES, FACTS, [override("integration", REMOVE, "Agreed in the framework contract.")]
    )

    assert keys(pack.included) == ["definitions", "other-means-copyright"]
    assert [entry.number for entry in pack.included] == [1, 2]
    [removed] = pack.removed
    assert removed.clause.key == "integration"
    assert removed.override.reason == "Agreed in the framework contract."
    assert removed.selection.reason == "DOC-11 is a gap"


def test_legal_adds_a_clause_no_trigger_selected():
    pack = assemble(CLAUSES, FACTS, [override("representative", ADD, "Group company in the US.")])

    entry = pack.entry("representative")
    assert entry in pack.included
    assert entry.added
    assert entry.reason == "Added by Legal: Group company in the US."
    assert entry.number == 4


def test_a_clause_added_by_hand_whose_facts_do_not_hold_carries_a_warning():
    legacy = clause("legacy-model", "legacy_model")
    pack = assemble([*CLAUSES, legacy], FACTS, [override("legacy-model", ADD, "Asked by Legal.")])

    entry = pack.entry("legacy-model")
    assert entry in pack.included
    assert "facts this clause is written for do not hold" in entry.warning
    assert "not a legacy model" in entry.warning
    assert pack.warnings == [entry]


def test_a_clause_added_by_hand_on_an_item_trigger_carries_no_warning():
    closed = PackFacts(
        items=(ItemState("DOC-11", "documentation", "accepted", "Accepted"),),
        derived=FACTS.derived,
    )
    pack = assemble(CLAUSES, closed, [override("integration", ADD, "Belt and braces.")])

    assert pack.entry("integration").warning == ""
    assert pack.warnings == []


def test_the_newest_override_counts():
    removed_then_added = [
        override("integration", REMOVE, "Not needed."),
        override("integration", ADD, "Needed after all."),
    ]
    pack = assemble(CLAUSES, FACTS, removed_then_added)

    entry = pack.entry("integration")
    assert entry in pack.included
    # Back in the pack, it is there because its trigger selects it.
    assert entry.reason == "DOC-11 is a gap"


def test_a_removal_that_no_longer_matters_leaves_the_clause_not_selected():
    closed = PackFacts(items=(ItemState("DOC-11", "documentation", "accepted", "Accepted"),))
    pack = assemble(CLAUSES, closed, [override("integration", REMOVE)])

    assert pack.entry("integration") in pack.not_selected
    assert pack.removed == ()
