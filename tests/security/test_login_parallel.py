"""Sign-in attempts sent at once: however many arrive in parallel, and whichever gunicorn
workers serve them, at most LOGIN_THROTTLE_FAILURES passwords are checked in the window.

Run against gunicorn with the production password hasher, on SQLite and, when the suite runs
on PostgreSQL, on a database of its own there too.
"""

import secrets
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from django.conf import settings

from tests.security import live_app
from tests.security.test_login import INVALID_LOGIN, PASSWORD, THROTTLED, Browserless

LIMIT = 5
PARALLEL = 16
BACKENDS = ["sqlite"] + (
    ["postgresql"] if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else []
)


def _server():
    config = settings.DATABASES["default"]
    return psycopg.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"],
        port=config["PORT"] or None,
        autocommit=True,
    )


@pytest.fixture(scope="module", params=BACKENDS)
def site(request, tmp_path_factory):
    """Four gunicorn workers on a database of their own, with the user alice; the URL."""
    root = tmp_path_factory.mktemp(f"parallel-{request.param}")
    name = f"throttle_{secrets.token_hex(4)}"
    if request.param == "sqlite":
        database_url = f"sqlite:///{root / 'db.sqlite3'}"
    else:
        config = settings.DATABASES["default"]
        with _server() as server:
            server.execute(f'CREATE DATABASE "{name}"')
        database_url = urllib.parse.urlunsplit(
            (
                "postgres",
                f"{config['USER']}@{config['HOST']}:{config['PORT'] or 5432}",
                f"/{name}",
                "",
                "",
            )
        )
    env = live_app.production_env(
        database_url=database_url,
        static_root=root / "static",
        LOGIN_THROTTLE_FAILURES=str(LIMIT),
    )
    try:
        live_app.collect_static(root / "static")
        live_app.manage("migrate", "--no-input", env=env)
        create_alice = (
            "from django.contrib.auth.models import User; "
            f"User.objects.create_user('alice', password={PASSWORD!r})"
        )
        live_app.manage("shell", "--no-imports", "-c", create_alice, env=env)
        with live_app.gunicorn(env=env, log_dir=root, workers=4) as url:
            yield url
    finally:
        if request.param == "postgresql":
            with _server() as server:
                server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_parallel_wrong_passwords_check_no_more_than_the_limit(site):
    browser = Browserless(site)

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        pages = list(
            pool.map(
                lambda attempt: browser.sign_in("alice", "wrong password", attempt),
                [f"parallel-{number}" for number in range(PARALLEL)],
            )
        )

    checked = sum(INVALID_LOGIN in page for page in pages)
    refused = sum(THROTTLED in page for page in pages)
    assert (checked, refused) == (LIMIT, PARALLEL - LIMIT)
    # And the right password is refused too while the window lasts.
    assert THROTTLED in browser.sign_in("alice", PASSWORD, "after")
