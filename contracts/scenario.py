"""What-if scenarios: a supplier, a model, its signatures, a modification and the buyer's plans,
read from plain data (JSON) and checked, with a message for every problem.

Pure functions: no request, no ORM. The what-if page builds the same data from its form, and
`explain_model` reads it from a file. `scenario_from_model` writes a recorded model as a scenario,
so a person starts from what is on record and changes one thing.
"""

import datetime
from dataclasses import dataclass, field

from vendors import facts as vendor_facts

CHAPTERS = ("transparency", "copyright", "safety_security")
SIGNATURE_STATUSES = ("signed", "not_signed", "declined", "withdrawn", "unknown")
STATUSES = tuple(value for value, _label in vendor_facts.SystemicRisk.CHOICES)
ANSWERS = (vendor_facts.Answer.YES, vendor_facts.Answer.NO, vendor_facts.Answer.UNDETERMINED)
_MODEL_FLAGS = (
    "open_licence",
    "weights_public",
    "architecture_public",
    "usage_info_public",
    "monetised",
    "claims_open_source_exemption",
)
_TOP_KEYS = {"today", "supplier", "model", "signatures", "modification", "buyer"}
_MODEL_KEYS = {
    "training_compute_flop",
    "systemic_risk_status",
    "systemic_risk_decided_on",
    "systemic_risk_source",
    "placed_on_market",
    *_MODEL_FLAGS,
}
_MODIFICATION_KEYS = {
    "of",
    "provider",
    "original_compute_flop",
    "modification_compute_flop",
    "original_systemic_risk",
}
_BUYER_KEYS = {"plans_fine_tuning", "fine_tuning_compute_flop"}


