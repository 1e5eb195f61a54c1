import datetime

import pytest

from diligence.applicability import (
    CATEGORY_CHAPTER,
    EVIDENCE_MODE_LABELS,
    AppliesTo,
    Category,
    Condition,
    EvidenceMode,
    ItemRule,
    applicability,
    evidence_mode,
    evidence_modes,
    split_items,
)
from vendors.facts import ModelFacts, SystemicRisk, authorised_representative_needed

# One rule of each shape the checklist uses.
DOCUMENTATION = ItemRule("DOC-10", Category.DOCUMENTATION, AppliesTo.NOT_WHEN_OPEN_SOURCE_EXEMPT)
TRAINING_SUMMARY = ItemRule("DOC-23", Category.DOCUMENTATION, AppliesTo.ALL_GPAI)
COPYRIGHT = ItemRule("CPY-01", Category.COPYRIGHT, AppliesTo.ALL_GPAI)
SYSTEMIC = ItemRule("SAF-05", Category.SAFETY_SECURITY, AppliesTo.SYSTEMIC_RISK_ONLY)
REPRESENTATIVE = ItemRule(
    "DOC-21",
    Category.DOCUMENTATION,
    AppliesTo.NOT_WHEN_OPEN_SOURCE_EXEMPT,
    Condition.PROVIDER_OUTSIDE_EU,
)
LEGACY_PLAN = ItemRule("DOC-09", Category.DOCUMENTATION, AppliesTo.ALL_GPAI, Condition.LEGACY_MODEL)
OPEN_SOURCE_CLAIM = ItemRule(
    "DOC-04", Category.DOCUMENTATION, AppliesTo.ALL_GPAI, Condition.CLAIMS_OPEN_SOURCE_EXEMPTION
)

AFTER_DEADLINE = datetime.date(2025, 9, 1)
OPEN_RELEASE = {
    "open_licence": True,
    "weights_public": True,
    "architecture_public": True,
    "usage_info_public": True,
    "claims_open_source_exemption": True,
}

ORDINARY = ModelFacts(training_compute_flop=10**24, placed_on_market=AFTER_DEADLINE)
OPEN_SOURCE = ModelFacts(
    training_compute_flop=10**24, placed_on_market=AFTER_DEADLINE, **OPEN_RELEASE
)
# Released openly, but with no compute figure: systemic risk, and so the exemption, undetermined.
OPEN_SOURCE_UNDETERMINED = ModelFacts(placed_on_market=AFTER_DEADLINE, **OPEN_RELEASE)
OPEN_SOURCE_SYSTEMIC = ModelFacts(
    training_compute_flop=3 * 10**25, placed_on_market=AFTER_DEADLINE, **OPEN_RELEASE
)
OPEN_SOURCE_MONETISED = ModelFacts(placed_on_market=AFTER_DEADLINE, monetised=True, **OPEN_RELEASE)
DESIGNATED = ModelFacts(systemic_risk_status=SystemicRisk.DESIGNATED)
OUTSIDE_EU = ModelFacts(provider_in_eu=False, placed_on_market=AFTER_DEADLINE)
OPEN_SOURCE_OUTSIDE_EU = ModelFacts(
    provider_in_eu=False,
    training_compute_flop=10**24,
    placed_on_market=AFTER_DEADLINE,
    **OPEN_RELEASE,
)
OPEN_SOURCE_SYSTEMIC_OUTSIDE_EU = ModelFacts(
    training_compute_flop=2 * 10**25, provider_in_eu=False, **OPEN_RELEASE
)
LEGACY = ModelFacts(placed_on_market=datetime.date(2024, 3, 1))
PLACED_ON_DEADLINE = ModelFacts(placed_on_market=datetime.date(2025, 8, 2))
PLACEMENT_UNKNOWN = ModelFacts()


