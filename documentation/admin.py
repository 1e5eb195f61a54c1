"""The MDF catalogue in the Django admin: versions with their fields, curated by the Checklist
admin role like the checklist. The recorded MDFs and summaries are read-only here: they are
entered on the app's pages, where every change is audited."""

from django import forms
from django.contrib import admin

from core.library.admin import LibraryRowAdmin, VersionedLibraryAdmin
from core.text import NormalisedModelForm
from documentation.models import Audience, MdfCatalogue, MdfField


class ChoicesField(forms.CharField):
    """The choices of a choice field, one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class MdfFieldForm(NormalisedModelForm):
    audiences = forms.MultipleChoiceField(
        choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    choices = ChoicesField(required=False, help_text="For choice fields: one choice per line.")

    class Meta:
        model = MdfField
        fields = (
            "key",
            "number",
            "section",
            "label",
            "guidance",
            "kind",
            "choices",
            "audiences",
            "granularity",
            "na_allowed",
            "significant_figures",
            "unverified",
            "order",
        )
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3, "cols": 80})}


@admin.register(MdfCatalogue)
class MdfCatalogueAdmin(VersionedLibraryAdmin):
    search_fields = ("name", "notes", "fields__key", "fields__label")
    row_form = MdfFieldForm
    row_fields = (
        ("key", "number", "order"),
        "section",
        "label",
        "guidance",
        ("kind", "granularity"),
        "choices",
        "audiences",
        ("na_allowed", "significant_figures"),
        "unverified",
    )


@admin.register(MdfField)
class MdfFieldAdmin(LibraryRowAdmin):
    library_model = MdfCatalogue
    form = MdfFieldForm
    list_display = ("number", "label", "key", "kind", "na_allowed", "catalogue")
    list_filter = ("catalogue", "kind", "na_allowed")
    search_fields = ("key", "label", "section")
    list_select_related = ("catalogue",)
    ordering = ("catalogue", "order", "key")

    def get_fields(self, request, obj=None):
        return ("catalogue", *MdfFieldForm.Meta.fields)
