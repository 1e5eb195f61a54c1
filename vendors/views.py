"""Supplier and model pages: list, detail, create, edit, archive, signatures and the CSV export."""

import datetime
import functools
from operator import attrgetter, itemgetter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import get_language
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from core import exports
from core.access import AccessMixin, check_access, get_object_for
from core.audit import audit_entries_for, audit_log, recent_audit_entries
from core.forms import valid_filters
from core.history import changes, changes_in, changes_in_values, fold_created
from core.links import row_link
from vendors import facts, queries, services
from vendors.exports import SUPPLIER_COLUMNS
from vendors.forms import (
    CommonSourceForm,
    GPAIModelForm,
    SignatureForm,
    SupplierFilterForm,
    SupplierForm,
)
from vendors.models import Chapter, GPAIModel, Signature, SignatureStatus, Supplier


class SupplierListView(AccessMixin, ListView):
    access_model = Supplier
    template_name = "vendors/supplier_list.html"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = SupplierFilterForm(self.request.GET or None)
        return queries.ListedSuppliers(valid_filters(self.filter_form), LIST_COLUMNS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        set_list_rows(context["object_list"])
        context.update(filter_form=self.filter_form, query_string=query.urlencode())
        return context


# The columns a list page shows of each supplier.
LIST_COLUMNS = ("id", "name", "legal_name", "country", "is_demo", "archived_at")


def set_list_rows(suppliers):
    """Give each supplier row of a list page what it shows beyond its columns: the link
    (`detail_url`), the country's name and whether it is in the EU/EEA, and the badges of
    its signatures in chapter order. The link comes from one reversed URL, each country's
    name and each badge's markup once per process: per row, reverse(), a country's
    translated name and a badge's labels cost more than the rest of the row."""
    detail = row_link("vendors:supplier_detail")
    language = get_language()
    for supplier in suppliers:
        supplier["detail_url"] = detail(supplier["id"])
        code = supplier["country"]
        supplier["country_name"] = country_name(code, language)
        supplier["in_eu"] = code in facts.EU_EEA_COUNTRIES
        supplier["badges"] = [
            signature_badge(s["chapter"], s["status"], language)
            for s in queries.signatures_in_order(supplier["signatures"], key=itemgetter("chapter"))
        ]
    return suppliers


@functools.lru_cache(maxsize=1024)
def country_name(code, language):
    """A supplier's country's name, as `supplier.country.name` gives it in `language`."""
    return Supplier.country.country(code).name


@functools.lru_cache(maxsize=64)
def signature_badge(chapter, status, language):
    """The list's badge for a chapter's signature status, with the labels in `language`."""
    chapter_label, status_label = Chapter(chapter).label, SignatureStatus(status).label
    return format_html(
        '<span class="badge rounded-pill chapter-badge status-{}" title="{}: {}">{}: {}</span>',
        status,
        chapter_label,
        status_label,
        chapter_label,
        status_label,
    )


class SupplierDetailView(AccessMixin, DetailView):
    access_model = Supplier
    template_name = "vendors/supplier_detail.html"

    def get_object(self, queryset=None):
        supplier = queries.supplier_for_page(self.kwargs["pk"])
        if supplier is None:
            raise Http404
        return supplier

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        supplier = self.object
        today = datetime.date.today()
        signatures, models = queries.supplier_page_rows(supplier)
        for signature in signatures:
            signature.stale = signature.is_stale(today)
        chapter_labels = dict(Chapter.choices)
        supplier_records, signature_rows = queries.supplier_page_history(supplier)
        history = fold_created(
            changes_in(
                supplier_records,
                subject=lambda record: "Supplier",
                who=attrgetter("history_user_name"),
            ),
            changes_in_values(
                signature_rows,
                Signature,
                subject=lambda row: f"Signature: {chapter_labels[row['chapter']]}",
            ),
            label="signatures",
        )
        active_models = [m for m in models if not m.is_archived]
        context.update(
            signatures=signatures,
            representative_needed=any(
                facts.authorised_representative_needed(model.facts()) for model in active_models
            ),
            active_models=active_models,
            archived_models=[m for m in models if m.is_archived],
            history=history[:50],
            audit_entries=recent_audit_entries(supplier),
            stale_after_days=settings.SIGNATURE_STALE_AFTER_DAYS,
        )
        return context


class SupplierCreateView(AccessMixin, CreateView):
    access_model = Supplier
    access_action = "add"
    form_class = SupplierForm
    template_name = "vendors/supplier_form.html"

    def form_valid(self, form):
        supplier = services.supplier_create(form=form, by=self.request.user)
        messages.success(self.request, f"Supplier “{supplier}” added.")
        return redirect(supplier)


class SupplierUpdateView(AccessMixin, UpdateView):
    access_model = Supplier
    access_action = "change"
    model = Supplier
    form_class = SupplierForm
    template_name = "vendors/supplier_form.html"

    def form_valid(self, form):
        supplier = services.record_save(form=form, by=self.request.user)
        messages.success(self.request, f"Supplier “{supplier}” saved.")
        return redirect(supplier)


@login_required
def signatures_edit(request, pk):
    supplier = get_object_for(request.user, Supplier, pk, action="change")
    check_access(request.user, Signature, "change")
    if supplier.is_archived:
        messages.error(request, "This supplier is archived. Restore it to record signatures.")
        return redirect(supplier)
    signatures = {s.chapter: s for s in supplier.signatures.all()}
    common = CommonSourceForm(request.POST or None, prefix="all")
    data = common.fill_in(request.POST, Chapter.values) if request.method == "POST" else None
    forms = [
        SignatureForm(
            data,
            instance=signatures.get(chapter) or Signature(supplier=supplier, chapter=chapter),
            prefix=chapter,
        )
        for chapter in Chapter.values
    ]
    # A list, not a generator: every form must be validated so each shows its errors.
    valid = [common.is_valid(), *(form.is_valid() for form in forms)]
    if request.method == "POST" and all(valid):
        services.signatures_update(forms=forms, by=request.user)
        messages.success(request, "Code of Practice signatures saved.")
        return redirect(supplier)
    context = {"supplier": supplier, "forms": forms, "common": common}
    return render(request, "vendors/signature_form.html", context)


@require_POST
@login_required
def supplier_archive(request, pk):
    return _archive(request, Supplier, pk)


@require_POST
@login_required
def model_archive(request, pk):
    return _archive(request, GPAIModel, pk)


def _archive(request, model, pk):
    record = get_object_for(request.user, model, pk, action="change")
    archive = request.POST.get("restore") is None
    with transaction.atomic():
        services.record_archive(record=record, by=request.user, archive=archive)
    verb = "archived" if archive else "restored"
    messages.success(request, f"{record._meta.verbose_name.capitalize()} “{record}” {verb}.")
    return redirect(record)


class ModelDetailView(AccessMixin, DetailView):
    access_model = GPAIModel
    template_name = "vendors/model_detail.html"
    context_object_name = "gpai_model"

    def get_queryset(self):
        return queries.model_for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        model = self.object
        signed = {s.chapter for s in model.supplier.signatures.all() if s.is_signed}
        context.update(
            derived=facts.derive_facts(model.facts(signed), datetime.date.today()),
            eea_as_union=settings.AI_ACT_EEA_AS_UNION,
            history=changes(GPAIModel.history.filter(id=model.pk), subject=lambda r: "Model"),
            audit_entries=audit_entries_for(model)[:20],
        )
        return context


class ModelCreateView(AccessMixin, CreateView):
    access_model = GPAIModel
    access_action = "add"
    form_class = GPAIModelForm
    template_name = "vendors/model_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.supplier = get_object_for(request.user, Supplier, kwargs["supplier_pk"])
            if self.supplier.is_archived:
                messages.error(request, "This supplier is archived. Restore it to add models.")
                return redirect(self.supplier)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "supplier": self.supplier}

    def get_context_data(self, **kwargs):
        return super().get_context_data(supplier=self.supplier, **kwargs)

    def form_valid(self, form):
        model = services.record_save(form=form, by=self.request.user)
        messages.success(self.request, f"Model “{model}” added to {self.supplier}.")
        return redirect(model)


