"""Forms of the documentation pages: an MDF version grouped like the form's sections, the
training-content summary, and the file imports."""

import datetime

from django import forms

from core.text import NormalisedForm
from documentation import summary
from vendors.forms import DateInput

MAX_UPLOAD = 10 * 1024 * 1024
VALUE_MAX = 20_000


def value_name(key):
    return f"value__{key}"


def na_name(key):
    return f"na__{key}"


def _not_future(value):
    if value and value > datetime.date.today():
        raise forms.ValidationError("This date is in the future.")
    return value


class MdfForm(NormalisedForm):
    """The document's version and date, then one input per field of the catalogue, with an
    "N/A" box where the form allows N/A."""

    document_version = forms.CharField(max_length=50, label="Document version")
    last_updated = forms.DateField(
        label="Last updated", widget=DateInput(), help_text="As the document states it."
    )
    source_url = forms.URLField(
        label="Source address", max_length=500, required=False, assume_scheme="https"
    )
    requested_on = forms.DateField(
        label="Downstream information requested on",
        required=False,
        widget=DateInput(),
        help_text="When you asked the supplier; the answer is due 14 days later.",
    )

    def __init__(self, *args, specs, **kwargs):
        super().__init__(*args, **kwargs)
        self.specs = specs
        for spec in specs:
            if spec.kind == "choice":
                field = forms.ChoiceField(
                    choices=[("", "—")] + [(choice, choice) for choice in spec.choices],
                    required=False,
                    widget=forms.Select(attrs={"class": "form-select"}),
                )
            else:
                rows = 1 if spec.kind in ("date", "number") else 2
                field = forms.CharField(
                    required=False,
                    max_length=VALUE_MAX,
                    widget=forms.Textarea(attrs={"rows": rows, "class": "form-control"}),
                )
            field.label = f"{spec.number} {spec.label}"
            field.help_text = spec.guidance
            self.fields[value_name(spec.key)] = field
            if spec.na_allowed:
                self.fields[na_name(spec.key)] = forms.BooleanField(
                    required=False,
                    label="N/A",
                    widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                )

    def clean_last_updated(self):
        return _not_future(self.cleaned_data["last_updated"])

    def clean_requested_on(self):
        return _not_future(self.cleaned_data.get("requested_on"))

    def clean(self):
        cleaned = super().clean()
        for spec in self.specs:
            if cleaned.get(na_name(spec.key)) and (cleaned.get(value_name(spec.key)) or "").strip():
                self.add_error(value_name(spec.key), "Leave the value empty when ticking N/A.")
        return cleaned

    def meta(self):
        return {
            name: self.cleaned_data.get(name)
            for name in ("document_version", "last_updated", "source_url", "requested_on")
        }

    def values(self):
        return {
            spec.key: (
                (self.cleaned_data.get(value_name(spec.key)) or "").strip(),
                bool(self.cleaned_data.get(na_name(spec.key))),
            )
            for spec in self.specs
        }

    @staticmethod
    def initial_for(document, values):
        initial = {
            "document_version": document.document_version,
            "last_updated": document.last_updated,
            "source_url": document.source_url,
            "requested_on": document.requested_on,
        }
        for key, (value, not_applicable) in values.items():
            initial[value_name(key)] = value
            initial[na_name(key)] = not_applicable
        return initial


class _UploadForm(NormalisedForm):
    accept = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = self.accept

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_UPLOAD:
            raise forms.ValidationError("The file is larger than 10 MB.")
        return uploaded


class MdfImportForm(_UploadForm):
    accept = ".json,.csv,.docx,.pdf"
    file = forms.FileField(
        help_text="JSON or CSV of field key → value, or a Word (.docx) or PDF document that "
        "follows the form."
    )
    document_version = forms.CharField(
        max_length=50, required=False, help_text="If the file does not say."
    )
    last_updated = forms.DateField(
        required=False, widget=DateInput(), help_text="If the file does not say."
    )
    source_url = forms.URLField(
        label="Source address", max_length=500, required=False, assume_scheme="https"
    )

    def clean_last_updated(self):
        return _not_future(self.cleaned_data.get("last_updated"))


