"""The app's URLs plus three that fail on purpose, for the error-page tests."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from procurement.urls import urlpatterns as app_urlpatterns


def fails(request):
    raise RuntimeError("a bug")


def bad_request(request):
    raise SuspiciousOperation("a malformed request")


urlpatterns = [
    path("test-errors/500/", fails, name="test_500"),
    path("test-errors/400/", bad_request, name="test_400"),
    *app_urlpatterns,
]
