"""Forms of the supplier register: supplier, model, signatures, the list's filters, and the
signatory-register import and review."""

import datetime
import functools

from crispy_forms.helper import FormHelper
from django import forms
from django_countries import countries

from core.forms import https_urls
from core.text import NormalisedForm, NormalisedModelForm
from vendors import facts, register
from vendors.models import Chapter, GPAIModel, Modality, Signature, SignatureStatus, Supplier


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


class SupplierForm(NormalisedModelForm):
    class Meta:
        model = Supplier
        formfield_callback = https_urls
        fields = [
            "name",
            "legal_name",
            "country",
            "website",
            "contact_name",
            "contact_email",
            "eu_representative_name",
            "eu_representative_contact",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        # A search box narrows the 250 countries as one types (static/js/select-search.js).
        self.fields["country"].widget.attrs["data-searchable"] = ""

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Supplier.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                f"A supplier named “{clash.first().name}” already exists. Names are compared "
                "without regard to case."
            )
        return name


class FlopField(forms.CharField):
    """Training compute typed the way people write it: 3.8e25, 3.8 × 10^25 or in digits."""

    def prepare_value(self, value):
        if value in (None, ""):
            return ""
        if isinstance(value, str):
            return value
        # Every digit: a form saved unchanged must not round the recorded figure.
        return facts.format_flop(value, exact=True)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return facts.parse_flop(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class GPAIModelForm(NormalisedModelForm):
    modalities = forms.MultipleChoiceField(
        choices=Modality.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    training_compute_flop = FlopField(
        label="Training compute (FLOP)",
        required=False,
        help_text="Cumulative compute used for training, e.g. 3.8e25 or 3.8 × 10^25. "
        "Above 10^25 FLOP, systemic risk is presumed (Art. 51(2)).",
    )

    class Meta:
        model = GPAIModel
        fields = [
            "name",
            "version",
            "modalities",
            "placed_on_market",
            "training_compute_flop",
            "systemic_risk_status",
            "systemic_risk_decided_on",
            "systemic_risk_source",
            "modification_of",
            "upstream_model_name",
            "upstream_provider_name",
            "upstream_compute_flop",
            "modification_compute_flop",
            "licence",
            "open_licence",
            "weights_public",
            "architecture_public",
            "usage_info_public",
            "monetised",
            "claims_open_source_exemption",
            "notes",
        ]
        formfield_callback = https_urls
        widgets = {
            "placed_on_market": DateInput(),
            "systemic_risk_decided_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, supplier=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.supplier = supplier or self.instance.supplier
        self.helper = _helper()
        originals = (
            GPAIModel.objects.active()
            .select_related("supplier")
            .order_by("supplier__name", "name", "version")
        )
        if self.instance.pk:
            originals = originals.exclude(pk=self.instance.pk)
        self.fields["modification_of"].queryset = originals
        self.fields["modification_of"].label_from_instance = lambda m: f"{m.supplier.name} – {m}"

    def clean_systemic_risk_decided_on(self):
        decided = self.cleaned_data["systemic_risk_decided_on"]
        if decided and decided > datetime.date.today():
            raise forms.ValidationError("This date is in the future.")
        return decided

    def _clean_systemic_risk(self, cleaned):
        status = cleaned.get("systemic_risk_status")
        # Art. 52(2)-(3): only the Commission's acceptance lifts the presumption; record it.
        if status == facts.SystemicRisk.REBUTTED:
            if not cleaned.get("systemic_risk_decided_on"):
                self.add_error(
                    "systemic_risk_decided_on",
                    "Give the date the Commission accepted the rebuttal.",
                )
            if (
                not cleaned.get("systemic_risk_source")
                and "systemic_risk_source" not in self.errors
            ):
                self.add_error(
                    "systemic_risk_source",
                    "Give the source that shows the Commission's acceptance.",
                )

    def _clean_modification(self, cleaned):
        original = cleaned.get("modification_of")
        if original and cleaned.get("upstream_model_name"):
            self.add_error(
                "upstream_model_name",
                "Choose the original model from the register or name it here, not both.",
            )
        is_modification = bool(original or cleaned.get("upstream_model_name"))
        if not is_modification:
            for name in (
                "upstream_provider_name",
                "upstream_compute_flop",
                "modification_compute_flop",
            ):
                if cleaned.get(name):
                    self.add_error(
                        name, "Only for a modification: choose or name the original model first."
                    )
        # A model cannot, through a chain of modifications, be its own original.
        seen, step = {self.instance.pk}, original
        while step is not None and self.instance.pk:
            if step.pk in seen:
                self.add_error("modification_of", "This would make the model its own original.")
                break
            seen.add(step.pk)
            step = step.modification_of

    def clean_placed_on_market(self):
        placed = self.cleaned_data["placed_on_market"]
        if placed and placed > datetime.date.today():
            raise forms.ValidationError(
                "A model cannot have been placed on the market in the future."
            )
        return placed

    def clean(self):
        cleaned = super().clean()
        name, version = cleaned.get("name"), cleaned.get("version", "")
        if name:
            clash = GPAIModel.objects.filter(
                supplier=self.supplier, name__iexact=name.strip(), version=version
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "version", "This supplier already has a model with this name and version."
                )
        self._clean_systemic_risk(cleaned)
        self._clean_modification(cleaned)
        return cleaned

    def save(self, commit=True):
        self.instance.supplier = self.supplier
        return super().save(commit)


# Statuses that rest on something published: the form asks where.
_NEEDS_SOURCE = {SignatureStatus.SIGNED, SignatureStatus.DECLINED, SignatureStatus.WITHDRAWN}


class SignatureForm(NormalisedModelForm):
    class Meta:
        model = Signature
        formfield_callback = https_urls
        fields = ["status", "signed_on", "source_url", "verified_on", "note"]
        widgets = {
            "signed_on": DateInput(),
            "verified_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "source_url": "Where the status can be checked, e.g. the Commission's signatory list.",
            "verified_on": "When someone last checked the source.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        # The date verified as stored, before this form fills the instance in.
        self.stored_verified_on = self.instance.verified_on
        if not self.initial.get("verified_on"):  # recording a status is checking it, today
            self.initial["verified_on"] = datetime.date.today()

    def _offered_date_only(self):
        """A chapter never checked, of which nothing but the offered date was left as it
        was: saving the form for another chapter is no check of this one."""
        return self.stored_verified_on is None and not self.changed_data

    @property
    def verified_changed(self):
        """The date verified differs from the stored one (today's date offered counts)."""
        return self.is_valid() and self.cleaned_data.get("verified_on") != self.stored_verified_on

    def has_changed(self):
        return super().has_changed() or self.verified_changed

    @property
    def chapter_label(self):
        return Chapter(self.instance.chapter).label

    def clean(self):
        cleaned = super().clean()
        today = datetime.date.today()
        status = cleaned.get("status")
        for name in ("signed_on", "verified_on"):
            value = cleaned.get(name)
            if value and value > today:
                self.add_error(name, "This date is in the future.")
        if cleaned.get("signed_on") and status not in (
            SignatureStatus.SIGNED,
            SignatureStatus.WITHDRAWN,
        ):
            self.add_error("signed_on", "A signing date only fits a chapter signed or withdrawn.")
        # An address that is not a URL has its own error; do not also ask for one.
        if (
            status in _NEEDS_SOURCE
            and not cleaned.get("source_url")
            and "source_url" not in self.errors
        ):
            self.add_error("source_url", "Give the source that shows this status.")
        if self._offered_date_only():
            cleaned["verified_on"] = None
        return cleaned


class CommonSourceForm(NormalisedForm):
    """One source for every chapter: fills in the source of each chapter left without one."""

    source_url = forms.URLField(
        label="Same source for all chapters",
        required=False,
        max_length=Signature._meta.get_field("source_url").max_length,
        assume_scheme="https",
        help_text="Fills in the source of every chapter whose own source is empty.",
    )

    def fill_in(self, data, prefixes):
        """A copy of the posted data with this source in each chapter's empty source field."""
        data = data.copy()
        source = self.cleaned_data.get("source_url") if self.is_valid() else ""
        if source:
            for prefix in prefixes:
                if not (data.get(f"{prefix}-source_url") or "").strip():
                    data[f"{prefix}-source_url"] = source
        return data


SORT_CHOICES = [
    ("name", "Name A–Z"),
    ("-name", "Name Z–A"),
    ("country", "Country"),
    ("-updated_at", "Recently changed"),
    ("-model_count", "Most models"),
]


@functools.cache
def country_choices():
    """Every country, by name, after "Any country": built once, not on every list page."""
    return [("", "Any country"), *countries]


class SupplierFilterForm(NormalisedForm):
    """The filters of the supplier list, read from the query string."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    country = forms.ChoiceField(required=False, choices=country_choices)
    region = forms.ChoiceField(
        label="Established",
        required=False,
        choices=[("", "Anywhere"), ("eu", "In the EU/EEA"), ("non_eu", "Outside the EU/EEA")],
    )
    systemic = forms.ChoiceField(
        label="Systemic-risk model",
        required=False,
        choices=[("", "Any"), ("yes", "Has one"), ("no", "Has none")],
    )
    legacy = forms.ChoiceField(
        label="Legacy model",
        required=False,
        choices=[("", "Any"), ("yes", "Has one"), ("no", "Has none")],
        help_text="Placed on the market before 2 Aug 2025; compliance due by 2 Aug 2027.",
    )
    stale = forms.ChoiceField(
        label="Signature checks",
        required=False,
        choices=[("", "Any"), ("yes", "Stale or never made"), ("no", "All up to date")],
    )
    archived = forms.BooleanField(label="Include archived", required=False)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status_choices = [("", "Any"), *SignatureStatus.choices]
        for chapter in Chapter:
            self.fields[chapter.value] = forms.ChoiceField(
                label=chapter.label, required=False, choices=status_choices
            )

    def chapter_fields(self):
        return [self[chapter.value] for chapter in Chapter]


# The signatory register ---------------------------------------------------------------------

COMMISSION_SIGNATORY_LIST = "https://digital-strategy.ec.europa.eu/en/policies/contents-code-gpai"


class RegisterImportForm(NormalisedForm):
    file = forms.FileField(
        label="Register file",
        help_text="CSV or JSON, UTF-8. One row per provider: provider, chapters, date, "
        "source_url; optional status (signed or declined) and note. Or the Commission's "
        "signatory page saved as HTML: its list of signatories is read, with the source below.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.json,.html,.htm,text/csv,application/json,text/html"}
        ),
    )
    taken_on = forms.DateField(
        label="List as of",
        help_text="The date the list was published or last updated.",
        widget=DateInput(),
    )
    source_url = forms.URLField(
        label="Source of the list",
        max_length=500,
        assume_scheme="https",
        initial=COMMISSION_SIGNATORY_LIST,
        help_text="Where the list was published.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_taken_on(self):
        taken_on = self.cleaned_data["taken_on"]
        if taken_on > datetime.date.today():
            raise forms.ValidationError("This date is in the future.")
        return taken_on

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > register.MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {register.MAX_FILE_BYTES // (1024 * 1024)} MB; a register "
                "of signatories is much smaller. Check that you chose the right file."
            )
        return uploaded


class RegisterApplyForm(NormalisedForm):
    """Which chapter of which supplier to bring in line with a register snapshot."""

    supplier = forms.IntegerField(min_value=1)
    chapter = forms.ChoiceField(choices=Chapter.choices)
    # Unconfirmed, the change is shown with its before and after; confirmed, it is applied
    # when it is still the change shown (`expected`).
    confirm = forms.BooleanField(required=False)
    expected = forms.CharField(required=False, max_length=200)


class RegisterApplyAllForm(NormalisedForm):
    """The fingerprint of the changes the preview showed."""

    fingerprint = forms.CharField(min_length=64, max_length=64)


class RegisterMatchForm(NormalisedForm):
    decision = forms.ChoiceField(choices=[("confirm", "Confirm"), ("reject", "Reject")])
