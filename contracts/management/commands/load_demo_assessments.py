"""`manage.py load_demo_assessments`: demo assessments in every state, for development.

Runs after `load_demo` and `create_demo_users`: the demo buyer `procurement` owns them and
the second buyer `reviewer` reviews them. A draft with items worked and evidence, one awaiting
the reviewer's decision, and one decided with a generated contract document. Safe to run again.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from contracts import services as contract_services
from diligence import services
from diligence.models import Assessment, ItemStatus
from vendors.models import GPAIModel

# Evidence files are checked by content: a short Markdown file passes as what it says it is.
_DOCUMENTATION = (
    b"# Model documentation (demo)\n\nArchitecture, training data summary and intended uses, "
    b"as the supplier sent them for the demo.\n"
)


class Command(BaseCommand):
    help = "Load demo assessments in every state (development only). Safe to run again."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo assessments are for development only; run with DEBUG=1.")
        users = get_user_model().objects.filter(username__in=["procurement", "reviewer"])
        users = {user.username: user for user in users}
        models = list(GPAIModel.objects.filter(is_demo=True).order_by("pk")[:3])
        if len(users) < 2 or len(models) < 3:
            raise CommandError("Run load_demo and create_demo_users first.")
        owner, reviewer = users["procurement"], users["reviewer"]
        today = datetime.date.today()
        made = 0
        for reference, model, state in (
            ("DEMO-DRAFT", models[0], "draft"),
            ("DEMO-IN-REVIEW", models[1], "in_review"),
            ("DEMO-DECIDED", models[2], "decided"),
        ):
            if Assessment.objects.filter(reference=reference).exists():
                continue
            self._assessment(reference, model, state, owner, reviewer, today)
            made += 1
        self.stdout.write(f"Demo assessments loaded: {made} new, 3 in the demo set.")

    def _assessment(self, reference, model, state, owner, reviewer, today):
        assessment = services.assessment_start(
            model=model,
            reference=reference,
            purpose="Drafting replies to customer enquiries (demo).",
            owner=owner,
            due_date=today + datetime.timedelta(days=21),
            by=owner,
        )
        items = list(assessment.items.filter(applicable=True).order_by("pk"))
        required = [i for i in items if i.checklist_item.required]
        worked = required if state == "decided" else items[:6]
        statuses = [ItemStatus.ACCEPTED, ItemStatus.REQUESTED, ItemStatus.GAP, ItemStatus.RECEIVED]
        for index, item in enumerate(worked):
            status = ItemStatus.ACCEPTED if state == "decided" else statuses[index % 4]
            services.assessment_item_update(
                item=item,
                data={"status": status, "assignee": reviewer if index == 1 else None},
                expected_version=item.version,
                by=owner,
            )
        services.evidence_add(
            item=worked[0],
            data={
                "description": "Model documentation (demo)",
                "issuer": model.supplier.name,
                "valid_until": today + datetime.timedelta(days=200),
            },
            uploaded_file=SimpleUploadedFile("model-documentation.md", _DOCUMENTATION),
            by=owner,
        )
        if state == "draft":
            return
        services.assessment_submit(assessment=assessment, by=owner, reviewer=reviewer)
        if state == "in_review":
            return
        services.assessment_decide(
            assessment=assessment,
            outcome="approved_with_conditions",
            conditions="The supplier confirms the copyright policy in the contract.",
            valid_until=today + datetime.timedelta(days=365),
            notes="Demo decision.",
            by=reviewer,
        )
        contract_services.document_generate(assessment=assessment, format="pdf", by=owner)
