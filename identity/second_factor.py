"""Two-factor sign-in for local accounts: an authenticator app (TOTP) and recovery codes.

After the password, the session records what is still due (`STATE_KEY`):

- "verify": the user has an authenticator; every page asks for a code first;
- "enrol": the user must have one (staff, administrators, or everyone when
  TWO_FACTOR_REQUIRED_FOR_ALL is on) and has none yet; every page leads to the set-up;
- "done": nothing is due (verified, not required, or signed in through single sign-on,
  where the organisation's provider asks for its own second factor).

The state lives in the server-side session, so a client cannot set it, and the pages read it
without a query.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import throttle
from core.audit import audit_log
from identity.models import RecoveryCode

STATE_KEY = "identity.second_factor"
VERIFY, ENROL, DONE = "verify", "enrol", "done"
RECOVERY_CODE_COUNT = 10
SSO_BACKEND = "identity.oidc.RoleMappingBackend"


def is_required(user):
    """Staff and administrators always need a second factor; others when the setting says."""
    return user.is_staff or user.is_superuser or settings.TWO_FACTOR_REQUIRED_FOR_ALL


def authenticator(user, *, confirmed=True):
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()


def state_after_sign_in(user, backend):
    if backend == SSO_BACKEND:
        return DONE
    if authenticator(user) is not None:
        return VERIFY
    return ENROL if is_required(user) else DONE


def on_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[STATE_KEY] = state_after_sign_in(user, getattr(user, "backend", None))


def state(request):
    return request.session.get(STATE_KEY, DONE)


# Enrolment ---------------------------------------------------------------------------------


def enrolment_device(request):
    """The authenticator being set up, not saved: its secret is derived from the session, so
    the set-up page and its QR code show the same secret without storing anything, and a new
    sign-in starts with a new one."""
    session_key = request.session.session_key or ""
    key = salted_hmac("identity.enrol", f"{request.user.pk}:{session_key}").digest()[:20]
    return TOTPDevice(user=request.user, name="Authenticator app", key=key.hex(), confirmed=False)


def _normalise_recovery_code(code):
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _sha256(code):
    return hashlib.sha256(_normalise_recovery_code(code).encode()).hexdigest()


def _new_recovery_code():
    # 80 random bits, as four groups of four base-32 characters.
    raw = secrets.token_bytes(10)
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"  # no l, o, 0, 1: easy to read back
    value = int.from_bytes(raw, "big")
    chars = [alphabet[(value >> (5 * i)) & 31] for i in range(16)]
    return "-".join("".join(chars[i : i + 4]) for i in range(0, 16, 4))


@transaction.atomic
def recovery_codes_issue(*, user, by):
    """New recovery codes for `user`; the old ones stop working. Returns the codes, which
    are shown once and not kept."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_sha256=_sha256(code)) for code in codes
    )
    audit_log(actor=by, action="recovery_codes_issued", target=user, summary="New recovery codes")
    return codes


@transaction.atomic
def authenticator_confirm(*, request, token):
    """Save the authenticator being set up once a code from it is right; the sign-in then
    counts as verified. Returns the recovery codes, or None if the code is wrong."""
    device = enrolment_device(request)
    check = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not check.verify(int(token), tolerance=device.tolerance):
        return None
    user = request.user
    TOTPDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.drift = check.drift
    device.last_t = check.t()  # the same code cannot sign in again
    device.save()
    audit_log(
        actor=user,
        action="two_factor_enrolled",
        target=user,
        summary="Authenticator app set up for two-factor sign-in",
    )
    _verified(request, device)
    return recovery_codes_issue(user=user, by=user)


@transaction.atomic
def authenticator_remove(*, user, by):
    """Turn two-factor sign-in off for a user who does not need it."""
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit_log(actor=by, action="two_factor_removed", target=user, summary="Two-factor turned off")


# Verification ------------------------------------------------------------------------------


def _verified(request, device=None):
    if device is not None:
        otp_login(request, device)
    request.session[STATE_KEY] = DONE


def _recovery_code_use(user, code):
    """Use up one unused recovery code; True if `code` was one. A code works once, even when
    two requests send it at the same moment: only one update finds it unused."""
    used = RecoveryCode.objects.filter(
        user=user, code_sha256=_sha256(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    return used == 1


def second_factor_verify(*, request, code):
    """Check a code from the authenticator or a recovery code, throttled like the password:
    failures count against the username and the address (core/throttle.py). Returns
    (verified, lockout) where lockout is the time left when attempts are refused."""
    user = request.user
    ip = throttle.client_ip(request)
    if remaining := throttle.login_lockout_remaining(username=user.username, ip=ip):
        return False, remaining
    code = (code or "").strip()
    device = authenticator(user)
    with transaction.atomic():
        if device is not None and code.isdigit() and device.verify_token(code):
            method = "authenticator"
        elif _recovery_code_use(user, code):
            method = "recovery code"
        else:
            method = None
        if method is None:
            throttle.login_failure_record(username=user.username, ip=ip)
            audit_log(
                actor=user,
                action="two_factor_failed",
                target=user,
                summary="Wrong second-factor code",
                data={"ip": ip},
            )
            return False, None
        throttle.login_failures_clear(username=user.username)
        _verified(request, device)
        left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
        audit_log(
            actor=user,
            action="two_factor_verified",
            target=user,
            summary=f"Second factor given ({method})",
            data={"method": method, "recovery_codes_left": left, "ip": ip},
        )
    return True, None


def recovery_codes_left(user):
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
