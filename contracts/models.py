"""The clause library (a versioned library), its clauses, clause packs with Legal's changes, and
the generated documents, kept for good with the content they were made from."""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from contracts import limits, placeholders, triggers
from core.library.models import LibraryStatus, VersionedLibrary  # noqa: F401 (re-exported)
from diligence.applicability import Category
from vendors.models import Chapter


class ClauseLibrary(VersionedLibrary):
    """One version of the clause library. Published versions never change.

    Publishing checks every clause again (`Clause.clean`: placeholders, triggers, size) and
    the size of all clauses together (`contracts.limits`)."""

    children = "clauses"
    child_key = "key"
    audit_name = "clause_library"
    label = "clause library"
    children_label = "clauses"

    def publish_problems(self, rows):
        problems = super().publish_problems(rows)
        if rows and (size_error := limits.pack_size_error(row.body for row in rows)):
            problems.append(size_error)
        return problems

    class Meta:
        ordering = ["-version"]
        verbose_name = "clause library version"
        verbose_name_plural = "clause library versions"
        constraints = [
            models.UniqueConstraint(fields=["version"], name="clause_library_version_unique"),
        ]


class ClauseCategory(models.TextChoices):
    GENERAL = "general", "General"
    DOCUMENTATION = "documentation", "Information and documentation"
    COPYRIGHT = "copyright", "Copyright"
    SAFETY_SECURITY = "safety_security", "Safety and security"
    COMPLIANCE = "compliance", "Compliance and cooperation"
    REMEDIES = "remedies", "Remedies and liability"


class Clause(models.Model):
    library = models.ForeignKey(ClauseLibrary, on_delete=models.CASCADE, related_name="clauses")
    key = models.SlugField(
        max_length=60, help_text="Stable across versions; Legal's changes to packs refer to it."
    )
    title = models.CharField(max_length=200)
    body = models.TextField(
        help_text=(
            "The clause text. Separate paragraphs with a blank line. Placeholders: "
            + placeholders.allowed_list()
            + "."
        )
    )
    category = models.CharField(max_length=20, choices=ClauseCategory.choices)
    legal_basis = models.CharField(max_length=300, help_text="Article, annex, Code measure.")
    trigger_kind = models.CharField("Trigger", max_length=30, choices=triggers.TriggerKind.CHOICES)
    trigger_param = models.CharField(
        "Trigger parameter", max_length=40, blank=True, help_text=triggers.PARAM_HELP
    )
    order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(
        default=True, help_text="Untick to keep the clause in the library but out of packs."
    )

    class Meta:
        ordering = ["order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["library", "key"], name="clause_key_unique_in_version")
        ]

    def __str__(self):
        return self.title

    def clean(self):
        # Published versions are frozen: documents were generated from them as they are.
        if self.library_id and not self.library.is_draft:
            raise ValidationError("Only clauses of a draft library version can be changed.")
        errors = {}
        if size_error := limits.clause_body_error(self.body) or (
            self.library_id and limits.library_size_error(self)
        ):
            errors["body"] = size_error
        elif body_errors := placeholders.errors(self.body):
            errors["body"] = body_errors
        if "{" in self.title or "}" in self.title:
            errors["title"] = "Titles are plain text; placeholders work in the clause text only."
        self.trigger_param = (self.trigger_param or "").strip()
        if param_error := triggers.param_error(
            self.trigger_kind,
            self.trigger_param,
            chapters=frozenset(Chapter.values),
            categories=Category.VALUES,
        ):
            errors["trigger_param"] = param_error
        if errors:
            raise ValidationError(errors)


class ClausePack(models.Model):
    """The clause pack of one assessment, holding Legal's changes to it. The row exists once
    Legal changed the pack; until then the pack is what the triggers select."""

    assessment = models.OneToOneField(
        "diligence.Assessment", on_delete=models.PROTECT, related_name="clause_pack"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # "view": see packs; "change": add and remove clauses (Legal).
        default_permissions = ("view", "change")

    def __str__(self):
        return f"Clause pack of {self.assessment.reference}"

    def get_absolute_url(self):
        return reverse("contracts:clause_pack", args=[self.assessment_id])


class OverrideAction(models.TextChoices):
    ADD = "add", "Added"
    REMOVE = "remove", "Removed"


class ClauseOverride(models.Model):
    """Legal added a clause to a pack or removed one from it, with a reason. Never edited."""

    pack = models.ForeignKey(ClausePack, on_delete=models.PROTECT, related_name="overrides")
    clause_key = models.SlugField(max_length=60)
    clause_title = models.CharField(max_length=200, help_text="The title when it was changed.")
    action = models.CharField(max_length=10, choices=OverrideAction.choices)
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        default_permissions = ()  # written only through the clause-pack permissions

    def __str__(self):
        return f"{self.get_action_display()} {self.clause_title}"


class DocumentFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word"


class DocumentKind(models.TextChoices):
    SCHEDULE = "schedule", "Contract schedule"
    REPORT = "report", "Due-diligence report"


class Document(models.Model):
    """A generated clause-pack document, kept for good with the snapshot it was made from.

    Two kinds come from one clause pack: the contract schedule, handed to the supplier, with the
    clauses and nothing internal; and the due-diligence report, kept by the buyer, with the
    assessment, evidence, decision and the reasons behind every clause. A new version is a new
    row; the same content (same snapshot hash) is never stored twice.
    """

    assessment = models.ForeignKey(
        "diligence.Assessment", on_delete=models.PROTECT, related_name="clause_documents"
    )
    kind = models.CharField(
        max_length=10, choices=DocumentKind.choices, default=DocumentKind.SCHEDULE
    )
    format = models.CharField(max_length=10, choices=DocumentFormat.choices)
    version = models.PositiveIntegerField()
    document_id = models.UUIDField("Document ID", default=uuid.uuid4, unique=True, editable=False)
    snapshot = models.JSONField(help_text="The content the document was made from.")
    content_sha256 = models.CharField("Content SHA-256", max_length=64)
    file_sha256 = models.CharField("File SHA-256", max_length=64)
    storage_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "clause-pack document"
        # Documents are generated and downloaded through the app, never changed or deleted.
        default_permissions = ("view",)
        permissions = [
            ("generate_document", "Can generate clause-pack documents"),
            ("download_document", "Can download clause-pack documents"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "kind", "format", "version"],
                name="document_kind_version_unique",
            ),
            models.UniqueConstraint(
                fields=["assessment", "kind", "format", "content_sha256"],
                name="document_kind_content_unique",
            ),
        ]

    def __str__(self):
        return (
            f"{self.assessment.reference} {self.get_kind_display()} "
            f"{self.get_format_display()} v{self.version}"
        )

    def get_download_url(self):
        return reverse("contracts:document_download", args=[self.assessment_id, self.pk])

    @property
    def filename(self):
        """A download name from the reference; slashes and the like become hyphens."""
        reference = re.sub(r"[^\w.]+", "-", self.assessment.reference).strip("-.")
        prefix = (
            "contract-schedule" if self.kind == DocumentKind.SCHEDULE else "due-diligence-report"
        )
        return f"{prefix}-{reference}-v{self.version}.{self.format}"
