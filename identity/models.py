from django.conf import settings
from django.db import models


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator app, e.g. when the phone is lost.

    Only the SHA-256 is stored: codes are random (80 bits), so a plain hash is enough.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "code_sha256"])]

    def __str__(self):
        return f"Recovery code of {self.user} ({'used' if self.used_at else 'unused'})"
