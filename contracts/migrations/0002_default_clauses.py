"""Publish the default clause library as version 1, so every installation starts with it.

The content is `contracts/data/clauses/v1.yaml`, read through the loader; that file never
changes, so a new database gets what every earlier one got.
"""

from django.db import migrations

from contracts import default_clauses


def publish_default(apps, schema_editor):
    if apps.get_model("contracts", "ClauseLibrary").objects.exists():
        return
    default_clauses.publish_version(apps, 1)


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial")]

    operations = [migrations.RunPython(publish_default, migrations.RunPython.noop)]
