"""Validation and storage of uploaded evidence files.

The type of a file is decided from its content, never from its name or the browser's
Content-Type, and the name must agree with it. Stored files get a generated name; the
uploaded name is kept only as a cleaned display name.
"""

import codecs
import hashlib
import logging
import math
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from pypdf import PdfReader

# pypdf logs what it repairs in a damaged file; whether the file is refused is said to the user.
logging.getLogger("pypdf").setLevel(logging.ERROR)

MEGABYTE = 1024 * 1024
DISPLAY_NAME_MAX_LENGTH = 150
# Real Word and Excel files expand a few times to a few dozen times; a zip bomb, hundreds of times.
ZIP_MAX_ENTRIES = 5_000
ZIP_MAX_UNCOMPRESSED_BYTES = 200 * MEGABYTE
ZIP_MAX_RATIO = 100
ZIP_RATIO_CHECK_FROM_BYTES = MEGABYTE

ACCEPTED_TYPES_MESSAGE = (
    "Only PDF, Word (.docx), Excel (.xlsx), PNG, JPEG, text, Markdown and CSV files are accepted."
)


@dataclass(frozen=True)
class DetectedType:
    kind: str  # what the content is; .txt, .md and .csv share the kind "text"
    label: str  # for messages: "This file is <label> ..."
    content_type: str
    extension: str  # the extension a stored file of this type gets


PDF = DetectedType("pdf", "a PDF document", "application/pdf", "pdf")
PNG = DetectedType("png", "a PNG image", "image/png", "png")
JPEG = DetectedType("jpeg", "a JPEG image", "image/jpeg", "jpg")
DOCX = DetectedType(
    "docx",
    "a Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
)
XLSX = DetectedType(
    "xlsx",
    "an Excel workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
)
TEXT = DetectedType("text", "a text file", "text/plain", "txt")
MARKDOWN = DetectedType("text", "a text file", "text/markdown", "md")
CSV = DetectedType("text", "a text file", "text/csv", "csv")
JSON = DetectedType("text", "a text file", "application/json", "json")

TYPES_BY_EXTENSION = {
    "pdf": PDF,
    "png": PNG,
    "jpg": JPEG,
    "jpeg": JPEG,
    "docx": DOCX,
    "xlsx": XLSX,
    "txt": TEXT,
    "md": MARKDOWN,
    "csv": CSV,
}

# Files a record is imported from (a filled form as JSON, a summary as .markdown) are kept as
# evidence is; they may also have these endings.
IMPORT_TYPES = {**TYPES_BY_EXTENSION, "json": JSON, "markdown": MARKDOWN}

_MAGIC = [(b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG)]
_ZIP_MAGIC = b"PK\x03\x04"
_HEAD_BYTES = 8

# Tab, LF and CR are text; other C0 controls, DEL and C1 controls mean binary or a wrong encoding.
_BINARY_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# <html, <!doctype, <svg, <?xml, <script ...: a browser may render it, so it is not text evidence.
_MARKUP_START = re.compile(r"<[A-Za-z!?/]")
_UNSAFE_NAME_CHARACTERS = re.compile(r'["\\/:*?<>|]')
_REMOVED_CATEGORIES = {"Cc", "Cf", "Cs", "Co"}  # controls, bidi overrides, surrogates, private use
_EXTENSION = re.compile(r"[A-Za-z0-9]{1,10}")
_STORAGE_NAME = re.compile(r"evidence/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{32}\.[a-z]{2,4}")


@dataclass(frozen=True)
class StoredFile:
    storage_name: str
    original_name: str  # the safe display name, never a path
    content_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class _Inspection:
    detected: DetectedType
    size: int
    sha256: str


def validate_evidence_file(uploaded_file):
    """The type of an acceptable evidence file; ValidationError with the reason otherwise."""
    return _inspect(uploaded_file).detected


def store_evidence_file(uploaded_file, *, accepted=TYPES_BY_EXTENSION):
    """Validate the file and save it under a generated name in the default storage.
    `accepted` maps the name endings allowed to their types (IMPORT_TYPES for imports)."""
    inspection = _inspect(uploaded_file, accepted)
    key = uuid.uuid4().hex
    name = f"evidence/{key[:2]}/{key[2:4]}/{key}.{inspection.detected.extension}"
    uploaded_file.seek(0)
    storage_name = default_storage.save(name, uploaded_file)
    return StoredFile(
        storage_name=storage_name,
        original_name=safe_display_name(uploaded_file.name),
        content_type=inspection.detected.content_type,
        size=inspection.size,
        sha256=inspection.sha256,
    )


