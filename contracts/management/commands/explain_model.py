"""Explain a what-if scenario from a JSON file: facts, checklist items and clauses, as JSON.

    python manage.py explain_model scenario.json

Nothing is saved. The input and output fields are described in the README ("What if").
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_countries import countries

from contracts import explain, queries
from contracts.scenario import ScenarioError, parse_scenario
from diligence.services import latest_published_checklist


class Command(BaseCommand):
    help = "Explain a what-if scenario (JSON file, or - for standard input) without saving."

    def add_arguments(self, parser):
        parser.add_argument("scenario", help="Path of the scenario JSON file, or - for stdin.")

    def handle(self, *args, **options):
        data = self._read(options["scenario"])
        try:
            scenario = parse_scenario(data, eea_as_union=settings.AI_ACT_EEA_AS_UNION)
        except ScenarioError as error:
            raise CommandError(
                "The scenario has problems:\n" + "\n".join(f"  {p}" for p in error.problems)
            ) from None
        checklist = latest_published_checklist()
        library = queries.newest_library()
        items = list(checklist.items.all()) if checklist else []
        clauses = list(library.clauses.all()) if library else []
        result = explain.explain(
            scenario, items, clauses, country_name=countries.name(scenario.country)
        )
        result = {
            "checklist_version": checklist.version if checklist else None,
            "clause_library_version": library.version if library else None,
            **result,
        }
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))

    def _read(self, name):
        try:
            text = self.stdin_text() if name == "-" else Path(name).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {name}: {error.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{name} is not UTF-8 text.") from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{name} is not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}"
            ) from None

    def stdin_text(self):
        import sys

        return sys.stdin.read()
