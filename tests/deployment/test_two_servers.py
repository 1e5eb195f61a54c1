"""Two app servers and two workers sharing one PostgreSQL, one Redis and one object store, as
"Running in production" in the README sets them up: what one server does, the other sees
(documents, evidence, the dashboard, the sign-in throttle, the jobs and the daily reminder).

Slow (two gunicorns, two workers), so not in the everyday run: `pytest -m two_servers` with
DATABASE_URL naming PostgreSQL (.ci/run does).
"""

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import boto3
import psycopg
import pytest
import requests
from django.conf import settings
from weasyprint import HTML

from tests.mail import smtp_server
from tests.security import live_app
from tests.shared_services import S3_CREDENTIALS

pytestmark = pytest.mark.two_servers

PASSWORD = "two servers, one database"  # noqa: S105 - a test account
THROTTLED = "Too many failed sign-in attempts."
RECORD_JOBS = 30


def _database_url():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.fail("The two-server test needs PostgreSQL: set DATABASE_URL=postgres://...")
    parts = urlsplit(url)
    name = f"two_servers_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    return admin, name, urlunsplit(parts._replace(path=f"/{name}"))


@contextlib.contextmanager
def _database():
    admin, name, url = _database_url()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def _worker(env, log_path, name):
    with open(log_path, "w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [
                sys.executable,
                "manage.py",
                "worker",
                "--no-reload",
                "--interval",
                "0.2",
                "--no-startup-delay",
                "--worker-id",
                name,
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


SETUP = """
import datetime
from django.contrib.auth.models import Group, User
from diligence import services
from tests.factories import GPAIModelFactory, SupplierFactory

def user(name, role):
    person = User.objects.create_user(name, name + "@example.org", PASSWORD)
    person.groups.add(Group.objects.get(name=role))
    return person

owner = user("olga", "Procurement")
user("lena", "Legal")
user("theo", "Procurement")  # locked out by the throttle test, so no other test signs in as him
supplier = SupplierFactory(name="Mistral AI", country="FR")
model = GPAIModelFactory(supplier=supplier, name="Mistral Small", version="3",
                         training_compute_flop=10**24)
assessment = services.assessment_start(model=model, reference="TENDER-2", purpose="Enquiries.",
    owner=owner, due_date=datetime.date.today() + datetime.timedelta(days=5), by=owner)
print(assessment.pk)
"""


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, redis_server, object_store):
    root = tmp_path_factory.mktemp("two-servers")
    bucket = f"files-{uuid.uuid4().hex[:8]}"
    region = S3_CREDENTIALS["region_name"]
    boto3.client(
        "s3",
        endpoint_url=object_store,
        aws_access_key_id=S3_CREDENTIALS["access_key"],
        aws_secret_access_key=S3_CREDENTIALS["secret_key"],
        region_name=region,
    ).create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    with contextlib.ExitStack() as stack:
        inbox, smtp_port = stack.enter_context(smtp_server())
        database_url = stack.enter_context(_database())
        env = live_app.production_env(
            database_url=database_url,
            static_root=root / "static",
            REDIS_URL=redis_server,
            CACHE_KEY_PREFIX=f"two-servers-{uuid.uuid4().hex[:8]}",
            S3_BUCKET=bucket,
            S3_ENDPOINT_URL=object_store,
            S3_REGION=S3_CREDENTIALS["region_name"],
            S3_ACCESS_KEY_ID="testing",
            S3_SECRET_ACCESS_KEY="testing",
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp_port),
            DAILY_JOBS_HOUR="0",
            LOGIN_THROTTLE_FAILURES="3",
            TASKS_IMMEDIATE="0",
        )
        live_app.collect_static(root / "static")
        live_app.manage("migrate", "--no-input", env=env)
        setup = live_app.manage(
            "shell", "--no-imports", "-c", f"PASSWORD = {PASSWORD!r}\n{SETUP}", env=env
        )
        assessment_pk = int(setup.stdout.strip().splitlines()[-1])
        servers = []
        for name in ("a", "b"):
            (root / name).mkdir()
            servers.append(
                stack.enter_context(live_app.gunicorn(env=env, log_dir=root / name, workers=2))
            )
        for name in ("worker-a", "worker-b"):
            stack.enter_context(_worker(env, root / f"{name}.log", name))
        yield {
            "servers": servers,
            "env": env,
            "assessment": assessment_pk,
            "inbox": inbox,
            "root": root,
        }


def _signed_in(url, username):
    session = requests.Session()
    page = session.get(f"{url}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    answer = session.post(
        f"{url}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        timeout=30,
    )
    return session, answer


def _csrf(session, url, path):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', session.get(url + path).text)[1]


def _until(check, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.3)
    raise AssertionError("not reached in time")


