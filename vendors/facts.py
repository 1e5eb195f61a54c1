"""Facts derived from what we know about a supplier and its model.

Pure functions: no request, no ORM. The model page shows each derived fact with the
article it comes from; the due-diligence rules build on the same functions.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

# Art. 51(2): high-impact capabilities are presumed above this cumulative training compute.
SYSTEMIC_RISK_FLOP_THRESHOLD = 10**25
# Art. 113(b): Chapter V applies from this date; models placed earlier are "legacy" models.
GPAI_OBLIGATIONS_APPLY = datetime.date(2025, 8, 2)
# Art. 111(3): legacy models must comply by this date.
LEGACY_COMPLIANCE_DEADLINE = datetime.date(2027, 8, 2)
# Art. 113 with Arts. 88-94 and 101: the Commission's enforcement powers and fines.
COMMISSION_ENFORCEMENT_FROM = datetime.date(2026, 8, 2)

# Member States of the EU plus the EEA EFTA states (Iceland, Liechtenstein, Norway),
# as ISO 3166-1 alpha-2 codes.
EU_EEA_COUNTRIES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
    " IS LI NO".split()
)

# Answers that are more than any model could plausibly have used; a typo, not a fact.
_MAX_PLAUSIBLE_FLOP = Decimal("1e35")


class SystemicRisk:
    UNKNOWN = "unknown"
    NOT_SYSTEMIC = "not_systemic"
    PRESUMED = "presumed"
    DESIGNATED = "designated"
    NOTIFIED = "notified"

    CHOICES = [
        (UNKNOWN, "Unknown"),
        (NOT_SYSTEMIC, "Not systemic risk"),
        (PRESUMED, "Presumed: training compute above 10^25 FLOP"),
        (DESIGNATED, "Designated by the Commission"),
        (NOTIFIED, "Notified by the provider"),
    ]
    WITH_SYSTEMIC_RISK = frozenset({PRESUMED, DESIGNATED, NOTIFIED})


def is_established_in_eu(country_code):
    return bool(country_code) and country_code.upper() in EU_EEA_COUNTRIES


def parse_flop(text):
    """Read a training-compute figure as an int number of FLOP.

    Accepts `3.8e25`, `3.8E+25`, `3.8 × 10^25`, `3.8 x 10^25`, `3.8*10**25`, and plain
    digits with optional thousands separators. Raises ValueError with a message a
    person can act on.
    """
    raw = (text or "").strip()
    if not raw:
        raise ValueError("Enter a number of FLOP, for example 3.8e25 or 3.8 × 10^25.")
    compact = re.sub(r"[\s_'\u00a0\u202f]", "", raw)
    # A comma may group thousands (38,000,…), but many Europeans write 3,8e25 for 3.8e25:
    # read as grouping, that would be ten times too much, so a comma anywhere else is refused.
    if "," in compact:
        if not re.fullmatch(r"\d{1,3}(?:,\d{3})+", compact):
            raise ValueError(
                f"“{raw}”: write decimals with a point, for example 3.8e25; "
                "commas may only group the thousands of a number in full digits."
            )
        compact = compact.replace(",", "")
    match = re.fullmatch(
        r"(?P<mantissa>\d+(?:\.\d+)?)"
        r"(?:(?:[eE](?P<exp_e>[+-]?\d+))|(?:[x×*·](?:10)(?:\^|\*\*)(?P<exp_pow>[+-]?\d+)))?",
        compact,
    )
    if not match:
        raise ValueError(
            f"“{raw}” is not a number of FLOP. Write it as 3.8e25, 3.8 × 10^25 or in full digits."
        )
    exponent = match["exp_e"] or match["exp_pow"] or "0"
    try:
        value = Decimal(match["mantissa"]).scaleb(int(exponent))
    except (ArithmeticError, ValueError):  # decimal.Overflow for 1e1000000, InvalidOperation
        raise ValueError(f"“{raw}” is not a number of FLOP.") from None
    if value > _MAX_PLAUSIBLE_FLOP:
        raise ValueError(f"{raw} FLOP is far beyond any model trained so far; check the exponent.")
    # Compute is counted in whole operations; 0.5 or 1e-5 would be stored as 0.
    if int(value) < 1:
        raise ValueError("Training compute must be more than zero FLOP.")
    return int(value)


def format_flop(value, *, exact=False):
    """3.8 × 10^25, the way the law and the Code write compute.

    Rounded to four significant digits for reading; `exact` keeps every digit, for forms
    whose value is read back with `parse_flop`.
    """
    if value is None:
        return ""
    number = Decimal(value)
    mantissa, exponent = (f"{number.normalize():e}" if exact else f"{number:.3e}").split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa} × 10^{int(exponent)}"


@dataclass(frozen=True)
class ModelFacts:
    """What the derivations need to know about one model and its supplier."""

    training_compute_flop: int | None = None
    systemic_risk_status: str = SystemicRisk.UNKNOWN
    open_licence: bool = False
    weights_public: bool = False
    architecture_public: bool = False
    usage_info_public: bool = False
    monetised: bool = False
    claims_open_source_exemption: bool = False
    provider_in_eu: bool = True
    placed_on_market: datetime.date | None = None
    signed_chapters: frozenset = field(default_factory=frozenset)


def presumed_systemic_risk(facts):
    """Art. 51(2): presumed when cumulative training compute is greater than 10^25 FLOP."""
    return (
        facts.training_compute_flop is not None
        and facts.training_compute_flop > SYSTEMIC_RISK_FLOP_THRESHOLD
    )


def has_systemic_risk(facts):
    """Art. 51-52: by the compute presumption, a Commission designation or the provider's notice."""
    return presumed_systemic_risk(facts) or facts.systemic_risk_status in (
        SystemicRisk.WITH_SYSTEMIC_RISK
    )


