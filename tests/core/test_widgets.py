"""core.widgets.Select writes the markup of Django's select templates, escaped the same way."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from core import widgets

HOSTILE = '<script>alert("x")</script> & \'quoted\' "double" &amp;'


def _both(choices, value, attrs=None, **widget_attrs):
    """The markup of Django's Select and of ours for the same choices, value and attributes."""
    django_select = forms.Select(attrs=widget_attrs, choices=choices)
    quick = widgets.Select(attrs=widget_attrs, choices=choices)
    return (
        django_select.render("field", value, attrs=attrs),
        quick.render("field", value, attrs=attrs),
    )


@pytest.mark.parametrize(
    ("choices", "value"),
    [
        ([("", "Any"), ("a", "A"), ("b", "B")], "b"),
        ([("", "Any"), ("a", "A")], None),
        ([(HOSTILE, HOSTILE), ("x", mark_safe("<b>safe</b>"))], HOSTILE),
        ([(mark_safe("<i>"), "safe value"), (1, 2), (2.5, 1234567)], 1),
        ([("lazy", gettext_lazy("Not applicable"))], "lazy"),
        ([(HOSTILE, [("a", "A"), ("b", HOSTILE)]), ("c", "C")], "b"),
        ([("Group", [("a", "A")]), ("Other", [("b", "B")])], "zzz"),
        ([], ""),
        # Only the first option of a value is selected; None is the empty value.
        ([("a", "First"), ("a", "Second"), (None, "None")], "a"),
        ([(None, "None"), ("", "Empty")], ""),
        # A group without a name has no optgroup tags.
        ([("", [("a", "A")]), (0, [("b", "B")]), ("G", [("c", "C")])], "c"),
        ([(1, "One"), (True, "Yes")], True),
    ],
)
def test_select_writes_the_markup_of_djangos_templates(choices, value):
    before, after = _both(choices, value)
    assert after == before


def test_select_writes_attributes_as_django_does():
    before, after = _both(
        [("a", "A")],
        "a",
        attrs={"id": "id_field", "required": True, "disabled": False, "data-x": HOSTILE},
        **{"class": "form-select", "data-safe": mark_safe("&amp;"), "data-n": 3},
    )
    assert after == before
    assert 'data-x="&lt;script&gt;' in after
    assert " required" in after
    assert "disabled" not in after


@given(
    st.lists(st.tuples(st.text(max_size=12), st.text(max_size=12)), max_size=6),
    st.text(max_size=12),
)
def test_select_matches_django_for_any_text(choices, value):
    before, after = _both(choices, value)
    assert after == before


class _SeveralSelect(widgets.Select):
    allow_multiple_selected = True


class _OptionAttrsSelect(widgets.Select):
    option_inherits_attrs = True


class _DjangoOptionAttrsSelect(forms.Select):
    option_inherits_attrs = True


@pytest.mark.parametrize(
    ("ours", "djangos"),
    [(_SeveralSelect, forms.SelectMultiple), (_OptionAttrsSelect, _DjangoOptionAttrsSelect)],
)
def test_a_select_of_several_or_with_option_attributes_writes_djangos_markup(ours, djangos):
    choices = [("a", "A"), ("b", [("c", "C"), ("a", "A again")]), ("d", "D")]
    value = ["a", "c"] if ours is _SeveralSelect else "a"
    before = djangos(choices=choices, attrs={"class": "x"}).render("f", value, {"id": "id_f"})
    after = ours(choices=choices, attrs={"class": "x"}).render("f", value, {"id": "id_f"})

    assert after == before


class _DjangoForm(forms.Form):
    country = forms.ChoiceField(choices=[("", "Any country"), ("FR", HOSTILE)])


class _QuickForm(forms.Form):
    country = forms.ChoiceField(
        choices=[("", "Any country"), ("FR", HOSTILE)], widget=widgets.Select
    )


def test_crispy_field_of_the_select_is_the_same_as_with_djangos_select():
    before = str(as_crispy_field(_DjangoForm(initial={"country": "FR"})["country"]))
    after = str(as_crispy_field(_QuickForm(initial={"country": "FR"})["country"]))
    assert 'class="select form-select' in after
    assert after == before


INPUTS = [
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.HiddenInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.CheckboxInput,
    forms.FileInput,
    forms.ColorInput,
    forms.SearchInput,
    forms.TelInput,
]


@pytest.mark.parametrize("widget_class", INPUTS)
@pytest.mark.parametrize("value", [None, "", HOSTILE, mark_safe("<b>safe</b>"), 1234567, True])
def test_input_markup_is_the_markup_of_djangos_input_template(widget_class, value):
    widget = widget_class(attrs={"class": "form-control", "data-x": HOSTILE, "data-off": False})
    attrs = {"id": "id_f", "required": True, "aria-describedby": "id_f_helptext"}

    assert widgets.writes_input_markup(widget)
    context = widget.get_context("f", value, attrs)["widget"]
    assert widgets.input_markup(context) == widget.render("f", value, attrs)


def test_a_widget_with_a_template_or_render_of_its_own_is_left_to_django():
    class Custom(forms.TextInput):
        template_name = "core/custom_input.html"

    class Rendered(forms.TextInput):
        def render(self, *args, **kwargs):
            return "custom"

    assert not widgets.writes_input_markup(Custom())
    assert not widgets.writes_input_markup(Rendered())
    assert not widgets.writes_input_markup(forms.Textarea())
    assert not widgets.writes_input_markup(forms.ClearableFileInput())
