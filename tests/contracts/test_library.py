"""Curating the clause library: validation on save, versions, and the Django admin."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from contracts import services
from contracts.models import Clause, ClauseLibrary, LibraryStatus
from core.models import AuditEntry
from core.roles import CHECKLIST_ADMIN, LEGAL
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "key": "warranty",
    "title": "Warranty",
    "body": "{{ supplier.legal_name }} warrants the Model {{ model.name }}.",
    "category": "general",
    "legal_basis": "Contractual",
    "trigger_kind": "always",
    "trigger_param": "",
    "order": 10,
}


@pytest.fixture
def published():
    return ClauseLibrary.objects.get(status=LibraryStatus.PUBLISHED)


@pytest.fixture
def draft(published, checklist_admin_user):
    return services.clause_library_new_draft(source=published, by=checklist_admin_user)


def _staff_client(role, username):
    client = Client()
    client.force_login(UserFactory(username=username, role=role, is_staff=True))
    return client


@pytest.fixture
def admin_client_for_checklist_admin():
    return _staff_client(CHECKLIST_ADMIN, "curator")


@pytest.fixture
def admin_client_for_legal():
    return _staff_client(LEGAL, "counsel")


def _errors(**changes):
    library = ClauseLibrary.objects.create(name="Draft", version=99)
    with pytest.raises(ValidationError) as caught:
        Clause(library=library, **{**GOOD, **changes}).full_clean()
    return caught.value.message_dict


def test_a_good_clause_passes_validation():
    library = ClauseLibrary.objects.create(name="Draft", version=99)
    Clause(library=library, **GOOD).full_clean()


def test_unknown_placeholder_is_refused_with_the_allowed_ones_listed():
    [message] = _errors(body="Dear {{ supplier.ceo }}")["body"]
    assert "Unknown placeholder {{ supplier.ceo }}." in message
    assert "{{ supplier.name }}" in message and "{{ today }}" in message


@pytest.mark.parametrize(
    "body",
    [
        "{% load static %}{% static 'x' %}",
        "{{ supplier.name|upper }}",
        "{{ supplier.__class__.__mro__ }}",
        "{{ supplier.name }",
        "{# note #}",
    ],
)
def test_template_injection_is_refused(body):
    assert "body" in _errors(body=body)


@pytest.mark.parametrize(
    ("kind", "param"),
    [("chapter_not_signed", "copyrights"), ("item_gap", "DOC 11"), ("always", "DOC-11")],
)
def test_trigger_parameter_is_validated(kind, param):
    assert "trigger_param" in _errors(trigger_kind=kind, trigger_param=param)


def test_titles_are_plain_text():
    assert "title" in _errors(title="Warranty of {{ supplier.name }}")


def test_clauses_of_a_published_library_cannot_change(published):
    clause = published.clauses.first()
    clause.title = "Changed"
    with pytest.raises(ValidationError, match="draft"):
        clause.full_clean()


def test_new_draft_copies_every_clause_with_the_next_version(draft, published):
    assert (draft.version, draft.status, draft.based_on) == (
        published.version + 1,
        LibraryStatus.DRAFT,
        published,
    )
    copied = list(draft.clauses.values_list("key", "body", "trigger_kind", "trigger_param"))
    assert copied == list(
        published.clauses.values_list("key", "body", "trigger_kind", "trigger_param")
    )
    assert AuditEntry.objects.filter(action="clause_library_drafted").exists()


def test_publish_and_retire(draft, published, checklist_admin_user):
    services.clause_library_publish(library=draft, by=checklist_admin_user)
    services.clause_library_retire(library=published, by=checklist_admin_user)
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, draft.published_by) == (LibraryStatus.PUBLISHED, checklist_admin_user)
    assert published.status == LibraryStatus.RETIRED
    with pytest.raises(ValidationError, match="Only a draft"):
        services.clause_library_publish(library=draft, by=checklist_admin_user)


def test_publish_checks_every_clause_again(draft, checklist_admin_user):
    # A row written without a form, e.g. by a script.
    draft.clauses.filter(key="definitions").update(body="{{ supplier.secret }}")
    with pytest.raises(ValidationError, match="definitions: Unknown placeholder"):
        services.clause_library_publish(library=draft, by=checklist_admin_user)


def test_empty_library_cannot_be_published(checklist_admin_user):
    empty = ClauseLibrary.objects.create(name="Empty", version=5)
    with pytest.raises(ValidationError, match="without clauses"):
        services.clause_library_publish(library=empty, by=checklist_admin_user)


# The admin ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "client_fixture", ["admin_client_for_checklist_admin", "admin_client_for_legal"]
)
def test_curators_search_and_filter_the_library_in_the_admin(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    url = reverse("admin:contracts_clause_changelist")
    response = client.get(url, {"q": "robots.txt", "trigger_kind__exact": "always"})
    assert response.status_code == 200
    assert [c.key for c in response.context["cl"].result_list] == ["tdm-opt-outs"]
    libraries = client.get(reverse("admin:contracts_clauselibrary_changelist"))
    assert libraries.status_code == 200
    assert "Default clause library" in libraries.content.decode()


def test_admin_form_refuses_an_unknown_placeholder(
    admin_client_for_checklist_admin, draft, form_data
):
    client = admin_client_for_checklist_admin
    url = reverse("admin:contracts_clause_add")
    page = client.get(url)
    data = form_data(page.context["adminform"].form)
    data.update(
        {**GOOD, "library": draft.pk, "body": "Hello {{ supplier.name|safe }}", "active": "on"}
    )

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Unknown placeholder {{ supplier.name|safe }}" in errors["body"][0]
    assert not draft.clauses.filter(key="warranty").exists()

    data["body"] = GOOD["body"]
    assert client.post(url, data).status_code == 302
    assert draft.clauses.filter(key="warranty").exists()


def test_published_versions_are_read_only_in_the_admin(admin_client_for_legal, published):
    client = admin_client_for_legal
    url = reverse("admin:contracts_clauselibrary_change", args=[published.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"name": "Changed"}).status_code == 403
    clause = published.clauses.first()
    assert (
        client.post(reverse("admin:contracts_clause_change", args=[clause.pk]), GOOD).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:contracts_clause_delete", args=[clause.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    published.refresh_from_db()
    assert published.name == "Default clause library"


def test_admin_action_makes_a_new_draft(admin_client_for_checklist_admin, published):
    response = admin_client_for_checklist_admin.post(
        reverse("admin:contracts_clauselibrary_changelist"),
        {"action": "new_draft", "_selected_action": [published.pk]},
    )
    assert response.status_code == 302
    draft = ClauseLibrary.objects.get(version=published.version + 1)
    assert draft.clauses.count() == published.clauses.count()


def test_viewer_and_procurement_do_not_curate(viewer_user, procurement_user):
    for user in (viewer_user, procurement_user):
        assert not user.has_perm("contracts.change_clause")
        assert not user.has_perm("contracts.add_clauselibrary")


def test_curator_adds_a_draft_library_with_a_clause_inline(
    admin_client_for_checklist_admin, form_data, published
):
    client = admin_client_for_checklist_admin
    url = reverse("admin:contracts_clauselibrary_add")
    page = client.get(url)
    formset = page.context["inline_admin_formsets"][0].formset
    data = form_data(page.context["adminform"].form, formset.management_form)
    data.update({"name": "Clause library 2027", "notes": "Adds a warranty."})
    data[f"{formset.prefix}-TOTAL_FORMS"] = "1"
    data.update({f"{formset.prefix}-0-{name}": value for name, value in GOOD.items()})
    data[f"{formset.prefix}-0-active"] = "on"
    data[f"{formset.prefix}-0-body"] = "{% debug %}"

    refused = client.post(url, data)
    assert refused.status_code == 200
    assert not ClauseLibrary.objects.filter(name="Clause library 2027").exists()

    data[f"{formset.prefix}-0-body"] = GOOD["body"]
    assert client.post(url, data).status_code == 302
    library = ClauseLibrary.objects.get(name="Clause library 2027")
    assert (library.version, library.status) == (published.version + 1, LibraryStatus.DRAFT)
    assert list(library.clauses.values_list("key", flat=True)) == ["warranty"]
