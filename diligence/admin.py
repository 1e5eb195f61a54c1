"""The checklist in the Django admin: versions with their items, curated by the Checklist admin
role. Publishing, retiring, new drafts and the differences between versions come from
`core.library.admin`."""

from django.contrib import admin

from core.library.admin import LibraryRowAdmin, VersionedLibraryAdmin
from diligence.models import Checklist, ChecklistItem


@admin.register(Checklist)
class ChecklistAdmin(VersionedLibraryAdmin):
    search_fields = ("name", "notes", "items__code", "items__title")
    row_summary_fields = ("code", "title", "category", "order", "required")
    row_fields = (
        ("code", "category", "order", "required"),
        "title",
        "guidance",
        "evidence_requested",
        ("legal_basis", "code_ref"),
        ("applies_to", "condition"),
    )


@admin.register(ChecklistItem)
class ChecklistItemAdmin(LibraryRowAdmin):
    library_model = Checklist
    list_display = ("code", "title", "category", "applies_to", "condition", "required", "checklist")
    list_filter = ("checklist", "category", "applies_to", "condition", "required")
    search_fields = ("code", "title", "guidance", "legal_basis")
    list_select_related = ("checklist",)
    ordering = ("checklist", "order", "code")
