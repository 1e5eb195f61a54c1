"""The fork server: heavy work runs in a child of a lean process (not of the app), keeps its
state for one session, and is stopped at the same time and memory limits as a child forked
from the app, with the same errors."""

import os
import time

import pytest

from core.forkserver import ForkServer
from core.isolation import IsolatedFailure, OutOfMemory, TimedOut

MB = 1024 * 1024
LIMITS = {"timeout": 20, "memory_bytes": 256 * MB}


@pytest.fixture(scope="module")
def server():
    server = ForkServer("tests.core.forkserver_handlers")
    yield server
    server.close()


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_calls_run_in_a_child_of_the_server_which_never_imported_django(server):
    import django  # noqa: F401 - loaded here, in the test process

    with server.session(**LIMITS) as session:
        django_loaded, child, parent = session.call("loaded", "django")

    assert not django_loaded
    assert parent == server.pid
    assert child not in (os.getpid(), server.pid)
    assert not _alive(child)


def test_the_modules_in_child_runs_in_each_child_not_in_the_server(server):
    with server.session(**LIMITS) as session:
        set_up_in = session.call("set_up_in")
        _django, child, _parent = session.call("loaded", "django")

    assert set_up_in == [child]


def test_a_session_keeps_its_state_between_calls_and_the_next_starts_afresh(server):
    with server.session(**LIMITS) as session:
        session.call("remember", "the body")
        assert session.call("recall") == "the body"
    with server.session(**LIMITS) as session:
        assert session.call("recall") is None


def test_the_usage_reports_the_childs_cpu_time_and_peak_memory(server):
    with server.session(**LIMITS) as session:
        session.call("allocate", 64)

    usage = session.usage
    assert usage.peak_mb >= usage.start_mb + 60  # the 64 MB block, in rounded megabytes
    assert 0 < usage.cpu_seconds < 20


def test_a_child_over_its_time_is_killed_and_the_server_goes_on(server):
    started = time.monotonic()
    with (
        pytest.raises(TimedOut, match="took longer than 0.5 s"),
        server.session(timeout=0.5, memory_bytes=256 * MB) as session,
    ):
        session.call("sleep", 30)

    assert time.monotonic() - started < 5
    with server.session(**LIMITS) as session:
        assert session.call("sleep", 0) == "awake"


def test_a_child_over_its_memory_is_refused_with_out_of_memory(server):
    with pytest.raises(OutOfMemory), server.session(timeout=20, memory_bytes=64 * MB) as session:
        session.call("allocate", 256)
    with server.session(**LIMITS) as session:
        assert session.call("allocate", 16) == 16 * MB


def test_what_the_child_raised_comes_back_as_a_failure(server):
    with (
        pytest.raises(IsolatedFailure, match="the handler failed"),
        server.session(**LIMITS) as session,
    ):
        session.call("crash")


def test_a_child_that_dies_without_an_answer_is_a_failure_with_its_status(server):
    with (
        pytest.raises(IsolatedFailure, match="ended without an answer"),
        server.session(**LIMITS) as session,
    ):
        session.call("die")


def test_a_server_that_went_away_is_started_again():
    server = ForkServer("tests.core.forkserver_handlers")
    try:
        with server.session(**LIMITS) as session:
            session.call("recall")
        first = server.pid
        os.kill(first, 9)
        os.waitpid(first, 0)

        with server.session(**LIMITS) as session:
            assert session.call("recall") is None

        assert server.pid not in (None, first)
    finally:
        server.close()


def test_the_server_ends_when_the_app_closes_it():
    server = ForkServer("tests.core.forkserver_handlers")
    with server.session(**LIMITS) as session:
        session.call("recall")
    pid = server.pid

    server.close()

    assert not _alive(pid)


def test_a_server_started_ahead_serves_the_first_session():
    server = ForkServer("tests.core.forkserver_handlers")
    try:
        server.start()
        pid = server.pid

        with server.session(**LIMITS) as session:
            _django, _child, parent = session.call("loaded", "django")

        assert pid is not None
        assert parent == pid == server.pid
    finally:
        server.close()
