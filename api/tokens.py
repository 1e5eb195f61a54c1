"""Creating, finding and revoking API tokens.

A token reads `gdd_<prefix>_<secret>`: the prefix finds the row, and the SHA-256 of the
whole token is compared in constant time. Tokens are random (256 bits), so a plain hash is
enough: there is no short secret to guess, unlike a password.
"""

import datetime
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken
from core.audit import audit_log

TOKEN_START = "gdd"  # noqa: S105 - the public start of every token, not a secret
# The last use is written at most this often, so reading does not write on every request.
LAST_USE_RESOLUTION = datetime.timedelta(minutes=1)


def _sha256(token):
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name, scope, expires_in_days, by):
    """Store a new token for `user`; return (row, token). The token is not kept anywhere."""
    prefix = secrets.token_hex(6)
    token = f"{TOKEN_START}_{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        prefix=prefix,
        key_sha256=_sha256(token),
        expires_at=timezone.now() + datetime.timedelta(days=expires_in_days),
    )
    audit_log(
        actor=by,
        action="api_token_created",
        target=row,
        summary=f"API token “{name}” ({row.get_scope_display().lower()}) created",
        data={"prefix": prefix, "expires_at": row.expires_at.isoformat()},
    )
    return row, token


@transaction.atomic
def api_token_revoke(*, token, by):
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(
            actor=by,
            action="api_token_revoked",
            target=token,
            summary=f"API token “{token.name}” revoked",
            data={"prefix": token.prefix},
        )
    return token


def api_token_find(token):
    """The usable token row (not revoked, not expired, active user) for `token`, or None."""
    parts = (token or "").split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_START:
        return None
    row = ApiToken.objects.usable().select_related("user").filter(prefix=parts[1]).first()
    if row is None or not hmac.compare_digest(row.key_sha256, _sha256(token)):
        return None
    return row


def api_token_used(*, token, ip, now=None):
    """Record when and from where the token was last used, at most once a minute."""
    now = now or timezone.now()
    recent = token.last_used_at and now - token.last_used_at < LAST_USE_RESOLUTION
    if recent and token.last_used_ip == ip:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)
    token.last_used_at, token.last_used_ip = now, ip
