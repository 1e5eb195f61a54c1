"""The supplier's pages: opening the link, answering, uploading, the MDF and the training
summary, submitting. No account: the portal session (portal.access) says which request."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import files, throttle
from documentation import queries as documentation_queries
from documentation.forms import value_name
from portal import access, notify, services, tokens
from portal.forms import (
    SupplierAnswerForm,
    SupplierFileForm,
    SupplierMdfForm,
    SupplierSummaryForm,
)
from portal.models import SupplierFile, SupplierRequest


@require_safe
@login_not_required
def link(request, token):
    """Exchange the link's token for a portal session, then go on to a page without it."""
    if not tokens.is_well_formed(token):
        return access.neutral(request)
    # Failed attempts are counted per token and per address, with the sign-in's throttle.
    key = f"supplier-link:{tokens.token_hash(token)[:40]}"
    ip = throttle.client_ip(request)
    remaining, attempt = throttle.login_attempt_begin(username=key, ip=ip)
    if remaining:
        return access.neutral(request, status=429)
    supplier_request = services.request_for_token(token)
    if supplier_request is None:
        return access.neutral(request)
    throttle.login_failures_clear(username=key, attempt=attempt)
    access.session_start(request, supplier_request)
    return access.no_referrer(redirect("portal:answers"))


def _rows(supplier_request):
    return list(
        supplier_request.items.select_related("item__checklist_item").prefetch_related("files")
    )


@require_http_methods(["GET", "POST"])
@access.supplier_page
def answers(request, supplier_request):
    """Every item's answer and new files in one form: "Save draft" keeps them, "Submit
    answers" keeps them and locks the request."""
    rows = _rows(supplier_request)
    post = request.method == "POST"
    pairs = [
        (
            SupplierAnswerForm(request.POST if post else None, row=row, initial=_initial(row)),
            SupplierFileForm(
                request.POST if post else None,
                request.FILES if post else None,
                prefix=f"file-{row.pk}",
            ),
        )
        for row in rows
    ]
    if post:
        if all(form.is_valid() and file_form.is_valid() for form, file_form in pairs):
            try:
                _save(supplier_request, pairs, submit="submit" in request.POST)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("portal:answers")
            if "submit" in request.POST:
                return redirect("portal:submitted")
            messages.success(request, _("Your answers are saved as a draft."))
            return redirect("portal:answers")
        messages.error(request, _("Some answers need a correction; see below."))
    context = {
        "supplier_request": supplier_request,
        "assessment": supplier_request.assessment,
        "rows": [(form.row, form, file_form) for form, file_form in pairs],
        "max_megabytes": settings.EVIDENCE_MAX_BYTES // files.MEGABYTE,
    }
    return render(request, "portal/answers.html", context)


def _save(supplier_request, pairs, *, submit):
    services.supplier_answers_save(
        request=supplier_request,
        answers={form.row.pk: form.cleaned_data for form, _file_form in pairs},
    )
    for form, file_form in pairs:
        if uploaded := file_form.cleaned_data.get("file"):
            services.supplier_file_add(
                request=supplier_request, request_item=form.row, uploaded_file=uploaded
            )
    if submit:
        services.supplier_request_submit(request=supplier_request)


def _initial(row):
    return {
        "answer_text": row.answer_text,
        "answer_yes_no": row.answer_yes_no,
        "answer_links": row.answer_links,
    }


@require_POST
@access.supplier_page
def file_remove(request, supplier_request, file_pk):
    supplier_file = SupplierFile.objects.filter(
        pk=file_pk, request_item__request=supplier_request
    ).first()
    if supplier_file is None:  # another request's file, or none: the same neutral answer
        return access.neutral(request)
    try:
        services.supplier_file_remove(request=supplier_request, supplier_file=supplier_file)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file is removed."))
    return redirect("portal:answers")


def _mdf_groups(form, specs):
    groups = {}
    for spec in specs:
        na = form[f"na__{spec.key}"] if f"na__{spec.key}" in form.fields else None
        groups.setdefault(spec.section, []).append((spec, form[value_name(spec.key)], na))
    return list(groups.items())


@require_http_methods(["GET", "POST"])
@access.supplier_page
def mdf(request, supplier_request):
    catalogue = documentation_queries.current_catalogue()
    if not supplier_request.asks_mdf or catalogue is None:
        return access.neutral(request)
    specs = documentation_queries.specs_of(catalogue)
    if request.method == "POST":
        form = SupplierMdfForm(request.POST, specs=specs)
        if form.is_valid():
            return _documentation_save(request, supplier_request, "mdf", form)
    else:
        form = SupplierMdfForm(supplier_request.mdf_entry or None, specs=specs)
    context = {
        "supplier_request": supplier_request,
        "assessment": supplier_request.assessment,
        "form": form,
        "groups": _mdf_groups(form, specs),
    }
    return render(request, "portal/mdf.html", context)


@require_http_methods(["GET", "POST"])
@access.supplier_page
def summary(request, supplier_request):
    if not supplier_request.asks_training_summary:
        return access.neutral(request)
    if request.method == "POST":
        form = SupplierSummaryForm(request.POST)
        if form.is_valid():
            return _documentation_save(request, supplier_request, "summary", form)
    else:
        form = SupplierSummaryForm(supplier_request.summary_entry or None)
    return render(
        request,
        "portal/summary.html",
        {
            "supplier_request": supplier_request,
            "assessment": supplier_request.assessment,
            "form": form,
        },
    )


def _documentation_save(request, supplier_request, kind, form):
    try:
        services.supplier_documentation_save(
            request=supplier_request, kind=kind, cleaned_data=form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved as a draft. Submit your answers when all is done."))
    return redirect("portal:answers")


@require_safe
@access.supplier_page(submitted_ok=True)
def submitted(request, supplier_request):
    return render(request, "portal/submitted.html", {"supplier_request": supplier_request})


@require_http_methods(["GET", "POST"])
@login_not_required
def reminders_stop(request, key):
    try:
        pk = signing.loads(key, salt=notify.OPT_OUT_SALT)
    except signing.BadSignature:
        return access.neutral(request)
    supplier_request = SupplierRequest.objects.select_related("assessment").filter(pk=pk).first()
    if supplier_request is None:
        return access.neutral(request)
    if request.method == "POST":
        services.supplier_reminders_stop(request=supplier_request)
        return access.no_referrer(render(request, "portal/reminders_stopped.html"))
    return access.no_referrer(render(request, "portal/reminders_stop.html"))
