"""Publish the default clause library version 2 and retire version 1.

Version 2 (`contracts/data/clauses/v2.yaml`) selects its clauses on the same derived facts as
the checklist: a clause asks for an unknown systemic-risk status, the open-source clause needs
the exemption to hold, the representative clause follows Art. 54(6), and legacy models get
wording for their 2 August 2027 deadline. Generated documents keep the text they were made from.
"""

from django.db import migrations

from contracts import default_clauses


def publish_v2(apps, schema_editor):
    default_clauses.publish_version(apps, 2)


class Migration(migrations.Migration):
    dependencies = [("contracts", "0004_trigger_kinds_on_derived_facts")]

    operations = [migrations.RunPython(publish_v2, migrations.RunPython.noop)]
