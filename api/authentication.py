"""How the API knows who calls: a bearer token, or the browser's signed-in session."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api import tokens
from core import throttle


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer gdd_…`. The request then acts as the token's user, with the
    token's scope on top of the user's roles."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the token as “Authorization: Bearer …”.")
        # Wrong tokens count like failed password sign-ins from the address (core/throttle.py),
        # so guessing at tokens is stopped as guessing at passwords is.
        ip = throttle.client_ip(request)
        if remaining := throttle.login_lockout_remaining(username=None, ip=ip):
            raise exceptions.Throttled(wait=remaining.total_seconds())
        token = tokens.api_token_find(header[1])
        if token is None:
            throttle.login_failure_record(username="", ip=ip)
            raise exceptions.AuthenticationFailed("The token is unknown, expired or revoked.")
        tokens.api_token_used(token=token, ip=ip)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token created under Account › API tokens.",
        }
