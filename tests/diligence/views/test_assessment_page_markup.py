"""The assessment page's body is rendered by Jinja2 (templates/diligence/_assessment_page.jinja
and _assessment_side.jinja, with the progress and audit trail blocks); the page reads exactly
as the Django template gave it before (tests/diligence/data/assessment_detail_before.html is
that template as it was, its two includes written in), in each status, with filters, hostile
text and each role's buttons; and so does the answer to a quick status change
(item_row_response_before.html)."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.test.utils import ContextList
from django.urls import reverse

from core.audit import audit_log
from diligence import services
from diligence.models import ItemStatus
from tests.diligence.views.support import NEXT_YEAR
from tests.factories import DecisionFactory, GPAIModelFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> & \"quoted\" {{ x }} {% y %}"
DATA = Path(__file__).parents[1] / "data"
PAGE_BEFORE = engines["django"].from_string((DATA / "assessment_detail_before.html").read_text())
RESPONSE_BEFORE = engines["django"].from_string(
    (DATA / "item_row_response_before.html").read_text()
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _as_before(response, template=PAGE_BEFORE):
    """The page, and what the Django template made of the same context, without the tokens."""
    assert response.status_code == 200
    # On the page, the first context is the view's; the others are other apps' includes.
    context = response.context
    context = (context[0] if isinstance(context, ContextList) else context).flatten()
    before = template.render(context, response.wsgi_request)
    return CSRF.sub("", response.content.decode()), CSRF.sub("", before)


def _hostile(assessment, user):
    assessment.purpose = f"First line\n{HOSTILE}\n\nlast"
    assessment.save()
    supplier, model = assessment.supplier, assessment.model
    supplier.name = f"Alpha {HOSTILE}"
    supplier.save()
    model.name = HOSTILE
    model.save()
    items = list(assessment.items.order_by("pk"))
    items[0].assignee = UserFactory(first_name="O'Neil", last_name=HOSTILE)
    items[0].pending_reason = HOSTILE
    items[0].save()
    items[1].status = ItemStatus.GAP
    items[1].save()
    audit_log(actor=user, action="x", target=assessment, summary=HOSTILE)
    audit_log(actor=None, action="y", target=assessment, summary="by nobody")


@pytest.mark.parametrize("query", ["", "?show=open&q=doc&required=on", "?show=gaps&q=zzz"])
@pytest.mark.parametrize("role", ["procurement_client", "viewer_client"])
def test_draft_assessment_page_reads_as_the_django_template_did(
    request, assessment, procurement_user, role, query
):
    _hostile(assessment, procurement_user)

    page, before = _as_before(
        request.getfixturevalue(role).get(assessment.get_absolute_url() + query)
    )

    assert page == before
    assert HOSTILE not in page
    assert ("Submit for review" in page) is (role == "procurement_client")


def test_assessment_in_review_reads_as_the_django_template_did(
    procurement_client, reviewer_client, assessment, procurement_user
):
    _hostile(assessment, procurement_user)
    services.assessment_submit(assessment=assessment, by=procurement_user)

    for client, button in [(reviewer_client, "Request changes"), (procurement_client, "Withdraw")]:
        page, before = _as_before(client.get(assessment.get_absolute_url()))

        assert page == before
        assert button in page


@pytest.mark.parametrize("modification", [False, True])
def test_decided_assessment_with_changed_facts_reads_as_the_django_template_did(
    procurement_client, assessment, procurement_user, reviewer, media_root, modification
):
    _hostile(assessment, procurement_user)
    DecisionFactory(
        assessment=assessment,
        decided_by=reviewer,
        outcome="approved_with_conditions",
        conditions=f"Model card\n{HOSTILE}",
        notes=HOSTILE,
        storage_name="decision.pdf",
        original_name=f"{HOSTILE}.pdf",
        size=123456,
        valid_until=NEXT_YEAR,
    )
    model = assessment.model
    model.training_compute_flop = None
    if modification:
        # A fine-tuned copy of another supplier's systemic-risk model.
        model.modification_of = GPAIModelFactory(name=HOSTILE, training_compute_flop=10**26)
        model.modification_compute_flop = 10**23
    model.save()

    response = procurement_client.get(assessment.get_absolute_url())
    page, before = _as_before(response)

    assert page == before
    assert "Facts changed since the decision" in page
    # The signed chapters are read as they were (no change there), the original when there is one.
    changes = [change.label for change in response.context[0]["drift"].changes]
    assert changes == ["Systemic risk"] + ["Provider of a new model (modification)"] * modification
    assert "120.6\xa0KB" in page and "Reopen" in page


def test_quick_status_answer_reads_as_the_django_template_did(
    procurement_client, assessment, procurement_user
):
    _hostile(assessment, procurement_user)
    item = assessment.items.filter(applicable=True).first()
    url = reverse("diligence:item_quick_status", args=[assessment.pk, item.pk])

    response = procurement_client.post(
        url, {"status": "in_progress", "version": item.version}, HTTP_HX_REQUEST="true"
    )

    page, before = _as_before(response, RESPONSE_BEFORE)
    assert page == before
    assert 'id="progress" hx-swap-oob="true"' in page and 'id="audit-trail" hx-swap-oob' in page
