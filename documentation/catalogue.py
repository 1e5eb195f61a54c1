"""The Model Documentation Form's field catalogue, read from `documentation/data/mdf/v<N>.yaml`.

Each file is one version of the form: its fields with their numbers, sections, audiences
(AI Office, national authorities, downstream providers), the granularity where the form asks
the same question coarsely for national authorities and precisely for the AI Office, whether
"N/A" is allowed and whether numbers need two significant figures. `unverified` says what is
inferred rather than read on the form. Keys are stable across versions: imports and MDF values
refer to them.

A revised form: copy the newest file to the next number, set `version`, change the fields and
add a data migration whose RunPython calls `publish_version(apps, N)`. Never edit a file that a
migration already loads.
"""

from pathlib import Path

from core import curated
from documentation.models import Audience, FieldKind, Granularity

DATA = Path(__file__).resolve().parent / "data" / "mdf"


def field_schema():
    """The JSON Schema of one field in a file; the choices are the models' own."""
    text = {"type": "string", "minLength": 1, "pattern": r"\S"}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "key",
            "number",
            "section",
            "label",
            "guidance",
            "kind",
            "audiences",
            "granularity",
            "na_allowed",
            "significant_figures",
            "unverified",
            "order",
        ],
        "properties": {
            "key": {"type": "string", "pattern": r"^[a-z0-9-]+$", "maxLength": 60},
            "number": {**text, "maxLength": 20},
            "section": {**text, "maxLength": 200},
            "label": {**text, "maxLength": 200},
            "guidance": text,
            "kind": {"enum": sorted(FieldKind.values)},
            "choices": {"type": "array", "items": {**text, "maxLength": 100}, "minItems": 1},
            "audiences": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"enum": sorted(Audience.values)},
            },
            "granularity": {"enum": sorted(Granularity.values)},
            "na_allowed": {"type": "boolean"},
            "significant_figures": {"type": "boolean"},
            "unverified": {"type": "string", "maxLength": 300},
            "order": {"type": "integer", "minimum": 0},
        },
    }


def _field_problems(field):
    problems = []
    if (field["kind"] == FieldKind.CHOICE) != bool(field.get("choices")):
        problems.append("choices: a choice field needs choices, and only a choice field has them")
    if field["significant_figures"] and field["kind"] != FieldKind.NUMBER:
        problems.append("significant_figures: only number fields count significant figures")
    return problems


FILES = curated.ContentFiles(
    DATA,
    field_schema,
    rows="fields",
    unique=("key", "order"),
    check_row=_field_problems,
    library=("documentation.MdfCatalogue", "documentation.MdfField", "catalogue"),
    row_fields=lambda field: {"choices": [], **field},
)
versions = FILES.versions
load = FILES.load
publish_version = FILES.publish_version

# FIELDS and VERSION_NAME: the newest file's fields and name.
__getattr__ = FILES.module_getattr(__name__, FIELDS="fields", VERSION_NAME="name")
