"""The buyer's pages of the supplier link: send a request, follow it, review the answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.access import check_access, get_object_for
from core.audit import audit_log
from core.files import stored_file_response
from diligence.models import Assessment, Evidence
from portal import queries, services
from portal.forms import AskAgainForm, SupplierRequestForm
from portal.models import RequestItem, RequestStatus, SupplierFile, SupplierRequest


def _base_url(request):
    return request.build_absolute_uri("/")


def _request_for(request, pk, request_pk, action="view"):
    check_access(request.user, SupplierRequest, action)
    return get_object_or_404(
        queries.request_for_detail(SupplierRequest.objects), pk=request_pk, assessment_id=pk
    )


@require_http_methods(["GET", "POST"])
@login_required
def request_create(request, pk):
    check_access(request.user, SupplierRequest, "add")
    assessment = get_object_for(request.user, Assessment, pk)
    if not assessment.editable_by(request.user):
        # Decided, or in review with its owner: the page says so instead of offering a form.
        return render(request, "portal/request_form.html", {"assessment": assessment})
    form = SupplierRequestForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            supplier_request = services.supplier_request_create(
                assessment=assessment,
                data=data,
                items=list(data["items"]),
                yes_no_items=[item.pk for item in data["yes_no_items"]],
                by=request.user,
                base_url=_base_url(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The link is on its way to %(email)s.")
                % {"email": supplier_request.recipient_email},
            )
            return redirect(supplier_request)
    return render(request, "portal/request_form.html", {"assessment": assessment, "form": form})


@require_safe
@login_required
def request_detail(request, pk, request_pk):
    supplier_request = _request_for(request, pk, request_pk)
    assessment = supplier_request.assessment
    can_review = request.user.has_perm("portal.change_supplierrequest") and assessment.editable_by(
        request.user
    )
    context = {
        "supplier_request": supplier_request,
        "assessment": assessment,
        "rows": supplier_request.items.all(),
        "can_review": can_review,
        "can_record": can_review
        and supplier_request.status in (RequestStatus.SUBMITTED, RequestStatus.CLOSED)
        and not supplier_request.documentation_recorded
        and bool(supplier_request.mdf_entry or supplier_request.summary_entry),
        "ask_again_form": AskAgainForm(),
    }
    return render(request, "portal/request_detail.html", context)


def _workflow(request, pk, request_pk, action, success):
    supplier_request = _request_for(request, pk, request_pk, "change")
    try:
        action(supplier_request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(supplier_request)


@require_POST
@login_required
def request_resend(request, pk, request_pk):
    return _workflow(
        request,
        pk,
        request_pk,
        lambda r: services.supplier_request_resend(
            request=r, by=request.user, base_url=_base_url(request)
        ),
        _("A new link is on its way; the old one no longer works."),
    )


@require_POST
@login_required
def request_revoke(request, pk, request_pk):
    return _workflow(
        request,
        pk,
        request_pk,
        lambda r: services.supplier_request_revoke(request=r, by=request.user),
        _("The link is revoked."),
    )


@require_POST
@login_required
def documentation_record(request, pk, request_pk):
    return _workflow(
        request,
        pk,
        request_pk,
        lambda r: services.supplier_documentation_record(request=r, by=request.user),
        _("Recorded as drafts; check and confirm them on the model's documentation page."),
    )


def _row_for(request, pk, request_pk, row_pk):
    check_access(request.user, SupplierRequest, "change")
    return get_object_or_404(
        RequestItem.objects.select_related("request", "item__checklist_item"),
        pk=row_pk,
        request_id=request_pk,
        request__assessment_id=pk,
    )


@require_POST
@login_required
def answer_accept(request, pk, request_pk, row_pk):
    row = _row_for(request, pk, request_pk, row_pk)
    try:
        services.supplier_answer_accept(
            request_item=row, by=request.user, base_url=_base_url(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(code)s: the answer is accepted and its evidence added.")
            % {"code": row.item.checklist_item.code},
        )
    return redirect(row.request)


@require_POST
@login_required
def answer_ask_again(request, pk, request_pk, row_pk):
    row = _row_for(request, pk, request_pk, row_pk)
    form = AskAgainForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what is missing, so the supplier knows what to answer."))
        return redirect(row.request)
    try:
        follow_up = services.supplier_answer_ask_again(
            request_item=row,
            comment=form.cleaned_data["comment"],
            by=request.user,
            base_url=_base_url(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(row.request)
    if follow_up is not None:
        messages.success(
            request, _("A new link for the open points is on its way to the supplier.")
        )
        return redirect(follow_up)
    messages.success(
        request, _("Noted; the supplier gets a new link once every answer is reviewed.")
    )
    return redirect(row.request)


@require_safe
@login_required
def supplier_file_download(request, pk, request_pk, file_pk):
    check_access(request.user, SupplierRequest)
    check_access(request.user, Evidence)
    supplier_file = get_object_or_404(
        SupplierFile.objects.select_related("request_item__request__assessment"),
        pk=file_pk,
        request_item__request_id=request_pk,
        request_item__request__assessment_id=pk,
    )
    audit_log(
        actor=request.user,
        action="evidence_downloaded",
        target=supplier_file.request_item.request.assessment,
        summary=f"Downloaded {supplier_file.original_name} (supplier's upload)",
        data={"supplier_file": supplier_file.pk},
    )
    return stored_file_response(
        supplier_file.storage_name,
        content_type=supplier_file.content_type,
        filename=supplier_file.original_name,
    )
