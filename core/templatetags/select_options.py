"""A select's options written in one go.

A list's filter bar has a country select of about 250 options, and the assessment page a
status select on each of its rows. Rendered option by option in the template language,
comparing each with the current value, they cost more than the rest of the page. Here each
choice list is escaped once per process, and a request only marks the current value.
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
def options(choices, selected):
    """The <option> elements of `choices`, the one whose value is `selected` selected."""
    selected = "" if selected is None else str(selected)
    return mark_safe(  # noqa: S308 - joined from format_html output only
        "".join(
            f"{start}{' selected' if value == selected else ''}{rest}"
            # Iterated, not measured first: model choices would count their rows in a query.
            for value, start, rest in _escaped(tuple(iter(choices)))
        )
    )
