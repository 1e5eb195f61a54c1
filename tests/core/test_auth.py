"""Permissions kept in the cache: a change to the roles applies on the very next request."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from core.auth import CachedPermissionsBackend, role_parts
from core.fingerprint import annotated, fingerprint
from core.roles import LEGAL, PROCUREMENT, VIEWER
from identity.oidc import RoleMappingBackend
from tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def supplier():
    return SupplierFactory(name="Alpha AI")


def _status(client, url):
    return client.get(url).status_code


def test_a_user_given_a_role_may_use_it_on_the_next_request(
    outsider_client, outsider_user, supplier
):
    url = supplier.get_absolute_url()
    assert _status(outsider_client, url) == 404

    outsider_user.groups.add(Group.objects.get(name=VIEWER))

    assert _status(outsider_client, url) == 200


def test_a_user_whose_role_is_taken_away_loses_it_on_the_next_request(
    viewer_client, viewer_user, supplier
):
    url = supplier.get_absolute_url()
    assert _status(viewer_client, url) == 200

    viewer_user.groups.clear()

    assert _status(viewer_client, url) == 404


def test_a_permission_taken_from_a_role_is_refused_on_the_next_request(
    procurement_client, supplier
):
    url = reverse("vendors:supplier_update", args=[supplier.pk])
    assert _status(procurement_client, url) == 200

    Group.objects.get(name=PROCUREMENT).permissions.remove(
        Permission.objects.get(content_type__app_label="vendors", codename="change_supplier")
    )

    assert _status(procurement_client, url) == 403


def test_a_permission_given_to_one_user_applies_on_the_next_request(
    viewer_client, viewer_user, supplier
):
    url = reverse("vendors:supplier_update", args=[supplier.pk])
    assert _status(viewer_client, url) == 403

    viewer_user.user_permissions.add(
        Permission.objects.get(content_type__app_label="vendors", codename="change_supplier")
    )

    assert _status(viewer_client, url) == 200


def test_a_superuser_flag_taken_away_applies_on_the_next_request(outsider_client, outsider_user):
    outsider_user.is_superuser = True
    outsider_user.save()
    supplier = SupplierFactory()
    assert _status(outsider_client, supplier.get_absolute_url()) == 200

    outsider_user.is_superuser = False
    outsider_user.save()

    assert _status(outsider_client, supplier.get_absolute_url()) == 404


def test_the_navigation_names_the_users_roles_and_follows_a_change(viewer_client, viewer_user):
    assert "· Viewer</span>" in viewer_client.get(reverse("home")).content.decode()

    viewer_user.groups.add(Group.objects.get(name=LEGAL))

    assert "· Legal, Viewer</span>" in viewer_client.get(reverse("home")).content.decode()


def test_a_renamed_role_shows_its_new_name(viewer_client):
    viewer_client.get(reverse("home"))
    Group.objects.filter(name=VIEWER).update(name="Read-only staff")

    assert "· Read-only staff</span>" in viewer_client.get(reverse("home")).content.decode()


def test_unchanged_roles_are_not_read_again(viewer_client, supplier, django_assert_max_num_queries):
    viewer_client.get(supplier.get_absolute_url())
    with django_assert_max_num_queries(20) as queries:
        viewer_client.get(supplier.get_absolute_url())
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "auth_permission" not in read
    assert '"auth_group"."name"' not in read


def test_the_roles_fingerprint_comes_with_the_signed_in_users_row(
    viewer_client, supplier, django_assert_max_num_queries
):
    viewer_client.get(supplier.get_absolute_url())
    with django_assert_max_num_queries(20) as queries:
        assert viewer_client.get(supplier.get_absolute_url()).status_code == 200
    fingerprints = [q["sql"] for q in queries.captured_queries if "auth_user_groups" in q["sql"]]
    assert len(fingerprints) == 1
    assert 'FROM "auth_user"' in fingerprints[0]


@pytest.mark.parametrize("backend", [CachedPermissionsBackend, RoleMappingBackend])
def test_a_user_loaded_by_a_backend_carries_the_current_roles_fingerprint(backend, viewer_user):
    viewer_user.groups.add(Group.objects.get(name=LEGAL))

    loaded = backend().get_user(viewer_user.pk)

    assert loaded == viewer_user
    assert annotated(loaded, role_parts(), "roles") == fingerprint(role_parts())
    assert backend().get_user(viewer_user.pk + 1000) is None


def test_a_user_loaded_otherwise_has_no_fingerprint_and_the_permissions_are_read(viewer_user):
    user = User.objects.get(pk=viewer_user.pk)

    assert annotated(user, role_parts(), "roles") is None
    assert user.has_perm("vendors.view_supplier")
    assert not user.has_perm("vendors.change_supplier")
