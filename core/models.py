"""Rows core keeps for every app: audit entries, reminders sent, and failed sign-ins."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditEntry(models.Model):
    """One workflow action or download: who did what to which record, and when."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    summary = models.CharField(max_length=500, blank=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-at"])]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.who} {self.action}"

    @property
    def who(self):
        """The actor as pages show it: the user, else who acted without an account (a
        supplier through a link, in `data["actor_label"]`), else the system."""
        if self.actor_id:
            return self.actor
        return (self.data or {}).get("actor_label") or "system"


class SentReminder(models.Model):
    """A reminder that was emailed, so it is never sent twice.

    The key names the subject, the date it is about and the threshold crossed
    ("assessment_due:assessment:12:2026-12-01:7d"); a later due date or threshold is a new key.
    """

    key = models.CharField(max_length=200)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "recipient"], name="one_reminder_per_key_and_recipient"
            )
        ]

    def __str__(self):
        return f"{self.key} to {self.recipient_id}"


class LoginFailure(models.Model):
    """A failed sign-in, kept while it counts towards a lockout (`core/throttle.py`).

    Stored in the database so that every gunicorn worker and every app server counts the
    same failures, and a restart does not reset them.
    """

    # Normalised (NFKC, case-folded); blank once the user signed in, when the failure counts
    # only for its address.
    username = models.CharField(max_length=150, blank=True)
    ip = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["username", "-at"], name="login_failure_username"),
            models.Index(fields=["ip", "-at"], name="login_failure_ip"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} from {self.ip}"


class DailyRun(models.Model):
    """A daily job that was started for a day, so that it starts once, however many workers
    look at the clock (core.schedule)."""

    job = models.CharField(max_length=200)
    day = models.DateField()
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="daily_run_once")]

    def __str__(self):
        return f"{self.job} on {self.day:%Y-%m-%d}"
