"""Sign-in throttling: after too many failed attempts, refuse more without checking a password.

Failures are counted per username (whether or not such a user exists, so the answer never
tells) and per client address, with a higher limit, over a sliding window. They are rows in
the database, which every worker and app server shares. A successful sign-in clears the
username's failures, not the address's: one valid account must not reset a guessing run.

Parallel attempts cannot pass the limit: an attempt is counted as a failure before its
password is checked (`login_attempt_begin`), under a lock per username that is held while
counting, and the count is taken back only when the password was right. Twenty attempts
sent at once therefore check at most `LOGIN_THROTTLE_FAILURES` passwords, whichever workers
serve them.
"""

import datetime
import hashlib
import ipaddress
import unicodedata

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.models import LoginFailure


def _window():
    return datetime.timedelta(minutes=settings.LOGIN_THROTTLE_WINDOW_MINUTES)


def _normalise(username):
    return unicodedata.normalize("NFKC", username).strip().casefold()[:150]


def _parse_ip(value):
    try:
        return ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None


def _is_trusted_proxy(address):
    address = _parse_ip(address)
    return address is not None and any(
        address in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES
    )


def client_ip(request):
    """The address a request came from: REMOTE_ADDR, unless that is a trusted proxy.

    Behind trusted proxies (`TRUSTED_PROXIES`), X-Forwarded-For is read from the right, where
    each proxy appends the address it saw; the first address that is not a trusted proxy is
    the client. Anything left of it could have been written by the client and is ignored.
    """
    address = request.META.get("REMOTE_ADDR", "")
    if _is_trusted_proxy(address):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        for hop in reversed(forwarded):
            if _parse_ip(hop) is None:
                break  # garbage: the last proxy we trust is the best we know
            address = hop.strip()
            if not _is_trusted_proxy(address):
                break
    parsed = _parse_ip(address)
    return str(parsed) if parsed else None


def _locked_until(failures, limit):
    # Locked while `limit` failures are in the window: until the oldest of the newest
    # `limit` failures leaves it.
    newest = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
    return newest[-1] + _window() if len(newest) >= limit else None


def login_lockout_remaining(*, username, ip, now=None):
    """How long sign-in stays refused for this username or address; None when it is allowed."""
    now = now or timezone.now()
    recent = LoginFailure.objects.filter(at__gt=now - _window())
    locks = []
    if username:
        by_username = recent.filter(username=_normalise(username))
        locks.append(_locked_until(by_username, settings.LOGIN_THROTTLE_FAILURES))
    if ip:
        locks.append(_locked_until(recent.filter(ip=ip), settings.LOGIN_THROTTLE_IP_FAILURES))
    latest = max(filter(None, locks), default=None)
    return latest - now if latest else None


def login_failure_record(*, username, ip, now=None):
    """Count a failed sign-in, and forget failures that no longer count."""
    now = now or timezone.now()
    LoginFailure.objects.filter(at__lte=now - _window()).delete()
    LoginFailure.objects.create(username=_normalise(username), ip=ip, at=now)


def login_failures_clear(*, username, attempt=None):
    """Forget a username's failures after it signs in; they still count for their addresses.
    `attempt`, the failure counted in advance by `login_attempt_begin`, was no failure."""
    if attempt is not None:
        login_attempt_forget(attempt)
    LoginFailure.objects.filter(username=_normalise(username)).update(username="")


def login_attempt_forget(attempt):
    """Take back an attempt counted in advance that checked no password."""
    LoginFailure.objects.filter(pk=attempt.pk).delete()


def _lock_username(username):
    """Hold a lock on this username until the transaction ends, so that attempts for it are
    counted one after the other.

    PostgreSQL: a transaction-level advisory lock on a 64-bit key from the username (there is
    no row to lock for a username that has no failures yet). SQLite: a transaction that writes
    takes the database's write lock when it begins (settings: transaction_mode IMMEDIATE),
    which already puts concurrent attempts in a queue.
    """
    if connection.vendor == "postgresql":
        digest = hashlib.sha256(f"sign-in:{_normalise(username)}".encode()).digest()
        key = int.from_bytes(digest[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def login_attempt_begin(*, username, ip, now=None):
    """Count a sign-in attempt before its password is checked.

    Returns (remaining, attempt): how long sign-in stays refused (None when allowed) and the
    failure recorded for this attempt, which `login_failures_clear` takes back when the
    password was right. A refused attempt checks no password and counts nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        _lock_username(username)
        remaining = login_lockout_remaining(username=username, ip=ip, now=now)
        if remaining:
            return remaining, None
        LoginFailure.objects.filter(at__lte=now - _window()).delete()
        attempt = LoginFailure.objects.create(username=_normalise(username), ip=ip, at=now)
    return None, attempt
