"""The assessment list's owner filter: its options come from the cache, kept under a
fingerprint of the roles and the users, and follow every change at once."""

import pytest
from django import forms
from django.urls import reverse

from diligence.forms import AssessmentFilterForm, _assessable_users
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class FromTheDatabase(forms.Form):
    """The owner field as it was: options read from the users on every render."""

    owner = forms.ModelChoiceField(queryset=None, required=False, empty_label="Anyone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _assessable_users()


def _owners(client):
    form = client.get(reverse("diligence:assessment_list")).context["filter_form"]
    return [label for _value, label in form.fields["owner"].choices]


@pytest.mark.parametrize("data", [{}, {"owner": "placeholder"}])
def test_owner_options_render_as_read_from_the_database(procurement_user, legal_user, data):
    UserFactory(username="zoe", role="Procurement")
    if data:
        data = {"owner": str(procurement_user.pk)}
    cached = AssessmentFilterForm(data or None)
    assert str(cached["owner"]) == str(FromTheDatabase(data or None)["owner"])
    assert "zoe" in str(cached["owner"])
    if data:
        assert cached.is_valid() and cached.cleaned_data["owner"] == procurement_user


def test_owner_options_follow_changes_at_once(procurement_client, procurement_user):
    assert _owners(procurement_client) == ["Anyone", "procurement"]
    newcomer = UserFactory(username="newcomer", role="Procurement")
    assert _owners(procurement_client) == ["Anyone", "newcomer", "procurement"]
    newcomer.is_active = False
    newcomer.save()
    assert _owners(procurement_client) == ["Anyone", "procurement"]
    newcomer.is_active = True
    newcomer.save()
    newcomer.groups.clear()
    assert _owners(procurement_client) == ["Anyone", "procurement"]
    procurement_user.username = "buyer"
    procurement_user.save()
    assert _owners(procurement_client) == ["Anyone", "buyer"]


def test_an_owner_who_left_the_role_is_refused_by_the_filter(procurement_user):
    other = UserFactory(role="Procurement")
    assert other.pk in dict(AssessmentFilterForm().fields["owner"].choices)  # now cached
    other.groups.clear()
    form = AssessmentFilterForm({"owner": str(other.pk)})
    assert not form.is_valid()
    assert "owner" in form.errors
