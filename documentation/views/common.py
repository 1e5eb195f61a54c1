"""What the documentation views share: finding the model and the records with access checked."""

from django.shortcuts import get_object_or_404

from core.access import check_access
from vendors.models import GPAIModel


def model_for(request, pk, record_model, action="view"):
    """The model `pk` if the user may `action` the `record_model` records of it."""
    check_access(request.user, record_model, action)
    check_access(request.user, GPAIModel)
    return get_object_or_404(GPAIModel.objects.select_related("supplier"), pk=pk)


def record_for(request, queryset, pk, action="view"):
    check_access(request.user, queryset.model, action)
    return get_object_or_404(queryset, pk=pk)
