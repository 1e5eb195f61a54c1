"""Publish the Model Documentation Form catalogue as version 1.

The content is `documentation/data/mdf/v1.yaml`, read through the loader; that file never
changes, so a new database gets what every earlier one got.
"""

from django.db import migrations

from documentation import catalogue


def publish_default(apps, schema_editor):
    if apps.get_model("documentation", "MdfCatalogue").objects.exists():
        return
    catalogue.publish_version(apps, 1)


class Migration(migrations.Migration):
    dependencies = [("documentation", "0001_initial")]

    operations = [migrations.RunPython(publish_default, migrations.RunPython.noop)]
