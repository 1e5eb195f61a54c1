"""Reading a register file: CSV, JSON or the Commission's page saved as HTML, every row
checked before anything is stored."""

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from core.text import normalise_data
from vendors.register.html import html_rows
from vendors.register.matching import name_key

# The Code of Practice was published on 10 Jul 2025; nobody signed or declined it before.
CODE_PUBLISHED = datetime.date(2025, 7, 10)

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
MAX_ERRORS_SHOWN = 20

# The Code's chapters in its own order, with the spellings a published list may use.
CHAPTERS = ("transparency", "copyright", "safety_security")
_CHAPTER_NAMES = {
    "transparency": "transparency",
    "copyright": "copyright",
    "safety_security": "safety_security",
    "safety_and_security": "safety_security",
    "safety": "safety_security",
    "security": "safety_security",
}
_ALL_CHAPTERS = {"all", "all_chapters"}
_CHAPTER_SEPARATORS = re.compile(r"[;|,/+]")

SIGNED = "signed"
DECLINED = "declined"
ROW_STATUSES = (SIGNED, DECLINED)

# Column names as people write them, mapped to the column the parser reads.
_COLUMN_ALIASES = {
    "provider": "provider",
    "signatory": "provider",
    "company": "provider",
    "chapters": "chapters",
    "chapters_signed": "chapters",
    "date": "date",
    "signed_on": "date",
    "date_signed": "date",
    "source_url": "source_url",
    "source": "source_url",
    "url": "source_url",
    "status": "status",
    "note": "note",
    "notes": "note",
}
REQUIRED_COLUMNS = ("provider", "chapters", "date", "source_url")

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_url_validator = URLValidator(schemes=["http", "https"])


class RegisterFileError(ValidationError):
    """A register file that cannot be imported; `messages` lists every problem found."""


@dataclass(frozen=True)
class RegisterRow:
    row_number: int  # the line of a CSV file, the position (from 1) in a JSON list
    provider: str
    status: str  # SIGNED or DECLINED
    chapters: tuple  # chapter values in the Code's order
    date: datetime.date | None
    source_url: str
    note: str = ""


# Reading a file ---------------------------------------------------------------------------


def parse_register(data, *, filename="", as_of=None, source_url=""):
    """The rows of a register file (bytes), or RegisterFileError naming every problem.

    `as_of` is the date of the list (today by default): no row can be dated later.
    `source_url` is where the list was published; rows of an HTML page have it as source.
    """
    as_of = as_of or datetime.date.today()
    if not data or not data.strip():
        raise RegisterFileError("The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise RegisterFileError(
            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; "
            "a register of signatories is much smaller. Check that you chose the right file."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RegisterFileError(
            f"The file is not UTF-8 text (byte 0x{data[error.start]:02x} at position "
            f"{error.start} cannot be read). Save it as UTF-8 (in Excel: “CSV UTF-8”) "
            "and import it again."
        ) from None
    if "\x00" in text:
        raise RegisterFileError("The file contains binary data; import a CSV, JSON or HTML file.")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    start = text.lstrip()[:1]
    if extension in ("html", "htm") or (extension not in ("csv", "json") and start == "<"):
        raw_rows = parse_html_register(text, source_url=source_url)
    elif extension == "json" or (extension != "csv" and start in ("[", "{")):
        raw_rows = _json_rows(text)
    else:
        raw_rows = _csv_rows(text)
    return _validate(raw_rows, as_of)


def parse_html_register(text, *, source_url=""):
    """Raw rows from the Commission's signatory page saved as HTML (`vendors.register.html`)."""
    return html_rows(
        text,
        source_url=source_url,
        column=_column,
        check_columns=_check_columns,
        error_class=RegisterFileError,
    )


def _column(name):
    key = re.sub(r"[\s\-]+", "_", str(name).strip().lower())
    return _COLUMN_ALIASES.get(key, key)


def _csv_rows(text):
    lines = text.splitlines(keepends=True)
    # Leading lines starting with "#" say where the list comes from; they are not rows.
    skipped = 0
    while skipped < len(lines) and (
        not lines[skipped].strip() or lines[skipped].lstrip().startswith("#")
    ):
        skipped += 1
    body = "".join(lines[skipped:])
    if not body.strip():
        raise RegisterFileError("The file is empty: it has no header row and no rows.")
    header_line = lines[skipped]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
        columns = [_column(name) for name in header]
        _check_columns(columns)
        rows = []
        line_before = reader.line_num
        for cells in reader:
            row_number = skipped + line_before + 1
            line_before = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise RegisterFileError(f"The file has more than {MAX_ROWS} rows.")
            extra = cells[len(columns) :]
            if any(cell.strip() for cell in extra):
                rows.append(
                    (
                        row_number,
                        None,
                        f"Row {row_number}: {len(cells)} values, but the header names "
                        f"{len(columns)} columns. Put values that contain a “{delimiter}” "
                        "in double quotes.",
                    )
                )
                continue
            padded = cells + [""] * (len(columns) - len(cells))
            rows.append((row_number, dict(zip(columns, padded, strict=False)), None))
    except csv.Error as error:
        raise RegisterFileError(
            f"Row {skipped + reader.line_num}: the CSV cannot be read ({error})."
        ) from None
    return rows


def _check_columns(columns):
    duplicates = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicates:
        raise RegisterFileError(f"The header names these columns twice: {', '.join(duplicates)}.")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise RegisterFileError(
            f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}. "
            f"The first row must name the columns {', '.join(REQUIRED_COLUMNS)} "
            "(status and note are optional)."
        )


