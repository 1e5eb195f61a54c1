"""The root URLs: sign-in, the admin, and each app's URLs."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from api.views import tokens as token_views
from core.forms import AdminSignInForm, SignInForm
from identity import oidc
from identity import views as identity_views

admin.site.site_header = "GPAI supplier due diligence"
admin.site.site_title = "GPAI due diligence admin"
# The admin has its own sign-in page; it is throttled like the app's.
admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("", include("overview.urls")),
    path(
        "accounts/login/",
        identity_views.SignInView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", identity_views.sign_out, name="logout"),
    path(
        "accounts/oidc/authenticate/",
        login_not_required(oidc.SignInRequest.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "accounts/oidc/callback/",
        login_not_required(oidc.SignInCallback.as_view()),
        name="oidc_authentication_callback",
    ),
    path("account/two-factor/", include("identity.urls")),
    path("account/api-tokens/", token_views.token_list, name="api_tokens"),
    path("account/api-tokens/<int:pk>/revoke/", token_views.token_revoke, name="api_token_revoke"),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("", include("vendors.urls")),
    path("", include("diligence.urls")),
    path("", include("contracts.urls")),
    path("", include("documentation.urls")),
    path("", include("portal.urls")),
]
