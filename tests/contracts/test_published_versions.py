"""The newest published checklist and clause library are kept in the cache under their version:
the pages read them from it, and a version published or retired shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts import queries, services
from contracts.models import ClauseLibrary
from diligence import services as diligence_services
from tests.factories import GPAIModelFactory, SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def model():
    supplier = SupplierFactory(country="US", signatures={"safety_security": "signed"})
    return GPAIModelFactory(supplier=supplier, training_compute_flop=5 * 10**25)


def _what_if(client, model):
    response = client.get(reverse("contracts:model_what_if", args=[model.pk]))
    assert response.status_code == 200
    return response


def _library_tables_read(captured):
    """The queries that read clauses, checklist items or a whole version row."""
    return [
        query["sql"]
        for query in captured
        if 'contracts_clause".' in query["sql"] or 'diligence_checklistitem".' in query["sql"]
    ]


def test_a_second_request_reads_the_published_versions_from_the_cache(viewer_client, model):
    with CaptureQueriesContext(connection) as first:
        _what_if(viewer_client, model)
    with CaptureQueriesContext(connection) as second:
        response = _what_if(viewer_client, model)

    assert len(_library_tables_read(first)) == 2
    assert _library_tables_read(second) == []
    assert response.context["result"]["clauses"]["selected"]
    assert response.context["result"]["checklist"]["applicable"]


def test_a_newly_published_clause_library_shows_at_once(viewer_client, legal_user, model):
    _what_if(viewer_client, model)
    published = queries.newest_library()
    draft = services.clause_library_new_draft(source=published, by=legal_user)
    clause = draft.clauses.get(key="serious-incidents")
    clause.title = "Serious incidents, as renegotiated"
    clause.save()
    services.clause_library_publish(library=draft, by=legal_user, retire_replaced=True)

    response = _what_if(viewer_client, model)

    assert response.context["library"].version == published.version + 1
    titles = [row["title"] for row in response.context["result"]["clauses"]["selected"]]
    assert "Serious incidents, as renegotiated" in titles
    assert f"(v{published.version + 1})" in response.content.decode()


def test_retiring_the_newest_library_brings_back_the_one_before(viewer_client, legal_user, model):
    published = queries.newest_library()
    draft = services.clause_library_new_draft(source=published, by=legal_user)
    services.clause_library_publish(library=draft, by=legal_user)
    assert _what_if(viewer_client, model).context["library"].pk == draft.pk

    services.clause_library_retire(library=draft, by=legal_user)

    assert _what_if(viewer_client, model).context["library"].pk == published.pk
    assert queries.newest_library().pk == published.pk


def test_a_newly_published_checklist_shows_at_once(viewer_client, checklist_admin_user, model):
    _what_if(viewer_client, model)
    published = diligence_services.latest_published_checklist()
    draft = diligence_services.checklist_new_draft(source=published, by=checklist_admin_user)
    item = draft.items.order_by("order", "code").first()
    item.title = "Renamed in the new version"
    item.save()
    diligence_services.checklist_publish(checklist=draft, by=checklist_admin_user)

    response = _what_if(viewer_client, model)

    assert response.context["checklist"].pk == draft.pk
    assert "Renamed in the new version" in response.content.decode()


def test_without_a_published_library_the_page_says_so(viewer_client, legal_user, model):
    for library in ClauseLibrary.objects.filter(status="published"):
        services.clause_library_retire(library=library, by=legal_user)

    response = _what_if(viewer_client, model)

    assert response.context["library"] is None
    assert queries.newest_library() is None
    assert "No clause library is published yet." in response.content.decode()


def test_a_version_read_once_is_kept_in_the_process_ahead_of_the_cache(
    viewer_client, model, monkeypatch
):
    _what_if(viewer_client, model)
    reads, get = [], queries.cache.get

    def read(key, *args):
        reads.append(key)
        return get(key, *args)

    monkeypatch.setattr(queries.cache, "get", read)

    response = _what_if(viewer_client, model)

    assert reads
    assert [key for key in reads if key.startswith("published-")] == []
    assert response.context["result"]["clauses"]["selected"]


def test_the_process_keeps_only_the_last_few_versions_it_read(legal_user):
    published = queries.newest_library()
    for _ in range(queries._IN_PROCESS_VERSIONS + 2):
        draft = services.clause_library_new_draft(source=queries.newest_library(), by=legal_user)
        services.clause_library_publish(library=draft, by=legal_user, retire_replaced=True)
        assert queries.newest_library().pk == draft.pk

    assert len(queries._in_process) == queries._IN_PROCESS_VERSIONS
    assert not any(
        key.startswith(f"published-clauses:{published.pk}:") for key in queries._in_process
    )
