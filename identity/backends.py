from django.conf import settings

from core.auth import CachedPermissionsBackend


class LocalPasswordBackend(CachedPermissionsBackend):
    """Password sign-in, on the app's sign-in page and the admin's. With single sign-on,
    `PASSWORD_SIGN_IN=0` turns it off for everyone but the break-glass accounts
    (`PASSWORD_SIGN_IN_ACCOUNTS`), kept for when the provider is down."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.PASSWORD_SIGN_IN and username not in settings.PASSWORD_SIGN_IN_ACCOUNTS:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
