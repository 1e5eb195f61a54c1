"""Training-content summary pages: entry, Markdown and PDF import, the check, confirming."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from documentation import queries, services, summary
from documentation.forms import SummaryForm, SummaryImportForm
from documentation.hints import summary_check
from documentation.models import TrainingSummary
from documentation.views.common import (
    RecordConfirmView,
    RecordDetailView,
    RecordSourceView,
    model_for,
    record_for,
)


def _page(request, model, form, record=None):
    return render(
        request,
        "documentation/summary_form.html",
        {"gpai_model": model, "form": form, "record": record},
    )


@login_required
def summary_create(request, pk):
    model = model_for(request, pk, TrainingSummary, "add")
    form = SummaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = services.summary_create(model=model, data=form.data_for_record(), by=request.user)
        messages.success(request, "Training-content summary recorded as a draft.")
        return redirect(record)
    return _page(request, model, form)


@login_required
def summary_edit(request, pk):
    record = record_for(request, TrainingSummary.objects.select_related("model"), pk, "change")
    if not record.is_draft:
        messages.error(request, "This summary is confirmed and cannot change; record a new one.")
        return redirect(record)
    form = SummaryForm(request.POST or None, initial=SummaryForm.initial_for(record))
    if request.method == "POST" and form.is_valid():
        try:
            services.summary_update(summary=record, data=form.data_for_record(), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect(record)
    return _page(request, record.model, form, record)


@login_required
def summary_import(request, pk):
    model = model_for(request, pk, TrainingSummary, "add")
    form = SummaryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        data = uploaded.read()
        try:
            if data.startswith(b"%PDF"):
                read = summary.read_pdf(data, uploaded.name)
            else:
                read = summary.read_markdown(data, uploaded.name)
            if form.cleaned_data["url"]:
                read["url"] = form.cleaned_data["url"]
            record = services.summary_create(
                model=model, data=read, by=request.user, source_file=uploaded
            )
        except summary.SummaryProblem as problem:
            form.add_error("file", str(problem))
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(
                request,
                f"Read {len(read['sections'])} section(s) from {uploaded.name}. Check the values "
                "read from the text, then confirm.",
            )
            return redirect("documentation:summary_edit", record.pk)
    return render(request, "documentation/summary_import.html", {"gpai_model": model, "form": form})


class SummaryDetailView(RecordDetailView):
    template_name = "documentation/summary_detail.html"
    context_name = "record"

    def get_queryset(self):
        return TrainingSummary.objects.select_related("model", "model__supplier", "created_by")

    def previous_of(self, record):
        return queries.previous_summary_of(record)

    def changes_between(self, previous, record):
        return queries.summary_diff(previous, record)

    def context_for(self, record):
        sections = [
            (code, title, required, (record.sections or {}).get(code, ""))
            for code, title, required in summary.SECTIONS
        ]
        return {"check": summary_check(record), "sections": sections}


summary_detail = SummaryDetailView.as_view()
summary_confirm = RecordConfirmView.as_view(model=TrainingSummary)
summary_source_download = RecordSourceView.as_view(model=TrainingSummary)
