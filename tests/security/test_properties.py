"""No 500, no bypass, no stored control character: properties of every form, admin page and
import, checked with generated hostile input (Hypothesis).

The targets are discovered, not listed: every URL of the URLconf (the access table of
conftest.py must name each one, or test_access fails), with the fields its pages render and
the valid submission of `ACTIONS`; every model of the admin, with its add, change, history
and list pages; the register import, with generated CSV and JSON files. For each, as every
role, Hypothesis posts a valid submission with some fields replaced by hostile values: very
long texts, huge and malformed numbers, NUL and other control characters, bidirectional and
zero-width characters, mixed scripts, malformed dates and ids, lists where one value is
expected, and extra fields. Each request runs in a savepoint that is rolled back. It asserts:

- the answer is never a server error (the test client raises what the view raised);
- a role that may not change the target writes nothing;
- nothing stored anywhere holds a NUL, a control, bidirectional or zero-width character, or
  text that is not in normal form C (`core.text.is_normalised`).

`make test` runs a bounded, derandomised number of examples per target (the "ci" profile of
tests/conftest.py); `HYPOTHESIS_PROFILE=thorough` runs many more, with new examples each time.
"""

import contextlib
import csv
import io
import json
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models, transaction
from django.urls import NoReverseMatch, reverse
from hypothesis import given
from hypothesis import strategies as st

from core.text import is_normalised
from tests.factories import UserFactory
from tests.security.conftest import (
    ACCESS,
    ACTIONS,
    OK,
    SIGNED_OUT,
    STAFF,
    Rollback,
    Upload,
    WriteCheck,
    db_state,
    encode,
    finish,
    is_login_redirect,
    signed_in,
    url_patterns,
)
from tests.security.pages import page_forms
from tests.security.test_admin import _admin_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quiet_request_log")]

ROLES = ("anonymous", *STAFF, "reviewer")
APPS = (
    "core",
    "vendors",
    "diligence",
    "contracts",
    "documentation",
    "overview",
    "api",
    "identity",
    "auth",
)

# Hostile values ---------------------------------------------------------------------------

CONTROLS = (
    "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\x9f"  # C0, DEL, C1
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidi
    "\u200b\u2060\ufeff\u180e"  # zero-width
)
MIXED_SCRIPTS = "aZ09 éß日本語עבריתالعربيةΩЖ𝔘😀\u0301\u200d\u200c\t\n\r"
MARKUP = "<>\"'&{}%;,.-_/\\#@=+"

