import os

import pytest
from django import forms
from django.core.cache import cache
from django.test import Client, override_settings
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings

from contracts import queries as contract_queries
from core.roles import CHECKLIST_ADMIN, LEGAL, PROCUREMENT, VIEWER
from identity import second_factor
from tests.factories import UserFactory

# A real SMTP server on loopback for the tests that read the email the app sends.
from tests.mail import smtp_inbox  # noqa: F401

# Fixtures of the background jobs and of the servers a deployment on several machines shares.
from tests.shared_services import object_storage, object_store, redis_server, shared_cache  # noqa: F401
from tests.workers import database_tasks  # noqa: F401

# Property-based tests (Hypothesis). "ci", the default: a bounded, repeatable number of
# examples, so `make test` stays within minutes. HYPOTHESIS_PROFILE=thorough: many more, new
# ones on each run. Examples run in savepoints of one test, so function-scoped fixtures are
# shared on purpose.
_HYPOTHESIS_COMMON = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
}
# No explain phase in the everyday profile: it traces every line of a failing example, which
# turns a failure report of seconds into minutes.
hypothesis_settings.register_profile(
    "ci",
    max_examples=6,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    **_HYPOTHESIS_COMMON,
)
hypothesis_settings.register_profile("thorough", max_examples=150, **_HYPOTHESIS_COMMON)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session", autouse=True)
def media_root_of_this_process(tmp_path_factory):
    """Files that a test stores without a MEDIA_ROOT of its own (the live server of a browser
    journey, say) go to a directory of this test process: var/media is the working tree's,
    and shared by the processes of a parallel run."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests only need passwords to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Production stops a document render after DOCUMENT_RENDER_TIMEOUT_SECONDS of wall-clock time.
# The suite runs in one process per core, often beside other work, where an ordinary PDF can
# take longer than that; tests of the limit itself (tests/contracts/test_render_limits.py) set
# their own.
SUITE_RENDER_TIMEOUT_SECONDS = 300


@pytest.fixture(autouse=True)
def render_time_limit_for_a_busy_machine(settings):
    settings.DOCUMENT_RENDER_TIMEOUT_SECONDS = SUITE_RENDER_TIMEOUT_SECONDS


# The Client's own force_login, for tests of the second factor itself.
force_login_password_only = Client.force_login


@pytest.fixture(autouse=True)
def force_login_signs_in_with_both_factors(monkeypatch):
    """`client.force_login(user)` stands for a completed sign-in: password and, where one is
    due, the second factor, as the verify page leaves the session. Tests of two-factor
    sign-in sign in through the sign-in page, or with `force_login_password_only`."""

    def force_login(client, user, backend=None):
        force_login_password_only(client, user, backend)
        session = client.session
        session[second_factor.STATE_KEY] = second_factor.DONE
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def empty_cache():
    # The cache lives in the process; one test's entries must not answer the next one.
    cache.clear()
    contract_queries.forget_versions_read()
    yield
    cache.clear()
    contract_queries.forget_versions_read()


@pytest.fixture
def procurement_user(db):
    return UserFactory(username="procurement", role=PROCUREMENT)


@pytest.fixture
def legal_user(db):
    return UserFactory(username="legal", role=LEGAL)


@pytest.fixture
def checklist_admin_user(db):
    return UserFactory(username="checklist-admin", role=CHECKLIST_ADMIN)


@pytest.fixture
def viewer_user(db):
    return UserFactory(username="viewer", role=VIEWER)


@pytest.fixture
def outsider_user(db):
    """Signed in, but in no group: may see nothing."""
    return UserFactory(username="outsider")


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def procurement_client(procurement_user):
    return _signed_in(procurement_user)


@pytest.fixture
def legal_client(legal_user):
    return _signed_in(legal_user)


@pytest.fixture
def checklist_admin_client(checklist_admin_user):
    return _signed_in(checklist_admin_user)


@pytest.fixture
def viewer_client(viewer_user):
    return _signed_in(viewer_user)


@pytest.fixture
def outsider_client(outsider_user):
    return _signed_in(outsider_user)


def _submitted_value(bound_field):
    """The value a browser sends for a rendered field, or None if it sends nothing."""
    widget = bound_field.field.widget
    value = bound_field.value()
    if isinstance(widget, forms.CheckboxInput):
        return "on" if widget.check_test(value) else None
    formatted = widget.format_value(value)
    if getattr(widget, "allow_multiple_selected", False):
        return formatted
    if isinstance(formatted, list):  # a single select renders its value as a one-item list
        return formatted[0] if formatted else ""
    return "" if formatted is None else formatted


@pytest.fixture
def form_data():
    """Read forms from a page's context and return what submitting them unchanged would POST.

    Tests change a few values in the result and post it back, as a person would.
    """

    def read(*forms_on_page):
        data = {}
        for form in forms_on_page:
            for bound_field in form:
                value = _submitted_value(bound_field)
                if value is not None:
                    data[bound_field.html_name] = value
        return data

    return read
