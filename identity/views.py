import base64
import math

import qrcode
import qrcode.image.svg
import requests
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from identity import oidc, second_factor
from identity.forms import CodeForm, EnrolForm


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "home"


@never_cache
@login_required
def verify(request):
    """The second step of signing in: a code from the authenticator, or a recovery code."""
    if second_factor.state(request) != second_factor.VERIFY:
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified, lockout = second_factor.second_factor_verify(
            request=request, code=form.cleaned_data["code"]
        )
        if verified:
            return redirect(_next(request))
        if lockout:
            minutes = max(1, math.ceil(lockout.total_seconds() / 60))
            form.add_error(None, f"Too many wrong codes. Try again in {minutes} minute(s).")
        else:
            form.add_error("code", "That code is not right. Check the time on your phone.")
    return render(request, "identity/verify.html", {"form": form, "next": _next(request)})


@never_cache
@login_required
def enrol(request):
    """Set up an authenticator app: scan the code, type what the app shows."""
    if second_factor.state(request) == second_factor.VERIFY:
        return redirect(_next(request))
    device = second_factor.enrolment_device(request)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.authenticator_confirm(
            request=request, token=form.cleaned_data["code"]
        )
        if codes is not None:
            messages.success(request, "Two-factor sign-in is on.")
            return _recovery_codes_page(request, codes)
        form.add_error("code", "That code is not right. Check the time on your phone.")
    context = {
        "form": form,
        "secret": _spaced(device.bin_key),
        "required": second_factor.is_required(request.user),
        "next": _next(request),
    }
    return render(request, "identity/enrol.html", context)


def _spaced(key):
    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@never_cache
@require_safe
@login_required
def enrol_qr(request):
    """The QR code of the authenticator being set up, drawn on the server as SVG."""
    device = second_factor.enrolment_device(request)
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return HttpResponse(image.to_string(), content_type="image/svg+xml")


def _recovery_codes_page(request, codes):
    response = render(
        request, "identity/recovery_codes.html", {"codes": codes, "next": _next(request)}
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_safe
@login_required
def manage(request):
    context = {
        "device": second_factor.authenticator(request.user),
        "required": second_factor.is_required(request.user),
        "codes_left": second_factor.recovery_codes_left(request.user),
    }
    return render(request, "identity/manage.html", context)


@require_POST
@login_required
def recovery_codes(request):
    """New recovery codes, shown once; the old ones stop working."""
    if second_factor.authenticator(request.user) is None:
        return redirect("identity:manage")
    codes = second_factor.recovery_codes_issue(user=request.user, by=request.user)
    return _recovery_codes_page(request, codes)


@require_POST
@login_required
def remove(request):
    if second_factor.is_required(request.user):
        messages.error(request, "Your account needs two-factor sign-in; it cannot be turned off.")
    else:
        second_factor.authenticator_remove(user=request.user, by=request.user)
        messages.success(request, "Two-factor sign-in is off.")
    return redirect("identity:manage")


# Signing in and out ----------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    """The sign-in page: single sign-on when configured, and the password form."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sso_enabled=oidc.enabled(),
            sso_name=settings.OIDC_PROVIDER_NAME,
            password_sign_in=settings.PASSWORD_SIGN_IN,
            **kwargs,
        )


@require_POST
def sign_out(request):
    """End the session here, and at the provider when the user came through single sign-on
    and the provider offers an end-session endpoint (OpenID Connect RP-Initiated Logout)."""
    through_sso = request.session.get(BACKEND_SESSION_KEY) == second_factor.SSO_BACKEND
    id_token = request.session.get("oidc_id_token")
    auth.logout(request)
    if through_sso and oidc.enabled():
        try:
            end_session = oidc.provider_metadata().get("end_session_endpoint")
        except (requests.RequestException, ValueError, ImproperlyConfigured):
            end_session = None  # signed out here; the provider cannot be asked now
        if end_session:
            query = {
                "client_id": settings.OIDC_RP_CLIENT_ID,
                "post_logout_redirect_uri": request.build_absolute_uri(resolve_url("login")),
            }
            if id_token:
                query["id_token_hint"] = id_token
            return redirect(f"{end_session}?{urlencode(query)}")
    return redirect(settings.LOGOUT_REDIRECT_URL)
