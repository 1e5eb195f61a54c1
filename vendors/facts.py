"""Facts derived from what we know about a supplier and its model.

Pure functions: no request, no ORM. The model page shows each derived fact with the
article it comes from; the due-diligence rules build on the same functions.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

# Art. 51(2): high-impact capabilities are presumed above this cumulative training compute.
SYSTEMIC_RISK_FLOP_THRESHOLD = 10**25
# Art. 113(b): Chapter V applies from this date; models placed earlier are "legacy" models.
GPAI_OBLIGATIONS_APPLY = datetime.date(2025, 8, 2)
# Art. 111(3): legacy models must comply by this date.
LEGACY_COMPLIANCE_DEADLINE = datetime.date(2027, 8, 2)
# Art. 113 with Arts. 88-94 and 101: the Commission's enforcement powers and fines.
COMMISSION_ENFORCEMENT_FROM = datetime.date(2026, 8, 2)

# Art. 54(1) asks for establishment "in the Union": the 27 Member States, as ISO 3166-1 alpha-2.
UNION_COUNTRIES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)
# The EEA EFTA states. They count as in the Union for Art. 54 only once the AI Act is part of
# the EEA Agreement; settings.AI_ACT_EEA_AS_UNION says so.
EEA_EFTA_COUNTRIES = frozenset({"IS", "LI", "NO"})
EU_EEA_COUNTRIES = UNION_COUNTRIES | EEA_EFTA_COUNTRIES
# Commission guidelines of 18 Jul 2025: a modification that uses more than a third of the
# original model's training compute makes the modifier the provider of a new model.
MODIFICATION_SHARE = Fraction(1, 3)

# Answers that are more than any model could plausibly have used; a typo, not a fact.
_MAX_PLAUSIBLE_FLOP = Decimal("1e35")


class SystemicRisk:
    """The systemic-risk status recorded on a model, as the law lets it be established."""

    UNKNOWN = "unknown"
    NOT_SYSTEMIC = "not_systemic"
    PRESUMED = "presumed"
    DESIGNATED = "designated"
    NOTIFIED = "notified"
    REBUTTED = "rebutted"

    CHOICES = [
        (UNKNOWN, "Unknown"),
        (NOT_SYSTEMIC, "Not systemic risk"),
        (PRESUMED, "Presumed: training compute above 10^25 FLOP"),
        (DESIGNATED, "Designated by the Commission"),
        (NOTIFIED, "Notified by the provider"),
        (REBUTTED, "Presumption rebutted, accepted by the Commission"),
    ]
    WITH_SYSTEMIC_RISK = frozenset({PRESUMED, DESIGNATED, NOTIFIED})


class Answer:
    """Three values for every legal fact: unknown stays unknown."""

    YES = "yes"
    NO = "no"
    UNDETERMINED = "undetermined"

    LABELS = {YES: "Yes", NO: "No", UNDETERMINED: "Undetermined"}


def is_established_in_eu(country_code, *, eea_as_union=False):
    """Art. 54(1): established in the Union; the EEA EFTA states only when configured so."""
    code = (country_code or "").upper()
    return code in UNION_COUNTRIES or (eea_as_union and code in EEA_EFTA_COUNTRIES)


def is_eea_efta(country_code):
    return (country_code or "").upper() in EEA_EFTA_COUNTRIES


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
    """What the derivations need to know about one model, its supplier and the buyer's plans."""

    training_compute_flop: int | None = None
    systemic_risk_status: str = SystemicRisk.UNKNOWN
    # When and where the Commission's designation or acceptance of a rebuttal was published.
    systemic_risk_decided_on: datetime.date | None = None
    systemic_risk_source: str = ""
    open_licence: bool = False
    weights_public: bool = False
    architecture_public: bool = False
    usage_info_public: bool = False
    monetised: bool = False
    claims_open_source_exemption: bool = False
    provider_in_eu: bool = True  # established in the Union in the sense of Art. 54(1)
    provider_country: str = ""  # ISO code, for the explanation
    placed_on_market: datetime.date | None = None
    signed_chapters: frozenset = field(default_factory=frozenset)
    # Downstream modification: the model is a modification of another ("upstream") model.
    modifies: str = ""  # the upstream model and its provider, as a person reads it
    upstream_compute_flop: int | None = None
    modification_compute_flop: int | None = None
    upstream_systemic_risk: str | None = None  # an Answer when the upstream model is registered
    # The buyer's own plans to fine-tune the model.
    buyer_plans_fine_tuning: bool = False
    buyer_fine_tuning_flop: int | None = None

    @property
    def is_modification(self):
        return bool(self.modifies)


