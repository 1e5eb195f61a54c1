from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count

from diligence import services
from diligence.models import Checklist, ChecklistItem


class ChecklistItemInline(admin.StackedInline):
    model = ChecklistItem
    extra = 0
    ordering = ("order", "code")
    fields = (
        ("code", "category", "order", "required"),
        "title",
        "guidance",
        "evidence_requested",
        ("legal_basis", "code_ref"),
        ("applies_to", "condition"),
    )

    def _editable(self, obj):
        return obj is None or obj.is_draft

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "status", "item_count", "published_at", "published_by")
    list_filter = ("status",)
    search_fields = ("name", "notes", "items__code", "items__title")
    ordering = ("-version",)
    readonly_fields = ("version", "status", "based_on", "published_at", "published_by")
    inlines = [ChecklistItemInline]
    actions = ["publish", "retire", "new_draft"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(ordering="item_count", description="Items")
    def item_count(self, obj):
        return obj.item_count

    def has_change_permission(self, request, obj=None):
        # Published and retired versions are shown read-only: assessments are pinned to them.
        if obj is not None and not obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.version = (
                Checklist.objects.order_by("-version").values_list("version", flat=True).first()
                or 0
            ) + 1
        super().save_model(request, obj, form, change)

    def _run(self, request, queryset, action, done):
        for checklist in queryset:
            try:
                action(checklist)
            except ValidationError as error:
                self.message_user(
                    request, f"{checklist}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                self.message_user(request, f"{checklist}: {done}", messages.SUCCESS)

    @admin.action(description="Publish the selected drafts (freezes them for good)")
    def publish(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda c: services.checklist_publish(checklist=c, by=request.user),
            "published",
        )

    @admin.action(description="Retire the selected published versions")
    def retire(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda c: services.checklist_retire(checklist=c, by=request.user),
            "retired",
        )

    @admin.action(description="New draft from the selected version")
    def new_draft(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda c: services.checklist_new_draft(source=c, by=request.user),
            "new draft created",
        )


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "category", "applies_to", "condition", "required", "checklist")
    list_filter = ("checklist", "category", "applies_to", "condition", "required")
    search_fields = ("code", "title", "guidance", "legal_basis")
    list_select_related = ("checklist",)
    ordering = ("checklist", "order", "code")

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.checklist.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.checklist.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "checklist":
            kwargs["queryset"] = Checklist.objects.filter(status="draft")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
