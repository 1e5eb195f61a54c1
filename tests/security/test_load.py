"""32 people at once for 60 s against the app as production runs it: gunicorn workers, DEBUG
off, whitenoise, PostgreSQL. No request fails, and every write that answered "done" left
exactly one row behind (and none that did not).

Runs only when asked for and only against PostgreSQL (`.ci/run` does both):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/pytest -m load

The test makes a database of its own on that server and drops it at the end.
"""

import json
import os
import secrets
import subprocess
import sys
import urllib.parse
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.conf import settings

from tests.security import live_app

pytestmark = pytest.mark.load

USERS, SPAWN_RATE, RUN_TIME = 32, 8, "60s"
ACCOUNTS = [f"load-{number}" for number in range(1, 9)]
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def _server_url():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.fail("The load test runs against PostgreSQL: set DATABASE_URL=postgres://…")
    return url


def _connect(url):
    config = dj_database_url.parse(url)
    return psycopg.connect(
        dbname=config["NAME"],
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"],
        port=config["PORT"] or None,
        autocommit=True,
    )


@pytest.fixture(scope="module")
def load_database():
    """A new database on the PostgreSQL server of DATABASE_URL; its URL. Dropped afterwards."""
    server_url = _server_url()
    name = f"loadtest_{secrets.token_hex(4)}"
    with _connect(server_url) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlsplit(server_url)._replace(path=f"/{name}").geturl()
    finally:
        with _connect(server_url) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def site(load_database, tmp_path_factory):
    """The app under gunicorn on the new database: migrated, with the demo suppliers and
    Procurement accounts; yields (url, password)."""
    root = tmp_path_factory.mktemp("load")
    password = secrets.token_urlsafe(16)
    env = live_app.production_env(database_url=load_database, static_root=root / "static")
    live_app.collect_static(root / "static")
    live_app.manage("migrate", "--no-input", env=env)
    live_app.manage("load_demo", env=env)
    create_accounts = (
        "from django.contrib.auth.models import Group, User\n"
        "from core.roles import PROCUREMENT\n"
        "group = Group.objects.get(name=PROCUREMENT)\n"
        f"for name in {ACCOUNTS!r}:\n"
        f"    User.objects.create_user(name, password={password!r}).groups.add(group)\n"
    )
    live_app.manage("shell", "--no-imports", "-c", create_accounts, env=env)
    with live_app.gunicorn(env=env, log_dir=root) as url:
        yield url, password, root


def _locust(url, password, out):
    """Run the journeys headless; locust's output and {request name: counts}."""
    result = subprocess.run(  # noqa: S603 - locust from this virtualenv, fixed arguments
        [
            str(Path(sys.executable).with_name("locust")),
            f"--locustfile={LOCUSTFILE}",
            "--headless",
            f"--users={USERS}",
            f"--spawn-rate={SPAWN_RATE}",
            f"--run-time={RUN_TIME}",
            # Let each user finish the journey it is in, so no write is cut off half-way.
            "--stop-timeout=30",
            f"--host={url}",
            "--only-summary",
        ],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "LOAD_USERS": ",".join(ACCOUNTS),
            "LOAD_PASSWORD": password,
            "LOAD_STATS": str(out / "stats.json"),
        },
        capture_output=True,
        text=True,
        timeout=180,
    )
    return result, json.loads((out / "stats.json").read_text())


def _rows(database_url):
    with _connect(database_url) as db:
        suppliers = db.execute(
            "SELECT count(*) FROM vendors_supplier WHERE name LIKE %s", ["Load test supplier %"]
        ).fetchone()[0]
        assessments = db.execute(
            "SELECT count(*) FROM diligence_assessment WHERE reference LIKE %s", ["LOAD-%"]
        ).fetchone()[0]
        # Every saved status raises the item's version by one, from 1.
        status_saves = db.execute(
            "SELECT coalesce(sum(item.version - 1), 0) FROM diligence_assessmentitem item "
            "JOIN diligence_assessment a ON a.id = item.assessment_id "
            "WHERE a.reference LIKE %s",
            ["LOAD-%"],
        ).fetchone()[0]
    return {
        "create supplier": suppliers,
        "start assessment": assessments,
        "set item status": status_saves,
    }


def test_32_people_work_for_a_minute_without_an_error(site, load_database, tmp_path):
    url, password, log_dir = site

    result, stats = _locust(url, password, tmp_path)

    total = stats["Aggregated"]
    summary = f"{total['requests']} requests, {total['failures']} failed, {total['rps']:.1f}/s"
    print(f"\nLoad: {summary}\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    assert result.returncode == 0, f"locust failed: {summary}\n{result.stderr[-3000:]}"
    assert total["failures"] == 0, summary
    assert total["exceptions"] == 0, result.stderr[-3000:]
    assert stats["sign in"]["requests"] == USERS
    # Every journey ran, and every write the app confirmed is a row, and no more.
    rows = _rows(load_database)
    print("Rows:", rows, {name: stats[name]["requests"] for name in rows})
    for name, count in rows.items():
        assert stats[name]["requests"] > 0, name
        assert count == stats[name]["requests"] - stats[name]["failures"], name
    errors = [
        line
        for line in (log_dir / "gunicorn.log").read_text().splitlines()
        if "ERROR" in line or "Traceback" in line
    ]
    assert errors == []
