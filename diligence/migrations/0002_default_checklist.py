"""Publish the default checklist as version 1, so every installation starts with it.

The content is `diligence/data/checklist/v1.yaml`, read through the loader; that file never
changes, so a new database gets what every earlier one got.
"""

from django.db import migrations

from diligence import default_checklist


def publish_default(apps, schema_editor):
    if apps.get_model("diligence", "Checklist").objects.exists():
        return
    default_checklist.publish_version(apps, 1)


class Migration(migrations.Migration):
    dependencies = [("diligence", "0001_initial")]

    operations = [migrations.RunPython(publish_default, migrations.RunPython.noop)]
