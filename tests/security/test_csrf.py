"""Cross-site request forgery: no write without the token, and reading never writes.

The test client normally skips the CSRF check; here it enforces it, as a browser's request
from another site would meet it. Each write is first made ready to succeed (a valid
submission, by a role that may make it, with the records in the state it needs), so a 403 is
the token's doing and not the form's; the same request with the token then goes through.
"""

import contextlib

import pytest
from django.db import transaction
from django.urls import reverse

from core.models import AuditEntry
from tests.security.conftest import (
    ACCESS,
    ACTIONS,
    OK,
    READ_AUDIT_ACTIONS,
    ROLES,
    SIGNED_OUT,
    SUPPLIER_PAGES,
    Rollback,
    WriteCheck,
    changed_tables,
    db_state,
    encode,
    finish,
    first_allowed,
    matches,
    new_client,
    signed_in,
    stored_files,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quiet_request_log")]

WRONG_TOKEN = "x" * 32


@contextlib.contextmanager
def undone():
    """Whatever happens inside is rolled back, so the next write finds the same records."""
    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


def _csrf_client(world, role):
    if role == "anonymous":
        return new_client(enforce_csrf_checks=True)
    return signed_in(world.users[role], enforce_csrf_checks=True)


def _token(client):
    """The CSRF cookie the sign-in page sets, as a page's form would post it back."""
    client.get(reverse("login"))
    return client.cookies["csrftoken"].value


def test_every_write_is_refused_without_the_token_and_changes_nothing(world, media_root):
    problems = []
    for key, action in ACTIONS.items():
        with undone():
            if action.prepare:
                action.prepare(world)
            client = _csrf_client(world, action.role)
            url = world.url(action.url_name)
            data = action.data(world)
            before, files = db_state(), stored_files(media_root)

            refused = [
                ("no cookie, no token", client.post(url, encode(data))),
                ("PUT", client.put(url)),
                ("DELETE", client.delete(url)),
            ]
            token = _token(client)
            refused += [
                ("cookie, no token", client.post(url, encode(data))),
                (
                    "wrong token",
                    client.post(url, {**encode(data), "csrfmiddlewaretoken": WRONG_TOKEN}),
                ),
                (
                    "wrong header",
                    client.post(url, encode(data), headers={"X-CSRFToken": WRONG_TOKEN}),
                ),
            ]
            for how, response in refused:
                finish(response)
                if response.status_code != 403:
                    problems.append(f"{key}, {how}: {response.status_code}, not 403")
            if changed := changed_tables(before, db_state()):
                problems.append(f"{key} without a valid token changed {changed}")
            if stored_files(media_root) != files:
                problems.append(f"{key} without a valid token stored a file")

            # The control: with the token, the same submission goes through and writes.
            accepted = client.post(url, {**encode(data), "csrfmiddlewaretoken": token})
            finish(accepted)
            if not (matches(accepted, OK) or matches(accepted, SIGNED_OUT)):
                problems.append(f"{key} with the token: {accepted.status_code}")
            elif not changed_tables(before, db_state()):
                problems.append(f"{key} with the token changed nothing: the control is void")

    assert problems == []


# URLs no role may use while single sign-on is off (the tests' default).
# The supplier's pages take a session of their own; tests/portal/test_security.py checks
# their CSRF protection.
UNUSED = {"oidc_authentication_init", "oidc_authentication_callback", *SUPPLIER_PAGES}


def test_pages_that_answer_post_refuse_it_without_the_token(world):
    """Reading pages that also answer POST: the CSRF check runs before any view."""
    problems = []
    writes = {action.url_name for action in ACTIONS.values()}
    reads = [
        name
        for name in ACCESS
        if name not in writes and name not in UNUSED and first_allowed(name)[1] == "get"
    ]
    for name in reads:
        role, _method = first_allowed(name)
        if ACCESS[name].post[role] != OK:
            continue
        with undone():
            client = _csrf_client(world, role)
            url = world.url(name)
            response = client.post(url)
            finish(response)
            if response.status_code != 403:
                problems.append(f"{name}: {response.status_code}")
            token = _token(client)
            response = client.post(url, {"csrfmiddlewaretoken": token})
            finish(response)
            if response.status_code == 403:
                problems.append(f"{name} with the token: 403")

    assert len(reads) >= 8
    assert problems == []


def test_get_never_changes_state_for_any_role(world, clients, media_root):
    """GET every URL as every role (and HEAD and OPTIONS as Procurement): nothing is written.

    The one exception is by design: a download or an export is put on record, so one audit
    entry of a download or an export (READ_AUDIT_ACTIONS) is the only row a GET may add.
    """
    problems = []
    files = stored_files(media_root)
    read_audit = AuditEntry.objects.filter(action__in=READ_AUDIT_ACTIONS)
    requests = [(role, "get") for role in ("anonymous", *ROLES)]
    requests += [("procurement", "head"), ("procurement", "options")]
    for role, method in requests:
        client = clients[role]
        for name in ACCESS:
            check, on_record = WriteCheck(), read_audit.count()
            response = getattr(client, method)(world.url(name))
            finish(response)
            added = read_audit.count() - on_record
            changes = check.changes()
            if added:  # the audit entry of a download is allowed, and nothing else
                changes = [] if changes == [f"{added} row(s) written"] and added == 1 else changes
            if changes:
                problems.append(f"{method.upper()} {name} as {role}: {changes}")

    assert problems == []
    assert stored_files(media_root) == files
    # The downloads and exports did put themselves on record, once per successful request.
    # GET: evidence, the supplier's file, the decision attachment, the MDF's and the training
    # summary's source files and both exports for 4 roles, documents for 2; HEAD: all 8.
    # OPTIONS is not allowed on pages that only read.
    assert read_audit.count() == 7 * 4 + 2 + 8


def test_downloads_on_get_add_only_their_audit_entry(world, clients):
    """The exception above, shown: a download adds one audit entry and nothing else."""
    before, before_allowed = db_state(), db_state(allow_read_audit=True)
    response = clients["legal"].get(world.url("contracts:document_download"))
    finish(response)
    assert response.status_code == 200

    assert changed_tables(before, db_state()) == ["core_auditentry"]
    assert changed_tables(before_allowed, db_state(allow_read_audit=True)) == []
