"""Which clause a gap, a missing signature or a fact about the model calls for.

Pure functions over a plain snapshot of the assessment (dataclasses, no ORM), so a table of
cases tests them. Every evaluation returns whether the clause is selected and the reason in a
buyer's words, naming the status or gap behind it, both when it is selected and when not.

Facts about the model come only from `vendors.facts.Derived`, the object the checklist rules
read as well: no trigger derives a fact from raw fields of its own.
"""

import re
from dataclasses import dataclass, field

from diligence.applicability import Category
from vendors.facts import Answer, Derived, ModelFacts, derive


class TriggerKind:
    ALWAYS = "always"
    CHAPTER_NOT_SIGNED = "chapter_not_signed"
    ITEM_GAP = "item_gap"
    ITEM_OPEN = "item_open"
    SYSTEMIC_RISK = "systemic_risk"
    SYSTEMIC_RISK_UNDETERMINED = "systemic_risk_undetermined"
    OPEN_SOURCE_CLAIMED = "open_source_claimed"
    OPEN_SOURCE_EXEMPT = "open_source_exempt"
    NOT_OPEN_SOURCE_EXEMPT = "not_open_source_exempt"
    OPEN_SOURCE_CLAIM_FAILS = "open_source_claim_fails"
    PROVIDER_OUTSIDE_EU = "provider_outside_eu"
    REPRESENTATIVE_NEEDED = "representative_needed"
    LEGACY_MODEL = "legacy_model"
    NOT_LEGACY_MODEL = "not_legacy_model"
    MODIFICATION = "modification"
    BUYER_MAY_BECOME_PROVIDER = "buyer_may_become_provider"
    MDF_DOWNSTREAM_MISSING = "mdf_downstream_missing"

    CHOICES = [
        (ALWAYS, "Always"),
        (CHAPTER_NOT_SIGNED, "A Code of Practice chapter that applies is not signed"),
        (ITEM_GAP, "A checklist item is a gap"),
        (ITEM_OPEN, "A checklist item is still open"),
        (SYSTEMIC_RISK, "The model has systemic risk"),
        (SYSTEMIC_RISK_UNDETERMINED, "The model's systemic-risk status is not known"),
        # The first library's name for it; it now selects only when the exemption holds.
        (OPEN_SOURCE_CLAIMED, "The open-source exemption holds (first library's name)"),
        (OPEN_SOURCE_EXEMPT, "The open-source exemption holds"),
        (NOT_OPEN_SOURCE_EXEMPT, "The open-source exemption does not hold"),
        (OPEN_SOURCE_CLAIM_FAILS, "The open-source exemption is relied on but does not hold"),
        (PROVIDER_OUTSIDE_EU, "The provider is established outside the Union"),
        (REPRESENTATIVE_NEEDED, "An authorised representative is needed"),
        (LEGACY_MODEL, "Legacy model (on the market before 2 Aug 2025)"),
        (NOT_LEGACY_MODEL, "Not a legacy model (or placement date not recorded)"),
        (MODIFICATION, "The model is a modification of another model"),
        (BUYER_MAY_BECOME_PROVIDER, "The buyer's fine-tuning may make it a provider"),
        (
            MDF_DOWNSTREAM_MISSING,
            "The supplier's Model Documentation Form lacks downstream-provider fields",
        ),
    ]
    VALUES = frozenset(value for value, _label in CHOICES)
    WITH_CHAPTER = frozenset({CHAPTER_NOT_SIGNED})
    WITH_ITEM = frozenset({ITEM_GAP, ITEM_OPEN})
    # Triggers on what the law says about the model: a clause Legal adds by hand while its
    # trigger does not hold may state something the facts deny, so the pack warns.
    ON_FACTS = VALUES - {ALWAYS, ITEM_GAP, ITEM_OPEN}


# Item statuses, as stored by diligence.models.ItemStatus.
GAP = "gap"
# Not yet settled either way: nothing asked, asked and waiting, or received and not yet reviewed.
OPEN_STATUSES = frozenset({"open", "requested", "received"})

ITEM_CODE = re.compile(r"[A-Z]{2,5}-\d{2,4}")
PARAM_HELP = (
    "For “chapter not signed”: transparency, copyright or safety_security. For item triggers: "
    "an item code (DOC-11), a category (documentation, copyright, safety_security), or blank "
    "for any item. Empty for the other triggers."
)
# Longer lists of item codes are cut, so that a reason stays one readable line.
MAX_CODES_LISTED = 8

