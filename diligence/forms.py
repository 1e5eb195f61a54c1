"""Forms of the assessment pages: start, item answer, quick status, evidence, decision, reason,
move to a newer checklist, and the list's filters."""

import datetime
import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q

from core.auth import role_parts
from core.files import EvidenceFileField
from core.fingerprint import fingerprint
from core.text import NormalisedForm
from diligence.models import AssessmentStatus, Checklist, ChecklistStatus, ItemStatus, Outcome
from diligence.queries import OPEN
from vendors.forms import DateInput, FlopField
from vendors.models import GPAIModel, Supplier


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


class RequestTokenMixin(NormalisedForm):
    """A hidden one-time token, so that submitting the same form twice creates one row."""

    request_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request_token"].initial = uuid.uuid4()


def _assessable_users():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__permissions__codename="change_assessment")
        .distinct()
        .order_by("username")
    )


# Entries are found by the fingerprint; the timeout only frees memory of unused ones.
OWNER_CHOICES_TIMEOUT = 300


def owner_choices():
    """[(pk, label)] of `_assessable_users()`, read once per change of the role assignments or
    of the users (who is active, their names), not on every view of the list."""
    users = get_user_model()
    parts = [
        *role_parts(),
        ("count", users, "id"),
        ("max", users, "id"),
        ("count_true", users, "is_active"),
        ("total_length", users, users.USERNAME_FIELD),
    ]
    key = f"assessment-owner-choices:{fingerprint(parts)}"
    choices = cache.get(key)
    if choices is None:
        choices = [(user.pk, str(user)) for user in _assessable_users()]
        cache.set(key, choices, OWNER_CHOICES_TIMEOUT)
    return choices


