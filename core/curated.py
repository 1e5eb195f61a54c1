"""Curated default content kept as data: one YAML file per version, checked against a JSON Schema.

An app keeps its default content (the checklist, the clause library) in
`<app>/data/<kind>/v1.yaml`, `v2.yaml`, ... and reads it through `load_version`. A file that is
not valid YAML, does not match the schema or names another version is refused with a
`ContentError` that names the file and the place of each problem.
"""

import re
from pathlib import Path

import jsonschema
import yaml

# The C loader when PyYAML was built with libyaml; both are the safe loader.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_VERSION_FILE = re.compile(r"v([1-9][0-9]*)\.yaml")


class ContentError(ValueError):
    """A content file that cannot be used, with a message saying what is wrong and where."""


def versions(folder: Path) -> list[int]:
    """The version numbers of the files in `folder`, oldest first."""
    numbers = (_VERSION_FILE.fullmatch(path.name) for path in folder.glob("v*.yaml"))
    return sorted(int(match.group(1)) for match in numbers if match)


def load_version(folder: Path, version: int, schema: dict, *, unique: tuple = ()) -> dict:
    """The content of `folder/v<version>.yaml`, validated.

    `unique` names (list key, field) pairs whose values must differ from row to row, such as
    `("items", "code")`: JSON Schema cannot say that of objects in a list.
    """
    path = folder / f"v{version}.yaml"
    if not path.is_file():
        raise ContentError(f"{path.name}: no such content version in {folder.name}/")
    data = load_file(path, schema)
    if data["version"] != version:
        raise ContentError(f"{path.name}: says version {data['version']}, expected {version}")
    for list_key, field in unique:
        _require_unique(path.name, data[list_key], list_key, field)
    return data


def load_file(path: Path, schema: dict) -> dict:
    """The YAML content of `path`, refused with every schema problem listed when it does not fit."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)  # noqa: S506
    except yaml.YAMLError as error:
        raise ContentError(f"{path.name}: not valid YAML: {error}") from error
    validator = jsonschema.Draft202012Validator(schema)
    problems = sorted(validator.iter_errors(data), key=lambda error: list(error.absolute_path))
    if problems:
        lines = "\n".join(f"  {_where(error)}: {error.message}" for error in problems)
        raise ContentError(f"{path.name}: does not match the schema:\n{lines}")
    return data


def _where(error) -> str:
    where = ""
    for part in error.absolute_path:
        where += f"[{part}]" if isinstance(part, int) else f".{part}"
    return where.lstrip(".") or "(top level)"


def _require_unique(file_name, rows, list_key, field):
    seen = set()
    for index, row in enumerate(rows):
        if row[field] in seen:
            raise ContentError(
                f"{file_name}: {list_key}[{index}].{field}: {row[field]!r} is used twice"
            )
        seen.add(row[field])
