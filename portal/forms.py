"""Forms of the supplier link: the buyer's request, the supplier's answers, and the review."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from core.files import EvidenceFileField
from core.text import NormalisedForm
from diligence.models import ItemStatus
from documentation.forms import MdfForm, SummaryForm
from portal.models import YesNo
from vendors.forms import DateInput

TEXT_MAX = 20_000
LINKS_MAX = 10


class _ItemChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.checklist_item.code} {obj.checklist_item.title}"


class SupplierRequestForm(NormalisedForm):
    items = _ItemChoices(
        queryset=None,
        required=False,
        label=_("Items to answer"),
        help_text=_("The open required items are ticked."),
    )
    yes_no_items = _ItemChoices(
        queryset=None,
        required=False,
        label=_("Items that ask for a yes or no"),
        help_text=_("The supplier answers these with yes or no, besides text and files."),
    )
    asks_mdf = forms.BooleanField(label=_("Ask for the Model Documentation Form"), required=False)
    asks_training_summary = forms.BooleanField(
        label=_("Ask for the training-content summary"), required=False
    )
    recipient_name = forms.CharField(label=_("Recipient's name"), max_length=200)
    recipient_email = forms.EmailField(label=_("Recipient's email"), max_length=254)
    due_date = forms.DateField(label=_("Answer due by"), widget=DateInput())
    message = forms.CharField(
        label=_("Message to the supplier"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the email and on the supplier's page."),
    )

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        items = (
            assessment.items.filter(applicable=True)
            .select_related("checklist_item")
            .order_by("checklist_item__order", "checklist_item__code")
        )
        self.fields["items"].queryset = items
        self.fields["yes_no_items"].queryset = items
        if not self.is_bound:
            self.initial.setdefault(
                "items",
                [
                    item.pk
                    for item in items
                    if item.checklist_item.required
                    and item.status in (ItemStatus.OPEN, ItemStatus.REQUESTED)
                ],
            )
            self.initial.setdefault("due_date", datetime.date.today() + datetime.timedelta(days=14))

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if due_date < datetime.date.today():
            raise ValidationError(_("The due date has passed; choose today or a later day."))
        return due_date

    def clean(self):
        cleaned = super().clean()
        items = cleaned.get("items") or []
        yes_no = cleaned.get("yes_no_items") or []
        if set(yes_no) - set(items):
            self.add_error("yes_no_items", _("Tick these among the items to answer too."))
        if not items and not cleaned.get("asks_mdf") and not cleaned.get("asks_training_summary"):
            raise ValidationError(_("Choose at least one item, the MDF or the training summary."))
        return cleaned


def _links(value):
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    if len(lines) > LINKS_MAX:
        raise ValidationError(_("Give at most %(count)s links.") % {"count": LINKS_MAX})
    validate = URLValidator(schemes=["https", "http"])
    for line in lines:
        try:
            validate(line)
        except ValidationError:
            raise ValidationError(
                _("“%(link)s” is not a web address (https://…).") % {"link": line[:100]}
            ) from None
    return "\n".join(lines)


class SupplierAnswerForm(NormalisedForm):
    """One item's answer. Only these fields are read from the post: a status, owner or
    decision sent along is ignored."""

    answer_text = forms.CharField(
        label=_("Your answer"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    answer_yes_no = forms.ChoiceField(
        label=_("Yes or no"),
        required=False,
        choices=YesNo.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    answer_links = forms.CharField(
        label=_("Links"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Web addresses of public documents, one a line."),
    )

    def __init__(self, *args, row, **kwargs):
        super().__init__(*args, prefix=f"item-{row.pk}", **kwargs)
        self.row = row
        if not row.asks_yes_no:
            del self.fields["answer_yes_no"]

    def clean_answer_links(self):
        return _links(self.cleaned_data["answer_links"])


class SupplierFileForm(NormalisedForm):
    file = EvidenceFileField(label=_("Add a file"), required=False)


class SupplierMdfForm(MdfForm):
    """The documentation app's MDF form, less the buyer's own date of asking."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["requested_on"]

    def clean_requested_on(self):
        return None


class SupplierSummaryForm(SummaryForm):
    """The documentation app's training-content summary form, as it is."""


class AskAgainForm(NormalisedForm):
    comment = forms.CharField(
        label=_("What is missing"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
