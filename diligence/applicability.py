"""Which checklist items apply to which model, and how the supplier may evidence them.

Pure functions: no request, no ORM. A rule is anything with `applies_to` and `condition`
(an `ItemRule`, or a checklist item row), so the same logic serves the default checklist,
curated checklist versions and the assessment pages. The legal facts come from
`vendors.facts.derive`, the one object the clause triggers read too; this module only decides
what they mean for one checklist item, and never looks at the raw fields again.
"""

from dataclasses import dataclass

from vendors.facts import Derived, derive


class Category:
    DOCUMENTATION = "documentation"
    COPYRIGHT = "copyright"
    SAFETY_SECURITY = "safety_security"

    CHOICES = [
        (DOCUMENTATION, "Documentation and transparency"),
        (COPYRIGHT, "Copyright"),
        (SAFETY_SECURITY, "Safety and security"),
    ]
    VALUES = frozenset(value for value, _label in CHOICES)


class AppliesTo:
    ALL_GPAI = "all_gpai"
    NOT_WHEN_OPEN_SOURCE_EXEMPT = "not_when_open_source_exempt"
    SYSTEMIC_RISK_ONLY = "systemic_risk_only"

    CHOICES = [
        (ALL_GPAI, "Every general-purpose AI model"),
        (NOT_WHEN_OPEN_SOURCE_EXEMPT, "Not for models under the open-source exemption"),
        (SYSTEMIC_RISK_ONLY, "Only models with systemic risk"),
    ]
    VALUES = frozenset(value for value, _label in CHOICES)


class Condition:
    NONE = ""
    PROVIDER_OUTSIDE_EU = "provider_outside_eu"
    LEGACY_MODEL = "legacy_model"
    CLAIMS_OPEN_SOURCE_EXEMPTION = "claims_open_source_exemption"

    CHOICES = [
        (NONE, "No further condition"),
        (PROVIDER_OUTSIDE_EU, "Authorised representative needed (provider outside the Union)"),
        (LEGACY_MODEL, "Model placed on the market before 2 Aug 2025"),
        (
            CLAIMS_OPEN_SOURCE_EXEMPTION,
            "The open-source exemption would be relied on (claimed, or release conditions ticked)",
        ),
    ]
    VALUES = frozenset(value for value, _label in CHOICES)


class EvidenceMode:
    CODE_MEASURE = "code_measure"
    OTHER_MEANS = "other_means"

    CHOICES = [
        (CODE_MEASURE, "Code of Practice measure"),
        (OTHER_MEANS, "Other adequate means (Art. 53(4), Art. 55(2))"),
    ]


EVIDENCE_MODE_LABELS = dict(EvidenceMode.CHOICES)

# The Code of Practice chapter whose signature lets a supplier evidence items of each category.
CATEGORY_CHAPTER = {
    Category.DOCUMENTATION: "transparency",
    Category.COPYRIGHT: "copyright",
    Category.SAFETY_SECURITY: "safety_security",
}

_EXEMPT = (
    "The model qualifies for the open-source exemption (Art. 53(2)), "
    "so the supplier need not provide this documentation."
)
# Art. 54(6): the representative is waived on the same open-source terms.
_EXEMPT_REPRESENTATIVE = (
    "The model qualifies for the open-source exemption (Art. 54(6)), "
    "so the supplier need not appoint an authorised representative."
)
_NOT_SYSTEMIC = "Only for models with systemic risk (Art. 55); this model has none: {basis}"
_PENDING_SYSTEMIC = "Pending: systemic-risk status not known."
_PROVIDER_IN_EU = "Only for providers established outside the Union (Art. 54)."
_NOT_LEGACY = "Only for models placed on the market before 2 Aug 2025 (Art. 111(3))."
_PLACEMENT_UNKNOWN = (
    "Only for models placed on the market before 2 Aug 2025 (Art. 111(3)); "
    "record when this model was placed on the EU market to decide."
)
_NO_EXEMPTION_CLAIM = (
    "Only asked when the open-source exemption would be relied on: the supplier does not claim "
    "it and the release conditions are not all met."
)


