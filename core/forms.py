from django.db import models


def https_urls(db_field, **kwargs):
    """ModelForm field callback: a URL typed without a scheme means https (Django 6's default)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)