hostile_text = st.text(
    alphabet=st.sampled_from(list(CONTROLS + MIXED_SCRIPTS + MARKUP)), min_size=1, max_size=30
)
# Exactly `length` characters: past every field's limit, without the megabytes that a
# repeated piece would reach and that only make each request slower.
very_long_text = st.builds(
    lambda piece, length: (piece * length)[:length],
    hostile_text,
    st.sampled_from([300, 5_000, 60_000]),
)
numbers = st.one_of(
    st.integers(-(10**40), 10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(
        [
            "1e1000000",
            "-1e1000000",
            "9" * 5000,
            "NaN",
            "Infinity",
            "-0",
            "0x10",
            "1_000",
            "١٢٣",
            "3.8 × 10^999999",
            "1e-1000000",
        ]
    ),
)
malformed_dates = st.sampled_from(
    [
        "2025-02-30",
        "0000-00-00",
        "9999-12-31",
        "0001-01-01",
        "2025-13-01",
        "31/12/2025",
        "2025-1-1",
        "20250101",
        "yesterday",
        "2025-02-28T25:61",
        "-2025-01-01",
        "10000-01-01",
    ]
)
malformed_ids = st.sampled_from(["0", "-1", "987654321", "9" * 30, "1.5", "abc", "", " 1"])
single_value = st.one_of(
    hostile_text, very_long_text, numbers, malformed_dates, malformed_ids, st.just("")
)
hostile_value = st.one_of(single_value, st.lists(single_value, min_size=2, max_size=3))
extra_fields = st.dictionaries(
    st.sampled_from(
        [
            "id",
            "pk",
            "status",
            "created_by",
            "updated_by",
            "version",
            "revision",
            "archived_at",
            "is_demo",
            "sha256",
            "storage_name",
            "owner",
            "supplier",
            "assessment",
            "is_superuser",
            "x" * 300,
            "\u202ename",
        ]
    ),
    hostile_value,
    max_size=3,
)


def _mdf_json(text):
    return json.dumps(
        {"document_version": "1", "last_updated": "2026-01-31", "fields": {"architecture": text}}
    ).encode()


def _summary_md(text):
    return f"## 1.1 Provider identification\nMistral {text}\n## 3.1 Opt-outs\n{text}\n".encode(
        "utf-8", "surrogatepass"
    )


def _epoch_csv(text):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Model", "Organization", "Training compute (FLOP)", "Confidence"])
    writer.writerow(["Mistral Medium 3", f"Mistral AI{text}", "2.0e24", text])
    return buffer.getvalue().encode("utf-8", "surrogatepass")


# Files the documentation app reads text from: hostile text inside a file that otherwise reads.
HOSTILE_CONTENT = {
    "mdf.json": _mdf_json,
    "summary.md": _summary_md,
    "notable_ai_models.csv": _epoch_csv,
}


@st.composite
def hostile_file(draw, original):
    """An upload like `original` with a hostile name, content or both."""
    if original.name in HOSTILE_CONTENT and draw(st.booleans()):
        content = HOSTILE_CONTENT[original.name](draw(hostile_text))
        return Upload(original.name, content, original.content_type)
    name = draw(st.one_of(st.just(original.name), hostile_text.map(lambda t: t + ".pdf")))
    if original.name.endswith(".csv"):  # a register: hostile cells, as CSV or JSON
        cells = draw(st.lists(single_value, min_size=1, max_size=4))
        rows = [
            {
                "provider": cell,
                "chapters": draw(st.one_of(st.just("all"), single_value)),
                "date": draw(st.one_of(st.just("2025-08-01"), malformed_dates, single_value)),
                "source_url": "https://digital-strategy.ec.europa.eu/",
            }
            for cell in cells
        ]
        if draw(st.booleans()):
            return Upload(name.removesuffix(".pdf") + ".json", json.dumps(rows).encode())
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        return Upload(name, buffer.getvalue().encode("utf-8", "surrogatepass"))
    content = draw(
        st.one_of(
            st.just(original.content),
            st.binary(max_size=2_000),
            st.binary(max_size=200).map(lambda b: b"%PDF-" + b),
            st.just(original.content[:40]),
        )
    )
    return Upload(name, content, original.content_type)


@st.composite
def submission(draw, base):
    """`base` (a valid submission) with some fields made hostile, and maybe extra ones."""
    data = dict(base)
    for name, value in base.items():
        if not draw(st.booleans()):
            continue
        if isinstance(value, Upload):
            data[name] = draw(hostile_file(value))
        else:
            data[name] = draw(hostile_value)
    data.update(draw(extra_fields))
    return data


# Probes: the valid submission with one field changed, for every field, as its writer, and with
# every field changed at once. They run on every run, before the generated examples, so that
# each field meets each kind of hostile value whatever the number of examples. Rows of an
# inline after its first are left to the generated examples.
PROBE_SUFFIX = "\u202eX\u200b\x07\u2066"
_LATER_INLINE_ROW = re.compile(r"-[1-9][0-9]*-")


def probes(base):
    texts = {
        name: value if isinstance(value, str) else str(value)
        for name, value in base.items()
        if not isinstance(value, Upload)
    }
    for name, text in texts.items():
        if _LATER_INLINE_ROW.search(name) or name.endswith(("TOTAL_FORMS", "INITIAL_FORMS")):
            continue
        yield {**base, name: text + PROBE_SUFFIX}
        yield {**base, name: text[:1] + "\x00" + text[1:]}
    for value in ("1e1000000", "9" * 5000, "2025-02-30"):
        yield {**base, **dict.fromkeys(texts, value)}
    # Text inside an imported file: with controls (a text file with them is refused as binary)
    # and without, so that what is read from the file is stored.
    for name, value in base.items():
        if isinstance(value, Upload) and value.name in HOSTILE_CONTENT:
            for text in (PROBE_SUFFIX, PROBE_SUFFIX.replace("\x07", ""), "a\x00b"):
                content = HOSTILE_CONTENT[value.name](text)
                yield {**base, name: Upload(value.name, content, value.content_type)}


# What may be stored -----------------------------------------------------------------------


def _text_fields(model):
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField, models.JSONField))
    ]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def stored_text_problems():
    """Every stored text of the app's tables (history and audit included) that the text rule
    would change: (model, field, value)."""
    problems = []
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        fields = _text_fields(model)
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for name, value in zip(fields, row, strict=True):
                problems += [
                    (model._meta.label, name, text[:80])
                    for text in _strings(value)
                    if not is_normalised(text)
                ]
    return problems


