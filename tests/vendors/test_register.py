"""The signatory register's pure parts: reading files, matching names, working out changes."""

import datetime
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from vendors import register
from vendors.register import (
    CERTAIN,
    NO_MATCH,
    UNCERTAIN,
    Candidate,
    Change,
    ChangeKind,
    Recorded,
    RegisterFileError,
    match_provider,
    parse_register,
)

AS_OF = datetime.date(2025, 12, 31)
LIST = "https://digital-strategy.ec.europa.eu/en/policies/contents-code-gpai"
HEADER = "provider,chapters,date,source_url,status,note\n"
SAMPLE = Path(__file__).resolve().parents[2] / "vendors" / "data" / "signatory-register-sample.csv"


def _parse(text, filename="register.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_register(data, filename=filename, as_of=AS_OF)


def _errors(text, filename="register.csv"):
    with pytest.raises(RegisterFileError) as raised:
        _parse(text, filename)
    return raised.value.messages


# Reading files ------------------------------------------------------------------------------


def test_reads_a_csv_with_comments_and_names_rows_by_their_line():
    rows = _parse(
        "# Sources: the Commission's list\n"
        "\n"
        + HEADER
        + f"Mistral AI,transparency;copyright;safety_security,2025-08-01,{LIST},,\n"
        + f'xAI,"Safety and Security",,{LIST},signed,Only this chapter\n'
        + "Meta,,2025-07-18,https://www.cnbc.com/2025/07/18/meta-europe-ai-code.html,declined,\n"
    )

    assert [(r.row_number, r.provider, r.status, r.chapters, r.date) for r in rows] == [
        (
            4,
            "Mistral AI",
            "signed",
            ("transparency", "copyright", "safety_security"),
            AS_OF.replace(month=8, day=1),
        ),
        (5, "xAI", "signed", ("safety_security",), None),
        (
            6,
            "Meta",
            "declined",
            ("transparency", "copyright", "safety_security"),
            datetime.date(2025, 7, 18),
        ),
    ]
    assert rows[1].note == "Only this chapter"


def test_reads_the_same_rows_from_json():
    rows = _parse(
        json.dumps(
            [
                {
                    "provider": "Mistral AI",
                    "chapters": ["transparency", "copyright"],
                    "date": "2025-08-01",
                    "source_url": LIST,
                },
                {
                    "Provider": "Meta",
                    "Chapters": [],
                    "Date": None,
                    "Source URL": LIST,
                    "Status": "declined",
                },
            ]
        ),
        filename="register.json",
    )
    assert [(r.row_number, r.provider, r.status, r.chapters) for r in rows] == [
        (1, "Mistral AI", "signed", ("transparency", "copyright")),
        (2, "Meta", "declined", ("transparency", "copyright", "safety_security")),
    ]


def test_reads_a_semicolon_separated_csv_with_a_byte_order_mark():
    rows = _parse(
        "\ufeffprovider;chapters;date;source_url\nMistral AI;all;2025-08-01;" + LIST + "\n"
    )
    assert rows[0].chapters == ("transparency", "copyright", "safety_security")


def test_the_sample_register_reads_without_errors_and_has_sources():
    rows = parse_register(SAMPLE.read_bytes(), filename=SAMPLE.name, as_of=AS_OF)

    assert len(rows) == 29
    by_name = {row.provider: row for row in rows}
    assert by_name["xAI"].chapters == ("safety_security",)
    assert by_name["Meta"].status == "declined"
    assert by_name["Mistral AI"].chapters == ("transparency", "copyright", "safety_security")
    assert all(row.source_url.startswith("https://") for row in rows)
    assert "Sources:" in SAMPLE.read_text()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "The file is empty."),
        ("   \n\n", "The file is empty."),
        ("# only a comment\n", "The file is empty: it has no header row and no rows."),
        (HEADER, "The file is empty: it has a header but no rows."),
        (
            "provider,chapters\nMistral AI,all\n",
            "Missing columns: date, source_url. The first row must name the columns provider, "
            "chapters, date, source_url (status and note are optional).",
        ),
        (
            "provider,provider,chapters,date,source_url\n",
            "The header names these columns twice: provider.",
        ),
    ],
)
def test_a_file_without_rows_or_columns_is_refused_whole(text, expected):
    assert _errors(text) == [expected]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (f",all,2025-08-01,{LIST},,", "Row 2, column provider: the provider's name is missing."),
        (
            f"Mistral AI,all,01/08/2025,{LIST},,",
            "Row 2, column date: “01/08/2025” is not a date; write it as YYYY-MM-DD, e.g. 2025-08-01.",
        ),
        (
            f"Mistral AI,all,2025-02-30,{LIST},,",
            "Row 2, column date: “2025-02-30” is not a date; write it as YYYY-MM-DD, e.g. 2025-08-01.",
        ),
        (
            f"Mistral AI,all,2026-01-05,{LIST},,",
            "Row 2, column date: 5 Jan 2026 is after the date of the list (31 Dec 2025).",
        ),
        (
            f"Mistral AI,all,2025-06-30,{LIST},,",
            "Row 2, column date: 30 Jun 2025 is before the Code was published (10 Jul 2025).",
        ),
        (
            "Mistral AI,all,2025-08-01,digital-strategy.ec.europa.eu,,",
            "Row 2, column source_url: “digital-strategy.ec.europa.eu” is not a web address (http:// or https://).",
        ),
        (
            "Mistral AI,all,2025-08-01,javascript:alert(1),,",
            "Row 2, column source_url: “javascript:alert(1)” is not a web address (http:// or https://).",
        ),
        (
            "Mistral AI,all,2025-08-01,,,",
            "Row 2, column source_url: the source is missing; give the address that shows this row.",
        ),
        (
            f"Mistral AI,transparency;privacy,2025-08-01,{LIST},,",
            "Row 2, column chapters: unknown chapter “privacy”; use transparency, copyright, safety_security or all.",
        ),
        (
            f"Mistral AI,,2025-08-01,{LIST},,",
            "Row 2, column chapters: name the chapters signed (transparency, copyright, safety_security).",
        ),
        (
            f"Mistral AI,all,2025-08-01,{LIST},maybe,",
            "Row 2, column status: “maybe” is not a status; use signed or declined (empty means signed).",
        ),
    ],
)
def test_a_bad_row_is_named_by_row_and_column(row, expected):
    assert _errors(HEADER + row + "\n") == [expected]