_CATEGORY_LABELS = {
    Category.DOCUMENTATION: "documentation",
    Category.COPYRIGHT: "copyright",
    Category.SAFETY_SECURITY: "safety and security",
}


@dataclass(frozen=True)
class ChapterStatus:
    """The supplier's signature of one Code of Practice chapter."""

    chapter: str  # vendors.models.Chapter value
    label: str  # "Copyright"
    status: str  # vendors.models.SignatureStatus value
    status_label: str  # "Not signed"

    @property
    def signed(self):
        return self.status == "signed"


@dataclass(frozen=True)
class ItemState:
    """One checklist item as it stands in the assessment."""

    code: str
    category: str
    status: str  # diligence.models.ItemStatus value
    status_label: str = ""
    applicable: bool = True


def _undetermined_model():
    return derive(ModelFacts())


@dataclass(frozen=True)
class MdfState:
    """The supplier's current confirmed Model Documentation Form for the model."""

    version: str  # as the supplier numbers it
    missing: tuple = ()  # "1.2 Field label" of each downstream-provider field missing or incomplete


@dataclass(frozen=True)
class PackFacts:
    """What the triggers look at, taken from one assessment, its supplier and its model."""

    chapters: tuple = ()  # ChapterStatus, in the Code's order
    items: tuple = ()  # ItemState, in checklist order
    derived: Derived = field(default_factory=_undetermined_model)
    country: str = ""  # the country's name
    mdf: MdfState | None = None  # None: no confirmed Model Documentation Form recorded

    def chapter(self, value):
        return next((c for c in self.chapters if c.chapter == value), None)


@dataclass(frozen=True)
class Selection:
    selected: bool
    reason: str


@dataclass(frozen=True)
class Trigger:
    kind: str
    param: str = ""

    def __post_init__(self):
        object.__setattr__(self, "param", (self.param or "").strip())


@dataclass(frozen=True)
class _ItemScope:
    """Which items an item trigger looks at: one code, one category or all of them."""

    code: str = ""
    category: str = ""
    items: tuple = field(default=())

    def describe(self, count):
        noun = "item" if count == 1 else "items"
        if self.category:
            return f"{_CATEGORY_LABELS.get(self.category, self.category)} {noun}"
        return noun


def param_error(kind, param, *, chapters, categories):
    """Why `param` does not fit a trigger of `kind`, or "" if it does.

    `chapters` and `categories` are the allowed values (vendors Chapter, diligence Category).
    """
    param = (param or "").strip()
    if kind not in TriggerKind.VALUES:
        return f"Unknown trigger “{kind}”."
    if kind in TriggerKind.WITH_CHAPTER:
        if param not in chapters:
            return f"Name the chapter: one of {', '.join(sorted(chapters))}."
        return ""
    if kind in TriggerKind.WITH_ITEM:
        if not param or param in categories or ITEM_CODE.fullmatch(param):
            return ""
        return (
            f"“{param}” is neither an item code such as DOC-11 nor a category "
            f"({', '.join(sorted(categories))}). Leave it blank for any item."
        )
    if param:
        return "This trigger takes no parameter; leave it empty."
    return ""


def evaluate(trigger, facts):
    """Whether a clause with this trigger belongs in the pack for these facts, and why."""
    kind = trigger.kind
    derived = facts.derived
    if kind == TriggerKind.ALWAYS:
        return Selection(True, "Standard clause for every general-purpose AI model supplier")
    if kind == TriggerKind.CHAPTER_NOT_SIGNED:
        return _chapter_not_signed(trigger.param, facts)
    if kind == TriggerKind.ITEM_GAP:
        return _items(trigger.param, facts, gap=True)
    if kind == TriggerKind.ITEM_OPEN:
        return _items(trigger.param, facts, gap=False)
    if kind in _FACT_TRIGGERS:
        return _FACT_TRIGGERS[kind](derived, facts)
    raise ValueError(f"Unknown trigger kind {kind!r}.")


def _systemic_risk(derived, _facts):
    finding = derived.systemic_risk
    if finding.yes:
        return Selection(True, f"Model with systemic risk ({finding.basis})")
    if finding.no:
        return Selection(False, f"No systemic risk ({finding.basis})")
    return Selection(False, "Systemic-risk status not known")


def _systemic_risk_undetermined(derived, _facts):
    if derived.systemic_risk.undetermined:
        return Selection(True, "Systemic-risk status not known: the supplier must state it")
    return Selection(False, "Systemic-risk status known")


