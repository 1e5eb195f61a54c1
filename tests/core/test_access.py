import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.access import check_access, get_object_for
from tests.factories import SupplierFactory
from vendors.models import GPAIModel, Signature, Supplier

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("user", "model", "action", "refusal"),
    [
        ("outsider_user", Supplier, "view", Http404),
        ("outsider_user", Supplier, "change", Http404),
        ("viewer_user", Supplier, "view", None),
        ("viewer_user", Supplier, "change", PermissionDenied),
        ("legal_user", GPAIModel, "add", PermissionDenied),
        ("checklist_admin_user", Signature, "change", PermissionDenied),
        ("procurement_user", Supplier, "add", None),
        ("procurement_user", Signature, "change", None),
        # Records are archived, never deleted, outside the admin.
        ("procurement_user", Supplier, "delete", PermissionDenied),
    ],
)
def test_check_access_hides_what_a_user_may_not_see_and_forbids_what_they_may_not_do(
    request, user, model, action, refusal
):
    user = request.getfixturevalue(user)
    if refusal is None:
        check_access(user, model, action)
    else:
        with pytest.raises(refusal):
            check_access(user, model, action)


def test_get_object_for_returns_the_record(viewer_user):
    supplier = SupplierFactory()
    assert get_object_for(viewer_user, Supplier, supplier.pk) == supplier


def test_outsider_gets_404_for_an_existing_record(outsider_user):
    supplier = SupplierFactory()
    with pytest.raises(Http404):
        get_object_for(outsider_user, Supplier, supplier.pk)


def test_read_only_role_gets_403_for_changing_a_record(viewer_user):
    supplier = SupplierFactory()
    with pytest.raises(PermissionDenied):
        get_object_for(viewer_user, Supplier, supplier.pk, action="change")


def test_read_only_role_gets_403_before_learning_whether_a_record_exists(viewer_user):
    with pytest.raises(PermissionDenied):
        get_object_for(viewer_user, Supplier, 999_999, action="change")


def test_allowed_role_gets_404_for_a_missing_record(procurement_user):
    with pytest.raises(Http404):
        get_object_for(procurement_user, Supplier, 999_999, action="change")


def test_get_object_for_looks_only_in_the_queryset_given(procurement_user):
    archived = SupplierFactory(archived_at="2025-01-01T00:00:00Z")
    with pytest.raises(Http404):
        get_object_for(procurement_user, Supplier.objects.active(), archived.pk)
