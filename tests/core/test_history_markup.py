"""The change history block is rendered by Jinja2 (templates/core/_history.jinja); it reads
exactly as the Django template gave it before (tests/core/data/history_before.html is that
template as it was), hostile text, people without an account and time zones included."""

import datetime
from pathlib import Path

import pytest
from django.template import engines
from django.test import override_settings
from django.utils import timezone

from core.audit import audit_entries_for, audit_log
from core.history import Change
from tests.factories import SupplierFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> & \"quoted\" {{ x }} {% y %}"
BEFORE = engines["django"].from_string(
    (Path(__file__).parent / "data" / "history_before.html").read_text()
)
ROWS = engines["django"].from_string(
    '{% load rows %}{% rows "core/_history.jinja" history=history audit_entries=audit_entries %}'
)


def _both(context):
    return BEFORE.render(context), ROWS.render(context)


@pytest.fixture
def history():
    person = UserFactory(username="o'brien\"<b>")
    when = timezone.make_aware(datetime.datetime(2026, 3, 29, 0, 30), datetime.UTC)
    return [
        Change(when, person, f"Signature: {HOSTILE}", "changed", [(HOSTILE, "—", HOSTILE)]),
        Change(when - datetime.timedelta(days=40), None, "Supplier", "created with its x", []),
        Change(when, HOSTILE, "Model", "deleted", [("Name", "a", "b"), ("Note", "'", '"')]),
    ]


@pytest.fixture
def audit_entries():
    supplier = SupplierFactory(signatures=False)
    audit_log(actor=UserFactory(username="a&b"), action="x", target=supplier, summary=HOSTILE)
    audit_log(actor=None, action="y", target=supplier, data={"actor_label": HOSTILE})
    audit_log(actor=None, action="z", target=supplier, summary="plain")
    return audit_entries_for(supplier)[:20]


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/New_York"])
def test_history_block_reads_as_the_django_template_did(history, audit_entries, zone):
    with override_settings(TIME_ZONE=zone):
        before, after = _both({"history": history, "audit_entries": audit_entries})

    assert after == before
    assert HOSTILE not in after
    assert after.count("<li>") == 3 + 3 + 3  # three actions, three changes, three fields


def test_empty_history_block_reads_as_the_django_template_did():
    before, after = _both({"history": [], "audit_entries": []})

    assert after == before
    assert "No changes recorded yet." in after
