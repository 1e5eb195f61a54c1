"""Suppliers, models and signatures in the Django admin: archived, never deleted."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from core.fact_changes import facts_changed
from core.text import NormalisedModelForm
from vendors import services
from vendors.models import GPAIModel, Signature, Supplier
from vendors.summaries import signature_summaries_refresh

# A URL typed without a scheme means https (Django 6's default).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class KeepRecords:
    """Suppliers, models and signatures are records of the due diligence: archived, never
    deleted. (The dashboard's cached figures also rely on rows only being added or saved.)"""

    def has_delete_permission(self, request, obj=None):
        return False


class FollowFacts:
    """A change saved here changes facts, as the app's own forms do: the open assessments are
    re-evaluated in the admin's transaction (see core.fact_changes)."""

    fact_argument = ""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            facts_changed(
                **{self.fact_argument: [form.instance]},
                by=request.user,
                reason=f"{form.instance._meta.verbose_name} “{form.instance}” edited in the admin",
            )


class SignatureInline(KeepRecords, admin.TabularInline):
    model = Signature
    formfield_overrides = HTTPS_URLS
    extra = 0
    fields = ("chapter", "status", "signed_on", "source_url", "verified_on", "verified_by")
    raw_id_fields = ("verified_by",)

    def has_add_permission(self, request, obj=None):
        # A supplier gets one signature per chapter when it is created (supplier_create).
        return False


@admin.register(Supplier)
class SupplierAdmin(FollowFacts, KeepRecords, SimpleHistoryAdmin):
    fact_argument = "suppliers"
    formfield_overrides = HTTPS_URLS
    list_display = ("name", "country", "archived_at", "is_demo", "updated_at")
    list_filter = ("country", "is_demo", ("archived_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "legal_name")
    readonly_fields = ("created_at", "updated_at", "created_by", "updated_by")
    inlines = [SignatureInline]

    def save_model(self, request, obj, form, change):
        # The services the app's pages use: a new supplier gets its signature rows.
        if change:
            services.record_save(form=form, by=request.user)
        else:
            services.supplier_create(form=form, by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The signatures edited inline: their summary follows (vendors.summaries).
        signature_summaries_refresh(suppliers=[form.instance])


class GPAIModelAdminForm(NormalisedModelForm):
    class Meta:
        model = GPAIModel
        fields = "__all__"  # staff only; the admin lists the fields it shows

    def clean_modalities(self):
        # An emptied JSON box means no modalities, not a missing value (the column is NOT NULL).
        return self.cleaned_data.get("modalities") or []


@admin.register(GPAIModel)
class GPAIModelAdmin(FollowFacts, KeepRecords, SimpleHistoryAdmin):
    fact_argument = "models"
    form = GPAIModelAdminForm
    formfield_overrides = HTTPS_URLS
    raw_id_fields = ("modification_of",)
    list_display = ("name", "version", "supplier", "systemic_risk_status", "archived_at")
    list_filter = ("systemic_risk_status", ("archived_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "supplier__name")
    list_select_related = ("supplier",)
    readonly_fields = ("created_at", "updated_at", "created_by", "updated_by")

    def save_model(self, request, obj, form, change):
        services.record_save(form=form, by=request.user)
