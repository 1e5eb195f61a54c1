"""The trigger table: which facts select which clause, and the reason given for it."""

import datetime

import pytest

from contracts.triggers import (
    ChapterStatus,
    ItemState,
    MdfState,
    PackFacts,
    Selection,
    Trigger,
    TriggerKind,
    evaluate,
    param_error,
)
from vendors.facts import ModelFacts, SystemicRisk, derive

LABELS = {
    "transparency": "Transparency",
    "copyright": "Copyright",
    "safety_security": "Safety and Security",
}
STATUS_LABELS = {
    "signed": "Signed",
    "not_signed": "Not signed",
    "declined": "Declined",
    "withdrawn": "Withdrawn",
    "unknown": "Unknown",
    "open": "Open",
    "requested": "Requested",
    "received": "Received",
    "accepted": "Accepted",
    "gap": "Gap",
    "not_applicable": "Not applicable",
}
CATEGORY = {"DOC": "documentation", "CPY": "copyright", "SAF": "safety_security"}


def chapters(**statuses):
    """All three chapters signed, except those given."""
    return tuple(
        ChapterStatus(
            chapter,
            label,
            statuses.get(chapter, "signed"),
            STATUS_LABELS[statuses.get(chapter, "signed")],
        )
        for chapter, label in LABELS.items()
    )


def items(**statuses):
    """DOC-10, DOC-11, DOC-14, CPY-05, SAF-17 accepted, except those given; 'na' = not applicable."""
    codes = ["DOC-10", "DOC-11", "DOC-14", "CPY-05", "SAF-17"]
    result = []
    for code in codes:
        status = statuses.get(code.replace("-", "_"), "accepted")
        applicable = status != "na"
        status = "open" if status == "na" else status
        result.append(
            ItemState(code, CATEGORY[code[:3]], status, STATUS_LABELS[status], applicable)
        )
    return tuple(result)


TODAY = datetime.date(2026, 9, 1)
# A model known to be below the systemic-risk threshold, from a supplier in the Union.
BASE_MODEL = {"training_compute_flop": 10**24}
OPEN_RELEASE = {
    "open_licence": True,
    "weights_public": True,
    "architecture_public": True,
    "usage_info_public": True,
}
BASE = PackFacts(
    chapters=chapters(), items=items(), derived=derive(ModelFacts(**BASE_MODEL)), country="France"
)


def facts(model=None, **changes):
    """BASE with some pack facts changed; `model` changes the model's facts before deriving."""
    if model is not None:
        changes["derived"] = derive(ModelFacts(**{**BASE_MODEL, **model}), TODAY, with_buyer=True)
    return PackFacts(**{**BASE.__dict__, **changes})


