"""Users and their roles, and, read-only, the audit trail and the sent reminders."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User

from core.models import AuditEntry, SentReminder
from core.roles import ASSIGNABLE_ROLES

# Only a superuser makes superusers or grants permissions one by one.
_SUPERUSER_FIELDS = {"is_superuser", "user_permissions"}


class RoleUserAdmin(UserAdmin):
    """A superuser edits every user and every field. An Administrator (the role with the user
    permissions) adds users, resets their passwords and gives them the app's roles; superusers
    are out of their sight (their pages answer "not found"), and the fields that would make one,
    or grant a permission outside the roles, are not on their forms."""

    # Recorded by the sign-in, not typed by anyone; Django's split date-and-time inputs for
    # them also carry no labels of their own.
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request):
        users = super().get_queryset(request)
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (
                name,
                {**options, "fields": [f for f in options["fields"] if f not in _SUPERUSER_FIELDS]},
            )
            for name, options in fieldsets
        ]

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [f for f in filters if f not in _SUPERUSER_FIELDS]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            # A handful of roles: plain labelled checkboxes, not the two-list filter widget,
            # whose search icons carry an aria-label that their element may not have.
            kwargs["widget"] = forms.CheckboxSelectMultiple
            if not request.user.is_superuser:
                kwargs["queryset"] = Group.objects.filter(name__in=ASSIGNABLE_ROLES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.unregister(User)
admin.site.register(User, RoleUserAdmin)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "target_type", "target_id", "summary")
    list_filter = ("action", "target_type")
    search_fields = ("summary", "actor__username", "target_id")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """Which reminders went to whom; written only by `manage.py send_reminders`."""

    list_display = ("sent_at", "recipient", "key")
    search_fields = ("key", "recipient__username", "recipient__email")
    date_hierarchy = "sent_at"
    list_select_related = ("recipient",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