@pytest.mark.parametrize(
    ("rule", "facts", "applies", "reason_mentions"),
    [
        pytest.param(DOCUMENTATION, ORDINARY, True, "", id="ordinary-documentation"),
        pytest.param(COPYRIGHT, ORDINARY, True, "", id="ordinary-copyright"),
        pytest.param(SYSTEMIC, ORDINARY, False, "Art. 55", id="ordinary-no-systemic-items"),
        pytest.param(REPRESENTATIVE, ORDINARY, False, "outside the Union", id="ordinary-no-rep"),
        pytest.param(LEGACY_PLAN, ORDINARY, False, "Art. 111(3)", id="ordinary-not-legacy"),
        pytest.param(
            OPEN_SOURCE_CLAIM, ORDINARY, False, "open-source exemption", id="ordinary-no-claim"
        ),
        pytest.param(DOCUMENTATION, OPEN_SOURCE, False, "Art. 53(2)", id="exempt-no-documentation"),
        pytest.param(COPYRIGHT, OPEN_SOURCE, True, "", id="exempt-copyright-still-applies"),
        pytest.param(TRAINING_SUMMARY, OPEN_SOURCE, True, "", id="exempt-summary-still-applies"),
        pytest.param(SYSTEMIC, OPEN_SOURCE, False, "Art. 55", id="exempt-no-systemic-items"),
        pytest.param(OPEN_SOURCE_CLAIM, OPEN_SOURCE, True, "", id="exempt-claim-is-checked"),
        pytest.param(
            DOCUMENTATION, OPEN_SOURCE_SYSTEMIC, True, "", id="open-systemic-documentation-back"
        ),
        pytest.param(SYSTEMIC, OPEN_SOURCE_SYSTEMIC, True, "", id="open-systemic-systemic-items"),
        pytest.param(
            OPEN_SOURCE_CLAIM, OPEN_SOURCE_SYSTEMIC, True, "", id="open-systemic-claim-checked"
        ),
        pytest.param(
            DOCUMENTATION, OPEN_SOURCE_MONETISED, True, "", id="monetised-documentation-applies"
        ),
        pytest.param(SYSTEMIC, DESIGNATED, True, "", id="designated-without-compute-systemic"),
        pytest.param(REPRESENTATIVE, OUTSIDE_EU, True, "", id="outside-eu-rep"),
        pytest.param(DOCUMENTATION, OUTSIDE_EU, True, "", id="outside-eu-documentation"),
        pytest.param(
            REPRESENTATIVE,
            OPEN_SOURCE_OUTSIDE_EU,
            False,
            "Art. 54(6)",
            id="exempt-outside-eu-no-rep",
        ),
        pytest.param(
            REPRESENTATIVE,
            OPEN_SOURCE_SYSTEMIC_OUTSIDE_EU,
            True,
            "",
            id="open-systemic-outside-rep",
        ),
        pytest.param(
            REPRESENTATIVE, OPEN_SOURCE, False, "outside the Union", id="exempt-in-eu-no-rep"
        ),
        pytest.param(LEGACY_PLAN, LEGACY, True, "", id="legacy-plan"),
        pytest.param(LEGACY_PLAN, PLACED_ON_DEADLINE, False, "2 Aug 2025", id="placed-on-deadline"),
        pytest.param(LEGACY_PLAN, PLACEMENT_UNKNOWN, False, "record when", id="placement-unknown"),
    ],
)
def test_applicability_of_item_to_model(rule, facts, applies, reason_mentions):
    result = applicability(rule, facts)

    assert result.applies is applies
    if applies:
        assert result.reason == ""
    else:
        assert reason_mentions in result.reason


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param(ORDINARY, id="in-eu"),
        pytest.param(OUTSIDE_EU, id="outside-eu"),
        pytest.param(OPEN_SOURCE, id="exempt-in-eu"),
        pytest.param(OPEN_SOURCE_OUTSIDE_EU, id="exempt-outside-eu"),
        pytest.param(OPEN_SOURCE_SYSTEMIC_OUTSIDE_EU, id="open-systemic-outside-eu"),
        pytest.param(
            ModelFacts(provider_in_eu=False, monetised=True, **OPEN_RELEASE),
            id="monetised-outside-eu",
        ),
    ],
)
def test_representative_item_follows_art_54(facts):
    assert applicability(REPRESENTATIVE, facts).applies is authorised_representative_needed(facts)


UNDETERMINED = ModelFacts(placed_on_market=AFTER_DEADLINE)


def test_systemic_risk_items_stay_pending_while_the_status_is_unknown():
    result = applicability(SYSTEMIC, UNDETERMINED)

    assert result.applies
    assert result.pending == "Pending: systemic-risk status not known."


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param(ORDINARY, id="compute-below-threshold"),
        pytest.param(ModelFacts(systemic_risk_status=SystemicRisk.NOT_SYSTEMIC), id="recorded-no"),
        pytest.param(
            ModelFacts(
                training_compute_flop=3 * 10**25, systemic_risk_status=SystemicRisk.REBUTTED
            ),
            id="rebuttal-accepted",
        ),
    ],
)
def test_systemic_risk_items_are_excluded_only_when_systemic_risk_is_positively_no(facts):
    result = applicability(SYSTEMIC, facts)

    assert not result.applies
    assert "this model has none" in result.reason


