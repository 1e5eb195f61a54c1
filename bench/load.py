"""Load on the app over HTTP: gunicorn started and stopped, a signed-in session, sequential
latencies and requests per second at a given concurrency. Standard library only."""

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEQUENTIAL_BUDGET_S = 60  # per page and scale; a very slow page stops early (at least 5 requests)


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env, tmp, workers):
    port = free_port()
    log_file = open(Path(tmp) / "gunicorn.log", "ab")  # noqa: SIM115 - closed below
    command = [str(Path(sys.executable).with_name("gunicorn")), "procurement.wsgi",
               "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "120",
               "--graceful-timeout", "5", "--log-level", "warning"]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, stdout=log_file, stderr=log_file, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {log_file.name}")
            try:
                status, _headers, _body = request(port, "GET", "/accounts/login/")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within 60 s; see {log_file.name}")
            time.sleep(0.3)
        yield port
    finally:
        # Only the process group we started: gunicorn's master and its workers.
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log_file.close()


def request(port, method, path, headers=None, body=None, connection=None):
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=180)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        if connection is None:
            conn.close()


def login(port, username, password):
    """Sign in through the login form with its CSRF token; returns the Cookie header."""
    status, headers, body = request(port, "GET", "/accounts/login/")
    cookies = dict(_cookies(headers))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = {"csrfmiddlewaretoken": token, "username": username, "password": password}
    status, headers, _body = request(
        port, "POST", "/accounts/login/", body=urllib.parse.urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Cookie": _cookie_header(cookies)},
    )  # fmt: skip
    cookies.update(_cookies(headers))
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"login failed (HTTP {status})")
    return _cookie_header(cookies)


def _cookies(headers):
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        yield name.strip(), rest.split(";")[0]


def _cookie_header(cookies):
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def sequential(port, path, cookie, count, warmup):
    """Latencies in ms of `count` requests one after another, after `warmup` untimed ones."""
    headers = {"Cookie": cookie}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=180)
    times, started = [], time.monotonic()
    for i in range(warmup + count):
        begin = time.perf_counter()
        status, _headers, _body = request(port, "GET", path, headers, connection=conn)
        elapsed = (time.perf_counter() - begin) * 1000
        if status != 200:
            raise RuntimeError(f"GET {path} answered HTTP {status}")
        if i >= warmup:
            times.append(elapsed)
            if time.monotonic() - started > SEQUENTIAL_BUDGET_S and len(times) >= 5:
                log(
                    f"  {path}: stopped after {len(times)} requests ({SEQUENTIAL_BUDGET_S} s budget)"
                )
                break
    conn.close()
    return times


def throughput(port, path, cookie, concurrency, duration):
    """Completed 200 responses per second with `concurrency` connections for `duration` s."""
    headers = {"Cookie": cookie}
    counts, errors, lock = [0], [0], threading.Lock()

    def worker(deadline, counted):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=180)
        while time.monotonic() < deadline:
            try:
                status, _h, _b = request(port, "GET", path, headers, connection=conn)
            except (OSError, http.client.HTTPException):
                status = None
                conn.close()
            if counted and time.monotonic() <= deadline:
                with lock:
                    counts[0] += status == 200
                    errors[0] += status != 200
        conn.close()

    for seconds, counted in ((1.0, False), (duration, True)):  # one second to warm every worker
        deadline, cpu = time.monotonic() + seconds, time.process_time()
        threads = [
            threading.Thread(target=worker, args=(deadline, counted)) for _ in range(concurrency)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    if errors[0]:
        log(f"  {path}: {errors[0]} responses other than 200 under load")
    # The load generator shares the machine: say how much of it the client took.
    client_share = (time.process_time() - cpu) / duration
    return counts[0] / duration, client_share


def p50(times):
    return statistics.median(times)


def p95(times):
    return (
        statistics.quantiles(times, n=100, method="inclusive")[94] if len(times) > 1 else times[0]
    )
