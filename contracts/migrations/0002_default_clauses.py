"""Publish the default clause library as version 1, so every installation starts with it.

The content is `contracts/data/clauses/v1.yaml`, read through the loader; that file never
changes, so a new database gets what every earlier one got.
"""

from django.db import migrations
from django.utils import timezone

from contracts import default_clauses


def publish_default(apps, schema_editor):
    library_model = apps.get_model("contracts", "ClauseLibrary")
    clause_model = apps.get_model("contracts", "Clause")
    if library_model.objects.exists():
        return
    content = default_clauses.load(1)
    library = library_model.objects.create(
        name=content["name"],
        version=content["version"],
        status="published",
        published_at=timezone.now(),
        notes=content["notes"],
    )
    clause_model.objects.bulk_create(
        clause_model(
            library=library,
            key=clause["key"],
            title=clause["title"],
            body=clause["body"],
            category=clause["category"],
            legal_basis=clause["legal_basis"],
            trigger_kind=clause["trigger_kind"],
            trigger_param=clause["trigger_param"],
            order=clause["order"],
            active=True,
        )
        for clause in content["clauses"]
    )


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial")]

    operations = [migrations.RunPython(publish_default, migrations.RunPython.noop)]
