"""The Django admin, held to the app's rules for every model registered in it.

`AuditedAdminSite` is the default admin site (`core.apps.AdminConfig`), so every
`admin.register`, Django's own (users, groups) included, goes through `register` below, which
adds to each admin class:

- the text rule of `core.text` on every form the admin shows (change forms, inlines and the
  editable list), so what an admin types is stored as what a user types;
- an audit entry (`core.audit`) for every addition, change and deletion, with the actor, the
  same trail the app's workflow actions leave;
- `created_by` and `updated_by` set to the admin user, as the app's services set them;
- django-simple-history's "revert" form shown read-only: a POST to it is refused for everyone.
  Reverting would write old values past the services and their checks (the package lets
  anyone with view permission post it); a record is changed on its change form or in the app.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied

from core.audit import audit_log
from core.text import normalised_form

ADMIN_ACTIONS = {"added": "admin_added", "changed": "admin_changed", "deleted": "admin_deleted"}


def _has_field(model, name):
    return any(f.name == name for f in model._meta.concrete_fields)


def stamp_editor(obj, user, *, adding):
    """Name the user as the record's editor (and its creator when it is new), as the app does."""
    if _has_field(type(obj), "updated_by"):
        obj.updated_by = user
    if adding and _has_field(type(obj), "created_by") and obj.created_by_id is None:
        obj.created_by = user


def _audit(request, obj, verb, log_entry=None):
    """The audit entry of an admin action; `log_entry` is the admin's own record of it."""
    summary = f"{verb.capitalize()} {obj._meta.verbose_name} “{obj}” in the admin"
    details = log_entry.get_change_message() if log_entry is not None else ""
    audit_log(
        actor=request.user,
        action=ADMIN_ACTIONS[verb],
        target=obj,
        summary=f"{summary}: {details}" if details else summary,
        data={"admin_log_entry": log_entry.pk} if log_entry is not None else {},
    )


class AuditedAdminMixin:
    """What every admin class of the site gets; see the module's docstring."""

    def save_model(self, request, obj, form, change):
        stamp_editor(obj, request.user, adding=not change)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            stamp_editor(instance, request.user, adding=instance.pk is None)
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    # The forms the admin shows, with the text rule, however the admin class made them (some
    # build their inlines when they are created).
    def get_form(self, request, obj=None, change=False, **kwargs):
        return normalised_form(super().get_form(request, obj, change=change, **kwargs))

    def get_changelist_form(self, request, **kwargs):
        kwargs["form"] = normalised_form(kwargs.get("form") or forms.ModelForm)
        return super().get_changelist_form(request, **kwargs)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            inline.form = normalised_form(inline.form)
        return inlines

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        _audit(request, obj, "added", entry)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        _audit(request, obj, "changed", entry)
        return entry

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)
        for obj in queryset:
            _audit(request, obj, "deleted")
        return entries


class ReadOnlyHistoryMixin:
    """django-simple-history's version pages can be read, never posted (see module docstring)."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def audited_admin(admin_class):
    """`admin_class` with the site's rules."""
    mixins = [AuditedAdminMixin]
    if hasattr(admin_class, "history_form_view"):
        mixins.append(ReadOnlyHistoryMixin)
    attributes = {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__}
    return type(admin_class.__name__, (*mixins, admin_class), attributes)


class AuditedAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        super().register(model_or_iterable, audited_admin(admin_class), **options)
