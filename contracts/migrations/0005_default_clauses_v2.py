"""Publish the default clause library version 2 and retire version 1.

Version 2 (`contracts/data/clauses/v2.yaml`) selects its clauses on the same derived facts as
the checklist: a clause asks for an unknown systemic-risk status, the open-source clause needs
the exemption to hold, the representative clause follows Art. 54(6), and legacy models get
wording for their 2 August 2027 deadline. Generated documents keep the text they were made from.
"""

from django.db import migrations
from django.db.models import Max
from django.utils import timezone

from contracts import default_clauses


def publish_v2(apps, schema_editor):
    library_model = apps.get_model("contracts", "ClauseLibrary")
    clause_model = apps.get_model("contracts", "Clause")
    content = default_clauses.load(2)
    if library_model.objects.filter(name=content["name"], notes=content["notes"]).exists():
        return
    # Curators may already have used the number 2 for a version of their own.
    version = (library_model.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    previous = library_model.objects.filter(version=1, status="published").first()
    library = library_model.objects.create(
        name=content["name"],
        version=version,
        status="published",
        published_at=timezone.now(),
        notes=content["notes"],
        based_on=previous,
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
        for clause in content["clauses"]
    )
    if previous is not None:
        previous.status = "retired"
        previous.save(update_fields=["status"])


class Migration(migrations.Migration):
    dependencies = [("contracts", "0004_trigger_kinds_on_derived_facts")]

    operations = [migrations.RunPython(publish_v2, migrations.RunPython.noop)]