class SummaryImportForm(_UploadForm):
    accept = ".md,.markdown,.txt,.pdf"
    file = forms.FileField(
        help_text="A Markdown file numbered like the template (read automatically) or a PDF "
        "(its text is split into sections for you to check)."
    )
    url = forms.URLField(
        label="Published at", max_length=500, required=False, assume_scheme="https"
    )


class EpochImportForm(_UploadForm):
    accept = ".csv"
    file = forms.FileField(
        label="Epoch AI model data (CSV)",
        help_text="The CSV file downloaded from Epoch AI's 'Data on AI Models'.",
    )


class SummaryForm(NormalisedForm):
    """A summary's header, the text of each template section and the values the check reads."""

    summary_version = forms.CharField(max_length=50, required=False, label="Version")
    last_updated = forms.DateField(label="Last updated", widget=DateInput())
    url = forms.URLField(
        label="Published at", max_length=500, required=False, assume_scheme="https"
    )
    latest_collection = forms.DateField(
        label="Latest data collection (1.3)", required=False, widget=DateInput()
    )
    crawlers = forms.CharField(
        label="Crawler names (2.3)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    top_domains = forms.CharField(
        label="Most relevant domain names (2.3)",
        required=False,
        max_length=VALUE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tdm_statement = forms.CharField(
        label="Text and data mining opt-outs (3.1)",
        required=False,
        max_length=VALUE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for modality, bands in summary.SIZE_BANDS.items():
            self.fields[f"band__{modality}"] = forms.ChoiceField(
                label=f"{modality.capitalize()} size band (1.3)",
                choices=[("", "—")] + [(band, band) for band in bands],
                required=False,
            )
            self.fields[f"exact__{modality}"] = forms.CharField(
                label=f"{modality.capitalize()} exact size", required=False, max_length=200
            )
        for code, title, required in summary.SECTIONS:
            self.fields[f"section__{code}"] = forms.CharField(
                label=f"{code} {title}" + ("" if required else " (optional)"),
                required=False,
                max_length=VALUE_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean_last_updated(self):
        return _not_future(self.cleaned_data["last_updated"])

    def section_fields(self):
        return [self[f"section__{code}"] for code in summary.SECTION_CODES]

    def size_fields(self):
        return [(self[f"band__{m}"], self[f"exact__{m}"]) for m in summary.SIZE_BANDS]

    def data_for_record(self):
        data = self.cleaned_data
        return {
            "summary_version": data["summary_version"],
            "last_updated": data["last_updated"],
            "url": data["url"],
            "latest_collection": data.get("latest_collection"),
            "crawlers": data["crawlers"],
            "top_domains": data["top_domains"],
            "tdm_statement": data["tdm_statement"],
            "sections": {
                code: data[f"section__{code}"]
                for code in summary.SECTION_CODES
                if data[f"section__{code}"].strip()
            },
            "size_bands": {m: data[f"band__{m}"] for m in summary.SIZE_BANDS if data[f"band__{m}"]},
            "exact_sizes": {
                m: data[f"exact__{m}"] for m in summary.SIZE_BANDS if data[f"exact__{m}"].strip()
            },
        }

    @staticmethod
    def initial_for(record):
        initial = {
            name: getattr(record, name)
            for name in (
                "summary_version",
                "last_updated",
                "url",
                "latest_collection",
                "crawlers",
                "top_domains",
                "tdm_statement",
            )
        }
        for code, text in (record.sections or {}).items():
            initial[f"section__{code}"] = text
        for modality, band in (record.size_bands or {}).items():
            initial[f"band__{modality}"] = band
        for modality, size in (record.exact_sizes or {}).items():
            initial[f"exact__{modality}"] = size
        return initial