@dataclass(frozen=True)
class ItemRule:
    code: str
    category: str
    applies_to: str
    condition: str = Condition.NONE


@dataclass(frozen=True)
class Applicability:
    applies: bool
    reason: str = ""  # empty when the item applies
    pending: str = ""  # applies for now, until a fact is known


def _derived(facts):
    """Rules read derived facts; plain ModelFacts are derived first."""
    return facts if isinstance(facts, Derived) else derive(facts)


def applicability(rule, facts):
    """Whether one checklist item applies to a model, and if not, why in a buyer's words.

    `facts` is the model's `Derived` facts (or `ModelFacts`, derived here).
    """
    derived = _derived(facts)
    # The extra condition first: "only for providers outside the Union" tells an EU supplier
    # more than the open-source exemption does.
    reason = _condition_reason(rule, derived) or _scope_reason(rule, derived)
    if reason:
        return Applicability(applies=False, reason=reason)
    pending = ""
    # Art. 55: with the status not known, the items stay in the assessment, marked pending.
    if rule.applies_to == AppliesTo.SYSTEMIC_RISK_ONLY and derived.systemic_risk.undetermined:
        pending = _PENDING_SYSTEMIC
    return Applicability(applies=True, pending=pending)


def _scope_reason(rule, derived):
    if rule.applies_to == AppliesTo.ALL_GPAI:
        return ""
    if rule.applies_to == AppliesTo.NOT_WHEN_OPEN_SOURCE_EXEMPT:
        # Art. 53(2): only an exemption that holds spares the documentation.
        if not derived.open_source.yes:
            return ""
        if rule.condition == Condition.PROVIDER_OUTSIDE_EU:
            return _EXEMPT_REPRESENTATIVE
        return _EXEMPT
    if rule.applies_to == AppliesTo.SYSTEMIC_RISK_ONLY:
        # Excluded only when systemic risk is positively ruled out.
        if derived.systemic_risk.no:
            return _NOT_SYSTEMIC.format(basis=derived.systemic_risk.explanation)
        return ""
    raise ValueError(f"Unknown applies_to {rule.applies_to!r} on checklist item {rule.code}.")


def _condition_reason(rule, derived):
    if rule.condition == Condition.NONE:
        return ""
    if rule.condition == Condition.PROVIDER_OUTSIDE_EU:
        # Art. 54(1): establishment in the Union, not the EEA, unless configured.
        return _PROVIDER_IN_EU if derived.provider_in_eu else ""
    if rule.condition == Condition.LEGACY_MODEL:
        if derived.legacy.yes:
            return ""
        return _PLACEMENT_UNKNOWN if derived.legacy.undetermined else _NOT_LEGACY
    if rule.condition == Condition.CLAIMS_OPEN_SOURCE_EXEMPTION:
        return "" if derived.exemption_relied_on else _NO_EXEMPTION_CLAIM
    raise ValueError(f"Unknown condition {rule.condition!r} on checklist item {rule.code}.")


def split_items(rules, facts):
    """The items that apply, and those that do not with the reason, both in the given order."""
    derived = _derived(facts)
    applicable, not_applicable = [], []
    for rule in rules:
        result = applicability(rule, derived)
        if result.applies:
            applicable.append(rule)
        else:
            not_applicable.append((rule, result.reason))
    return applicable, not_applicable


def evidence_mode(category, facts):
    """Art. 53(4), 55(2): a signed chapter is evidenced by its Code measures, else by other means."""
    if CATEGORY_CHAPTER[category] in facts.signed_chapters:
        return EvidenceMode.CODE_MEASURE
    return EvidenceMode.OTHER_MEANS


def evidence_modes(facts):
    return {category: evidence_mode(category, facts) for category, _label in Category.CHOICES}
