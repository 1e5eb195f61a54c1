from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count

from contracts import placeholders, services
from contracts.models import Clause, ClauseLibrary, LibraryStatus
from core.text import NormalisedModelForm

BODY_HELP = (
    "Separate paragraphs with a blank line; start a list item with (a), (b) … "
    f"Placeholders: {placeholders.allowed_list()}. Nothing else in braces is accepted."
)


class ClauseForm(NormalisedModelForm):
    """The clause form of the admin; the model's clean() refuses unknown placeholders."""

    class Meta:
        model = Clause
        fields = (
            "key",
            "title",
            "category",
            "order",
            "active",
            "legal_basis",
            "trigger_kind",
            "trigger_param",
            "body",
        )
        widgets = {"body": forms.Textarea(attrs={"rows": 8, "cols": 100})}
        help_texts = {"body": BODY_HELP}


class ClauseInline(admin.StackedInline):
    model = Clause
    form = ClauseForm
    extra = 0
    ordering = ("order", "key")
    fields = (
        ("key", "category", "order", "active"),
        "title",
        "legal_basis",
        ("trigger_kind", "trigger_param"),
        "body",
    )

    def _editable(self, obj):
        return obj is None or obj.is_draft

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(ClauseLibrary)
class ClauseLibraryAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "status", "clause_count", "published_at", "published_by")
    list_filter = ("status",)
    search_fields = ("name", "notes", "clauses__key", "clauses__title", "clauses__body")
    ordering = ("-version",)
    readonly_fields = ("version", "status", "based_on", "published_at", "published_by")
    inlines = [ClauseInline]
    actions = ["publish", "retire", "new_draft"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(clause_count=Count("clauses"))

    @admin.display(ordering="clause_count", description="Clauses")
    def clause_count(self, obj):
        return obj.clause_count

    def has_change_permission(self, request, obj=None):
        # Published and retired versions are shown read-only: documents were made from them.
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
                ClauseLibrary.objects.order_by("-version").values_list("version", flat=True).first()
                or 0
            ) + 1
        super().save_model(request, obj, form, change)

    def _run(self, request, queryset, action, done):
        for library in queryset:
            try:
                action(library)
            except ValidationError as error:
                self.message_user(request, f"{library}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"{library}: {done}", messages.SUCCESS)

    @admin.action(description="Publish the selected drafts (freezes them for good)")
    def publish(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda library: services.clause_library_publish(library=library, by=request.user),
            "published",
        )

    @admin.action(description="Retire the selected published versions")
    def retire(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda library: services.clause_library_retire(library=library, by=request.user),
            "retired",
        )

    @admin.action(description="New draft from the selected version")
    def new_draft(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda library: services.clause_library_new_draft(source=library, by=request.user),
            "new draft created",
        )


@admin.register(Clause)
class ClauseAdmin(admin.ModelAdmin):
    form = ClauseForm
    list_display = (
        "key",
        "title",
        "category",
        "trigger_kind",
        "trigger_param",
        "active",
        "library",
    )
    list_filter = ("library", "category", "trigger_kind", "active")
    search_fields = ("key", "title", "body", "legal_basis")
    list_select_related = ("library",)
    ordering = ("library", "order", "key")

    def get_fields(self, request, obj=None):
        return ("library", *ClauseForm.Meta.fields)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.library.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.library.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "library":
            kwargs["queryset"] = ClauseLibrary.objects.filter(status=LibraryStatus.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
