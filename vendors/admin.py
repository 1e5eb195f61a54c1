from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from vendors.models import GPAIModel, Signature, Supplier


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 0
    fields = ("chapter", "status", "signed_on", "source_url", "verified_on", "verified_by")
    raw_id_fields = ("verified_by",)


@admin.register(Supplier)
class SupplierAdmin(SimpleHistoryAdmin):
    list_display = ("name", "country", "archived_at", "is_demo", "updated_at")
    list_filter = ("country", "is_demo", ("archived_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "legal_name")
    readonly_fields = ("created_at", "updated_at", "created_by", "updated_by")
    inlines = [SignatureInline]


@admin.register(GPAIModel)
class GPAIModelAdmin(SimpleHistoryAdmin):
    list_display = ("name", "version", "supplier", "systemic_risk_status", "archived_at")
    list_filter = ("systemic_risk_status", ("archived_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "supplier__name")
    list_select_related = ("supplier",)
    readonly_fields = ("created_at", "updated_at", "created_by", "updated_by")
