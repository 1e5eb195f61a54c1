"""The register's pages read a fixed number of queries, however many suppliers, models,
signatures and changes there are."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.factories import GPAIModelFactory, SupplierFactory, UserFactory

pytestmark = pytest.mark.django_db

# Every page reads the session and the user, the fingerprint of the roles in the same query
# (core.auth; the permissions and role names come from the cache).
# The list adds the paginator's count, the suppliers and their signatures; the supplier page
# the supplier, signatures, models, two histories and audit entries; the model page the model
# with its supplier, the supplier's signatures, history and audit entries.
LIST_QUERIES = 5
SUPPLIER_QUERIES = 8
MODEL_QUERIES = 6
# More suppliers than a page of the list (25) and than any budget above, so a query per row,
# or per supplier anywhere, breaks the budget; a few hundred more would only slow the tests.
MORE_SUPPLIERS = 30


def _add_suppliers(count, verifier):
    for index in range(count):
        supplier = SupplierFactory(
            country="US" if index % 2 else "FR",
            signatures={"copyright": "signed", "safety_security": "declined"},
        )
        supplier.signatures.update(verified_by=verifier)
        GPAIModelFactory(supplier=supplier, systemic_risk_status="notified")
        GPAIModelFactory(supplier=supplier, training_compute_flop=10**24)


def _count(client, url, budget, django_assert_max_num_queries):
    client.get(url)  # warm caches that live for the whole process (content types)
    with django_assert_max_num_queries(budget) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", [{}, {"sort": "-model_count", "systemic": "yes"}])
def test_supplier_list_queries_do_not_grow_with_suppliers(
    viewer_client, django_assert_max_num_queries, query
):
    verifier = UserFactory()
    url = f"{reverse('vendors:supplier_list')}?{urlencode(query)}"

    _add_suppliers(20, verifier)
    with_20 = _count(viewer_client, url, LIST_QUERIES, django_assert_max_num_queries)
    _add_suppliers(MORE_SUPPLIERS, verifier)
    with_a_full_page = _count(viewer_client, url, LIST_QUERIES, django_assert_max_num_queries)

    assert with_a_full_page == with_20


def test_supplier_detail_queries_do_not_grow_with_models_or_changes(
    viewer_client, django_assert_max_num_queries
):
    verifier = UserFactory()
    _add_suppliers(MORE_SUPPLIERS, verifier)
    small = SupplierFactory(signatures={"copyright": "signed"})
    GPAIModelFactory(supplier=small)
    large = SupplierFactory(country="US", signatures={"copyright": "signed"})
    large.signatures.update(verified_by=verifier)
    GPAIModelFactory.create_batch(10, supplier=large)
    for note in ("first", "second", "third"):
        large.notes = note
        large.save()

    queries_small = _count(
        viewer_client, small.get_absolute_url(), SUPPLIER_QUERIES, django_assert_max_num_queries
    )
    queries_large = _count(
        viewer_client, large.get_absolute_url(), SUPPLIER_QUERIES, django_assert_max_num_queries
    )

    assert queries_large == queries_small


def test_supplier_detail_reads_the_originals_of_modified_models_in_two_queries(
    viewer_client, django_assert_max_num_queries
):
    supplier = SupplierFactory(signatures={"copyright": "signed"})
    plain = _count(
        viewer_client, supplier.get_absolute_url(), SUPPLIER_QUERIES, django_assert_max_num_queries
    )
    for index in range(6):
        original = GPAIModelFactory(supplier=SupplierFactory(country="US"))
        GPAIModelFactory(supplier=supplier, name=f"Tuned {index}", modification_of=original)

    modified = _count(
        viewer_client,
        supplier.get_absolute_url(),
        SUPPLIER_QUERIES + 2,
        django_assert_max_num_queries,
    )

    assert modified == plain + 2


def test_model_detail_queries_do_not_grow_with_the_suppliers_models(
    viewer_client, django_assert_max_num_queries
):
    verifier = UserFactory()
    _add_suppliers(MORE_SUPPLIERS, verifier)
    lone = GPAIModelFactory()
    crowded = GPAIModelFactory(supplier=SupplierFactory(signatures={"copyright": "signed"}))
    GPAIModelFactory.create_batch(10, supplier=crowded.supplier)
    for version in ("2", "3", "4"):
        crowded.version = version
        crowded.save()

    queries_lone = _count(
        viewer_client, lone.get_absolute_url(), MODEL_QUERIES, django_assert_max_num_queries
    )
    queries_crowded = _count(
        viewer_client, crowded.get_absolute_url(), MODEL_QUERIES, django_assert_max_num_queries
    )

    assert queries_crowded == queries_lone
