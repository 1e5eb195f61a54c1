"""Two documents from one clause pack: the contract schedule and the due-diligence report.

The documents generated so far carry the internal record (statuses, reasons, decision), so they
are due-diligence reports; new documents are contract schedules unless asked otherwise.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("contracts", "0005_default_clauses_v2")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="kind",
            field=models.CharField(
                choices=[("schedule", "Contract schedule"), ("report", "Due-diligence report")],
                default="report",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="kind",
            field=models.CharField(
                choices=[("schedule", "Contract schedule"), ("report", "Due-diligence report")],
                default="schedule",
                max_length=10,
            ),
        ),
        migrations.RemoveConstraint(model_name="document", name="document_version_unique"),
        migrations.RemoveConstraint(model_name="document", name="document_content_unique"),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                fields=("assessment", "kind", "format", "version"),
                name="document_kind_version_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                fields=("assessment", "kind", "format", "content_sha256"),
                name="document_kind_content_unique",
            ),
        ),
    ]
