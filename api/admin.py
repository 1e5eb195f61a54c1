from django import forms
from django.contrib import admin
from django.utils import timezone

from api import tokens, webhooks
from api.models import ApiToken, DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from core.events import EVENTS
from core.text import NormalisedModelForm


class WebhookEndpointForm(NormalisedModelForm):
    url = forms.URLField(
        label="URL",
        max_length=500,
        assume_scheme="https",
        help_text="An https address outside your network's private ranges.",
    )
    events = forms.MultipleChoiceField(
        choices=list(EVENTS.items()), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "events", "active", "secret"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        webhooks.endpoint_url_check(url)
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["url", "description", "active", "created_at"]
    list_filter = ["active"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["at", "status_code", "error", "duration_ms"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "endpoint", "status", "attempts", "created_at", "next_attempt_at"]
    list_filter = ["status", "event"]
    list_select_related = ["endpoint"]
    fields = ["uuid", "endpoint", "event", "status", "attempts", "next_attempt_at"]
    fields += ["delivered_at", "created_at", "payload"]
    readonly_fields = fields
    inlines = [AttemptInline]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset:
            tokens.api_token_revoke(token=token, by=request.user)
        self.message_user(request, f"Revoked {queryset.count()} token(s).")

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Try the selected deliveries again now")
    def retry_now(self, request, queryset):
        ids = list(queryset.exclude(status=DeliveryStatus.DELIVERED).values_list("pk", flat=True))
        queryset = WebhookDelivery.objects.filter(pk__in=ids)
        queryset.update(status=DeliveryStatus.PENDING, next_attempt_at=timezone.now())
        webhooks.deliveries_send(ids)
        self.message_user(request, f"Tried {len(ids)} delivery(ies) again.")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see every token and may revoke one; the tokens themselves are never
    stored, so none can be read here."""

    actions = ["revoke"]

    list_display = ["name", "user", "prefix", "scope", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["scope"]
    list_select_related = ["user"]
    fields = ["user", "name", "prefix", "scope", "created_at", "expires_at", "revoked_at"]
    fields += ["last_used_at", "last_used_ip"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset:
            tokens.api_token_revoke(token=token, by=request.user)
        self.message_user(request, f"Revoked {queryset.count()} token(s).")
