"""Settings that protect every response, and the production defaults."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import checks
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Variables a developer's shell or the browser tests may set that production has not.
NOT_IN_PRODUCTION = {
    "DEBUG",
    "SECRET_KEY",
    "HTTPS",
    "ALLOWED_HOSTS",
    "BEHIND_PROXY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def test_responses_forbid_framing_and_content_sniffing(viewer_client):
    response = viewer_client.get(reverse("vendors:supplier_list"))

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_sign_in_page_is_open_to_visitors(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


def test_session_cookie_is_not_readable_by_scripts(client, procurement_user):
    procurement_user.set_password("correct horse battery staple")
    procurement_user.save()

    response = client.post(
        reverse("login"),
        {"username": "procurement", "password": "correct horse battery staple"},
    )

    assert response.url == reverse("home")
    assert response.cookies[settings.SESSION_COOKIE_NAME]["httponly"]


def _production(code, **env):
    """Run `code` in a fresh interpreter with the environment a production server has."""
    clean = {k: v for k, v in os.environ.items() if k not in NOT_IN_PRODUCTION}
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "procurement.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _production("import procurement.settings")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_uses_https_by_default():
    result = _production(
        "from procurement import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.ALLOWED_HOSTS)",
        SECRET_KEY="x" * 50,
    )

    assert result.stdout.split() == ["True", "True", "True", "31536000", "[]"]


def test_sqlite_transactions_take_the_write_lock_when_they_begin():
    result = _production(
        "from procurement import settings as s; "
        "print(s.DATABASES['default']['OPTIONS'].get('transaction_mode'))",
        SECRET_KEY="x" * 50,
        DATABASE_URL="sqlite:///dd.sqlite3",
    )

    assert result.stdout.strip() == "IMMEDIATE", result.stderr


def _database_options(**env):
    result = _production(
        "from procurement import settings as s; "
        "o = s.DATABASES['default'].get('OPTIONS', {}); "
        "print(o.get('server_side_binding'), o.get('prepare_threshold'))",
        SECRET_KEY="x" * 50,
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_postgresql_queries_are_bound_on_the_server_and_prepared_from_their_second_run():
    url = "postgres://app@db.example.org:5432/dd"

    assert _database_options(DATABASE_URL=url) == ["True", "2"]
    assert _database_options(DATABASE_URL=url, DB_PREPARE_THRESHOLD="5") == ["True", "5"]
    # A connection pooler in transaction mode cannot keep prepared statements.
    assert _database_options(DATABASE_URL=url, DB_PREPARE_THRESHOLD="off") == ["None", "None"]
    assert _database_options(DATABASE_URL="sqlite:///dd.sqlite3") == ["None", "None"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_a_query_run_again_on_a_connection_is_prepared_once_and_its_answers_stay_right(
    procurement_user,
):
    """The second run of the same query prepares it; later runs with other values reuse the
    statement and still answer for their own values."""
    User = type(procurement_user)
    other = User.objects.create_user("other-user")

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ["%auth_user%username%"],
            )
            return cursor.fetchone()[0]

    before = prepared()
    names = [
        User.objects.filter(pk=pk).values_list("username", flat=True).get()
        for pk in (procurement_user.pk, other.pk, procurement_user.pk, other.pk)
    ]

    assert names == ["procurement", "other-user", "procurement", "other-user"]
    assert prepared() == before + 1


def test_production_settings_pass_the_deployment_checks():
    result = _production(
        "import django, sys; from django.core.management import call_command; django.setup(); "
        "call_command('check', deploy=True, fail_level='WARNING')",
        SECRET_KEY="a-long-and-random-production-secret-key-0123456789-abcdefghij",
        ALLOWED_HOSTS="due-diligence.example.org",
    )

    assert result.returncode == 0, result.stderr


def test_pages_render_with_hashed_static_files_as_in_production(settings, tmp_path, client):
    """Production serves collected files with hashed names; every asset must be in the manifest."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)

    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert re.search(rb"bootstrap\.min\.[0-9a-f]{12}\.css", response.content)
    assert re.search(rb"htmx-2\.min\.[0-9a-f]{12}\.js", response.content)


def test_system_checks_print_no_warning_on_either_database():
    """Every manage.py command of `make run` runs the checks, on SQLite by default: they stay
    quiet, although SQLite builds the covering indexes without their extra columns."""
    messages = checks.run_checks(databases=["default"])
    assert [message.id for message in messages if not message.is_silenced()] == []