def test_a_document_made_through_one_server_downloads_through_the_other(deployment):
    a, b = deployment["servers"]
    pack = f"/assessments/{deployment['assessment']}/clauses/"
    session, _ = _signed_in(a, "lena")

    answer = session.post(
        f"{a}{pack}documents/",
        data={"format": "docx", "csrfmiddlewaretoken": _csrf(session, a, pack)},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302
    job_path = answer.headers["Location"]
    assert "/documents/jobs/" in job_path

    # The session, the job and the file are shared: server B follows the job and serves it.
    page = _until(
        lambda: (p := session.get(b + job_path, timeout=30).text) and "is ready" in p and p
    )
    download = re.search(r'href="([^"]+/download/)"', page)[1]
    file = session.get(b + download, timeout=30)
    assert file.status_code == 200
    assert file.content[:2] == b"PK"


def test_the_sign_in_throttle_holds_across_both_servers(deployment):
    a, b = deployment["servers"]
    for number, url in enumerate([a, b, a]):
        session = requests.Session()
        token = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"',
            session.get(f"{url}/accounts/login/").text,
        )[1]
        session.post(
            f"{url}/accounts/login/",
            data={"username": "theo", "password": f"wrong {number}", "csrfmiddlewaretoken": token},
            timeout=30,
        )
    _session, answer = _signed_in(b, "theo")
    assert THROTTLED in answer.text  # the right password, refused after three failures


def test_each_job_runs_once_and_the_reminder_goes_once(deployment):
    enqueue = (
        "from tests.workers import record_run\n"
        f"for number in range({RECORD_JOBS}): record_run.enqueue(number)\n"
    )
    live_app.manage("shell", "--no-imports", "-c", enqueue, env=deployment["env"])
    report = (
        "from collections import Counter\n"
        "from django_tasks_db.models import DBTaskResult\n"
        "rows = DBTaskResult.objects.filter(task_path='tests.workers.record_run')\n"
        "done = rows.filter(status='SUCCESSFUL')\n"
        "print(rows.count(), done.count(), max((len(r.worker_ids) for r in rows), default=0),"
        " len(Counter(r.worker_ids[0] for r in done if r.worker_ids)))\n"
    )

    def finished():
        out = live_app.manage("shell", "--no-imports", "-c", report, env=deployment["env"])
        counts = [int(n) for n in out.stdout.split()]
        return counts if counts[1] == RECORD_JOBS else None

    total, done, most_claims, workers = _until(finished, timeout=120)
    assert (total, done, most_claims) == (RECORD_JOBS, RECORD_JOBS, 1)
    assert workers == 2  # both workers took jobs, and none ran one twice

    # Both workers started the day's jobs when they came up: one reminder email, not two.
    to_olga = [m for m in deployment["inbox"].envelopes if "olga@example.org" in m.rcpt_tos]
    assert len(to_olga) == 1


def test_evidence_uploaded_on_one_server_downloads_from_the_other(deployment):
    a, b = deployment["servers"]
    first_item = (
        "from diligence.models import AssessmentItem\n"
        f"item = AssessmentItem.objects.filter(assessment_id={deployment['assessment']})"
        ".order_by('pk').first()\n"
        "print(item.get_absolute_url())\n"
    )
    shell = live_app.manage("shell", "--no-imports", "-c", first_item, env=deployment["env"])
    item = shell.stdout.strip().splitlines()[-1]
    session, _ = _signed_in(a, "olga")
    form = session.get(a + item, timeout=30).text
    pdf = HTML(string="<p>Summary of the training content, signed copy</p>").write_pdf()

    answer = session.post(
        a + item,
        data={
            "csrfmiddlewaretoken": _field(form, "csrfmiddlewaretoken"),
            "request_token": _field(form, "request_token"),
            "supersedes": "",
            "description": "Training summary, signed copy",
            "add_evidence": "1",
        },
        files={"file": ("training-summary.pdf", pdf, "application/pdf")},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302

    # Server B lists the evidence and serves the file from the shared object store.
    page = session.get(b + item, timeout=30).text
    assert "Training summary, signed copy" in page
    download = re.search(rf'href="({item}evidence/\d+/download/)"', page)[1]
    file = session.get(b + download, timeout=30)
    assert file.status_code == 200
    assert file.content == pdf


def _field(page, name):
    return re.search(rf'name="{name}" value="([^"]+)"', page)[1]


def _supplier_count(session, url):
    page = session.get(f"{url}/", timeout=30).text
    return int(
        re.search(r'<div class="stat">(\d+)</div><div class="stat-label">Suppliers<', page)[1]
    )


def test_a_change_on_one_server_shows_on_the_dashboard_of_the_other_at_once(deployment):
    a, b = deployment["servers"]
    session, _ = _signed_in(a, "olga")
    before = _supplier_count(session, b)  # B's figures computed and cached
    assert _supplier_count(session, b) == before

    answer = session.post(
        f"{a}/suppliers/new/",
        data={
            "csrfmiddlewaretoken": _csrf(session, a, "/suppliers/new/"),
            "name": "Aleph Alpha",
            "legal_name": "Aleph Alpha GmbH",
            "country": "DE",
        },
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302

    assert _supplier_count(session, b) == before + 1  # the next view, no waiting
