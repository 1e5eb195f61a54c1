"""What an MDF version holds, what the buyer may still ask for, and what only a contract gets.

Pure functions over plain values, no request or ORM, so tables of cases test them.

The rules (Code of Practice, Transparency chapter, Measures 1.1-1.2; Art. 53(1)(b), Annex XII):
- a field the form marks for downstream providers is owed to the buyer who integrates the
  model; missing ones may be requested, and the answer is due within 14 days of the request;
- a field meant only for the AI Office or national authorities is not owed to the buyer: it is
  a contractual request (under a non-disclosure agreement), never "missing";
- "N/A" counts only where the form allows it;
- where the form asks for two significant figures, a number with fewer is not complete;
- a version is stale when it was last updated before the model's newest version came out, or
  longer ago than the set age.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation


def shown_date(date):
    """A date as the pages show it: "4 Dec 2026"."""
    return f"{date.day} {date:%b %Y}"


ANSWER_DAYS = 14  # Code of Practice, Transparency Measure 1.2
DOWNSTREAM = "dp"


class State:
    PRESENT = "present"
    MISSING = "missing"
    INVALID = "invalid"  # a value the form does not accept (N/A not allowed, too few figures)
    CONTRACTUAL = "contractual"  # for the authorities only, not given: a contractual request
    RECEIVED_EXTRA = "received_extra"  # for the authorities only, and given anyway

    LABELS = {
        PRESENT: "present",
        MISSING: "missing",
        INVALID: "incomplete",
        CONTRACTUAL: "contractual request (NDA)",
        RECEIVED_EXTRA: "received (authorities' field)",
    }


@dataclass(frozen=True)
class FieldSpec:
    key: str
    number: str
    section: str
    label: str
    audiences: tuple
    na_allowed: bool = False
    significant_figures: bool = False
    unverified: str = ""
    kind: str = "text"
    choices: tuple = ()
    guidance: str = ""

    @property
    def for_downstream(self):
        return DOWNSTREAM in self.audiences


@dataclass(frozen=True)
class FieldResult:
    spec: FieldSpec
    value: str
    not_applicable: bool
    state: str
    problem: str = ""

    @property
    def state_label(self):
        return State.LABELS[self.state]


@dataclass
class Completeness:
    fields: list
    downstream_present: int = 0
    downstream_total: int = 0
    missing: list = field(default_factory=list)  # downstream fields missing or incomplete
    contractual: list = field(default_factory=list)
    stale_reasons: list = field(default_factory=list)
    answer_due: datetime.date | None = None
    overdue: bool = False

    @property
    def downstream_complete(self):
        return not self.missing

    @property
    def stale(self):
        return bool(self.stale_reasons)


def spec_of(row):
    """A `FieldSpec` from a catalogue row (a model instance or a dict of the YAML file)."""
    get = row.get if isinstance(row, dict) else lambda name, default=None: getattr(row, name)
    return FieldSpec(
        key=get("key"),
        number=get("number"),
        section=get("section"),
        label=get("label"),
        audiences=tuple(get("audiences") or ()),
        na_allowed=bool(get("na_allowed")),
        significant_figures=bool(get("significant_figures")),
        unverified=get("unverified") or "",
        kind=get("kind") or "text",
        choices=tuple(get("choices", ()) or ()),
        guidance=get("guidance") or "",
    )


_NUMBER = re.compile(
    r"^\s*(?P<mantissa>[0-9][0-9,  .]*)\s*"
    r"(?:(?:[eE](?P<exp1>[+-]?[0-9]+))|(?:[x×*]\s*10\s*\^\s*(?P<exp2>[+-]?[0-9]+)))?\s*"
    r"(?:\s(?P<unit>[A-Za-z]+))?\s*$"
)


def parse_number(text):
    """(Decimal value, significant figures) of a number such as "7.3e10", "7.3×10^10",
    "73,000,000,000" or "1.2E+25 FLOP"; None when the text is not a number."""
    match = _NUMBER.match(text or "")
    if not match:
        return None
    mantissa = re.sub(r"[,  ]", "", match.group("mantissa"))
    exponent = match.group("exp1") or match.group("exp2") or "0"
    try:
        value = Decimal(mantissa) * (Decimal(10) ** int(exponent))
    except (InvalidOperation, ValueError):
        return None
    digits = mantissa.replace(".", "").lstrip("0")
    if "." not in mantissa:
        digits = digits.rstrip("0")  # 70000 says one figure, 73000 two
    return value, max(len(digits), 1 if value == 0 else len(digits))


def value_problem(spec, value, not_applicable):
    """Why the form does not accept this value for `spec`; "" when it does."""
    if not_applicable:
        return "" if spec.na_allowed else "The form does not allow N/A here."
    if spec.kind == "number":
        parsed = parse_number(value)
        if parsed is None:
            return "Not a number."
        if spec.significant_figures and parsed[1] < 2:
            return "The form asks for at least two significant figures."
    if spec.kind == "date" and not _is_date(value):
        return "Not a date (YYYY-MM-DD)."
    if spec.kind == "choice" and spec.choices and value not in spec.choices:
        return "Not one of the form's choices: " + ", ".join(spec.choices) + "."
    return ""


def _is_date(value):
    try:
        datetime.date.fromisoformat(value.strip())
    except ValueError:
        return False
    return True


def assess(
    specs,
    values,
    *,
    last_updated,
    today,
    requested_on=None,
    newest_model_date=None,
    stale_after_days=365,
):
    """The completeness of one MDF version.

    `values` maps field keys to (value, not_applicable); `newest_model_date` is when the newest
    version of the model came out, if known.
    """
    result = Completeness(fields=[])
    for spec in specs:
        value, not_applicable = values.get(spec.key, ("", False))
        value = (value or "").strip()
        given = bool(value) or not_applicable
        problem = value_problem(spec, value, not_applicable) if given else ""
        if spec.for_downstream:
            result.downstream_total += 1
            if not given:
                state = State.MISSING
            elif problem:
                state = State.INVALID
            else:
                state = State.PRESENT
                result.downstream_present += 1
            if state != State.PRESENT:
                result.missing.append(spec)
        else:
            state = State.RECEIVED_EXTRA if given and not problem else State.CONTRACTUAL
            if state == State.CONTRACTUAL:
                result.contractual.append(spec)
        result.fields.append(FieldResult(spec, value, not_applicable, state, problem))
    if newest_model_date and last_updated < newest_model_date:
        result.stale_reasons.append(
            f"Last updated on {shown_date(last_updated)}, before the model's newest version "
            f"({shown_date(newest_model_date)})."
        )
    if (today - last_updated).days > stale_after_days:
        result.stale_reasons.append(
            f"Last updated more than {stale_after_days} days ago ({shown_date(last_updated)})."
        )
    if requested_on:
        result.answer_due = requested_on + datetime.timedelta(days=ANSWER_DAYS)
        result.overdue = bool(result.missing) and today > result.answer_due
    return result


def sections(results):
    """`FieldResult`s grouped by the form's sections, in order: [(section, [results])]."""
    grouped = {}
    for result in results:
        grouped.setdefault(result.spec.section, []).append(result)
    return list(grouped.items())


def request_email(*, model_name, supplier_name, missing, answer_due=None):
    """A plain-text email asking the supplier for the missing downstream fields."""
    lines = [
        f"Subject: Model Documentation Form for {model_name}: information for downstream providers",
        "",
        f"Dear {supplier_name} team,",
        "",
        f"We are assessing {model_name} for integration into our own systems. Under the "
        "Transparency chapter of the General-Purpose AI Code of Practice (Measure 1.2) and "
        "Art. 53(1)(b) of the AI Act, providers make the Model Documentation Form's information "
        "for downstream providers available on request. The following items are missing or "
        "incomplete in the version we have:",
        "",
    ]
    lines += [f"- {spec.number} {spec.label}" for spec in missing]
    lines += [""]
    if answer_due:
        lines.append(f"We would be grateful for your answer by {answer_due:%d %B %Y}.")
    else:
        lines.append("We would be grateful for your answer within 14 days.")
    lines += ["", "Kind regards"]
    return "\n".join(lines)
