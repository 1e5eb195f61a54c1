"""The public summary of training content (Art. 53(1)(d); the AI Office template of 24 Jul
2025): its sections, the check of a recorded summary against them, and reading a Markdown
summary that follows the template's numbering.

Pure functions; the template's section names are in our words.
"""

import contextlib
import datetime
import re
from dataclasses import dataclass, field

SECTIONS = (
    ("1.1", "Provider identification", True),
    ("1.2", "Model identification", True),
    ("1.3", "Modalities, overall training data size and other characteristics", True),
    ("2.1", "Publicly available datasets", True),
    ("2.2", "Private non-public datasets obtained from third parties", True),
    ("2.3", "Data crawled and scraped from online sources", True),
    ("2.4", "User data", True),
    ("2.5", "Synthetic data", True),
    ("2.6", "Other sources of data", True),
    ("3.1", "Respect of reservations of rights from the text and data mining exception", True),
    ("3.2", "Removal of illegal content", True),
    ("3.3", "Other information", False),  # optional in the template
)
SECTION_CODES = tuple(code for code, _title, _required in SECTIONS)

MODALITIES = ("text", "image", "audio", "video", "other")
# Three bands per modality. The lower and middle labels for images, audio and video are
# inferred from the confirmed ones and UNVERIFIED in their exact wording; the bands for "other"
# are our own placeholders (the template's wording for them was not found).
SIZE_BANDS = {
    "text": (
        "Less than 1 billion tokens",
        "1 billion to 10 trillion tokens",
        "More than 10 trillion tokens",
    ),
    "image": (
        "Less than 1 million images",
        "1 million to 1 billion images",
        "More than 1 billion images",
    ),
    "audio": ("Less than 10,000 hours", "10,000 to 1 million hours", "More than 1 million hours"),
    "video": ("Less than 10,000 hours", "10,000 to 1 million hours", "More than 1 million hours"),
    "other": ("Small", "Medium", "Large"),
}
STALE_AFTER_DAYS = 183  # the template asks for an update at least every six months


@dataclass
class SummaryCheck:
    missing_sections: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # what the template needs and is not there
    warnings: list = field(default_factory=list)  # quality, not failure
    stale: bool = False

    @property
    def complete(self):
        return not self.missing_sections and not self.problems


def check(
    *,
    sections,
    size_bands,
    exact_sizes,
    latest_collection,
    crawlers,
    top_domains,
    tdm_statement,
    last_updated,
    today,
):
    """Check a summary's recorded content against the template."""
    result = SummaryCheck()
    for code, title, required in SECTIONS:
        if required and not (sections.get(code) or "").strip():
            result.missing_sections.append(f"{code} {title}")
    if not any(size_bands.get(modality) for modality in MODALITIES):
        result.problems.append("1.3: no size band given for any modality.")
    for modality, band in size_bands.items():
        bands = SIZE_BANDS.get(modality, ())
        if band and bands and band == bands[-1] and not (exact_sizes.get(modality) or "").strip():
            result.warnings.append(
                f"1.3: {modality} size is the top band only ({band}), with no exact value."
            )
    if latest_collection is None:
        result.problems.append("1.3: the latest date of data collection is missing.")
    crawled = _says_yes(sections.get("2.3", "")) or bool(crawlers.strip())
    if crawled and not crawlers.strip():
        result.problems.append("2.3: crawling is declared but no crawler is named.")
    if crawled and not top_domains.strip():
        result.problems.append("2.3: the list of the most relevant domain names is missing.")
    if not tdm_statement.strip():
        result.problems.append(
            "3.1: no statement on how opt-outs from text and data mining were respected."
        )
    if last_updated is None:
        result.problems.append("The date of the last update is missing.")
    elif (today - last_updated).days > STALE_AFTER_DAYS:
        result.stale = True
        result.warnings.append(
            f"Last updated on {last_updated.day} {last_updated:%b %Y}, more than six months ago."
        )
    return result


def _says_yes(text):
    return bool(re.search(r"\b(yes|☒|\[x\])", text, re.I))


# Reading a Markdown summary ------------------------------------------------------------