def test_a_row_with_more_values_than_columns_asks_for_quotes():
    errors = _errors(
        "provider,chapters,date,source_url\n"
        f"Mistral AI,transparency,copyright,2025-08-01,{LIST}\n"
        f"Aleph Alpha,all,2025-08-01,{LIST},,\n"  # empty cells at the end, as Excel writes them
    )
    assert errors == [
        "Row 2: 5 values, but the header names 4 columns. Put values that contain a “,” in "
        "double quotes."
    ]


def test_every_bad_row_is_reported_not_only_the_first():
    errors = _errors(
        HEADER
        + f"Mistral AI,all,2025-08-01,{LIST},,\n"
        + "Aleph Alpha,all,tomorrow,ftp://example.org,,\n"
        + f"Mistral AI SAS,all,2025-08-01,{LIST},,\n"
    )
    assert errors == [
        "Row 3, column date: “tomorrow” is not a date; write it as YYYY-MM-DD, e.g. 2025-08-01.",
        "Row 3, column source_url: “ftp://example.org” is not a web address (http:// or https://).",
        "Row 4, column provider: “Mistral AI SAS” is listed already in row 2.",
    ]


def test_many_errors_are_capped_with_a_count_of_the_rest():
    errors = _errors(HEADER + "".join(f"Provider {n},all,bad,{LIST},,\n" for n in range(30)))
    assert len(errors) == register.MAX_ERRORS_SHOWN + 1
    assert errors[-1] == "… and 10 more problems."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            "provider,chapters,date,source_url\nSoci\xe9t\xe9,all,,https://example.org\n".encode(
                "latin-1"
            ),
            "The file is not UTF-8 text (byte 0xe9 at position 38 cannot be read). Save it as "
            "UTF-8 (in Excel: “CSV UTF-8”) and import it again.",
        ),
        (
            b"provider\x00chapters",
            "The file contains binary data; import a CSV, JSON or HTML file.",
        ),
    ],
)
def test_a_file_in_another_encoding_is_refused(data, expected):
    assert _errors(data) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '{"signatories": []}',
            'The JSON file must be a list of rows, like [{"provider": "…", "chapters": […], '
            '"date": "2025-08-01", "source_url": "…"}]; it is an object.',
        ),
        ('"Mistral AI"', None),  # a string: read as CSV by content, has no columns
        ("[]", "The file is empty: the list has no rows."),
        ("[1, 2", "The file is not valid JSON: Expecting ',' delimiter (line 1, column 6)."),
        (
            '["Mistral AI"]',
            "Row 1: expected an object with provider, chapters, date, source_url; found a string.",
        ),
        ('[{"provider": "Mistral AI", "chapters": "all"}]', "Row 1: missing date, source_url."),
    ],
)
def test_a_json_file_that_is_not_a_list_of_rows_is_refused(text, expected):
    errors = _errors(text, filename="register.json")
    if expected:
        assert errors == [expected]


