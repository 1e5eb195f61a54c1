"""A change of facts that concerns many open assessments re-evaluates them in a job, enqueued
in the change's transaction; a few are still re-evaluated in the request."""

import datetime

import pytest
from django_tasks_db.models import DBTaskResult

from core.models import AuditEntry
from diligence import services, tasks
from tests.diligence.test_reevaluation import _edit_model, _item, _start
from tests.factories import GPAIModelFactory, SupplierFactory
from tests.workers import run_worker

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_tasks")]


@pytest.fixture
def model():
    supplier = SupplierFactory(name="Mistral AI", country="FR")
    return GPAIModelFactory(
        supplier=supplier, name="Mistral Small", version="3", training_compute_flop=10**24
    )


def _start_several(model, owner, count):
    return [
        services.assessment_start(
            model=model,
            reference=f"TENDER-{number}",
            purpose="Customer enquiries.",
            owner=owner,
            due_date=datetime.date.today() + datetime.timedelta(days=30),
            by=owner,
        )
        for number in range(count)
    ]


def test_many_open_assessments_are_reevaluated_by_a_job(
    model, procurement_user, form_data, settings
):
    settings.REEVALUATE_IN_BACKGROUND_OVER = 2
    assessments = _start_several(model, procurement_user, 3)

    _edit_model(model, procurement_user, form_data, training_compute_flop="")

    job = DBTaskResult.objects.get(task_path=tasks.assessments_reevaluate.module_path)
    assert job.args_kwargs["args"][0] == [model.pk]
    assert not AuditEntry.objects.filter(action="assessment_reevaluated").exists()

    run_worker()

    assert DBTaskResult.objects.get(pk=job.pk).return_value == 3
    assert all(_item(assessment, "SAF-01").applicable for assessment in assessments)
    assert AuditEntry.objects.filter(action="assessment_reevaluated").count() == 3


def test_a_few_open_assessments_follow_in_the_request(model, procurement_user, form_data):
    assessment = _start(model, procurement_user)

    _edit_model(model, procurement_user, form_data, training_compute_flop="")

    assert _item(assessment, "SAF-01").applicable
    assert not DBTaskResult.objects.exists()
