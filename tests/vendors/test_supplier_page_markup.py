"""The supplier page's body is rendered by Jinja2 (templates/vendors/_supplier_page.jinja); the
page reads exactly as the Django template gave it before
(tests/vendors/data/supplier_detail_before.html is that template as it was): hostile text,
archived and modified models, stale checks, notes over several lines, and each role's buttons."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import engines
from django.utils import timezone

from core.audit import audit_entries_for, audit_log
from core.history import changes, changes_as_values, fold_created
from tests.factories import GPAIModelFactory, SupplierFactory, UserFactory
from vendors.models import Chapter, Signature, Supplier

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> & \"quoted\" {{ x }} {% y %}"
PAGE_BEFORE = engines["django"].from_string(
    (Path(__file__).parent / "data" / "supplier_detail_before.html").read_text()
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _hostile_supplier():
    verifier = UserFactory(username="o'neil\"<v>")
    supplier = SupplierFactory(
        name=f"Alpha {HOSTILE}",
        legal_name=HOSTILE,
        country="US",
        is_demo=True,
        website="https://example.org/?a='1'&b=\"2\"",
        contact_name=HOSTILE,
        contact_email="o'hara@example.org",
        notes=f"First line\n{HOSTILE}\n\nlast",
        signatures={"transparency": "signed", "copyright": "declined"},
    )
    signature = supplier.signatures.get(chapter="transparency")
    signature.signed_on = datetime.date(2025, 7, 10)
    signature.verified_on = datetime.date(2020, 1, 2)
    signature.verified_by = verifier
    signature.source_url = "https://example.org/" + "long/" * 20 + "?q='x'"
    signature.note = f"Checked\n{HOSTILE}"
    signature.save()
    original = GPAIModelFactory(name=f"Base {HOSTILE}", training_compute_flop=10**26)
    GPAIModelFactory(supplier=supplier, name=HOSTILE, modalities=["text", "image"])
    GPAIModelFactory(supplier=supplier, name="Tuned", modification_of=original)
    GPAIModelFactory(supplier=supplier, systemic_risk_status="notified", placed_on_market=None)
    GPAIModelFactory(supplier=supplier, name="Old", archived_at=timezone.now())
    audit_log(actor=verifier, action="x", target=supplier, summary=HOSTILE)
    return supplier


def _page_and_before(client, supplier):
    response = client.get(supplier.get_absolute_url())
    assert response.status_code == 200
    before = PAGE_BEFORE.render(response.context_data, response.wsgi_request)
    return CSRF.sub("", response.content.decode()), CSRF.sub("", before)


@pytest.mark.parametrize("role", ["procurement_client", "viewer_client"])
def test_supplier_page_reads_as_the_django_template_did(request, role):
    supplier = _hostile_supplier()

    page, before = _page_and_before(request.getfixturevalue(role), supplier)

    assert page == before
    assert HOSTILE not in page
    assert "Check is stale" in page and "Archived" in page
    assert ("Record signatures" in page) is (role == "procurement_client")


def test_archived_supplier_without_models_reads_as_the_django_template_did(procurement_client):
    supplier = SupplierFactory(name='O\'Brien "AI"', signatures=False, legal_name="")
    supplier.archived_at = timezone.now()
    supplier.save()

    page, before = _page_and_before(procurement_client, supplier)

    assert page == before
    assert "No models recorded yet." in page and "Restore" in page


def test_supplier_page_form_carries_the_csrf_token(procurement_client):
    supplier = SupplierFactory(signatures=False)

    page = procurement_client.get(supplier.get_absolute_url()).content.decode()

    assert re.search(r'<input type="hidden" name="csrfmiddlewaretoken" value="\w{64}">', page)


def test_supplier_page_history_and_actions_read_as_their_records_gave_them(procurement_client):
    supplier = _hostile_supplier()
    supplier._history_user = UserFactory(username="<editor> & 'co'")
    supplier.country, supplier.notes, supplier.is_demo = "FR", HOSTILE, False
    supplier.save()
    signature = supplier.signatures.get(chapter="copyright")
    signature.status, signature.note = "signed", "Signed after all"
    signature.save()
    audit_log(actor=None, action="y", target=supplier, data={"actor_label": "<supplier link>"})
    labels = dict(Chapter.choices)
    history = fold_created(
        changes(Supplier.history.filter(id=supplier.pk), subject=lambda record: "Supplier"),
        changes_as_values(
            Signature.history.filter(supplier_id=supplier.pk),
            Signature,
            subject=lambda row: f"Signature: {labels[row['chapter']]}",
        ),
        label="signatures",
    )
    block = (
        engines["jinja2"]
        .get_template("core/_history.jinja")
        .render({"history": history[:50], "audit_entries": audit_entries_for(supplier)[:20]})
    )

    page = procurement_client.get(supplier.get_absolute_url()).content.decode()

    assert block in page
    assert "France" in block and "&lt;editor&gt; &amp; &#x27;co&#x27;" in block
    assert "&lt;supplier link&gt;" in block and "o&#x27;neil" in block
