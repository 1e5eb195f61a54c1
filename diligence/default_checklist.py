"""The default due-diligence checklist, read from `diligence/data/checklist/v<N>.yaml`.

Each file is one version of the checklist that installations start with; `load(N)` reads and
validates it. Codes are stable: assessments and clause rules refer to them, so a changed item
keeps its code and a new one gets the next free number. `required` is true where the item checks
a duty the AI Act itself imposes, false where it checks a Code of Practice measure or good
practice. Texts are our own summaries; the legal basis and Code measure say where to read the
original.

Adding a version: copy the newest file to the next number (`v2.yaml`), set `version: 2` in it and
change the items; then add a data migration whose RunPython calls `publish_version(apps, 2)`: it
publishes the items as the next checklist version and retires the one it replaces. Never edit a
file that a migration already loads: a fresh database must get exactly what existing ones got
(a test pins the content of v1). `ITEMS` and `VERSION_NAME` are those of the newest file.
"""

from pathlib import Path

from core import curated
from diligence.applicability import AppliesTo, Category, Condition, ItemRule

DATA = Path(__file__).resolve().parent / "data" / "checklist"


def _text(max_length=None):
    schema = {"type": "string", "minLength": 1, "pattern": r"\S"}
    if max_length:
        schema["maxLength"] = max_length
    return schema


def item_schema():
    """The JSON Schema of one item in a file; the choices are the applicability rules' own."""
    return {
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


def _item_fields(item):
    # The file says "evidence"; the column is evidence_requested.
    fields = dict(item)
    fields["evidence_requested"] = fields.pop("evidence")
    return fields


FILES = curated.ContentFiles(
    DATA,
    item_schema,
    rows="items",
    unique=("code", "order"),
    library=("diligence.Checklist", "diligence.ChecklistItem", "checklist"),
    row_fields=_item_fields,
)
# versions() lists the file versions; load(N) is version N as a dict (name, version, notes,
# items), or a ContentError saying what is wrong with its file; publish_version(apps, N) in a
# data migration publishes it as the next checklist version and retires the one it replaces.
versions = FILES.versions
load = FILES.load
publish_version = FILES.publish_version


def rules(items=None):
    """The applicability rules of the items (the newest version's by default), in checklist order."""
    return [
        ItemRule(
            code=item["code"],
            category=item["category"],
            applies_to=item["applies_to"],
            condition=item["condition"],
        )
        for item in (FILES.newest()["items"] if items is None else items)
    ]


# ITEMS and VERSION_NAME: the newest file's items and name.
__getattr__ = FILES.module_getattr(__name__, ITEMS="items", VERSION_NAME="name")
