import datetime
import re

import pytest

from vendors.facts import (
    ModelFacts,
    SystemicRisk,
    authorised_representative_needed,
    buyer_fine_tuning,
    commission_can_enforce,
    compliance_due,
    derive,
    derive_facts,
    format_flop,
    has_systemic_risk,
    is_established_in_eu,
    is_legacy,
    modification,
    open_source_exempt,
    parse_flop,
    presumed_systemic_risk,
    representative,
    systemic_risk,
)

OPEN_RELEASE = {
    "open_licence": True,
    "weights_public": True,
    "architecture_public": True,
    "usage_info_public": True,
    # Known to be below the systemic-risk threshold: the exemption can be decided.
    "training_compute_flop": 10**24,
}
ABOVE_THRESHOLD = 10**25 + 1
AUG = datetime.date(2025, 8, 1)


@pytest.mark.parametrize(
    ("flop", "presumed"),
    [
        (None, False),
        (10**24, False),
        (10**25, False),  # Art. 51(2) says "greater than": the threshold itself is not enough.
        (10**25 + 1, True),
        (38 * 10**24, True),
    ],
)
def test_systemic_risk_is_presumed_only_above_ten_to_the_25_flop(flop, presumed):
    assert presumed_systemic_risk(ModelFacts(training_compute_flop=flop)) is presumed


@pytest.mark.parametrize(
    ("status", "flop", "systemic"),
    [
        (SystemicRisk.UNKNOWN, None, False),
        (SystemicRisk.NOT_SYSTEMIC, None, False),
        (SystemicRisk.PRESUMED, None, True),
        (SystemicRisk.DESIGNATED, None, True),
        (SystemicRisk.NOTIFIED, None, True),
        (SystemicRisk.UNKNOWN, ABOVE_THRESHOLD, True),
        (SystemicRisk.NOT_SYSTEMIC, ABOVE_THRESHOLD, True),
    ],
)
def test_has_systemic_risk_by_status_or_compute(status, flop, systemic):
    facts = ModelFacts(systemic_risk_status=status, training_compute_flop=flop)
    assert has_systemic_risk(facts) is systemic


@pytest.mark.parametrize(
    ("changes", "exempt"),
    [
        ({}, True),
        ({"open_licence": False}, False),
        ({"weights_public": False}, False),
        ({"architecture_public": False}, False),
        ({"usage_info_public": False}, False),
        ({"monetised": True}, False),
        ({"systemic_risk_status": SystemicRisk.DESIGNATED}, False),
        ({"training_compute_flop": ABOVE_THRESHOLD}, False),
    ],
    ids=[
        "all conditions met",
        "no open licence",
        "weights not public",
        "architecture not public",
        "usage info not public",
        "monetised",
        "designated systemic risk",
        "compute above threshold",
    ],
)
def test_open_source_exemption_needs_every_condition(changes, exempt):
    assert open_source_exempt(ModelFacts(**{**OPEN_RELEASE, **changes})) is exempt


def test_claiming_the_exemption_does_not_make_a_closed_model_exempt():
    assert not open_source_exempt(ModelFacts(claims_open_source_exemption=True))


@pytest.mark.parametrize(
    ("facts", "needed"),
    [
        (ModelFacts(provider_in_eu=True), False),
        (ModelFacts(provider_in_eu=True, systemic_risk_status=SystemicRisk.NOTIFIED), False),
        (ModelFacts(provider_in_eu=False), True),
        (ModelFacts(provider_in_eu=False, **OPEN_RELEASE), False),
        (ModelFacts(provider_in_eu=False, monetised=True, **OPEN_RELEASE), True),
        (
            ModelFacts(
                **{
                    **OPEN_RELEASE,
                    "provider_in_eu": False,
                    "training_compute_flop": ABOVE_THRESHOLD,
                }
            ),
            True,
        ),
    ],
    ids=[
        "EU provider",
        "EU provider with systemic risk",
        "non-EU provider",
        "non-EU exempt open source",
        "non-EU open source but monetised",
        "non-EU open source with systemic risk",
    ],
)
def test_authorised_representative_needed_outside_the_eu_unless_exempt(facts, needed):
    assert authorised_representative_needed(facts) is needed


