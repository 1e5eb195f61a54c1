"""Form helpers every app uses (filter values, https-only URL fields) and the throttled sign-in
forms of the app and the admin."""

import math

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.db import models
from django.utils.translation import ngettext

from core import throttle


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


class ThrottledSignInMixin:
    """Refuse sign-in after too many failures (`core/throttle.py`), before any password is
    checked, with the same words whether or not the username exists."""

    def clean(self):
        username = self.cleaned_data.get("username")
        ip = throttle.client_ip(self.request)
        remaining = throttle.login_lockout_remaining(username=username, ip=ip)
        if remaining:
            minutes = max(1, math.ceil(remaining.total_seconds() / 60))
            raise forms.ValidationError(
                ngettext(
                    "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
                    "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
                    minutes,
                ),
                code="throttled",
                params={"minutes": minutes},
            )
        try:
            cleaned_data = super().clean()
        except forms.ValidationError:
            if username:
                throttle.login_failure_record(username=username, ip=ip)
            raise
        if username:
            throttle.login_failures_clear(username=username)
        return cleaned_data


class SignInForm(ThrottledSignInMixin, AuthenticationForm):
    pass


class AdminSignInForm(ThrottledSignInMixin, AdminAuthenticationForm):
    pass
