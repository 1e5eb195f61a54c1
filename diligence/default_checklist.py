"""The default due-diligence checklist, read from `diligence/data/checklist/v<N>.yaml`.

Each file is one version of the checklist that installations start with; `load(N)` reads and
validates it. Codes are stable: assessments and clause rules refer to them, so a changed item
keeps its code and a new one gets the next free number. `required` is true where the item checks
a duty the AI Act itself imposes, false where it checks a Code of Practice measure or good
practice. Texts are our own summaries; the legal basis and Code measure say where to read the
original.

Adding a version: copy the newest file to the next number (`v2.yaml`), set `version: 2` in it and
change the items; then add a data migration that creates the version from `load(2)`, publishes it
and retires the one it replaces. Never edit a file that a migration already loads: a fresh
database must get exactly what existing ones got. `ITEMS` and `VERSION_NAME` are those of the
newest file.
"""

import functools
from pathlib import Path

from core import curated
from diligence.applicability import AppliesTo, Category, Condition, ItemRule

DATA = Path(__file__).resolve().parent / "data" / "checklist"


def _text(max_length=None):
    schema = {"type": "string", "minLength": 1, "pattern": r"\S"}
    if max_length:
        schema["maxLength"] = max_length
    return schema


def schema():
    """The JSON Schema a checklist file must match; the choices are the applicability rules' own."""
    item = {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "code",
            "category",
            "title",
            "guidance",
            "evidence",
            "legal_basis",
            "code_ref",
            "applies_to",
            "condition",
            "required",
            "order",
        ],
        "properties": {
            "code": {"type": "string", "pattern": r"^[A-Z]+-[0-9]+$", "maxLength": 20},
            "category": {"enum": sorted(Category.VALUES)},
            "title": _text(max_length=300),
            "guidance": _text(),
            "evidence": _text(),
            "legal_basis": _text(max_length=300),
            "code_ref": {"type": "string", "maxLength": 200},
            "applies_to": {"enum": sorted(AppliesTo.VALUES)},
            "condition": {"enum": sorted(Condition.VALUES)},
            "required": {"type": "boolean"},
            "order": {"type": "integer", "minimum": 0},
        },
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "version", "notes", "items"],
        "properties": {
            "name": _text(max_length=200),
            "version": {"type": "integer", "minimum": 1},
            "notes": {"type": "string"},
            "items": {"type": "array", "minItems": 1, "items": item},
        },
    }


def versions():
    """The version numbers there are files for, oldest first."""
    return curated.versions(DATA)


@functools.cache
def load(version):
    """The checklist version `version` as a dict (name, version, notes, items); ContentError if bad."""
    return curated.load_version(
        DATA, version, schema(), unique=(("items", "code"), ("items", "order"))
    )


def rules(items=None):
    """The applicability rules of the items (the newest version's by default), in checklist order."""
    return [
        ItemRule(
            code=item["code"],
            category=item["category"],
            applies_to=item["applies_to"],
            condition=item["condition"],
        )
        for item in (_newest()["items"] if items is None else items)
    ]


def _newest():
    return load(versions()[-1])


def __getattr__(name):
    # Read on first use, so a broken file fails where it is used rather than at import.
    if name == "ITEMS":
        return _newest()["items"]
    if name == "VERSION_NAME":
        return _newest()["name"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
