"""A lean process that forks a child for each piece of heavy work, within the same limits as
`core.isolation.run_isolated`.

A child forked from the app's own process starts with everything the app has loaded: Django,
every app, their caches; about 120 MB that the child never uses but that count against it.
A fork server is a fresh interpreter that imports one module (and only what that module
imports), warms it up and then only forks: each child starts with what the work needs.

The app talks to the server over a control socket: for each session it sends the limits and
one end of a new socket pair, the server forks a child that answers calls on that socket, and
reports the child's exit status and resource use (`wait4`: its peak RSS and CPU time) once it
is gone. The child keeps its state from one call to the next, so a session can be a short
conversation (lay out, then finish with what the layout gave). Calls name a function of the
module's HANDLERS; arguments and results are pickled (both ends are this app's code). The
module's `warm_up()`, if it has one, runs once in the server; its `in_child()` in each child.

    python -m core.forkserver MODULE FD   # started by ForkServer, not by hand
"""

import gc
import importlib
import os
import pickle
import resource
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from core.isolation import IsolatedFailure, OutOfMemory, TimedOut

ROOT = Path(__file__).resolve().parent.parent
# How long a fresh server may take to import its module and warm up.
START_TIMEOUT = 60
# How long the server may take to reap a child that was told to stop or was killed.
REAP_TIMEOUT = 10
_READY = b"ready"
# The server's report of a child that has ended: wait status, CPU seconds, peak RSS in KiB.
_REPORT = struct.Struct("!idq")


@dataclass
class Usage:
    """What a child used, from `wait4` in the server, and its RSS when it started."""

    cpu_seconds: float
    peak_mb: float
    start_mb: float


# The server ---------------------------------------------------------------------------------


def _rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def _address_space_in_use():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _child(module, channel, timeout, memory_bytes):
    """In the child: set the limits, then answer calls until the app closes the channel."""
    state = {}
    try:
        limit = _address_space_in_use() + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        cpu = max(1, int(timeout) + 1)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        if hasattr(module, "in_child"):
            module.in_child()
        channel.send(("ready", _rss_mb()))
        while True:
            try:
                name, args = channel.recv()
            except EOFError:
                break
            try:
                channel.send(("ok", module.HANDLERS[name](state, *args)))
            except MemoryError:
                state.clear()
                channel.send(("memory", None))
            except BaseException:  # noqa: BLE001 - whatever the handler raised goes to the app
                channel.send(("error", traceback.format_exc(limit=-5)[-4000:]))
    finally:
        os._exit(0)


def serve(module_name, control_fd):
    """The server's loop: one child at a time, each reported when it has ended."""
    # Ctrl-C at a development server reaches its whole process group: the server ends when the
    # app does (its control socket closes), not before.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    module = importlib.import_module(module_name)
    if hasattr(module, "warm_up"):
        module.warm_up()
    # What the server has loaded outlives every child: their collections need not walk it.
    gc.collect()
    gc.freeze()
    control = socket.socket(fileno=control_fd)
    control.sendall(_READY)
    while True:
        try:
            message, fds, _flags, _address = socket.recv_fds(control, 256, 1)
        except OSError:
            return
        if not message:  # the app has gone
            return
        timeout, memory_bytes = pickle.loads(message)  # noqa: S301 - from the app itself
        [fd] = fds
        pid = os.fork()
        if pid == 0:
            control.close()
            _child(module, Connection(fd), timeout, memory_bytes)
        os.close(fd)
        if not _watch(control, pid):
            return


def _watch(control, pid):
    """Wait for the child, killing it when the app asks (or has gone); report its end.
    False when the app has gone."""
    app_here = True
    with _pidfd(pid) as child:
        while True:
            ready, _, _ = select.select([child, control], [], [])
            if control in ready:
                request = control.recv(1)
                app_here = app_here and request != b""
                # Killed here, before it is reaped: its pid cannot belong to another process.
                os.kill(pid, signal.SIGKILL)
                if not app_here:
                    select.select([child], [], [])
            if child in ready or not app_here:
                break
    _pid, status, usage = os.wait4(pid, 0)
    if app_here:
        try:
            control.sendall(_REPORT.pack(status, usage.ru_utime + usage.ru_stime, usage.ru_maxrss))
        except OSError:
            return False
    return app_here


@contextmanager
def _pidfd(pid):
    fd = os.pidfd_open(pid)
    try:
        yield fd
    finally:
        os.close(fd)


# The app's side -----------------------------------------------------------------------------