def test_a_json_file_is_recognised_by_its_content_when_its_name_says_nothing():
    assert _errors('{"a": 1}', filename="register")[0].startswith("The JSON file must be a list")


@pytest.mark.parametrize(
    ("value", "chapters", "unknown"),
    [
        ("transparency;copyright", ("transparency", "copyright"), []),
        ("Copyright | Transparency", ("transparency", "copyright"), []),
        ("Safety & Security", ("safety_security",), []),
        ("safety and security", ("safety_security",), []),
        ("ALL", ("transparency", "copyright", "safety_security"), []),
        (["copyright", "safety_security"], ("copyright", "safety_security"), []),
        ("copyright;ethics", ("copyright",), ["ethics"]),
        ("", (), []),
    ],
)
def test_chapters_are_read_in_the_codes_order(value, chapters, unknown):
    assert register.parse_chapters(value) == (chapters, unknown)


# Matching names -----------------------------------------------------------------------------

SUPPLIERS = [
    Candidate(1, ("Mistral AI", "Mistral AI SAS")),
    Candidate(2, ("Aleph Alpha", "")),
    Candidate(3, ("OpenAI", "OpenAI OpCo, LLC")),
    Candidate(4, ("Meta", "Meta Platforms, Inc.")),
    Candidate(5, ("xAI", "X.AI LLC")),
    Candidate(6, ("Google", "")),
    Candidate(7, ("EUC Inovação Portugal", "")),
    Candidate(8, ("Open Hippo", "")),
    Candidate(9, ("Fastweb", "Fastweb S.p.A.")),
]


@pytest.mark.parametrize(
    ("provider", "supplier_id", "certainty"),
    [
        ("Mistral AI", 1, CERTAIN),
        ("MISTRAL AI SAS", 1, CERTAIN),
        ("Mistral-AI", 1, CERTAIN),
        ("Mistral A.I.", 1, CERTAIN),
        ("Aleph Alpha GmbH", 2, CERTAIN),
        ("aleph alpha, gmbh", 2, CERTAIN),
        ("OpenAI, Inc.", 3, CERTAIN),
        ("OpenAI OpCo LLC", 3, CERTAIN),  # the legal name
        ("Meta Platforms Inc", 4, CERTAIN),
        ("X.AI Corp.", 5, CERTAIN),
        ("Google LLC", 6, CERTAIN),
        ("Google Ltd", 6, CERTAIN),
        ("EUC Inovacao Portugal", 7, CERTAIN),  # accents
        ("OpenHippo", 8, CERTAIN),  # spaces
        ("Fastweb SpA", 9, CERTAIN),
        ("Fastweb S.A.", 9, CERTAIN),
        ("Mistral", 1, UNCERTAIN),  # one word of two: a person decides
        ("Google DeepMind", 6, UNCERTAIN),
        ("Aleph Alfa", 2, UNCERTAIN),  # similar by difflib ratio
        ("Mistrel AI", 1, UNCERTAIN),
        ("Anthropic PBC", None, NO_MATCH),
        ("Cohere", None, NO_MATCH),
        ("AI", None, NO_MATCH),
    ],
)
def test_provider_names_match_suppliers(provider, supplier_id, certainty):
    match = match_provider(provider, SUPPLIERS)
    assert (match.supplier_id, match.certainty) == (supplier_id, certainty)


def test_a_name_two_suppliers_share_is_uncertain():
    match = match_provider(
        "Acme", [Candidate(1, ("Acme GmbH", "")), Candidate(2, ("ACME Inc.", ""))]
    )
    assert (match.supplier_id, match.certainty) == (1, UNCERTAIN)


def test_an_uncertain_match_carries_its_similarity():
    assert match_provider("Aleph Alfa", SUPPLIERS).score == pytest.approx(0.857, abs=0.001)


@pytest.mark.parametrize(
    ("name", "normalised", "display"),
    [
        ("Mistral AI SAS", "mistral ai", "Mistral AI"),
        ("Meta Platforms, Inc.", "meta platforms", "Meta Platforms"),
        ("Acme GmbH & Co. KG", "acme", "Acme"),
        ("Dweve B.V.", "dweve", "Dweve"),
        ("SE", "se", "SE"),  # a name that is only a legal form stays
        ("  WRITER ", "writer", "WRITER"),
    ],
)
def test_names_are_normalised_without_legal_forms(name, normalised, display):
    assert register.normalise_name(name) == normalised
    assert register.display_name(name) == display


# What the register changes ------------------------------------------------------------------

