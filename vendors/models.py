"""Suppliers, their GPAI models, Code of Practice signatures per chapter, and the imported
snapshots of the public signatory register."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from vendors import facts


class Chapter(models.TextChoices):
    TRANSPARENCY = "transparency", "Transparency"
    COPYRIGHT = "copyright", "Copyright"
    SAFETY_SECURITY = "safety_security", "Safety and Security"


class Modality(models.TextChoices):
    TEXT = "text", "Text"
    CODE = "code", "Code"
    IMAGE = "image", "Image"
    AUDIO = "audio", "Audio"
    VIDEO = "video", "Video"


class Tracked(models.Model):
    """Who created and last changed a record, and when."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class ActiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


class Supplier(Tracked):
    name = models.CharField(max_length=200, help_text="The name the supplier trades under.")
    legal_name = models.CharField(max_length=300, blank=True)
    country = CountryField(help_text="Where the supplier is established.")
    website = models.URLField(blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    eu_representative_name = models.CharField(
        "EU authorised representative",
        max_length=300,
        blank=True,
        help_text="Art. 54: needed when the provider is established outside the Union, unless "
        "its models are open source, exempt and without systemic risk (Art. 54(6)).",
    )
    eu_representative_contact = models.CharField(
        "Representative contact", max_length=300, blank=True
    )
    notes = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False, help_text="Loaded as demo data.")
    archived_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="supplier_name_unique_ci",
                violation_error_message="A supplier with this name already exists.",
            )
        ]
        indexes = [
            models.Index(fields=["country"]),
            models.Index(fields=["archived_at"]),
            models.Index(fields=["updated_at"]),  # overview.dashboard.data_version
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("vendors:supplier_detail", args=[self.pk])

    @property
    def established_in_eu(self):
        """In the EU or the EEA: where the lists and exports place the supplier."""
        return self.country.code in facts.EU_EEA_COUNTRIES

    @property
    def established_in_union(self):
        """Art. 54(1): in the Union; the EEA EFTA states only when AI_ACT_EEA_AS_UNION is on."""
        return facts.is_established_in_eu(
            self.country.code, eea_as_union=settings.AI_ACT_EEA_AS_UNION
        )

    @property
    def is_archived(self):
        return self.archived_at is not None


class GPAIModel(Tracked):
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="models")
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=100, blank=True)
    modalities = models.JSONField(default=list, blank=True)
    placed_on_market = models.DateField("First placed on the EU market", null=True, blank=True)
    training_compute_flop = models.DecimalField(
        "Training compute (FLOP)", max_digits=40, decimal_places=0, null=True, blank=True
    )
    licence = models.CharField(max_length=200, blank=True)
    open_licence = models.BooleanField(
        "Free and open-source licence",
        default=False,
        help_text="Allows access, use, modification and distribution.",
    )
    weights_public = models.BooleanField("Weights public", default=False)
    architecture_public = models.BooleanField("Architecture information public", default=False)
    usage_info_public = models.BooleanField("Usage information public", default=False)
    monetised = models.BooleanField(
        default=False,
        help_text="For example paid licences for commercial use or services required to use it.",
    )
    claims_open_source_exemption = models.BooleanField(
        "Supplier relies on the open-source exemption",
        default=False,
        help_text="The supplier says Art. 53(2) spares it the documentation duties for this model.",
    )
    systemic_risk_status = models.CharField(
        max_length=20, choices=facts.SystemicRisk.CHOICES, default=facts.SystemicRisk.UNKNOWN
    )
    systemic_risk_decided_on = models.DateField(
        "Date of the Commission's decision",
        null=True,
        blank=True,
        help_text="For a designation or an accepted rebuttal (Art. 52).",
    )
    systemic_risk_source = models.URLField(
        "Source of the decision",
        max_length=500,
        blank=True,
        help_text="Where the designation or the acceptance of the rebuttal is published.",
    )
    # Downstream modification (Commission guidelines of 18 Jul 2025; recital 109).
    modification_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="modifications",
        verbose_name="Modification of (model in the register)",
        help_text="The model this one was made from by fine-tuning or another modification.",
    )
    upstream_model_name = models.CharField(
        "Modification of (model not in the register)",
        max_length=200,
        blank=True,
        help_text="Name and version of the original model, when it is not in the register.",
    )
    upstream_provider_name = models.CharField(
        "Provider of the original model", max_length=200, blank=True
    )
    upstream_compute_flop = models.DecimalField(
        "Training compute of the original model (FLOP)",
        max_digits=40,
        decimal_places=0,
        null=True,
        blank=True,
    )
    modification_compute_flop = models.DecimalField(
        "Compute used for the modification (FLOP)",
        max_digits=40,
        decimal_places=0,
        null=True,
        blank=True,
    )
    notes = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False)
    archived_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = "GPAI model"
        ordering = [Lower("name"), "version"]
        constraints = [
            models.UniqueConstraint(
                "supplier",
                Lower("name"),
                "version",
                name="model_name_version_unique_ci",
                violation_error_message="This supplier already has a model with this name and version.",
            )
        ]
        indexes = [models.Index(fields=["updated_at"])]  # overview.dashboard.data_version

    def __str__(self):
        return f"{self.name} {self.version}".strip()

    def get_absolute_url(self):
        return reverse("vendors:model_detail", args=[self.pk])

    @property
    def is_archived(self):
        return self.archived_at is not None

    def get_modalities_display(self):
        labels = dict(Modality.choices)
        return ", ".join(labels.get(m, m) for m in self.modalities)

    @property
    def is_modification(self):
        return self.modification_of_id is not None or bool(self.upstream_model_name)

    @property
    def upstream_label(self):
        """The original model of a modification and its provider, as a person reads it."""
        if self.modification_of_id is not None:
            upstream = self.modification_of
            return f"{upstream} by {upstream.supplier.name}"
        if self.upstream_model_name:
            provider = self.upstream_provider_name or "an unnamed provider"
            return f"{self.upstream_model_name} by {provider}"
        return ""

    def facts(self, signed_chapters=frozenset(), *, buyer=None, _depth=0):
        """The model's facts for `vendors.facts`. `buyer` is an assessment (or anything with
        `buyer_plans_fine_tuning` and `buyer_fine_tuning_flop`) whose plans are added."""
        upstream_compute = _int(self.upstream_compute_flop)
        upstream_systemic = None
        upstream = self.modification_of if self.modification_of_id is not None else None
        # A chain of modifications is followed a few steps; the form refuses cycles.
        if upstream is not None and _depth < 5:
            upstream_facts = upstream.facts(_depth=_depth + 1)
            upstream_systemic = facts.systemic_risk(upstream_facts).answer
            if upstream_compute is None:
                upstream_compute = facts.cumulative_compute(upstream_facts)
        return facts.ModelFacts(
            training_compute_flop=_int(self.training_compute_flop),
            systemic_risk_status=self.systemic_risk_status,
            systemic_risk_decided_on=self.systemic_risk_decided_on,
            systemic_risk_source=self.systemic_risk_source,
            open_licence=self.open_licence,
            weights_public=self.weights_public,
            architecture_public=self.architecture_public,
            usage_info_public=self.usage_info_public,
            monetised=self.monetised,
            claims_open_source_exemption=self.claims_open_source_exemption,
            provider_in_eu=self.supplier.established_in_union,
            provider_country=self.supplier.country.code or "",
            placed_on_market=self.placed_on_market,
            signed_chapters=frozenset(signed_chapters),
            modifies=self.upstream_label,
            upstream_compute_flop=upstream_compute,
            modification_compute_flop=_int(self.modification_compute_flop),
            upstream_systemic_risk=upstream_systemic,
            buyer_plans_fine_tuning=bool(buyer and buyer.buyer_plans_fine_tuning),
            buyer_fine_tuning_flop=_int(buyer.buyer_fine_tuning_flop) if buyer else None,
        )

    @property
    def has_systemic_risk(self):
        return facts.has_systemic_risk(self.facts())

    @property
    def systemic_risk_answer(self):
        """Yes, no or undetermined (vendors.facts.Answer), for the lists."""
        return facts.systemic_risk(self.facts()).answer

    @property
    def training_compute_display(self):
        return facts.format_flop(self.training_compute_flop)

    @property
    def upstream_compute_display(self):
        """The original's training compute: as recorded here, or as the register has it."""
        if self.upstream_compute_flop is not None:
            return f"{facts.format_flop(self.upstream_compute_flop)} FLOP"
        original = self.modification_of if self.modification_of_id is not None else None
        if original is not None and original.training_compute_flop is not None:
            return f"{facts.format_flop(original.training_compute_flop)} FLOP (from the register)"
        return "not recorded"

    @property
    def modification_compute_display(self):
        return facts.format_flop(self.modification_compute_flop)


