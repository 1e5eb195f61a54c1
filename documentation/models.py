"""What suppliers document about a model: the Model Documentation Form (MDF) as a versioned
catalogue of fields, the MDF versions a buyer records for a model with their values, the public
training-content summary, and third-party compute estimates."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.library.models import VersionedLibrary


class Audience(models.TextChoices):
    AI_OFFICE = "aio", "AI Office"
    AUTHORITIES = "nca", "National competent authorities"
    DOWNSTREAM = "dp", "Downstream providers"


class FieldKind(models.TextChoices):
    TEXT = "text", "Text"
    LIST = "list", "List"
    DATE = "date", "Date"
    NUMBER = "number", "Number"
    CHOICE = "choice", "Choice"


class Granularity(models.TextChoices):
    NONE = "", "—"
    COARSE = "coarse", "Coarse (national authorities)"
    PRECISE = "precise", "Precise (AI Office)"


class MdfCatalogue(VersionedLibrary):
    """One version of the Model Documentation Form's list of fields. A revised form is a new
    version; MDFs recorded against an older version keep it."""

    children = "fields"
    child_key = "key"
    audit_name = "mdf_catalogue"
    label = "form catalogue"
    children_label = "fields"

    class Meta:
        ordering = ["-version"]
        verbose_name = "MDF catalogue version"
        verbose_name_plural = "MDF catalogue versions"
        constraints = [
            models.UniqueConstraint(fields=["version"], name="mdf_catalogue_version_unique"),
        ]


class MdfField(models.Model):
    """One item of the form, with the audiences the form marks it for."""

    catalogue = models.ForeignKey(MdfCatalogue, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(max_length=60, help_text="Stable across versions; imports use it.")
    number = models.CharField(max_length=20, help_text="The item's number on the form.")
    section = models.CharField(max_length=200)
    label = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=FieldKind.choices, default=FieldKind.TEXT)
    choices = models.JSONField(default=list, blank=True)
    audiences = models.JSONField(default=list)
    granularity = models.CharField(max_length=10, choices=Granularity.choices, blank=True)
    na_allowed = models.BooleanField("N/A allowed", default=False)
    significant_figures = models.BooleanField("At least two significant figures", default=False)
    unverified = models.CharField(
        max_length=300,
        blank=True,
        help_text="What about this item is inferred rather than read on the form.",
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["catalogue", "key"], name="mdf_field_key_unique_in_version"
            )
        ]

    def __str__(self):
        return f"{self.number} {self.label}"

    @property
    def for_downstream(self):
        return Audience.DOWNSTREAM in self.audiences

    def audience_labels(self):
        return [Audience(code).label for code in self.audiences if code in Audience.values]

    def clean(self):
        if self.catalogue_id and not self.catalogue.is_draft:
            raise ValidationError("Only fields of a draft catalogue version can be changed.")
        errors = {}
        if not isinstance(self.audiences, list) or not self.audiences:
            errors["audiences"] = "Name at least one audience: aio, nca or dp."
        elif not set(self.audiences) <= set(Audience.values):
            errors["audiences"] = "Audiences are aio, nca and dp."
        if self.kind == FieldKind.CHOICE and not self.choices:
            errors["choices"] = "A choice field needs its choices."
        if not isinstance(self.choices, list) or not all(
            isinstance(choice, str) for choice in self.choices
        ):
            errors["choices"] = "Choices are a list of texts."
        if errors:
            raise ValidationError(errors)


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONFIRMED = "confirmed", "Confirmed"


class ConfirmedRecord(models.Model):
    """A record entered as a draft, then confirmed as the supplier's version, after which it
    never changes (a new version is a new row)."""

    status = models.CharField(
        max_length=10, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The file the record was imported from, stored as evidence files are (core.files): under a
    # generated name, never changed, with its SHA-256. Its display name is `source_name`.
    source_storage_name = models.CharField(max_length=200, blank=True, editable=False)
    source_content_type = models.CharField(max_length=100, blank=True, editable=False)
    source_size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    source_sha256 = models.CharField("Source SHA-256", max_length=64, blank=True, editable=False)

    # How messages name one record ("This version is already confirmed.") and the prefix of
    # its audit actions ("mdf_confirmed").
    noun = "record"
    audit_name = "record"

    class Meta:
        abstract = True

    @property
    def is_draft(self):
        return self.status == RecordStatus.DRAFT

    @property
    def has_source_file(self):
        return bool(self.source_storage_name)

    def keep_source(self, stored):
        """Point to the stored import file (a core.files.StoredFile); saved by the caller."""
        self.source_name = stored.original_name
        self.source_storage_name = stored.storage_name
        self.source_content_type = stored.content_type
        self.source_size = stored.size
        self.source_sha256 = stored.sha256

    def confirm_problem(self):
        """Why this draft cannot be confirmed yet, or "" when it can."""
        return ""

    def mark_confirmed(self, *, by):
        """Freeze the draft as confirmed by `by`; the caller holds the row's lock."""
        self.status = RecordStatus.CONFIRMED
        self.confirmed_at = timezone.now()
        self.confirmed_by = by
        self.save(update_fields=["status", "confirmed_at", "confirmed_by"])


