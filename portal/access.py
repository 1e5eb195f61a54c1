"""The portal session: what opening a supplier link leaves in the browser, and the one check
every supplier page makes.

Opening a link ends whatever session the browser had (a colleague signed in on the same
computer is signed out) and starts one that holds only the request's id and the hash of the
link it came from. No user is signed in, so every internal page, the admin and the API refuse
it as they refuse a visitor. A new link (sent again, revoked) makes the session's hash stale.
"""

import functools

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from portal.models import RequestStatus, SupplierRequest
from portal.services import is_usable

REQUEST_KEY = "portal_request"
LINK_KEY = "portal_link"


def session_start(request, supplier_request):
    request.session.flush()
    request.session[REQUEST_KEY] = supplier_request.pk
    request.session[LINK_KEY] = supplier_request.token_hash
    request.session.set_expiry(settings.SUPPLIER_LINK_SESSION_SECONDS)


def neutral(request, status=404):
    """The one answer to a link or page that cannot be used, whatever the reason."""
    return no_referrer(render(request, "portal/link_invalid.html", status=status))


def no_referrer(response):
    """For answers at an address that holds a secret (the link's token, the opt-out key): the
    browser sends that address to no one, not even this site."""
    response["Referrer-Policy"] = "no-referrer"
    return not_cached(response)


def not_cached(response):
    response["Cache-Control"] = "no-store"
    return response


def _session_request(request, *, submitted_ok):
    pk = request.session.get(REQUEST_KEY)
    if not isinstance(pk, int):
        return None
    supplier_request = (
        SupplierRequest.objects.select_related("assessment__model", "assessment__supplier")
        .filter(pk=pk)
        .first()
    )
    if supplier_request is None or supplier_request.token_hash != request.session.get(LINK_KEY):
        return None
    if is_usable(supplier_request):
        return supplier_request
    if submitted_ok and supplier_request.status == RequestStatus.SUBMITTED:
        return supplier_request
    return None


def supplier_page(view=None, *, submitted_ok=False):
    """A page of the supplier link: reached only with a portal session for an open request
    (or, with `submitted_ok`, one just submitted); anything else gets the neutral page."""

    def decorate(view):
        @login_not_required
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            supplier_request = _session_request(request, submitted_ok=submitted_ok)
            if supplier_request is None:
                return neutral(request)
            # The session lasts a short while after the supplier's last page.
            request.session.set_expiry(settings.SUPPLIER_LINK_SESSION_SECONDS)
            # These addresses hold no secret, so the app's "same-origin" referrer policy
            # stays: with "no-referrer" browsers post forms with "Origin: null", which the
            # CSRF check rightly refuses.
            return not_cached(view(request, supplier_request, *args, **kwargs))

        return wrapper

    return decorate(view) if view else decorate
