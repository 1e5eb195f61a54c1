"""Template injection through clause texts: refused when saved, by the model and in the admin.

Clause bodies are written by curators and printed into contracts. They may hold placeholders
from a fixed list (`{{ supplier.name }}`) and nothing else that looks like template syntax:
no tags, no filters, no attribute paths, no names off the list. A refusal says what is wrong
and, for an unknown name, lists the names that are allowed.
"""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts import placeholders
from contracts import services as contract_services
from contracts.documents.layout import clause_blocks
from contracts.models import Clause, ClauseLibrary, Document
from core.roles import CHECKLIST_ADMIN, LEGAL
from diligence import services as diligence_services
from tests.factories import GPAIModelFactory, SupplierFactory, UserFactory
from tests.security.conftest import NEXT_MONTH, signed_in, stored_files

pytestmark = pytest.mark.django_db

ALLOWED = f"Allowed: {placeholders.allowed_list()}."
TAGS = "Template tags ({% … %}) are not allowed in clause text."
COMMENTS = "Template comments ({# … #}) are not allowed in clause text."
STRAY = "this text has an unbalanced or stray brace"

# (body, what the refusal must say). "unknown: x" means: names x as unknown, lists the allowed.
ATTEMPTS = [
    ("{% load static %}{% static 'x' %}", TAGS),
    ("{% load i18n %}", TAGS),
    ("{% debug %}", TAGS),
    ("{% include 'base.html' %}", TAGS),
    ("{{ supplier.name|safe }}", "unknown: supplier.name|safe"),
    (
        "{{ supplier.name|default:settings.SECRET_KEY }}",
        "unknown: supplier.name|default:settings.SECRET_KEY",
    ),
    ("{{ supplier.__class__ }}", "unknown: supplier.__class__"),
    (
        "{{ supplier.name.__class__.__init__.__globals__ }}",
        "unknown: supplier.name.__class__.__init__.__globals__",
    ),
    ("{{ settings.SECRET_KEY }}", "unknown: settings.SECRET_KEY"),
    ("{{ request.user.password }}", "unknown: request.user.password"),
    ("{{ SUPPLIER.NAME }}", "unknown: SUPPLIER.NAME"),
    ("{{ supplier.n\u0430me }}", "unknown: supplier.n\u0430me"),  # a Cyrillic а
    ("{{ supplier .name }}", "unknown: supplier .name"),
    ("{{ }}", "unknown: "),
    ("{{ {{ supplier.name }} }}", STRAY),
    ("{{{ supplier.name }}}", "unknown: { supplier.name"),
    ("{{ supplier.name }", STRAY),
    ("{ supplier.name }}", STRAY),
    ("{{ supplier.name\n}}", STRAY),
    ("{\u200b{ settings.SECRET_KEY }}", STRAY),  # a zero-width space between the braces
    ("{# a comment #}", COMMENTS),
]


# Forms remove zero-width characters before anything reads the text (core/text.py), so there
# the placeholder behind the zero-width space is what gets refused.
IN_FORMS = {"{\u200b{ settings.SECRET_KEY }}": "unknown: settings.SECRET_KEY"}


def _expected(expectation):
    if expectation.startswith("unknown: "):
        name = expectation.removeprefix("unknown: ")
        return [f"Unknown placeholder {{{{ {name} }}}}.", ALLOWED]
    return [expectation]


@pytest.fixture
def draft(checklist_admin_user):
    published = ClauseLibrary.objects.get(status="published")
    return contract_services.clause_library_new_draft(source=published, by=checklist_admin_user)


@pytest.mark.parametrize(("body", "expectation"), ATTEMPTS, ids=[b for b, _ in ATTEMPTS])
def test_model_validation_refuses_template_injection(draft, body, expectation):
    clause = draft.clauses.get(key="definitions")
    clause.body = f"The Supplier {{{{ supplier.name }}}} warrants {body} the Model."

    with pytest.raises(ValidationError) as refused:
        clause.full_clean()

    message = " ".join(refused.value.message_dict["body"])
    for part in _expected(expectation):
        assert part in message


def test_every_allowed_name_is_listed_in_the_refusal(draft):
    clause = draft.clauses.get(key="definitions")
    clause.body = "{{ settings.SECRET_KEY }}"
    with pytest.raises(ValidationError) as refused:
        clause.full_clean()
    [message] = refused.value.message_dict["body"]
    for name in placeholders.NAMES:
        assert f"{{{{ {name} }}}}" in message


def test_titles_refuse_any_brace(draft):
    clause = draft.clauses.get(key="definitions")
    clause.title = "Definitions {{ settings.SECRET_KEY }}"
    with pytest.raises(ValidationError) as refused:
        clause.full_clean()
    assert "title" in refused.value.message_dict


@pytest.fixture
def curator():
    return signed_in(UserFactory(username="curator", role=LEGAL, is_staff=True))


