"""The clause-pack page reads a fixed number of queries, however many items, clauses,
overrides and documents there are."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts import services
from contracts.models import Clause, ClauseLibrary, ClauseOverride, ClausePack, Document
from documentation import services as documentation_services
from tests.documentation.support import downstream_keys, full_values, record_mdf
from tests.factories import (
    AssessmentFactory,
    ChecklistFactory,
    ChecklistItemFactory,
    DecisionFactory,
    GPAIModelFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CATEGORIES = ["documentation", "copyright", "safety_security"]
STATUSES = ["open", "requested", "received", "accepted", "gap"]
# Session, user, permissions (2), groups; assessment, items, signatures, overrides, the
# newest published versions, the library and its clauses (from the cache after the first
# time), documents; the model's confirmed MDF versions, their catalogue's fields and values.
MAX_QUERIES = 15


def _assessment(item_count):
    checklist = ChecklistFactory(status="published")
    for index in range(item_count):
        ChecklistItemFactory(checklist=checklist, category=CATEGORIES[index % 3])
    assessment = AssessmentFactory(checklist=checklist, with_items=True)
    for index, item in enumerate(assessment.items.all()):
        item.status = STATUSES[index % len(STATUSES)]
        item.applicable = index % 7 != 6
        item.save()
    return assessment


def _library(clause_count):
    """A newer published library with `clause_count` clauses of every trigger kind."""
    version = ClauseLibrary.objects.order_by("-version").first().version + 1
    library = ClauseLibrary.objects.create(name="Bigger", version=version, status="published")
    kinds = [
        ("always", ""),
        ("item_gap", ""),
        ("item_open", "copyright"),
        ("chapter_not_signed", "copyright"),
        ("systemic_risk", ""),
        ("provider_outside_eu", ""),
        ("legacy_model", ""),
        ("open_source_claimed", ""),
        ("mdf_downstream_missing", ""),
    ]
    Clause.objects.bulk_create(
        Clause(
            library=library,
            key=f"clause-{index}",
            title=f"Clause {index}",
            body="{{ supplier.name }} shall.\n\n(a) one;\n\n(b) two.\n\nDated {{ today }}.",
            category="general",
            legal_basis="Contractual",
            trigger_kind=kinds[index % len(kinds)][0],
            trigger_param=kinds[index % len(kinds)][1],
            order=index,
        )
        for index in range(clause_count)
    )


def _changes_and_documents(assessment, count):
    """Legal's changes to the pack and generated versions of both formats."""
    users = UserFactory.create_batch(3, role="Legal")
    pack = ClausePack.objects.create(assessment=assessment)
    for index in range(count):
        ClauseOverride.objects.create(
            pack=pack,
            clause_key=f"clause-{index}",
            clause_title=f"Clause {index}",
            action="remove" if index % 2 else "add",
            reason="Negotiated.",
            created_by=users[index % 3],
        )
        for document_format in ("pdf", "docx"):
            Document.objects.create(
                assessment=assessment,
                format=document_format,
                version=index + 1,
                snapshot={},
                content_sha256=uuid.uuid4().hex * 2,
                file_sha256="0" * 64,
                storage_name=f"clause-packs/{index}.{document_format}",
                size=1000,
                created_by=users[index % 3],
            )


def _mdf_versions(assessment, count):
    """Confirmed Model Documentation Form versions of the model, some fields missing."""
    user = UserFactory(role="Procurement")
    for index in range(count):
        values = full_values()
        del values[downstream_keys()[index]]
        document = record_mdf(assessment.model, user, values=values, version=f"1.{index}")
        documentation_services.mdf_confirm(document=document, by=user)


def _count(client, url, django_assert_max_num_queries):
    client.get(url)  # warm caches that live for the whole process (content types)
    with django_assert_max_num_queries(MAX_QUERIES) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("role", ["legal_client", "viewer_client"])
def test_clause_pack_queries_do_not_grow(request, role, django_assert_max_num_queries):
    client = request.getfixturevalue(role)
    small = _assessment(item_count=3)
    _changes_and_documents(small, count=1)
    _mdf_versions(small, count=1)
    small_count, _ = _count(
        client, reverse("contracts:clause_pack", args=[small.pk]), django_assert_max_num_queries
    )

    _library(clause_count=60)
    large = _assessment(item_count=60)
    _changes_and_documents(large, count=20)
    _mdf_versions(large, count=5)
    large_count, response = _count(
        client, reverse("contracts:clause_pack", args=[large.pk]), django_assert_max_num_queries
    )

    assert large_count == small_count
    shown = (
        len(response.context["included"])
        + len(response.context["removed"])
        + len(response.context["not_selected"])
    )
    assert shown == 60
    assert len(response.context["overrides"]) == 20


def test_clause_pack_page_reads_the_assessment_supplier_and_model_in_one_query(
    legal_client, legal_user, xai_assessment
):
    """The page loads only some columns (queries.PACK_PAGE_FIELDS): none it reads is left
    out, or Django would read the row again in a query of its own."""
    model = xai_assessment.model
    model.modification_of = GPAIModelFactory(
        upstream_model_name="Older", upstream_provider_name="Someone", placed_on_market=None
    )
    model.save()
    DecisionFactory(assessment=xai_assessment)
    _changes_and_documents(xai_assessment, count=2)
    services.clause_pack_add(
        assessment=xai_assessment, clause_key="open-source-exemption", reason="x", by=legal_user
    )
    _mdf_versions(xai_assessment, count=1)
    url = reverse("contracts:clause_pack", args=[xai_assessment.pk])
    legal_client.get(url)

    with CaptureQueriesContext(connection) as captured:
        response = legal_client.get(url)

    assert response.status_code == 200
    # The table each query reads (its first FROM; "(" for the newest published versions).
    tables = [re.search(r'\bFROM \(?"?(\w*)', query["sql"])[1] for query in captured]
    assert tables.count("diligence_assessment") == 1
    for joined in (
        "vendors_supplier",
        "vendors_gpaimodel",
        "diligence_decision",
        "diligence_checklist",
    ):
        assert joined not in tables
    assert "Added by Legal" in response.content.decode()
