"""The default clause library, read from `contracts/data/clauses/v<N>.yaml`.

Each file is one version of the clauses a buyer asks of a GPAI model supplier, the library that
installations start with; `load(N)` reads and validates it. Keys are stable: Legal's changes to
clause packs refer to them, so a changed clause keeps its key. The texts are our own drafting,
not legal advice; the legal basis says where to read the rule a clause builds on.

Clause text: paragraphs are separated by a blank line; a paragraph that starts with "(a) ",
"(b) " ... is an item of a list. Placeholders are those of `contracts.placeholders`, checked on
load like the admin checks them on save.

Adding a version: copy the newest file to the next number (`v2.yaml`), set `version: 2` in it and
change the clauses; then add a data migration that creates the version from `load(2)`, publishes
it and retires the one it replaces. Never edit a file that a migration already loads: a fresh
database must get exactly what existing ones got. `CLAUSES` and `VERSION_NAME` are those of the
newest file.
"""

import functools
from pathlib import Path

from contracts import placeholders
from contracts.models import ClauseCategory
from contracts.triggers import TriggerKind
from core import curated

DATA = Path(__file__).resolve().parent / "data" / "clauses"


def schema():
    """The JSON Schema a clause library file must match; the choices are the models' own."""
    text = {"type": "string", "minLength": 1, "pattern": r"\S"}
    clause = {
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
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "version", "notes", "clauses"],
        "properties": {
            "name": {**text, "maxLength": 200},
            "version": {"type": "integer", "minimum": 1},
            "notes": {"type": "string"},
            "clauses": {"type": "array", "minItems": 1, "items": clause},
        },
    }


def versions():
    """The version numbers there are files for, oldest first."""
    return curated.versions(DATA)


@functools.cache
def load(version):
    """The library version `version` as a dict (name, version, notes, clauses); ContentError if bad."""
    data = curated.load_version(
        DATA, version, schema(), unique=(("clauses", "key"), ("clauses", "order"))
    )
    for index, clause in enumerate(data["clauses"]):
        problems = placeholders.errors(clause["body"])
        if problems:
            raise curated.ContentError(
                f"v{version}.yaml: clauses[{index}].body: " + " ".join(problems)
            )
    return data


def _newest():
    return load(versions()[-1])


def __getattr__(name):
    # Read on first use, so a broken file fails where it is used rather than at import.
    if name == "CLAUSES":
        return _newest()["clauses"]
    if name == "VERSION_NAME":
        return _newest()["name"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
