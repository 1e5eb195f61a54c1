import pytest

from contracts import default_clauses
from core.curated import ContentError, load_version, versions
from diligence import default_checklist

SCHEMA = {
    "type": "object",
    "required": ["version", "rows"],
    "properties": {
        "version": {"type": "integer"},
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code"],
                "properties": {"code": {"type": "string"}},
            },
        },
    },
}


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_versions_are_read_from_file_names_oldest_first(tmp_path):
    for name in ("v2.yaml", "v10.yaml", "v1.yaml", "notes.yaml", "v0.yaml", "v1.yml"):
        write(tmp_path, name, "version: 1\nrows: []\n")

    assert versions(tmp_path) == [1, 2, 10]


def test_a_valid_file_is_loaded(tmp_path):
    write(tmp_path, "v1.yaml", "version: 1\nrows:\n- code: A-01\n")

    assert load_version(tmp_path, 1, SCHEMA) == {"version": 1, "rows": [{"code": "A-01"}]}


def test_file_that_is_not_yaml_is_refused_naming_the_file(tmp_path):
    write(tmp_path, "v1.yaml", "version: 1\nrows: [\n")

    with pytest.raises(ContentError, match=r"^v1\.yaml: not valid YAML"):
        load_version(tmp_path, 1, SCHEMA)


def test_schema_problems_are_listed_with_their_place(tmp_path):
    write(tmp_path, "v1.yaml", "version: 1\nrows:\n- code: 7\n- {}\n")

    with pytest.raises(ContentError) as refused:
        load_version(tmp_path, 1, SCHEMA)

    message = str(refused.value)
    assert message.startswith("v1.yaml: does not match the schema")
    assert "rows[0].code: 7 is not of type 'string'" in message
    assert "rows[1]: 'code' is a required property" in message


def test_file_naming_another_version_is_refused(tmp_path):
    write(tmp_path, "v2.yaml", "version: 1\nrows: []\n")

    with pytest.raises(ContentError, match="says version 1, expected 2"):
        load_version(tmp_path, 2, SCHEMA)


def test_missing_version_is_refused(tmp_path):
    with pytest.raises(ContentError, match="v3.yaml: no such content version"):
        load_version(tmp_path, 3, SCHEMA)


def test_duplicate_codes_are_refused(tmp_path):
    write(tmp_path, "v1.yaml", "version: 1\nrows:\n- code: A\n- code: A\n")

    with pytest.raises(ContentError, match=r"rows\[1\]\.code: 'A' is used twice"):
        load_version(tmp_path, 1, SCHEMA, unique=(("rows", "code"),))


def test_checklist_file_with_an_unknown_category_is_refused(tmp_path, monkeypatch):
    good = (default_checklist.DATA / "v1.yaml").read_text(encoding="utf-8")
    write(tmp_path, "v1.yaml", good.replace("category: copyright", "category: copyrite", 1))
    monkeypatch.setattr(default_checklist, "DATA", tmp_path)
    default_checklist.load.cache_clear()

    try:
        with pytest.raises(ContentError, match=r"items\[\d+\]\.category: 'copyrite' is not one of"):
            default_checklist.load(1)
    finally:
        default_checklist.load.cache_clear()


def test_clause_file_with_an_unknown_placeholder_is_refused(tmp_path, monkeypatch):
    good = (default_clauses.DATA / "v1.yaml").read_text(encoding="utf-8")
    write(tmp_path, "v1.yaml", good.replace("{{ model.name }}", "{{ model.owner }}", 1))
    monkeypatch.setattr(default_clauses, "DATA", tmp_path)
    default_clauses.load.cache_clear()

    try:
        with pytest.raises(ContentError, match=r"clauses\[0\]\.body: Unknown placeholder"):
            default_clauses.load(1)
    finally:
        default_clauses.load.cache_clear()


def test_shipped_files_load_and_v1_is_the_first_version():
    assert default_checklist.versions()[0] == 1
    assert default_clauses.versions()[0] == 1
    assert default_checklist.load(1)["items"][0]["code"] == "DOC-01"
    assert default_clauses.load(1)["clauses"][0]["key"] == "definitions"
