"""The clause-pack page, Legal's changes, and generating and downloading documents, per role."""

import datetime
import re

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from contracts import services
from contracts.documents import engine
from contracts.documents import pdf as pdf_module
from contracts.models import ClauseOverride, Document
from core.audit import audit_entries_for
from diligence import services as diligence_services
from tests.factories import GPAIModelFactory, SupplierFactory

pytestmark = pytest.mark.django_db

READERS = ["legal_client", "procurement_client", "viewer_client", "checklist_admin_client"]


def _pack(assessment):
    return reverse("contracts:clause_pack", args=[assessment.pk])


def _remove(assessment):
    return reverse("contracts:clause_remove", args=[assessment.pk])


def _add(assessment):
    return reverse("contracts:clause_add", args=[assessment.pk])


def _generate(assessment):
    return reverse("contracts:document_generate", args=[assessment.pk])


def _download(document):
    return reverse("contracts:document_download", args=[document.assessment_id, document.pk])


def _rendered_form(html, action, clause):
    """The fields of the form on the page that posts to `action` for `clause`."""
    for form in re.findall(r"<form\b.*?</form>", html, flags=re.DOTALL):
        if f'action="{action}"' in form and f'value="{clause}"' in form:
            return dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
    raise AssertionError(f"No form for {clause} posting to {action}")


@pytest.fixture
def document(xai_assessment, legal_user, media_root):
    """A generated Word file (quicker to make than a PDF; the browser test downloads one)."""
    return services.document_generate(assessment=xai_assessment, format="docx", by=legal_user)[0]


# The page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_roles_that_read_see_the_clause_pack(request, role, xai_assessment):
    client = request.getfixturevalue(role)
    response = client.get(_pack(xai_assessment))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Clause pack" in html
    assert "Information and audit rights" in html
    assert "DOC-11 is a gap" in html
    assert "Copyright chapter not signed (status: Not signed)" in html


def test_outsider_gets_404_for_the_clause_pack(outsider_client, xai_assessment):
    assert outsider_client.get(_pack(xai_assessment)).status_code == 404