CASES = [
    # (trigger kind, parameter, facts, selected, reason)
    ("always", "", BASE, True, "Standard clause for every general-purpose AI model supplier"),
    # A chapter not signed, with the status behind it.
    (
        "chapter_not_signed",
        "copyright",
        facts(chapters=chapters(copyright="not_signed")),
        True,
        "Copyright chapter not signed (status: Not signed)",
    ),
    (
        "chapter_not_signed",
        "copyright",
        facts(chapters=chapters(copyright="declined")),
        True,
        "Copyright chapter not signed (status: Declined)",
    ),
    (
        "chapter_not_signed",
        "copyright",
        facts(chapters=chapters(copyright="withdrawn")),
        True,
        "Copyright chapter not signed (status: Withdrawn)",
    ),
    (
        "chapter_not_signed",
        "copyright",
        facts(chapters=chapters(copyright="unknown")),
        True,
        "Copyright chapter not signed (status: Unknown)",
    ),
    ("chapter_not_signed", "copyright", BASE, False, "Copyright chapter signed"),
    (
        "chapter_not_signed",
        "copyright",
        facts(chapters=()),
        True,
        "Copyright chapter not signed (status: Unknown)",
    ),
    (
        "chapter_not_signed",
        "transparency",
        facts(chapters=chapters(transparency="not_signed")),
        True,
        "Transparency chapter not signed (status: Not signed)",
    ),
    # The Transparency chapter does not cover exempt open source (Art. 53(2)).
    (
        "chapter_not_signed",
        "transparency",
        facts(chapters=chapters(transparency="not_signed"), model=OPEN_RELEASE),
        False,
        "Transparency chapter not signed (status: Not signed), but the model is exempt open source (Art. 53(2))",
    ),
    # Safety and Security matters only for systemic-risk models (Art. 55).
    (
        "chapter_not_signed",
        "safety_security",
        facts(chapters=chapters(safety_security="declined")),
        False,
        "Safety and Security chapter not signed (status: Declined), but the model has no systemic risk",
    ),
    # Unknown stays unknown: no "other means" text that asserts systemic risk.
    (
        "chapter_not_signed",
        "safety_security",
        facts(chapters=chapters(safety_security="declined"), model={"training_compute_flop": None}),
        False,
        "Safety and Security chapter not signed (status: Declined); it matters only with "
        "systemic risk, whose status is not known",
    ),
    (
        "chapter_not_signed",
        "safety_security",
        facts(
            chapters=chapters(safety_security="declined"),
            model={"systemic_risk_status": SystemicRisk.NOTIFIED},
        ),
        True,
        "Safety and Security chapter not signed (status: Declined)",
    ),
    # One item by code.
    ("item_gap", "DOC-11", facts(items=items(DOC_11="gap")), True, "DOC-11 is a gap"),
    (
        "item_gap",
        "DOC-11",
        facts(items=items(DOC_11="requested")),
        False,
        "DOC-11 is not a gap (status: Requested)",
    ),
    (
        "item_gap",
        "DOC-11",
        facts(items=items(DOC_11="na")),
        False,
        "DOC-11 does not apply to this model",
    ),
    ("item_gap", "DOC-99", BASE, False, "DOC-99 is not in this assessment's checklist"),
    (
        "item_open",
        "DOC-11",
        facts(items=items(DOC_11="open")),
        True,
        "DOC-11 is still open (status: Open)",
    ),
    (
        "item_open",
        "DOC-11",
        facts(items=items(DOC_11="requested")),
        True,
        "DOC-11 is still open (status: Requested)",
    ),
    (
        "item_open",
        "DOC-11",
        facts(items=items(DOC_11="received")),
        True,
        "DOC-11 is still open (status: Received)",
    ),
    (
        "item_open",
        "DOC-11",
        facts(items=items(DOC_11="gap")),
        False,
        "DOC-11 is no longer open (status: Gap)",
    ),
    ("item_open", "DOC-11", BASE, False, "DOC-11 is no longer open (status: Accepted)"),
    # Items by category.
    (
        "item_open",
        "documentation",
        facts(items=items(DOC_10="open", DOC_11="requested", DOC_14="received", CPY_05="open")),
        True,
        "3 documentation items open: DOC-10, DOC-11, DOC-14",
    ),
    (
        "item_open",
        "documentation",
        facts(items=items(DOC_14="open")),
        True,
        "1 documentation item open: DOC-14",
    ),
    (
        "item_open",
        "documentation",
        facts(items=items(CPY_05="open")),
        False,
        "No documentation item is still open",
    ),
    (
        "item_open",
        "documentation",
        facts(items=items(DOC_10="na")),
        False,
        "No documentation item is still open",
    ),
    (
        "item_gap",
        "copyright",
        facts(items=items(CPY_05="gap")),
        True,
        "1 copyright item is a gap: CPY-05",
    ),
    (
        "item_gap",
        "safety_security",
        facts(items=items(DOC_11="gap")),
        False,
        "No safety and security item is a gap",
    ),
    # Any item.
    (
        "item_gap",
        "",
        facts(items=items(DOC_11="gap", CPY_05="gap", SAF_17="gap")),
        True,
        "3 items are gaps: DOC-11, CPY-05, SAF-17",
    ),
    ("item_gap", "", BASE, False, "No item is a gap"),
    (
        "item_open",
        "",
        facts(items=items(DOC_10="open", SAF_17="requested")),
        True,
        "2 items open: DOC-10, SAF-17",
    ),
    # Facts about the model and the supplier.
    (
        "systemic_risk",
        "",
        facts(model={"systemic_risk_status": SystemicRisk.NOTIFIED}),
        True,
        "Model with systemic risk (Art. 51(1)(a), Art. 52(1))",
    ),
    ("systemic_risk", "", BASE, False, "No systemic risk (Art. 51(1)-(2), Art. 52)"),
    (
        "systemic_risk",
        "",
        facts(model={"training_compute_flop": None}),
        False,
        "Systemic-risk status not known",
    ),
    (
        "systemic_risk_undetermined",
        "",
        facts(model={"training_compute_flop": None}),
        True,
        "Systemic-risk status not known: the supplier must state it",
    ),
    ("systemic_risk_undetermined", "", BASE, False, "Systemic-risk status known"),
    (
        "open_source_exempt",
        "",
        facts(model=OPEN_RELEASE),
        True,
        "The open-source exemption holds (Art. 53(2))",
    ),
    (
        "open_source_exempt",
        "",
        facts(model={**OPEN_RELEASE, "training_compute_flop": None}),
        False,
        "Open-source exemption cannot be decided yet: systemic-risk status not known",
    ),
    ("open_source_exempt", "", BASE, False, "The open-source exemption does not apply"),
    # The first library's kind now means the same: selected only when the exemption holds.
    (
        "open_source_claimed",
        "",
        facts(model={**OPEN_RELEASE, "monetised": True, "claims_open_source_exemption": True}),
        False,
        "Open-source exemption relied on, but it does not hold",
    ),
    (
        "not_open_source_exempt",
        "",
        facts(model=OPEN_RELEASE),
        False,
        "The open-source exemption holds (Art. 53(2))",
    ),
    ("not_open_source_exempt", "", BASE, True, "The open-source exemption does not apply"),
    (
        "open_source_claim_fails",
        "",
        facts(model={"claims_open_source_exemption": True, "monetised": True, **OPEN_RELEASE}),
        True,
        "Open-source claim fails: Released openly, but monetised releases do not qualify.",
    ),
    (
        "open_source_claim_fails",
        "",
        facts(model={"claims_open_source_exemption": True}),
        True,
        "Open-source claim fails: Not all open-source release conditions are met: missing a "
        "free and open-source licence, public weights, public architecture information and "
        "public usage information.",
    ),
    ("open_source_claim_fails", "", BASE, False, "The open-source exemption is not relied on"),
    (
        "open_source_claim_fails",
        "",
        facts(model=OPEN_RELEASE),
        False,
        "The open-source exemption holds (Art. 53(2))",
    ),
    (
        "provider_outside_eu",
        "",
        facts(model={"provider_in_eu": False}, country="United States of America"),
        True,
        "Provider established outside the Union (United States of America)",
    ),
    ("provider_outside_eu", "", BASE, False, "Provider established in the Union (France)"),
    (
        "representative_needed",
        "",
        facts(model={"provider_in_eu": False}, country="United States of America"),
        True,
        "Authorised representative needed (United States of America) (Art. 54)",
    ),
    # Art. 54(6): not for exempt open source.
    (
        "representative_needed",
        "",
        facts(model={"provider_in_eu": False, **OPEN_RELEASE}, country="United States of America"),
        False,
        "No representative needed: exempt open source (Art. 54(6)) (United States of America)",
    ),
    ("representative_needed", "", BASE, False, "Provider established in the Union (France)"),
    (
        "legacy_model",
        "",
        facts(model={"placed_on_market": datetime.date(2024, 5, 13)}),
        True,
        "Placed on the EU market on 13 May 2024, before 2 Aug 2025",
    ),
    (
        "legacy_model",
        "",
        facts(model={"placed_on_market": datetime.date(2025, 8, 1)}),
        True,
        "Placed on the EU market on 1 Aug 2025, before 2 Aug 2025",
    ),
    (
        "legacy_model",
        "",
        facts(model={"placed_on_market": datetime.date(2025, 8, 2)}),
        False,
        "Placed on the EU market on 2 Aug 2025, not a legacy model",
    ),
    ("legacy_model", "", BASE, False, "Date first placed on the EU market not recorded"),
    (
        "not_legacy_model",
        "",
        facts(model={"placed_on_market": datetime.date(2024, 5, 13)}),
        False,
        "Legacy model, placed on 13 May 2024: compliance due by 2 Aug 2027",
    ),
    (
        "not_legacy_model",
        "",
        facts(model={"placed_on_market": datetime.date(2025, 8, 2)}),
        True,
        "Placed on the EU market on 2 Aug 2025, not a legacy model",
    ),
    ("not_legacy_model", "", BASE, True, "Date first placed on the EU market not recorded"),
    (
        "modification",
        "",
        facts(
            model={
                "modifies": "Base 1 by Upstream Ltd",
                "upstream_compute_flop": 3 * 10**24,
                "modification_compute_flop": 2 * 10**24,
            }
        ),
        True,
        "Modification of another model: the supplier is the provider of a new model",
    ),
    (
        "modification",
        "",
        facts(model={"modifies": "Base 1 by Upstream Ltd", "modification_compute_flop": 10**22}),
        True,
        "Modification of another model: the one-third test cannot be applied yet",
    ),
    ("modification", "", BASE, False, "Not recorded as a modification of another model"),
    (
        "buyer_may_become_provider",
        "",
        facts(model={"buyer_plans_fine_tuning": True, "buyer_fine_tuning_flop": 5 * 10**23}),
        True,
        "The buyer's planned fine-tuning exceeds a third of the compute",
    ),
    (
        "buyer_may_become_provider",
        "",
        facts(model={"buyer_plans_fine_tuning": True, "buyer_fine_tuning_flop": 10**23}),
        False,
        "The buyer's fine-tuning plans do not make it a provider",
    ),
    (
        "buyer_may_become_provider",
        "",
        facts(model={"buyer_plans_fine_tuning": True, "training_compute_flop": None}),
        True,
        "The buyer plans fine-tuning; the one-third test is open",
    ),
    # The supplier's current confirmed Model Documentation Form, and what it lacks.
    (
        "mdf_downstream_missing",
        "",
        facts(mdf=MdfState("2.1", ("1.2 Release date", "2.3 Input modalities"))),
        True,
        "Model Documentation Form 2.1: 2 downstream-provider fields missing or incomplete "
        "(1.2 Release date, 2.3 Input modalities)",
    ),
    (
        "mdf_downstream_missing",
        "",
        facts(mdf=MdfState("2.1", ("1.2 Release date",))),
        True,
        "Model Documentation Form 2.1: 1 downstream-provider field missing or incomplete "
        "(1.2 Release date)",
    ),
    (
        "mdf_downstream_missing",
        "",
        facts(mdf=MdfState("2.2")),
        False,
        "Model Documentation Form 2.2: downstream fields complete",
    ),
    # No form at all: the clause on information for downstream providers asks for it.
    (
        "mdf_downstream_missing",
        "",
        BASE,
        False,
        "No confirmed Model Documentation Form recorded for the model",
    ),
    # Art. 53(2): nothing is owed by law to integrators of an exempt open-source model.
    (
        "mdf_downstream_missing",
        "",
        facts(model=OPEN_RELEASE, mdf=MdfState("2.1", ("1.2 Release date",))),
        False,
        "The open-source exemption holds (Art. 53(2)): integrator information is contractual",
    ),
    # A failing exemption claim leaves the duty in place.
    (
        "mdf_downstream_missing",
        "",
        facts(
            model={**OPEN_RELEASE, "monetised": True, "claims_open_source_exemption": True},
            mdf=MdfState("2.1", ("1.2 Release date",)),
        ),
        True,
        "Model Documentation Form 2.1: 1 downstream-provider field missing or incomplete "
        "(1.2 Release date)",
    ),
]


