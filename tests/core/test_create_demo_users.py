import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from core.roles import ALL_ROLES

pytestmark = pytest.mark.django_db

ROLE_OF = {
    "procurement": "Procurement",
    "reviewer": "Procurement",
    "legal": "Legal",
    "checklist-admin": "Checklist admin",
    "viewer": "Viewer",
}


@pytest.fixture
def development(settings, tmp_path):
    settings.DEBUG = True
    settings.BASE_DIR = tmp_path
    return tmp_path / "var" / "demo-password.txt"


def test_create_demo_users_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="development only"):
        call_command("create_demo_users")

    assert not get_user_model().objects.exists()


def test_create_demo_users_creates_one_user_per_role(development):
    call_command("create_demo_users")

    users = get_user_model().objects.prefetch_related("groups")
    assert {user.username: [g.name for g in user.groups.all()] for user in users} == {
        username: [role] for username, role in ROLE_OF.items()
    }
    assert set(ROLE_OF.values()) == set(ALL_ROLES)


def test_only_the_checklist_admin_and_legal_may_use_the_admin_site(development):
    call_command("create_demo_users")

    staff = get_user_model().objects.filter(is_staff=True).order_by("username")
    assert [user.username for user in staff] == ["checklist-admin", "legal"]
    assert not get_user_model().objects.filter(is_superuser=True).exists()


def test_demo_password_is_written_to_var_and_signs_in(development, capsys):
    call_command("create_demo_users")

    password = development.read_text().strip()
    assert development.stat().st_mode & 0o777 == 0o600
    assert get_user_model().objects.get(username="viewer").check_password(password)
    assert f"password: {password}" in capsys.readouterr().out


def test_running_create_demo_users_twice_keeps_one_user_per_role(development):
    call_command("create_demo_users")
    password = development.read_text()

    call_command("create_demo_users")

    assert get_user_model().objects.count() == len(ROLE_OF)
    assert development.read_text() == password
    assert get_user_model().objects.get(username="legal").groups.count() == 1


def test_lost_password_file_gives_existing_demo_accounts_the_new_password(settings, tmp_path):
    settings.DEBUG = True
    settings.BASE_DIR = tmp_path
    call_command("create_demo_users", stdout=io.StringIO())
    (tmp_path / "var" / "demo-password.txt").unlink()

    call_command("create_demo_users", stdout=io.StringIO())

    password = (tmp_path / "var" / "demo-password.txt").read_text().strip()
    assert get_user_model().objects.get(username="legal").check_password(password)


def test_the_printed_address_follows_the_url_given(development, capsys):
    call_command("create_demo_users", url="http://127.0.0.1:8201/")
    assert "Sign in at http://127.0.0.1:8201/ with one of these demo accounts:" in (
        capsys.readouterr().out
    )
