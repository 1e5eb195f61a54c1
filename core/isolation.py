"""Run a heavy function in a child process with a wall-clock and a memory limit.

For work whose cost depends on what users wrote (rendering a document): a clause that takes
minutes or gigabytes to lay out must cost the request a clear refusal, not the worker. The
child is forked from the worker, so it starts at once with everything the worker has loaded
(templates, fonts); it gets an address-space limit (RLIMIT_AS) above what it inherited and a
CPU-time limit, and it is killed when the wall-clock limit passes. Its result comes back
through a pipe. The child never touches the database: it leaves with `os._exit`, so the
worker's connections, files and exit handlers stay the worker's.

Works under gunicorn's sync workers and Django's development server alike (the child only
ever runs the function it was given, in its one thread).
"""

import os
import resource
import select
import signal
import time
import traceback

_RESULT, _OUT_OF_MEMORY, _ERROR = b"R", b"M", b"E"
_CHUNK = 1024 * 1024


class IsolatedFailure(Exception):
    """The function failed, was killed or ran out of its limits; the message says which."""


class TimedOut(IsolatedFailure):
    pass


class OutOfMemory(IsolatedFailure):
    pass


def _address_space_in_use():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _run_child(function, args, timeout, memory_bytes):
    """In the child: set the limits, run, and return the bytes to send to the parent."""
    try:
        limit = _address_space_in_use() + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        cpu = max(1, int(timeout) + 1)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        result = function(*args)
        if not isinstance(result, bytes):
            raise TypeError(f"{function.__name__} returned {type(result).__name__}, not bytes")
        return _RESULT + result
    except MemoryError:
        return _OUT_OF_MEMORY
    except BaseException:  # noqa: BLE001 - anything the function raised goes to the parent
        return _ERROR + traceback.format_exc(limit=-5).encode("utf-8", "replace")[-4000:]


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view[:_CHUNK])
        view = view[written:]


def _read_all(fd, deadline):
    """Everything the child writes before it closes the pipe; None when the deadline passes."""
    parts = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            return None
        chunk = os.read(fd, _CHUNK)
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)


def run_isolated(function, *args, timeout, memory_bytes):
    """`function(*args)`, which must return bytes, run in a child process.

    Raises TimedOut after `timeout` seconds, OutOfMemory when it needs more than
    `memory_bytes` of address space beyond what the worker had, and IsolatedFailure when it
    raised or died; the child is gone in every case when this returns.
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.close(read_fd)
            _write_all(write_fd, _run_child(function, args, timeout, memory_bytes))
        finally:
            os._exit(0)
    os.close(write_fd)
    data = None
    try:
        data = _read_all(read_fd, time.monotonic() + timeout)
    finally:
        os.close(read_fd)
        if data is None:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if data is None:
        raise TimedOut(f"{function.__name__} took longer than {timeout:g} s and was stopped.")
    if data[:1] == _RESULT:
        return data[1:]
    if data[:1] == _OUT_OF_MEMORY:
        raise OutOfMemory(f"{function.__name__} needed more than {memory_bytes} bytes.")
    if data[:1] == _ERROR:
        raise IsolatedFailure(data[1:].decode("utf-8", "replace"))
    # No answer at all: killed by a signal (CPU limit, the kernel's out-of-memory killer).
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
        raise TimedOut(f"{function.__name__} used more than {timeout:g} s of CPU time.")
    raise IsolatedFailure(f"{function.__name__} ended without an answer (status {status}).")
