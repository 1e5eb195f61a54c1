"""Which clause a gap, a missing signature or a fact about the model calls for.

Pure functions over a plain snapshot of the assessment (dataclasses, no ORM), so a table of
cases tests them. Every evaluation returns whether the clause is selected and the reason in a
buyer's words, naming the status or gap behind it, both when it is selected and when not.
"""

import datetime
import re
from dataclasses import dataclass, field

from diligence.applicability import Category
from vendors.facts import GPAI_OBLIGATIONS_APPLY


class TriggerKind:
    ALWAYS = "always"
    CHAPTER_NOT_SIGNED = "chapter_not_signed"
    ITEM_GAP = "item_gap"
    ITEM_OPEN = "item_open"
    SYSTEMIC_RISK = "systemic_risk"
    OPEN_SOURCE_CLAIMED = "open_source_claimed"
    PROVIDER_OUTSIDE_EU = "provider_outside_eu"
    LEGACY_MODEL = "legacy_model"

    CHOICES = [
        (ALWAYS, "Always"),
        (CHAPTER_NOT_SIGNED, "A Code of Practice chapter is not signed"),
        (ITEM_GAP, "A checklist item is a gap"),
        (ITEM_OPEN, "A checklist item is still open"),
        (SYSTEMIC_RISK, "The model has systemic risk"),
        (OPEN_SOURCE_CLAIMED, "The supplier claims the open-source exemption"),
        (PROVIDER_OUTSIDE_EU, "The provider is established outside the EU"),
        (LEGACY_MODEL, "Legacy model (on the market before 2 Aug 2025)"),
    ]
    VALUES = frozenset(value for value, _label in CHOICES)
    WITH_CHAPTER = frozenset({CHAPTER_NOT_SIGNED})
    WITH_ITEM = frozenset({ITEM_GAP, ITEM_OPEN})


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


@dataclass(frozen=True)
class PackFacts:
    """What the triggers look at, taken from one assessment, its supplier and its model."""

    chapters: tuple = ()  # ChapterStatus, in the Code's order
    items: tuple = ()  # ItemState, in checklist order
    systemic_risk: bool = False
    systemic_risk_basis: str = ""  # "notified by the provider"
    open_source_claimed: bool = False
    open_source_exempt: bool = False
    provider_in_eu: bool = True
    country: str = ""  # the country's name
    placed_on_market: datetime.date | None = None

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
    if kind == TriggerKind.ALWAYS:
        return Selection(True, "Standard clause for every general-purpose AI model supplier")
    if kind == TriggerKind.CHAPTER_NOT_SIGNED:
        return _chapter_not_signed(trigger.param, facts)
    if kind == TriggerKind.ITEM_GAP:
        return _items(trigger.param, facts, gap=True)
    if kind == TriggerKind.ITEM_OPEN:
        return _items(trigger.param, facts, gap=False)
    if kind == TriggerKind.SYSTEMIC_RISK:
        if facts.systemic_risk:
            basis = f" ({facts.systemic_risk_basis})" if facts.systemic_risk_basis else ""
            return Selection(True, f"Model with systemic risk{basis}")
        return Selection(False, "No systemic risk recorded for the model")
    if kind == TriggerKind.OPEN_SOURCE_CLAIMED:
        if facts.open_source_claimed:
            return Selection(True, "The supplier relies on the open-source exemption (Art. 53(2))")
        return Selection(False, "The supplier does not rely on the open-source exemption")
    if kind == TriggerKind.PROVIDER_OUTSIDE_EU:
        where = f" ({facts.country})" if facts.country else ""
        if facts.provider_in_eu:
            return Selection(False, f"Provider established in the EU or EEA{where}")
        return Selection(True, f"Provider established outside the EU{where}")
    if kind == TriggerKind.LEGACY_MODEL:
        return _legacy(facts)
    raise ValueError(f"Unknown trigger kind {kind!r}.")


def _chapter_not_signed(chapter_value, facts):
    chapter = facts.chapter(chapter_value)
    if chapter is None:
        label = chapter_value.replace("_", " ").capitalize()
        return Selection(True, f"{label} chapter not signed (status: Unknown)")
    if chapter.signed:
        return Selection(False, f"{chapter.label} chapter signed")
    not_signed = f"{chapter.label} chapter not signed (status: {chapter.status_label})"
    # Art. 55 binds only systemic-risk providers: without systemic risk there is nothing for
    # "other adequate means" to show under the Safety and Security chapter.
    if chapter_value == "safety_security" and not facts.systemic_risk:
        return Selection(False, f"{not_signed}, but the model has no systemic risk recorded")
    # The Transparency chapter does not cover exempt open-source models (Art. 53(2)).
    if chapter_value == "transparency" and facts.open_source_exempt:
        return Selection(False, f"{not_signed}, but the model is exempt open source (Art. 53(2))")
    return Selection(True, not_signed)


def _scope(param, facts):
    applicable = tuple(item for item in facts.items if item.applicable)
    if not param:
        return _ItemScope(items=applicable)
    if ITEM_CODE.fullmatch(param):
        return _ItemScope(code=param, items=tuple(i for i in applicable if i.code == param))
    return _ItemScope(category=param, items=tuple(i for i in applicable if i.category == param))


def _codes(items):
    codes = [item.code for item in items]
    if len(codes) > MAX_CODES_LISTED:
        shown = ", ".join(codes[:MAX_CODES_LISTED])
        return f"{shown} and {len(codes) - MAX_CODES_LISTED} more"
    return ", ".join(codes)


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


def _legacy(facts):
    placed = facts.placed_on_market
    if placed is None:
        return Selection(False, "Date first placed on the EU market not recorded")
    # Art. 111(3): models placed on the market before 2 Aug 2025 must comply by 2 Aug 2027.
    if placed < GPAI_OBLIGATIONS_APPLY:
        return Selection(True, f"Placed on the EU market on {placed:%-d %b %Y}, before 2 Aug 2025")
    return Selection(False, f"Placed on the EU market on {placed:%-d %b %Y}, not a legacy model")
