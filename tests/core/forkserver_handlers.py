"""Calls for the fork-server tests (tests/core/test_forkserver.py): the module a test server
imports instead of the PDF engine."""

import os
import sys
import time

CHILD_PIDS = []


def in_child():
    CHILD_PIDS.append(os.getpid())


def loaded(state, name):
    """Whether the child has the module `name` loaded, and the child's and parent's pids."""
    return name in sys.modules, os.getpid(), os.getppid()


def set_up_in(state):
    """The pids `in_child` ran in, as this child sees them."""
    return list(CHILD_PIDS)


def remember(state, value):
    state["value"] = value


def recall(state):
    return state.get("value")


def sleep(state, seconds):
    time.sleep(seconds)
    return "awake"


def allocate(state, megabytes):
    block = bytearray(megabytes * 1024 * 1024)  # zero-filled: every page is touched
    return len(block)


def crash(state):
    raise RuntimeError("the handler failed")


def die(state):
    os._exit(3)


HANDLERS = {
    "loaded": loaded,
    "set_up_in": set_up_in,
    "remember": remember,
    "recall": recall,
    "sleep": sleep,
    "allocate": allocate,
    "crash": crash,
    "die": die,
}
