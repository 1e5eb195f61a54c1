import datetime
import re

import pytest

from vendors.facts import (
    ModelFacts,
    SystemicRisk,
    authorised_representative_needed,
    commission_can_enforce,
    compliance_due,
    derive_facts,
    format_flop,
    has_systemic_risk,
    is_established_in_eu,
    is_legacy,
    open_source_exempt,
    parse_flop,
    presumed_systemic_risk,
)

OPEN_RELEASE = {
    "open_licence": True,
    "weights_public": True,
    "architecture_public": True,
    "usage_info_public": True,
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
            ModelFacts(provider_in_eu=False, training_compute_flop=ABOVE_THRESHOLD, **OPEN_RELEASE),
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
        ("NO", True),  # EEA
        ("IS", True),  # EEA
        ("LI", True),  # EEA
        ("CH", False),
        ("GB", False),
        ("US", False),
        ("", False),
        (None, False),
    ],
)
def test_is_established_in_eu_counts_the_eea(country, in_eu):
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
        ("Open-source exemption", "Art. 53(2), recitals 102-104"),
        ("Authorised representative needed", "Art. 54(1), (6)"),
        ("Legacy model", "Art. 111(3)"),
        ("Commission enforcement in force", "Arts. 88-94, 101, 113"),
    ]


@pytest.mark.parametrize(
    ("facts", "value", "explanation"),
    [
        (ModelFacts(), None, "Not known"),
        (ModelFacts(training_compute_flop=10**24), False, "No presumption"),
        (ModelFacts(systemic_risk_status=SystemicRisk.NOT_SYSTEMIC), False, "No presumption"),
        (ModelFacts(training_compute_flop=ABOVE_THRESHOLD), True, "presumed"),
        (ModelFacts(systemic_risk_status=SystemicRisk.DESIGNATED), True, "Designated"),
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
        (ModelFacts(provider_in_eu=True), False, "established in the EU or EEA"),
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
