"""The token of a supplier link: made, hashed, checked, and kept out of the logs.

A token is 32 random bytes (256 bits) from `secrets`, written URL-safe. The database keeps only
its SHA-256, so a copy of the database opens no request. Wrong, expired, revoked and answered
tokens are refused alike: the caller answers the same neutral page for each.
"""

import datetime
import hashlib
import logging
import re
import secrets

from django.conf import settings
from django.utils import timezone

TOKEN_BYTES = 32
# What token_urlsafe(32) writes: 43 characters of the URL-safe base64 alphabet.
_WELL_FORMED = re.compile(r"[A-Za-z0-9_-]{43}")
# The link's path, as `portal.urls` names it: /supplier/link/<token>/
_LINK_PATH = re.compile(r"(/supplier/link/)[^/\s\"']*")


def token_new():
    """(token, hash): the token goes into the email, the hash into the database."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def is_well_formed(token):
    """Whether `token` could be one of ours. Only such tokens are looked up and counted
    towards the rate limit: any other (truncated, padded, garbage) can never open anything."""
    return bool(_WELL_FORMED.fullmatch(token or ""))


def token_hash(token):
    return hashlib.sha256(str(token).encode("utf-8", "replace")).hexdigest()


def expiry_for(due_date):
    """The end of the due date plus the grace period, in the app's time zone."""
    end_of_due_day = timezone.make_aware(datetime.datetime.combine(due_date, datetime.time.max))
    return end_of_due_day + datetime.timedelta(days=settings.SUPPLIER_LINK_GRACE_DAYS)


def redact(text):
    return _LINK_PATH.sub(r"\1[redacted]", text)


class RedactLinkTokens(logging.Filter):
    """Replaces the token in a supplier link's path by "[redacted]" in a log record."""

    def filter(self, record):
        if isinstance(record.msg, str) and "/supplier/link/" in record.msg:
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        # Django's request logger keeps the request on the record, for handlers that mail it.
        request = getattr(record, "request", None)
        if request is not None and "/supplier/link/" in getattr(request, "path", ""):
            record.request = None
        return True