class AssessmentStartForm(RequestTokenMixin, NormalisedForm):
    model = forms.ModelChoiceField(
        label="Supplier's model",
        queryset=GPAIModel.objects.active()
        .filter(supplier__archived_at__isnull=True)
        .select_related("supplier")
        .order_by("supplier__name", "name"),
    )
    reference = forms.CharField(
        label="Procurement reference",
        max_length=100,
        help_text="Your tender or purchase reference.",
    )
    purpose = forms.CharField(label="Purpose or use case", widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(queryset=None)
    due_date = forms.DateField(widget=DateInput())
    buyer_plans_fine_tuning = forms.BooleanField(
        label="We plan to fine-tune or otherwise modify the model",
        required=False,
        help_text="Modifying it with more than a third of its training compute may make you the "
        "provider of a new general-purpose AI model (Commission guidelines of 18 Jul 2025).",
    )
    buyer_fine_tuning_flop = FlopField(
        label="Compute we plan to use for it (FLOP)",
        required=False,
        help_text="For example 2e24. Leave empty if not known yet.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _assessable_users()
        self.fields["model"].label_from_instance = lambda m: f"{m.supplier.name} – {m}"
        self.helper = _helper()

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < datetime.date.today():
            raise forms.ValidationError("The due date cannot be in the past.")
        return due

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("buyer_fine_tuning_flop") and not cleaned.get("buyer_plans_fine_tuning"):
            self.add_error(
                "buyer_plans_fine_tuning",
                "Tick this box if you plan fine-tuning, or leave the compute empty.",
            )
        return cleaned


class AssessmentItemForm(NormalisedForm):
    """Status and review of one item. `version` carries the optimistic lock."""

    status = forms.ChoiceField(choices=ItemStatus.choices)
    justification = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when the item is marked not applicable.",
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reviewer = forms.ModelChoiceField(queryset=None, required=False)
    reviewed_on = forms.DateField(required=False, widget=DateInput(), label="Review date")
    assignee = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Assigned to",
        help_text="The colleague who works on this item; it shows in their follow-ups.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = get_user_model().objects.filter(is_active=True)
        may_work = Q(
            groups__permissions__codename="change_assessmentitem",
            groups__permissions__content_type__app_label="diligence",
        ) | Q(is_superuser=True)
        self.fields["assignee"].queryset = (
            get_user_model().objects.filter(is_active=True).filter(may_work).distinct()
        )
        self.helper = _helper()

    @classmethod
    def for_item(cls, item, data=None):
        initial = {
            "status": item.status,
            "justification": item.justification,
            "notes": item.notes,
            "reviewer": item.reviewer_id,
            "reviewed_on": item.reviewed_on,
            "assignee": item.assignee_id,
            "version": item.version,
        }
        return cls(data, initial=initial)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == ItemStatus.NOT_APPLICABLE
            and not cleaned.get("justification", "").strip()
        ):
            self.add_error("justification", "Say why this item does not apply.")
        reviewed_on = cleaned.get("reviewed_on")
        if reviewed_on and reviewed_on > datetime.date.today():
            self.add_error("reviewed_on", "The review date cannot be in the future.")
        return cleaned


class QuickStatusForm(NormalisedForm):
    """The status select on each row of the assessment page. The page writes the rows' fields
    itself (one list of choices for all rows); this form checks what they post."""

    # Not applicable needs a justification, which only the item's own page asks for.
    STATUSES = [(v, label) for v, label in ItemStatus.choices if v != ItemStatus.NOT_APPLICABLE]

    status = forms.ChoiceField(choices=STATUSES)
    version = forms.IntegerField(widget=forms.HiddenInput)


class EvidenceForm(RequestTokenMixin, NormalisedForm):
    file = EvidenceFileField(required=False, label="File")
    url = forms.URLField(required=False, label="Or a link", max_length=1000, assume_scheme="https")
    description = forms.CharField(max_length=300)
    issuer = forms.CharField(max_length=200, required=False)
    effective_date = forms.DateField(required=False, widget=DateInput())
    valid_until = forms.DateField(required=False, widget=DateInput())
    supersedes = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        has_file, has_url = bool(cleaned.get("file")), bool(cleaned.get("url"))
        if "file" not in self.errors and has_file == has_url:
            raise forms.ValidationError("Give either a file or a link.")
        effective, valid = cleaned.get("effective_date"), cleaned.get("valid_until")
        if effective and valid and valid < effective:
            self.add_error("valid_until", "Valid-until cannot be before the effective date.")
        return cleaned


class DecisionForm(NormalisedForm):
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    conditions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when approving with conditions.",
    )
    valid_until = forms.DateField(
        widget=DateInput(), help_text="A re-assessment is due after this date."
    )
    notes = forms.CharField(
        label="Decision notes",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the decision rests on, for whoever reads it later.",
    )
    attachment = EvidenceFileField(
        required=False,
        label="Attachment",
        help_text="Optional, e.g. signed minutes: the same file types and size as evidence.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


def deciders(assessment):
    """Active users who may decide on the assessment: the right to decide, not the owner."""
    decide = Q(
        groups__permissions__codename="decide_assessment",
        groups__permissions__content_type__app_label="diligence",
    ) | Q(
        user_permissions__codename="decide_assessment",
        user_permissions__content_type__app_label="diligence",
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(decide | Q(is_superuser=True))
        .exclude(pk=assessment.owner_id)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name()
        return f"{name} ({user.username})" if name else user.username


class SubmitForm(NormalisedForm):
    """Submitting for review: who decides, and that the open items were seen."""

    reviewer = ReviewerChoiceField(
        queryset=None,
        label="Reviewer",
        help_text="A colleague who may decide on assessments. They get an email.",
    )
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = deciders(assessment)


class _ItemVersionsField(forms.MultipleChoiceField):
    """Ticked items as "id:version" values; any number of them, each checked by its form."""

    def __init__(self, **kwargs):
        super().__init__(
            error_messages={"required": "Tick the items to change."},
            **kwargs,
        )

    def valid_value(self, value):
        item_id, _, version = str(value).partition(":")
        return item_id.isdigit() and version.isdigit() and len(item_id) <= 12 and len(version) <= 9


class ItemFilterForm(NormalisedForm):
    """The filters above an assessment's items: which items, required only, a title search."""

    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "All items"),
            ("open", "Not done yet"),
            ("gaps", "Gaps"),
            ("mine", "Assigned to me"),
        ],
    )
    required = forms.BooleanField(label="Required only", required=False)
    q = forms.CharField(label="Search titles", required=False, max_length=200)


class BulkStatusForm(NormalisedForm):
    """A status for the ticked items; each item's version guards against a lost update."""

    status = forms.ChoiceField(label="Set the ticked items to", choices=QuickStatusForm.STATUSES)
    items = _ItemVersionsField()

    def clean_items(self):
        """["id:version", …] -> {id: version}."""
        pairs = {}
        for part in self.cleaned_data["items"]:
            item_id, _, version = part.partition(":")
            pairs[int(item_id)] = int(version)
        return pairs


class ReasonForm(NormalisedForm):
    reason = forms.CharField(max_length=300)


class MoveVersionForm(NormalisedForm):
    checklist = forms.ModelChoiceField(queryset=None, label="Checklist version")

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = Checklist.objects.filter(
            status=ChecklistStatus.PUBLISHED, version__gt=assessment.checklist.version
        )


class AssessmentFilterForm(NormalisedForm):
    q = forms.CharField(label="Search", required=False, max_length=200)
    status = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any status"),
            (OPEN, "Open (draft or in review)"),
            *AssessmentStatus.choices,
        ],
    )
    supplier = forms.ModelChoiceField(
        queryset=Supplier.objects.order_by("name"), required=False, empty_label="Any supplier"
    )
    owner = forms.ModelChoiceField(queryset=None, required=False, empty_label="Anyone")
    overdue = forms.BooleanField(required=False, label="Overdue only")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = _assessable_users()  # checks a chosen owner
        owner.choices = [("", owner.empty_label), *owner_choices()]  # the options shown
