"""Publish the default checklist as version 1, so every installation starts with it.

The content is `diligence/data/checklist/v1.yaml`, read through the loader; that file never
changes, so a new database gets what every earlier one got.
"""

from django.db import migrations
from django.utils import timezone

from diligence import default_checklist


def publish_default(apps, schema_editor):
    checklist_model = apps.get_model("diligence", "Checklist")
    item_model = apps.get_model("diligence", "ChecklistItem")
    if checklist_model.objects.exists():
        return
    content = default_checklist.load(1)
    checklist = checklist_model.objects.create(
        name=content["name"],
        version=content["version"],
        status="published",
        published_at=timezone.now(),
        notes=content["notes"],
    )
    item_model.objects.bulk_create(
        item_model(
            checklist=checklist,
            code=item["code"],
            category=item["category"],
            title=item["title"],
            guidance=item["guidance"],
            evidence_requested=item["evidence"],
            legal_basis=item["legal_basis"],
            code_ref=item["code_ref"],
            applies_to=item["applies_to"],
            condition=item["condition"],
            required=item["required"],
            order=item["order"],
        )
        for item in content["items"]
    )


class Migration(migrations.Migration):
    dependencies = [("diligence", "0001_initial")]

    operations = [migrations.RunPython(publish_default, migrations.RunPython.noop)]
