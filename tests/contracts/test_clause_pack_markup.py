"""The clause pack page's lists of clauses are rendered by Jinja2
(templates/contracts/_clause_entries.jinja); the page reads exactly as the Django template gave
it before (tests/contracts/data/clause_pack_detail_before.html is that template as it was, its
two partials written in place): clauses in the pack, added by Legal against the facts, removed
and not selected, hostile names and clause text, for a role that changes the pack and one that
only reads it."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.urls import reverse

from contracts import queries, services
from contracts.models import Clause
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> & \"quoted\" {{ x }} {% y %}"
# Clause text may hold only known placeholders.
HOSTILE_TEXT = "<script>alert('x')</script> & \"quoted\" 'single'"
PAGE_BEFORE = engines["django"].from_string(
    (Path(__file__).parent / "data" / "clause_pack_detail_before.html").read_text()
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _page_and_before(client, assessment):
    response = client.get(reverse("contracts:clause_pack", args=[assessment.pk]))
    assert response.status_code == 200
    names = [name for context in response.context for name in context.flatten()]
    context = {name: response.context[name] for name in names if name not in ("request", "user")}
    before = PAGE_BEFORE.render(context, response.wsgi_request)
    return CSRF.sub("", response.content.decode()), CSRF.sub("", before)


@pytest.fixture
def changed_pack(xai_assessment, legal_user):
    """The pack with hostile text in a clause, one clause removed by someone without a name,
    one by someone with one, and one added against the facts."""
    Clause.objects.filter(library=queries.newest_library(), key="audit-rights").update(
        title=f"Audit {HOSTILE}",
        body=f"{{{{ supplier.name }}}} allows audits {HOSTILE_TEXT}.\n\n(a) one & two;\n\n(b) <three>.",
    )
    nameless = UserFactory(username="o'neil<x>", first_name="", last_name="", role="Legal")
    services.clause_pack_remove(
        assessment=xai_assessment, clause_key="audit-rights", reason=HOSTILE, by=nameless
    )
    services.clause_pack_remove(
        assessment=xai_assessment, clause_key="serious-incidents", reason="No.", by=legal_user
    )
    services.clause_pack_add(
        assessment=xai_assessment,
        clause_key="open-source-exemption",
        reason=f"Asked for {HOSTILE}",
        by=legal_user,
    )
    return xai_assessment


@pytest.mark.parametrize("role", ["legal_client", "viewer_client"])
def test_clause_pack_page_reads_as_the_django_template_did(request, role, changed_pack):
    page, before = _page_and_before(request.getfixturevalue(role), changed_pack)

    assert page == before
    assert HOSTILE not in page
    assert "Removed by Legal (2)" in page and "Added by Legal" in page
    assert "Other clauses in the library" in page
    assert ("Add it back…" in page) is (role == "legal_client")


def test_an_unchanged_pack_reads_as_the_django_template_did(legal_client, xai_assessment):
    page, before = _page_and_before(legal_client, xai_assessment)

    assert page == before
    assert "Remove from the pack…" in page
    # Each form carries the token (its value is taken out above).
    assert page.count('<input type="hidden" >') > 3