def _json_rows(text):
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise RegisterFileError(
            f"The file is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        ) from None
    except (RecursionError, ValueError):
        # Thousands of nested brackets exhaust the parser's stack, and a number of thousands
        # of digits is refused by Python; a register of signatories has neither.
        raise RegisterFileError(
            "The file is not valid JSON for a register: it is nested too deeply or has a "
            "number too long to read."
        ) from None
    if not isinstance(document, list):
        raise RegisterFileError(
            "The JSON file must be a list of rows, like "
            '[{"provider": "…", "chapters": […], "date": "2025-08-01", "source_url": "…"}]; '
            f"it is {_json_kind(document)}."
        )
    if len(document) > MAX_ROWS:
        raise RegisterFileError(f"The file has more than {MAX_ROWS} rows.")
    if not document:
        raise RegisterFileError("The file is empty: the list has no rows.")
    rows = []
    for number, item in enumerate(document, start=1):
        if not isinstance(item, dict):
            rows.append(
                (
                    number,
                    None,
                    f"Row {number}: expected an object with {', '.join(REQUIRED_COLUMNS)}; "
                    f"found {_json_kind(item)}.",
                )
            )
            continue
        item = {_column(key): value for key, value in item.items()}
        missing = [c for c in REQUIRED_COLUMNS if c not in item]
        if missing:
            rows.append((number, None, f"Row {number}: missing {', '.join(missing)}."))
            continue
        rows.append((number, item, None))
    return rows


def _json_kind(value):
    kinds = {dict: "an object", list: "a list", str: "a string", bool: "true or false"}
    if value is None:
        return "null"
    return kinds.get(type(value), "a number")


def _validate(raw_rows, as_of):
    errors, rows, seen = [], [], {}
    for row_number, raw, problem in raw_rows:
        if problem:
            errors.append(problem)
            continue
        row, row_errors = _row(row_number, raw, as_of)
        errors.extend(row_errors)
        if row is None:
            continue
        key = name_key(row.provider)
        if key in seen:
            errors.append(
                f"Row {row_number}, column provider: “{row.provider}” is listed already "
                f"in row {seen[key]}."
            )
            continue
        seen[key] = row_number
        rows.append(row)
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(f"… and {len(errors) - MAX_ERRORS_SHOWN} more problems.")
        raise RegisterFileError(shown)
    if not rows:
        raise RegisterFileError("The file is empty: it has a header but no rows.")
    return rows


def _text(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(_text(v) for v in value)
    return re.sub(r"\s+", " ", str(value)).strip()


def _normalised_cells(raw, error):
    """The row's cells as every text in the app is stored (`core.text`); a cell that cannot
    be (a NUL, which JSON can carry as \\u0000) is reported and read as empty."""
    cells = {}
    for column, value in raw.items():
        try:
            cells[column] = normalise_data(value)
        except ValidationError as problem:
            error(column, problem.messages[0])
            cells[column] = None
    return cells


def _row(number, raw, as_of):
    errors = []

    def error(column, message):
        errors.append(f"Row {number}, column {column}: {message}")

    raw = _normalised_cells(raw, error)
    provider = _text(raw.get("provider"))
    if not provider:
        error("provider", "the provider's name is missing.")
    elif len(provider) > 200:
        error("provider", "the name is longer than 200 characters.")

    status = _text(raw.get("status")).lower() or SIGNED
    if status not in ROW_STATUSES:
        error("status", f"“{status}” is not a status; use signed or declined (empty means signed).")

    chapters, unknown = parse_chapters(raw.get("chapters"))
    if unknown:
        error(
            "chapters",
            f"unknown chapter{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(f'“{u}”' for u in unknown)}; "
            "use transparency, copyright, safety_security or all.",
        )
    elif not chapters and status == SIGNED:
        error("chapters", "name the chapters signed (transparency, copyright, safety_security).")
    elif not chapters:
        chapters = CHAPTERS  # a provider that declined, declined the whole Code

    date = None
    raw_date = _text(raw.get("date"))
    if raw_date:
        try:
            if not _ISO_DATE.fullmatch(raw_date):
                raise ValueError
            date = datetime.date.fromisoformat(raw_date)
        except ValueError:
            error("date", f"“{raw_date}” is not a date; write it as YYYY-MM-DD, e.g. 2025-08-01.")
        else:
            if date > as_of:
                error(
                    "date", f"{date:%-d %b %Y} is after the date of the list ({as_of:%-d %b %Y})."
                )
            elif date < CODE_PUBLISHED:
                error("date", f"{date:%-d %b %Y} is before the Code was published (10 Jul 2025).")

    source_url = _text(raw.get("source_url"))
    if not source_url:
        error("source_url", "the source is missing; give the address that shows this row.")
    elif len(source_url) > 500:
        error("source_url", "the address is longer than 500 characters.")
    else:
        try:
            _url_validator(source_url)
        except ValidationError:
            error("source_url", f"“{source_url[:80]}” is not a web address (http:// or https://).")

    note = _text(raw.get("note"))
    if len(note) > 500:
        error("note", "the note is longer than 500 characters.")

    if errors:
        return None, errors
    return RegisterRow(number, provider, status, chapters, date, source_url, note), []


def parse_chapters(value):
    """(chapters in the Code's order, unknown names) from "transparency; copyright" or a list."""
    parts = value if isinstance(value, list) else _CHAPTER_SEPARATORS.split(_text(value))
    found, unknown = set(), []
    for part in parts:
        name = re.sub(r"[\s\-&]+", "_", _text(part).lower()).strip("_")
        name = name.replace("_and_", "_")
        if not name:
            continue
        if name in _ALL_CHAPTERS:
            found.update(CHAPTERS)
        elif name in _CHAPTER_NAMES or name.replace("_", "") == "safetysecurity":
            found.add(_CHAPTER_NAMES.get(name, "safety_security"))
        else:
            unknown.append(_text(part))
    return tuple(c for c in CHAPTERS if c in found), unknown
