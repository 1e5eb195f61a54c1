"""`manage.py load_demo_documentation`: one Model Documentation Form and one training-content
summary for a demo model, read through the same importers a person uses. Safe to run again.

The values are illustrative and say so; they are not the supplier's own documents."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from documentation import mdf_files, queries, services, summary
from documentation.models import MdfDocument, TrainingSummary
from vendors.models import GPAIModel

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
MODEL = ("Mistral AI", "Mistral Small", "3.1")


class Command(BaseCommand):
    help = "Load a demo MDF and training summary (run load_demo and create_demo_users first)."

    @transaction.atomic
    def handle(self, *args, **options):
        supplier_name, name, version = MODEL
        model = GPAIModel.objects.filter(
            supplier__name=supplier_name, name=name, version=version
        ).first()
        user = get_user_model().objects.filter(username="procurement").first()
        if model is None or user is None:
            raise CommandError("Run load_demo and create_demo_users first.")
        if not MdfDocument.objects.filter(model=model).exists():
            specs = queries.specs_of(queries.current_catalogue())
            parsed = mdf_files.parse((DEMO / "mdf.json").read_bytes(), "mdf.json", specs)
            services.mdf_create(
                model=model,
                meta={
                    "document_version": parsed.document_version,
                    "last_updated": parsed.last_updated,
                },
                values=parsed.values,
                by=user,
                source_name="demo mdf.json",
            )
        if not TrainingSummary.objects.filter(model=model).exists():
            read = summary.read_markdown((DEMO / "summary.md").read_bytes(), "summary.md")
            services.summary_create(model=model, data=read, by=user, source_name="demo summary.md")
        self.stdout.write(f"Demo documentation loaded for {model}.")
