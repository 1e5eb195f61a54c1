"""Publish the default checklist as version 1, so every installation starts with it."""

from django.db import migrations
from django.utils import timezone

from diligence import default_checklist


def publish_default(apps, schema_editor):
    checklist_model = apps.get_model("diligence", "Checklist")
    item_model = apps.get_model("diligence", "ChecklistItem")
    if checklist_model.objects.exists():
        return
    checklist = checklist_model.objects.create(
        name=default_checklist.VERSION_NAME,
        version=1,
        status="published",
        published_at=timezone.now(),
        notes="The default checklist shipped with the app.",
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
        for item in default_checklist.ITEMS
    )


class Migration(migrations.Migration):
    dependencies = [("diligence", "0001_initial")]

    operations = [migrations.RunPython(publish_default, migrations.RunPython.noop)]
