"""Request limits. Counted in the cache of each worker process (see README, "API")."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken
from core.throttle import client_ip


class Throttle(SimpleRateThrottle):
    def get_rate(self):
        # Read when asked, not when the class was defined, so a changed setting applies.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class PerToken(Throttle):
    """Requests per token, or per signed-in user when the browser calls."""

    scope = "token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PerAddress(Throttle):
    """Requests per client address, signed in or not: bounds guessing at tokens."""

    scope = "address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "-"}
