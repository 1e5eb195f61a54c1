import pytest
from rest_framework.test import APIClient

from api import tokens
from api.models import TokenScope


def token_for(user, scope=TokenScope.READ_WRITE, days=30):
    return tokens.api_token_create(
        user=user, name="script", scope=scope, expires_in_days=days, by=user
    )


def api_client(user, scope=TokenScope.READ_WRITE):
    """A client that calls the API with a fresh token of `user`."""
    client = APIClient()
    _, token = token_for(user, scope)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def api(procurement_user, legal_user, checklist_admin_user, viewer_user, outsider_user):
    """One API client per role, each with a read-and-write token of its own."""
    users = {
        "procurement": procurement_user,
        "legal": legal_user,
        "checklist_admin": checklist_admin_user,
        "viewer": viewer_user,
        "outsider": outsider_user,
    }
    return {role: api_client(user) for role, user in users.items()}
