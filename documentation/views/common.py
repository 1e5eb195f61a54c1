"""What the documentation views share: finding the model and the records with access checked,
and the detail and confirm pages of a record that is confirmed once (an MDF version, a
training summary)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from core.access import check_access
from core.audit import audit_entries_for
from documentation import services
from vendors.models import GPAIModel


def model_for(request, pk, record_model, action="view"):
    """The model `pk` if the user may `action` the `record_model` records of it."""
    check_access(request.user, record_model, action)
    check_access(request.user, GPAIModel)
    return get_object_or_404(GPAIModel.objects.select_related("supplier"), pk=pk)


def record_for(request, queryset, pk, action="view"):
    check_access(request.user, queryset.model, action)
    return get_object_or_404(queryset, pk=pk)


class RecordDetailView(LoginRequiredMixin, View):
    """A confirmed-once record with what changed since the previous one and its audit trail.
    Subclasses name the queryset, template and context name, and add their own content."""

    http_method_names = ["get", "head"]
    template_name = ""
    context_name = ""

    def get_queryset(self):
        raise NotImplementedError

    def previous_of(self, record):
        raise NotImplementedError

    def changes_between(self, previous, record):
        raise NotImplementedError

    def context_for(self, record):
        return {}

    def get(self, request, pk):
        record = record_for(request, self.get_queryset(), pk)
        previous = self.previous_of(record)
        context = {
            self.context_name: record,
            "gpai_model": record.model,
            "previous": previous,
            "changes": self.changes_between(previous, record) if previous else None,
            **self.context_for(record),
            "audit": audit_entries_for(record)[:50],
        }
        return render(request, self.template_name, context)


class RecordConfirmView(LoginRequiredMixin, View):
    """Confirm a draft record; from then on it never changes."""

    http_method_names = ["post"]
    model = None

    def post(self, request, pk):
        record = record_for(request, self.model.objects.all(), pk, "confirm")
        try:
            services.record_confirm(record=record, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Confirmed: this {record.noun} no longer changes.")
        return redirect(record)
