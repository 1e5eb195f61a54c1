"""The apps' import direction (pyproject.toml, [tool.importlinter]) is kept, and the check bites.

`make lint` runs `lint-imports`; running it here too makes `make test` and CI fail when an app
imports one above it, such as core importing vendors.
"""

import copy
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from django.apps import apps
from importlinter.api import read_configuration
from importlinter.contracts.layers import LayersContract

ROOT = Path(__file__).resolve().parent.parent
CONTRACT_ID = "app-layers"


def _options():
    options = read_configuration(str(ROOT / "pyproject.toml"))
    (contract,) = [c for c in options["contracts_options"] if c.get("id") == CONTRACT_ID]
    return options["session_options"], contract


def _layer_names(contract):
    return [name.strip() for layer in contract["layers"] for name in layer.split("|")]


@pytest.fixture(scope="module")
def import_graph():
    session, _contract = _options()
    return grimp.build_graph(*session["root_packages"], cache_dir=None)


def _kept(graph):
    session, contract = _options()
    options = {key: value for key, value in contract.items() if key not in ("id", "name", "type")}
    layers = LayersContract(
        name=contract["name"], session_options=session, contract_options=options
    )
    return layers.check(graph, verbose=False).kept


def test_apps_import_only_the_apps_below_them():
    result = subprocess.run(  # noqa: S603 - a fixed command from the venv, no user input
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("core.access", "vendors.models"),
        ("core.reminders", "diligence.followups"),
        ("vendors.models", "diligence.models"),
        ("diligence.services.assessments", "contracts.models"),
        ("contracts.services", "overview.dashboard"),
        ("overview.views", "procurement.urls"),
        ("core.access", "identity.second_factor"),
        ("diligence.services.assessments", "api.models"),
        ("api.tokens", "identity.models"),
        ("portal.services", "contracts.models"),
        ("contracts.services", "portal.models"),
        ("documentation.services", "portal.services"),
    ],
)
def test_the_check_fails_when_an_app_imports_one_above_it(import_graph, importer, imported):
    assert _kept(import_graph)
    graph = copy.deepcopy(import_graph)

    graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="import")

    assert not _kept(graph)


def test_the_check_fails_when_an_app_reaches_up_through_another(import_graph):
    graph = copy.deepcopy(import_graph)

    # core -> a module of its own -> vendors: an indirect import counts too.
    graph.add_module("core.sneaky")
    graph.add_import(
        importer="core.access", imported="core.sneaky", line_number=1, line_contents=""
    )
    graph.add_import(
        importer="core.sneaky", imported="vendors.models", line_number=1, line_contents=""
    )

    assert not _kept(graph)


def test_every_app_of_the_project_has_a_place_in_the_layers():
    _session, contract = _options()
    ours = {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == ROOT
    }

    missing = ours - set(_layer_names(contract))

    assert ours, "no app of the project found"
    assert missing == set(), f"add {sorted(missing)} to the layers in pyproject.toml"
