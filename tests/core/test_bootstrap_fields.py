"""`bootstrap_field` writes what crispy-forms' `as_crispy_field` writes, for every kind of field
and every state: required or not, with errors, help text, disabled, checked, hostile labels."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.template import Context, Template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from core import widgets
from core.templatetags.bootstrap_fields import bootstrap_field
from vendors.forms import DateInput

HOSTILE = '<script>alert("x")</script> & \'quoted\' "double" &amp;'


class _Form(forms.Form):
    text = forms.CharField(label="Name", max_length=20)
    optional_text = forms.CharField(label=HOSTILE, required=False, help_text="Say <em>why</em>.")
    number = forms.IntegerField(required=False, help_text=gettext_lazy("A whole number"))
    url = forms.URLField(label="Source", required=False, assume_scheme="https")
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"class": "wide"}))
    day = forms.DateField(label="As of", widget=DateInput())
    optional_day = forms.DateField(label="Decided on", required=False, widget=DateInput())
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", HOSTILE)], widget=widgets.Select)
    django_choice = forms.ChoiceField(
        required=False, choices=[("", "Any"), ("a", "A")], help_text="Pick one"
    )
    several = forms.MultipleChoiceField(required=False, choices=[("a", "A"), ("b", "B")])
    flag = forms.BooleanField(label="Weights public", required=False)
    required_flag = forms.BooleanField(label=HOSTILE, help_text="Tick <b>it</b>")
    disabled_text = forms.CharField(required=False, disabled=True)
    disabled_flag = forms.BooleanField(required=False, disabled=True)
    unlabelled = forms.CharField(label="", required=False)
    # Laid out differently: crispy-forms renders them itself.
    radio = forms.ChoiceField(required=False, choices=[("a", "A")], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(
        required=False, choices=[("a", "A")], widget=forms.CheckboxSelectMultiple
    )
    upload = forms.FileField(required=False)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    split = forms.SplitDateTimeField(required=False)


INVALID = {
    "text": "x" * 30,
    "optional_text": "fine",
    "number": "many",
    "url": "not a url",
    "email": "nobody",
    "day": "yesterday",
    "optional_day": "2025-13-40",
    "notes": "Notes <b>",
    "choice": "zz",
    "django_choice": "zz",
    "several": ["zz"],
    "flag": "on",
    "split_0": "nope",
}
VALID = {
    "text": HOSTILE[:20],
    "optional_text": HOSTILE,
    "number": "3",
    "url": "https://example.com/a?b=1&c=2",
    "day": "2025-08-02",
    "choice": "b",
    "several": ["a", "b"],
    "flag": "on",
    "required_flag": "on",
}


def _forms():
    unbound = _Form(initial={"text": HOSTILE, "day": "2025-08-02", "flag": True, "choice": "b"})
    valid = _Form(VALID)
    valid.is_valid()
    invalid = _Form(INVALID)
    invalid.is_valid()
    invalid.add_error("required_flag", mark_safe("A second <i>error</i>"))
    invalid.add_error("flag", "Not with <that>")
    return {"unbound": unbound, "valid": valid, "invalid": invalid}


def _both(form_state, name):
    """crispy-forms' markup and ours for the same field of two identical forms (crispy-forms
    changes the widget's classes as it renders it)."""
    ours = _forms()[form_state][name]
    theirs = _forms()[form_state][name]
    return str(as_crispy_field(theirs)), str(bootstrap_field(ours))


@pytest.mark.parametrize("form_state", ["unbound", "valid", "invalid"])
@pytest.mark.parametrize("name", list(_Form.base_fields))
def test_bootstrap_field_writes_crispy_forms_markup(form_state, name):
    theirs, ours = _both(form_state, name)
    assert ours == theirs


def test_the_states_compared_are_there():
    """The comparison above covers errors, help text, disabled and checked fields."""
    invalid = {name: _both("invalid", name)[1] for name in ["text", "required_flag", "flag"]}
    assert 'class="textinput form-control is-invalid"' in invalid["text"]
    assert "<strong>A second <i>error</i></strong>" in invalid["required_flag"]
    assert "<strong>Not with &lt;that&gt;</strong>" in invalid["flag"]
    assert "Tick <b>it</b>" in invalid["required_flag"]
    assert (
        '<label for="id_required_flag" class="form-check-label requiredField">'
        in (invalid["required_flag"])
    )
    assert "&lt;script&gt;" in _both("unbound", "optional_text")[1]
    assert " checked" in _both("unbound", "flag")[1]
    assert " disabled" in _both("unbound", "disabled_flag")[1]
    assert " disabled" in _both("unbound", "disabled_text")[1]
    assert '<select name="choice" class="select form-select"' in _both("unbound", "choice")[1]


def test_a_form_with_a_helper_is_rendered_by_crispy_forms():
    from crispy_forms.helper import FormHelper

    def with_helper():
        form = _Form()
        form.helper = FormHelper()
        form.helper.form_show_labels = False
        return form

    assert str(bootstrap_field(with_helper()["text"])) == str(
        as_crispy_field(with_helper()["text"])
    )
    assert "<label" not in str(bootstrap_field(with_helper()["text"]))


def test_a_form_with_required_and_error_classes_writes_them_on_the_wrapper():
    class Classed(_Form):
        required_css_class = "needed"
        error_css_class = "wrong"

    for name in ["text", "flag", "choice"]:
        theirs = str(as_crispy_field(Classed(INVALID)[name]))
        ours = str(bootstrap_field(Classed(INVALID)[name]))
        assert ours == theirs
    # Django joins the two classes from a set, in either order.
    wrapper = str(bootstrap_field(Classed(INVALID)["text"])).split(">", 1)[0]
    assert set(wrapper.split('class="', 1)[1].rstrip('"').split()) == {"mb-3", "needed", "wrong"}


def test_the_filter_is_used_in_templates_without_escaping_its_markup():
    template = Template("{% load bootstrap_fields %}{{ form.text|bootstrap_field }}")
    html = template.render(Context({"form": _Form()}))
    assert html == str(as_crispy_field(_Form()["text"]))


@given(label=st.text(max_size=15), value=st.text(max_size=15), help_text=st.text(max_size=15))
def test_any_label_value_and_help_text_is_written_as_crispy_forms_writes_it(
    label, value, help_text
):
    class One(forms.Form):
        text = forms.CharField(label=label, help_text=help_text, max_length=5)
        flag = forms.BooleanField(label=label, help_text=help_text)

    for name in ["text", "flag"]:
        data = {"text": value, "flag": value}
        assert str(bootstrap_field(One(data)[name])) == str(as_crispy_field(One(data)[name]))
