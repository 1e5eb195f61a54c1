"""Publish the default checklist version 2 and retire version 1.

Version 2 (`diligence/data/checklist/v2.yaml`) follows the three-valued legal facts: unknown
systemic risk keeps the Safety and Security items, pending; the open-source claim checks are
asked whenever the exemption would be relied on; the representative and fine-tuning items are
reworded. Assessments stay on the version they started with until someone moves them.
"""

from django.db import migrations

from diligence import default_checklist


def publish_v2(apps, schema_editor):
    default_checklist.publish_version(apps, 2)


class Migration(migrations.Migration):
    dependencies = [("diligence", "0009_facts_follow_the_model")]

    operations = [migrations.RunPython(publish_v2, migrations.RunPython.noop)]
