"""The OpenAPI schema is valid OpenAPI 3 and its reference page is served from our own files."""

import pytest
import yaml
from django.urls import reverse
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from tests.api.conftest import token_for

pytestmark = pytest.mark.django_db


def test_schema_validates_as_openapi_3(viewer_user):
    _, token = token_for(viewer_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    response = client.get(reverse("api:schema"))

    schema = yaml.safe_load(response.content)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert "/api/assessments/{id}/items/{item_pk}/" in schema["paths"]
    assert "bearerToken" in schema["components"]["securitySchemes"]


def test_reference_page_loads_swagger_ui_from_our_static_files(viewer_client):
    response = viewer_client.get(reverse("api:docs"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<script>" not in page  # the Content Security Policy allows no inline script
    assert "cdn" not in page.lower()


def test_reference_page_needs_sign_in(client):
    response = client.get(reverse("api:docs"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
