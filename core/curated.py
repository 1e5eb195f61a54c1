"""Curated default content kept as data: one YAML file per version, checked against a JSON Schema.

An app keeps its default content (the checklist, the clause library) in
`<app>/data/<kind>/v1.yaml`, `v2.yaml`, ... and reads it through a `ContentFiles`. A file that is
not valid YAML, does not match the schema, names another version or has a row its app refuses
is refused with a `ContentError` that names the file and the place of each problem.
"""

import copy as copy_module
import re
from pathlib import Path

import jsonschema
import yaml

from core.library.services import library_install

# The C loader when PyYAML was built with libyaml; both are the safe loader.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_VERSION_FILE = re.compile(r"v([1-9][0-9]*)\.yaml")


class ContentError(ValueError):
    """A content file that cannot be used, with a message saying what is wrong and where."""


class ContentFiles:
    """The version files of one kind of content, each read and checked once.

    A file holds `name`, `version`, `notes` and the list of rows named by `rows` ("items").
    `row_schema` is a function returning the JSON Schema of one row; `unique` names the row
    fields whose values must differ from row to row; `check_row`, if given, returns the problems
    of one row as "field: message" strings.

    Where the content is a versioned library, `library` names its models and the rows' foreign
    key, e.g. `("diligence.Checklist", "diligence.ChecklistItem", "checklist")`, and `row_fields`
    turns a row of the file into the row's field values (by default the row as it is); then
    `publish_version` publishes a file from a data migration.
    """

    def __init__(
        self, folder, row_schema, *, rows, unique=(), check_row=None, library=None, row_fields=dict
    ):
        self.folder = Path(folder)
        self.row_schema = row_schema
        self.rows = rows
        self.unique = tuple(unique)
        self.check_row = check_row
        self.library = library
        self.row_fields = row_fields
        self._loaded = {}

    def at(self, folder):
        """The same kind of content in another folder."""
        copy = copy_module.copy(self)
        copy.folder, copy._loaded = Path(folder), {}
        return copy

    def schema(self):
        """The JSON Schema of a whole file."""
        text = {"type": "string", "minLength": 1, "pattern": r"\S", "maxLength": 200}
        return {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "version", "notes", self.rows],
            "properties": {
                "name": text,
                "version": {"type": "integer", "minimum": 1},
                "notes": {"type": "string"},
                self.rows: {"type": "array", "minItems": 1, "items": self.row_schema()},
            },
        }

    def versions(self):
        """The version numbers there are files for, oldest first."""
        return versions(self.folder)

    def load(self, version):
        """Version `version` as a dict; ContentError when its file cannot be used."""
        if version not in self._loaded:
            unique = tuple((self.rows, field) for field in self.unique)
            data = load_version(self.folder, version, self.schema(), unique=unique)
            for index, row in enumerate(data[self.rows] if self.check_row else ()):
                if problems := self.check_row(row):
                    where = f"v{version}.yaml: {self.rows}[{index}]"
                    raise ContentError("\n".join(f"{where}.{problem}" for problem in problems))
            self._loaded[version] = data
        return self._loaded[version]

    def newest(self):
        return self.load(self.versions()[-1])

    def publish_version(self, apps, version, *, retire=True):
        """In a data migration (`apps` is its app registry): publish file `version` as the next
        version of the library, retiring the versions published before it unless `retire` is
        false. Returns the new version's row."""
        library_model, row_model, library_field = self.library
        content = self.load(version)
        return library_install(
            library_model=apps.get_model(library_model),
            row_model=apps.get_model(row_model),
            library_field=library_field,
            content=content,
            rows=[self.row_fields(row) for row in content[self.rows]],
            retire=retire,
        )

    def module_getattr(self, module_name, **names):
        """A module `__getattr__` that gives parts of the newest file under module names,
        read on first use so a broken file fails where it is used rather than at import:
        `__getattr__ = FILES.module_getattr(__name__, ITEMS="items", VERSION_NAME="name")`."""

        def __getattr__(name):
            if name in names:
                return self.newest()[names[name]]
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")

        return __getattr__


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