def _int(value):
    return None if value is None else int(value)


class SignatureStatus(models.TextChoices):
    SIGNED = "signed", "Signed"
    NOT_SIGNED = "not_signed", "Not signed"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    UNKNOWN = "unknown", "Unknown"


class Signature(Tracked):
    """Whether a supplier signed one chapter of the GPAI Code of Practice (Art. 56)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="signatures")
    chapter = models.CharField(max_length=20, choices=Chapter.choices)
    status = models.CharField(
        max_length=20, choices=SignatureStatus.choices, default=SignatureStatus.UNKNOWN
    )
    signed_on = models.DateField("Date signed", null=True, blank=True)
    source_url = models.URLField("Source", max_length=500, blank=True)
    verified_on = models.DateField("Date verified", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    from_list = models.ForeignKey(
        "RegisterSnapshot",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Taken from the list",
        help_text="The signatory list this status was applied from; empty when a person "
        "recorded it from another source.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["supplier", "chapter"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "chapter"], name="one_signature_per_chapter"
            )
        ]
        indexes = [
            models.Index(fields=["chapter", "status"]),
            models.Index(fields=["updated_at"]),  # overview.dashboard.data_version
            # Each supplier's oldest check, read from the index alone in supplier order: the
            # dashboard's coming dates (when a check goes stale).
            models.Index(fields=["supplier", "verified_on"], name="vendors_signature_checked_on"),
            # Each supplier's most recent check and who made it, read from the index alone:
            # vendors.followups.reminded reads it for every supplier in one pass.
            models.Index(
                fields=["supplier", "-verified_on", "-id"],
                include=["verified_by"],
                condition=models.Q(verified_by__isnull=False),
                name="vendors_signature_last_check",
            ),
        ]

    def __str__(self):
        return f"{self.supplier} – {self.get_chapter_display()}: {self.get_status_display()}"

    @property
    def is_signed(self):
        return self.status == SignatureStatus.SIGNED

    # The lists show a badge per chapter: labels from the enums, cheaper than get_*_display.
    @property
    def chapter_label(self):
        return Chapter(self.chapter).label

    @property
    def status_label(self):
        return SignatureStatus(self.status).label

    def is_stale(self, today=None):
        """A check older than SIGNATURE_STALE_AFTER_DAYS (or never made) needs doing again."""
        today = today or datetime.date.today()
        if self.verified_on is None:
            return True
        age = (today - self.verified_on).days
        return age > settings.SIGNATURE_STALE_AFTER_DAYS


class SignatureSummary(models.Model):
    """One supplier's signatures summed up: each chapter's status and what its checks say,
    which the dashboard and the stale-check follow-ups count instead of reading every
    signature. Kept by `vendors.summaries.signature_summaries_refresh` in the transaction
    that changed the signatures, so it is never behind them."""

    supplier = models.OneToOneField(
        Supplier, on_delete=models.CASCADE, primary_key=True, related_name="signature_summary"
    )
    # Each chapter's status, empty while the supplier has no signature for it.
    transparency = models.CharField(max_length=20, blank=True)
    copyright = models.CharField(max_length=20, blank=True)
    safety_security = models.CharField(max_length=20, blank=True)
    # A chapter whose check was never made, and the oldest check made.
    never_checked = models.BooleanField(default=False)
    oldest_check = models.DateField(null=True)
    # Who made the most recent check (vendors.followups reminds them first).
    last_verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "signature summaries"

    def __str__(self):
        return f"Signatures of supplier {self.supplier_id}"


class RegisterSnapshot(models.Model):
    """The public list of Code of Practice signatories as published on one date, imported once."""

    taken_on = models.DateField("List as of", help_text="The date the list was published.")
    source_url = models.URLField(
        "Source of the list", max_length=500, help_text="Where the list was published."
    )
    file_name = models.CharField(max_length=200)
    file_sha256 = models.CharField("SHA-256", max_length=64)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-taken_on", "-id"]
        verbose_name = "signatory register snapshot"
        permissions = [
            ("apply_registersnapshot", "Can apply changes from the signatory register"),
        ]

    def __str__(self):
        return f"Signatory register of {self.taken_on:%-d %b %Y}"

    def get_absolute_url(self):
        return reverse("vendors:register_detail", args=[self.pk])


class RegisterMatch(models.TextChoices):
    MATCHED = "matched", "Matched"
    UNCERTAIN = "uncertain", "Awaiting confirmation"
    CONFIRMED = "confirmed", "Confirmed by a person"
    REJECTED = "rejected", "Rejected by a person"
    NONE = "none", "No supplier"
    CREATED = "created", "Supplier created"


# The matches that settle which supplier a register entry is about.
LINKED_MATCHES = (RegisterMatch.MATCHED, RegisterMatch.CONFIRMED, RegisterMatch.CREATED)


class RegisterEntry(models.Model):
    """One row of a register snapshot, and the supplier it was matched to."""

    snapshot = models.ForeignKey(RegisterSnapshot, on_delete=models.CASCADE, related_name="entries")
    row_number = models.PositiveIntegerField(help_text="The row in the imported file.")
    provider = models.CharField(max_length=200)
    status = models.CharField(
        max_length=20,
        choices=[(SignatureStatus.SIGNED, "Signed"), (SignatureStatus.DECLINED, "Declined")],
    )
    chapters = models.JSONField(default=list)
    signed_on = models.DateField("Date", null=True, blank=True)
    source_url = models.URLField("Source", max_length=500)
    note = models.CharField(max_length=500, blank=True)
    supplier = models.ForeignKey(
        Supplier,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="register_entries",
        help_text="The matched supplier, or the candidate while the match awaits confirmation.",
    )
    match = models.CharField(max_length=20, choices=RegisterMatch.choices)
    match_score = models.FloatField(null=True, blank=True)
    match_resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    match_resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["row_number"]
        verbose_name_plural = "register entries"
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "row_number"], name="one_entry_per_row"),
        ]

    def __str__(self):
        return f"{self.provider} (row {self.row_number})"

    @property
    def linked(self):
        return self.match in LINKED_MATCHES

    def get_chapters_display(self):
        labels = dict(Chapter.choices)
        return ", ".join(labels.get(c, c) for c in self.chapters)


class RegisterChange(models.Model):
    """One change applied from a signatory list to one chapter of one supplier, with the
    values before and after, so it can be undone while nothing newer was recorded."""

    snapshot = models.ForeignKey(
        RegisterSnapshot, on_delete=models.PROTECT, related_name="applied_changes"
    )
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    chapter = models.CharField(max_length=20, choices=Chapter.choices)
    kind = models.CharField(max_length=30)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    applied_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-applied_at", "-id"]
        indexes = [models.Index(fields=["snapshot", "supplier", "chapter"])]

    def __str__(self):
        return f"{self.supplier} – {self.get_chapter_display()} from the {self.snapshot}"

    @property
    def summary(self):
        """ "Signed → Withdrawn", or "Signed (check noted)" when only a note was added."""
        labels = dict(SignatureStatus.choices)
        before = labels.get(self.before.get("status"), "Unknown")
        after = labels.get(self.after.get("status"), "Unknown")
        return f"{before} (check noted)" if before == after else f"{before} → {after}"