class MdfDocument(ConfirmedRecord):
    """One version of a model's Model Documentation Form as the supplier gave it. Confirmed
    versions never change; a correction is a new version."""

    noun = "version"
    audit_name = "mdf"

    model = models.ForeignKey(
        "vendors.GPAIModel", on_delete=models.PROTECT, related_name="mdf_documents"
    )
    catalogue = models.ForeignKey(MdfCatalogue, on_delete=models.PROTECT, related_name="+")
    document_version = models.CharField(max_length=50, help_text="As the supplier numbers it.")
    last_updated = models.DateField(help_text="The date the document says it was last updated.")
    source_url = models.URLField("Source address", max_length=500, blank=True)
    source_name = models.CharField(
        "Source file", max_length=200, blank=True, help_text="The file it was imported from."
    )
    requested_on = models.DateField(
        "Requested on",
        null=True,
        blank=True,
        help_text="When you asked the supplier for the downstream information (answer due 14 days later).",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "model documentation form"
        # "confirm": freeze a version as the supplier's.
        permissions = [("confirm_mdfdocument", "Can confirm a model documentation form")]

    def __str__(self):
        return f"MDF {self.document_version} of {self.model}"

    def get_absolute_url(self):
        return reverse("documentation:mdf_detail", args=[self.pk])

    def confirm_problem(self):
        if self.last_updated is None:
            return "Enter the date the document was last updated before confirming."
        return ""


class MdfValue(models.Model):
    """The value of one field in one MDF version; "N/A" is `not_applicable`."""

    document = models.ForeignKey(MdfDocument, on_delete=models.CASCADE, related_name="values")
    field_key = models.SlugField(max_length=60)
    value = models.TextField(blank=True)
    not_applicable = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "field_key"], name="one_value_per_field_in_mdf"
            )
        ]

    def __str__(self):
        return "N/A" if self.not_applicable else self.value


class TrainingSummary(ConfirmedRecord):
    """One version of the public summary of training content (Art. 53(1)(d)), with the text of
    each template section and the values a person checked."""

    noun = "summary"
    audit_name = "training_summary"

    model = models.ForeignKey(
        "vendors.GPAIModel", on_delete=models.PROTECT, related_name="training_summaries"
    )
    summary_version = models.CharField(max_length=50, blank=True)
    last_updated = models.DateField(null=True, blank=True)
    url = models.URLField("Published at", max_length=500, blank=True)
    source_name = models.CharField("Source file", max_length=200, blank=True)
    sections = models.JSONField(default=dict, blank=True)
    size_bands = models.JSONField(default=dict, blank=True)
    exact_sizes = models.JSONField(default=dict, blank=True)
    latest_collection = models.DateField("Latest data collection", null=True, blank=True)
    crawlers = models.TextField("Crawler names", blank=True)
    top_domains = models.TextField("Top domain names (2.3)", blank=True)
    tdm_statement = models.TextField("Opt-out statement (3.1)", blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "training-content summary"
        verbose_name_plural = "training-content summaries"
        permissions = [("confirm_trainingsummary", "Can confirm a training-content summary")]

    def __str__(self):
        return f"Training summary {self.summary_version or '(no version)'} of {self.model}"

    def get_absolute_url(self):
        return reverse("documentation:summary_detail", args=[self.pk])


class EstimateStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class ComputeEstimate(models.Model):
    """A third-party estimate of a model's training compute (Epoch AI's public data). It is
    shown beside the provider's figures, never instead of them, and changes no fact by itself."""

    model = models.ForeignKey(
        "vendors.GPAIModel", on_delete=models.PROTECT, related_name="compute_estimates"
    )
    source_name = models.CharField(max_length=200, help_text="The entry's name in the source.")
    organization = models.CharField(max_length=300, blank=True)
    publication_date = models.CharField(max_length=20, blank=True)
    training_compute_flop = models.FloatField(null=True, blank=True)
    compute_lower_flop = models.FloatField(null=True, blank=True)
    compute_upper_flop = models.FloatField(null=True, blank=True)
    confidence = models.CharField(max_length=50, blank=True)
    base_model = models.CharField(max_length=200, blank=True)
    finetune_compute_flop = models.FloatField(null=True, blank=True)
    link = models.URLField(max_length=500, blank=True)
    attribution = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=EstimateStatus.choices, default=EstimateStatus.SUGGESTED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("decide_computeestimate", "Can accept or dismiss a compute estimate")]

    def __str__(self):
        return f"Estimate for {self.model} from {self.source_name}"
