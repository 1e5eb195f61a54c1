from django import forms

from core.text import NormalisedForm


class CodeForm(NormalisedForm):
    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="The 6 digits your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}
        ),
    )


class EnrolForm(NormalisedForm):
    code = forms.CharField(
        label="Code from the app",
        max_length=6,
        min_length=6,
        help_text="The 6 digits the app shows after you added the account.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "numeric"}
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError("Enter the 6 digits the app shows.")
        return code
