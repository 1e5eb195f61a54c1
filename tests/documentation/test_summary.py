"""The training-content summary: reading Markdown and PDF, and the check against the template."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documentation import summary
from documentation.models import TrainingSummary
from tests.documentation.support import DEMO, pdf_bytes
from tests.factories import GPAIModelFactory

TODAY = datetime.date(2026, 3, 1)


def _demo():
    return summary.read_markdown((DEMO / "summary.md").read_bytes(), "summary.md")


def test_markdown_that_follows_the_numbering_is_read_automatically():
    read = _demo()
    assert set(read["sections"]) == set(summary.SECTION_CODES)
    assert read["size_bands"] == {"text": "1 billion to 10 trillion tokens"}
    assert read["latest_collection"] == datetime.date(2024, 11, 30)
    assert read["crawlers"] == "ExampleBot/1.0"
    assert read["top_domains"].splitlines() == ["example.org", "example.com", "example.net"]
    assert "robots.txt" in read["tdm_statement"]
    assert read["last_updated"] == datetime.date(2025, 9, 30)
    assert read["summary_version"] == "1.0"


def test_microsoft_style_numbered_codes_are_sections_too():
    text = (
        "**1.3.1.A Text training data size:** More than 10 trillion tokens\n**2.3 Crawled:** No\n"
    )
    sections = summary.split_sections(text)
    assert "More than 10 trillion tokens" in sections["1.3"]
    assert set(sections) == {"1.3", "2.3"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"# Our data\nWe used lots of data.", "no section of the template"),
        (b"\xff\xfe\x00\x00", "not UTF-8"),
    ],
)
def test_malformed_markdown_gives_a_reason(data, message):
    with pytest.raises(summary.SummaryProblem, match=message):
        summary.read_markdown(data, "summary.md")


def _check(**changes):
    read = _demo()
    values = {
        "sections": read["sections"],
        "size_bands": read["size_bands"],
        "exact_sizes": {},
        "latest_collection": read["latest_collection"],
        "crawlers": read["crawlers"],
        "top_domains": read["top_domains"],
        "tdm_statement": read["tdm_statement"],
        "last_updated": datetime.date(2026, 1, 15),
        "today": TODAY,
    }
    return summary.check(**{**values, **changes})


def test_the_demo_summary_passes():
    result = _check()
    assert result.complete and not result.stale and result.warnings == []


def test_missing_sections_are_listed_but_3_3_is_optional():
    read = _demo()
    sections = {k: v for k, v in read["sections"].items() if k not in ("2.4", "3.3")}
    result = _check(sections=sections)
    assert result.missing_sections == ["2.4 User data"]


def test_top_band_without_exact_value_is_a_warning_not_a_failure():
    result = _check(size_bands={"text": "More than 10 trillion tokens"})
    assert result.complete
    assert "top band only" in result.warnings[0]
    assert (
        _check(
            size_bands={"text": "More than 10 trillion tokens"}, exact_sizes={"text": "15T tokens"}
        ).warnings
        == []
    )


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"size_bands": {}}, "no size band"),
        ({"latest_collection": None}, "latest date of data collection"),
        ({"crawlers": ""}, "no crawler is named"),
        ({"top_domains": ""}, "domain names is missing"),
        ({"tdm_statement": ""}, "3.1"),
        ({"last_updated": None}, "last update is missing"),
    ],
)
def test_what_the_template_needs(changes, problem):
    result = _check(**changes)
    assert not result.complete
    assert any(problem in line for line in result.problems)


def test_no_crawling_needs_no_crawlers_or_domains():
    read = _demo()
    sections = {**read["sections"], "2.3": "Crawlers used: No."}
    assert _check(sections=sections, crawlers="", top_domains="").complete


def test_older_than_six_months_is_stale():
    result = _check(last_updated=datetime.date(2025, 8, 1))
    assert result.stale and "six months" in result.warnings[-1]


def test_pdf_text_is_split_into_sections_for_a_person_to_check():
    data = pdf_bytes(
        [
            "1.1 Provider identification",
            "Example Labs SAS",
            "2.3 Data crawled and scraped from online sources",
            "Crawler names: ExampleBot",
            "3.1 Respect of reservations of rights",
            "We honour robots.txt.",
        ]
    )
    read = summary.read_pdf(data, "summary.pdf")
    assert set(read["sections"]) == {"1.1", "2.3", "3.1"}
    assert read["crawlers"] == "ExampleBot"


@pytest.mark.django_db
def test_markdown_import_makes_a_draft_to_check(procurement_client):
    model = GPAIModelFactory()
    response = procurement_client.post(
        reverse("documentation:summary_import", args=[model.pk]),
        {"file": SimpleUploadedFile("summary.md", (DEMO / "summary.md").read_bytes())},
    )
    record = TrainingSummary.objects.get()
    assert response.url == reverse("documentation:summary_edit", args=[record.pk])
    assert record.is_draft and record.crawlers == "ExampleBot/1.0"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data"), [("summary.md", b"no sections here"), ("summary.pdf", b"%PDF-1.4 broken")]
)
def test_a_malformed_summary_upload_saves_nothing(procurement_client, name, data):
    model = GPAIModelFactory()
    response = procurement_client.post(
        reverse("documentation:summary_import", args=[model.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not TrainingSummary.objects.exists()


@pytest.mark.django_db
def test_a_confirmed_summary_no_longer_changes(procurement_client, form_data):
    model = GPAIModelFactory()
    procurement_client.post(
        reverse("documentation:summary_import", args=[model.pk]),
        {"file": SimpleUploadedFile("summary.md", (DEMO / "summary.md").read_bytes())},
    )
    record = TrainingSummary.objects.get()
    edit = reverse("documentation:summary_edit", args=[record.pk])
    data = form_data(procurement_client.get(edit).context["form"])
    data["crawlers"] = "ExampleBot/2.0"
    procurement_client.post(edit, data)
    record.refresh_from_db()
    assert record.crawlers == "ExampleBot/2.0"
    procurement_client.post(reverse("documentation:summary_confirm", args=[record.pk]))
    data["crawlers"] = "Changed after confirming"
    procurement_client.post(edit, data)
    record.refresh_from_db()
    assert record.status == "confirmed" and record.crawlers == "ExampleBot/2.0"


@pytest.mark.django_db
def test_a_new_summary_shows_what_changed_since_the_previous_one(procurement_client):
    model = GPAIModelFactory()
    url = reverse("documentation:summary_import", args=[model.pk])
    demo = (DEMO / "summary.md").read_bytes()
    procurement_client.post(url, {"file": SimpleUploadedFile("summary.md", demo)})
    newer = demo.replace(b"ExampleBot/1.0", b"ExampleBot/2.0").replace(b"2025-09-30", b"2026-03-31")
    procurement_client.post(url, {"file": SimpleUploadedFile("summary.md", newer)})
    latest = TrainingSummary.objects.order_by("-pk").first()
    page = procurement_client.get(latest.get_absolute_url())
    changes = {label: (old, new) for label, old, new in page.context["changes"]}
    assert changes["Crawler names"] == ("ExampleBot/1.0", "ExampleBot/2.0")
    assert changes["Last updated"] == ("2025-09-30", "2026-03-31")
    assert "Section 2.3" in changes


@pytest.mark.django_db
def test_summary_page_reads_a_constant_number_of_queries(
    procurement_client, procurement_user, django_assert_max_num_queries
):
    from documentation import services

    model = GPAIModelFactory()
    read = _demo()
    services.summary_create(model=model, data=read, by=procurement_user)
    first = services.summary_create(model=model, data=read, by=procurement_user)
    procurement_client.get(first.get_absolute_url())
    with django_assert_max_num_queries(30) as queries:
        procurement_client.get(first.get_absolute_url())
    for _ in range(4):
        last = services.summary_create(model=model, data=read, by=procurement_user)
        services.summary_update(summary=last, data={"crawlers": "Other"}, by=procurement_user)
    with django_assert_max_num_queries(len(queries)):
        assert procurement_client.get(last.get_absolute_url()).status_code == 200
