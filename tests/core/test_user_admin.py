"""Users and roles in the admin: an Administrator adds users and gives them roles, and cannot
reach superusers, make one, or grant a permission outside the roles."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from core.models import AuditEntry
from core.roles import ADMINISTRATOR, LEGAL, PROCUREMENT
from tests.factories import UserFactory
from tests.security.test_admin import _admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator_client(client):
    client.force_login(UserFactory(username="people", is_staff=True, role=ADMINISTRATOR))
    return client


def _change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def _post_change(client, form_data, user, **changes):
    page = client.get(_change_url(user))
    assert page.status_code == 200
    data = {**_admin_form_data(page, form_data), **changes}
    return client.post(_change_url(user), data)


def test_administrator_adds_a_user_and_gives_a_role(administrator_client, form_data):
    response = administrator_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "new.buyer",
            "usable_password": "true",
            "password1": "A long passphrase 4 buyers",
            "password2": "A long passphrase 4 buyers",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="new.buyer")

    procurement = Group.objects.get(name=PROCUREMENT)
    response = _post_change(administrator_client, form_data, user, groups=[procurement.pk])

    assert response.status_code == 302
    assert list(user.groups.values_list("name", flat=True)) == [PROCUREMENT]
    assert AuditEntry.objects.filter(target_id=str(user.pk)).exists()


def test_administrator_cannot_make_a_superuser_or_grant_a_permission(
    administrator_client, form_data
):
    user = UserFactory(role=LEGAL)
    permission = Permission.objects.get(codename="delete_user")

    response = _post_change(
        administrator_client,
        form_data,
        user,
        is_superuser="on",
        user_permissions=[permission.pk],
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_superuser
    assert not user.user_permissions.exists()
    form = administrator_client.get(_change_url(user)).context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields


def test_administrator_gives_only_the_app_roles(administrator_client, form_data):
    user = UserFactory()
    other = Group.objects.create(name="Everything")
    other.permissions.add(Permission.objects.get(codename="delete_user"))

    response = _post_change(administrator_client, form_data, user, groups=[other.pk])

    assert response.status_code == 200
    assert "groups" in response.context["adminform"].form.errors
    assert not user.groups.exists()


def test_superusers_are_out_of_an_administrators_sight(administrator_client):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)

    listing = administrator_client.get(reverse("admin:auth_user_changelist"))
    change = administrator_client.get(_change_url(root))
    password = administrator_client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "Taken over 12345", "password2": "Taken over 12345"},
    )

    assert "root" not in [u.username for u in listing.context["cl"].result_list]
    assert change.status_code == 302  # the admin's "does not exist" redirect
    assert password.status_code == 404
    root.refresh_from_db()
    assert not root.check_password("Taken over 12345")


def test_superuser_still_edits_every_field(client, form_data):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    user = UserFactory()

    _post_change(client, form_data, user, is_superuser="on")

    user.refresh_from_db()
    assert user.is_superuser


def test_a_role_without_the_user_permissions_cannot_add_users(client):
    client.force_login(UserFactory(is_staff=True, role=PROCUREMENT))

    response = client.get(reverse("admin:auth_user_add"))

    assert response.status_code == 403