@dataclass(frozen=True)
class Finding:
    """One derived fact: yes, no or undetermined, why, and where the law says so."""

    answer: str
    explanation: str
    basis: str
    warning: str = ""  # a recorded entry the law does not let stand as it is
    note: str = ""  # what our reference could not verify

    @property
    def yes(self):
        return self.answer == Answer.YES

    @property
    def no(self):
        return self.answer == Answer.NO

    @property
    def undetermined(self):
        return self.answer == Answer.UNDETERMINED


def _flop(value):
    return f"{format_flop(value)} FLOP"


def cumulative_compute(facts):
    """The training compute Art. 51(2) counts: the recorded figure, or for a modification the
    upstream model's compute plus the modification's when both are known."""
    if facts.training_compute_flop is not None:
        return facts.training_compute_flop
    if (
        facts.is_modification
        and facts.upstream_compute_flop is not None
        and facts.modification_compute_flop is not None
    ):
        return facts.upstream_compute_flop + facts.modification_compute_flop
    return None


def presumed_systemic_risk(facts):
    """Art. 51(2): presumed when cumulative training compute is greater than 10^25 FLOP."""
    compute = cumulative_compute(facts)
    return compute is not None and compute > SYSTEMIC_RISK_FLOP_THRESHOLD


_MODIFIED_SYSTEMIC_NOTE = (
    "Our legal reference could not confirm the guidelines' exact rule for when a modified model "
    "takes on the original's systemic risk. This app treats the modified model as having "
    "systemic risk when the original has it or when the combined training compute is above "
    "10^25 FLOP. Check the guidelines before relying on it."
)


def _decided(facts):
    parts = []
    if facts.systemic_risk_decided_on:
        parts.append(f"on {facts.systemic_risk_decided_on:%-d %b %Y}")
    if facts.systemic_risk_source:
        parts.append(f"source: {facts.systemic_risk_source}")
    return f" ({', '.join(parts)})" if parts else ""