@pytest.mark.parametrize(("kind", "param", "pack_facts", "selected", "reason"), CASES)
def test_trigger_selects_with_the_reason_behind_it(kind, param, pack_facts, selected, reason):
    assert evaluate(Trigger(kind, param), pack_facts) == Selection(selected, reason)


def test_every_trigger_kind_is_in_the_table():
    assert {case[0] for case in CASES} == TriggerKind.VALUES


def test_long_lists_of_items_are_cut():
    many = tuple(ItemState(f"DOC-{n:02d}", "documentation", "open", "Open") for n in range(1, 13))
    selection = evaluate(Trigger("item_open", "documentation"), PackFacts(items=many))
    assert selection.reason == (
        "12 documentation items open: DOC-01, DOC-02, DOC-03, DOC-04, DOC-05, DOC-06, DOC-07, "
        "DOC-08 and 4 more"
    )


def test_unknown_trigger_kind_is_an_error():
    with pytest.raises(ValueError, match="nonsense"):
        evaluate(Trigger("nonsense"), BASE)


CHAPTERS = frozenset(LABELS)
CATEGORIES = frozenset(CATEGORY.values())


@pytest.mark.parametrize(
    ("kind", "param", "error"),
    [
        ("always", "", ""),
        ("always", "copyright", "takes no parameter"),
        ("systemic_risk", "x", "takes no parameter"),
        ("chapter_not_signed", "copyright", ""),
        ("chapter_not_signed", "safety_security", ""),
        (
            "chapter_not_signed",
            "",
            "Name the chapter: one of copyright, safety_security, transparency.",
        ),
        ("chapter_not_signed", "Copyright", "Name the chapter"),
        ("chapter_not_signed", "documentation", "Name the chapter"),
        ("item_gap", "DOC-11", ""),
        ("item_gap", "TST-001", ""),
        ("item_gap", "copyright", ""),
        ("item_gap", "", ""),
        ("item_open", "doc-11", "neither an item code such as DOC-11 nor a category"),
        ("item_open", "DOC11", "neither an item code"),
        ("item_open", "transparency", "neither an item code"),
        ("item_open", "DOC-11; DROP TABLE", "neither an item code"),
        ("made_up", "", "Unknown trigger"),
    ],
)
def test_trigger_parameters_are_validated(kind, param, error):
    result = param_error(kind, param, chapters=CHAPTERS, categories=CATEGORIES)
    if error:
        assert error in result
    else:
        assert result == ""