def test_anonymous_is_sent_to_sign_in(xai_assessment, document):
    client = Client()
    for url in (_pack(xai_assessment), _download(document)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    for url in (_remove(xai_assessment), _generate(xai_assessment)):
        assert (
            client.post(url, {"clause": "definitions", "reason": "x", "format": "pdf"}).status_code
            == 302
        )
    assert not ClauseOverride.objects.exists()


def test_missing_assessment_is_404(legal_client):
    assert legal_client.get(reverse("contracts:clause_pack", args=[999999])).status_code == 404


def test_only_legal_gets_the_forms_to_change_the_pack(
    legal_client, procurement_client, viewer_client, xai_assessment
):
    assert (
        f'action="{_remove(xai_assessment)}"'
        in legal_client.get(_pack(xai_assessment)).content.decode()
    )
    for client in (procurement_client, viewer_client):
        html = client.get(_pack(xai_assessment)).content.decode()
        assert f'action="{_remove(xai_assessment)}"' not in html
        assert f'action="{_add(xai_assessment)}"' not in html


def test_generate_buttons_only_for_roles_that_may_generate(
    legal_client, procurement_client, viewer_client, xai_assessment
):
    for client in (legal_client, procurement_client):
        assert (
            f'action="{_generate(xai_assessment)}"'
            in client.get(_pack(xai_assessment)).content.decode()
        )
    assert (
        f'action="{_generate(xai_assessment)}"'
        not in viewer_client.get(_pack(xai_assessment)).content.decode()
    )


def test_assessment_page_links_to_the_clause_pack(viewer_client, xai_assessment):
    html = viewer_client.get(xai_assessment.get_absolute_url()).content.decode()
    assert f'href="{_pack(xai_assessment)}"' in html


# Legal's changes ---------------------------------------------------------------------------


def test_legal_removes_a_clause_with_the_form_on_the_page(legal_client, legal_user, xai_assessment):
    page = legal_client.get(_pack(xai_assessment)).content.decode()
    data = _rendered_form(page, _remove(xai_assessment), "audit-rights")
    data["reason"] = "Covered by the framework agreement."

    response = legal_client.post(_remove(xai_assessment), data, follow=True)

    assert response.redirect_chain[-1][0].startswith(_pack(xai_assessment))
    html = response.content.decode()
    assert "Removed “Information and audit rights”." in html
    removed = html[html.index("Removed by Legal (1)") :]
    assert "Information and audit rights" in removed
    assert "Covered by the framework agreement." in removed
    changes = html[html.index("Changes by Legal") :]
    assert "Removed “Information and audit rights”: Covered by the framework agreement." in changes
    entry = audit_entries_for(xai_assessment).get(action="clause_removed")
    assert (entry.actor, entry.data["clause"]) == (legal_user, "audit-rights")


def test_legal_adds_a_clause_back(legal_client, legal_user, xai_assessment):
    services.clause_pack_remove(
        assessment=xai_assessment, clause_key="audit-rights", reason="No.", by=legal_user
    )
    page = legal_client.get(_pack(xai_assessment)).content.decode()
    data = _rendered_form(page, _add(xai_assessment), "audit-rights")
    data["reason"] = "Needed after all."

    legal_client.post(_add(xai_assessment), data)

    pack = legal_client.get(_pack(xai_assessment)).context["included"]
    assert "audit-rights" in [entry.clause.key for entry, _text in pack]
    assert audit_entries_for(xai_assessment).filter(action="clause_added").count() == 1


def test_a_change_without_reason_is_refused(legal_client, xai_assessment):
    response = legal_client.post(
        _remove(xai_assessment), {"clause": "audit-rights", "reason": ""}, follow=True
    )
    assert "Give the reason" in response.content.decode()
    assert not ClauseOverride.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("procurement_client", 403), ("viewer_client", 403), ("outsider_client", 404)],
)
def test_other_roles_cannot_change_the_pack(request, role, status, xai_assessment):
    client = request.getfixturevalue(role)
    for url in (_remove(xai_assessment), _add(xai_assessment)):
        assert client.post(url, {"clause": "audit-rights", "reason": "Mine."}).status_code == status
    assert not ClauseOverride.objects.exists()


# Documents ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["legal_client", "procurement_client"])
def test_legal_and_procurement_generate_documents(request, role, xai_assessment, media_root):
    client = request.getfixturevalue(role)
    for document_format, label in (("pdf", "PDF"), ("docx", "Word")):
        response = client.post(_generate(xai_assessment), {"format": document_format}, follow=True)
        assert f"Contract schedule, {label} version 1 generated." in response.content.decode()
    again = client.post(_generate(xai_assessment), {"format": "pdf"}, follow=True)
    assert "Nothing changed since Contract schedule, PDF version 1" in again.content.decode()
    report = client.post(
        _generate(xai_assessment), {"format": "pdf", "kind": "report"}, follow=True
    )
    assert "Due-diligence report, PDF version 1 generated." in report.content.decode()
    assert sorted(
        Document.objects.filter(assessment=xai_assessment).values_list("kind", "format")
    ) == [("report", "pdf"), ("schedule", "docx"), ("schedule", "pdf")]


@pytest.mark.parametrize(
    ("role", "status"),
    [("viewer_client", 403), ("checklist_admin_client", 403), ("outsider_client", 404)],
)
def test_other_roles_cannot_generate(request, role, status, xai_assessment, media_root):
    client = request.getfixturevalue(role)
    assert client.post(_generate(xai_assessment), {"format": "pdf"}).status_code == status
    assert not Document.objects.exists()


def test_generate_needs_a_known_format(legal_client, xai_assessment, media_root):
    response = legal_client.post(_generate(xai_assessment), {"format": "html"}, follow=True)
    assert "Choose the document and PDF or Word." in response.content.decode()
    assert not Document.objects.exists()


def test_generate_is_post_only(legal_client, xai_assessment):
    assert legal_client.get(_generate(xai_assessment)).status_code == 405


