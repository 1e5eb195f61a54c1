"""Reading the Commission's signatory page saved as HTML.

The page lists the signatories as list items under a heading that names them ("Signatories
of the Code"), a partial signatory with its chapters in brackets ("xAI (Safety and Security
chapter only)"). A page with a table whose header names the columns of a register file is read
like a CSV file. The page gives no date per provider and no source per row: every row gets the
address the page was saved from.
"""

import re
from html.parser import HTMLParser

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SKIPPED = {"script", "style", "template", "noscript"}
_CHAPTER_WORDS = re.compile(r"\b(transparency|copyright|safety)\b", re.IGNORECASE)
_FILLER = re.compile(r"\b(chapters?|only|signed|of the code|the)\b", re.IGNORECASE)
_BRACKETS = re.compile(r"^(?P<name>.*?)\s*\((?P<inside>[^()]*)\)\s*$")


class _Page(HTMLParser):
    """Collects the list items under headings about signatories, and every table's rows."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items = []  # texts of list items in a signatories section
        self.tables = []  # [[cells of a row]]
        self._skip = 0
        self._heading = None  # text of the heading being read
        self._in_section = False
        self._list_depth = 0
        self._item = None
        self._cell = None
        self._row = None

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self._skip += 1
        elif tag in _HEADINGS:
            self._heading = []
        elif tag in ("ul", "ol"):
            self._list_depth += 1
        elif tag == "li" and self._in_section and self._list_depth == 1:
            self._item = []
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "br":
            self.handle_data(" ")

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in _HEADINGS and self._heading is not None:
            text = _clean("".join(self._heading))
            self._in_section = "signator" in text.lower()
            self._heading = None
        elif tag in ("ul", "ol"):
            self._list_depth = max(0, self._list_depth - 1)
        elif tag == "li" and self._item is not None:
            text = _clean("".join(self._item))
            if text:
                self.items.append(text)
            self._item = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(_clean("".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if any(self._row):
                self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._skip:
            return
        for collector in (self._heading, self._item, self._cell):
            if collector is not None:
                collector.append(data)


def _clean(text):
    return re.sub(r"\s+", " ", text).strip()


def _provider_and_chapters(text):
    """("xAI", "safety and security") from "xAI (Safety and Security chapter only)"; a name
    without chapters in brackets signed them all."""
    match = _BRACKETS.match(text)
    if match and _CHAPTER_WORDS.search(match["inside"]):
        chapters = _FILLER.sub(" ", match["inside"])
        return match["name"].strip(), _clean(chapters)
    return text, "all"


def html_rows(text, *, source_url, column, check_columns, error_class):
    """Raw rows (number, cells, problem) as the CSV and JSON readers give them."""
    page = _Page()
    page.feed(text)
    page.close()
    for table in page.tables:
        if not table:
            continue
        columns = [column(cell) for cell in table[0]]
        if "provider" not in columns:
            continue
        check_columns(columns)
        return [
            (number, dict(zip(columns, cells + [""] * len(columns), strict=False)), None)
            for number, cells in enumerate(table[1:], start=1)
        ]
    if not page.items:
        raise error_class(
            "The page has no list of signatories: no list under a heading that names the "
            "signatories, and no table with a provider column. Save the Commission's page "
            "“Signatories of the Code of Practice” as HTML, or import a CSV or JSON file."
        )
    if not source_url:
        raise error_class("Give the address the page was saved from as the source of the list.")
    rows = []
    for number, item in enumerate(page.items, start=1):
        provider, chapters = _provider_and_chapters(item)
        cells = {"provider": provider, "chapters": chapters, "date": "", "source_url": source_url}
        rows.append((number, cells, None))
    return rows
