"""What is present, missing, contractual or stale in an MDF version: tables of cases."""

import datetime

import pytest

from documentation import completeness
from documentation.completeness import FieldSpec, State

TODAY = datetime.date(2026, 12, 1)
NAME = FieldSpec("provider-legal-name", "1.1", "General", "Legal name", ("aio", "nca", "dp"))
DEPS = FieldSpec(
    "model-dependencies", "1.6", "General", "Dependencies", ("aio", "nca", "dp"), na_allowed=True
)
ARCH = FieldSpec("architecture", "2.1", "Properties", "Architecture", ("aio", "nca", "dp"))
PARAMS = FieldSpec(
    "parameters",
    "2.9",
    "Properties",
    "Parameters",
    ("aio", "nca"),
    kind="number",
    significant_figures=True,
)
ENERGY = FieldSpec(
    "training-energy",
    "8.1",
    "Energy",
    "Energy",
    ("aio", "nca"),
    kind="number",
    significant_figures=True,
    na_allowed=True,
)
RANGE = FieldSpec(
    "parameter-range",
    "2.9",
    "Properties",
    "Range",
    ("dp",),
    kind="choice",
    choices=("5-15B", "15-50B"),
)
RELEASE = FieldSpec("release-date", "1.4", "General", "Release", ("dp",), kind="date")
SPECS = [NAME, DEPS, ARCH, PARAMS, ENERGY]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7.3e10", (7.3e10, 2)),
        ("7.3×10^10", (7.3e10, 2)),
        ("7.3 x 10^10", (7.3e10, 2)),
        ("73,000,000,000", (7.3e10, 2)),
        ("70000000000", (7e10, 1)),
        ("1e25", (1e25, 1)),
        ("1.0e25", (1e25, 2)),
        ("5.1E+17 FLOP", (5.1e17, 2)),
        ("1200 MWh", (1200, 2)),
    ],
)
def test_numbers_and_their_significant_figures(text, expected):
    value, figures = completeness.parse_number(text)
    assert (float(value), figures) == expected


@pytest.mark.parametrize("text", ["", "about a trillion", "1e", "--5"])
def test_text_that_is_not_a_number(text):
    assert completeness.parse_number(text) is None


@pytest.mark.parametrize(
    ("spec", "value", "na", "problem"),
    [
        (NAME, "", True, "does not allow N/A"),
        (DEPS, "", True, ""),
        (PARAMS, "7e10", False, "two significant figures"),
        (PARAMS, "7.3e10", False, ""),
        (PARAMS, "many", False, "Not a number"),
        (ENERGY, "", True, ""),
        (RANGE, "15-50B", False, ""),
        (RANGE, "huge", False, "Not one of the form's choices"),
        (RELEASE, "2025-03-17", False, ""),
        (RELEASE, "March 2025", False, "Not a date"),
    ],
)
def test_value_problems(spec, value, na, problem):
    found = completeness.value_problem(spec, value, na)
    assert (problem in found) if problem else found == ""


def _assess(values, **kwargs):
    options = {"last_updated": datetime.date(2026, 6, 1), "today": TODAY, **kwargs}
    return completeness.assess(SPECS, values, **options)


def test_downstream_fields_are_present_or_missing_and_authority_fields_contractual():
    result = _assess({"provider-legal-name": ("Mistral AI SAS", False)})
    states = {row.spec.key: row.state for row in result.fields}
    assert states == {
        "provider-legal-name": State.PRESENT,
        "model-dependencies": State.MISSING,
        "architecture": State.MISSING,
        "parameters": State.CONTRACTUAL,
        "training-energy": State.CONTRACTUAL,
    }
    assert (result.downstream_present, result.downstream_total) == (1, 3)
    assert [spec.key for spec in result.missing] == ["model-dependencies", "architecture"]
    assert [spec.key for spec in result.contractual] == ["parameters", "training-energy"]


def test_authority_fields_are_never_missing_even_when_wrong():
    result = _assess({"parameters": ("7e10", False)})
    assert result.fields[3].state == State.CONTRACTUAL
    assert "parameters" not in [spec.key for spec in result.missing]


def test_authority_fields_given_count_as_received():
    result = _assess({"parameters": ("7.3e10", False), "training-energy": ("", True)})
    assert {row.state for row in result.fields[3:]} == {State.RECEIVED_EXTRA}


def test_na_where_not_allowed_is_incomplete():
    result = _assess(
        {
            "provider-legal-name": ("", True),
            "model-dependencies": ("", True),
            "architecture": ("Transformer", False),
        }
    )
    assert result.fields[0].state == State.INVALID
    assert result.fields[1].state == State.PRESENT
    assert [spec.key for spec in result.missing] == ["provider-legal-name"]


def test_answer_due_14_days_after_the_request_and_overdue_while_fields_are_missing():
    result = _assess({}, requested_on=datetime.date(2026, 11, 10))
    assert result.answer_due == datetime.date(2026, 11, 24)
    assert result.overdue
    complete = {
        "provider-legal-name": ("A", False),
        "model-dependencies": ("", True),
        "architecture": ("B", False),
    }
    result = _assess(complete, requested_on=datetime.date(2026, 11, 10))
    assert result.downstream_complete and not result.overdue


def test_no_due_date_without_a_request():
    assert _assess({}).answer_due is None


@pytest.mark.parametrize(
    ("last_updated", "newest", "stale_after", "stale"),
    [
        (datetime.date(2026, 6, 1), None, 365, False),
        (datetime.date(2025, 11, 1), None, 365, True),
        (datetime.date(2026, 6, 1), datetime.date(2026, 7, 1), 365, True),
        (datetime.date(2026, 6, 1), datetime.date(2026, 6, 1), 365, False),
        (datetime.date(2026, 6, 1), None, 90, True),
    ],
)
def test_stale_rules(last_updated, newest, stale_after, stale):
    result = _assess(
        {}, last_updated=last_updated, newest_model_date=newest, stale_after_days=stale_after
    )
    assert result.stale is stale


def test_email_names_each_missing_field_and_the_due_date():
    text = completeness.request_email(
        model_name="Mistral Small 3.1",
        supplier_name="Mistral AI",
        missing=[DEPS, ARCH],
        answer_due=datetime.date(2026, 11, 24),
    )
    assert "- 1.6 Dependencies" in text and "- 2.1 Architecture" in text
    assert "24 November 2026" in text and "Measure 1.2" in text


@pytest.mark.parametrize(
    ("date", "shown"),
    [(datetime.date(2026, 12, 4), "4 Dec 2026"), (datetime.date(2026, 1, 31), "31 Jan 2026")],
)
def test_dates_in_hints_and_reasons_read_as_the_pages_show_them(date, shown):
    assert completeness.shown_date(date) == shown
    result = _assess(
        {},
        last_updated=date,
        today=date,
        newest_model_date=date + datetime.timedelta(days=1),
        requested_on=date - datetime.timedelta(days=14),
    )
    assert f"Last updated on {shown}," in result.stale_reasons[0]
    assert result.answer_due == date
