"""Supplier requests in the Django admin, for superusers only and read-only: they are workflow
records, changed through the portal's services alone. The roles read them on the assessment's
pages, so the admin shows them to no one else. The link's token hash is on no admin page: with
the database's other columns it would tell which request a leaked link opens."""

from django.contrib import admin

from portal.models import RequestItem, SupplierFile, SupplierReminder, SupplierRequest


class SuperuserReadOnlyMixin:
    """Seen by superusers; added, changed or deleted by no one (admin classes and inlines)."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RequestItemInline(SuperuserReadOnlyMixin, admin.TabularInline):
    model = RequestItem
    fields = ("item", "asks_yes_no", "answer_text", "answer_yes_no", "answer_links", "review")
    fields += ("review_comment", "reviewed_by", "reviewed_at")
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("item__checklist_item", "item__assessment", "reviewed_by")
        )


class SupplierReminderInline(SuperuserReadOnlyMixin, admin.TabularInline):
    model = SupplierReminder
    fields = ("threshold", "sent_at")
    readonly_fields = fields
    extra = 0


@admin.register(SupplierRequest)
class SupplierRequestAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ("recipient_email", "assessment", "status", "due_date", "sent_at")
    list_display += ("submitted_at",)
    list_filter = ("status",)
    search_fields = ("recipient_email", "recipient_name", "assessment__reference")
    list_select_related = ("assessment__model",)
    date_hierarchy = "sent_at"
    # Every field but the token's hash.
    fields = ("assessment", "recipient_name", "recipient_email", "due_date", "message")
    fields += ("asks_mdf", "asks_training_summary", "status", "token_expires_at", "previous")
    fields += ("mdf_entry", "summary_entry", "documentation_recorded", "reminders_stopped")
    fields += ("sent_at", "submitted_at", "revoked_at", "created_at", "created_by", "updated_at")
    readonly_fields = fields
    inlines = [RequestItemInline, SupplierReminderInline]


@admin.register(SupplierFile)
class SupplierFileAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    """What the supplier uploaded; the owner downloads it from the request's page."""

    list_display = ("original_name", "request_item", "content_type", "size", "uploaded_at")
    search_fields = ("original_name", "sha256", "request_item__request__recipient_email")
    list_select_related = (
        "request_item__item__checklist_item",
        "request_item__request__assessment",
    )
    fields = ("request_item", "original_name", "content_type", "size", "sha256", "evidence")
    fields += ("uploaded_at",)
    readonly_fields = fields
