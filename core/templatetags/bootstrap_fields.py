"""`{{ form.field|bootstrap_field }}`: crispy-forms' `as_crispy_field`, written in Python.

crispy-forms renders a field through its Bootstrap 5 template (bootstrap5/field.html) and the
three templates that one includes, with a template tag for the widget: about a millisecond a
field, most of the what-if page's time with its 23 fields. This filter writes the same markup,
space for space, for the fields that page and most forms use (text-like inputs, selects and
checkboxes, with their label, errors and help text) and hands any other field to crispy-forms
itself. tests/core/test_bootstrap_fields.py compares the two for every kind and state.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.utils.safestring import mark_safe

from core.widgets import input_markup, printed, writes_input_markup

register = template.Library()

# Widgets crispy-forms lays out differently (a list of inputs, a file input) or that wrap others.
_OTHER_LAYOUT = (
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.FileInput,
    forms.MultiWidget,
)


def _written_by_crispy(field):
    """Whether the field needs crispy-forms' own rendering (see the module)."""
    widget = field.field.widget
    return (
        field.is_hidden
        or getattr(field.form, "helper", None) is not None
        or isinstance(widget, _OTHER_LAYOUT)
        or hasattr(widget, "widget")
        or hasattr(widget, "widgets")
        or widget.use_fieldset
        or not field.auto_id
    )


def _widget(field):
    """`str(field)`: the field's widget, as `BoundField.as_widget` renders it. An input is
    written by `core.widgets.input_markup` from the same context, without its template."""
    widget = field.field.widget
    if field.field.show_hidden_initial or not writes_input_markup(widget):
        return str(field)
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return input_markup(widget.get_context(field.html_name, field.value(), attrs)["widget"])


def _add_classes(widget, classes):
    """What crispy-forms' `crispy_field` tag does to the widget: its class name, then the
    Bootstrap classes, each added once."""
    class_name = widget.__class__.__name__.lower()
    class_name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(class_name, class_name)
    css_class = widget.attrs.get("class", "")
    if css_class:
        if css_class.find(class_name) == -1:
            css_class += f" {class_name}"
    else:
        css_class = class_name
    for name in classes.split():
        if name not in css_class.split():
            css_class += f" {name}"
    widget.attrs["class"] = css_class


def _help_text_and_errors(field, errors):
    """bootstrap5/layout/help_text_and_errors.html, errors as a block, help text after them."""
    error_block = ""
    if errors:
        paragraphs = "".join(
            f'\n        <p id="error_{number}_{printed(field.auto_id)}">'
            f"<strong>{printed(error)}</strong></p>\n    "
            for number, error in enumerate(errors, 1)
        )
        error_block = (
            f'\n    <div id="{printed(errors.field_id)}_error" class="invalid-feedback">\n    '
            f"{paragraphs}\n    </div>\n"
        )
    help_block = ""
    if field.help_text:
        help_block = (
            f'\n    \n        <div id="{printed(field.auto_id)}_helptext" class="form-text">'
            f"{field.help_text}</div>\n    \n"
        )
    return f"\n\n\n    {error_block}\n\n\n\n\n    {help_block}\n\n\n"


@register.filter
def bootstrap_field(field):
    """The markup `{{ field|as_crispy_field }}` gives (Bootstrap 5 pack, no form helper)."""
    if _written_by_crispy(field):
        return as_crispy_field(field)
    widget = field.field.widget
    errors = field.errors
    required = field.field.required
    label = printed(field.label) if field.label else ""
    asterisk = '<span class="asteriskField">*</span>' if required else ""
    required_class = " requiredField" if required else ""
    css_classes = field.css_classes()
    extra_class = f" {printed(css_classes)}" if css_classes else ""
    id_for_label = printed(field.id_for_label)
    wrapper_id = f"div_{printed(field.auto_id)}"
    invalid = " is-invalid" if errors else ""

    if isinstance(widget, forms.CheckboxInput):
        _add_classes(widget, f"form-check-input{invalid}")
        return mark_safe(  # noqa: S308 - every value is escaped above, the widget by Django
            f'\n\n\n    \n        <div class="mb-3">\n        \n    \n'
            f'    <div id="{wrapper_id}" class="form-check{extra_class}">\n        \n\n        \n\n'
            f"        \n            \n                    \n                        {_widget(field)}\n"
            f'                    \n                <label for="{id_for_label}" '
            f'class="form-check-label{required_class}">\n                    {label}{asterisk}\n'
            f"                </label>\n                {_help_text_and_errors(field, errors)}\n"
            f"            \n        \n        \n    </div>\n    \n        \n        </div>\n    \n\n"
        )

    label_block = ""
    if field.label:
        label_block = (
            f"\n            \n            <label\n                "
            f'for="{id_for_label}" class="form-label{required_class}">\n'
            f"                {label}{asterisk}\n            </label>\n        "
        )
    if isinstance(widget, forms.Select):
        _add_classes(widget, f"form-select{invalid}")
        widget_block = f"\n                        \n                            {_widget(field)}\n                        \n                    "
    else:
        _add_classes(widget, f"form-control{invalid}")
        widget_block = f"\n                        {_widget(field)}\n                    "
    return mark_safe(  # noqa: S308 - every value is escaped above, the widget by Django
        f'\n\n\n    \n    <div id="{wrapper_id}" class="mb-3{extra_class}">\n        {label_block}'
        f"\n\n        \n\n        \n            \n                \n                    {widget_block}"
        f"\n                    \n                        {_help_text_and_errors(field, errors)}"
        f"\n                    \n                \n            \n        \n        \n    </div>\n    \n\n"
    )