def systemic_risk(facts):
    """Art. 51-52: yes, no or undetermined, with the basis of the answer.

    A recorded "not systemic" does not override the Art. 51(2) presumption; only the
    Commission's acceptance of a rebuttal under Art. 52(2)-(3) does.
    """
    status = facts.systemic_risk_status
    compute = cumulative_compute(facts)
    above = presumed_systemic_risk(facts)
    decided = _decided(facts)
    missing_record = "" if decided else "Record the date and the source of the decision."
    if status == SystemicRisk.DESIGNATED:
        # Art. 51(1)(b), 52(4): the Commission designates on its own or after a panel alert.
        return Finding(
            Answer.YES,
            f"The Commission designated the model as having systemic risk{decided}, whatever "
            "its training compute.",
            "Art. 51(1)(b), Art. 52(4), Annex XIII",
            warning=missing_record,
        )
    if status == SystemicRisk.NOTIFIED:
        # Art. 52(1): the provider notifies once the high-impact condition is (or will be) met.
        return Finding(
            Answer.YES,
            "The provider notified the Commission that the model meets the high-impact "
            "condition, so it is treated as a model with systemic risk.",
            "Art. 51(1)(a), Art. 52(1)",
        )
    if status == SystemicRisk.REBUTTED:
        # Art. 52(2)-(3): only the Commission's acceptance of the arguments lifts the presumption.
        return Finding(
            Answer.NO,
            "The provider argued that the model exceptionally has no systemic risk despite its "
            f"compute, and the Commission accepted the arguments{decided}.",
            "Art. 52(2)-(3)",
            warning=missing_record,
        )
    if above:
        warning = ""
        if status == SystemicRisk.NOT_SYSTEMIC:
            warning = (
                "Recorded as not systemic, but the training compute is above 10^25 FLOP: the "
                "presumption still applies unless the Commission accepted a rebuttal. Record "
                "that acceptance, with its date and source, to lift it."
            )
        basis_text = (
            "the recorded training compute"
            if facts.training_compute_flop is not None
            else "the original model's compute plus the modification's"
        )
        return Finding(
            Answer.YES,
            f"Training compute of {_flop(compute)} ({basis_text}) is above 10^25 FLOP, so "
            "high-impact capabilities, and with them systemic risk, are presumed.",
            "Art. 51(2)",
            warning=warning,
            note=_MODIFIED_SYSTEMIC_NOTE if facts.training_compute_flop is None else "",
        )
    if status == SystemicRisk.PRESUMED:
        return Finding(
            Answer.YES,
            "Recorded as presumed without a compute figure: someone established that the "
            "training compute is above 10^25 FLOP. Record the figure when the supplier gives it.",
            "Art. 51(2)",
        )
    if facts.is_modification and facts.upstream_systemic_risk == Answer.YES:
        return Finding(
            Answer.YES,
            "The model modifies a model with systemic risk.",
            "Art. 51; Commission guidelines (18 Jul 2025)",
            note=_MODIFIED_SYSTEMIC_NOTE,
        )
    if status == SystemicRisk.NOT_SYSTEMIC:
        text = "Recorded as not having systemic risk"
        text += (
            f"; the training compute of {_flop(compute)} is not above 10^25 FLOP."
            if compute is not None
            else "."
        )
        return Finding(Answer.NO, text, "Art. 51(1)-(2)")
    if facts.is_modification and facts.upstream_systemic_risk == Answer.UNDETERMINED:
        return Finding(
            Answer.UNDETERMINED,
            "The original model's systemic-risk status is not known, so neither is this "
            "modification's. Record the original's status or the combined compute.",
            "Art. 51; Commission guidelines (18 Jul 2025)",
            note=_MODIFIED_SYSTEMIC_NOTE,
        )
    if compute is not None:
        return Finding(
            Answer.NO,
            f"Training compute of {_flop(compute)} is not above 10^25 FLOP, and no designation "
            "or notification is recorded.",
            "Art. 51(1)-(2), Art. 52",
            note=_MODIFIED_SYSTEMIC_NOTE if facts.is_modification else "",
        )
    return Finding(
        Answer.UNDETERMINED,
        "Not known: no training-compute figure and no recorded status. Ask the supplier for "
        "its cumulative training compute and whether it notified the Commission (Art. 52(1)).",
        "Art. 51(1)-(2), Art. 52",
    )


def has_systemic_risk(facts):
    """Systemic risk positively established (Art. 51-52); undetermined is not yes."""
    return systemic_risk(facts).yes


_RELEASE_CONDITIONS = (
    ("open_licence", "a free and open-source licence"),
    ("weights_public", "public weights"),
    ("architecture_public", "public architecture information"),
    ("usage_info_public", "public usage information"),
)


def open_source_conditions_met(facts):
    """Art. 53(2): a free and open licence with weights, architecture and usage information public."""
    return all(getattr(facts, name) for name, _label in _RELEASE_CONDITIONS)


def exemption_relied_on(facts):
    """The exemption would be relied on: the supplier claims it, or the release looks open."""
    return facts.claims_open_source_exemption or open_source_conditions_met(facts)


