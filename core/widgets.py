"""Form widgets that write their markup in Python.

Django renders a select through a template, and each of its options through an include of
another template. For a country select (about 250 options) that was half of the what-if
page's time. `Select` here writes the same markup as Django's select templates
(django/forms/widgets/select.html, select_option.html and attrs.html), escaped as those
templates escape; tests/core/test_widgets.py compares the two.
"""

import html

from django import forms
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe

# A plain str (most values and labels) goes to html.escape directly: django.utils.html.escape
# does the same after a wrapper for lazy texts, which cost more than the escaping itself.


def _formatted(value):
    """`{{ value|stringformat:'s' }}`: a safe string as it is, anything else escaped."""
    if type(value) is str:
        return html.escape(value)
    return value if isinstance(value, SafeData) else escape(value)


def printed(value):
    """`{{ value }}`: localized, then escaped unless it is a safe string."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(localize(value))


def _attrs(attrs):
    """attrs.html: ` name` for True, nothing for False, ` name="value"` otherwise."""
    return "".join(
        f" {printed(name)}" if value is True else f' {printed(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


# Django's widgets whose template is input.html and nothing else (django/forms/widgets/).
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "checkbox", "color", "date", "datetime", "email", "file", "hidden", "number",
        "password", "search", "tel", "text", "time", "url",
    )
)  # fmt: skip


def input_markup(widget):
    """django/forms/widgets/input.html for a widget's context (`get_context()["widget"]`)."""
    value = widget["value"]
    value = "" if value is None else f' value="{_formatted(value)}"'
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<input type="{printed(widget["type"])}" name="{printed(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def writes_input_markup(widget):
    """Whether `widget` renders input.html through Widget.render, unchanged: then
    `input_markup` of its context is its markup."""
    return (
        widget.template_name in INPUT_TEMPLATES
        and type(widget).render is forms.Widget.render
        and type(widget)._render is forms.Widget._render
    )


class Select(forms.Select):
    """Django's select, its options written without a template each. Named as Django's is,
    since crispy-forms gives a field the CSS class of its widget's class name.

    The options are written straight from the choices, as `ChoiceWidget.optgroups` would
    list them (a group for a choice whose label is a list, only the first matching option
    selected unless the select takes several), without a dictionary per option."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.option_inherits_attrs:  # options with attributes of their own: Django's way
            return super().render(name, value, attrs, renderer)
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        if self.allow_multiple_selected:
            widget["attrs"]["multiple"] = True
        values, several = widget["value"], self.allow_multiple_selected
        parts = [f'<select name="{printed(widget["name"])}"{_attrs(widget["attrs"])}>']
        has_selected = False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, (list, tuple))
            # Django's template writes the optgroup tags for a group with a name only.
            labelled = grouped and option_value
            if labelled:
                parts.append(f'\n  <optgroup label="{printed(option_value)}">')
            for subvalue, sublabel in option_label if grouped else [(option_value, option_label)]:
                selected = (several or not has_selected) and str(subvalue) in values
                has_selected |= selected
                parts.append(
                    f'\n  <option value="{_formatted(subvalue)}"'
                    f"{' selected' if selected else ''}>{printed(sublabel)}</option>\n"
                )
            if labelled:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
