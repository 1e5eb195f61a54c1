"""`manage.py load_demo`: demo suppliers, models and signatures from public information."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction

from vendors import demo
from vendors.models import GPAIModel, Signature, Supplier
from vendors.summaries import signature_summaries_refresh


class Command(BaseCommand):
    help = "Load demo suppliers, models and Code of Practice signatures. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        created = 0
        today = datetime.date.today()
        for index, entry in enumerate(demo.SUPPLIERS):
            entry = dict(entry)
            signatures = entry.pop("signatures")
            models = entry.pop("models")
            supplier = Supplier.objects.filter(name__iexact=entry["name"]).first()
            if supplier is None:
                supplier = Supplier.objects.create(is_demo=True, **entry)
                created += 1
            for chapter, (status, signed_on, source, note) in signatures.items():
                Signature.objects.get_or_create(
                    supplier=supplier,
                    chapter=chapter,
                    defaults={
                        "status": status,
                        "signed_on": signed_on,
                        "source_url": source,
                        "verified_on": demo.checked_on(today, index),
                        "note": note,
                    },
                )
            for model in models:
                GPAIModel.objects.get_or_create(
                    supplier=supplier,
                    name=model["name"],
                    version=model["version"],
                    defaults={**model, "is_demo": True},
                )
        signature_summaries_refresh(
            suppliers=Supplier.objects.filter(is_demo=True).values_list("pk", flat=True)
        )
        self.stdout.write(
            f"Demo data loaded: {created} new supplier(s), {len(demo.SUPPLIERS)} in the demo set."
        )
