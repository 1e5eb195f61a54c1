"""What a deployment adds to the pages: documents made by a background worker, and a second app
server. Measured at the first scale, each against gunicorn processes of its own.

- Document generation: the time from the "Generate PDF" POST (which enqueues the job) to a
  downloaded PDF, with one worker running, as the job page sees it when it asks every 0.1 s
  (the page itself asks every second, so a person sees it up to a second later). The
  reference assessment's due-diligence report, removed before each run so that it is made
  again rather than found unchanged.
- Scale-out: requests per second that one server serves, then two servers (each with the same
  number of workers, sharing the database and a Redis cache) with the connections split
  between them, in the same run. Both on this machine, so they share its cores.
"""

import json
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

from bench.load import ROOT, gunicorn, log, login, request, throughput

REDIS_URL = "redis://127.0.0.1:6379/0"
SCALE_OUT_PAGES = [("Admin login", "/admin/login/"), ("Dashboard", "/")]

# Run in the app's own process: remove the report PDFs of the reference assessment (so that
# the next one is made, not found unchanged) and print the pack's URLs.
FORGET_REPORTS = """
import json
from django.core.files.storage import default_storage
from django.urls import reverse
from contracts.models import Document
pk = ASSESSMENT_PK
for document in Document.objects.filter(assessment_id=pk, format="pdf", kind="report"):
    default_storage.delete(document.storage_name)
    document.delete()
print(json.dumps({"pack": reverse("contracts:clause_pack", args=[pk]),
                  "generate": reverse("contracts:document_generate", args=[pk])}))
"""


def _forget_reports(env, assessment):
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         FORGET_REPORTS.replace("ASSESSMENT_PK", str(int(assessment)))],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, check=True, timeout=120,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


@contextmanager
def worker(env, tmp):
    """One background worker, without the daily jobs (no reminders sent from bench data)."""
    log_file = open(Path(tmp) / "worker.log", "ab")  # noqa: SIM115 - closed below
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "worker", "--no-reload", "--no-daily-jobs",
         "--interval", "0.1", "--no-startup-delay", "--worker-id", "bench"],
        cwd=ROOT, env=env, stdout=log_file, stderr=log_file, start_new_session=True,
    )  # fmt: skip
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_file.close()


def _generate_once(port, cookie, urls, timeout=300):
    """Seconds from the POST to the downloaded PDF."""
    _status, _headers, page = request(port, "GET", urls["pack"], {"Cookie": cookie})
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "format": "pdf", "kind": "report"})
    begin = time.perf_counter()
    status, headers, _body = request(
        port, "POST", urls["generate"], body=form,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    job = headers.get("Location", "")
    if status != 302 or "/jobs/" not in job:
        raise RuntimeError(f"Generate PDF answered HTTP {status}, to {job or 'nowhere'}")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, _headers, body = request(port, "GET", job, {"Cookie": cookie, "HX-Request": "true"})
        if link := re.search(rb'href="([^"]+/download/)"', body):
            status, _headers, data = request(
                port, "GET", link.group(1).decode(), {"Cookie": cookie}
            )
            if status != 200 or not data.startswith(b"%PDF"):
                raise RuntimeError(f"the download answered HTTP {status}")
            return time.perf_counter() - begin
        if b"alert-danger" in body:
            raise RuntimeError("the job failed; see the worker log")
        time.sleep(0.1)
    raise RuntimeError(f"no document within {timeout} s")


def measure_generation(env, tmp, samples, password, runs):
    """Median seconds from "Generate PDF" to a downloaded PDF, over `runs` fresh documents."""
    times = []
    with gunicorn(env, tmp, workers=2) as port, worker(env, tmp):
        cookie = login(port, samples["bench_user"], password)
        for _ in range(runs):
            urls = _forget_reports(env, samples["reference_assessment"])
            times.append(_generate_once(port, cookie, urls))
    log("Generate PDF to download: " + ", ".join(f"{t:.2f}" for t in times) + " s")
    return {"generate_to_download_s": round(statistics.median(times), 2), "runs": len(times)}


def _throughput_across(ports, path, cookie, concurrency, duration):
    """Requests per second of several servers under load at once, connections split evenly."""
    results = [None] * len(ports)

    def load(index, port):
        results[index] = throughput(port, path, cookie, concurrency // len(ports), duration)

    threads = [threading.Thread(target=load, args=item) for item in enumerate(ports)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(rps for rps, _share in results)


def measure_scale_out(env, tmp, samples, password, concurrency, duration, workers):
    """Requests per second of one server, then of two, on the same pages and settings."""
    prefix = f"bench-{secrets.token_hex(4)}"
    env = {**env, "REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": prefix}
    rows = {name: {"name": name} for name, _path in SCALE_OUT_PAGES}
    try:
        with gunicorn(env, tmp, workers=workers) as one:
            cookie = login(one, samples["bench_user"], password)
            for name, path in SCALE_OUT_PAGES:
                rows[name]["one_server_rps"] = round(
                    _throughput_across([one], path, cookie, concurrency, duration), 1
                )
            with gunicorn(env, tmp, workers=workers) as two:
                for name, path in SCALE_OUT_PAGES:
                    rows[name]["two_servers_rps"] = round(
                        _throughput_across([one, two], path, cookie, concurrency, duration), 1
                    )
    finally:
        _clear_cache(prefix)
    for row in rows.values():
        log(f"{row['name']:<18} one server {row['one_server_rps']:6.1f} req/s, two servers "
            f"{row['two_servers_rps']:6.1f} req/s")  # fmt: skip
    return {"workers_per_server": workers, "pages": list(rows.values())}


def _clear_cache(prefix):
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