ALL = ("transparency", "copyright", "safety_security")


@pytest.mark.parametrize(
    ("row_status", "row_chapters", "chapter", "current", "expected"),
    [
        ("signed", ALL, "copyright", "unknown", (ChangeKind.CHAPTER_SIGNED, "signed")),
        ("signed", ALL, "copyright", "not_signed", (ChangeKind.CHAPTER_SIGNED, "signed")),
        ("signed", ALL, "copyright", "withdrawn", (ChangeKind.CHAPTER_SIGNED, "signed")),
        ("signed", ALL, "copyright", "declined", (ChangeKind.CHAPTER_SIGNED, "signed")),
        ("signed", ALL, "copyright", "signed", None),
        (
            "signed",
            ("safety_security",),
            "copyright",
            "signed",
            (ChangeKind.CHECK_NOT_IN_LIST, "signed"),  # recorded by a person: a check only
        ),
        (
            "signed",
            ("safety_security",),
            "copyright",
            "unknown",
            (ChangeKind.CHAPTER_NOT_SIGNED, "not_signed"),
        ),
        ("signed", ("safety_security",), "copyright", "not_signed", None),
        ("signed", ("safety_security",), "copyright", "declined", None),
        ("declined", ALL, "copyright", "unknown", (ChangeKind.DECLINED, "declined")),
        ("declined", ALL, "copyright", "signed", (ChangeKind.DECLINED, "declined")),
        ("declined", ALL, "copyright", "declined", None),
        ("declined", ("safety_security",), "copyright", "unknown", None),
        (None, (), "copyright", "signed", (ChangeKind.CHECK_NOT_IN_LIST, "signed")),
        (None, (), "copyright", "unknown", (ChangeKind.NOT_IN_LIST, "not_signed")),
        (None, (), "copyright", None, (ChangeKind.NOT_IN_LIST, "not_signed")),
        (None, (), "copyright", "declined", None),
        (None, (), "copyright", "withdrawn", None),
        (None, (), "copyright", "not_signed", None),
    ],
)
def test_chapter_change(row_status, row_chapters, chapter, current, expected):
    change = register.chapter_change(row_status, row_chapters, chapter, current)
    assert (change and (change.kind, change.proposed)) == (expected or None)


LIST_DATE = datetime.date(2025, 12, 31)
EARLIER_LIST = datetime.date(2025, 9, 1)


@pytest.mark.parametrize(
    ("row_status", "row_chapters", "recorded", "expected"),
    [
        # Signed according to an earlier list, missing now: withdrawn.
        (None, (), Recorded("signed", EARLIER_LIST, EARLIER_LIST), ("not_in_list", "withdrawn")),
        (
            "signed",
            ("safety_security",),
            Recorded("signed", EARLIER_LIST, EARLIER_LIST),
            ("chapter_withdrawn", "withdrawn"),
        ),
        # Signed according to a person: a check, whatever the dates.
        (None, (), Recorded("signed", EARLIER_LIST), ("check_not_in_list", "signed")),
        (None, (), Recorded("signed"), ("check_not_in_list", "signed")),
        # Verified after the list's date: the list is older and changes nothing.
        (
            None,
            (),
            Recorded("signed", datetime.date(2026, 1, 5)),
            ("newer_source", "withdrawn"),
        ),
        ("signed", ALL, Recorded("unknown", datetime.date(2026, 1, 5)), ("newer_source", "signed")),
        (
            "declined",
            ALL,
            Recorded("signed", datetime.date(2026, 1, 5), EARLIER_LIST),
            ("newer_source", "declined"),
        ),
        # On the list's date: kept when a person checked, not when this list set it.
        ("signed", ALL, Recorded("not_signed", LIST_DATE), ("newer_source", "signed")),
        (None, (), Recorded("signed", LIST_DATE, LIST_DATE), ("not_in_list", "withdrawn")),
        # Verified before the list: the list is newer.
        ("signed", ALL, Recorded("not_signed", EARLIER_LIST), ("chapter_signed", "signed")),
    ],
)
def test_the_list_changes_only_what_is_older_than_the_list(
    row_status, row_chapters, recorded, expected
):
    change = register.chapter_change(
        row_status, row_chapters, "copyright", recorded, list_date=LIST_DATE
    )
    assert (change.kind, change.proposed) == expected
    assert change.applicable == (expected[0] != "newer_source")


