"""Evidence records its item's assessment: set when it is added, filled in by the migration for
evidence added before."""

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from diligence.models import Evidence
from tests.factories import AssessmentItemFactory, EvidenceFactory

BEFORE = [("diligence", "0014_expiring_evidence_indexes")]


def _migrate(targets=None):
    """To `targets`, or forward to the latest migrations."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


# serialized_rollback: the tables are emptied afterwards without creating content types
# again, which would clash with the next test that restores the serialized ones.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_gives_existing_evidence_its_items_assessment():
    with transaction.atomic():  # as a service would, which locks the summary rows
        for item in [AssessmentItemFactory(), AssessmentItemFactory()]:
            EvidenceFactory(item=item)
    expected = {e.pk: e.item.assessment_id for e in Evidence.objects.select_related("item")}

    _migrate(BEFORE)  # the column goes, the rows stay
    _migrate()

    found = dict(Evidence.objects.values_list("pk", "assessment_id"))
    assert found == expected
    assert len(set(found.values())) == 2
