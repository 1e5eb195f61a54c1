import hashlib
import json

import pytest
from django.apps import apps as django_apps
from django.db.models import F

from contracts import default_clauses
from contracts.models import ClauseLibrary
from core.curated import ContentError, load_version, versions
from diligence import default_checklist
from diligence.models import Checklist

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


def test_checklist_file_with_an_unknown_category_is_refused(tmp_path):
    good = (default_checklist.DATA / "v1.yaml").read_text(encoding="utf-8")
    write(tmp_path, "v1.yaml", good.replace("category: copyright", "category: copyrite", 1))

    with pytest.raises(ContentError, match=r"items\[\d+\]\.category: 'copyrite' is not one of"):
        default_checklist.FILES.at(tmp_path).load(1)


def test_clause_file_with_an_unknown_placeholder_is_refused(tmp_path):
    good = (default_clauses.DATA / "v1.yaml").read_text(encoding="utf-8")
    write(tmp_path, "v1.yaml", good.replace("{{ model.name }}", "{{ model.owner }}", 1))

    with pytest.raises(ContentError, match=r"clauses\[0\]\.body: Unknown placeholder"):
        default_clauses.FILES.at(tmp_path).load(1)


def test_shipped_files_load_and_v1_is_the_first_version():
    assert default_checklist.versions()[0] == 1
    assert default_clauses.versions()[0] == 1
    assert default_checklist.load(1)["items"][0]["code"] == "DOC-01"
    assert default_clauses.load(1)["clauses"][0]["key"] == "definitions"


@pytest.mark.django_db
def test_a_new_database_gets_checklist_v1_exactly_as_in_its_file():
    content = default_checklist.load(1)
    checklist = Checklist.objects.get(version=1)
    fields = [key for key in content["items"][0] if key != "evidence"]

    rows = checklist.items.order_by("order").values(*fields, evidence=F("evidence_requested"))
    stored = list(rows)

    assert (checklist.name, checklist.notes) == (content["name"], content["notes"])
    assert stored == content["items"]


@pytest.mark.django_db
@pytest.mark.parametrize("version", [1, 2, 3])
def test_a_new_database_gets_each_clause_library_version_exactly_as_in_its_file(version):
    content = default_clauses.load(version)
    library = ClauseLibrary.objects.get(version=version)

    stored = list(library.clauses.order_by("order").values(*content["clauses"][0]))

    assert (library.name, library.notes) == (content["name"], content["notes"])
    assert stored == content["clauses"]


# SHA-256 of the canonical JSON of each released file's content. v1 is the content the app
# shipped before it moved into YAML; clause library v2 is what migration 0005 published before
# v3 replaced it. Data migrations load these files, so they must never change; a new version
# goes into a new file.
SHIPPED = {
    ("checklist", 1): "b646976fa4acb6b503ee07a29b3ac444ff94af1d011e0089802b6f7014dffe11",
    ("clauses", 1): "59bfc440475bccf5ffb235c0798f5871367a7f0bdcf5cd330381bdde4d29be60",
    ("clauses", 2): "c9d9ccfdb6c0f7a9a70fb082a6cf2c603d12c3bdba83a56cd3bf24d61791d9ff",
}
LOADERS = {"checklist": default_checklist, "clauses": default_clauses}


@pytest.mark.parametrize(("name", "version"), sorted(SHIPPED))
def test_released_files_keep_the_content_migrations_published(name, version):
    canonical = json.dumps(LOADERS[name].load(version), sort_keys=True, ensure_ascii=False)

    assert hashlib.sha256(canonical.encode()).hexdigest() == SHIPPED[name, version]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("loader", "model", "rows"),
    [(default_checklist, Checklist, "items"), (default_clauses, ClauseLibrary, "clauses")],
)
def test_publishing_a_file_version_adds_the_next_version_and_retires_the_older(loader, model, rows):
    # The migrations published each file in turn; the newest is published, the others retired.
    newest = loader.versions()[-1]
    current = model.objects.get(version=newest)
    assert current.status == "published"

    shipped = loader.publish_version(django_apps, newest)

    current.refresh_from_db()
    assert (shipped.version, shipped.status, shipped.based_on_id) == (
        newest + 1,
        "published",
        current.pk,
    )
    assert current.status == "retired"
    assert getattr(shipped, rows).count() == getattr(current, rows).count()


@pytest.mark.django_db
def test_publishing_a_file_version_can_keep_the_older_published():
    default_clauses.publish_version(django_apps, 3, retire=False)

    assert set(ClauseLibrary.objects.values_list("version", "status")) == {
        (1, "retired"),
        (2, "retired"),
        (3, "published"),
        (4, "published"),
    }
