"""The clause-pack page and its actions (remove or add a clause, generate and download
documents), and the what-if page of a model."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django_countries import countries

from contracts import content, explain, queries, services, tasks
from contracts.documents.layout import clause_blocks
from contracts.forms import ClauseOverrideForm, DocumentGenerateForm, WhatIfForm
from contracts.models import ClausePack, Document, DocumentFormat, DocumentKind
from contracts.scenario import ScenarioError, parse_scenario, scenario_from_model
from core.access import check_access, get_object_for
from core.files import content_disposition_attachment
from diligence.models import Assessment


def _pack_url(pk, anchor=""):
    return reverse("contracts:clause_pack", args=[pk]) + (f"#{anchor}" if anchor else "")


def _show_errors(request, error):
    for message in error.messages:
        messages.error(request, message)


def _with_text(entries, values):
    """Each entry with its clause text as the documents print it."""
    return [(entry, clause_blocks(entry.number, entry.clause.body, values)) for entry in entries]


@require_safe
@login_required
def clause_pack_detail(request, pk):
    check_access(request.user, ClausePack)
    assessment = get_object_for(request.user, queries.assessment_for_pack_page(), pk)
    state = queries.clause_pack_state(assessment)
    values = content.with_today(content.placeholder_values(assessment), timezone.localdate())
    documents = list(queries.documents_of(assessment))
    context = {
        "assessment": assessment,
        "library": state.library,
        "facts": state.facts,
        "included": _with_text(state.pack.included, values),
        "warnings": state.pack.warnings,
        "removed": _with_text(state.pack.removed, values),
        "not_selected": _with_text(state.pack.not_selected, values),
        "overrides": list(reversed(state.overrides)),
        "documents_by_kind": [
            (
                kind,
                kind_label,
                [
                    (label, [d for d in documents if d.kind == kind and d.format == value])
                    for value, label in DocumentFormat.choices
                ],
            )
            for kind, kind_label in DocumentKind.choices
        ],
        "formats": DocumentFormat.choices,
        "can_change": request.user.has_perm("contracts.change_clausepack"),
        "can_generate": request.user.has_perm("contracts.generate_document"),
        "can_download": request.user.has_perm("contracts.download_document"),
    }
    return render(request, "contracts/clause_pack_detail.html", context)


def _override(request, pk, service, done):
    check_access(request.user, ClausePack, "change")
    assessment = get_object_for(request.user, Assessment, pk)
    form = ClauseOverrideForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(_pack_url(pk))
    try:
        override = service(
            assessment=assessment,
            clause_key=form.cleaned_data["clause"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as error:
        _show_errors(request, error)
        return redirect(_pack_url(pk))
    messages.success(request, f"{done} “{override.clause_title}”.")
    return redirect(_pack_url(pk, f"clause-{override.clause_key}"))


def _document_label(document):
    return (
        f"{document.get_kind_display()}, {document.get_format_display()} version {document.version}"
    )


@require_POST
@login_required
def clause_remove(request, pk):
    return _override(request, pk, services.clause_pack_remove, "Removed")


@require_POST
@login_required
def clause_add(request, pk):
    return _override(request, pk, services.clause_pack_add, "Added")


@require_POST
@login_required
def document_generate(request, pk):
    check_access(request.user, Document, "generate")
    assessment = get_object_for(request.user, Assessment, pk)
    form = DocumentGenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the document and PDF or Word.")
        return redirect(_pack_url(pk, "documents"))
    format, kind = form.cleaned_data["format"], form.cleaned_data["kind"]
    try:
        document = tasks.document_stored(assessment=assessment, format=format, kind=kind)
    except ValidationError as error:
        _show_errors(request, error)
        return redirect(_pack_url(pk, "documents"))
    if document is not None:
        label = _document_label(document)
        messages.info(request, f"Nothing changed since {label}; it is the current document.")
        return redirect(_pack_url(pk, "documents"))
    result = tasks.document_request(
        assessment=assessment, format=format, kind=kind, by=request.user
    )
    if not result.is_finished:
        return redirect("contracts:document_job", pk=pk, job_id=result.id)
    # Jobs run at once (TASKS_IMMEDIATE): the outcome is known already.
    job = tasks.job_from_result(result, assessment=assessment)
    if job.state == "done":
        messages.success(request, f"{_document_label(job.document)} generated.")
    elif job.state == "refused":
        for message in job.messages:
            messages.error(request, message)
    else:
        messages.error(request, FAILED_MESSAGE)
    return redirect(_pack_url(pk, "documents"))


FAILED_MESSAGE = (
    "The document could not be made. Try again; if it fails again, tell an administrator."
)


@require_safe
@login_required
def document_job(request, pk, job_id):
    """Where a document being made stands; htmx asks again every second until it is ready."""
    check_access(request.user, Document, "generate")
    assessment = get_object_for(
        request.user, Assessment.objects.select_related("supplier", "model"), pk
    )
    job = tasks.document_job(assessment=assessment, job_id=job_id)
    if job is None:
        raise Http404("No such document job.")
    context = {
        "assessment": assessment,
        "job": job,
        "format_label": f"{DocumentKind(job.kind).label} ({DocumentFormat(job.format).label})",
        "failed_message": FAILED_MESSAGE,
        "can_download": request.user.has_perm("contracts.download_document"),
    }
    template = "contracts/_document_job.html" if request.htmx else "contracts/document_job.html"
    return render(request, template, context)


@require_safe
@login_required
def document_download(request, pk, document_pk):
    check_access(request.user, Document, "download")
    document = get_object_or_404(
        Document.objects.select_related("assessment"), pk=document_pk, assessment_id=pk
    )
    response = FileResponse(
        services.document_open(document=document, by=request.user),
        content_type=services.CONTENT_TYPES[document.format],
    )
    response["Content-Disposition"] = content_disposition_attachment(document.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@login_required
def model_what_if(request, pk):
    """What the law, the checklist and the clause pack would say if some facts were different.

    The form is sent by GET and nothing is saved. The recorded model is explained too, so the
    page shows what the changed facts change.
    """
    model = get_object_for(request.user, queries.model_for_what_if(), pk)
    signatures = {s.chapter: s.status for s in model.supplier.signatures.all()}
    signed = {chapter for chapter, status in signatures.items() if status == "signed"}
    today = timezone.localdate()
    recorded_data = scenario_from_model(
        model.facts(signed), signatures, model.supplier.country.code, today
    )
    checklist, library = queries.newest_published()
    items = list(checklist.items.all()) if checklist else []
    clauses = list(library.clauses.all()) if library else []
    eea = settings.AI_ACT_EEA_AS_UNION
    # The form changes facts about the model, not what its supplier documented.
    mdf = content.mdf_state(queries.with_confirmed_mdfs(model))

    def explained(data):
        scenario = parse_scenario(data, eea_as_union=eea)
        return explain.explain(scenario, items, clauses, country_name=_country(scenario), mdf=mdf)

    recorded = explained(recorded_data)
    submitted = "today" in request.GET
    form = WhatIfForm(
        request.GET if submitted else None, initial=WhatIfForm.initial_from(recorded_data)
    )
    result, changes = recorded, None
    if submitted and form.is_valid():
        try:
            result = explained(form.scenario_data())
        except ScenarioError as error:
            form.add_error(None, list(error.problems))
        else:
            changes = explain.differences(recorded, result)
    context = {
        "gpai_model": model,
        "form": form,
        "result": result,
        "changes": changes,
        "submitted": submitted and form.is_valid(),
        "checklist": checklist,
        "library": library,
    }
    return render(request, "contracts/model_what_if.html", context)


def _country(scenario):
    return countries.name(scenario.country) or scenario.country
