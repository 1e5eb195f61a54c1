"""The public register of Code of Practice signatories: reading a file, matching names, diffing.

Pure functions: no request, no ORM. A register file lists, per row, a provider, the chapters
it signed, a date and the source that shows it (CSV, JSON, or
the Commission's signatory page saved as HTML). The parser checks every row
before anything is stored and names the row and column of each problem (`parsing`). Provider
names are matched to suppliers tolerating case, punctuation, accents and legal-form suffixes; a
name that is only similar waits for a person to confirm it (`matching`). The diff says, chapter
by chapter, what the register would change in what the app has recorded (`changes`). The
database side lives in `services` (writes) and `queries` (reads), the pages in `views`.
"""

from vendors.register.changes import (
    CHAPTER_LABELS,
    STATUS_DECLINED,
    STATUS_LABELS,
    STATUS_NOT_SIGNED,
    STATUS_SIGNED,
    STATUS_UNKNOWN,
    STATUS_WITHDRAWN,
    Change,
    ChangeKind,
    Recorded,
    Review,
    chapter_change,
    is_newer_than_list,
    review,
    supplier_changes,
)
from vendors.register.matching import (
    CERTAIN,
    LEGAL_FORMS,
    NO_MATCH,
    UNCERTAIN,
    UNCERTAIN_RATIO,
    Candidate,
    Match,
    display_name,
    match_provider,
    name_key,
    normalise_name,
)
from vendors.register.parsing import (
    CHAPTERS,
    CODE_PUBLISHED,
    DECLINED,
    MAX_ERRORS_SHOWN,
    MAX_FILE_BYTES,
    MAX_ROWS,
    REQUIRED_COLUMNS,
    ROW_STATUSES,
    SIGNED,
    RegisterFileError,
    RegisterRow,
    parse_chapters,
    parse_html_register,
    parse_register,
)

__all__ = [
    "CODE_PUBLISHED",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_ERRORS_SHOWN",
    "CHAPTERS",
    "SIGNED",
    "DECLINED",
    "ROW_STATUSES",
    "REQUIRED_COLUMNS",
    "RegisterFileError",
    "RegisterRow",
    "parse_register",
    "parse_chapters",
    "LEGAL_FORMS",
    "UNCERTAIN_RATIO",
    "CERTAIN",
    "UNCERTAIN",
    "NO_MATCH",
    "normalise_name",
    "name_key",
    "display_name",
    "Candidate",
    "Match",
    "match_provider",
    "ChangeKind",
    "STATUS_SIGNED",
    "STATUS_NOT_SIGNED",
    "STATUS_DECLINED",
    "STATUS_WITHDRAWN",
    "STATUS_UNKNOWN",
    "STATUS_LABELS",
    "CHAPTER_LABELS",
    "Change",
    "chapter_change",
    "supplier_changes",
    "Review",
    "review",
    "Recorded",
    "is_newer_than_list",
    "parse_html_register",
]
