"""The audit trail and the sent reminders in the Django admin, read-only."""

from django.contrib import admin

from core.models import AuditEntry, SentReminder


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
