"""Sign-in throttling: the rules, the sign-in pages, and gunicorn workers sharing the count."""

import datetime
import http.client
import re
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core import throttle
from core.models import LoginFailure
from core.roles import PROCUREMENT
from tests.factories import UserFactory
from tests.security import live_app

PASSWORD = "a-long-sign-in-password"
INVALID_LOGIN = "Please enter a correct username and password"
THROTTLED = "Too many failed sign-in attempts. Try again in"


@pytest.fixture(autouse=True)
def throttle_settings(settings):
    settings.LOGIN_THROTTLE_FAILURES = 3
    settings.LOGIN_THROTTLE_IP_FAILURES = 5
    settings.LOGIN_THROTTLE_WINDOW_MINUTES = 15
    settings.TRUSTED_PROXIES = []
    return settings


def _fail(times, *, username="alice", ip="192.0.2.1", now=None):
    for _ in range(times):
        throttle.login_failure_record(username=username, ip=ip, now=now)


# The rules


@pytest.mark.django_db
def test_username_is_locked_once_it_reaches_the_limit():
    _fail(2)
    assert throttle.login_lockout_remaining(username="alice", ip="198.51.100.7") is None

    _fail(1)
    remaining = throttle.login_lockout_remaining(username="alice", ip="198.51.100.7")

    assert datetime.timedelta(minutes=14) < remaining <= datetime.timedelta(minutes=15)


@pytest.mark.django_db
def test_usernames_are_counted_regardless_of_case_width_and_spaces():
    _fail(1, username="Alice")
    _fail(1, username=" ALICE ")
    _fail(1, username="ａｌｉｃｅ")  # fullwidth letters, NFKC-equal to "alice"

    assert throttle.login_lockout_remaining(username="alice", ip=None)


@pytest.mark.django_db
def test_one_address_is_locked_at_its_higher_limit_across_usernames():
    for number in range(4):
        _fail(1, username=f"guess{number}", ip="192.0.2.9")
    assert throttle.login_lockout_remaining(username="someone", ip="192.0.2.9") is None

    _fail(1, username="guess4", ip="192.0.2.9")

    assert throttle.login_lockout_remaining(username="someone", ip="192.0.2.9")
    assert throttle.login_lockout_remaining(username="someone", ip="192.0.2.10") is None


@pytest.mark.django_db
def test_lockout_lasts_until_the_oldest_counted_failure_leaves_the_window():
    start = timezone.now()
    _fail(1, now=start)
    _fail(2, now=start + datetime.timedelta(minutes=5))

    at_ten = start + datetime.timedelta(minutes=10)
    assert throttle.login_lockout_remaining(
        username="alice", ip=None, now=at_ten
    ) == datetime.timedelta(minutes=5)
    after_window = start + datetime.timedelta(minutes=15)
    assert throttle.login_lockout_remaining(username="alice", ip=None, now=after_window) is None


@pytest.mark.django_db
def test_failures_older_than_the_window_are_deleted_when_a_new_one_is_recorded():
    start = timezone.now()
    _fail(2, now=start)

    _fail(1, now=start + datetime.timedelta(minutes=15, seconds=1))

    assert LoginFailure.objects.count() == 1


@pytest.mark.django_db
def test_clearing_a_username_keeps_the_failures_of_its_address():
    _fail(3, username="alice", ip="192.0.2.1")
    _fail(2, username="bob", ip="192.0.2.1")

    throttle.login_failures_clear(username="ALICE")

    assert throttle.login_lockout_remaining(username="alice", ip=None) is None
    assert throttle.login_lockout_remaining(username="carol", ip="192.0.2.1")


