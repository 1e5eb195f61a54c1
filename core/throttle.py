"""Sign-in throttling: after too many failed attempts, refuse more without checking a password.

Failures are counted per username (whether or not such a user exists, so the answer never
tells) and per client address, with a higher limit, over a sliding window. They are rows in
the database, which every worker and app server shares. A successful sign-in clears the
username's failures, not the address's: one valid account must not reset a guessing run.
"""

import datetime
import ipaddress
import unicodedata

from django.conf import settings
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


def login_failures_clear(*, username):
    """Forget a username's failures after it signs in; they still count for their addresses."""
    LoginFailure.objects.filter(username=_normalise(username)).update(username="")
