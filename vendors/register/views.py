"""Pages of the signatory register: import a snapshot, review what it changes, apply it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import ListView

from core.access import AccessMixin, check_access, get_object_for
from vendors import register
from vendors.forms import (
    RegisterApplyAllForm,
    RegisterApplyForm,
    RegisterImportForm,
    RegisterMatchForm,
    SupplierForm,
)
from vendors.models import (
    Chapter,
    RegisterEntry,
    RegisterMatch,
    RegisterSnapshot,
    Supplier,
)
from vendors.register import applying, queries
from vendors.register import services as register_services

# The snapshot's page and the preview list this many suppliers (or changes) per section page.
SECTION_PAGE_SIZE = 50


def _section_page(request, items, param):
    """One page of a long list of the snapshot's page, chosen by the `param` query parameter
    (a bad number gives the nearest page), with links to the pages beside it that keep the
    other sections' pages."""
    page = Paginator(items, SECTION_PAGE_SIZE).get_page(request.GET.get(param))

    def link(number):
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}#{param}"

    page.previous_url = link(page.previous_page_number()) if page.has_previous() else None
    page.next_url = link(page.next_page_number()) if page.has_next() else None
    return page


def _show_errors(request, error):
    for message in error.messages:
        messages.error(request, message)


class RegisterListView(AccessMixin, ListView):
    access_model = RegisterSnapshot
    template_name = "vendors/register_list.html"
    paginate_by = 25

    def get_queryset(self):
        return queries.register_snapshots()


