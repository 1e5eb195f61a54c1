"""What the documentation pages read, with their joins, and the comparison of two versions."""

from django.db.models import Max

from core.library.services import latest_published
from documentation import completeness
from documentation.models import MdfCatalogue, MdfDocument, MdfField, TrainingSummary


def current_catalogue():
    return latest_published(MdfCatalogue)


def specs_of(catalogue):
    return [
        completeness.spec_of(row)
        for row in MdfField.objects.filter(catalogue=catalogue).order_by("order", "key")
    ]


def documents_for_model(model):
    return MdfDocument.objects.filter(model=model).select_related("created_by", "confirmed_by")


def summaries_for_model(model):
    return TrainingSummary.objects.filter(model=model).select_related("created_by")


def document_for_page():
    return MdfDocument.objects.select_related(
        "model", "model__supplier", "catalogue", "created_by", "confirmed_by"
    )


def values_of(document):
    return {value.field_key: (value.value, value.not_applicable) for value in document.values.all()}


def previous_of(document):
    """The version recorded before this one for the same model, or None."""
    return (
        MdfDocument.objects.filter(model_id=document.model_id, created_at__lte=document.created_at)
        .exclude(pk=document.pk)
        .filter(pk__lt=document.pk)
        .order_by("-created_at", "-pk")
        .first()
    )


def newest_model_date(model):
    """When the newest version of this model (same supplier and name) reached the market."""
    return (
        type(model)
        .objects.filter(supplier_id=model.supplier_id, name=model.name)
        .aggregate(newest=Max("placed_on_market"))["newest"]
    )


def diff(specs, old_values, new_values):
    """The fields whose value differs between two versions: [(spec, old, new)], in form order.
    A value is shown as the text, "N/A", or "" when not given."""

    def shown(values, key):
        value, not_applicable = values.get(key, ("", False))
        return "N/A" if not_applicable else (value or "").strip()

    return [
        (spec, shown(old_values, spec.key), shown(new_values, spec.key))
        for spec in specs
        if shown(old_values, spec.key) != shown(new_values, spec.key)
    ]


def previous_summary_of(record):
    """The summary recorded before this one for the same model, or None."""
    return (
        TrainingSummary.objects.filter(model_id=record.model_id, pk__lt=record.pk)
        .order_by("-created_at", "-pk")
        .first()
    )


SUMMARY_VALUES = (
    ("summary_version", "Version"),
    ("last_updated", "Last updated"),
    ("url", "Published at"),
    ("latest_collection", "Latest data collection"),
    ("crawlers", "Crawler names"),
    ("top_domains", "Most relevant domain names"),
    ("tdm_statement", "Text and data mining opt-outs"),
)


def summary_diff(old, new):
    """What differs between two summaries: [(label, old, new)], values first, then sections
    and size bands, as text ("" when not given)."""

    def text(value):
        return "" if value is None else str(value).strip()

    changes = [
        (label, text(getattr(old, name)), text(getattr(new, name)))
        for name, label in SUMMARY_VALUES
        if text(getattr(old, name)) != text(getattr(new, name))
    ]
    for label, before, after in (
        ("Section", old.sections or {}, new.sections or {}),
        ("Size band", old.size_bands or {}, new.size_bands or {}),
        ("Exact size", old.exact_sizes or {}, new.exact_sizes or {}),
    ):
        for key in sorted(set(before) | set(after)):
            if text(before.get(key)) != text(after.get(key)):
                changes.append((f"{label} {key}", text(before.get(key)), text(after.get(key))))
    return changes
