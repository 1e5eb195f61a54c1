"""The model page, the checklist and the clause pack never disagree: a property-based test.

Hypothesis generates suppliers, models, signatures, modifications and the buyer's plans, derives
the facts once (`vendors.facts.derive`), applies the default checklist (v2) and assembles the
default clause library (v3), with item statuses and the supplier's Model Documentation Form
drawn at random. For every combination:

1. The open-source exemption never holds while systemic risk is yes or undetermined.
2. Systemic-risk items are excluded only when systemic risk is positively "no"; while it is
   undetermined they apply, marked pending, and no reason anywhere says "no systemic risk".
3. No clause warrants a fact the derived facts deny: the systemic-risk clauses need systemic
   risk, the open-source clause needs the exemption, the legacy wording needs a legacy model and
   the present-tense warranties a model that is not, the statutory information-for-integrators
   clause needs the exemption not to hold and its contractual twin needs it to hold.
4. The representative clause is selected, and the representative item applies, exactly when
   the derived facts say a representative is needed (Art. 54(1), (6)).
5. The clause asking for the systemic-risk status is selected exactly when it is undetermined;
   the "claim fails" clause exactly when the exemption is relied on and does not hold.
6. The open-source claim checks (DOC-04 to DOC-08) apply exactly when the exemption would be
   relied on; the documentation items are excluded exactly when the exemption holds.
7. "Other adequate means" clauses appear only for chapters that apply and are not signed.
8. The pack covers the training summary once: in present-tense or in legacy wording.
9. The page shows "undetermined" exactly for the findings that are undetermined.
10. The clause naming missing Model Documentation Form fields appears exactly when a confirmed
    form lacks downstream-provider fields and the exemption does not hold, and then always
    beside the statutory information clause it builds on, never beside its contractual twin.

Bounded and fast: a few hundred examples, derandomised on CI so a run is reproducible.
"""

import datetime
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from contracts import default_clauses
from contracts.packs import assemble
from contracts.triggers import ChapterStatus, ItemState, MdfState, PackFacts
from diligence import default_checklist
from diligence.applicability import AppliesTo, ItemRule, applicability
from vendors.facts import Answer, ModelFacts, SystemicRisk, derive

CHECKLIST = default_checklist.load(2)["items"]
RULES = [ItemRule(i["code"], i["category"], i["applies_to"], i["condition"]) for i in CHECKLIST]
CLAUSES = [
    SimpleNamespace(
        active=True, **{k: c[k] for k in ("key", "title", "trigger_kind", "trigger_param")}
    )
    for c in default_clauses.load(3)["clauses"]
]
CLAIM_CHECKS = {"DOC-04", "DOC-05", "DOC-06", "DOC-07", "DOC-08"}
CHAPTERS = {
    "transparency": "Transparency",
    "copyright": "Copyright",
    "safety_security": "Safety and Security",
}
SYSTEMIC_CLAUSES = {
    "serious-incidents",
    "model-report-summaries",
    "cybersecurity",
    "other-means-safety",
}
LEGACY_CLAUSES = {"legacy-model", "training-summary-legacy", "copyright-legacy"}
PRESENT_TENSE_CLAUSES = {"training-summary", "copyright-policy", "tdm-opt-outs"}
OTHER_MEANS = {
    "other-means-transparency": "transparency",
    "other-means-copyright": "copyright",
    "other-means-safety": "safety_security",
}
TODAY = datetime.date(2026, 12, 1)


# The edges get more weight than their share of the space: no figure at all, an open release
# with every condition met, an unknown status.
computes = st.one_of(
    st.none(),
    st.none(),
    st.sampled_from([10**22, 10**23, 10**24, 3 * 10**24, 10**25, 10**25 + 1, 4 * 10**25]),
    st.integers(min_value=1, max_value=10**26),
)
dates = st.one_of(
    st.none(),
    st.sampled_from(
        [datetime.date(2024, 5, 1), datetime.date(2025, 8, 1), datetime.date(2025, 8, 2)]
    ),
    st.dates(min_value=datetime.date(2023, 1, 1), max_value=TODAY),
)


@st.composite
def model_facts(draw):
    country = draw(st.sampled_from(["FR", "DE", "NO", "IS", "US", "CH", "CN", "GB"]))
    modified = draw(st.booleans())
    open_release = draw(st.booleans())
    flags = [open_release or draw(st.booleans()) for _ in range(4)]
    statuses = [SystemicRisk.UNKNOWN] * 4 + [value for value, _ in SystemicRisk.CHOICES]
    return ModelFacts(
        training_compute_flop=draw(computes),
        systemic_risk_status=draw(st.sampled_from(statuses)),
        systemic_risk_decided_on=draw(st.one_of(st.none(), st.just(datetime.date(2026, 3, 2)))),
        systemic_risk_source=draw(st.sampled_from(["", "https://example.org/decision"])),
        open_licence=flags[0],
        weights_public=flags[1],
        architecture_public=flags[2],
        usage_info_public=flags[3],
        monetised=draw(st.sampled_from([False, False, True])),
        claims_open_source_exemption=draw(st.booleans()),
        provider_in_eu=country in {"FR", "DE"},
        provider_country=country,
        placed_on_market=draw(dates),
        signed_chapters=frozenset(draw(st.sets(st.sampled_from(sorted(CHAPTERS))))),
        modifies="Base 1 by Upstream Ltd" if modified else "",
        upstream_compute_flop=draw(computes) if modified else None,
        modification_compute_flop=draw(computes) if modified else None,
        upstream_systemic_risk=draw(st.sampled_from([None, *Answer.LABELS])) if modified else None,
        buyer_plans_fine_tuning=draw(st.booleans()),
        buyer_fine_tuning_flop=draw(computes),
    )