def open_source_exemption(facts, systemic=None):
    """Art. 53(2), 54(6), recitals 102-104: never granted while systemic risk is not ruled out."""
    systemic = systemic or systemic_risk(facts)
    basis = "Art. 53(2), Art. 54(6), recitals 102-104"
    missing = [label for name, label in _RELEASE_CONDITIONS if not getattr(facts, name)]
    if missing:
        return Finding(
            Answer.NO,
            f"Not all open-source release conditions are met: missing {_join(missing)}.",
            basis,
        )
    if facts.monetised:
        return Finding(Answer.NO, "Released openly, but monetised releases do not qualify.", basis)
    if systemic.yes:
        return Finding(
            Answer.NO,
            "Released openly, but the exemption never covers models with systemic risk.",
            basis,
        )
    if systemic.undetermined:
        return Finding(
            Answer.UNDETERMINED,
            "Cannot be decided yet: the release conditions are met, but the exemption never "
            "covers a model with systemic risk and this model's status is not known. Until it "
            "is, the full documentation duties are assumed to apply.",
            basis,
        )
    return Finding(
        Answer.YES,
        "Open licence, public weights, architecture and usage information, not monetised and "
        "no systemic risk: the documentation duties of Art. 53(1)(a) and (b) do not apply. The "
        "copyright policy and the training-content summary are still required.",
        basis,
    )


def open_source_exempt(facts):
    return open_source_exemption(facts).yes


def _join(labels):
    labels = list(labels)
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


def representative(facts, exemption=None):
    """Art. 54(1) and (6): outside the Union a representative is needed unless exempt."""
    exemption = exemption or open_source_exemption(facts)
    basis = "Art. 54(1), (6)"
    if facts.provider_in_eu:
        return Finding(Answer.NO, "The provider is established in the Union.", basis)
    where = "outside the Union"
    note = ""
    if is_eea_efta(facts.provider_country):
        where = "in the EEA, but outside the Union"
        note = (
            "Art. 54 asks for establishment in the Union. Iceland, Liechtenstein and Norway "
            "count only once the AI Act is part of the EEA Agreement; an administrator can "
            "then switch the AI_ACT_EEA_AS_UNION setting on."
        )
    if exemption.yes:
        return Finding(
            Answer.NO,
            f"Established {where}, but exempt open-source models need no representative.",
            basis,
            note=note,
        )
    pending = (
        " The open-source exemption cannot be decided yet, so the representative is needed "
        "until it is."
        if exemption.undetermined
        else ""
    )
    return Finding(
        Answer.YES,
        f"The provider is established {where} and must mandate a representative in the "
        f"Union in writing.{pending}",
        basis,
        note=note,
    )


def authorised_representative_needed(facts):
    return representative(facts).yes


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


def legacy(facts):
    basis = "Art. 111(3)"
    if facts.placed_on_market is None:
        return Finding(
            Answer.UNDETERMINED, "Date first placed on the EU market not recorded.", basis
        )
    if is_legacy(facts):
        return Finding(
            Answer.YES,
            "Placed on the market before 2 Aug 2025: compliance due by "
            f"{LEGACY_COMPLIANCE_DEADLINE:%-d %b %Y}.",
            basis,
        )
    return Finding(
        Answer.NO,
        "Placed on the market on or after 2 Aug 2025: obligations apply from placement.",
        basis,
    )


def commission_can_enforce(today):
    """Arts. 88-94 and 101 apply from 2 Aug 2026 (Art. 113)."""
    return today >= COMMISSION_ENFORCEMENT_FROM


def exceeds_modification_share(modification_flop, original_flop):
    """Guidelines (18 Jul 2025): more than one third of the original's training compute."""
    return Fraction(modification_flop) > MODIFICATION_SHARE * Fraction(original_flop)


_MODIFICATION_BASIS = "Art. 3(3), recital 109; Commission guidelines (18 Jul 2025)"
_FALLBACK_NOTE = (
    "The guidelines are reported to compare with a third of the legal thresholds when the "
    "original compute is unknown; our legal reference could not confirm that, so this app does "
    "not apply it."
)