def _open_source_exempt(derived, _facts):
    if derived.open_source.yes:
        return Selection(True, "The open-source exemption holds (Art. 53(2))")
    return Selection(False, _no_exemption(derived))


def _not_open_source_exempt(derived, _facts):
    if derived.open_source.yes:
        return Selection(False, "The open-source exemption holds (Art. 53(2))")
    return Selection(True, _no_exemption(derived))


def _no_exemption(derived):
    if derived.open_source.undetermined:
        return "Open-source exemption cannot be decided yet: systemic-risk status not known"
    if derived.exemption_relied_on:
        return "Open-source exemption relied on, but it does not hold"
    return "The open-source exemption does not apply"


def _claim_fails(derived, _facts):
    if not derived.exemption_relied_on:
        return Selection(False, "The open-source exemption is not relied on")
    if derived.open_source.yes:
        return Selection(False, "The open-source exemption holds (Art. 53(2))")
    return Selection(True, f"Open-source claim fails: {derived.open_source.explanation}")


def _provider_outside_eu(derived, facts):
    where = f" ({facts.country})" if facts.country else ""
    if derived.provider_in_eu:
        return Selection(False, f"Provider established in the Union{where}")
    return Selection(True, f"Provider established outside the Union{where}")


def _representative_needed(derived, facts):
    where = f" ({facts.country})" if facts.country else ""
    finding = derived.representative
    if finding.yes:
        return Selection(True, f"Authorised representative needed{where} (Art. 54)")
    if derived.provider_in_eu:
        return Selection(False, f"Provider established in the Union{where}")
    return Selection(False, f"No representative needed: exempt open source (Art. 54(6)){where}")


def _placed(derived):
    return f"{derived.placed_on_market:%-d %b %Y}"


def _legacy(derived, _facts):
    finding = derived.legacy
    if finding.undetermined:
        return Selection(False, "Date first placed on the EU market not recorded")
    # Art. 111(3): models placed on the market before 2 Aug 2025 must comply by 2 Aug 2027.
    if finding.yes:
        return Selection(True, f"Placed on the EU market on {_placed(derived)}, before 2 Aug 2025")
    return Selection(False, f"Placed on the EU market on {_placed(derived)}, not a legacy model")


def _not_legacy(derived, _facts):
    finding = derived.legacy
    if finding.undetermined:
        return Selection(True, "Date first placed on the EU market not recorded")
    if finding.yes:
        return Selection(
            False, f"Legacy model, placed on {_placed(derived)}: compliance due by 2 Aug 2027"
        )
    return Selection(True, f"Placed on the EU market on {_placed(derived)}, not a legacy model")


def _modification(derived, _facts):
    finding = derived.modification
    if finding is None:
        return Selection(False, "Not recorded as a modification of another model")
    outcome = {
        Answer.YES: "the supplier is the provider of a new model",
        Answer.NO: "the original provider remains the provider",
        Answer.UNDETERMINED: "the one-third test cannot be applied yet",
    }[finding.answer]
    return Selection(True, f"Modification of another model: {outcome}")


def _buyer_may_become_provider(derived, _facts):
    finding = derived.buyer_fine_tuning
    if finding is None or finding.no:
        return Selection(False, "The buyer's fine-tuning plans do not make it a provider")
    if finding.undetermined:
        return Selection(True, "The buyer plans fine-tuning; the one-third test is open")
    return Selection(True, "The buyer's planned fine-tuning exceeds a third of the compute")


def _mdf_downstream_missing(derived, facts):
    # Art. 53(2): an exempt open-source model owes integrators no information by law; the
    # contractual clause asks for it instead, so this clause must not say it is owed.
    if derived.open_source.yes:
        return Selection(
            False,
            "The open-source exemption holds (Art. 53(2)): integrator information is contractual",
        )
    mdf = facts.mdf
    if mdf is None:
        # The clause on information for downstream providers already asks for the form.
        return Selection(False, "No confirmed Model Documentation Form recorded for the model")
    if not mdf.missing:
        return Selection(
            False, f"Model Documentation Form {mdf.version}: downstream fields complete"
        )
    count = len(mdf.missing)
    noun = "field" if count == 1 else "fields"
    # Code of Practice, Transparency, Measure 1.2: the fields marked for downstream providers.
    return Selection(
        True,
        f"Model Documentation Form {mdf.version}: {count} downstream-provider {noun} missing "
        f"or incomplete ({_listed(mdf.missing)})",
    )