@pytest.mark.parametrize("role", ["legal_client", "procurement_client"])
def test_download_serves_the_stored_file_without_rendering_again(
    request, role, document, monkeypatch
):
    client = request.getfixturevalue(role)

    def fail(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(pdf_module, "html_to_pdf", fail)
    monkeypatch.setattr(engine.HTML, "write_pdf", fail)
    monkeypatch.setitem(services.RENDERERS, "pdf", fail)
    monkeypatch.setitem(services.RENDERERS, "docx", fail)

    response = client.get(_download(document))

    assert response.status_code == 200
    assert response["Content-Type"] == services.CONTENT_TYPES["docx"]
    assert response["Content-Disposition"].startswith(
        'attachment; filename="contract-schedule-TENDER-2026-014-v1.docx"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert body == default_storage.open(document.storage_name).read()
    entry = audit_entries_for(document.assessment).get(action="document_downloaded")
    assert entry.data == {"document": str(document.document_id)}


def test_download_name_is_safe_whatever_the_reference(
    legal_client, legal_user, xai_assessment, media_root
):
    xai_assessment.reference = 'A/B\\"C\r\nD;é'
    xai_assessment.save()
    document, _ = services.document_generate(
        assessment=xai_assessment, format="docx", by=legal_user
    )

    disposition = legal_client.get(_download(document))["Content-Disposition"]

    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.startswith('attachment; filename="contract-schedule-A-B-C-D-e-v1.docx"')
    assert disposition.endswith("filename*=UTF-8''contract-schedule-A-B-C-D-%C3%A9-v1.docx")


@pytest.mark.parametrize(
    ("role", "status"),
    [("viewer_client", 403), ("checklist_admin_client", 403), ("outsider_client", 404)],
)
def test_other_roles_cannot_download(request, role, status, document):
    client = request.getfixturevalue(role)
    assert client.get(_download(document)).status_code == status
    assert not audit_entries_for(document.assessment).filter(action="document_downloaded").exists()


def test_download_of_another_assessments_document_is_404(legal_client, document, xai_assessment):
    url = reverse("contracts:document_download", args=[xai_assessment.pk + 1, document.pk])
    assert legal_client.get(url).status_code == 404


def test_page_lists_the_versions_with_download_links_for_those_who_may(
    legal_client, viewer_client, document
):
    legal_html = legal_client.get(_pack(document.assessment)).content.decode()
    assert f'href="{_download(document)}"' in legal_html
    assert "Word version 1" in legal_html
    viewer_html = viewer_client.get(_pack(document.assessment)).content.decode()
    assert "Word version 1" in viewer_html
    assert f'href="{_download(document)}"' not in viewer_html


# Unknown stays unknown; one source of facts


def test_pack_of_an_undetermined_model_asks_for_the_status_and_never_says_no_systemic_risk(
    legal_client, procurement_user
):
    model = GPAIModelFactory(supplier=SupplierFactory(country="DE"))
    assessment = diligence_services.assessment_start(
        model=model,
        reference="TENDER-UNKNOWN",
        purpose="Summaries.",
        owner=procurement_user,
        due_date=datetime.date.today() + datetime.timedelta(days=30),
        by=procurement_user,
    )

    response = legal_client.get(reverse("contracts:clause_pack", args=[assessment.pk]))

    included = {entry.clause.key: entry.reason for entry, _blocks in response.context["included"]}
    assert included["systemic-risk-status"] == (
        "Systemic-risk status not known: the supplier must state it"
    )
    assert "serious-incidents" not in included
    page = response.content.decode()
    # Neither a trigger's "no" nor the old "none recorded" for a status nobody knows.
    assert "No systemic risk (" not in page
    assert "no systemic risk recorded" not in page.lower()
    assert "None recorded" not in page
    assert "Undetermined" in page


def test_a_clause_added_by_hand_against_the_facts_shows_a_warning_on_the_pack(
    legal_client, legal_user, xai_assessment
):
    services.clause_pack_add(
        assessment=xai_assessment,
        clause_key="open-source-exemption",
        reason="Asked for by the business.",
        by=legal_user,
    )

    response = legal_client.get(reverse("contracts:clause_pack", args=[xai_assessment.pk]))

    assert [entry.clause.key for entry in response.context["warnings"]] == ["open-source-exemption"]
    page = response.content.decode()
    assert "Check 1 clause added by hand" in page
    assert "the facts this clause is written for do not hold" in page