def open_source_conditions_met(facts):
    """Art. 53(2): a free and open licence with weights, architecture and usage information public."""
    return (
        facts.open_licence
        and facts.weights_public
        and facts.architecture_public
        and facts.usage_info_public
    )


def open_source_exempt(facts):
    """Art. 53(2) with recitals 102-104: open release, not monetised, never with systemic risk."""
    return (
        open_source_conditions_met(facts) and not facts.monetised and not has_systemic_risk(facts)
    )


def authorised_representative_needed(facts):
    """Art. 54(1) and (6): providers outside the EU, unless the model is exempt open source."""
    return not facts.provider_in_eu and not open_source_exempt(facts)


def is_legacy(facts):
    """Art. 111(3): placed on the market before 2 Aug 2025."""
    return facts.placed_on_market is not None and facts.placed_on_market < GPAI_OBLIGATIONS_APPLY


def compliance_due(facts):
    """The date from which the model must meet Chapter V: 2 Aug 2027 for legacy models."""
    if is_legacy(facts):
        return LEGACY_COMPLIANCE_DEADLINE
    if facts.placed_on_market is None:
        return None
    return facts.placed_on_market


def commission_can_enforce(today):
    """Arts. 88-94 and 101 apply from 2 Aug 2026 (Art. 113)."""
    return today >= COMMISSION_ENFORCEMENT_FROM


@dataclass(frozen=True)
class DerivedFact:
    label: str
    value: bool | None
    explanation: str
    basis: str


def derive_facts(facts, today):
    """The facts the model page shows, each with its legal basis, in reading order."""
    systemic = has_systemic_risk(facts)
    presumed = presumed_systemic_risk(facts)
    if presumed:
        systemic_text = (
            "Training compute is above 10^25 FLOP, so high-impact capabilities are presumed."
        )
    elif systemic:
        systemic_text = "Designated by the Commission or notified by the provider."
    elif facts.training_compute_flop is None and facts.systemic_risk_status == SystemicRisk.UNKNOWN:
        systemic_text = (
            "Not known: ask the supplier for the training compute and any Art. 52 notice."
        )
    else:
        systemic_text = "No presumption, designation or notice recorded."

    conditions = open_source_conditions_met(facts)
    exempt = open_source_exempt(facts)
    if exempt:
        exempt_text = (
            "Open licence, public weights, architecture and usage information, not monetised: "
            "the technical documentation duties of Art. 53(1)(a) and (b) do not apply. "
            "The copyright policy and training-content summary are still required."
        )
    elif conditions and systemic:
        exempt_text = "Released openly, but the exemption never covers models with systemic risk."
    elif conditions and facts.monetised:
        exempt_text = "Released openly, but monetised releases do not qualify."
    else:
        exempt_text = "Not all open-source release conditions are met."

    rep = authorised_representative_needed(facts)
    if facts.provider_in_eu:
        rep_text = "The provider is established in the EU or EEA."
    elif rep:
        rep_text = "The provider is established outside the EU and must mandate a representative in the EU."
    else:
        rep_text = (
            "Established outside the EU, but exempt open-source models need no representative."
        )

    legacy = is_legacy(facts)
    if facts.placed_on_market is None:
        legacy_value, legacy_text = None, "Date first placed on the EU market not recorded."
    elif legacy:
        legacy_value = True
        legacy_text = f"Placed on the market before 2 Aug 2025: compliance due by {LEGACY_COMPLIANCE_DEADLINE:%-d %b %Y}."
    else:
        legacy_value, legacy_text = (
            False,
            "Placed on the market on or after 2 Aug 2025: obligations apply from placement.",
        )

    enforce = commission_can_enforce(today)
    enforce_text = (
        "The Commission can request information, evaluate the model, order measures and fine."
        if enforce
        else f"The Commission's enforcement powers apply from {COMMISSION_ENFORCEMENT_FROM:%-d %b %Y}."
    )

    return [
        DerivedFact(
            "Systemic risk",
            systemic
            if (
                systemic
                or facts.systemic_risk_status != SystemicRisk.UNKNOWN
                or facts.training_compute_flop is not None
            )
            else None,
            systemic_text,
            "Art. 51(1)-(2), Art. 52",
        ),
        DerivedFact("Open-source exemption", exempt, exempt_text, "Art. 53(2), recitals 102-104"),
        DerivedFact("Authorised representative needed", rep, rep_text, "Art. 54(1), (6)"),
        DerivedFact("Legacy model", legacy_value, legacy_text, "Art. 111(3)"),
        DerivedFact(
            "Commission enforcement in force", enforce, enforce_text, "Arts. 88-94, 101, 113"
        ),
    ]
