"""One rule for every text that enters the app, whichever way it comes in.

Forms (the app's and the admin's), the register import and any other way in pass their text
through `normalise_text`:

- a NUL character is refused: no database stores it faithfully (PostgreSQL refuses it) and
  no person types it;
- lone surrogates are refused: they are not text and cannot be encoded;
- bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C), zero-width
  characters that carry no meaning (U+200B, U+2060, U+FEFF, U+180E) and the other control
  characters (C0 and C1 controls and DEL, except tab, line feed and carriage return) are
  removed: they are invisible, can reverse the text around them on a page or in a PDF, and
  break the XML inside Word files;
- the rest is put in Unicode normal form C, so that the same name typed on two keyboards is
  the same string.

The zero-width joiner and non-joiner (U+200D, U+200C) stay: Arabic, Persian, Indic scripts and
emoji sequences need them.

Forms get the rule from `NormalisedTextMixin`; `normalised_form` adds it to a form class
that does not have it (the admin's forms, `core.admin_site`).
"""

import contextlib
import json
import math
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

NUL_MESSAGE = "This text contains a NUL character (\\0); remove it and try again."
SURROGATE_MESSAGE = "This text contains characters that are not valid Unicode text."

_REMOVED = re.compile(
    "["
    "\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # controls other than tab, LF and CR
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional controls
    "\u200b\u2060\ufeff\u180e"  # zero-width characters without meaning
    "]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def normalise_text(value):
    """`value` (a str) as the app stores it; ValidationError when it cannot be stored.

    Idempotent: normalising a normalised text changes nothing.
    """
    if "\x00" in value:
        raise ValidationError(NUL_MESSAGE, code="null_characters_not_allowed")
    if _SURROGATE.search(value):
        raise ValidationError(SURROGATE_MESSAGE, code="surrogate")
    return unicodedata.normalize("NFC", _REMOVED.sub("", value))


def is_normalised(value):
    """Whether `value` is a text `normalise_text` leaves as it is."""
    try:
        return normalise_text(value) == value
    except ValidationError:
        return False


def normalise_data(value):
    """Every string in `value` (nested lists and dicts, as parsed JSON) normalised."""
    if isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, list):
        return [normalise_data(item) for item in value]
    if isinstance(value, dict):
        return {normalise_data(key): normalise_data(item) for key, item in value.items()}
    return value


def _strings(value):
    """Every string in `value`: itself, or those nested in lists, tuples and dicts."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _problem(value):
    """The ValidationError for the first string in `value` that is not stored as it is."""
    for text in _strings(value):
        try:
            if normalise_text(text) != text:
                return ValidationError(
                    "This text contains control characters; remove them and try again.",
                    code="control_characters",
                )
        except ValidationError as error:
            return error
    return None


def _normalised_or_kept(value):
    """A submitted value normalised; one that cannot be is kept as it is, so that its field,
    or the check after cleaning, refuses it with its message."""
    if not isinstance(value, str):
        return value
    with contextlib.suppress(ValidationError):
        value = normalise_text(value)
    return value


# What a database integer column holds (64 bits); SQLite cannot even bind a larger number.
DATABASE_INTEGERS = range(-(2**63), 2**63)
OUT_OF_RANGE_MESSAGE = "This number is too large."


def _out_of_range(value):
    """Whether `value`, a submitted string, is an integer no database column can hold."""
    digits = value.strip().lstrip("+-")
    if not digits.isascii() or not digits.isdigit():
        return False
    return len(digits) > 19 or int(value) not in DATABASE_INTEGERS


def _finite(text):
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text[:20]} is not a finite number")
    return number


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


def _unreadable_json(value):
    """Whether `value` is JSON that Django's JSONField cannot read and would not refuse either
    (it catches only syntax errors) or would store as no database accepts it: a number of
    thousands of digits, deep nesting, NaN, Infinity, or 1e999 (read as infinity)."""
    try:
        json.loads(value, parse_float=_finite, parse_constant=_no_constant)
    except json.JSONDecodeError:
        return False  # the field refuses it with its own message
    except (ValueError, RecursionError):
        return True
    return False


def _has_integer_keys(field):
    if not isinstance(field, forms.ModelChoiceField):
        return False
    model = field.queryset.model
    key = model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk
    return isinstance(key, (models.IntegerField, models.AutoField))


class NormalisedTextMixin:
    """For every form: what is submitted is normalised before any field reads it, and a value
    that is still not storable after cleaning (a NUL, for example inside JSON, where it
    arrives escaped) is refused on its field with a message.

    Numbers get the same care: a choice of record by an id no database integer holds is
    refused as an invalid choice (SQLite raised OverflowError on it), an integer field's value
    beyond 64 bits is refused as too large, and JSON that Python cannot read (a number of
    thousands of digits, deep nesting) is refused as invalid JSON instead of raising.

    Passwords are left exactly as typed: normalising them would lock out whoever set one
    before.
    """

    def _password_keys(self):
        return {
            self.add_prefix(name)
            for name, field in self.fields.items()
            if isinstance(field.widget, forms.PasswordInput)
        }

    def _record_choice_keys(self):
        return {
            self.add_prefix(name) for name, field in self.fields.items() if _has_integer_keys(field)
        }

    def _json_keys(self):
        return {
            self.add_prefix(name)
            for name, field in self.fields.items()
            if isinstance(field, forms.JSONField)
        }

    def _normalised_data(self, data):
        passwords, choices = self._password_keys(), self._record_choice_keys()
        json_keys = self._json_keys()

        def clean(key, value):
            if key in passwords or not isinstance(value, str):
                return value
            if key in choices and _out_of_range(value):
                return "-"  # no record has it: the field refuses it as an invalid choice
            if key in json_keys and _unreadable_json(value):
                return "{"  # the field refuses it: "Enter a valid JSON."
            return _normalised_or_kept(value)

        if hasattr(data, "lists"):  # a QueryDict: a key may have several values
            normalised = data.copy()
            for key, values in data.lists():
                normalised.setlist(key, [clean(key, value) for value in values])
            return normalised
        return {key: clean(key, value) for key, value in data.items()}

    def full_clean(self):
        # Here rather than in __init__: forms finish their fields (querysets) after it.
        if self.is_bound:
            self.data = self._normalised_data(self.data)
        super().full_clean()
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        for name, value in list(self.cleaned_data.items()):
            if name not in self.fields or isinstance(self.fields[name].widget, forms.PasswordInput):
                continue
            problem = _problem(value)
            integer = isinstance(self.fields[name], forms.IntegerField) and isinstance(value, int)
            if problem is None and integer and value not in DATABASE_INTEGERS:
                problem = ValidationError(OUT_OF_RANGE_MESSAGE, code="out_of_range")
            if problem is not None:
                self.add_error(name, problem)


def normalised_form(form_class):
    """`form_class` with `NormalisedTextMixin` (itself if it has it already)."""
    if issubclass(form_class, NormalisedTextMixin):
        return form_class
    return type(
        form_class.__name__,
        (NormalisedTextMixin, form_class),
        {"__module__": form_class.__module__, "__doc__": form_class.__doc__},
    )


class NormalisedForm(NormalisedTextMixin, forms.Form):
    """The base of the app's forms."""


class NormalisedModelForm(NormalisedTextMixin, forms.ModelForm):
    """The base of the app's model forms."""
