"""Background jobs of the diligence app (run by `manage.py worker`)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django_tasks import task

from diligence.services.reevaluation import assessments_reevaluate as reevaluate
from vendors.models import GPAIModel


@task()
def assessments_reevaluate(model_ids, user_id, reason):
    """Re-evaluate the open assessments of these models after their facts changed, when there
    were too many to do in the request that changed them."""
    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    with transaction.atomic():
        done = reevaluate(models=GPAIModel.objects.filter(pk__in=model_ids), by=by, reason=reason)
    return len(done)
