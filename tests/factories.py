import datetime

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from diligence.progress import refresh as refresh_progress
from vendors.models import Chapter, GPAIModel, Signature, SignatureStatus, Supplier
from vendors.summaries import signature_summaries_refresh

SIGNATORY_LIST = "https://digital-strategy.ec.europa.eu/en/policies/contents-code-gpai"


# The smallest PDF a viewer opens: one empty page, with a correct cross-reference table.
MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
    b"xref\n0 4\n"
    b"0000000000 65535 f \n"
    b"0000000009 00000 n \n"
    b"0000000058 00000 n \n"
    b"0000000115 00000 n \n"
    b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n188\n%%EOF\n"
)


class UserFactory(DjangoModelFactory):
    """A user; `UserFactory(role="Viewer")` puts them in that role's group."""

    class Meta:
        model = "auth.User"
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    # Signed in with force_login unless a test gives a password to type.
    password = factory.django.Password(None)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        # The groups come from the data migration, so tests see the permissions users get.
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class SupplierFactory(DjangoModelFactory):
    """A supplier with one signature row per chapter, as `services.supplier_create` leaves it.

    `SupplierFactory(signatures={"copyright": "signed"})` sets the status of some chapters;
    the others stay 'unknown'. `signatures=False` leaves the supplier without any.
    """

    class Meta:
        model = Supplier
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Supplier {n:04d}")
    legal_name = factory.LazyAttribute(lambda supplier: f"{supplier.name} Ltd")
    country = "FR"
    website = "https://example.org"

    @factory.post_generation
    def signatures(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        statuses = extracted or {}
        for chapter in Chapter.values:
            SignatureFactory(
                supplier=self,
                chapter=chapter,
                status=statuses.get(chapter, SignatureStatus.UNKNOWN),
            )


class SignatureFactory(DjangoModelFactory):
    """One chapter's signature; a status other than 'unknown' comes with its source."""

    class Meta:
        model = Signature

    supplier = factory.SubFactory(SupplierFactory, signatures=False)
    chapter = Chapter.TRANSPARENCY
    status = SignatureStatus.UNKNOWN
    source_url = factory.LazyAttribute(
        lambda signature: "" if signature.status == SignatureStatus.UNKNOWN else SIGNATORY_LIST
    )
    signed_on = factory.LazyAttribute(
        lambda signature: (
            datetime.date(2025, 8, 1) if signature.status == SignatureStatus.SIGNED else None
        )
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        signature = super()._create(model_class, *args, **kwargs)
        # As the services do, the supplier's signature summary follows (vendors.summaries).
        signature_summaries_refresh(suppliers=[signature.supplier_id])
        return signature


class GPAIModelFactory(DjangoModelFactory):
    class Meta:
        model = GPAIModel

    supplier = factory.SubFactory(SupplierFactory)
    name = factory.Sequence(lambda n: f"Model {n:04d}")
    version = "1"
    modalities = factory.LazyFunction(lambda: ["text"])
    placed_on_market = datetime.date(2025, 9, 1)
    licence = "Proprietary"


# Due diligence ------------------------------------------------------------------------------


def _next_checklist_version():
    from diligence.models import Checklist

    newest = Checklist.objects.order_by("-version").values_list("version", flat=True).first()
    return (newest or 0) + 1


def _newest_published_checklist():
    from diligence.services import latest_published_checklist

    return latest_published_checklist()


class ChecklistFactory(DjangoModelFactory):
    """A draft checklist version after the newest one (v1 is published by a migration)."""

    class Meta:
        model = "diligence.Checklist"

    name = "Test checklist"
    version = factory.LazyFunction(_next_checklist_version)
    status = "draft"


class ChecklistItemFactory(DjangoModelFactory):
    """A required documentation item that applies to every GPAI model."""

    class Meta:
        model = "diligence.ChecklistItem"

    checklist = factory.SubFactory(ChecklistFactory)
    code = factory.Sequence(lambda n: f"TST-{n:03d}")
    category = "documentation"
    title = factory.Sequence(lambda n: f"Test item {n}")
    guidance = "Check that the supplier gives it."
    evidence_requested = "The document."
    legal_basis = "Art. 53(1)(a)"
    applies_to = "all_gpai"
    required = True
    order = factory.Sequence(lambda n: n)


class AssessmentFactory(DjangoModelFactory):
    """An assessment row against the newest published checklist, owned by a Procurement user.

    It has no items; `AssessmentFactory(with_items=True)` adds one applicable open row per
    item of its checklist. `services.assessment_start` is the way to get the real set-up.
    """

    class Meta:
        model = "diligence.Assessment"
        skip_postgeneration_save = True

    model = factory.SubFactory(GPAIModelFactory)
    supplier = factory.SelfAttribute("model.supplier")
    checklist = factory.LazyFunction(_newest_published_checklist)
    reference = factory.Sequence(lambda n: f"TENDER-{n:04d}")
    purpose = "Drafting replies to customer enquiries."
    owner = factory.SubFactory(UserFactory, role="Procurement")
    due_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))
    evidence_modes = factory.LazyFunction(
        lambda: dict.fromkeys(["documentation", "copyright", "safety_security"], "other_means")
    )
    created_by = factory.SelfAttribute("owner")

    @factory.post_generation
    def with_items(self, create, extracted, **kwargs):
        if create and extracted:
            from diligence.models import AssessmentItem

            AssessmentItem.objects.bulk_create(
                AssessmentItem(assessment=self, checklist_item=checklist_item)
                for checklist_item in self.checklist.items.all()
            )


class AssessmentItemFactory(DjangoModelFactory):
    """An open, applicable row for a new item of the assessment's checklist."""

    class Meta:
        model = "diligence.AssessmentItem"
        skip_postgeneration_save = True

    assessment = factory.SubFactory(AssessmentFactory)
    checklist_item = factory.SubFactory(
        ChecklistItemFactory, checklist=factory.SelfAttribute("..assessment.checklist")
    )
    status = "open"

    @factory.post_generation
    def progress(obj, create, extracted, **kwargs):
        # As the services do after every change to items: keep the assessment's counters.
        if create:
            refresh_progress(obj.assessment)


class EvidenceFactory(DjangoModelFactory):
    """A link given as evidence (no file), added by the assessment's owner."""

    class Meta:
        model = "diligence.Evidence"

    item = factory.SubFactory(AssessmentItemFactory)
    assessment = factory.SelfAttribute("item.assessment")
    description = factory.Sequence(lambda n: f"Technical documentation, edition {n}")
    issuer = "The supplier"
    url = factory.Sequence(lambda n: f"https://example.org/evidence/{n}.pdf")
    created_by = factory.SelfAttribute("item.assessment.owner")


class DecisionFactory(DjangoModelFactory):
    """An approval of the assessment's current revision; the assessment is then decided."""

    class Meta:
        model = "diligence.Decision"
        skip_postgeneration_save = True

    assessment = factory.SubFactory(AssessmentFactory)
    revision = factory.SelfAttribute("assessment.revision")
    outcome = "approved"
    valid_until = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=365))
    decided_by = factory.SubFactory(UserFactory, role="Procurement")

    @factory.post_generation
    def decides(self, create, extracted, **kwargs):
        # Like services.assessment_decide: the assessment points to its decision and is read-only.
        if create and extracted is not False:
            self.assessment.status = "decided"
            self.assessment.decision = self
            self.assessment.save(update_fields=["status", "decision"])
