"""Publish the default clause library as version 1, so every installation starts with it."""

from django.db import migrations
from django.utils import timezone

from contracts import default_clauses


def publish_default(apps, schema_editor):
    library_model = apps.get_model("contracts", "ClauseLibrary")
    clause_model = apps.get_model("contracts", "Clause")
    if library_model.objects.exists():
        return
    library = library_model.objects.create(
        name=default_clauses.VERSION_NAME,
        version=1,
        status="published",
        published_at=timezone.now(),
        notes="The default clause library shipped with the app.",
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
        for clause in default_clauses.CLAUSES
    )


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial")]

    operations = [migrations.RunPython(publish_default, migrations.RunPython.noop)]