def test_exemption_is_not_granted_while_systemic_risk_is_undetermined():
    assert applicability(DOCUMENTATION, OPEN_SOURCE_UNDETERMINED).applies
    rep = applicability(REPRESENTATIVE, ModelFacts(provider_in_eu=False, **OPEN_RELEASE))
    assert rep.applies


@pytest.mark.parametrize(
    ("facts", "asked"),
    [
        pytest.param(ModelFacts(claims_open_source_exemption=True), True, id="claimed"),
        pytest.param(
            ModelFacts(
                open_licence=True,
                weights_public=True,
                architecture_public=True,
                usage_info_public=True,
            ),
            True,
            id="conditions-ticked-without-claim",
        ),
        pytest.param(ModelFacts(open_licence=True), False, id="neither"),
    ],
)
def test_open_source_claim_checks_are_asked_whenever_the_exemption_would_be_relied_on(facts, asked):
    assert applicability(OPEN_SOURCE_CLAIM, facts).applies is asked


def test_split_items_keeps_order_and_gives_reasons():
    rules = [SYSTEMIC, COPYRIGHT, DOCUMENTATION, REPRESENTATIVE, TRAINING_SUMMARY]

    applicable, not_applicable = split_items(rules, OPEN_SOURCE)

    assert applicable == [COPYRIGHT, TRAINING_SUMMARY]
    assert [rule for rule, _reason in not_applicable] == [SYSTEMIC, DOCUMENTATION, REPRESENTATIVE]
    assert all(reason for _rule, reason in not_applicable)


def test_split_items_of_nothing():
    assert split_items([], ORDINARY) == ([], [])


@pytest.mark.parametrize(
    ("field", "value"),
    [("applies_to", "everyone"), ("condition", "full_moon")],
)
def test_unknown_rule_value_is_refused(field, value):
    rule = ItemRule("DOC-99", Category.DOCUMENTATION, AppliesTo.ALL_GPAI)
    rule = ItemRule(**{**rule.__dict__, field: value})

    with pytest.raises(ValueError, match="DOC-99"):
        applicability(rule, ORDINARY)


ALL_CHAPTERS = frozenset({"transparency", "copyright", "safety_security"})
CODE, OTHER = EvidenceMode.CODE_MEASURE, EvidenceMode.OTHER_MEANS


@pytest.mark.parametrize(
    ("signed_chapters", "expected"),
    [
        pytest.param(
            ALL_CHAPTERS,
            {
                Category.DOCUMENTATION: CODE,
                Category.COPYRIGHT: CODE,
                Category.SAFETY_SECURITY: CODE,
            },
            id="full-signatory",
        ),
        pytest.param(
            frozenset({"safety_security"}),
            {
                Category.DOCUMENTATION: OTHER,
                Category.COPYRIGHT: OTHER,
                Category.SAFETY_SECURITY: CODE,
            },
            id="safety-and-security-only",
        ),
        pytest.param(
            frozenset({"transparency", "copyright"}),
            {
                Category.DOCUMENTATION: CODE,
                Category.COPYRIGHT: CODE,
                Category.SAFETY_SECURITY: OTHER,
            },
            id="transparency-and-copyright-only",
        ),
        pytest.param(
            frozenset(),
            {
                Category.DOCUMENTATION: OTHER,
                Category.COPYRIGHT: OTHER,
                Category.SAFETY_SECURITY: OTHER,
            },
            id="non-signatory",
        ),
    ],
)
def test_evidence_mode_follows_signed_chapters(signed_chapters, expected):
    facts = ModelFacts(signed_chapters=signed_chapters)

    assert evidence_modes(facts) == expected
    for category, mode in expected.items():
        assert evidence_mode(category, facts) == mode


def test_every_category_has_a_chapter_and_every_mode_a_label():
    assert set(CATEGORY_CHAPTER) == Category.VALUES
    assert set(CATEGORY_CHAPTER.values()) == ALL_CHAPTERS
    assert EVIDENCE_MODE_LABELS[EvidenceMode.OTHER_MEANS] == (
        "Other adequate means (Art. 53(4), Art. 55(2))"
    )
    assert EVIDENCE_MODE_LABELS[EvidenceMode.CODE_MEASURE] == "Code of Practice measure"


def test_no_condition_is_a_valid_choice():
    assert Condition.NONE == ""
    assert Condition.NONE in Condition.VALUES
