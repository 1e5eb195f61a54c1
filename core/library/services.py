"""Publishing, retiring and copying library versions, each audited.

The functions take any `VersionedLibrary`; a library's own services call them with its
model (`diligence.services.checklist_publish` calls `library_publish`).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.audit import audit_log
from core.library.models import LibraryStatus


def latest_published(model):
    """The newest published version of the library `model`, or None."""
    return model.objects.filter(status=LibraryStatus.PUBLISHED).order_by("-version").first()


def next_version(model):
    """The version number a new version of the library `model` gets."""
    return (model.objects.aggregate(v=Max("version"))["v"] or 0) + 1


def replaced_versions(library):
    """The published versions that `library`, once published, replaces: the older ones."""
    return list(
        type(library)
        .objects.filter(status=LibraryStatus.PUBLISHED, version__lt=library.version)
        .exclude(pk=library.pk)
        .order_by("-version")
    )


def publish_problems(library):
    """Why `library` may not be published now, as messages; empty when it may."""
    if not library.is_draft:
        return ["Only a draft can be published."]
    return library.publish_problems(list(library.child_rows()))


@transaction.atomic
def library_publish(*, library, by, retire_replaced=False):
    """Publish a draft, freezing it for good; with `retire_replaced`, retire the versions it
    replaces in the same transaction."""
    library = type(library).objects.select_for_update().get(pk=library.pk)
    if problems := publish_problems(library):
        raise ValidationError(problems)
    library.status = LibraryStatus.PUBLISHED
    library.published_at = timezone.now()
    library.published_by = by
    library.save(update_fields=["status", "published_at", "published_by"])
    audit_log(
        actor=by,
        action=f"{library.audit_name}_published",
        target=library,
        summary=f"Published {library}",
    )
    if retire_replaced:
        for older in replaced_versions(library):
            library_retire(library=older, by=by)
    return library


@transaction.atomic
def library_retire(*, library, by):
    """Retire a published version: records made with it keep it, new ones use a newer one."""
    library = type(library).objects.select_for_update().get(pk=library.pk)
    if library.status != LibraryStatus.PUBLISHED:
        raise ValidationError(f"Only a published {library.label} can be retired.")
    library.status = LibraryStatus.RETIRED
    library.save(update_fields=["status"])
    audit_log(
        actor=by,
        action=f"{library.audit_name}_retired",
        target=library,
        summary=f"Retired {library}",
    )
    return library


@transaction.atomic
def library_install(*, library_model, row_model, library_field, content, rows, retire=True):
    """Publish shipped content as a new version: for data migrations.

    `content` has the version's `name` and `notes`, `rows` the field values of its rows. The
    version gets the next free number (curators may have used the file's), is based on the
    newest published version and, with `retire`, retires the versions published before it.
    Migrations pass their historical models, so nothing here calls a model's own methods.
    """
    published = list(library_model.objects.filter(status=LibraryStatus.PUBLISHED))
    library = library_model.objects.create(
        name=content["name"],
        version=next_version(library_model),
        status=LibraryStatus.PUBLISHED,
        published_at=timezone.now(),
        notes=content["notes"],
        based_on=max(published, key=lambda older: older.version) if published else None,
    )
    row_model.objects.bulk_create(row_model(**{library_field: library}, **row) for row in rows)
    if retire:
        library_model.objects.filter(pk__in=[older.pk for older in published]).update(
            status=LibraryStatus.RETIRED
        )
    return library


@transaction.atomic
def library_new_draft(*, source, by):
    """Copy a version, rows included, into a new draft with the next version number."""
    draft = type(source).objects.create(
        name=source.name,
        version=next_version(type(source)),
        based_on=source,
        notes=f"Based on v{source.version}.",
    )
    source.copy_children_to(draft)
    audit_log(
        actor=by,
        action=f"{source.audit_name}_drafted",
        target=draft,
        summary=f"New draft from {source}",
    )
    return draft