@pytest.mark.parametrize(
    ("placed", "legacy", "due"),
    [
        (datetime.date(2024, 7, 23), True, datetime.date(2027, 8, 2)),
        (datetime.date(2025, 8, 1), True, datetime.date(2027, 8, 2)),
        (datetime.date(2025, 8, 2), False, datetime.date(2025, 8, 2)),
        (datetime.date(2025, 9, 29), False, datetime.date(2025, 9, 29)),
        (None, False, None),
    ],
)
def test_legacy_models_are_due_by_2_aug_2027_and_others_from_placement(placed, legacy, due):
    facts = ModelFacts(placed_on_market=placed)
    assert is_legacy(facts) is legacy
    assert compliance_due(facts) == due


@pytest.mark.parametrize(
    ("today", "can_enforce"),
    [
        (datetime.date(2025, 8, 2), False),
        (datetime.date(2026, 8, 1), False),
        (datetime.date(2026, 8, 2), True),
        (datetime.date(2026, 8, 3), True),
    ],
)
def test_commission_can_enforce_from_2_aug_2026(today, can_enforce):
    assert commission_can_enforce(today) is can_enforce


@pytest.mark.parametrize(
    ("country", "in_eu"),
    [
        ("FR", True),
        ("fr", True),
        # Art. 54(1) says "in the Union": the EEA EFTA states are outside by default.
        ("NO", False),
        ("IS", False),
        ("LI", False),
        ("CH", False),
        ("GB", False),
        ("US", False),
        ("", False),
        (None, False),
    ],
)
def test_is_established_in_eu_counts_the_union_only(country, in_eu):
    assert is_established_in_eu(country) is in_eu


@pytest.mark.parametrize(
    "text",
    [
        "3.8e25",
        "3.8E+25",
        "3.8 × 10^25",
        "3.8x10^25",
        "3.8 x 10^25",
        "3.8*10**25",
        "3.8·10^25",
        "  3.8e25  ",
        "38000000000000000000000000",
        "38,000,000,000,000,000,000,000,000",
        "38 000 000 000 000 000 000 000 000",
        "380e23",
    ],
)
def test_parse_flop_reads_how_people_write_compute(text):
    assert parse_flop(text) == 38 * 10**24


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter a number of FLOP"),
        (None, "Enter a number of FLOP"),
        ("abc", "“abc” is not a number of FLOP"),
        ("-5", "“-5” is not a number of FLOP"),
        ("3.8 × 10^", "“3.8 × 10^” is not a number of FLOP"),
        ("0", "must be more than zero FLOP"),
        ("0.5", "must be more than zero FLOP"),
        ("1e-5", "must be more than zero FLOP"),
        ("1e99", "far beyond any model trained so far"),
        ("1e999999999", "“1e999999999” is not a number of FLOP"),
        # A decimal comma read as a thousands separator would be ten times too much.
        ("3,8e25", "write decimals with a point"),
        ("9,5 × 10^24", "write decimals with a point"),
    ],
)
def test_parse_flop_refuses_what_is_not_a_plausible_figure_with_a_message(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_flop(text)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (38 * 10**24, "3.8 × 10^25"),
        (10**25, "1 × 10^25"),
        (12_345_678 * 10**16, "1.235 × 10^23"),
        (5, "5 × 10^0"),
    ],
)
def test_format_flop_writes_powers_of_ten_to_four_digits(value, text):
    assert format_flop(value) == text


@pytest.mark.parametrize("value", [5, 10**25, 38 * 10**24, 12_345_678_901_234_567_890_123])
def test_format_flop_exact_reads_back_as_the_same_number(value):
    assert parse_flop(format_flop(value, exact=True)) == value


TODAY = datetime.date(2026, 9, 1)


def _derived(facts, today=TODAY):
    return {fact.label: fact for fact in derive_facts(facts, today)}


def test_derive_facts_lists_each_fact_with_its_legal_basis_in_reading_order():
    derived = derive_facts(ModelFacts(), TODAY)
    assert [(fact.label, fact.basis) for fact in derived] == [
        ("Systemic risk", "Art. 51(1)-(2), Art. 52"),
        ("Open-source exemption", "Art. 53(2), Art. 54(6), recitals 102-104"),
        ("Authorised representative needed", "Art. 54(1), (6)"),
        ("Legacy model", "Art. 111(3)"),
        ("Commission enforcement in force", "Arts. 88-94, 101, 113"),
    ]


