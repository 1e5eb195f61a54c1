"""The clause library in the Django admin: versions with their clauses, curated by Legal and
the Checklist admin role. Publishing, retiring, new drafts and the differences between versions
come from `core.library.admin`; the clause form adds the placeholder help."""

from django import forms
from django.contrib import admin

from contracts import placeholders
from contracts.models import Clause, ClauseLibrary
from core.library.admin import LibraryRowAdmin, VersionedLibraryAdmin
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


@admin.register(ClauseLibrary)
class ClauseLibraryAdmin(VersionedLibraryAdmin):
    search_fields = ("name", "notes", "clauses__key", "clauses__title", "clauses__body")
    row_form = ClauseForm
    row_summary_fields = ("key", "title", "category", "order", "active")
    row_fields = (
        ("key", "category", "order", "active"),
        "title",
        "legal_basis",
        ("trigger_kind", "trigger_param"),
        "body",
    )


@admin.register(Clause)
class ClauseAdmin(LibraryRowAdmin):
    library_model = ClauseLibrary
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