_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(?P<code>[1-3]\.[1-6])(?P<rest>(?:\.[0-9A-Za-z]+)*)\.?\s+(?P<title>.*)$"
)
_DATE = re.compile(
    r"\b(\d{4}-\d{2}-\d{2})\b|\b(\d{1,2} [A-Z][a-z]+ \d{4})\b|\b([A-Z][a-z]+ \d{4})\b"
)


class SummaryProblem(ValueError):
    """A summary file that cannot be read, with the reason."""


def split_sections(text):
    """{section code: its text} for the template's numbered sections found in `text`."""
    found, current = {}, None
    for line in text.splitlines():
        match = _HEADING.match(line)
        if match and match.group("code") in SECTION_CODES:
            current = match.group("code")
            found.setdefault(current, [])
            # A heading's title is the template's own; a numbered line ("**1.3.1.A Text
            # training data size:** ...") carries a value.
            if not line.lstrip().startswith("#"):
                found[current].append(_strip_markup(match.group("title")))
        elif current is not None:
            found[current].append(_strip_markup(line))
    return {code: "\n".join(lines).strip() for code, lines in found.items()}


def _strip_markup(line):
    return re.sub(r"\*\*|__", "", line).strip()


def read_values(sections):
    """What can be read from the sections' text; a person confirms it."""
    size = sections.get("1.3", "")
    bands, exact = {}, {}
    for modality, labels in SIZE_BANDS.items():
        for label in labels:
            if modality != "other" and re.search(re.escape(label), size, re.I):
                bands[modality] = label
    for modality in ("text",):
        match = re.search(r"(\d[\d.,]*\s*(?:trillion|billion|million)?\s*tokens)", size, re.I)
        if match and not any(match.group(1) in label for label in SIZE_BANDS["text"]):
            exact[modality] = match.group(1)
    crawl = sections.get("2.3", "")
    return {
        "size_bands": bands,
        "exact_sizes": exact,
        "latest_collection": _latest_date(size),
        "crawlers": _after(crawl, r"crawler(?: name)?s?(?: name\(s\)| identifiers?)?\s*:"),
        "top_domains": _after(
            crawl, r"(?:top|most relevant) domain(?: name)?s?[^:\n]*:", lines=True
        ),
        "tdm_statement": sections.get("3.1", ""),
    }


def _after(text, label, *, lines=False):
    match = re.search(label + r"\s*(.*)", text, re.I | re.S)
    if not match:
        return ""
    rest = match.group(1).strip()
    if not lines:
        return rest.splitlines()[0].strip() if rest else ""
    block = []
    for line in rest.splitlines():
        if not line.strip():
            if block:
                break
            continue
        block.append(line.strip().lstrip("-* ").strip())
    return "\n".join(block)


def _latest_date(text):
    match = re.search(r"latest[^\n]*?(\d{4}-\d{2}-\d{2})", text, re.I)
    if match:
        try:
            return datetime.date.fromisoformat(match.group(1))
        except ValueError:
            return None
    return None


def read_markdown(data, name="file"):
    """Sections and values of a Markdown summary that follows the template's numbering."""
    if len(data) > 5 * 1024 * 1024:
        raise SummaryProblem(f"{name}: larger than 5 MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SummaryProblem(f"{name}: not UTF-8 text.") from None
    return read_text(text, name)


def read_text(text, name="file"):
    sections = split_sections(text)
    if not sections:
        raise SummaryProblem(
            f"{name}: no section of the template (1.1 to 3.3) was found. The file must number its "
            'sections as the template does, e.g. "## 2.3 Data crawled and scraped".'
        )
    header = {}
    match = re.search(r"last update[d]?[^\n]*?(\d{4}-\d{2}-\d{2})", text, re.I)
    if match:
        with contextlib.suppress(ValueError):
            header["last_updated"] = datetime.date.fromisoformat(match.group(1))
    match = re.search(r"version(?: of the summary)?\s*[:\-]\s*([^\n*]+)", text, re.I)
    if match:
        header["summary_version"] = match.group(1).strip()[:50]
    return {"sections": sections, **read_values(sections), **header}


def read_pdf(data, name="file"):
    """The text of a PDF summary, split into sections; values are for a person to confirm."""
    from documentation.mdf_files import ImportProblem, pdf_lines

    try:
        lines = pdf_lines(data, name)
    except ImportProblem as problem:
        raise SummaryProblem(str(problem)) from None
    return read_text("\n".join(lines), name)