@pytest.mark.parametrize(
    ("facts", "value", "explanation"),
    [
        (ModelFacts(), None, "Not known"),
        (ModelFacts(training_compute_flop=10**24), False, "is not above 10^25 FLOP"),
        (ModelFacts(systemic_risk_status=SystemicRisk.NOT_SYSTEMIC), False, "Recorded as not"),
        (ModelFacts(training_compute_flop=ABOVE_THRESHOLD), True, "presumed"),
        (ModelFacts(systemic_risk_status=SystemicRisk.DESIGNATED), True, "Commission designated"),
    ],
)
def test_derive_facts_says_whether_systemic_risk_is_known(facts, value, explanation):
    fact = _derived(facts)["Systemic risk"]
    assert fact.value is value
    assert explanation in fact.explanation


@pytest.mark.parametrize(
    ("facts", "value", "explanation"),
    [
        (ModelFacts(**OPEN_RELEASE), True, "do not apply"),
        (ModelFacts(monetised=True, **OPEN_RELEASE), False, "monetised releases do not qualify"),
        (
            ModelFacts(systemic_risk_status=SystemicRisk.NOTIFIED, **OPEN_RELEASE),
            False,
            "never covers models with systemic risk",
        ),
        (ModelFacts(), False, "Not all open-source release conditions are met"),
    ],
)
def test_derive_facts_explains_the_open_source_exemption(facts, value, explanation):
    fact = _derived(facts)["Open-source exemption"]
    assert fact.value is value
    assert explanation in fact.explanation


@pytest.mark.parametrize(
    ("facts", "value", "explanation"),
    [
        (ModelFacts(provider_in_eu=True), False, "established in the Union"),
        (ModelFacts(provider_in_eu=False), True, "must mandate a representative"),
        (ModelFacts(provider_in_eu=False, **OPEN_RELEASE), False, "need no representative"),
    ],
)
def test_derive_facts_explains_the_authorised_representative(facts, value, explanation):
    fact = _derived(facts)["Authorised representative needed"]
    assert fact.value is value
    assert explanation in fact.explanation


@pytest.mark.parametrize(
    ("placed", "value", "explanation"),
    [
        (None, None, "not recorded"),
        (AUG, True, "compliance due by 2 Aug 2027"),
        (datetime.date(2025, 8, 2), False, "obligations apply from placement"),
    ],
)
def test_derive_facts_explains_legacy_status(placed, value, explanation):
    fact = _derived(ModelFacts(placed_on_market=placed))["Legacy model"]
    assert fact.value is value
    assert explanation in fact.explanation


@pytest.mark.parametrize(
    ("today", "value", "explanation"),
    [
        (datetime.date(2026, 8, 1), False, "apply from 2 Aug 2026"),
        (datetime.date(2026, 8, 2), True, "can request information"),
    ],
)
def test_derive_facts_explains_commission_enforcement(today, value, explanation):
    fact = _derived(ModelFacts(), today)["Commission enforcement in force"]
    assert fact.value is value
    assert explanation in fact.explanation


# Unknown stays unknown, and what the law lets happen ----------------------------------------


def test_open_release_without_a_compute_figure_cannot_be_exempt_yet():
    facts = ModelFacts(
        open_licence=True, weights_public=True, architecture_public=True, usage_info_public=True
    )
    derived = derive(facts, TODAY)

    assert derived.systemic_risk.undetermined
    assert derived.open_source.undetermined
    assert "Cannot be decided yet" in derived.open_source.explanation
    assert "status is not known" in derived.open_source.explanation
    assert not open_source_exempt(facts)


def test_not_systemic_above_the_threshold_warns_that_the_presumption_still_applies():
    finding = systemic_risk(
        ModelFacts(training_compute_flop=ABOVE_THRESHOLD, systemic_risk_status="not_systemic")
    )

    assert finding.yes
    assert "presumption still applies unless the Commission accepted a rebuttal" in (
        finding.warning
    )


def test_rebuttal_accepted_by_the_commission_lifts_the_presumption_with_date_and_source():
    finding = systemic_risk(
        ModelFacts(
            training_compute_flop=ABOVE_THRESHOLD,
            systemic_risk_status=SystemicRisk.REBUTTED,
            systemic_risk_decided_on=datetime.date(2026, 3, 2),
            systemic_risk_source="https://example.org/decision",
        )
    )

    assert finding.no
    assert finding.basis == "Art. 52(2)-(3)"
    assert "on 2 Mar 2026, source: https://example.org/decision" in finding.explanation
    assert finding.warning == ""


def test_rebuttal_without_date_or_source_asks_for_them():
    finding = systemic_risk(ModelFacts(systemic_risk_status=SystemicRisk.REBUTTED))
    assert "Record the date and the source" in finding.warning