def delete_stored_file(storage_name):
    """Remove a file saved by store_evidence_file, e.g. when the row that pointed to it was not
    written. Refuses any other name, so it can never delete outside the evidence folder."""
    if not _STORAGE_NAME.fullmatch(storage_name):
        raise ValueError(f"Not an evidence storage name: {storage_name!r}")
    default_storage.delete(storage_name)


def safe_display_name(name):
    """A name fit to show and to offer as a download name: no path, no control characters,
    no characters that break a Content-Disposition header, at most ~150 characters.
    A name with nothing left before its extension becomes "evidence.<extension>"."""
    stem, extension = _split_name(name)
    stem = stem or "evidence"
    if not extension:
        return stem[:DISPLAY_NAME_MAX_LENGTH].rstrip(" .")
    stem = stem[: DISPLAY_NAME_MAX_LENGTH - len(extension) - 1].rstrip(" .")
    return f"{stem}.{extension}"


def stored_file_response(storage_name, *, content_type, filename):
    """A stored file as a download: never shown inline, and its type never sniffed."""
    response = FileResponse(default_storage.open(storage_name, "rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_attachment(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def content_disposition_attachment(filename):
    """A Content-Disposition value with an ASCII fallback and the full UTF-8 name (RFC 6266)."""
    name = safe_display_name(filename)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = safe_display_name(re.sub(r"[^A-Za-z0-9 ._()-]", "_", ascii_name))
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


class EvidenceFileField(forms.FileField):
    """A file field that refuses anything validate_evidence_file refuses, on the field."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = ",".join(f".{extension}" for extension in TYPES_BY_EXTENSION)
        return attrs

    def clean(self, data, initial=None):
        uploaded_file = super().clean(data, initial)
        if isinstance(uploaded_file, UploadedFile):
            validate_evidence_file(uploaded_file)
        return uploaded_file


def _inspect(uploaded_file, accepted=TYPES_BY_EXTENSION):
    limit = settings.EVIDENCE_MAX_BYTES
    declared_size = getattr(uploaded_file, "size", None)
    if declared_size == 0:
        raise ValidationError("The file is empty.", code="empty")
    if declared_size is not None and declared_size > limit:
        raise _too_large(declared_size, limit)

    uploaded_file.seek(0)
    head = uploaded_file.read(_HEAD_BYTES)
    detected = next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)
    is_zip = head.startswith(_ZIP_MAGIC)
    text = _TextCheck() if detected is None and not is_zip else None

    # One pass in chunks: the size is checked against the limit as it grows, whatever the
    # upload claimed, and the hash and the text check see every byte exactly once.
    size = 0
    sha256 = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        size += len(chunk)
        if size > limit:
            raise _too_large(max(size, declared_size or 0), limit)
        sha256.update(chunk)
        if text is not None:
            text.feed(chunk)
    if size == 0:
        raise ValidationError("The file is empty.", code="empty")

    extension = _split_name(uploaded_file.name)[1].lower()
    if detected is PDF:
        _check_pdf(uploaded_file)
    if is_zip:
        detected = _office_type(uploaded_file)
    elif text is not None:
        text.finish(extension, accepted)
        detected = TEXT
    uploaded_file.seek(0)
    return _Inspection(_check_extension(detected, extension, accepted), size, sha256.hexdigest())


def _too_large(size, limit):
    size_mb = math.ceil(size / MEGABYTE * 10) / 10  # rounded up, so it never reads as the limit
    return ValidationError(
        f"Files can be at most {_megabytes(limit / MEGABYTE)} MB; "
        f"this one is {_megabytes(size_mb)} MB.",
        code="too_large",
    )


def _megabytes(value):
    return f"{value:.1f}".removesuffix(".0")


def _check_extension(detected, extension, accepted):
    claimed = accepted.get(extension)
    if claimed and claimed.kind == detected.kind:
        return claimed
    if not extension:
        raise ValidationError(
            f"This file is {detected.label} but its name has no extension. "
            f"Name it .{detected.extension} and upload it again.",
            code="extension_mismatch",
        )
    raise ValidationError(
        f"This file is {detected.label} but is named .{extension[:20]}. "
        "Upload it with its real extension.",
        code="extension_mismatch",
    )


def _office_type(uploaded_file):
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        raise ValidationError(
            "This file looks like a Word or Excel file but is damaged and cannot be opened.",
            code="zip_damaged",
        ) from None

    # zipfile finds the archive from the end of the file; a file that does not start with that
    # archive is something else (an image, a second archive) with an archive glued on.
    if not entries or min(entry.header_offset for entry in entries) != 0:
        raise ValidationError(
            "This file has other data before its content, so it is not accepted.",
            code="zip_polyglot",
        )
    # Sizes come from the archive's directory, so this costs no decompression; Python's zipfile
    # also stops reading an entry at its declared size, so the declaration binds later readers.
    too_big = (
        len(entries) > ZIP_MAX_ENTRIES
        or sum(entry.file_size for entry in entries) > ZIP_MAX_UNCOMPRESSED_BYTES
    )
    expands_too_much = any(
        entry.file_size > ZIP_RATIO_CHECK_FROM_BYTES
        and entry.file_size > ZIP_MAX_RATIO * max(entry.compress_size, 1)
        for entry in entries
    )
    if too_big or expands_too_much:
        raise ValidationError(
            "This file expands to far more data than a Word or Excel file would, "
            "so it is not accepted.",
            code="zip_bomb",
        )

    names = {entry.filename for entry in entries}
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError(
            "Word and Excel files with macros are not accepted. "
            "Save it as .docx or .xlsx without macros and upload it again.",
            code="macros",
        )
    for main_part, detected in (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX)):
        if "[Content_Types].xml" in names and main_part in names:
            _check_office_part(uploaded_file, main_part, detected)
            return detected
    raise ValidationError(
        "ZIP archives are not accepted; only Word (.docx) and Excel (.xlsx) files are.",
        code="zip_unsupported",
    )


def _check_pdf(uploaded_file):
    """A PDF must open and have a page: `%PDF-` alone, or the start of a real file, is not
    evidence anyone can read."""
    uploaded_file.seek(0)
    try:
        page_count = len(PdfReader(uploaded_file).pages)
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of error on a damaged file
        page_count = 0
    if page_count < 1:
        raise ValidationError(
            "This PDF is damaged, incomplete or password-protected and cannot be opened. "
            "Save it again from the original and upload it.",
            code="pdf_damaged",
        )


def _check_office_part(uploaded_file, main_part, detected):
    """The main part of a Word or Excel file must read to its end with a correct checksum and
    be XML: an archive with the right names but a broken document is refused."""
    try:
        with zipfile.ZipFile(uploaded_file) as archive, archive.open(main_part) as part:
            start = part.read(64)
            while part.read(MEGABYTE):
                pass  # zipfile checks the CRC when the entry has been read to its end
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
        start = b""
    if not start.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<"):
        raise ValidationError(
            f"This file is named as {detected.label} but is damaged and cannot be opened.",
            code="zip_damaged",
        )


class _TextCheck:
    """Fed the file chunk by chunk; decides whether it is UTF-8 text that is not markup."""

    def __init__(self):
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._start = ""  # the first non-blank characters, enough to recognise a tag
        self._problem = None

    def feed(self, chunk, final=False):
        if self._problem:
            return
        try:
            decoded = self._decoder.decode(chunk, final)
        except UnicodeDecodeError:
            self._problem = "not_utf8"
            return
        if len(self._start) < 2:
            self._start = (self._start + decoded).lstrip()[:64]
            if _MARKUP_START.match(self._start):
                self._problem = "markup"
                return
        if _BINARY_CHARACTERS.search(decoded):
            self._problem = "binary"

    def finish(self, extension, accepted):
        self.feed(b"", final=True)
        if self._problem == "markup":
            raise ValidationError(
                "HTML, SVG and XML files are not accepted as evidence.", code="markup"
            )
        claimed = accepted.get(extension)
        if self._problem and not (claimed and claimed.kind == "text"):
            # Named as something other than text and not text either: an unknown binary.
            raise ValidationError(ACCEPTED_TYPES_MESSAGE, code="unsupported")
        if self._problem == "not_utf8":
            raise ValidationError(
                "Text files must be UTF-8 encoded. Save the file as UTF-8 and upload it again.",
                code="not_utf8",
            )
        if self._problem == "binary":
            raise ValidationError(
                "This file contains binary data, so it is not accepted as text.", code="binary"
            )


def _split_name(name):
    """The cleaned (stem, extension) of an uploaded name; the extension is "" if there is none."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = re.sub(r"\s+", " ", name)
    name = "".join(char for char in name if unicodedata.category(char) not in _REMOVED_CATEGORIES)
    name = _UNSAFE_NAME_CHARACTERS.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip()
    stem, dot, extension = name.rpartition(".")
    if not dot or not _EXTENSION.fullmatch(extension):
        stem, extension = name, ""
    return stem.strip(" ."), extension
