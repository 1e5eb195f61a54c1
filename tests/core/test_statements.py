"""core.statements: a queryset's SQL composed once, run with each call's parameters, and its
rows read exactly as values() reads them."""

import pytest
from django.contrib.auth.models import Group, User
from django.db.models import F

from core.statements import Statement, columns, records

pytestmark = pytest.mark.django_db


def _users_in(group_id):
    return (
        User.objects.filter(groups=group_id)
        .order_by("username")
        .values("id", "username", "is_staff", "date_joined", group_name=F("groups__name"))
    )


def test_rows_are_what_values_gives_for_each_call():
    staff, readers = Group.objects.create(name="Staff"), Group.objects.create(name="Readers")
    for name, group, is_staff in [("b", staff, True), ("a", staff, False), ("c", readers, False)]:
        User.objects.create_user(name, is_staff=is_staff).groups.add(group)
    statement = Statement(_users_in)

    for group in (staff, readers, staff):
        assert statement.rows(params=[group.pk]) == list(_users_in(group.pk))

    assert [row["username"] for row in statement.rows(params=[staff.pk])] == ["a", "b"]
    assert statement._composed.cache_info().misses == 1


def test_each_shape_is_composed_once_and_reads_its_own_rows():
    for name in ("a", "b", "c"):
        User.objects.create_user(name)
    statement = Statement(
        lambda low, high: User.objects.order_by("username").values("username")[low:high]
    )

    assert statement.rows(0, 2) == [{"username": "a"}, {"username": "b"}]
    assert statement.rows(2, 4) == [{"username": "c"}]
    assert statement.rows(0, 2) == [{"username": "a"}, {"username": "b"}]
    assert statement._composed.cache_info().misses == 2


def test_a_parameter_the_sql_changes_is_refused():
    User.objects.create_user("someone")
    statement = Statement(lambda name: User.objects.filter(username__icontains=name).values("id"))

    with pytest.raises(ValueError, match="does not reach the SQL"):
        statement.rows(params=["some"])


def test_records_load_rows_as_the_orm_loads_them_with_the_extra_names_set():
    group = Group.objects.create(name="Staff")
    User.objects.create_user("ann", email="ann@example.org").groups.add(group)
    rows = User.objects.values(*columns(User), group_name=F("groups__name"))

    [user] = records(User, rows, ("group_name",))

    assert user == User.objects.get(username="ann")
    assert (user.email, user.group_name, user._state.adding) == ("ann@example.org", "Staff", False)
    assert user.get_deferred_fields() == set()