class ScenarioError(ValueError):
    """A scenario that cannot be explained, with every problem named by its field."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Scenario:
    facts: vendor_facts.ModelFacts
    today: datetime.date
    signatures: dict = field(default_factory=dict)  # chapter -> status
    country: str = ""


class _Reader:
    def __init__(self):
        self.problems = []

    def section(self, data, key, allowed):
        value = data.get(key) or {}
        if not isinstance(value, dict):
            self.problems.append(f"{key}: expected an object")
            return {}
        for unknown in sorted(set(value) - allowed):
            self.problems.append(f"{key}.{unknown}: unknown field")
        return value

    def flop(self, where, value):
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            self.problems.append(f"{where}: expected a number of FLOP")
            return None
        try:
            return vendor_facts.parse_flop(str(value))
        except ValueError as error:
            self.problems.append(f"{where}: {error}")
            return None

    def date(self, where, value):
        if value is None or value == "":
            return None
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.problems.append(f"{where}: expected a date as YYYY-MM-DD, got {value!r}")
            return None

    def flag(self, where, value):
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problems.append(f"{where}: expected true or false")
            return False
        return value

    def choice(self, where, value, choices, default):
        if value is None or value == "":
            return default
        if value not in choices:
            self.problems.append(f"{where}: {value!r} is not one of {', '.join(choices)}")
            return default
        return value

    def text(self, where, value):
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problems.append(f"{where}: expected text")
            return ""
        return value.strip()


def parse_scenario(data, *, eea_as_union=False, today=None):
    """A `Scenario` from plain data, or ScenarioError listing every problem."""
    if not isinstance(data, dict):
        raise ScenarioError(["the scenario must be a JSON object"])
    read = _Reader()
    for unknown in sorted(set(data) - _TOP_KEYS):
        read.problems.append(f"{unknown}: unknown field")
    supplier = read.section(data, "supplier", {"country"})
    model = read.section(data, "model", _MODEL_KEYS)
    signatures = read.section(data, "signatures", set(CHAPTERS))
    modification = read.section(data, "modification", _MODIFICATION_KEYS)
    buyer = read.section(data, "buyer", _BUYER_KEYS)

    country = read.text("supplier.country", supplier.get("country")).upper()
    if country and (len(country) != 2 or not country.isalpha()):
        read.problems.append(f"supplier.country: {country!r} is not a two-letter country code")
    chosen = {
        chapter: read.choice(
            f"signatures.{chapter}", signatures.get(chapter), SIGNATURE_STATUSES, "unknown"
        )
        for chapter in CHAPTERS
    }
    upstream = read.text("modification.of", modification.get("of"))
    provider = read.text("modification.provider", modification.get("provider"))
    if (modification.get("modification_compute_flop") or provider) and not upstream:
        read.problems.append("modification.of: name the original model of the modification")
    scenario_today = read.date("today", data.get("today")) or today or datetime.date.today()
    model_facts = vendor_facts.ModelFacts(
        training_compute_flop=read.flop(
            "model.training_compute_flop", model.get("training_compute_flop")
        ),
        systemic_risk_status=read.choice(
            "model.systemic_risk_status",
            model.get("systemic_risk_status"),
            STATUSES,
            vendor_facts.SystemicRisk.UNKNOWN,
        ),
        systemic_risk_decided_on=read.date(
            "model.systemic_risk_decided_on", model.get("systemic_risk_decided_on")
        ),
        systemic_risk_source=read.text(
            "model.systemic_risk_source", model.get("systemic_risk_source")
        ),
        placed_on_market=read.date("model.placed_on_market", model.get("placed_on_market")),
        **{flag: read.flag(f"model.{flag}", model.get(flag)) for flag in _MODEL_FLAGS},
        provider_in_eu=vendor_facts.is_established_in_eu(country, eea_as_union=eea_as_union),
        provider_country=country,
        signed_chapters=frozenset(c for c, status in chosen.items() if status == "signed"),
        modifies=f"{upstream} by {provider or 'an unnamed provider'}" if upstream else "",
        upstream_compute_flop=read.flop(
            "modification.original_compute_flop", modification.get("original_compute_flop")
        ),
        modification_compute_flop=read.flop(
            "modification.modification_compute_flop",
            modification.get("modification_compute_flop"),
        ),
        upstream_systemic_risk=read.choice(
            "modification.original_systemic_risk",
            modification.get("original_systemic_risk"),
            ANSWERS,
            None,
        ),
        buyer_plans_fine_tuning=read.flag(
            "buyer.plans_fine_tuning", buyer.get("plans_fine_tuning")
        ),
        buyer_fine_tuning_flop=read.flop(
            "buyer.fine_tuning_compute_flop", buyer.get("fine_tuning_compute_flop")
        ),
    )
    if not country:
        read.problems.append("supplier.country: give the supplier's country (ISO code, e.g. FR)")
    if read.problems:
        raise ScenarioError(read.problems)
    return Scenario(model_facts, scenario_today, chosen, country)


def _flop_text(value):
    return None if value is None else f"{value:.6e}".replace("e+", "e")


def scenario_from_model(model_facts, signatures, country, today):
    """The plain data of a scenario that reproduces a recorded model (`ModelFacts`)."""
    facts = model_facts
    data = {
        "today": today.isoformat(),
        "supplier": {"country": country},
        "model": {
            "training_compute_flop": _flop_text(facts.training_compute_flop),
            "systemic_risk_status": facts.systemic_risk_status,
            "systemic_risk_decided_on": facts.systemic_risk_decided_on.isoformat()
            if facts.systemic_risk_decided_on
            else None,
            "systemic_risk_source": facts.systemic_risk_source,
            "placed_on_market": facts.placed_on_market.isoformat()
            if facts.placed_on_market
            else None,
            **{flag: getattr(facts, flag) for flag in _MODEL_FLAGS},
        },
        "signatures": {chapter: signatures.get(chapter, "unknown") for chapter in CHAPTERS},
        "buyer": {
            "plans_fine_tuning": facts.buyer_plans_fine_tuning,
            "fine_tuning_compute_flop": _flop_text(facts.buyer_fine_tuning_flop),
        },
    }
    if facts.is_modification:
        upstream, _sep, provider = facts.modifies.rpartition(" by ")
        data["modification"] = {
            "of": upstream or facts.modifies,
            "provider": provider,
            "original_compute_flop": _flop_text(facts.upstream_compute_flop),
            "modification_compute_flop": _flop_text(facts.modification_compute_flop),
            "original_systemic_risk": facts.upstream_systemic_risk,
        }
    return data
