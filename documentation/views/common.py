"""What the documentation views share: finding the model and the records with access checked,
and the detail, confirm and source-file pages of a record that is confirmed once (an MDF version, a
training summary)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from core.access import check_access
from core.audit import audit_entries_for, audit_log
from core.files import stored_file_response
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


class RecordSourceView(LoginRequiredMixin, View):
    """The file a record was imported from, downloaded through the app and audited; 404 for
    those who may not see the record or its model, and where no file was kept."""

    http_method_names = ["get", "head"]
    model = None

    def get(self, request, pk):
        check_access(request.user, GPAIModel)
        record = record_for(request, self.model.objects.all(), pk)
        if not record.has_source_file:
            raise Http404
        audit_log(
            actor=request.user,
            action=f"{record.audit_name}_source_downloaded",
            target=record,
            summary=f"Downloaded {record.source_name}, the source of {record}",
            data={"sha256": record.source_sha256},
        )
        return stored_file_response(
            record.source_storage_name,
            content_type=record.source_content_type,
            filename=record.source_name,
        )
