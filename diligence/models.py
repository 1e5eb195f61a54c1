"""The checklist (a versioned library) and its items; assessments with their items, evidence and
decisions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.library.models import LibraryStatus, VersionedLibrary
from diligence import applicability

# The checklist's versions go through the statuses every library has.
ChecklistStatus = LibraryStatus


class Checklist(VersionedLibrary):
    """One version of the due-diligence checklist. Published versions never change."""

    children = "items"
    child_key = "code"
    audit_name = "checklist"
    label = "checklist"
    children_label = "items"

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["version"], name="checklist_version_unique"),
        ]


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=20, help_text="Stable across versions, e.g. DOC-07.")
    category = models.CharField(max_length=20, choices=applicability.Category.CHOICES)
    title = models.CharField(max_length=300)
    guidance = models.TextField(help_text="What the buyer should look for.")
    evidence_requested = models.TextField("Evidence to ask for")
    legal_basis = models.CharField(max_length=300, help_text="Article, annex.")
    code_ref = models.CharField("Code of Practice measure", max_length=200, blank=True)
    applies_to = models.CharField(max_length=40, choices=applicability.AppliesTo.CHOICES)
    condition = models.CharField(
        "Extra condition", max_length=40, choices=applicability.Condition.CHOICES, blank=True
    )
    required = models.BooleanField(
        default=True, help_text="Required by law; untick for Code-only or good practice."
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "code"], name="item_code_unique_in_version"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def clean(self):
        # Published versions are frozen: assessments rely on them as they were.
        if self.checklist_id and not self.checklist.is_draft:
            raise ValidationError("Only items of a draft checklist can be changed.")

    @property
    def rule(self):
        return applicability.ItemRule(
            code=self.code,
            category=self.category,
            applies_to=self.applies_to,
            condition=self.condition,
        )


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    DECIDED = "decided", "Decided"


class Outcome(models.TextChoices):
    APPROVED = "approved", "Approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
    REJECTED = "rejected", "Rejected"


# Labels by value, for the pages' rows: get_*_display builds its lookup from the field's
# choices on every call.
ASSESSMENT_STATUS_LABELS = dict(AssessmentStatus.choices)
OUTCOME_LABELS = dict(Outcome.choices)


class Assessment(models.Model):
    """Due diligence on one supplier's model, pinned to the checklist version it started with."""

    model = models.ForeignKey(
        "vendors.GPAIModel", on_delete=models.PROTECT, related_name="assessments"
    )
    supplier = models.ForeignKey(
        "vendors.Supplier", on_delete=models.PROTECT, related_name="assessments"
    )
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="assessments")
    reference = models.CharField(
        "Procurement reference", max_length=100, help_text="Your tender or purchase reference."
    )
    purpose = models.TextField("Purpose or use case")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_assessments"
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    # Named when the owner submits it: the colleague asked to decide (four eyes).
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments_to_review",
    )
    revision = models.PositiveIntegerField(default=1)
    decision = models.ForeignKey(
        "Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Evidence mode per category when the assessment started: Code measure or other means.
    evidence_modes = models.JSONField(default=dict)
    # The buyer's own plans: fine-tuning with more than a third of the model's training compute
    # may make the buyer the provider of a new model (Commission guidelines of 18 Jul 2025).
    buyer_plans_fine_tuning = models.BooleanField(
        "We plan to fine-tune or otherwise modify the model", default=False
    )
    buyer_fine_tuning_flop = models.DecimalField(
        "Compute we plan to use for it (FLOP)",
        max_digits=40,
        decimal_places=0,
        null=True,
        blank=True,
    )
    # The derived facts (vendors.facts.Derived.as_dict) the items were last evaluated against:
    # a decided assessment compares them with today's facts.
    facts_snapshot = models.JSONField(default=dict, editable=False)
    request_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Progress, kept current by diligence.progress, so that the dashboard and the list read a
    # few numbers per assessment instead of counting every item of every assessment.
    items_applicable = models.PositiveIntegerField(default=0, editable=False)
    items_done = models.PositiveIntegerField(default=0, editable=False)
    items_counted = models.PositiveIntegerField(default=0, editable=False)
    items_accepted = models.PositiveIntegerField(default=0, editable=False)
    gaps_documentation = models.PositiveIntegerField(default=0, editable=False)
    gaps_copyright = models.PositiveIntegerField(default=0, editable=False)
    gaps_safety_security = models.PositiveIntegerField(default=0, editable=False)

    PROGRESS_FIELDS = (
        "items_applicable",
        "items_done",
        "items_counted",
        "items_accepted",
        "gaps_documentation",
        "gaps_copyright",
        "gaps_safety_security",
    )

    history = HistoricalRecords(
        excluded_fields=["evidence_modes", "request_token", "facts_snapshot", *PROGRESS_FIELDS]
    )

    class Meta:
        ordering = ["-created_at"]
        permissions = [("decide_assessment", "Can decide on an assessment")]
        indexes = [
            models.Index(fields=["due_date", "id"]),
            models.Index(fields=["status", "due_date"]),
            # One owner's assessments by status and due date, with what the follow-up counts
            # join on, read from the index alone (diligence.followups).
            models.Index(
                fields=["owner", "status", "due_date"],
                include=["id", "decision"],
                name="diligence_assessment_owner",
            ),
            models.Index(fields=["updated_at"]),  # overview.dashboard.data_version
        ]

    def __str__(self):
        return f"{self.reference} – {self.model}"

    def get_absolute_url(self):
        return reverse("diligence:assessment_detail", args=[self.pk])

    @property
    def status_label(self):
        """What get_status_display() gives."""
        return ASSESSMENT_STATUS_LABELS.get(self.status, self.status)

    @property
    def is_editable(self):
        return self.status != AssessmentStatus.DECIDED

    def editable_by(self, user):
        """While in review, the owner waits for the reviewer (four eyes)."""
        if self.status == AssessmentStatus.IN_REVIEW:
            return user.pk != self.owner_id
        return self.is_editable


class ItemStatus(models.TextChoices):
    OPEN = "open", "Open"
    REQUESTED = "requested", "Requested"
    RECEIVED = "received", "Received"
    ACCEPTED = "accepted", "Accepted"
    GAP = "gap", "Gap"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


ITEM_STATUS_LABELS = dict(ItemStatus.choices)


class AssessmentItem(models.Model):
    """One checklist item as worked in one assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="items")
    checklist_item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    applicable = models.BooleanField(default=True)
    exclusion_reason = models.CharField(max_length=300, blank=True)
    # Applies for now, until a fact is known ("Pending: systemic-risk status not known.").
    pending_reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    justification = models.TextField(
        blank=True, help_text="Why the item does not apply. Needed for 'not applicable'."
    )
    notes = models.TextField(blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_on = models.DateField(null=True, blank=True)
    # The colleague who works on the item ("assigned to me" on the assessment page).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_items",
    )
    # Optimistic locking: a save must name the version it was based on.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["checklist_item__order", "checklist_item__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "checklist_item"], name="one_row_per_item_in_assessment"
            )
        ]
        # Progress counts read an assessment's items by applicability and status.
        indexes = [
            models.Index(fields=["assessment", "applicable", "status"]),
            models.Index(fields=["updated_at"]),  # overview.dashboard.data_version
            # From an item to its assessment without reading the item's row: the expiring
            # evidence of one owner's assessments (diligence.followups) is counted this way.
            models.Index(fields=["id", "assessment"], name="diligence_item_assessment"),
        ]

    def __str__(self):
        return f"{self.checklist_item.code} in {self.assessment.reference}"

    def get_absolute_url(self):
        return reverse("diligence:item_detail", args=[self.assessment_id, self.pk])

    @property
    def status_label(self):
        """What get_status_display() gives."""
        return ITEM_STATUS_LABELS.get(self.status, self.status)


class Evidence(models.Model):
    """A document or link the supplier gave for an item. Never edited: new versions supersede."""

    item = models.ForeignKey(AssessmentItem, on_delete=models.PROTECT, related_name="evidence")
    # The item's assessment, which never changes: the follow-up counts read it beside the
    # expiry in one index instead of looking up every expiring item.
    assessment = models.ForeignKey(
        "Assessment", on_delete=models.PROTECT, related_name="+", editable=False
    )
    description = models.CharField(max_length=300)
    issuer = models.CharField(max_length=200, blank=True, help_text="Who issued the document.")
    effective_date = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    url = models.URLField("Link", max_length=1000, blank=True)
    storage_name = models.CharField(max_length=200, blank=True, editable=False)
    original_name = models.CharField(max_length=200, blank=True, editable=False)
    content_type = models.CharField(max_length=100, blank=True, editable=False)
    size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, editable=False)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    is_current = models.BooleanField(default=True)
    request_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "evidence"
        # The dashboard and reminders look for current evidence that expires soon.
        indexes = [
            # Current evidence by expiry with its item and assessment, read from the index
            # alone: the follow-ups and the dashboard's coming dates (diligence.followups,
            # overview.dashboard).
            models.Index(
                fields=["valid_until"],
                include=["item", "assessment"],
                condition=models.Q(is_current=True),
                name="diligence_evidence_expiring",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(url="") & models.Q(storage_name="")),
                name="evidence_has_file_or_link",
            )
        ]

    def __str__(self):
        return self.description

    @property
    def is_file(self):
        return bool(self.storage_name)

    def get_download_url(self):
        return reverse(
            "diligence:evidence_download", args=[self.item.assessment_id, self.item_id, self.pk]
        )


class Decision(models.Model):
    """A decision on one revision of an assessment; earlier decisions stay on record."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="decisions")
    revision = models.PositiveIntegerField()
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    conditions = models.TextField(blank=True)
    notes = models.TextField("Decision notes", blank=True)
    # An optional attachment (a signed memo, minutes), checked and stored as evidence files are.
    storage_name = models.CharField(max_length=200, blank=True, editable=False)
    original_name = models.CharField(max_length=200, blank=True, editable=False)
    content_type = models.CharField(max_length=100, blank=True, editable=False)
    size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, editable=False)
    valid_until = models.DateField(help_text="A re-assessment is due after this date.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["valid_until"])]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "revision"], name="one_decision_per_revision"
            )
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} (revision {self.revision})"

    @property
    def outcome_label(self):
        """What get_outcome_display() gives."""
        return OUTCOME_LABELS.get(self.outcome, self.outcome)
