"""Forms of the clause-pack page: adding or removing a clause with a reason, generating a document."""

from django import forms

from contracts.models import ClauseOverride, DocumentFormat


class ClauseOverrideForm(forms.Form):
    """Legal adds a clause to a pack or removes one from it; the reason is required."""

    clause = forms.SlugField(widget=forms.HiddenInput, max_length=60)
    reason = forms.CharField(
        max_length=ClauseOverride._meta.get_field("reason").max_length,
        error_messages={"required": "Give the reason, so that others can follow the change."},
    )


class DocumentGenerateForm(forms.Form):
    format = forms.ChoiceField(choices=DocumentFormat.choices, widget=forms.HiddenInput)
