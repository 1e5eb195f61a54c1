"""Suppliers, models and signatures in the Django admin: archived, never deleted."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from vendors.models import GPAIModel, Signature, Supplier

# A URL typed without a scheme means https (Django 6's default).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class KeepRecords:
    """Suppliers, models and signatures are records of the due diligence: archived, never
    deleted. (The dashboard's cached figures also rely on rows only being added or saved.)"""

    def has_delete_permission(self, request, obj=None):
        return False


class SignatureInline(KeepRecords, admin.TabularInline):
    model = Signature
    formfield_overrides = HTTPS_URLS
    extra = 0
    fields = ("chapter", "status", "signed_on", "source_url", "verified_on", "verified_by")
    raw_id_fields = ("verified_by",)


@admin.register(Supplier)
class SupplierAdmin(KeepRecords, SimpleHistoryAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("name", "country", "archived_at", "is_demo", "updated_at")
    list_filter = ("country", "is_demo", ("archived_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "legal_name")
    readonly_fields = ("created_at", "updated_at", "created_by", "updated_by")
    inlines = [SignatureInline]


@admin.register(GPAIModel)
class GPAIModelAdmin(KeepRecords, SimpleHistoryAdmin):
    list_display = ("name", "version", "supplier", "systemic_risk_status", "archived_at")
    list_filter = ("systemic_risk_status", ("archived_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "supplier__name")
    list_select_related = ("supplier",)
    readonly_fields = ("created_at", "updated_at", "created_by", "updated_by")
