"""Permissions and role names read once per change of the roles, not on every page.

Every page asks what the user may do (the navigation, the buttons, the access checks) and
shows their roles. Django's ModelBackend reads the user's permissions in two queries per
request, and the role names take a third. Here both are kept in the cache under a
fingerprint of the role assignments: the links between users, groups and permissions, read
along with the signed-in user's row (the query that loads the user every request makes
anyway), or in one small query for a user loaded otherwise. Adding someone to a role,
removing them, or changing what a role may do changes the fingerprint, so the next request
reads the permissions again: nothing is granted or refused on the strength of an old answer.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.functional import SimpleLazyObject

from core.fingerprint import annotated, columns, fingerprint

# Entries are found by the fingerprint; the timeout only frees memory of unused ones.
TIMEOUT = 300


def role_parts():
    """Fingerprint parts of the role assignments: how many links there are between users,
    groups and permissions, and the newest of each kind, so a link added or removed shows;
    and the length of the group names, the roles pages show."""
    user_model = get_user_model()
    links = [user_model.groups.through, user_model.user_permissions.through]
    links.append(Group.permissions.through)
    return [
        *[(aggregate, link, "id") for link in links for aggregate in ("count", "max")],
        ("total_length", Group, "name"),
    ]


def user_with_roles_fingerprint(user_id):
    """The user with this pk, active or not, with the fingerprint of the role assignments
    read in the same query; None if there is none. A raw query: the ORM would spend longer
    composing it than the database spends answering."""
    user_model = get_user_model()
    quote = connection.ops.quote_name
    table, pk = quote(user_model._meta.db_table), quote(user_model._meta.pk.column)
    sql = f"SELECT {table}.*, {columns(role_parts(), 'roles')} FROM {table} WHERE {pk} = %s"  # noqa: S608 - names only
    try:
        user_id = user_model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    found = list(user_model._default_manager.raw(sql, [user_id]))
    return found[0] if found else None


class CachedPermissionsBackend(ModelBackend):
    """ModelBackend whose answer to "what may this user do" is kept per role assignments."""

    def get_user(self, user_id):
        user = user_with_roles_fingerprint(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(self.access(user_obj)[0])

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return False
        return perm in self.access(user_obj)[0]

    def access(self, user):
        """(permissions, role names) of an active user, once per request."""
        if not hasattr(user, "_cached_access"):
            parts = role_parts()
            roles = annotated(user, parts, "roles") or fingerprint(parts)
            key = f"access:{user.pk}:{user.is_superuser}:{roles}"
            access = cache.get(key)
            if access is None:
                access = (
                    frozenset(super().get_all_permissions(user)),
                    tuple(user.groups.order_by("name").values_list("name", flat=True)),
                )
                cache.set(key, access, TIMEOUT)
            user._cached_access = access
        return user._cached_access


def role_names(request):
    """Context processor: `user_roles`, the names of the signed-in user's roles, read only
    by pages that show them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return {"user_roles": ()}
    return {
        "user_roles": SimpleLazyObject(lambda: list(CachedPermissionsBackend().access(user)[1]))
    }