class ModelUpdateView(AccessMixin, UpdateView):
    access_model = GPAIModel
    access_action = "change"
    form_class = GPAIModelForm
    template_name = "vendors/model_form.html"
    context_object_name = "gpai_model"

    def get_queryset(self):
        return GPAIModel.objects.select_related("supplier")

    def get_context_data(self, **kwargs):
        return super().get_context_data(supplier=self.object.supplier, **kwargs)

    def form_valid(self, form):
        model = services.record_save(form=form, by=self.request.user)
        messages.success(self.request, f"Model “{model}” saved.")
        return redirect(model)


@require_safe
@login_required
def supplier_export(request):
    """The supplier list as CSV, with the filters of the list page."""
    check_access(request.user, Supplier)
    filters = valid_filters(SupplierFilterForm(request.GET or None))
    suppliers = queries.suppliers_for_list(filters).iterator(chunk_size=exports.CHUNK_SIZE)
    audit_log(
        actor=request.user,
        action="suppliers_exported",
        target=request.user,
        summary=f"Exported the supplier list ({request.GET.urlencode() or 'no filters'})",
        data={"query": request.GET.urlencode()},
    )
    filename = f"suppliers-{datetime.date.today():%Y-%m-%d}.csv"
    return exports.csv_response(filename, SUPPLIER_COLUMNS, suppliers)