def modification(facts):
    """Whether the supplier, by modifying another model, is the provider of a new model."""
    if not facts.is_modification:
        return None
    upstream, used = facts.upstream_compute_flop, facts.modification_compute_flop
    if upstream is None or used is None:
        missing = "the original model's training compute" if upstream is None else ""
        if used is None:
            missing = _join([m for m in (missing, "the compute used for the modification") if m])
        return Finding(
            Answer.UNDETERMINED,
            f"Modifies {facts.modifies}. The one-third test cannot be applied: {missing} not "
            "recorded. Ask the supplier for both figures and for the original provider's "
            "evidence.",
            _MODIFICATION_BASIS,
            note=_FALLBACK_NOTE,
        )
    share = f"{_flop(used)} against {_flop(upstream)} for the original"
    if exceeds_modification_share(used, upstream):
        return Finding(
            Answer.YES,
            f"Modifies {facts.modifies} with more than a third of its training compute "
            f"({share}): by the Commission's indicative test the supplier is the provider of a "
            "new model. Its obligations cover only the modification, for example the data used "
            "for it; the original provider's evidence is needed for the rest. Systemic risk is "
            "decided for the modified model as shown above.",
            _MODIFICATION_BASIS,
            note=_MODIFIED_SYSTEMIC_NOTE,
        )
    return Finding(
        Answer.NO,
        f"Modifies {facts.modifies} with no more than a third of its training compute "
        f"({share}): by the Commission's indicative test the supplier does not become the "
        "provider of a new model. The original provider remains responsible, so ask for its "
        "evidence too.",
        _MODIFICATION_BASIS,
    )


def buyer_fine_tuning(facts):
    """The same one-third test, applied to the buyer's own plans for this model."""
    if not facts.buyer_plans_fine_tuning:
        return Finding(
            Answer.NO, "The buyer does not plan to fine-tune the model.", _MODIFICATION_BASIS
        )
    original = cumulative_compute(facts)
    planned = facts.buyer_fine_tuning_flop
    if original is None or planned is None:
        missing = _join(
            [
                m
                for m in (
                    "the model's training compute" if original is None else "",
                    "the compute planned for fine-tuning" if planned is None else "",
                )
                if m
            ]
        )
        return Finding(
            Answer.UNDETERMINED,
            f"The buyer plans to fine-tune the model, but {missing} is not known, so the "
            "one-third test cannot say whether the buyer would become a provider.",
            _MODIFICATION_BASIS,
            note=_FALLBACK_NOTE,
        )
    share = f"{_flop(planned)} planned against {_flop(original)} for the model"
    if exceeds_modification_share(planned, original):
        return Finding(
            Answer.YES,
            f"The planned fine-tuning uses more than a third of the model's training compute "
            f"({share}): the buyer may itself become the provider of a new general-purpose AI "
            "model, with obligations for the modification.",
            _MODIFICATION_BASIS,
        )
    return Finding(
        Answer.NO,
        f"The planned fine-tuning uses no more than a third of the model's training compute "
        f"({share}): by the indicative test the buyer does not become a provider of a new "
        "model.",
        _MODIFICATION_BASIS,
    )


@dataclass(frozen=True)
class DerivedFact:
    """One row of the model page: `value` is True, False or None (undetermined)."""

    label: str
    value: bool | None
    explanation: str
    basis: str
    warning: str = ""
    note: str = ""
    key: str = ""


_VALUES = {Answer.YES: True, Answer.NO: False, Answer.UNDETERMINED: None}


