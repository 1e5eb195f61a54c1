"""Publish the default checklist version 2 and retire version 1.

Version 2 (`diligence/data/checklist/v2.yaml`) follows the three-valued legal facts: unknown
systemic risk keeps the Safety and Security items, pending; the open-source claim checks are
asked whenever the exemption would be relied on; the representative and fine-tuning items are
reworded. Assessments stay on the version they started with until someone moves them.
"""

from django.db import migrations
from django.db.models import Max
from django.utils import timezone

from diligence import default_checklist


def publish_v2(apps, schema_editor):
    checklist_model = apps.get_model("diligence", "Checklist")
    item_model = apps.get_model("diligence", "ChecklistItem")
    content = default_checklist.load(2)
    if checklist_model.objects.filter(name=content["name"], notes=content["notes"]).exists():
        return
    # Curators may already have used the number 2 for a version of their own.
    version = (checklist_model.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    previous = checklist_model.objects.filter(version=1, status="published").first()
    checklist = checklist_model.objects.create(
        name=content["name"],
        version=version,
        status="published",
        published_at=timezone.now(),
        notes=content["notes"],
        based_on=previous,
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
    if previous is not None:
        previous.status = "retired"
        previous.save(update_fields=["status"])


class Migration(migrations.Migration):
    dependencies = [("diligence", "0009_facts_follow_the_model")]

    operations = [migrations.RunPython(publish_v2, migrations.RunPython.noop)]
