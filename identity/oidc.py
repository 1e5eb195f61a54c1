"""Single sign-on with OpenID Connect (mozilla-django-oidc), configured by the issuer alone.

The provider's endpoints come from its discovery document (`<issuer>/.well-known/
openid-configuration`), read once per process. Users are found by one claim
(`OIDC_USER_CLAIM`: the e-mail address by default, matched to the user's e-mail; any other
claim is matched to the user name) and created at their first sign-in. With a role map
(`OIDC_ROLE_MAP`), each sign-in sets the user's roles from the groups claim, so someone removed
from a group loses the role at their next sign-in; without one, roles stay with the admin.
"""

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from core.audit import audit_log
from core.auth import user_with_roles_fingerprint
from core.roles import ALL_ROLES

logger = logging.getLogger(__name__)

# mozilla-django-oidc setting -> field of the discovery document.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_metadata = {}


def enabled():
    return bool(settings.OIDC_ISSUER)


def provider_metadata():
    """The provider's discovery document, fetched once per process and issuer."""
    issuer = settings.OIDC_ISSUER.rstrip("/")
    if issuer not in _metadata:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration",
            timeout=settings.OIDC_TIMEOUT,
            verify=settings.OIDC_VERIFY_SSL,
            allow_redirects=False,
        )
        response.raise_for_status()
        metadata = response.json()
        # OpenID Connect Discovery 1.0, 4.3: the document must name the issuer asked for.
        if metadata.get("issuer", "").rstrip("/") != issuer:
            raise ImproperlyConfigured(f"The provider's discovery document is not for {issuer}.")
        _metadata[issuer] = metadata
    return _metadata[issuer]


def oidc_setting(attr, *default):
    if attr in DISCOVERED and not getattr(settings, attr, None):
        return provider_metadata()[DISCOVERED[attr]]
    return import_from_settings(attr, *default)


# Roles from groups ---------------------------------------------------------------------------


def roles_for_groups(groups, role_map):
    """The roles that `groups` (the groups claim) grant under `role_map` (group -> role)."""
    if isinstance(groups, str):
        groups = [groups]
    return {role_map[group] for group in groups or () if role_map.get(group) in ALL_ROLES}


@transaction.atomic
def user_roles_sync(*, user, groups):
    """Give the user exactly the roles their groups map to; with no map, change nothing."""
    role_map = settings.OIDC_ROLE_MAP
    if not role_map:
        return
    wanted = roles_for_groups(groups, role_map)
    current = set(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
    if wanted == current:
        return
    user.groups.remove(*Group.objects.filter(name__in=current - wanted))
    user.groups.add(*Group.objects.filter(name__in=wanted - current))
    audit_log(
        actor=user,
        action="roles_synced",
        target=user,
        summary=f"Roles from single sign-on: {', '.join(sorted(wanted)) or 'none'}",
        data={"added": sorted(wanted - current), "removed": sorted(current - wanted)},
    )


# The backend -----------------------------------------------------------------------------------


class RoleMappingBackend(OIDCAuthenticationBackend):
    """Signs users in through the provider. Permissions are not answered here but by the
    password backend (core.auth), which reads every user's roles from the cache."""

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every permission check: read nothing until signing in.
        self.UserModel = get_user_model()

    get_settings = staticmethod(oidc_setting)

    def __getattr__(self, name):
        # The endpoints and client settings mozilla-django-oidc reads from the instance.
        if name.startswith("OIDC_"):
            default = "RS256" if name == "OIDC_RP_SIGN_ALGO" else None
            return oidc_setting(name, default)
        raise AttributeError(name)

    def get_user(self, user_id):
        # The user's row with the fingerprint of the roles, as the password backend reads it.
        return user_with_roles_fingerprint(user_id)

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def get_userinfo(self, access_token, id_token, payload):
        """The claims of the verified ID token and of the user-info endpoint together: some
        providers (Entra ID) put the groups only in the ID token."""
        userinfo = super().get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 1.0, 5.3.2: the user info must be about the token's subject.
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The user info is about another subject than the ID token.")
        return {**payload, **userinfo}

    def _claim(self, claims):
        value = claims.get(settings.OIDC_USER_CLAIM)
        return value.strip() if isinstance(value, str) else ""

    def describe_user_by_claims(self, claims):
        return f"{settings.OIDC_USER_CLAIM} {self._claim(claims)}"

    def verify_claims(self, claims):
        return bool(self._claim(claims))

    def filter_users_by_claims(self, claims):
        value = self._claim(claims)
        if settings.OIDC_USER_CLAIM == "email":
            return self.UserModel.objects.filter(email__iexact=value)
        return self.UserModel.objects.filter(username=value)

    def create_user(self, claims):
        username = self._claim(claims)[:150]
        if self.UserModel.objects.filter(username=username).exists():
            raise SuspiciousOperation("A local account already has this user name.")
        user = self.UserModel.objects.create_user(username, email=claims.get("email", ""))
        user.set_unusable_password()
        user.save(update_fields=["password"])
        audit_log(
            actor=user,
            action="user_created_by_sso",
            target=user,
            summary=f"Account created at the first single sign-on ({self.describe_user_by_claims(claims)})",
        )
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        names = {
            "first_name": str(claims.get("given_name", ""))[:150],
            "last_name": str(claims.get("family_name", ""))[:150],
            "email": str(claims.get("email", "") or user.email)[:254],
        }
        changed = [name for name, value in names.items() if value and getattr(user, name) != value]
        for name in changed:
            setattr(user, name, names[name])
        if changed:
            user.save(update_fields=changed)
        user_roles_sync(user=user, groups=claims.get(settings.OIDC_GROUPS_CLAIM, []))
        return user


# The views -------------------------------------------------------------------------------------


class SignInRequest(OIDCAuthenticationRequestView):
    """Sends the browser to the provider, with a new state, nonce and PKCE challenge."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not enabled():
            raise Http404
        self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = oidc_setting("OIDC_RP_CLIENT_ID")
        return super().get(request)


class SignInCallback(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: state, nonce and PKCE are checked by
    mozilla-django-oidc; a tampered or replayed answer signs no one in."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        if not enabled():
            raise Http404
        return super().get(request)

    @property
    def failure_url(self):
        return settings.LOGIN_URL

    def login_failure(self):
        messages.error(self.request, "Single sign-on did not complete. Try again.")
        logger.warning("Single sign-on failed for a callback from the provider")
        return super().login_failure()
