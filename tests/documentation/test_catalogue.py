"""The MDF catalogue ships as versioned data, is published by a migration and is checked."""

import pytest
import yaml

from core.curated import ContentError
from core.library.services import library_new_draft, library_publish
from documentation import catalogue
from documentation.models import Audience, MdfCatalogue, MdfField
from tests.factories import UserFactory

FIELDS = catalogue.FIELDS
BY_KEY = {field["key"]: field for field in FIELDS}


def test_catalogue_covers_every_section_of_the_form():
    numbers = {field["number"].split("-")[0].split(".")[0] for field in FIELDS}
    assert numbers == {"1", "2", "3", "4", "5", "6", "7", "8"}


def test_fields_split_by_audience_have_one_row_per_audience():
    assert BY_KEY["distribution-channels-downstream"]["audiences"] == ["dp"]
    assert "dp" not in BY_KEY["distribution-channels-authorities"]["audiences"]
    assert BY_KEY["training-compute-authorities"]["granularity"] == "coarse"
    assert BY_KEY["training-compute-ai-office"]["granularity"] == "precise"
    assert BY_KEY["data-points-authorities"]["audiences"] == ["nca"]
    assert BY_KEY["data-points-ai-office"]["audiences"] == ["aio"]


def test_compute_energy_and_authenticity_are_not_for_downstream_providers():
    for key in (
        "model-authenticity",
        "training-compute-ai-office",
        "training-energy",
        "inference-compute",
        "data-points-ai-office",
        "training-time-ai-office",
    ):
        assert Audience.DOWNSTREAM not in BY_KEY[key]["audiences"], key


def test_na_only_where_the_form_allows_it():
    allowed = {field["key"] for field in FIELDS if field["na_allowed"]}
    assert allowed == {
        "model-authenticity",
        "model-dependencies",
        "max-input-size",
        "max-output-size",
        "training-energy",
    }


def test_numbers_with_two_significant_figures_are_marked():
    marked = {field["key"] for field in FIELDS if field["significant_figures"]}
    assert marked == {
        "parameters",
        "training-compute-ai-office",
        "training-energy",
        "inference-compute",
    }


def test_inferred_audience_flags_are_marked_unverified():
    assert "Annex XII" in BY_KEY["required-hardware"]["unverified"]
    assert BY_KEY["parameter-range"]["unverified"]
    assert BY_KEY["provider-legal-name"]["unverified"] == ""


def test_migration_published_version_1_as_in_the_file(db):
    published = MdfCatalogue.objects.get(status="published")
    rows = {row.key: row for row in MdfField.objects.filter(catalogue=published)}
    assert set(rows) == set(BY_KEY)
    for key, field in BY_KEY.items():
        assert rows[key].audiences == field["audiences"]
        assert rows[key].na_allowed == field["na_allowed"]
        assert rows[key].choices == field.get("choices", [])


def _write(tmp_path, content):
    folder = tmp_path / "mdf"
    folder.mkdir()
    (folder / "v1.yaml").write_text(yaml.safe_dump(content), encoding="utf-8")
    return catalogue.FILES.at(folder)


def test_a_file_with_an_unknown_audience_is_refused(tmp_path):
    content = catalogue.load(1)
    content = {**content, "fields": [dict(content["fields"][0], audiences=["buyers"])]}
    with pytest.raises(ContentError, match=r"fields\[0\]\.audiences"):
        _write(tmp_path, content).load(1)


def test_a_choice_field_without_choices_is_refused(tmp_path):
    content = catalogue.load(1)
    field = {k: v for k, v in BY_KEY["parameter-range"].items() if k != "choices"}
    with pytest.raises(ContentError, match="choices"):
        _write(tmp_path, {**content, "fields": [field]}).load(1)


def test_a_revised_form_is_a_new_version_and_the_old_one_stays(db):
    admin = UserFactory()
    published = MdfCatalogue.objects.get(status="published")
    draft = library_new_draft(source=published, by=admin)
    MdfField.objects.filter(catalogue=draft, key="architecture").update(label="Architecture")
    library_publish(library=draft, by=admin, retire_replaced=True)
    published.refresh_from_db()
    assert published.status == "retired"
    assert published.fields.get(key="architecture").label == "Model architecture"


def test_publishing_refuses_a_field_without_audience(db):
    admin = UserFactory()
    draft = library_new_draft(source=MdfCatalogue.objects.get(status="published"), by=admin)
    MdfField.objects.filter(catalogue=draft, key="architecture").update(audiences=[])
    with pytest.raises(Exception, match="architecture: Name at least one audience"):
        library_publish(library=draft, by=admin)
