"""Forms of the clause-pack page (adding or removing a clause with a reason, generating a
document) and of the what-if page (a scenario, sent by GET and never saved)."""

import datetime

from django import forms

from contracts.models import ClauseOverride, DocumentFormat, DocumentKind
from core import widgets
from core.text import NormalisedForm
from vendors.facts import Answer, SystemicRisk
from vendors.forms import DateInput, FlopField, country_choices
from vendors.models import Chapter, SignatureStatus


class ClauseOverrideForm(NormalisedForm):
    """Legal adds a clause to a pack or removes one from it; the reason is required."""

    clause = forms.SlugField(widget=forms.HiddenInput, max_length=60)
    reason = forms.CharField(
        max_length=ClauseOverride._meta.get_field("reason").max_length,
        error_messages={"required": "Give the reason, so that others can follow the change."},
    )


class DocumentGenerateForm(NormalisedForm):
    """Which document to make; without a kind, the contract schedule."""

    format = forms.ChoiceField(choices=DocumentFormat.choices, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=DocumentKind.choices, widget=forms.HiddenInput, required=False)

    def clean_kind(self):
        return self.cleaned_data["kind"] or DocumentKind.SCHEDULE


class WhatIfForm(NormalisedForm):
    """A what-if scenario for one model, filled in from its record; submitted by GET, never saved."""

    today = forms.DateField(label="As of", widget=DateInput())
    # Its 250 countries written in one go, not by an option template each (core/widgets.py).
    country = forms.ChoiceField(
        label="Supplier established in", choices=country_choices, widget=widgets.Select
    )
    training_compute_flop = FlopField(label="Training compute (FLOP)", required=False)
    systemic_risk_status = forms.ChoiceField(
        label="Systemic-risk status", choices=SystemicRisk.CHOICES, widget=widgets.Select
    )
    systemic_risk_decided_on = forms.DateField(
        label="Date of the Commission's decision", required=False, widget=DateInput()
    )
    systemic_risk_source = forms.URLField(
        label="Source of the decision", required=False, assume_scheme="https"
    )
    placed_on_market = forms.DateField(
        label="First placed on the EU market", required=False, widget=DateInput()
    )
    open_licence = forms.BooleanField(label="Free and open-source licence", required=False)
    weights_public = forms.BooleanField(label="Weights public", required=False)
    architecture_public = forms.BooleanField(
        label="Architecture information public", required=False
    )
    usage_info_public = forms.BooleanField(label="Usage information public", required=False)
    monetised = forms.BooleanField(required=False)
    claims_open_source_exemption = forms.BooleanField(
        label="Supplier relies on the open-source exemption", required=False
    )
    modifies = forms.CharField(
        label="Modification of (original model)", required=False, max_length=200
    )
    upstream_provider = forms.CharField(
        label="Provider of the original", required=False, max_length=200
    )
    original_compute_flop = FlopField(label="Original's training compute (FLOP)", required=False)
    modification_compute_flop = FlopField(
        label="Compute of the modification (FLOP)", required=False
    )
    original_systemic_risk = forms.ChoiceField(
        label="Original has systemic risk",
        required=False,
        choices=[("", "Not known / not in the register"), *Answer.LABELS.items()],
        widget=widgets.Select,
    )
    buyer_plans_fine_tuning = forms.BooleanField(label="We plan to fine-tune it", required=False)
    buyer_fine_tuning_flop = FlopField(label="Compute we plan for it (FLOP)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for chapter, label in Chapter.choices:
            self.fields[f"signature_{chapter}"] = forms.ChoiceField(
                label=f"{label} chapter", choices=SignatureStatus.choices, widget=widgets.Select
            )

    def signature_fields(self):
        return [self[f"signature_{chapter}"] for chapter in Chapter.values]

    def scenario_data(self):
        """The cleaned form as the plain data `contracts.scenario.parse_scenario` reads."""
        data = self.cleaned_data
        model_keys = (
            "training_compute_flop",
            "systemic_risk_status",
            "systemic_risk_decided_on",
            "systemic_risk_source",
            "placed_on_market",
            "open_licence",
            "weights_public",
            "architecture_public",
            "usage_info_public",
            "monetised",
            "claims_open_source_exemption",
        )
        scenario = {
            "today": data["today"].isoformat(),
            "supplier": {"country": data["country"]},
            "model": {key: _plain(data[key]) for key in model_keys},
            "signatures": {c: data[f"signature_{c}"] for c in Chapter.values},
            "buyer": {
                "plans_fine_tuning": data["buyer_plans_fine_tuning"],
                "fine_tuning_compute_flop": _plain(data["buyer_fine_tuning_flop"]),
            },
        }
        if data["modifies"]:
            scenario["modification"] = {
                "of": data["modifies"],
                "provider": data["upstream_provider"],
                "original_compute_flop": _plain(data["original_compute_flop"]),
                "modification_compute_flop": _plain(data["modification_compute_flop"]),
                "original_systemic_risk": data["original_systemic_risk"] or None,
            }
        return scenario

    @classmethod
    def initial_from(cls, scenario_data):
        """Form initial values from scenario data (as `scenario_from_model` writes it)."""
        model = scenario_data["model"]
        modification = scenario_data.get("modification") or {}
        buyer = scenario_data.get("buyer") or {}
        initial = {
            "today": scenario_data["today"],
            "country": scenario_data["supplier"]["country"],
            **{key: value for key, value in model.items() if value is not None},
            "modifies": modification.get("of", ""),
            "upstream_provider": modification.get("provider", ""),
            "original_compute_flop": modification.get("original_compute_flop"),
            "modification_compute_flop": modification.get("modification_compute_flop"),
            "original_systemic_risk": modification.get("original_systemic_risk") or "",
            "buyer_plans_fine_tuning": buyer.get("plans_fine_tuning", False),
            "buyer_fine_tuning_flop": buyer.get("fine_tuning_compute_flop"),
        }
        for chapter, status in scenario_data["signatures"].items():
            initial[f"signature_{chapter}"] = status
        return initial


def _plain(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
