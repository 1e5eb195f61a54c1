"""Reading a filled Model Documentation Form from a file: JSON or CSV of field key → value, or
the text of a Word or PDF document that follows the form.

Every reader returns a `Parsed`: the document's version and date where the file gives them,
the values by field key, and for documents the fields that could not be found, which the
person enters by hand. Nothing is guessed: a value is taken only under a label of the form. A
file that cannot be read raises `ImportProblem` with a message saying what is wrong, and
nothing is saved.
"""

import contextlib
import csv
import datetime
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

MAX_BYTES = 10 * 1024 * 1024
NOT_APPLICABLE = {"n/a", "na", "not applicable"}
META_KEYS = {"document_version", "last_updated"}


class ImportProblem(ValueError):
    """A file that cannot be imported, with the reason in words a person can act on."""


@dataclass
class Parsed:
    values: dict = field(default_factory=dict)  # key -> (value, not_applicable)
    document_version: str = ""
    last_updated: datetime.date | None = None
    unmapped: list = field(default_factory=list)  # field keys not found in a document


def _value(text):
    text = (text or "").strip()
    if text.lower() in NOT_APPLICABLE:
        return ("", True)
    return (text, False)


def _date(text, where):
    try:
        return datetime.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ImportProblem(f"{where}: {text!r} is not a date (YYYY-MM-DD).") from None


def _finish(pairs, keys, where):
    """A `Parsed` from (key, text) pairs of a structured file; unknown keys are refused."""
    parsed = Parsed()
    unknown = []
    for key, text in pairs:
        key = str(key).strip()
        if key == "document_version":
            parsed.document_version = str(text).strip()[:50]
        elif key == "last_updated":
            parsed.last_updated = _date(text, f"{where} last_updated")
        elif key not in keys:
            unknown.append(key)
        elif key in parsed.values:
            raise ImportProblem(f"{where}: the field {key!r} is given twice.")
        else:
            parsed.values[key] = _value(str(text))
    if unknown:
        raise ImportProblem(
            f"{where}: unknown field(s) {', '.join(sorted(map(repr, unknown)))}. "
            "Use the field keys listed in the README."
        )
    if not parsed.values:
        raise ImportProblem(f"{where}: no field values found.")
    return parsed