@dataclass(frozen=True)
class Derived:
    """Every derived fact about one model. The checklist rules, the clause triggers, the model
    page and the what-if tool all read this one object, so they cannot disagree."""

    systemic_risk: Finding
    open_source: Finding
    exemption_relied_on: bool
    representative: Finding
    legacy: Finding
    enforcement: Finding
    modification: Finding | None
    buyer_fine_tuning: Finding | None
    provider_in_eu: bool
    placed_on_market: datetime.date | None
    signed_chapters: frozenset

    @property
    def exemption_claim_fails(self):
        """The exemption is relied on but does not hold (or cannot be decided yet)."""
        return self.exemption_relied_on and not self.open_source.yes

    def chapter_applies(self, chapter):
        """Whether a Code of Practice chapter's duties apply: an Answer."""
        if chapter == "safety_security":
            return self.systemic_risk.answer  # Art. 55: only for systemic risk
        if chapter == "transparency":
            # Art. 53(2): exempt models need not meet the documentation duties.
            return Answer.NO if self.open_source.yes else Answer.YES
        return Answer.YES  # Art. 53(1)(c): copyright applies to every provider

    def rows(self):
        rows = [
            ("systemic_risk", "Systemic risk", self.systemic_risk),
            ("open_source", "Open-source exemption", self.open_source),
            ("representative", "Authorised representative needed", self.representative),
            ("legacy", "Legacy model", self.legacy),
            ("enforcement", "Commission enforcement in force", self.enforcement),
        ]
        if self.modification is not None:
            rows.append(
                ("modification", "Provider of a new model (modification)", self.modification)
            )
        if self.buyer_fine_tuning is not None:
            rows.append(
                ("buyer_fine_tuning", "Buyer may become a provider", self.buyer_fine_tuning)
            )
        return [
            DerivedFact(
                label,
                _VALUES[finding.answer],
                finding.explanation,
                finding.basis,
                finding.warning,
                finding.note,
                key,
            )
            for key, label, finding in rows
        ]

    def as_dict(self):
        """The facts as plain data: compared to see what changed, and printed by explain_model."""
        return {
            row.key: {
                "label": row.label,
                "value": {True: Answer.YES, False: Answer.NO, None: Answer.UNDETERMINED}[row.value],
                "explanation": row.explanation,
                "basis": row.basis,
                **({"warning": row.warning} if row.warning else {}),
                **({"note": row.note} if row.note else {}),
            }
            for row in self.rows()
        }


def derive(facts, today=None, *, with_buyer=False):
    """Every derived fact of a model. `with_buyer` adds the buyer's fine-tuning finding, which
    belongs to an assessment (or a what-if scenario), not to the model."""
    today = today or datetime.date.today()
    systemic = systemic_risk(facts)
    exemption = open_source_exemption(facts, systemic)
    enforce = commission_can_enforce(today)
    return Derived(
        systemic_risk=systemic,
        open_source=exemption,
        exemption_relied_on=exemption_relied_on(facts),
        representative=representative(facts, exemption),
        legacy=legacy(facts),
        enforcement=Finding(
            Answer.YES if enforce else Answer.NO,
            "The Commission can request information, evaluate the model, order measures and fine."
            if enforce
            else "The Commission's enforcement powers apply from "
            f"{COMMISSION_ENFORCEMENT_FROM:%-d %b %Y}.",
            "Arts. 88-94, 101, 113",
        ),
        modification=modification(facts),
        buyer_fine_tuning=buyer_fine_tuning(facts) if with_buyer else None,
        provider_in_eu=facts.provider_in_eu,
        placed_on_market=facts.placed_on_market,
        signed_chapters=frozenset(facts.signed_chapters),
    )


def derive_facts(facts, today):
    """The facts the model page shows, each with its legal basis, in reading order."""
    return derive(facts, today).rows()


@dataclass(frozen=True)
class FactChange:
    label: str
    before: str  # an Answer, or "" when the fact was not shown before
    after: str
    explanation: str  # why the fact now stands as it does


def facts_changes(before, after):
    """The facts whose answer differs between two `Derived.as_dict()` results, in reading order."""
    changes = []
    for key in [*after, *(k for k in before if k not in after)]:
        old, new = before.get(key, {}), after.get(key, {})
        if old.get("value") == new.get("value"):
            continue
        changes.append(
            FactChange(
                label=new.get("label") or old.get("label", key),
                before=old.get("value", ""),
                after=new.get("value", ""),
                explanation=new.get("explanation", ""),
            )
        )
    return changes