def _role_client(world, role):
    return signed_in(world.users.get(role) if role != "anonymous" else None)


def _run(world, role, method, url, data, prepare=None):
    """One request in a savepoint that is rolled back: (response, what it wrote, stored
    text problems if it wrote)."""
    outcome = {}
    try:
        with transaction.atomic():
            if prepare:
                prepare(world)
            client = _role_client(world, role)  # signing in writes a session
            check = WriteCheck()
            response = getattr(client, method)(url, encode(data))
            finish(response)
            outcome["response"] = response
            outcome["changed"] = check.changes()
            outcome["problems"] = stored_text_problems() if outcome["changed"] else []
            raise Rollback
    except Rollback:
        pass
    return outcome["response"], outcome["changed"], outcome["problems"]


# The app's forms --------------------------------------------------------------------------


def _page_fields(world, name, role, url):
    """Fields of the forms on the GET page of `url` that post to it, with a plausible value."""
    if ACCESS[name].get.get(role) != OK:
        return {}
    response = _role_client(world, role).get(url)
    finish(response)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return {}
    fields = {}
    for form in page_forms(response.content.decode()):
        if form.method == "post" and form.action in ("", url):
            for field_name, values in form.fields.items():
                fields.setdefault(field_name, values[0] if values else "x")
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def _may_write(name, role):
    access = ACCESS[name].post
    role = "procurement" if role == "reviewer" else role
    if role == "anonymous":
        return access.get("procurement") == OK and ACCESS[name].public
    return access[role] in (OK, SIGNED_OUT)


def _post_targets(world):
    """(label, url name, writer role, valid submission, prepare) for every URL that takes POST."""
    targets = []
    for key, action in ACTIONS.items():
        targets.append((key, action.url_name, action.role, action.data(world), action.prepare))
    covered = {action.url_name for action in ACTIONS.values()}
    for name in url_patterns():
        if name in covered:
            continue
        writer = next((r for r in STAFF if ACCESS[name].post[r] in (OK, SIGNED_OUT)), None)
        if writer is not None:  # takes POST, but has no write of its own in ACTIONS
            targets.append((name, name, writer, {}, None))
    return targets


def _check_post_target(world, label, name, url, prepare, base, writer):
    def check(role, data):
        response, changed, problems = _run(world, role, "post", url, data, prepare)
        assert response.status_code < 500, (label, role, data)
        if not _may_write(name, role):
            assert changed == [], (label, role, response.status_code)
        if role == "anonymous" and not ACCESS[name].public:
            assert is_login_redirect(response), label
        assert problems == [], (label, problems)

    for data in probes(base):
        check(writer, data)

    @given(role=st.one_of(st.just(writer), st.sampled_from(ROLES)), data=submission(base))
    def holds(role, data):
        check(role, data)

    holds()


def test_every_app_form_holds_for_hostile_input_and_every_role(world, media_root):
    targets = _post_targets(world)
    assert {"supplier_update", "register_import", "evidence_add", "assessment_decide"} <= {
        label for label, *_ in targets
    }
    for label, name, writer, valid, prepare in targets:
        url = world.url(name)
        base = {**_page_fields(world, name, writer, url), **valid}
        _check_post_target(world, label, name, url, prepare, base, writer)


# Filters and other GET forms --------------------------------------------------------------


def _reader(name):
    return next((r for r in STAFF if ACCESS[name].get[r] == OK), None)


def _get_fields(world, name, url):
    """Fields of the GET forms (filters) on the page of `url`, with a plausible value."""
    reader = _reader(name)
    if reader is None:
        return None
    response = _role_client(world, reader).get(url)
    finish(response)
    fields = {}
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        for form in page_forms(response.content.decode()):
            if form.method == "get":
                fields.update({n: v[0] if v else "x" for n, v in form.fields.items()})
    return fields