def test_review_keeps_newer_records_apart_and_drops_checks_noted_already():
    others = {c: Recorded("not_signed") for c in ("transparency", "safety_security")}
    newer = SimpleNamespace(
        id=1, recorded={**others, "copyright": Recorded("signed", datetime.date(2026, 1, 5))}
    )
    checked = SimpleNamespace(
        id=2, recorded={**others, "copyright": Recorded("signed", EARLIER_LIST)}
    )
    result = register.review([], [newer, checked], list_date=LIST_DATE, checked={(2, "copyright")})
    assert result.newer_source == [
        (newer, [Change(ChangeKind.NEWER_SOURCE, "copyright", "signed", "withdrawn")])
    ]
    assert (result.not_in_list, result.changes, result.in_line) == ([], [], [checked])
    assert result.change_count == 0


def _entry(supplier_id, status="signed", chapters=ALL, linked=True):
    return SimpleNamespace(supplier_id=supplier_id, status=status, chapters=chapters, linked=linked)


def _supplier(id, **statuses):
    return SimpleNamespace(id=id, statuses=statuses)


def test_review_sorts_entries_and_suppliers_into_what_needs_doing():
    in_line = _supplier(1, transparency="signed", copyright="signed", safety_security="signed")
    adds_chapter = _supplier(
        2, transparency="signed", copyright="unknown", safety_security="signed"
    )
    pending = _supplier(3, transparency="signed")
    absent = _supplier(4, transparency="signed", copyright="declined")
    absent_in_line = _supplier(
        5, transparency="declined", copyright="declined", safety_security="declined"
    )
    entries = [
        _entry(1),
        _entry(2),
        _entry(3, linked=False),
        _entry(None),  # a new signatory
        _entry(None, status="declined"),  # declined and not a supplier: nothing to do
        _entry(99),  # a supplier archived since the import
    ]

    result = register.review(entries, [in_line, adds_chapter, pending, absent, absent_in_line])

    assert result.pending == [entries[2]]
    assert result.new_signatories == [entries[3]]
    assert result.changes == [
        (
            entries[1],
            adds_chapter,
            [Change(ChangeKind.CHAPTER_SIGNED, "copyright", "unknown", "signed")],
        )
    ]
    assert result.not_in_list == [
        (
            absent,
            [
                Change(ChangeKind.CHECK_NOT_IN_LIST, "transparency", "signed", "signed"),
                Change(ChangeKind.NOT_IN_LIST, "safety_security", "unknown", "not_signed"),
            ],
        )
    ]
    assert result.in_line == [in_line, absent_in_line]


def test_a_change_reads_in_words():
    change = Change(ChangeKind.CHAPTER_WITHDRAWN, "safety_security", "signed", "withdrawn")
    assert (change.label, change.chapter_label, change.current_label, change.proposed_label) == (
        "Chapter withdrawn",
        "Safety and Security",
        "Signed",
        "Withdrawn",
    )


# The Commission's page saved as HTML ------------------------------------------------------

COMMISSION_PAGE = Path(__file__).parent / "data" / "commission-signatories.html"
PAGE_URL = "https://digital-strategy.ec.europa.eu/en/policies/contents-code-gpai"


def test_reads_the_signatories_of_the_commissions_page():
    rows = parse_register(
        COMMISSION_PAGE.read_bytes(),
        filename="contents-code-gpai.html",
        as_of=datetime.date(2025, 12, 31),
        source_url=PAGE_URL,
    )
    assert [(row.provider, row.chapters) for row in rows] == [
        ("Accexible", ALL),
        ("Aleph Alpha", ALL),
        ("Amazon", ALL),
        ("Anthropic", ALL),
        ("Mistral AI", ALL),
        ("OpenAI", ALL),
        ("xAI", ("safety_security",)),
    ]
    assert {(row.status, row.date, row.source_url) for row in rows} == {("signed", None, PAGE_URL)}


def test_a_page_with_a_table_is_read_like_a_csv_file():
    page = (
        "<html><body><table><tr><th>Provider</th><th>Chapters</th><th>Date</th>"
        f"<th>Source</th></tr><tr><td>Cohere</td><td>all</td><td>2025-08-01</td>"
        f"<td>{PAGE_URL}</td></tr></table></body></html>"
    )
    rows = parse_register(page.encode(), filename="list.htm", as_of=datetime.date(2025, 12, 31))
    assert [(r.provider, r.chapters, r.date) for r in rows] == [
        ("Cohere", ALL, datetime.date(2025, 8, 1))
    ]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("<html><body><h2>News</h2><ul><li>Item</li></ul></body></html>", "no list of signatories"),
        ("<html><h2>Signatories</h2><ul><li>Amazon</li></ul></html>", "Give the address"),
    ],
)
def test_a_page_without_signatories_or_source_is_refused(page, expected):
    with pytest.raises(RegisterFileError, match=expected):
        parse_register(page.encode(), filename="page.html")
