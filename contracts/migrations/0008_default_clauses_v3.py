"""Publish the default clause library version 3 and retire version 2.

Version 3 (`contracts/data/clauses/v3.yaml`) makes the contract schedule stand on its own: the
clauses on outstanding information and on the remediation plan list the matters concerned
through the `{{ items.open }}` and `{{ items.gaps }}` placeholders instead of pointing to a
status table the schedule does not contain, and a new clause names the fields for downstream
providers missing from the supplier's current Model Documentation Form. Clause packs of
documents already generated keep the text they were made from.
"""

from django.db import migrations

from contracts import default_clauses


def publish_v3(apps, schema_editor):
    default_clauses.publish_version(apps, 3)


class Migration(migrations.Migration):
    dependencies = [("contracts", "0007_trigger_kind_mdf_downstream_missing")]

    operations = [migrations.RunPython(publish_v3, migrations.RunPython.noop)]
