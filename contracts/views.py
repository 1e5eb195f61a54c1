"""The clause-pack page and its actions: remove or add a clause, generate and download documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from contracts import content, queries, services
from contracts.documents.layout import clause_blocks
from contracts.forms import ClauseOverrideForm, DocumentGenerateForm
from contracts.models import ClausePack, Document, DocumentFormat
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
    assessment = get_object_for(request.user, queries.assessment_for_pack(), pk)
    state = queries.clause_pack_state(assessment)
    values = content.with_today(content.placeholder_values(assessment), timezone.localdate())
    documents = list(queries.documents_of(assessment))
    context = {
        "assessment": assessment,
        "library": state.library,
        "facts": state.facts,
        "included": _with_text(state.pack.included, values),
        "removed": _with_text(state.pack.removed, values),
        "not_selected": _with_text(state.pack.not_selected, values),
        "overrides": list(reversed(state.overrides)),
        "documents_by_format": [
            (label, [d for d in documents if d.format == value])
            for value, label in DocumentFormat.choices
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
        messages.error(request, "Choose PDF or Word.")
        return redirect(_pack_url(pk, "documents"))
    try:
        document, created = services.document_generate(
            assessment=assessment, format=form.cleaned_data["format"], by=request.user
        )
    except ValidationError as error:
        _show_errors(request, error)
        return redirect(_pack_url(pk, "documents"))
    label = f"{document.get_format_display()} version {document.version}"
    if created:
        messages.success(request, f"{label} generated.")
    else:
        messages.info(request, f"Nothing changed since {label}; it is the current document.")
    return redirect(_pack_url(pk, "documents"))


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
