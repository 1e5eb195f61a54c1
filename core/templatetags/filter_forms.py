"""The filter bars of the lists: a select's options written in one go.

A list's filter bar has a country select of about 250 options. Rendered option by option in
the template language, comparing each with the field's value, it cost more than the rest of
the page. Here each choice list is escaped once per process, and a request only marks the
submitted value as selected.
"""

import functools

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@functools.lru_cache(maxsize=64)
def _escaped(choices):
    """(value, opening tag up to the value, the rest) of each choice, escaped."""
    return tuple(
        (str(value), format_html('<option value="{}"', value), format_html(">{}</option>", label))
        for value, label in choices
    )


@register.simple_tag
def select_options(field):
    """The <option> elements of a bound choice field, the submitted value selected."""
    value = field.value()
    selected = "" if value is None else str(value)
    return mark_safe(  # noqa: S308 - joined from format_html output only
        "".join(
            f"{start}{' selected' if choice == selected else ''}{rest}"
            for choice, start, rest in _escaped(tuple(field.field.choices))
        )
    )
