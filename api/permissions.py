from rest_framework import permissions

from api.models import ApiToken


class TokenScopeAllows(permissions.BasePermission):
    """A read-only token may only read, whatever its user's roles allow."""

    message = "This token may only read. Create a read-and-write token to change records."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return not isinstance(request.auth, ApiToken) or request.auth.may_write
