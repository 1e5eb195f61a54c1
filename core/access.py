"""One way to check access.

Roles are groups with model permissions. A user who may not see a kind of record gets
404, as if it did not exist; a user who may see it but not change it gets 403.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404


def _perm(model, action):
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def roles_with(permission):
    """The names of the roles (groups) that hold "app_label.codename", sorted."""
    app_label, codename = permission.split(".")
    return sorted(
        Group.objects.filter(
            permissions__content_type__app_label=app_label, permissions__codename=codename
        ).values_list("name", flat=True)
    )


def denied(permission):
    """PermissionDenied whose message names the roles that may do it (the 403 page shows it)."""
    roles = roles_with(permission)
    if not roles:
        return PermissionDenied("No role may do this here.")
    names = " or ".join(roles) if len(roles) <= 2 else f"{', '.join(roles[:-1])} or {roles[-1]}"
    return PermissionDenied(f"This needs the {names} role.")


def check_access(user, model, action="view"):
    """Raise 404 if the user may not see `model` records, 403 if they may not `action` them."""
    if not user.has_perm(_perm(model, "view")):
        raise Http404
    if action != "view" and not user.has_perm(permission := _perm(model, action)):
        raise denied(permission)


def get_object_for(user, model_or_queryset, pk, *, action="view"):
    """The record with this pk, if the user may `action` it; 404 or 403 otherwise."""
    queryset = getattr(model_or_queryset, "objects", model_or_queryset)
    queryset = queryset.all()
    check_access(user, queryset.model, action)
    return get_object_or_404(queryset, pk=pk)


class AccessMixin(LoginRequiredMixin):
    """For class-based views: `access_model` and `access_action` say what the view needs."""

    access_model = None
    access_action = "view"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        check_access(request.user, self.access_model, self.access_action)
        return super().dispatch(request, *args, **kwargs)
