"""The root URLs: sign-in, the admin, and each app's URLs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api.views import tokens as token_views
from core.forms import AdminSignInForm, SignInForm

admin.site.site_header = "GPAI supplier due diligence"
admin.site.site_title = "GPAI due diligence admin"
# The admin has its own sign-in page; it is throttled like the app's.
admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("", include("overview.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/two-factor/", include("identity.urls")),
    path("account/api-tokens/", token_views.token_list, name="api_tokens"),
    path("account/api-tokens/<int:pk>/revoke/", token_views.token_revoke, name="api_token_revoke"),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("", include("vendors.urls")),
    path("", include("diligence.urls")),
    path("", include("contracts.urls")),
]
