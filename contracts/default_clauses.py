"""The default clause library, read from `contracts/data/clauses/v<N>.yaml`.

Each file is one version of the clauses a buyer asks of a GPAI model supplier, the library that
installations start with; `load(N)` reads and validates it. Keys are stable: Legal's changes to
clause packs refer to them, so a changed clause keeps its key. The texts are our own drafting,
not legal advice; the legal basis says where to read the rule a clause builds on.

Clause text: paragraphs are separated by a blank line; a paragraph that starts with "(a) ",
"(b) " ... is an item of a list. Placeholders are those of `contracts.placeholders`, checked on
load like the admin checks them on save.

Adding a version: copy the newest file to the next number (`v2.yaml`), set `version: 2` in it and
change the clauses; then add a data migration whose RunPython calls `publish_version(apps, 2)`:
it publishes the clauses as the next library version and retires the one it replaces. Never
edit a file that a migration already loads: a fresh database must get exactly what existing
ones got (a test pins the content of v1). `CLAUSES` and `VERSION_NAME` are those of the newest
file.
"""

from pathlib import Path

from contracts import placeholders
from contracts.models import ClauseCategory
from contracts.triggers import TriggerKind
from core import curated

DATA = Path(__file__).resolve().parent / "data" / "clauses"


def clause_schema():
    """The JSON Schema of one clause in a file; the choices are the models' own."""
    text = {"type": "string", "minLength": 1, "pattern": r"\S"}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "key",
            "title",
            "category",
            "legal_basis",
            "trigger_kind",
            "trigger_param",
            "body",
            "order",
        ],
        "properties": {
            "key": {"type": "string", "pattern": r"^[a-z0-9-]+$", "maxLength": 60},
            "title": {**text, "maxLength": 200},
            "category": {"enum": sorted(ClauseCategory.values)},
            "legal_basis": {**text, "maxLength": 300},
            "trigger_kind": {"enum": sorted(TriggerKind.VALUES)},
            "trigger_param": {"type": "string", "maxLength": 40},
            "body": text,
            "order": {"type": "integer", "minimum": 0},
        },
    }


def _clause_problems(clause):
    # The admin refuses a clause with other placeholders when it is saved; so does the file.
    return [f"body: {problem}" for problem in placeholders.errors(clause["body"])]


FILES = curated.ContentFiles(
    DATA,
    clause_schema,
    rows="clauses",
    unique=("key", "order"),
    check_row=_clause_problems,
    library=("contracts.ClauseLibrary", "contracts.Clause", "library"),
    row_fields=lambda clause: {**clause, "active": True},
)
# versions() lists the file versions; load(N) is version N as a dict (name, version, notes,
# clauses), or a ContentError saying what is wrong with its file; publish_version(apps, N) in a
# data migration publishes it as the next library version, every clause active, and retires
# the one it replaces.
versions = FILES.versions
load = FILES.load
publish_version = FILES.publish_version


# CLAUSES and VERSION_NAME: the newest file's clauses and name.
__getattr__ = FILES.module_getattr(__name__, CLAUSES="clauses", VERSION_NAME="name")
