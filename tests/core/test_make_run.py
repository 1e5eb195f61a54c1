"""`make run` tells the demo and the worker where the server listens, so the links in the
emails they send (review requests, reminders) open the running app on the port given to make."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make")


def _site_url(command, environment):
    """The SITE_URL that one recipe line of `make -n run PORT=8123` gives its command."""
    dry_run = subprocess.run(  # noqa: S603 - make with fixed arguments
        [MAKE, "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    line = next(text for text in dry_run.splitlines() if f"manage.py {command}" in text)
    prefix = line.split(".venv/bin/python")[0]
    return subprocess.run(  # noqa: S603 - the Makefile's own recipe prefix
        ["/bin/sh", "-c", f"{prefix} printenv SITE_URL"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.mark.parametrize("command", ["load_demo_assessments", "worker", "runserver"])
def test_emails_link_to_the_port_given_to_make(command):
    assert _site_url(command, {"PATH": "/usr/bin:/bin"}) == "http://127.0.0.1:8123"


def test_a_site_url_set_by_the_user_wins():
    environment = {"PATH": "/usr/bin:/bin", "SITE_URL": "https://diligence.example.org"}
    assert _site_url("load_demo_assessments", environment) == "https://diligence.example.org"
