"""The app served as `make serve` serves it: gunicorn workers, DEBUG off, whitenoise.

For tests that need what a single test process cannot show: several worker processes that
share only the database, and real load.
"""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

# Variables a developer's shell or the test run may set that a production server has not.
NOT_IN_PRODUCTION = {
    "DEBUG",
    "SECRET_KEY",
    "HTTPS",
    "ALLOWED_HOSTS",
    "BEHIND_PROXY",
    "TRUSTED_PROXIES",
    "DATABASE_URL",
    "STATIC_ROOT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(*, database_url, static_root, **extra):
    """The environment of a production server on plain HTTP (HTTPS=0, as `make serve`)."""
    env = {name: value for name, value in os.environ.items() if name not in NOT_IN_PRODUCTION}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "procurement.settings",
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(static_root),
        **extra,
    }


def manage(*args, env, timeout=300):
    """Run a management command in a process of its own, with `env`."""
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def collect_static(static_root):
    """Collect static files with hashed names and a manifest, which production storage reads.

    Without the compressed copies `make serve` also writes: whitenoise serves the originals,
    and collecting takes seconds instead of a minute.
    """
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=static_root, STORAGES=storages):
        call_command("collectstatic", "--no-input", verbosity=0)


@contextlib.contextmanager
def gunicorn(*, env, log_dir, workers=3):
    """Serve the app with gunicorn's sync workers on a free loopback port; yield its URL.

    The access log (`log_dir / "access.log"`) names the worker that served each request:
    `<pid> "<request line>" <status>`. The server is stopped on the way out, whatever happened.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log_dir / "gunicorn.log", "w") as server_log:
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
            [
                sys.executable,
                "-m",
                "gunicorn",
                "procurement.wsgi",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--worker-class=sync",
                f"--access-logfile={log_dir / 'access.log'}",
                '--access-logformat=%(p)s "%(r)s" %(s)s',
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_serving(server, url, log_dir / "gunicorn.log")
        yield url
    finally:
        _stop(server)


def _wait_until_serving(server, url, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/accounts/login/", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            # TimeoutError: a worker still starting on a busy machine answered too slowly.
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{log_path.read_text()}")


def _stop(server):
    if server.poll() is None:
        server.terminate()  # gunicorn's graceful shutdown of the master and its workers
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # the session gunicorn and its workers run in
            server.wait(timeout=10)


def worker_pids(log_dir, request_lines, timeout=10):
    """{request line: pid of the worker that served it}, from the access log.

    A worker logs a request just after it answered, so wait for the lines to arrive.
    """
    deadline = time.monotonic() + timeout
    while True:
        served = {}
        for line in (log_dir / "access.log").read_text().splitlines():
            pid, request_line = line.split(" ", 1)
            served[request_line.rsplit(" ", 1)[0].strip('"')] = pid.strip("<>")
        if set(request_lines) <= served.keys() or time.monotonic() > deadline:
            return {line: served.get(line) for line in request_lines}
        time.sleep(0.1)
