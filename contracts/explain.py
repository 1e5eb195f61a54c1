"""Explain a scenario: the derived facts with their articles, the checklist items that would
apply or not with the reasons, and the clauses that would be selected, without saving anything.

Pure functions over the scenario, the checklist items and the clauses (rows or stand-ins with
the same attributes). The what-if page and `manage.py explain_model` both print this.
"""

from contracts import packs, triggers
from diligence import applicability
from vendors import facts as vendor_facts

_CHAPTER_LABELS = {
    "transparency": "Transparency",
    "copyright": "Copyright",
    "safety_security": "Safety and Security",
}
_STATUS_LABELS = {
    "signed": "Signed",
    "not_signed": "Not signed",
    "declined": "Declined",
    "withdrawn": "Withdrawn",
    "unknown": "Unknown",
}


def explain(scenario, checklist_items, clauses, *, country_name="", mdf=None):
    """The explanation as JSON-ready data (see README, "What if").

    `mdf` is the model's current confirmed Model Documentation Form (`triggers.MdfState`) when
    a recorded model is explained; a scenario alone records none.
    """
    derived = vendor_facts.derive(scenario.facts, scenario.today, with_buyer=True)
    applicable, excluded, states = [], [], []
    for item in checklist_items:
        verdict = applicability.applicability(item.rule, derived)
        if verdict.applies:
            applicable.append(
                {
                    "code": item.code,
                    "title": item.title,
                    "category": item.category,
                    **({"pending": verdict.pending} if verdict.pending else {}),
                }
            )
        else:
            excluded.append({"code": item.code, "title": item.title, "reason": verdict.reason})
        # As in a new assessment: every item that applies is still open.
        states.append(triggers.ItemState(item.code, item.category, "open", "Open", verdict.applies))
    pack_facts = triggers.PackFacts(
        chapters=tuple(
            triggers.ChapterStatus(
                chapter,
                label,
                scenario.signatures.get(chapter, "unknown"),
                _STATUS_LABELS[scenario.signatures.get(chapter, "unknown")],
            )
            for chapter, label in _CHAPTER_LABELS.items()
        ),
        items=tuple(states),
        derived=derived,
        country=country_name or scenario.country,
        mdf=mdf,
    )
    pack = packs.assemble(clauses, pack_facts)
    return {
        "today": scenario.today.isoformat(),
        "facts": derived.as_dict(),
        "evidence": {
            category: applicability.EVIDENCE_MODE_LABELS[mode]
            for category, mode in applicability.evidence_modes(derived).items()
        },
        "checklist": {"applicable": applicable, "excluded": excluded},
        "clauses": {
            "selected": [_clause(entry) for entry in pack.included],
            "not_selected": [_clause(entry) for entry in pack.not_selected],
        },
    }


def _clause(entry):
    return {
        "key": entry.clause.key,
        "title": entry.clause.title,
        "legal_basis": entry.clause.legal_basis,
        "reason": entry.selection.reason,
    }


def differences(before, after):
    """What changes from one explanation to another: facts, items and clauses that move."""
    facts = [
        {
            "fact": change.label,
            "before": change.before,
            "after": change.after,
            "explanation": change.explanation,
        }
        for change in vendor_facts.facts_changes(before["facts"], after["facts"])
    ]

    def codes(explanation, part):
        return {row["code"]: row for row in explanation["checklist"][part]}

    def keys(explanation, part):
        return {row["key"]: row for row in explanation["clauses"][part]}

    was_applicable, now_applicable = codes(before, "applicable"), codes(after, "applicable")
    now_excluded = codes(after, "excluded")
    was_selected, now_selected = keys(before, "selected"), keys(after, "selected")
    now_not_selected = keys(after, "not_selected")
    return {
        "facts": facts,
        "items_now_apply": [
            row for code, row in now_applicable.items() if code not in was_applicable
        ],
        "items_no_longer_apply": [
            row for code, row in now_excluded.items() if code in was_applicable
        ],
        "clauses_added": [row for key, row in now_selected.items() if key not in was_selected],
        "clauses_dropped": [row for key, row in now_not_selected.items() if key in was_selected],
    }