def _listed(labels):
    labels = list(labels)
    if len(labels) > MAX_CODES_LISTED:
        shown = ", ".join(labels[:MAX_CODES_LISTED])
        return f"{shown} and {len(labels) - MAX_CODES_LISTED} more"
    return ", ".join(labels)


_FACT_TRIGGERS = {
    TriggerKind.SYSTEMIC_RISK: _systemic_risk,
    TriggerKind.SYSTEMIC_RISK_UNDETERMINED: _systemic_risk_undetermined,
    TriggerKind.OPEN_SOURCE_CLAIMED: _open_source_exempt,
    TriggerKind.OPEN_SOURCE_EXEMPT: _open_source_exempt,
    TriggerKind.NOT_OPEN_SOURCE_EXEMPT: _not_open_source_exempt,
    TriggerKind.OPEN_SOURCE_CLAIM_FAILS: _claim_fails,
    TriggerKind.PROVIDER_OUTSIDE_EU: _provider_outside_eu,
    TriggerKind.REPRESENTATIVE_NEEDED: _representative_needed,
    TriggerKind.LEGACY_MODEL: _legacy,
    TriggerKind.NOT_LEGACY_MODEL: _not_legacy,
    TriggerKind.MODIFICATION: _modification,
    TriggerKind.BUYER_MAY_BECOME_PROVIDER: _buyer_may_become_provider,
    TriggerKind.MDF_DOWNSTREAM_MISSING: _mdf_downstream_missing,
}


def _chapter_not_signed(chapter_value, facts):
    chapter = facts.chapter(chapter_value)
    if chapter is None:
        label = chapter_value.replace("_", " ").capitalize()
        status_label = "Unknown"
    elif chapter.signed:
        return Selection(False, f"{chapter.label} chapter signed")
    else:
        label, status_label = chapter.label, chapter.status_label
    not_signed = f"{label} chapter not signed (status: {status_label})"
    # "Other adequate means" are owed only for duties that apply to the model.
    applies = facts.derived.chapter_applies(chapter_value)
    if applies == Answer.YES:
        return Selection(True, not_signed)
    if chapter_value == "safety_security":
        # Art. 55 binds only systemic-risk providers.
        if applies == Answer.UNDETERMINED:
            return Selection(
                False,
                f"{not_signed}; it matters only with systemic risk, whose status is not known",
            )
        return Selection(False, f"{not_signed}, but the model has no systemic risk")
    # The Transparency chapter does not cover exempt open-source models (Art. 53(2)).
    return Selection(False, f"{not_signed}, but the model is exempt open source (Art. 53(2))")


def _scope(param, facts):
    applicable = tuple(item for item in facts.items if item.applicable)
    if not param:
        return _ItemScope(items=applicable)
    if ITEM_CODE.fullmatch(param):
        return _ItemScope(code=param, items=tuple(i for i in applicable if i.code == param))
    return _ItemScope(category=param, items=tuple(i for i in applicable if i.category == param))


def _codes(items):
    return _listed(item.code for item in items)


def _items(param, facts, *, gap):
    scope = _scope(param, facts)
    if scope.code:
        return _one_item(scope.code, facts, gap=gap)
    matching = [i for i in scope.items if (i.status == GAP if gap else i.status in OPEN_STATUSES)]
    count = len(matching)
    if gap:
        if not matching:
            return Selection(False, f"No {scope.describe(1)} is a gap")
        verb = "is a gap" if count == 1 else "are gaps"
        return Selection(True, f"{count} {scope.describe(count)} {verb}: {_codes(matching)}")
    if not matching:
        return Selection(False, f"No {scope.describe(1)} is still open")
    return Selection(True, f"{count} {scope.describe(count)} open: {_codes(matching)}")


def _one_item(code, facts, *, gap):
    item = next((i for i in facts.items if i.code == code), None)
    if item is None:
        return Selection(False, f"{code} is not in this assessment's checklist")
    if not item.applicable:
        return Selection(False, f"{code} does not apply to this model")
    status = f"status: {item.status_label or item.status}"
    if gap:
        if item.status == GAP:
            return Selection(True, f"{code} is a gap")
        return Selection(False, f"{code} is not a gap ({status})")
    if item.status in OPEN_STATUSES:
        return Selection(True, f"{code} is still open ({status})")
    return Selection(False, f"{code} is no longer open ({status})")
