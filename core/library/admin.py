"""The Django admin of a library: versions, their rows, and the actions that move a version on.

`VersionedLibraryAdmin` lists the versions and shows published and retired ones read-only.
Publishing and retiring ask for confirmation first: the publish page shows what changed since
the version the draft replaces and offers to retire that version at once. Each version page
links to a side-by-side comparison with another version (`<id>/differences/`), which is also
a CSV download (`<id>/differences/download/`).

A version's page lists its rows in a short, collapsible table (`row_summary_fields`), each
row linking to its own page, instead of every row as a full form on one very long page; new
rows are added below the list, or on a row's own add page.
"""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from core.exports import csv_response
from core.library import services
from core.library.diff import library_diff
from core.library.models import LibraryStatus


def comparison_base(library):
    """The version `library` is best compared with: the one it was copied from, else the newest
    older version; None for the first version."""
    if library.based_on_id:
        return library.based_on
    return (
        type(library)
        .objects.filter(version__lt=library.version)
        .exclude(pk=library.pk)
        .order_by("-version")
        .first()
    )


class DraftOnlyInline:
    """For the inline rows on a version's page: they change only while the version is a draft."""

    def _editable(self, obj):
        return obj is None or obj.is_draft

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class RowListInline(DraftOnlyInline):
    """The rows of a version as a short table with a link to each row's own page; collapsed,
    so a version of fifty rows is one line until it is opened."""

    extra = 0
    show_change_link = True
    classes = ("collapse",)

    def has_add_permission(self, request, obj=None):
        return False  # new rows go into the form below the list


class NewRowsInline(DraftOnlyInline):
    """Full forms for new rows only; the existing rows are in the list above."""

    def get_queryset(self, request):
        return super().get_queryset(request).none()


