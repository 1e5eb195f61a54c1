"""Evidence carries its item's assessment, so that counting expiring evidence per owner reads
one index instead of looking up every expiring item."""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
UPDATE diligence_evidence AS evidence
SET assessment_id = item.assessment_id
FROM diligence_assessmentitem AS item
WHERE item.id = evidence.item_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("diligence", "0014_expiring_evidence_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="assessment",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="diligence.assessment",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop, elidable=False),
        migrations.AlterField(
            model_name="evidence",
            name="assessment",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="diligence.assessment",
            ),
        ),
        migrations.RemoveIndex(
            model_name="evidence",
            name="diligence_evidence_expiring",
        ),
        migrations.AddIndex(
            model_name="evidence",
            index=models.Index(
                condition=models.Q(("is_current", True)),
                fields=["valid_until"],
                include=("item", "assessment"),
                name="diligence_evidence_expiring",
            ),
        ),
    ]