@login_required
def register_import(request):
    check_access(request.user, RegisterSnapshot, "add")
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            snapshot = register_services.register_import(
                data=uploaded.read(),
                filename=uploaded.name,
                taken_on=form.cleaned_data["taken_on"],
                source_url=form.cleaned_data["source_url"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, f"Imported the {snapshot}. Review what it changes below.")
            return redirect(snapshot)
    return render(request, "vendors/register_import.html", {"form": form})


@require_safe
@login_required
def register_detail(request, pk):
    snapshot = get_object_for(
        request.user, RegisterSnapshot.objects.select_related("imported_by"), pk
    )
    entries, review = queries.register_review(snapshot)
    latest = register_services.latest_snapshot()
    applied = queries.AppliedChanges(snapshot)
    context = {
        "snapshot": snapshot,
        "review": review,
        "entries": entries,
        "applied": applied,
        "latest": latest,
        "is_latest": latest.pk == snapshot.pk,
        # The lists that grow with the suppliers are shown a page at a time.
        "changes_page": _section_page(request, review.changes, "changes"),
        "not_in_list_page": _section_page(request, review.not_in_list, "not-in-list"),
        "newer_source_page": _section_page(request, review.newer_source, "newer-source"),
        "applied_page": _section_page(request, applied, "applied"),
        "in_line_page": _section_page(request, review.in_line, "in-line"),
    }
    return render(request, "vendors/register_detail.html", context)


def _snapshot_to_apply(request, pk):
    return get_object_for(request.user, RegisterSnapshot, pk, action="apply")


@require_POST
@login_required
def register_apply(request, pk):
    """The first post shows the change with its before and after; the confirmed one applies."""
    snapshot = _snapshot_to_apply(request, pk)
    form = RegisterApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a supplier and a chapter to apply.")
        return redirect(snapshot)
    supplier = get_object_or_404(Supplier.objects.active(), pk=form.cleaned_data["supplier"])
    chapter = form.cleaned_data["chapter"]
    if not form.cleaned_data["confirm"]:
        try:
            plan = applying.plan_change(
                snapshot=snapshot, supplier=supplier, chapter=chapter, by=request.user
            )
        except ValidationError as error:
            _show_errors(request, error)
            return redirect(snapshot)
        if plan is None:
            messages.info(request, f"{supplier} – {Chapter(chapter).label}: nothing to apply.")
            return redirect(snapshot)
        return render(
            request,
            "vendors/register_apply.html",
            {
                "snapshot": snapshot,
                "plans": [plan],
                "plans_page": _section_page(request, [plan], "plans"),
            },
        )
    try:
        change = register_services.register_change_apply(
            snapshot=snapshot,
            supplier=supplier,
            chapter=chapter,
            by=request.user,
            expected=form.cleaned_data["expected"] or None,
        )
    except ValidationError as error:
        _show_errors(request, error)
    else:
        if change is None:
            messages.info(request, f"{supplier} – {Chapter(chapter).label}: nothing to apply.")
        elif change.note_only:
            messages.success(
                request, f"{supplier} – {change.chapter_label}: noted, the status is unchanged."
            )
        else:
            messages.success(
                request,
                f"{supplier} – {change.chapter_label}: {change.current_label} → "
                f"{change.proposed_label}.",
            )
    return redirect(snapshot)


@login_required
def register_apply_all(request, pk):
    """A preview of every change of the snapshot; the confirmed post applies them all at once."""
    snapshot = _snapshot_to_apply(request, pk)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    _, review = queries.register_review(snapshot)
    if request.method == "POST":
        form = RegisterApplyAllForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Look at the preview, then apply.")
            return redirect("vendors:register_apply_all", pk=snapshot.pk)
        try:
            applied = register_services.register_changes_apply_all(
                snapshot=snapshot,
                review=review,
                fingerprint=form.cleaned_data["fingerprint"],
                by=request.user,
            )
        except ValidationError as error:
            _show_errors(request, error)
            return redirect("vendors:register_apply_all", pk=snapshot.pk)
        messages.success(request, f"Applied {len(applied)} change{pluralize(len(applied))}.")
        return redirect(snapshot)
    latest = register_services.latest_snapshot()
    plans = []
    if latest.pk == snapshot.pk:
        plans = queries.PlannedChanges(snapshot=snapshot, review=review, by=request.user)
    context = {
        "snapshot": snapshot,
        "plans": plans,
        "plans_page": _section_page(request, plans, "plans"),
        "fingerprint": plans.fingerprint if plans else "",
        "all": True,
        "is_latest": latest.pk == snapshot.pk,
        "latest": latest,
    }
    return render(request, "vendors/register_apply.html", context)


@require_POST
@login_required
def register_undo(request, pk, change_pk):
    snapshot = _snapshot_to_apply(request, pk)
    applied = get_object_or_404(
        snapshot.applied_changes.select_related("supplier", "snapshot"), pk=change_pk
    )
    try:
        register_services.register_change_undo(applied=applied, by=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(
            request,
            f"Undone: {applied.supplier} – {applied.get_chapter_display()} is back to what "
            "was recorded before.",
        )
    return redirect(snapshot)


@require_POST
@login_required
def register_match(request, pk, entry_pk):
    snapshot = _snapshot_to_apply(request, pk)
    entry = get_object_or_404(snapshot.entries, pk=entry_pk)
    form = RegisterMatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Confirm or reject the match.")
        return redirect(snapshot)
    confirm = form.cleaned_data["decision"] == "confirm"
    try:
        entry = register_services.register_match_resolve(
            snapshot=snapshot, entry=entry, confirm=confirm, by=request.user
        )
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(
            request,
            f"“{entry.provider}” is {entry.supplier}."
            if confirm
            else f"“{entry.provider}” is not a supplier you have; it is listed as new.",
        )
    return redirect(snapshot)


@login_required
def register_supplier_create(request, pk, entry_pk):
    snapshot = _snapshot_to_apply(request, pk)
    entry = get_object_or_404(
        RegisterEntry.objects.filter(match__in=[RegisterMatch.NONE, RegisterMatch.REJECTED]),
        snapshot=snapshot,
        pk=entry_pk,
    )
    provider = register.display_name(entry.provider)
    initial = {"name": provider, "legal_name": entry.provider if provider != entry.provider else ""}
    form = SupplierForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            supplier = register_services.register_supplier_create(
                snapshot=snapshot, entry=entry, form=form, by=request.user
            )
        except ValidationError as error:
            _show_errors(request, error)
            return redirect(snapshot)
        messages.success(request, f"Supplier “{supplier}” added with its Code signatures.")
        return redirect(supplier)
    context = {"snapshot": snapshot, "entry": entry, "form": form}
    return render(request, "vendors/register_supplier_form.html", context)
