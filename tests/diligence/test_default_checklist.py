import re
from collections import Counter

import pytest

from diligence import default_checklist
from diligence.applicability import (
    AppliesTo,
    Category,
    Condition,
    ItemRule,
    applicability,
    split_items,
)
from vendors.facts import ModelFacts, open_source_exempt

ITEMS = default_checklist.ITEMS
PREFIX = {
    Category.DOCUMENTATION: "DOC",
    Category.COPYRIGHT: "CPY",
    Category.SAFETY_SECURITY: "SAF",
}
KEYS = {
    "code",
    "category",
    "title",
    "guidance",
    "evidence",
    "legal_basis",
    "code_ref",
    "applies_to",
    "condition",
    "required",
    "order",
}
EXEMPT_OPEN_SOURCE = ModelFacts(
    training_compute_flop=10**24,
    open_licence=True,
    weights_public=True,
    architecture_public=True,
    usage_info_public=True,
    claims_open_source_exemption=True,
    provider_in_eu=False,
)


def by_title(fragment):
    matches = [item for item in ITEMS if fragment in item["title"].lower()]
    assert matches, f"no item whose title mentions {fragment!r}"
    return matches


def test_checklist_has_between_45_and_60_items():
    assert 45 <= len(ITEMS) <= 60


def test_every_category_has_items():
    assert set(Counter(item["category"] for item in ITEMS)) == Category.VALUES


@pytest.mark.parametrize("item", ITEMS, ids=[item["code"] for item in ITEMS])
def test_item_is_well_formed(item):
    assert set(item) == KEYS
    assert re.fullmatch(r"(DOC|CPY|SAF)-\d{2}", item["code"])
    assert item["code"].startswith(PREFIX[item["category"]] + "-")
    assert item["applies_to"] in AppliesTo.VALUES
    assert item["condition"] in Condition.VALUES
    for field in ("title", "guidance", "evidence", "legal_basis"):
        assert item[field].strip(), f"{item['code']} has no {field}"
    assert len(item["title"]) <= 80
    assert isinstance(item["required"], bool)
    assert isinstance(item["order"], int)
    assert isinstance(item["code_ref"], str)


def test_codes_are_unique():
    duplicates = [code for code, n in Counter(i["code"] for i in ITEMS).items() if n > 1]
    assert duplicates == []


def test_orders_are_unique_and_follow_the_list():
    orders = [item["order"] for item in ITEMS]
    assert len(set(orders)) == len(orders)
    assert orders == sorted(orders)


def test_codes_are_numbered_without_gaps_per_category():
    for prefix in PREFIX.values():
        numbers = [int(i["code"][4:]) for i in ITEMS if i["code"].startswith(prefix)]
        assert numbers == list(range(1, len(numbers) + 1))


def test_rules_match_items():
    rules = default_checklist.rules()

    assert [rule.code for rule in rules] == [item["code"] for item in ITEMS]
    assert rules[0] == ItemRule(
        ITEMS[0]["code"], ITEMS[0]["category"], ITEMS[0]["applies_to"], ITEMS[0]["condition"]
    )


def test_copyright_and_training_summary_apply_to_exempt_open_source():
    # Art. 53(2) lifts only points (a) and (b); the copyright policy and summary stay (recital 104).
    assert open_source_exempt(EXEMPT_OPEN_SOURCE)
    applicable, _ = split_items(default_checklist.rules(), EXEMPT_OPEN_SOURCE)
    applicable_codes = {rule.code for rule in applicable}

    copyright_codes = {i["code"] for i in ITEMS if i["category"] == Category.COPYRIGHT}
    summary_codes = {
        i["code"] for i in by_title("training summary") + by_title("summary of training")
    }
    assert copyright_codes <= applicable_codes
    assert summary_codes <= applicable_codes


def test_exempt_open_source_skips_documentation_representative_and_systemic_items():
    _, not_applicable = split_items(default_checklist.rules(), EXEMPT_OPEN_SOURCE)
    skipped = {rule.code for rule, _reason in not_applicable}

    exempted = {i["code"] for i in ITEMS if i["applies_to"] != AppliesTo.ALL_GPAI}
    assert exempted <= skipped
    assert {i["code"] for i in by_title("authorised representative")} <= skipped


def test_open_source_claim_is_checked_on_every_condition():
    claim_items = [i for i in ITEMS if i["condition"] == Condition.CLAIMS_OPEN_SOURCE_EXEMPTION]
    titles = " ".join(i["title"].lower() for i in claim_items)

    for condition in ("licence", "weights", "architecture", "usage", "monetised"):
        assert condition in titles
    assert all(i["applies_to"] == AppliesTo.ALL_GPAI for i in claim_items)


def test_representative_item_is_gated_like_art_54():
    (item,) = by_title("authorised representative")

    assert item["applies_to"] == AppliesTo.NOT_WHEN_OPEN_SOURCE_EXEMPT
    assert item["condition"] == Condition.PROVIDER_OUTSIDE_EU


def test_legacy_model_has_a_compliance_plan_item():
    legacy_items = [i for i in ITEMS if i["condition"] == Condition.LEGACY_MODEL]

    assert len(legacy_items) == 1
    assert "Art. 111(3)" in legacy_items[0]["legal_basis"]


def test_ordinary_model_gets_no_conditional_or_systemic_items():
    ordinary = ModelFacts(training_compute_flop=10**24)
    applicable, _ = split_items(default_checklist.rules(), ordinary)

    for rule in applicable:
        assert rule.condition == Condition.NONE
        assert rule.applies_to != AppliesTo.SYSTEMIC_RISK_ONLY
        assert applicability(rule, ordinary).applies


def test_safety_items_are_only_for_systemic_risk():
    for item in ITEMS:
        if item["category"] == Category.SAFETY_SECURITY:
            assert item["applies_to"] == AppliesTo.SYSTEMIC_RISK_ONLY, item["code"]