class LibraryRowAdmin(admin.ModelAdmin):
    """The rows of every version on their own pages: rows of published and retired versions
    are read-only, and new rows go into drafts only. Set `library_model`."""

    library_model = None

    def _library(self, obj):
        return getattr(obj, self.library_model.child_library_field())

    def has_change_permission(self, request, obj=None):
        if obj is not None and not self._library(obj).is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not self._library(obj).is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.library_model.child_library_field():
            kwargs["queryset"] = self.library_model.objects.filter(status=LibraryStatus.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class VersionedLibraryAdmin(admin.ModelAdmin):
    """The versions of a library, with publish, retire and new-draft actions.

    A library's admin names the fields of its rows (`row_fields`, as `ModelAdmin.fields`) and,
    if they need one, their form (`row_form`); the rows are then edited inline on a draft's page.
    """

    row_fields = ()
    row_form = None
    row_summary_fields = ()  # the columns of the list of rows on a version's page

    list_display = ("name", "version", "status", "row_count", "published_at", "published_by")
    list_filter = ("status",)
    ordering = ("-version",)
    readonly_fields = (
        "version",
        "status",
        "based_on",
        "published_at",
        "published_by",
        "differences",
    )
    actions = ["publish", "retire", "new_draft"]

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        rows = {"model": model.child_model(), "extra": 0, "fields": self.row_fields}
        if self.row_form is not None:
            rows["form"] = self.row_form
        add_rows = type(
            f"{model.__name__}NewRowInline",
            (NewRowsInline, admin.StackedInline),
            {**rows, "verbose_name_plural": f"new {model.children_label}"},
        )
        self.inlines = [add_rows]
        self.summary_inline = None
        if self.row_summary_fields:
            self.summary_inline = type(
                f"{model.__name__}RowListInline",
                (RowListInline, admin.TabularInline),
                {
                    "model": model.child_model(),
                    "fields": self.row_summary_fields,
                    "readonly_fields": self.row_summary_fields,
                },
            )

        # The count column is named for the rows: "Items", "Clauses".
        @admin.display(ordering="row_count", description=model.children_label.capitalize())
        def row_count(obj):
            return obj.row_count

        self.row_count = row_count

    def get_inlines(self, request, obj):
        # A version that has rows lists them briefly; each is edited on its own page.
        if obj is not None and self.summary_inline is not None:
            return [self.summary_inline, *self.inlines]
        return self.inlines

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(row_count=Count(self.model.children))

    def has_change_permission(self, request, obj=None):
        # Published and retired versions are shown read-only: records rely on them as they are.
        if obj is not None and not obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.version = services.next_version(self.model)
        super().save_model(request, obj, form, change)

    # Differences between two versions --------------------------------------------------------

    def _differences_url(self, library, against=None):
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_differences", args=[library.pk])
        return f"{url}?against={against.pk}" if against else url

    @admin.display(description="Differences")
    def differences(self, obj):
        base = comparison_base(obj) if obj and obj.pk else None
        if base is None:
            return "No earlier version to compare with."
        return format_html(
            '<a href="{}">Compare with v{}</a>', self._differences_url(obj, base), base.version
        )

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/differences/download/",
                self.admin_site.admin_view(self.differences_download),
                name=f"{opts.app_label}_{opts.model_name}_differences_download",
            ),
            path(
                "<path:object_id>/differences/",
                self.admin_site.admin_view(self.differences_view),
                name=f"{opts.app_label}_{opts.model_name}_differences",
            ),
            *super().get_urls(),
        ]

    def _compared(self, request, object_id):
        """(library, the other versions, the one compared with) for a differences request."""
        library = self.get_object(request, unquote(object_id))
        if library is None:
            raise Http404
        if not self.has_view_permission(request, library):
            raise PermissionDenied
        others = list(self.model.objects.exclude(pk=library.pk).order_by("-version"))
        chosen = request.GET.get("against", "")
        against = next((o for o in others if str(o.pk) == chosen), None)
        return library, others, against or comparison_base(library)

    def differences_download(self, request, object_id):
        """The differences as a CSV file: one line per changed field, added or removed row."""
        library, _others, against = self._compared(request, object_id)
        if against is None:
            raise Http404
        diff = library_diff(against, library)
        lines = [("added", str(row), "", "", "") for row in diff.added]
        lines += [("removed", str(row), "", "", "") for row in diff.removed]
        lines += [
            ("changed", row.title, change.label, change.old, change.new)
            for row in diff.changed
            for change in row.fields
        ]
        old, new = f"v{against.version}", f"v{library.version}"
        columns = [
            ("Change", lambda line: line[0]),
            (self.model.children_label.capitalize()[:-1], lambda line: line[1]),
            ("Field", lambda line: line[2]),
            (old, lambda line: line[3]),
            (new, lambda line: line[4]),
        ]
        label = self.model.label.replace(" ", "-")
        return csv_response(f"{label}-differences-{old}-{new}.csv", columns, lines)

    def differences_view(self, request, object_id):
        """Version `object_id` next to another (`?against=<id>`, by default the one it replaces),
        row by row and field by field."""
        library, others, against = self._compared(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Differences: {library}",
            "library": library,
            "against": against,
            "others": others,
            "diff": library_diff(against, library) if against else None,
            "download_url": (
                reverse(
                    f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}"
                    "_differences_download",
                    args=[library.pk],
                )
                + f"?against={against.pk}"
                if against
                else ""
            ),
        }
        return TemplateResponse(request, "core/library/differences.html", context)

    # Actions ------------------------------------------------------------------------------

    def _only(self, request, queryset, status, refusal):
        """The selected versions in `status`; the others are named in an error message."""
        chosen = []
        for library in queryset.order_by("version"):
            if library.status == status:
                chosen.append(library)
            else:
                self.message_user(request, f"{library}: {refusal}", messages.ERROR)
        return chosen

    def _run(self, request, libraries, action, done):
        for library in libraries:
            try:
                result = action(library)
            except ValidationError as error:
                self.message_user(request, f"{library}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"{library}: {done(result)}", messages.SUCCESS)

    def _confirmation(self, request, template, title, action, **context):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "action": action,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                **context,
            },
        )

    @admin.action(description="Publish the selected drafts (freezes them for good)")
    def publish(self, request, queryset):
        drafts = self._only(
            request, queryset, LibraryStatus.DRAFT, "Only a draft can be published."
        )
        if not drafts:
            return None
        if request.POST.get("post") == "yes":
            retire = set(request.POST.getlist("retire_replaced"))

            def run(library):
                replaced = services.replaced_versions(library)
                services.library_publish(
                    library=library, by=request.user, retire_replaced=str(library.pk) in retire
                )
                return replaced if str(library.pk) in retire else []

            def done(retired):
                if not retired:
                    return "published"
                return "published; retired " + ", ".join(f"v{o.version}" for o in retired)

            self._run(request, drafts, run, done)
            return None
        rows = []
        for library in drafts:
            base = comparison_base(library)
            rows.append(
                {
                    "library": library,
                    "problems": services.publish_problems(library),
                    "replaced": services.replaced_versions(library),
                    "base": base,
                    "diff": library_diff(base, library) if base else None,
                    "differences_url": self._differences_url(library, base) if base else "",
                }
            )
        return self._confirmation(
            request,
            "core/library/publish_confirm.html",
            f"Publish {len(drafts)} draft{'s' if len(drafts) != 1 else ''}?",
            "publish",
            rows=rows,
            libraries=drafts,
        )

    @admin.action(description="Retire the selected published versions")
    def retire(self, request, queryset):
        refusal = f"Only a published {self.model.label} can be retired."
        chosen = self._only(request, queryset, LibraryStatus.PUBLISHED, refusal)
        if not chosen:
            return None
        if request.POST.get("post") == "yes":
            self._run(
                request,
                chosen,
                lambda library: services.library_retire(library=library, by=request.user),
                lambda _result: "retired",
            )
            return None
        published = self.model.objects.filter(status=LibraryStatus.PUBLISHED).count()
        return self._confirmation(
            request,
            "core/library/retire_confirm.html",
            f"Retire {len(chosen)} version{'s' if len(chosen) != 1 else ''}?",
            "retire",
            libraries=chosen,
            none_left=published <= len(chosen),
        )

    @admin.action(description="New draft from the selected version")
    def new_draft(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda library: services.library_new_draft(source=library, by=request.user),
            lambda _draft: "new draft created",
        )
