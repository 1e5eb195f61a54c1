"""Response headers that Django 5.2's SecurityMiddleware does not set."""

from django.conf import settings


def security_headers(get_response):
    """Content-Security-Policy and Permissions-Policy on every response, static files included."""

    def middleware(request):
        response = get_response(request)
        # Django's own debug error pages use inline styles and scripts; only DEBUG shows them.
        if not (settings.DEBUG and response.status_code >= 400):
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware
