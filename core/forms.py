from django.db import models


def https_urls(db_field, **kwargs):
    """ModelForm field callback: a URL typed without a scheme means https (Django 6's default)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


def valid_filters(form):
    """The filter values that are valid; an invalid one is dropped, not the whole filter set."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data