def _request(remote_addr, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().post("/", REMOTE_ADDR=remote_addr, **headers)


def test_client_address_is_remote_addr_and_forwarded_for_is_ignored_by_default():
    assert throttle.client_ip(_request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_behind_a_trusted_proxy_the_client_is_the_nearest_untrusted_forwarded_address(
    throttle_settings,
):
    throttle_settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client wrote the first entry itself; the proxies appended the others.
    request = _request("10.0.0.2", "1.2.3.4, 198.51.100.1, 10.0.0.1")

    assert throttle.client_ip(request) == "198.51.100.1"


def test_forwarded_for_from_an_untrusted_address_is_ignored(throttle_settings):
    throttle_settings.TRUSTED_PROXIES = ["10.0.0.1"]

    assert throttle.client_ip(_request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_a_malformed_forwarded_address_leaves_the_trusted_proxy_as_client(throttle_settings):
    throttle_settings.TRUSTED_PROXIES = ["10.0.0.1"]

    assert throttle.client_ip(_request("10.0.0.1", "<script>, not-an-ip")) == "10.0.0.1"


# The sign-in pages


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", role=PROCUREMENT, password=PASSWORD)


def _sign_in(client, username, password, url=None):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, follow=False
    )


def _errors(response):
    return response.context["form"].non_field_errors()


def test_unknown_and_known_usernames_get_the_same_answer(client, alice):
    unknown = _sign_in(client, "nobody", PASSWORD)
    known = _sign_in(client, "alice", "wrong password")

    assert unknown.status_code == known.status_code == 200
    assert _errors(unknown) == _errors(known)
    assert INVALID_LOGIN in _errors(known)[0]


def test_sign_in_is_refused_after_the_limit_without_checking_the_password(
    client, alice, monkeypatch
):
    for _ in range(3):
        assert INVALID_LOGIN in _errors(_sign_in(client, "alice", "wrong password"))[0]
    checked = []
    monkeypatch.setattr(
        "django.contrib.auth.forms.authenticate", lambda *args, **kwargs: checked.append(1)
    )

    response = _sign_in(client, "alice", PASSWORD)

    assert _errors(response) == [
        "Too many failed sign-in attempts. Try again in 15 minutes.",
    ]
    assert checked == []
    assert SESSION_KEY not in client.session


def test_a_locked_unknown_username_reads_like_a_locked_known_one(client, alice):
    for username in ("alice", "nobody"):
        for _ in range(3):
            _sign_in(client, username, "wrong password")

    assert _errors(_sign_in(client, "nobody", "x")) == _errors(_sign_in(client, "alice", "x"))
    assert THROTTLED in _errors(_sign_in(client, "nobody", "x"))[0]


def test_a_successful_sign_in_clears_the_username_failures(client, alice):
    for _ in range(2):
        _sign_in(client, "alice", "wrong password")
    assert _sign_in(client, "alice", PASSWORD).url == reverse("home")
    client.logout()

    for _ in range(2):
        _sign_in(client, "alice", "wrong password")

    assert _sign_in(client, "alice", PASSWORD).url == reverse("home")


def test_sign_in_is_allowed_again_when_the_window_has_passed(client, alice, monkeypatch):
    for _ in range(3):
        _sign_in(client, "alice", "wrong password")
    assert THROTTLED in _errors(_sign_in(client, "alice", PASSWORD))[0]

    later = timezone.now() + datetime.timedelta(minutes=15, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert _sign_in(client, "alice", PASSWORD).url == reverse("home")


def test_one_address_trying_many_usernames_is_refused(client, alice):
    for number in range(5):
        _sign_in(client, f"guess{number}", "wrong password")

    response = _sign_in(client, "alice", PASSWORD)

    assert THROTTLED in _errors(response)[0]


def test_the_admin_sign_in_page_is_throttled_too(client, alice):
    admin_login = reverse("admin:login")
    for _ in range(3):
        _sign_in(client, "alice", "wrong password", url=admin_login)

    response = _sign_in(client, "alice", PASSWORD, url=admin_login)

    assert THROTTLED in response.content.decode()


# Several gunicorn workers


@pytest.fixture(scope="module")
def workers_site(tmp_path_factory):
    """Three gunicorn workers on a SQLite file of their own, with the user alice."""
    root = tmp_path_factory.mktemp("workers")
    env = live_app.production_env(
        database_url=f"sqlite:///{root / 'db.sqlite3'}",
        static_root=root / "static",
        LOGIN_THROTTLE_FAILURES="5",
    )
    live_app.collect_static(root / "static")
    live_app.manage("migrate", "--no-input", env=env)
    create_alice = (
        "from django.contrib.auth.models import User; "
        f"User.objects.create_user('alice', password={PASSWORD!r})"
    )
    live_app.manage("shell", "--no-imports", "-c", create_alice, env=env)
    with live_app.gunicorn(env=env, log_dir=root, workers=3) as url:
        yield url, root


class Browserless:
    """Posts to the sign-in page, each time over a new connection, with one CSRF token."""

    def __init__(self, url):
        self.host, self.port = urllib.parse.urlsplit(url).netloc.split(":")
        page = self._request("GET", "/accounts/login/")
        self.cookie = page.getheader("Set-Cookie").split(";", 1)[0]
        self.token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)[1]

    def _request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(self.host, int(self.port), timeout=30)
        try:
            connection.request(
                method, path, body=body, headers={"Connection": "close", **(headers or {})}
            )
            response = connection.getresponse()
            response.body = response.read()
            return response
        finally:
            connection.close()

    def sign_in(self, username, password, attempt):
        """POST the form; `attempt` goes in the URL so the access log tells the requests apart."""
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": self.token}
        )
        response = self._request(
            "POST",
            f"/accounts/login/?attempt={attempt}",
            body=body,
            headers={"Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status == 200, response.body[:500]
        return response.body.decode()


def test_lockout_holds_across_gunicorn_workers(workers_site):
    url, log_dir = workers_site
    browser = Browserless(url)
    limit = 5

    # Sent at once: while one worker checks a password, the next connection goes to another.
    failures = [f"failure-{number}" for number in range(limit)]
    with ThreadPoolExecutor(max_workers=limit) as pool:
        pages = list(
            pool.map(lambda attempt: browser.sign_in("alice", "wrong password", attempt), failures)
        )
    assert all(INVALID_LOGIN in page for page in pages)
    request_lines = [f"POST /accounts/login/?attempt={a} HTTP/1.1" for a in failures]
    per_worker = Counter(live_app.worker_pids(log_dir, request_lines).values())
    assert None not in per_worker, "a request is missing from the access log"
    assert len(per_worker) > 1, "one worker served every failure"

    # No worker saw `limit` failures itself, yet the next attempts are refused, whichever
    # worker serves them, even with the right password.
    refusals = [f"refused-{number}" for number in range(6)]
    with ThreadPoolExecutor(max_workers=3) as pool:
        pages = list(
            pool.map(lambda attempt: browser.sign_in("alice", PASSWORD, attempt), refusals)
        )
    assert all(THROTTLED in page and INVALID_LOGIN not in page for page in pages)
    # An unknown username is refused alike once it reaches the limit.
    for number in range(limit):
        assert INVALID_LOGIN in browser.sign_in("nobody", "x", f"unknown-{number}")
    assert THROTTLED in browser.sign_in("nobody", "x", "unknown-refused")


@pytest.mark.django_db
def test_a_sign_in_without_a_password_neither_counts_nor_clears_failures(client, alice):
    for _ in range(2):
        _sign_in(client, "alice", "wrong password")

    response = _sign_in(client, "alice", "")  # no password: nothing is checked

    assert response.context["form"].errors["password"]
    assert LoginFailure.objects.filter(username="alice").count() == 2
    _sign_in(client, "alice", "wrong password")
    assert THROTTLED in _errors(_sign_in(client, "alice", PASSWORD))[0]
