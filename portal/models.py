"""Supplier requests: what the buyer asked the supplier to answer through a link, and what the
supplier answered, kept apart from the buyer's own notes and evidence until the owner accepts it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    SENT = "sent", _("Awaiting the supplier")
    SUBMITTED = "submitted", _("Answered by the supplier")
    CLOSED = "closed", _("Reviewed")
    REVOKED = "revoked", _("Revoked")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("To review")
    ACCEPTED = "accepted", _("Accepted")
    ASKED_AGAIN = "asked_again", _("Asked again")


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class SupplierRequest(models.Model):
    """One request to one recipient at the supplier, answered through one link.

    Only the SHA-256 of the link's token is stored: the token itself is in the email alone.
    A new link (re-send, ask again) replaces the hash, so the old link stops working.
    """

    assessment = models.ForeignKey(
        "diligence.Assessment", on_delete=models.PROTECT, related_name="supplier_requests"
    )
    recipient_name = models.CharField(_("Recipient's name"), max_length=200)
    recipient_email = models.EmailField(_("Recipient's email"), max_length=254)
    due_date = models.DateField(_("Answer due by"))
    message = models.TextField(_("Message to the supplier"), blank=True)
    asks_mdf = models.BooleanField(_("Ask for the Model Documentation Form"), default=False)
    asks_training_summary = models.BooleanField(
        _("Ask for the training-content summary"), default=False
    )
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.SENT
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_expires_at = models.DateTimeField(editable=False)
    # The request this one asks again about.
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    # What the supplier entered in the MDF and training-summary forms (the documentation app's
    # forms), recorded as documentation only when the owner accepts it.
    mdf_entry = models.JSONField(default=dict, blank=True, editable=False)
    summary_entry = models.JSONField(default=dict, blank=True, editable=False)
    documentation_recorded = models.BooleanField(default=False, editable=False)
    reminders_stopped = models.BooleanField(default=False, editable=False)
    sent_at = models.DateTimeField(editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["updated_at"]),  # overview.dashboard.data_version
        ]

    def __str__(self):
        return f"Request to {self.recipient_email} for {self.assessment.reference}"

    def get_absolute_url(self):
        return reverse("portal:request_detail", args=[self.assessment_id, self.pk])

    @property
    def actor_label(self):
        return f"supplier (via link, {self.recipient_email})"

    @property
    def is_open(self):
        return self.status == RequestStatus.SENT


class RequestItem(models.Model):
    """One checklist item the supplier is asked about, with the supplier's answer."""

    request = models.ForeignKey(SupplierRequest, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(
        "diligence.AssessmentItem", on_delete=models.CASCADE, related_name="supplier_answers"
    )
    # What the buyer asks, in words for the supplier (the checklist's "evidence to ask for").
    guidance = models.TextField(blank=True)
    # The owner's comment when asking again: shown to the supplier with the new link.
    comment = models.TextField(blank=True)
    asks_yes_no = models.BooleanField(default=False)
    answer_text = models.TextField(blank=True)
    answer_yes_no = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    answer_links = models.TextField(blank=True)  # one address a line
    review = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["item__checklist_item__order", "item__checklist_item__code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "item"], name="one_row_per_item_in_request")
        ]

    def __str__(self):
        return f"{self.item.checklist_item.code} in {self.request}"

    @property
    def links(self):
        return [line.strip() for line in self.answer_links.splitlines() if line.strip()]

    @property
    def is_answered(self):
        return bool(self.answer_text.strip() or self.answer_yes_no or self.links) or any(
            True for _ in self.files.all()
        )


class SupplierFile(models.Model):
    """A file the supplier uploaded, checked and stored as evidence files are. It becomes the
    item's evidence only when the owner accepts the answer."""

    request_item = models.ForeignKey(RequestItem, on_delete=models.CASCADE, related_name="files")
    storage_name = models.CharField(max_length=200, editable=False)
    original_name = models.CharField(max_length=200, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveBigIntegerField(editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    evidence = models.ForeignKey(
        "diligence.Evidence", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class SupplierReminder(models.Model):
    """A reminder emailed to the supplier, so that each threshold is sent once."""

    request = models.ForeignKey(SupplierRequest, on_delete=models.CASCADE, related_name="reminders")
    threshold = models.CharField(max_length=10)  # "7d", "1d"
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "threshold"], name="one_supplier_reminder_per_threshold"
            )
        ]

    def __str__(self):
        return f"{self.threshold} reminder for {self.request_id}"