class Session:
    """One child's calls; its limits run from the start of the session."""

    def __init__(self, connection, deadline, timeout, name):
        self._connection, self._deadline = connection, deadline
        self._timeout, self._name = timeout, name
        self.start_mb = None
        self.usage = None  # set when the session has ended

    def _receive(self):
        remaining = self._deadline - time.monotonic()
        if remaining <= 0 or not self._connection.poll(remaining):
            raise _Late
        try:
            return self._connection.recv()
        except EOFError:
            raise _Gone from None

    def call(self, name, *args):
        """`HANDLERS[name](state, *args)` in the child; its result, or the failure raised."""
        try:
            self._connection.send((name, args))
        except OSError:
            raise _Gone from None
        answer, value = self._receive()
        if answer == "memory":
            raise OutOfMemory(f"{self._name} needed more memory than its limit.")
        if answer == "error":
            raise IsolatedFailure(value)
        return value


class _Late(Exception):
    pass


class _Gone(Exception):
    pass


class ForkServer:
    """The fork server of one module, started on first use and again if it went away.

    One session at a time per server (a lock); a process that inherited the object through a
    fork starts a server of its own.
    """

    def __init__(self, module_name):
        self.module_name = module_name
        self._lock = threading.Lock()
        self._process = self._control = self._owner = None

    def _running(self):
        if self._owner == os.getpid() and self._process.poll() is None:
            return self._control
        if self._owner == os.getpid():
            self.close()
        ours, theirs = socket.socketpair()
        path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": path}
        process = subprocess.Popen(  # noqa: S603 - this interpreter and a module of the app
            [sys.executable, "-m", "core.forkserver", self.module_name, str(theirs.fileno())],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, cwd=ROOT, env=env,
        )  # fmt: skip
        theirs.close()
        ours.settimeout(START_TIMEOUT)
        try:
            ready = ours.recv(5)
        except OSError:
            ready = b""
        ours.settimeout(None)
        if ready != b"ready":
            process.kill()
            process.wait()
            ours.close()
            raise IsolatedFailure(f"The fork server of {self.module_name} did not start.")
        self._process, self._control, self._owner = process, ours, os.getpid()
        return ours

    def start(self):
        """Start the server now rather than at the first session (which would wait for it)."""
        with self._lock:
            self._running()

    def close(self):
        """Stop the server (it ends when its control socket closes)."""
        if self._control is not None and self._owner == os.getpid():
            self._control.close()
            try:
                self._process.wait(timeout=REAP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = self._control = self._owner = None

    @property
    def pid(self):
        """The server's process id, or None before it started."""
        return self._process.pid if self._owner == os.getpid() else None

    @contextmanager
    def session(self, *, timeout, memory_bytes):
        """A child for a session of calls, stopped after `timeout` seconds from now, with
        `memory_bytes` of address space beyond what it started with; TimedOut, OutOfMemory or
        IsolatedFailure as `run_isolated` raises them. `session.usage` is set at the end."""
        with self._lock:
            control = self._running()
            ours, theirs = socket.socketpair()
            try:
                socket.send_fds(control, [pickle.dumps((timeout, memory_bytes))], [theirs.fileno()])
            except OSError:
                self.close()
                raise IsolatedFailure(f"The fork server of {self.module_name} went away.") from None
            finally:
                theirs.close()
            connection = Connection(ours.detach())
            session = Session(connection, time.monotonic() + timeout, timeout, self.module_name)
            failure = None
            try:
                _answer, session.start_mb = session._receive()
                yield session
            except _Late:
                failure = TimedOut(
                    f"{self.module_name} took longer than {timeout:g} s and was stopped."
                )
            except _Gone:
                failure = IsolatedFailure(f"{self.module_name} ended without an answer.")
            finally:
                connection.close()
                status = self._reap(control, kill=failure is not None, session=session)
            if failure is None:
                return
            if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
                failure = TimedOut(f"{self.module_name} used more than {timeout:g} s of CPU time.")
            elif not isinstance(failure, TimedOut):
                failure = IsolatedFailure(f"{failure} (status {status})")
            raise failure

    def _reap(self, control, *, kill, session):
        """The child's wait status, reported by the server once it has ended; the server
        kills it first when asked. The usage goes to the session."""
        control.settimeout(REAP_TIMEOUT)
        try:
            if kill:
                control.sendall(b"k")
            report = control.recv(_REPORT.size, socket.MSG_WAITALL)
            status, cpu_seconds, peak_kib = _REPORT.unpack(report)
        except (OSError, struct.error):
            # A server that does not answer is of no more use: the next session starts another.
            self.close()
            return 0
        control.settimeout(None)
        session.usage = Usage(cpu_seconds, round(peak_kib / 1024, 1), session.start_mb)
        return status


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
