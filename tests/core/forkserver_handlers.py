"""Calls for the fork-server tests (tests/core/test_forkserver.py): the module a test server
imports instead of the PDF engine."""

import os
import sys
import time


def loaded(state, name):
    """Whether the child has the module `name` loaded, and the child's and parent's pids."""
    return name in sys.modules, os.getpid(), os.getppid()


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
    "remember": remember,
    "recall": recall,
    "sleep": sleep,
    "allocate": allocate,
    "crash": crash,
    "die": die,
}
