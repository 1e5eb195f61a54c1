from django import forms

from api.models import TokenScope
from core.text import NormalisedForm

EXPIRY_CHOICES = [(30, "30 days"), (90, "90 days"), (180, "180 days"), (365, "1 year")]


class ApiTokenForm(NormalisedForm):
    name = forms.CharField(max_length=100, help_text="What will use it, e.g. “ERP sync”.")
    scope = forms.ChoiceField(
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text="A token may never do more than you may: your roles still apply.",
    )
    expires_in_days = forms.TypedChoiceField(
        label="Expires after", choices=EXPIRY_CHOICES, coerce=int, initial=90
    )