def _check_get_target(world, name, url, base, reader):
    def check(role, data):
        try:
            with transaction.atomic():
                client = _role_client(world, role)  # signing in writes a session
                before = db_state(allow_read_audit=True)
                check = WriteCheck()
                response = client.get(url, data)
                finish(response)
                # Reading writes only the audit entries of downloads and exports.
                if check.changes():
                    assert db_state(allow_read_audit=True) == before, name
                raise Rollback
        except Rollback:
            pass
        assert response.status_code < 500, (name, role, data)

    for data in probes(base):
        check(reader, data)

    @given(role=st.one_of(st.just(reader), st.sampled_from(ROLES)), data=submission(base))
    def holds(role, data):
        check(role, data)

    holds()


def test_every_page_holds_for_hostile_query_strings(world, media_root):
    for name in url_patterns():
        url = world.url(name)
        base = _get_fields(world, name, url)
        if base is not None:
            _check_get_target(world, name, url, base, _reader(name))


# The admin --------------------------------------------------------------------------------


def _admin_users(world):
    for role in ("legal", "checklist_admin", "procurement", "viewer"):
        user = world.users[role]
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    world.users["superuser"] = UserFactory(username="root", is_staff=True, is_superuser=True)
    return ("anonymous", "superuser", *STAFF)


def _admin_targets(world):
    """(label, model admin, url, kind) for the add, change, history and list page of every
    model of the admin."""
    targets = []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        record = model._default_manager.order_by("-pk").first()
        targets.append((f"{meta.label} list", model_admin, reverse(f"{prefix}_changelist"), "list"))
        with contextlib.suppress(NoReverseMatch):  # a model the admin cannot add
            targets.append((f"{meta.label} add", model_admin, reverse(f"{prefix}_add"), "add"))
        if record is None:
            continue
        targets.append(
            (
                f"{meta.label} change",
                model_admin,
                reverse(f"{prefix}_change", args=[record.pk]),
                "change",
            )
        )
        if hasattr(model_admin, "history_form_view"):
            version = record.history.order_by("-history_id").first()
            if version is not None:
                url = reverse(f"{prefix}_simple_history", args=[record.pk, version.history_id])
                targets.append((f"{meta.label} revert", model_admin, url, "change"))
    return targets


def _admin_base(world, url, kind, form_data):
    client = _role_client(world, "superuser")
    page = client.get(url)
    if kind == "list":
        forms = page_forms(page.content.decode())
        fields = {}
        for form in forms:
            if form.method == "post":
                fields.update({n: v[0] if v else "x" for n, v in form.fields.items()})
        fields.pop("csrfmiddlewaretoken", None)
        return fields
    if page.status_code != 200 or page.context is None or "adminform" not in page.context:
        return {}
    return _admin_form_data(page, form_data)


def _may_change_in_admin(user, model):
    if user is None or not user.is_active or not user.is_staff:
        return False
    meta = model._meta
    return any(
        user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}")
        for action in ("add", "change", "delete")
    )


def _check_admin_target(world, roles, label, model, url, base):
    def check(role, data):
        response, changed, problems = _run(world, role, "post", url, data)
        assert response.status_code < 500, (label, role, data)
        if not _may_change_in_admin(world.users.get(role), model):
            assert changed == [], (label, role, response.status_code)
        if label.endswith("revert"):  # version pages are read-only for everyone
            assert changed == [], (label, role, response.status_code)
        assert problems == [], (label, problems)

    for data in probes(base):
        check("superuser", data)

    @given(role=st.one_of(st.just("superuser"), st.sampled_from(roles)), data=submission(base))
    def holds(role, data):
        check(role, data)

    holds()


def test_every_admin_page_holds_for_hostile_input_and_every_role(world, media_root, form_data):
    roles = _admin_users(world)
    targets = _admin_targets(world)
    assert {"vendors.Supplier revert", "contracts.Clause change", "auth.User add"} <= {
        label for label, *_ in targets
    }
    for label, model_admin, url, kind in targets:
        base = _admin_base(world, url, kind, form_data)
        _check_admin_target(world, roles, label, model_admin.model, url, base)