def _text(data, name):
    if len(data) > MAX_BYTES:
        raise ImportProblem(f"{name}: larger than 10 MB.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblem(f"{name}: not UTF-8 text.") from None


def parse_json(data, keys, name="file"):
    """{"document_version": ..., "last_updated": "YYYY-MM-DD", "fields": {key: value}}."""
    try:
        content = json.loads(_text(data, name))
    except json.JSONDecodeError as error:
        raise ImportProblem(f"{name}: not valid JSON ({error.msg}, line {error.lineno}).") from None
    if not isinstance(content, dict) or not isinstance(content.get("fields"), dict):
        raise ImportProblem(f'{name}: expected an object with "fields": {{field key: value}}.')
    extra = set(content) - META_KEYS - {"fields"}
    if extra:
        raise ImportProblem(f"{name}: unexpected key(s) {', '.join(sorted(extra))}.")
    for key, value in content["fields"].items():
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise ImportProblem(f"{name}: the value of {key!r} must be text or a number.")
    pairs = [(key, content[key]) for key in META_KEYS if content.get(key) not in (None, "")]
    return _finish(pairs + list(content["fields"].items()), keys, name)


def parse_csv(data, keys, name="file"):
    """Two columns with the header `field,value`; `document_version` and `last_updated` may
    be rows too."""
    rows = list(csv.reader(io.StringIO(_text(data, name))))
    if not rows or [cell.strip().lower() for cell in rows[0]] != ["field", "value"]:
        raise ImportProblem(f'{name}: the first line must be the header "field,value".')
    pairs = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 2:
            raise ImportProblem(f"{name}, line {number}: expected 2 columns, found {len(row)}.")
        pairs.append((row[0], row[1]))
    return _finish(pairs, keys, name)


# Documents: text that follows the form --------------------------------------------------


def _normal(text):
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def docx_lines(data, name="file"):
    """The paragraphs and table rows of a Word document, as lines of text."""
    import docx  # python-docx; imported here so the app loads without reading documents

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ImportProblem(f"{name}: not a Word document (.docx) ({error}).") from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = []
            for cell in row.cells:
                if cell.text not in cells:  # merged cells repeat their text
                    cells.append(cell.text)
            lines.append(": ".join(cells))
    return lines


def pdf_lines(data, name="file"):
    """The text of a PDF's pages, as lines."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise ImportProblem(f"{name}: not a readable PDF ({error}).") from None
    if not text.strip():
        raise ImportProblem(
            f"{name}: the PDF has no text layer (a scan?); enter the values by hand."
        )
    return text.splitlines()


def map_lines(lines, specs):
    """Values for the fields whose label (optionally after its number) starts a line; the text
    after the label on that line and the lines up to the next label are the value."""
    labels = sorted(((_normal(spec.label), spec) for spec in specs), key=lambda pair: -len(pair[0]))
    sections = {_normal(spec.section) for spec in specs}
    parsed = Parsed()
    current, collected = None, []

    def close():
        if current is not None and current.key not in parsed.values:
            text = "\n".join(line for line in collected if line).strip()
            if text:
                parsed.values[current.key] = _value(text)

    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        normal = _normal(line)
        meta = re.match(
            r"^(document version|version number|last updated)\b\s*[:\-]?\s*(.*)$", line, re.I
        )
        if meta and current is None:
            _meta(parsed, meta.group(1).lower(), meta.group(2))
            continue
        stripped = re.sub(r"^[0-9]+(?: [0-9]+)*\s*", "", normal)
        match = next((spec for label, spec in labels if stripped.startswith(label)), None)
        if match is not None:
            close()
            current, collected = match, [_after_label(line, match.label)]
        elif re.sub(r"^[0-9]+\s*", "", normal) in sections:
            close()
            current, collected = None, []
        elif current is not None:
            collected.append(line)
    close()
    parsed.unmapped = [spec.key for spec in specs if spec.key not in parsed.values]
    if not parsed.values:
        raise ImportProblem(
            "No field of the form was found: the document's labels do not follow the Model "
            "Documentation Form. Enter the values by hand or use a JSON or CSV file."
        )
    return parsed


def _after_label(line, label):
    """The text after the label on its line, without the separator."""
    words = [re.escape(word) for word in _normal(label).split()]
    pattern = r"^[\s0-9.\-–]*" + r"[^a-z0-9]+".join(words) + r"\)?(?:\s*\([^)]*\))?\s*[:\-–]?\s*"
    return re.sub(pattern, "", line, count=1, flags=re.I).strip()


def _meta(parsed, name, text):
    text = text.strip()
    if name == "last updated":
        # A date in another format is left for the person to enter.
        with contextlib.suppress(ValueError):
            parsed.last_updated = datetime.date.fromisoformat(text)
    elif text:
        parsed.document_version = text[:50]


def parse_document(data, specs, name):
    """A Word (.docx) or PDF file that follows the form."""
    if len(data) > MAX_BYTES:
        raise ImportProblem(f"{name}: larger than 10 MB.")
    if data.startswith(b"%PDF"):
        lines = pdf_lines(data, name)
    elif data.startswith(b"PK"):
        lines = docx_lines(data, name)
    else:
        raise ImportProblem(f"{name}: neither a Word document (.docx) nor a PDF.")
    try:
        return map_lines(lines, specs)
    except ImportProblem as problem:
        raise ImportProblem(f"{name}: {problem}") from None


def parse(data, name, specs):
    """Any supported file, told apart by its name's ending."""
    keys = {spec.key for spec in specs}
    ending = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ending == "json":
        return parse_json(data, keys, name)
    if ending == "csv":
        return parse_csv(data, keys, name)
    if ending in ("docx", "pdf"):
        return parse_document(data, specs, name)
    raise ImportProblem(f"{name}: use a .json, .csv, .docx or .pdf file.")