def test_admin_clause_form_refuses_every_attempt_and_saves_nothing(curator, draft, form_data):
    clause = draft.clauses.get(key="definitions")
    url = reverse("admin:contracts_clause_change", args=[clause.pk])
    data = form_data(curator.get(url).context["adminform"].form)
    problems = []
    for body, expectation in ATTEMPTS:
        response = curator.post(url, {**data, "body": body})
        errors = (
            response.context["adminform"].form.errors.get("body", []) if response.context else []
        )
        shown = " ".join(errors)
        expectation = IN_FORMS.get(body, expectation)
        if response.status_code != 200 or not all(p in shown for p in _expected(expectation)):
            problems.append((body, response.status_code, shown[:120]))
        # The refusal is on the page, escaped like everything else.
        if response.status_code == 200 and "<script" in body and body in response.content.decode():
            problems.append((body, "shown unescaped"))

    assert problems == []
    clause.refresh_from_db()
    assert "settings" not in clause.body and "{%" not in clause.body

    # The control: the same form with an allowed placeholder is saved.
    body = "The Supplier {{ supplier.legal_name }} warrants the Model {{ model.name }}."
    assert curator.post(url, {**data, "body": body}).status_code == 302
    clause.refresh_from_db()
    assert clause.body == body


def test_admin_add_form_and_library_inline_refuse_injection(curator, draft, form_data):
    add_url = reverse("admin:contracts_clause_add")
    data = form_data(curator.get(add_url).context["adminform"].form)
    data.update(
        library=draft.pk,
        key="warranty",
        title="Warranty",
        category="general",
        legal_basis="Contractual",
        trigger_kind="always",
        order=99,
        body="{{ settings.SECRET_KEY }}",
    )
    refused = curator.post(add_url, data)
    assert refused.status_code == 200
    assert ALLOWED in " ".join(refused.context["adminform"].form.errors["body"])
    assert not Clause.objects.filter(key="warranty").exists()

    # On a draft's page, existing clauses are listed and edited on their own pages (next
    # test); new ones are added in the form below the list, which refuses the same.
    url = reverse("admin:contracts_clauselibrary_change", args=[draft.pk])
    page = curator.get(url)
    listing, new_rows = page.context["inline_admin_formsets"]
    formset = new_rows.formset
    inline = form_data(
        page.context["adminform"].form,
        listing.formset.management_form,
        *listing.formset.forms,
        formset.management_form,
    )
    inline[f"{formset.prefix}-TOTAL_FORMS"] = "1"
    inline.update(
        {
            f"{formset.prefix}-0-{name}": value
            for name, value in {
                "key": "warranty",
                "title": "Warranty",
                "category": "general",
                "order": "99",
                "legal_basis": "Contractual",
                "trigger_kind": "always",
                "body": "{% load static %}{{ supplier.__class__ }}",
            }.items()
        }
    )

    response = curator.post(url, inline)

    assert response.status_code == 200
    errors = " ".join(response.context["inline_admin_formsets"][1].formset.forms[0].errors["body"])
    assert TAGS in errors
    assert not draft.clauses.filter(key="warranty").exists()


def test_checklist_admins_meet_the_same_refusal(draft, form_data):
    client = signed_in(UserFactory(username="lists", role=CHECKLIST_ADMIN, is_staff=True))
    clause = draft.clauses.get(key="definitions")
    url = reverse("admin:contracts_clause_change", args=[clause.pk])
    data = form_data(client.get(url).context["adminform"].form)

    response = client.post(url, {**data, "body": "{{ settings.SECRET_KEY }}"})

    assert response.status_code == 200
    assert ALLOWED in " ".join(response.context["adminform"].form.errors["body"])


def test_text_that_only_looks_like_a_placeholder_is_printed_as_it_is(draft):
    clause = draft.clauses.get(key="definitions")
    clause.body = "Fullwidth \uff5b\uff5b settings.SECRET_KEY \uff5d\uff5d stays text."
    clause.full_clean()

    [block] = clause_blocks(1, clause.body, {"today": "1 January 2026"})
    assert block.text == clause.body
    assert settings.SECRET_KEY not in block.text


def test_a_clause_that_bypassed_validation_never_prints_what_it_asks_for(
    procurement_user, legal_user, checklist_admin_user, media_root
):
    """A row written without the form (a script, a hand edit of the database) into the
    published library: generating refuses it, and nothing is stored."""
    published = ClauseLibrary.objects.get(status="published")
    Clause.objects.filter(library=published, key="definitions").update(
        body="Secret: {{ settings.SECRET_KEY }}"
    )

    model = GPAIModelFactory(supplier=SupplierFactory(name="Mistral AI"))
    assessment = diligence_services.assessment_start(
        model=model,
        reference="TENDER-2026-001",
        purpose="Support",
        owner=procurement_user,
        due_date=NEXT_MONTH,
        by=procurement_user,
    )

    with pytest.raises(ValidationError, match="definitions: Unknown placeholder"):
        contract_services.document_generate(assessment=assessment, format="docx", by=legal_user)

    assert not Document.objects.exists()
    assert stored_files(media_root) == []
    draft = contract_services.clause_library_new_draft(source=published, by=checklist_admin_user)
    with pytest.raises(ValidationError, match="definitions: Unknown placeholder"):
        contract_services.clause_library_publish(library=draft, by=checklist_admin_user)
