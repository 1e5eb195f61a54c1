"""A real browser (the system's Chromium, driven by Playwright) against a live server."""

import os

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# Generating a document renders it within the request (contracts.limits), which on a machine
# running the suite in parallel beside other work can take longer than an ordinary wait.
RENDER_WAIT_MS = 120_000


def pytest_collection_modifyitems(items):
    # Slow, and the database under them makes no difference to what they check: `.ci/run`
    # runs them in the SQLite pass only (`-m "not browser"` on PostgreSQL).
    for item in items:
        if item.path.parent.name == "e2e":
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    # While Playwright runs, Django looks up database connections per async context rather
    # than per thread, and would open new ones without the test database's serialized
    # contents; later transactional tests would then lose the groups made by migrations.
    # Keep using the connections this thread already has.
    thread_connections = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # The loop also makes Django refuse ORM calls from this thread. Nothing else runs
        # in that loop, so the calls are safe; the variable is set only while it runs.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, connection in thread_connections.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab with its own cookies; relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()
