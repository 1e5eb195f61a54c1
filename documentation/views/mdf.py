"""Model Documentation Form pages: the model's documentation, entry, import, the completeness
page with its diff, confirming and starting a new version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from documentation import completeness, epoch, mdf_files, queries, services
from documentation.forms import MdfForm, MdfImportForm, na_name, value_name
from documentation.hints import mdf_completeness, summary_check
from documentation.models import ComputeEstimate, MdfDocument
from documentation.views.common import (
    RecordConfirmView,
    RecordDetailView,
    RecordSourceView,
    model_for,
    record_for,
)


@require_safe
@login_required
def model_documentation(request, pk):
    model = model_for(request, pk, MdfDocument)
    documents = list(queries.documents_for_model(model))
    summaries = list(queries.summaries_for_model(model))
    estimates = list(ComputeEstimate.objects.filter(model=model).select_related("created_by"))
    for estimate in estimates:
        estimate.flag = epoch.systemic_risk_flag(
            compute=estimate.training_compute_flop, upper=estimate.compute_upper_flop
        )
    latest = documents[0] if documents else None
    context = {
        "gpai_model": model,
        "documents": documents,
        "summaries": summaries,
        "estimates": estimates,
        "latest": latest,
        "latest_result": mdf_completeness(latest) if latest else None,
        "latest_summary_check": summary_check(summaries[0]) if summaries else None,
        "attribution": epoch.ATTRIBUTION,
        "epoch_url": epoch.SOURCE_URL,
    }
    return render(request, "documentation/model_documentation.html", context)


def _grouped(form, specs):
    """The form's inputs by the MDF's sections: [(section, [(spec, value field, N/A field)])]."""
    groups = {}
    for spec in specs:
        na = form[na_name(spec.key)] if spec.na_allowed else None
        groups.setdefault(spec.section, []).append((spec, form[value_name(spec.key)], na))
    return list(groups.items())


@login_required
def mdf_create(request, pk):
    model = model_for(request, pk, MdfDocument, "add")
    catalogue = queries.current_catalogue()
    specs = queries.specs_of(catalogue)
    form = MdfForm(request.POST or None, specs=specs)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.mdf_create(
                model=model, meta=form.meta(), values=form.values(), by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Model Documentation Form recorded as a draft.")
            return redirect(document)
    return render(
        request,
        "documentation/mdf_form.html",
        {"gpai_model": model, "form": form, "groups": _grouped(form, specs), "document": None},
    )


@login_required
def mdf_edit(request, pk):
    document = record_for(request, queries.document_for_page(), pk, "change")
    if not document.is_draft:
        messages.error(
            request, "This version is confirmed and cannot change; record a new version."
        )
        return redirect(document)
    specs = queries.specs_of(document.catalogue)
    initial = MdfForm.initial_for(document, queries.values_of(document))
    form = MdfForm(request.POST or None, specs=specs, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.mdf_update(
                document=document, meta=form.meta(), values=form.values(), by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect(document)
    return render(
        request,
        "documentation/mdf_form.html",
        {
            "gpai_model": document.model,
            "form": form,
            "groups": _grouped(form, specs),
            "document": document,
        },
    )


@login_required
def mdf_import(request, pk):
    model = model_for(request, pk, MdfDocument, "add")
    form = MdfImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        specs = queries.specs_of(queries.current_catalogue())
        try:
            parsed = mdf_files.parse(uploaded.read(), uploaded.name, specs)
            meta = {
                "document_version": parsed.document_version
                or form.cleaned_data["document_version"],
                "last_updated": parsed.last_updated or form.cleaned_data["last_updated"],
                "source_url": form.cleaned_data["source_url"],
            }
            if not meta["document_version"] or not meta["last_updated"]:
                raise mdf_files.ImportProblem(
                    f"{uploaded.name}: the file gives no document version or last-updated date; "
                    "enter them below."
                )
            document = services.mdf_create(
                model=model,
                meta=meta,
                values=parsed.values,
                by=request.user,
                source_file=uploaded,
            )
        except (mdf_files.ImportProblem, ValidationError) as problem:
            form.add_error(
                "file", problem.messages if isinstance(problem, ValidationError) else str(problem)
            )
        else:
            messages.success(
                request, f"Imported {len(parsed.values)} field(s) from {uploaded.name} as a draft."
            )
            if parsed.unmapped:
                by_key = {spec.key: spec for spec in specs}
                messages.warning(
                    request,
                    "Not found in the document, enter by hand: "
                    + "; ".join(
                        f"{by_key[key].number} {by_key[key].label}" for key in parsed.unmapped
                    ),
                )
            return redirect("documentation:mdf_edit", document.pk)
    return render(request, "documentation/mdf_import.html", {"gpai_model": model, "form": form})


class MdfDetailView(RecordDetailView):
    template_name = "documentation/mdf_detail.html"
    context_name = "document"

    def get_queryset(self):
        return queries.document_for_page()

    def previous_of(self, record):
        return queries.previous_of(record)

    def changes_between(self, previous, record):
        specs = queries.specs_of(record.catalogue)
        return queries.diff(specs, queries.values_of(previous), queries.values_of(record))

    def context_for(self, record):
        result = mdf_completeness(record)
        email = (
            completeness.request_email(
                model_name=str(record.model),
                supplier_name=record.model.supplier.name,
                missing=result.missing,
                answer_due=result.answer_due,
            )
            if result.missing
            else ""
        )
        return {"result": result, "groups": completeness.sections(result.fields), "email": email}


mdf_detail = MdfDetailView.as_view()
mdf_confirm = RecordConfirmView.as_view(model=MdfDocument)
mdf_source_download = RecordSourceView.as_view(model=MdfDocument)


@require_POST
@login_required
def mdf_new_version(request, pk):
    source = record_for(request, MdfDocument.objects.select_related("model"), pk, "add")
    document = services.mdf_new_version(source=source, by=request.user)
    messages.success(request, "New version started from the previous one; enter what changed.")
    return redirect("documentation:mdf_edit", document.pk)
