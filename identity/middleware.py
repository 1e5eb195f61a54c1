"""Pages wait until the second factor is given (or set up, where it is required)."""

from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from identity import second_factor

# Pages a user may open between the password and the second factor.
OPEN_BEFORE_SECOND_FACTOR = {
    "identity:verify",
    "identity:enrol",
    "identity:enrol_qr",
    "login",
    "logout",
    "admin:login",
    "admin:logout",
    "oidc_authentication_init",
    "oidc_authentication_callback",
}


def _url_name(path):
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def second_factor_required(get_response):
    def middleware(request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            due = second_factor.state(request)
            if due != second_factor.DONE and _url_name(request.path_info) not in (
                OPEN_BEFORE_SECOND_FACTOR
            ):
                page = "identity:verify" if due == second_factor.VERIFY else "identity:enrol"
                return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
        return get_response(request)

    return middleware