@pytest.mark.parametrize(
    ("status", "basis", "words"),
    [
        (SystemicRisk.DESIGNATED, "Art. 51(1)(b), Art. 52(4), Annex XIII", "Commission designated"),
        (SystemicRisk.NOTIFIED, "Art. 51(1)(a), Art. 52(1)", "provider notified"),
        (SystemicRisk.PRESUMED, "Art. 51(2)", "without a compute figure"),
    ],
)
def test_each_systemic_risk_status_explains_its_own_basis(status, basis, words):
    finding = systemic_risk(ModelFacts(systemic_risk_status=status))
    assert finding.yes
    assert finding.basis == basis
    assert words in finding.explanation


# Downstream modification ---------------------------------------------------------------------

MODIFIED = {"modifies": "Base 2 by Upstream AI"}


@pytest.mark.parametrize(
    ("upstream", "used", "answer"),
    [
        (3 * 10**24, 10**24 + 1, "yes"),
        (3 * 10**24, 10**24, "no"),  # exactly a third is not more than a third
        (3 * 10**24, 10**23, "no"),
        (None, 10**23, "undetermined"),
        (3 * 10**24, None, "undetermined"),
    ],
)
def test_modification_applies_the_one_third_test(upstream, used, answer):
    finding = modification(
        ModelFacts(**MODIFIED, upstream_compute_flop=upstream, modification_compute_flop=used)
    )
    assert finding.answer == answer
    assert "Base 2 by Upstream AI" in finding.explanation


def test_a_new_model_from_modification_covers_only_the_modification_and_needs_upstream_evidence():
    finding = modification(
        ModelFacts(**MODIFIED, upstream_compute_flop=10**24, modification_compute_flop=10**24)
    )
    assert "cover only the modification" in finding.explanation
    assert "original provider's evidence" in finding.explanation
    assert "could not confirm" in finding.note


def test_unknown_original_compute_says_the_fallback_is_not_verified():
    finding = modification(ModelFacts(**MODIFIED, modification_compute_flop=10**22))
    assert "could not confirm" in finding.note


def test_not_a_modification_has_no_modification_finding():
    assert modification(ModelFacts()) is None
    assert "modification" not in derive(ModelFacts()).as_dict()


@pytest.mark.parametrize(
    ("upstream_systemic", "compute", "answer"),
    [
        ("yes", None, "yes"),
        ("undetermined", None, "undetermined"),
        ("no", None, "undetermined"),
        ("no", 10**24, "no"),
    ],
)
def test_modified_model_systemic_risk_follows_the_original(upstream_systemic, compute, answer):
    finding = systemic_risk(
        ModelFacts(
            **MODIFIED, upstream_systemic_risk=upstream_systemic, training_compute_flop=compute
        )
    )
    assert finding.answer == answer


def test_modified_model_compute_adds_up_for_the_presumption():
    facts = ModelFacts(
        **MODIFIED, upstream_compute_flop=9 * 10**24, modification_compute_flop=2 * 10**24
    )
    assert systemic_risk(facts).yes
    assert "original model's compute plus the modification's" in systemic_risk(facts).explanation


@pytest.mark.parametrize(
    ("model_compute", "planned", "answer"),
    [
        (3 * 10**24, 2 * 10**24, "yes"),
        (3 * 10**24, 10**24, "no"),
        (None, 10**24, "undetermined"),
        (3 * 10**24, None, "undetermined"),
    ],
)
def test_buyer_fine_tuning_flags_when_the_buyer_may_become_a_provider(
    model_compute, planned, answer
):
    facts = ModelFacts(
        training_compute_flop=model_compute,
        buyer_plans_fine_tuning=True,
        buyer_fine_tuning_flop=planned,
    )
    assert buyer_fine_tuning(facts).answer == answer
    assert derive(facts, TODAY, with_buyer=True).buyer_fine_tuning.answer == answer


# EU, not EEA, for Art. 54 ---------------------------------------------------------------------


def test_eea_efta_states_count_in_the_union_only_when_configured():
    assert not is_established_in_eu("NO")
    assert is_established_in_eu("NO", eea_as_union=True)
    assert not is_established_in_eu("CH", eea_as_union=True)


def test_representative_for_a_norwegian_provider_explains_the_eea_rule():
    finding = representative(ModelFacts(provider_in_eu=False, provider_country="NO"))
    assert finding.yes
    assert "in the EEA, but outside the Union" in finding.explanation
    assert "EEA Agreement" in finding.note