# No form recorded, a complete one, or one lacking some downstream-provider fields.
mdf_states = st.one_of(
    st.none(),
    st.builds(
        MdfState,
        version=st.sampled_from(["1.0", "2025-08"]),
        missing=st.lists(
            st.sampled_from(["1.1 Model name", "2.1 Intended tasks", "3.2 Input modalities"]),
            unique=True,
            max_size=3,
        ).map(tuple),
    ),
)


def _pack(facts, derived, statuses, mdf=None):
    verdicts = {rule.code: applicability(rule, derived) for rule in RULES}
    items = tuple(
        ItemState(rule.code, rule.category, status, status.title(), verdicts[rule.code].applies)
        for rule, status in zip(RULES, statuses, strict=True)
    )
    chapters = tuple(
        ChapterStatus(c, label, "signed" if c in facts.signed_chapters else "not_signed", "")
        for c, label in CHAPTERS.items()
    )
    pack = assemble(CLAUSES, PackFacts(chapters, items, derived, "Somewhere", mdf))
    return verdicts, pack


# Many more examples than the suite's profile gives (tests/conftest.py): each is a pure
# computation. Set here, on this test only: loading a profile would change every other
# property-based test of the run.
@settings(max_examples=400, deadline=None)
@given(
    facts=model_facts(),
    statuses=st.lists(
        st.sampled_from(["open", "requested", "gap", "accepted"]),
        min_size=len(RULES),
        max_size=len(RULES),
    ),
    mdf=mdf_states,
)
def test_facts_checklist_and_clause_pack_never_disagree(facts, statuses, mdf):
    derived = derive(facts, TODAY, with_buyer=True)
    systemic, exemption = derived.systemic_risk, derived.open_source
    verdicts, pack = _pack(facts, derived, statuses, mdf)
    selected = {entry.clause.key for entry in pack.included}
    reasons = [entry.selection.reason for entry in (*pack.included, *pack.not_selected)]
    reasons += [verdict.reason for verdict in verdicts.values()]

    # 1. Never exempt with systemic risk, nor while it is undetermined.
    if exemption.yes:
        assert systemic.no

    # 2. Unknown stays unknown.
    for rule in RULES:
        if rule.applies_to == AppliesTo.SYSTEMIC_RISK_ONLY:
            assert verdicts[rule.code].applies is (not systemic.no)
            assert bool(verdicts[rule.code].pending) is systemic.undetermined
    if not systemic.no:
        assert not any("no systemic risk" in reason.lower() for reason in reasons)
        assert not any("has none" in reason for reason in reasons)

    # 3. No clause warrants what the facts deny.
    if selected & SYSTEMIC_CLAUSES:
        assert systemic.yes
    if {"open-source-exemption", "downstream-information-contractual"} & selected:
        assert exemption.yes
    if "downstream-information" in selected:
        assert not exemption.yes
    if selected & LEGACY_CLAUSES:
        assert derived.legacy.yes
    if selected & PRESENT_TENSE_CLAUSES:
        assert not derived.legacy.yes

    # 4. The representative, on the page, in the checklist and in the pack.
    assert ("authorised-representative" in selected) is derived.representative.yes
    assert verdicts["DOC-21"].applies is derived.representative.yes
    if derived.provider_in_eu:
        assert derived.representative.no

    # 5. Asking for what is not known; saying when a claim fails.
    assert ("systemic-risk-status" in selected) is systemic.undetermined
    assert ("open-source-claim-fails" in selected) is (
        derived.exemption_relied_on and not exemption.yes
    )

    # 6. Claim checks whenever the exemption would be relied on; documentation unless exempt.
    for code in CLAIM_CHECKS:
        assert verdicts[code].applies is derived.exemption_relied_on
    for rule in RULES:
        if rule.applies_to == AppliesTo.NOT_WHEN_OPEN_SOURCE_EXEMPT and not rule.condition:
            assert verdicts[rule.code].applies is (not exemption.yes)

    # 7. Other adequate means only for chapters that apply and are not signed.
    for key, chapter in OTHER_MEANS.items():
        if key in selected:
            assert chapter not in facts.signed_chapters
            assert derived.chapter_applies(chapter) == Answer.YES

    # 8. The training summary, once.
    assert len({"training-summary", "training-summary-legacy"} & selected) == 1

    # 9. The page says "undetermined" exactly where the finding is undetermined.
    findings = {
        "Systemic risk": systemic,
        "Open-source exemption": exemption,
        "Authorised representative needed": derived.representative,
        "Legacy model": derived.legacy,
    }
    for row in derived.rows():
        if row.label in findings:
            assert (row.value is None) is findings[row.label].undetermined
    assert (derived.modification is not None) is facts.is_modification

    # 10. Missing form fields: owed by law only while the exemption does not hold.
    missing_fields = "downstream-fields-missing" in selected
    assert missing_fields is (mdf is not None and bool(mdf.missing) and not exemption.yes)
    if missing_fields:
        assert "downstream-information" in selected
        assert "downstream-information-contractual" not in selected
