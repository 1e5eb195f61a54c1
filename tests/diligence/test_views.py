"""The assessment pages: who may open and submit what, and what the pages do with it."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.files import MEGABYTE
from core.models import AuditEntry
from core.roles import PROCUREMENT
from diligence import services
from diligence.models import (
    Assessment,
    AssessmentItem,
    AssessmentStatus,
    Checklist,
    ChecklistStatus,
    Evidence,
    ItemStatus,
)
from tests.factories import (
    AssessmentFactory,
    DecisionFactory,
    GPAIModelFactory,
    SupplierFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
NEXT_MONTH = TODAY + datetime.timedelta(days=30)
NEXT_YEAR = TODAY + datetime.timedelta(days=365)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(32)
CONFLICT = "Someone else changed this item while you were editing it."


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def reviewer():
    """A second Procurement user, who may decide on the first one's assessments."""
    return UserFactory(username="reviewer", role=PROCUREMENT)


@pytest.fixture
def reviewer_client(reviewer):
    client = Client()
    client.force_login(reviewer)
    return client


@pytest.fixture
def gpai_model():
    supplier = SupplierFactory(name="Mistral AI", country="FR", signatures={"copyright": "signed"})
    return GPAIModelFactory(supplier=supplier, name="Mistral Medium", version="3")


@pytest.fixture
def assessment(gpai_model, procurement_user):
    return services.assessment_start(
        model=gpai_model,
        reference="TENDER-2025-07",
        purpose="Drafting replies to customer enquiries.",
        owner=procurement_user,
        due_date=NEXT_MONTH,
        by=procurement_user,
    )


@pytest.fixture
def item(assessment):
    return assessment.items.get(checklist_item__code="DOC-10")


@pytest.fixture
def evidence(item, procurement_user, media_root):
    return services.evidence_add(
        item=item,
        data={"description": "Model card"},
        uploaded_file=SimpleUploadedFile('Modell "Karte" ü.pdf', PDF),
        by=procurement_user,
    )


def _pdf(name="model-card.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()]


def _writes():
    """Every write on these pages leaves an audit entry, a history row or an evidence row."""
    return (
        AuditEntry.objects.count()
        + Assessment.history.count()
        + AssessmentItem.history.count()
        + Evidence.objects.count()
    )


def _page(response):
    return response.content.decode()


# Access: the allowed role, the read-only roles, an outsider and a visitor who is not signed in.

READ_PAGES = ["assessment_list", "assessment_detail", "item_detail", "evidence_download"]
WRITE_PAGES = ["assessment_start", "assessment_decide"]
WRITES = [
    "assessment_start",
    "item_save",
    "evidence_upload",
    "item_quick_status",
    "assessment_submit",
    "assessment_return",
    "assessment_decide",
    "assessment_reopen",
    "assessment_move",
]
READ_ONLY_ROLES = ["viewer_client", "legal_client", "checklist_admin_client"]
# The state each workflow action needs to succeed for a user who is allowed to run it.
NEEDS = {
    "assessment_return": "in_review",
    "assessment_decide": "in_review",
    "assessment_reopen": "decided",
}


@pytest.fixture
def url_for(assessment, item, evidence):
    urls = {
        "assessment_list": reverse("diligence:assessment_list"),
        "assessment_start": reverse("diligence:assessment_start"),
        "item_detail": item.get_absolute_url(),
        "item_save": item.get_absolute_url(),
        "evidence_upload": item.get_absolute_url(),
        "item_quick_status": reverse("diligence:item_quick_status", args=[assessment.pk, item.pk]),
        "evidence_download": evidence.get_download_url(),
    }
    return lambda name: urls.get(name) or reverse(f"diligence:{name}", args=[assessment.pk])


@pytest.fixture
def prepare(assessment, gpai_model, procurement_user, reviewer, url_for):
    """Put the assessment where `view` can succeed; return its URL and a valid submission."""

    def prepare(view):
        if NEEDS.get(view) in ("in_review", "decided"):
            services.assessment_submit(assessment=assessment, by=procurement_user)
        if NEEDS.get(view) == "decided":
            services.assessment_decide(
                assessment=assessment,
                outcome="rejected",
                conditions="",
                valid_until=NEXT_YEAR,
                by=reviewer,
            )
        v2 = None
        if view == "assessment_move":
            draft = services.checklist_new_draft(source=assessment.checklist, by=reviewer)
            v2 = services.checklist_publish(checklist=draft, by=reviewer)
        data = {
            "assessment_start": {
                "model": gpai_model.pk,
                "reference": "TENDER-2025-08",
                "purpose": "Code completion",
                "owner": procurement_user.pk,
                "due_date": NEXT_MONTH.isoformat(),
            },
            "item_save": {"save_item": "1", "status": "requested", "notes": "Asked", "version": 1},
            "evidence_upload": {
                "add_evidence": "1",
                "url": "https://example.org/model-card",
                "description": "Model card",
            },
            "item_quick_status": {"status": "requested", "version": 1},
            "assessment_return": {"reason": "DOC-12 is missing"},
            "assessment_decide": {"outcome": "rejected", "valid_until": NEXT_YEAR.isoformat()},
            "assessment_reopen": {"reason": "A new model version"},
            "assessment_move": {"checklist": v2.pk if v2 else ""},
        }.get(view, {})
        return url_for(view), data

    return prepare


@pytest.mark.parametrize("page", READ_PAGES + WRITE_PAGES)
def test_procurement_can_open_every_page(procurement_client, reviewer_client, url_for, page):
    client = reviewer_client if page == "assessment_decide" else procurement_client
    assert client.get(url_for(page)).status_code == 200


@pytest.mark.parametrize("view", WRITES)
def test_procurement_can_submit_every_write_view(
    procurement_client, reviewer_client, prepare, view
):
    url, data = prepare(view)
    before = _writes()
    # Four eyes: someone other than the owner decides.
    client = reviewer_client if view == "assessment_decide" else procurement_client

    response = client.post(url, data)

    assert response.status_code == 302
    assert _writes() > before


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
@pytest.mark.parametrize("page", READ_PAGES)
def test_read_only_roles_can_read_pages(request, url_for, role, page):
    client = request.getfixturevalue(role)
    assert client.get(url_for(page)).status_code == 200


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
@pytest.mark.parametrize("page", WRITE_PAGES)
def test_read_only_roles_get_403_for_write_pages(request, url_for, role, page):
    client = request.getfixturevalue(role)
    assert client.get(url_for(page)).status_code == 403


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
@pytest.mark.parametrize("view", WRITES)
def test_read_only_roles_get_403_when_submitting_and_nothing_is_saved(request, prepare, role, view):
    client = request.getfixturevalue(role)
    url, data = prepare(view)
    before = _writes()

    response = client.post(url, data)

    assert response.status_code == 403
    assert _writes() == before


@pytest.mark.parametrize("page", READ_PAGES + WRITE_PAGES)
def test_outsider_gets_404_for_every_page(outsider_client, url_for, page):
    assert outsider_client.get(url_for(page)).status_code == 404


@pytest.mark.parametrize("view", WRITES)
def test_outsider_gets_404_when_submitting_and_nothing_is_saved(outsider_client, prepare, view):
    url, data = prepare(view)
    before = _writes()

    response = outsider_client.post(url, data)

    assert response.status_code == 404
    assert _writes() == before


@pytest.mark.parametrize("page", READ_PAGES + WRITE_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, url_for, page):
    response = client.get(url_for(page))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url_for(page)}"


@pytest.mark.parametrize("view", WRITES)
def test_anonymous_visitor_cannot_submit_anything(client, prepare, view):
    url, data = prepare(view)
    before = _writes()

    response = client.post(url, data)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert _writes() == before


@pytest.mark.parametrize(
    "view",
    ["assessment_submit", "assessment_return", "assessment_reopen", "assessment_move"],
)
def test_workflow_actions_are_post_only(procurement_client, url_for, view):
    assert procurement_client.get(url_for(view)).status_code == 405


def test_read_only_role_sees_no_forms_on_the_assessment_and_item_pages(
    viewer_client, assessment, item
):
    detail = _page(viewer_client.get(assessment.get_absolute_url()))
    item_page = viewer_client.get(item.get_absolute_url())

    assert reverse("diligence:item_quick_status", args=[assessment.pk, item.pk]) not in detail
    assert reverse("diligence:assessment_submit", args=[assessment.pk]) not in detail
    assert 'name="save_item"' not in _page(item_page)
    assert 'name="add_evidence"' not in _page(item_page)
    assert item_page.context["can_edit"] is False


# Starting an assessment


def test_start_form_from_the_model_page_starts_an_assessment(
    procurement_client, procurement_user, gpai_model, form_data
):
    model_page = _page(procurement_client.get(gpai_model.get_absolute_url()))
    start_url = f"{reverse('diligence:assessment_start')}?model={gpai_model.pk}"
    assert start_url in model_page
    form = procurement_client.get(start_url).context["form"]
    data = form_data(form)
    assert data["model"] == str(gpai_model.pk)
    assert data["owner"] == str(procurement_user.pk)

    response = procurement_client.post(
        start_url,
        {**data, "reference": "TENDER-9", "purpose": "Search", "due_date": NEXT_MONTH.isoformat()},
        follow=True,
    )

    assessment = Assessment.objects.get()
    assert response.redirect_chain == [(assessment.get_absolute_url(), 302)]
    assert (assessment.reference, assessment.model, assessment.owner) == (
        "TENDER-9",
        gpai_model,
        procurement_user,
    )
    assert "Assessment TENDER-9 started." in _page(response)


def test_submitting_the_start_form_twice_creates_one_assessment(
    procurement_client, gpai_model, form_data
):
    url = f"{reverse('diligence:assessment_start')}?model={gpai_model.pk}"
    data = form_data(procurement_client.get(url).context["form"])
    data.update(reference="TENDER-9", purpose="Search", due_date=NEXT_MONTH.isoformat())

    first = procurement_client.post(url, data)
    second = procurement_client.post(url, data)

    assessment = Assessment.objects.get()
    assert first.url == second.url == assessment.get_absolute_url()
    assert AuditEntry.objects.filter(action="assessment_started").count() == 1


def test_start_form_refuses_a_due_date_in_the_past(procurement_client, gpai_model, form_data):
    url = f"{reverse('diligence:assessment_start')}?model={gpai_model.pk}"
    data = form_data(procurement_client.get(url).context["form"])
    yesterday = TODAY - datetime.timedelta(days=1)
    data.update(reference="TENDER-9", purpose="Search", due_date=yesterday.isoformat())

    response = procurement_client.post(url, data)

    assert response.context["form"].errors == {"due_date": ["The due date cannot be in the past."]}
    assert not Assessment.objects.exists()


# The assessment page and quick status


def test_assessment_page_groups_items_by_category_and_lists_those_that_do_not_apply(
    viewer_client, assessment
):
    response = viewer_client.get(assessment.get_absolute_url())

    groups = {group["category"]: group for group in response.context["groups"]}
    assert groups["documentation"]["mode_label"] == "Other adequate means (Art. 53(4), Art. 55(2))"
    assert groups["copyright"]["mode_label"] == "Code of Practice measure"
    assert groups["safety_security"]["items"] == []
    excluded = {item.checklist_item.code for item in response.context["excluded"]}
    assert {"SAF-01", "DOC-21"} <= excluded
    assert "Only for providers established outside the EU (Art. 54)." in _page(response)


def test_quick_status_changes_the_item_and_returns_to_its_row(procurement_client, assessment, item):
    url = reverse("diligence:item_quick_status", args=[assessment.pk, item.pk])

    response = procurement_client.post(url, {"status": "requested", "version": 1})

    assert response.url == f"{assessment.get_absolute_url()}#item-{item.pk}"
    item.refresh_from_db()
    assert (item.status, item.version) == (ItemStatus.REQUESTED, 2)
    followed = procurement_client.get(response.url)
    assert "DOC-10: Requested." in _page(followed)


def test_quick_status_through_htmx_answers_with_the_updated_row(
    procurement_client, assessment, item
):
    url = reverse("diligence:item_quick_status", args=[assessment.pk, item.pk])

    response = procurement_client.post(url, {"status": "gap", "version": 1}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    row = _page(response)
    assert row.startswith(f'<tr id="item-{item.pk}">')
    assert "item-gap" in row
    assert 'name="version" value="2"' in row


def test_quick_status_from_a_stale_page_is_refused(procurement_client, assessment, item):
    url = reverse("diligence:item_quick_status", args=[assessment.pk, item.pk])
    procurement_client.post(url, {"status": "requested", "version": 1})

    response = procurement_client.post(url, {"status": "gap", "version": 1}, follow=True)

    item.refresh_from_db()
    assert item.status == ItemStatus.REQUESTED
    assert CONFLICT in _page(response)


# The item page: status, review and the optimistic lock


def test_item_form_saves_status_and_notes(procurement_client, item, form_data):
    url = item.get_absolute_url()
    data = form_data(procurement_client.get(url).context["item_form"])

    response = procurement_client.post(
        url, {**data, "status": "gap", "notes": "No summary given", "save_item": "1"}, follow=True
    )

    item.refresh_from_db()
    assert (item.status, item.notes, item.version) == ("gap", "No summary given", 2)
    assert "DOC-10 saved." in _page(response)
    latest = response.context["history"][0]
    assert latest.who.username == "procurement"
    assert ("Status", "Open", "Gap") in latest.fields


def test_item_form_asks_why_an_item_does_not_apply(procurement_client, item, form_data):
    url = item.get_absolute_url()
    data = form_data(procurement_client.get(url).context["item_form"])

    response = procurement_client.post(url, {**data, "status": "not_applicable", "save_item": "1"})

    assert response.context["item_form"].errors == {
        "justification": ["Say why this item does not apply."]
    }
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN


def test_second_of_two_concurrent_saves_gets_a_conflict_and_keeps_its_input(
    procurement_client, reviewer_client, item, form_data
):
    url = item.get_absolute_url()
    mine = form_data(procurement_client.get(url).context["item_form"])
    theirs = form_data(reviewer_client.get(url).context["item_form"])
    procurement_client.post(
        url, {**mine, "status": "requested", "notes": "Asked", "save_item": "1"}
    )

    response = reviewer_client.post(
        url, {**theirs, "status": "gap", "notes": "Nothing came", "save_item": "1"}
    )

    assert response.status_code == 200
    form = response.context["item_form"]
    assert form.non_field_errors()[0].startswith(CONFLICT)
    assert CONFLICT in _page(response)
    assert (form["status"].value(), form["notes"].value()) == ("gap", "Nothing came")
    assert "Nothing came</textarea>" in _page(response)
    item.refresh_from_db()
    assert (item.status, item.notes, item.version) == ("requested", "Asked", 2)

    # Having seen the message, the second user saves again on purpose.
    again = reviewer_client.post(url, {**form_data(form), "save_item": "1"})

    assert again.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.notes, item.version) == ("gap", "Nothing came", 3)


# Evidence: upload, versions and download


def _evidence_post(client, item, form_data, **values):
    url = item.get_absolute_url()
    data = form_data(client.get(url).context["evidence_form"])
    return client.post(url, {**data, "add_evidence": "1", **values})


def test_evidence_upload_stores_the_file_and_lists_it(
    procurement_client, item, form_data, media_root
):
    response = _evidence_post(
        procurement_client, item, form_data, file=_pdf(), description="Model card"
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        "model-card.pdf",
        "application/pdf",
        len(PDF),
    )
    assert _stored_files(media_root) == [media_root / evidence.storage_name]
    page = _page(procurement_client.get(item.get_absolute_url()))
    assert evidence.get_download_url() in page
    assert evidence.sha256 in page


def test_submitting_the_evidence_form_twice_stores_one_file(
    procurement_client, item, form_data, media_root
):
    url = item.get_absolute_url()
    data = form_data(procurement_client.get(url).context["evidence_form"])
    data.update(add_evidence="1", description="Model card")

    procurement_client.post(url, {**data, "file": _pdf()})
    procurement_client.post(url, {**data, "file": _pdf()})

    assert Evidence.objects.count() == 1
    assert len(_stored_files(media_root)) == 1


def test_new_version_of_evidence_supersedes_the_old_one(
    procurement_client, item, evidence, form_data, media_root
):
    url = f"{item.get_absolute_url()}?supersede={evidence.pk}"
    page = procurement_client.get(url)
    assert "Add a new version" in _page(page)
    data = form_data(page.context["evidence_form"])

    procurement_client.post(
        url,
        {
            **data,
            "add_evidence": "1",
            "supersedes": evidence.pk,
            "file": _pdf("card-v2.pdf"),
            "description": "Model card, second edition",
        },
        follow=True,
    )

    evidence.refresh_from_db()
    newer = Evidence.objects.get(supersedes=evidence)
    assert (evidence.is_current, newer.is_current) == (False, True)
    listed = procurement_client.get(item.get_absolute_url()).context["evidence"]
    assert listed == [newer, evidence]


def test_evidence_form_needs_a_file_or_a_link(procurement_client, item, form_data):
    response = _evidence_post(procurement_client, item, form_data, description="Model card")

    assert response.context["evidence_form"].non_field_errors() == ["Give either a file or a link."]
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param(
            "model-card.pdf",
            PDF + bytes(MEGABYTE),
            "Files can be at most 1 MB; this one is 1.1 MB.",
            id="oversize",
        ),
        pytest.param(
            "model-card.pdf",
            PNG,
            "This file is a PNG image but is named .pdf. Upload it with its real extension.",
            id="png-named-pdf",
        ),
        pytest.param(
            "model-card.pdf",
            b"<!doctype html><html><script>alert(1)</script></html>",
            "HTML, SVG and XML files are not accepted as evidence.",
            id="html-named-pdf",
        ),
        pytest.param(
            "../../etc/model-card",
            PDF,
            "This file is a PDF document but its name has no extension. "
            "Name it .pdf and upload it again.",
            id="path-without-extension",
        ),
        pytest.param("model-card.pdf", b"", "The submitted file is empty.", id="empty"),
    ],
)
def test_refused_upload_says_why_on_the_form_and_stores_nothing(
    procurement_client, item, form_data, media_root, settings, name, content, message
):
    settings.EVIDENCE_MAX_BYTES = MEGABYTE

    response = _evidence_post(
        procurement_client,
        item,
        form_data,
        file=SimpleUploadedFile(name, content, content_type="application/pdf"),
        description="Model card",
    )

    assert response.status_code == 200
    assert response.context["evidence_form"].errors["file"] == [message]
    assert message in _page(response).replace("&#x27;", "'")
    assert not Evidence.objects.exists()
    assert _stored_files(media_root) == []


@pytest.mark.parametrize(
    "name",
    ["../../../etc/model-card.pdf", "..\\..\\windows\\model-card.pdf", "/var/model-card.pdf"],
)
def test_path_in_an_uploaded_name_is_dropped_and_the_file_stays_in_the_evidence_folder(
    procurement_client, item, form_data, media_root, name
):
    _evidence_post(procurement_client, item, form_data, file=_pdf(name), description="Card")

    evidence = Evidence.objects.get()
    assert evidence.original_name == "model-card.pdf"
    [stored] = _stored_files(media_root)
    assert stored.relative_to(media_root).parts[0] == "evidence"
    assert stored.name != "model-card.pdf"


def test_very_long_uploaded_name_is_shortened_and_keeps_its_extension(
    procurement_client, item, form_data, media_root
):
    _evidence_post(
        procurement_client, item, form_data, file=_pdf("a" * 400 + ".pdf"), description="Card"
    )

    evidence = Evidence.objects.get()
    assert len(evidence.original_name) <= 150
    assert evidence.original_name == "a" * 146 + ".pdf"
    response = procurement_client.get(evidence.get_download_url())
    assert response["Content-Disposition"].startswith(f'attachment; filename="{"a" * 146}.pdf"')


def test_evidence_download_is_an_attachment_with_a_safe_name_and_is_audited(
    viewer_client, viewer_user, evidence
):
    response = viewer_client.get(evidence.get_download_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Modell _Karte_ u.pdf\"; filename*=UTF-8''Modell%20_Karte_%20%C3%BC.pdf"
    )
    entry = AuditEntry.objects.get(action="evidence_downloaded")
    assert (entry.actor, entry.target, entry.data) == (
        viewer_user,
        evidence.item.assessment,
        {"evidence": evidence.pk},
    )


def test_evidence_download_under_another_assessment_or_item_is_404(
    viewer_client, assessment, item, evidence, procurement_user
):
    other_item = assessment.items.get(checklist_item__code="DOC-11")
    other = AssessmentFactory(owner=procurement_user, with_items=True)
    wrong = [
        (other.pk, item.pk),
        (assessment.pk, other_item.pk),
        (other.pk, other.items.first().pk),
    ]

    for assessment_pk, item_pk in wrong:
        url = reverse("diligence:evidence_download", args=[assessment_pk, item_pk, evidence.pk])
        assert viewer_client.get(url).status_code == 404
    assert not AuditEntry.objects.filter(action="evidence_downloaded").exists()


def test_link_evidence_has_no_download(viewer_client, item, procurement_user):
    link = services.evidence_add(
        item=item,
        data={"description": "Card", "url": "https://example.org/card"},
        by=procurement_user,
    )

    assert viewer_client.get(link.get_download_url()).status_code == 404


# Submitting, returning, deciding, reopening and moving


def test_owner_submits_for_review(procurement_client, assessment):
    page = _page(procurement_client.get(assessment.get_absolute_url()))
    assert "Submit for review" in page

    response = procurement_client.post(
        reverse("diligence:assessment_submit", args=[assessment.pk]), follow=True
    )

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_REVIEW
    assert "Submitted for review." in _page(response)


def test_someone_else_cannot_submit_the_owners_assessment(reviewer_client, assessment):
    assert "Submit for review" not in _page(reviewer_client.get(assessment.get_absolute_url()))

    response = reviewer_client.post(
        reverse("diligence:assessment_submit", args=[assessment.pk]), follow=True
    )

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert "Only the owner of the assessment can submit it." in _page(response)


def test_sending_back_needs_a_reason(reviewer_client, assessment, procurement_user):
    services.assessment_submit(assessment=assessment, by=procurement_user)
    url = reverse("diligence:assessment_return", args=[assessment.pk])

    refused = reviewer_client.post(url, {"reason": " "}, follow=True)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_REVIEW
    assert "Say why the assessment goes back to the owner." in _page(refused)

    reviewer_client.post(url, {"reason": "DOC-12 is missing"})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_owner_sees_no_decide_button_and_cannot_decide(
    procurement_client, assessment, procurement_user, form_data
):
    services.assessment_submit(assessment=assessment, by=procurement_user)
    decide_url = reverse("diligence:assessment_decide", args=[assessment.pk])
    assert decide_url not in _page(procurement_client.get(assessment.get_absolute_url()))
    data = form_data(procurement_client.get(decide_url).context["form"])

    response = procurement_client.post(
        decide_url, {**data, "outcome": "rejected", "valid_until": NEXT_YEAR.isoformat()}
    )

    assert response.context["form"].non_field_errors() == [
        "Someone other than the owner must decide (four-eyes principle)."
    ]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_REVIEW


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        (
            {"outcome": "approved"},
            {
                "outcome": [
                    "18 required item(s) are not accepted. Approve with conditions or reject instead."
                ]
            },
        ),
        (
            {"outcome": "approved_with_conditions", "conditions": ""},
            {"conditions": ["State the conditions of the approval."]},
        ),
        (
            {"outcome": "rejected", "valid_until": TODAY.isoformat()},
            {"valid_until": ["The decision must be valid until a date in the future."]},
        ),
    ],
    ids=["unresolved-items", "no-conditions", "valid-until-today"],
)
def test_decide_form_shows_why_a_decision_is_refused(
    reviewer_client, assessment, procurement_user, form_data, values, errors
):
    services.assessment_submit(assessment=assessment, by=procurement_user)
    url = reverse("diligence:assessment_decide", args=[assessment.pk])
    data = form_data(reviewer_client.get(url).context["form"])

    response = reviewer_client.post(url, {**data, "valid_until": NEXT_YEAR.isoformat(), **values})

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert not assessment.decisions.exists()


def test_reviewer_approves_with_conditions_and_the_assessment_becomes_read_only(
    reviewer_client, reviewer, assessment, item, procurement_user, form_data
):
    services.assessment_submit(assessment=assessment, by=procurement_user)
    detail = _page(reviewer_client.get(assessment.get_absolute_url()))
    url = reverse("diligence:assessment_decide", args=[assessment.pk])
    assert url in detail
    data = form_data(reviewer_client.get(url).context["form"])

    response = reviewer_client.post(
        url,
        {
            **data,
            "outcome": "approved_with_conditions",
            "conditions": "Model card by March",
            "valid_until": NEXT_YEAR.isoformat(),
        },
        follow=True,
    )

    decision = assessment.decisions.get()
    assert (decision.outcome, decision.decided_by) == ("approved_with_conditions", reviewer)
    page = _page(response)
    assert "Decision recorded." in page
    assert "Conditions: Model card by March" in page
    assert "decided and read-only" in page
    assert response.context["can_edit"] is False
    assert reverse("diligence:item_quick_status", args=[assessment.pk, item.pk]) not in page


def test_item_page_of_a_decided_assessment_refuses_changes(
    procurement_client, assessment, item, form_data
):
    url = item.get_absolute_url()
    data = form_data(procurement_client.get(url).context["item_form"])
    DecisionFactory(assessment=assessment)

    page = procurement_client.get(url)
    assert 'name="save_item"' not in _page(page)
    assert 'name="add_evidence"' not in _page(page)
    assert "This assessment is decided;" in _page(page)
    response = procurement_client.post(url, {**data, "status": "gap", "save_item": "1"})

    assert (
        '<div class="alert alert-danger" role="alert"><ul class="errorlist nonfield">'
        "<li>This assessment is decided and read-only. Reopen it to change it.</li>"
    ) in _page(response)
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN


def test_reopening_starts_a_new_revision_and_keeps_the_decision(
    procurement_client, assessment, reviewer
):
    decision = DecisionFactory(assessment=assessment, decided_by=reviewer)

    response = procurement_client.post(
        reverse("diligence:assessment_reopen", args=[assessment.pk]),
        {"reason": "A new model version"},
        follow=True,
    )

    assessment.refresh_from_db()
    assert (assessment.status, assessment.revision) == (AssessmentStatus.DRAFT, 2)
    assert list(response.context["decisions"]) == [decision]
    assert "Reopened as a new revision." in _page(response)


def test_moving_to_a_newer_version_lists_the_removed_items(
    procurement_client, assessment, reviewer
):
    draft = services.checklist_new_draft(source=assessment.checklist, by=reviewer)
    draft.items.filter(code="DOC-03").delete()
    v2 = services.checklist_publish(checklist=draft, by=reviewer)
    page = procurement_client.get(assessment.get_absolute_url())
    assert list(page.context["move_form"].fields["checklist"].queryset) == [v2]

    response = procurement_client.post(
        reverse("diligence:assessment_move", args=[assessment.pk]),
        {"checklist": v2.pk},
        follow=True,
    )

    assessment.refresh_from_db()
    assert assessment.checklist == v2
    assert "Items no longer in the checklist: DOC-03." in _page(response)


def test_moving_to_an_older_version_is_refused(procurement_client, gpai_model, reviewer):
    draft = services.checklist_new_draft(source=services.latest_published_checklist(), by=reviewer)
    services.checklist_publish(checklist=draft, by=reviewer)
    assessment = AssessmentFactory(model=gpai_model)
    client = Client()
    client.force_login(assessment.owner)

    response = client.post(
        reverse("diligence:assessment_move", args=[assessment.pk]),
        {"checklist": Checklist.objects.get(version=1).pk},
        follow=True,
    )

    assessment.refresh_from_db()
    assert assessment.checklist.version == 2
    assert "Choose a newer published checklist version." in _page(response)


# The assessment list: filters and pages


@pytest.fixture
def assessments(procurement_user):
    """Five assessments that differ in status, supplier, owner and due date."""
    other_owner = UserFactory(username="olga", role=PROCUREMENT)
    mistral = GPAIModelFactory(supplier=SupplierFactory(name="Mistral AI"))
    openai = GPAIModelFactory(supplier=SupplierFactory(name="OpenAI", country="US"))
    last_week = TODAY - datetime.timedelta(days=7)
    AssessmentFactory(reference="A-draft", model=mistral, owner=procurement_user)
    AssessmentFactory(
        reference="B-overdue", model=mistral, owner=procurement_user, due_date=last_week
    )
    AssessmentFactory(
        reference="C-review", model=openai, owner=other_owner, status=AssessmentStatus.IN_REVIEW
    )
    decided = AssessmentFactory(
        reference="D-decided-late", model=openai, owner=other_owner, due_date=last_week
    )
    DecisionFactory(assessment=decided)
    return {"mistral": mistral.supplier, "openai": openai.supplier, "olga": other_owner}


def _references(response):
    return [assessment.reference for assessment in response.context["object_list"]]


@pytest.mark.parametrize(
    ("query", "references"),
    [
        ({}, ["B-overdue", "D-decided-late", "A-draft", "C-review"]),
        ({"status": "draft"}, ["B-overdue", "A-draft"]),
        ({"status": "decided"}, ["D-decided-late"]),
        ({"status": "open"}, ["B-overdue", "A-draft", "C-review"]),
        ({"supplier": "openai"}, ["D-decided-late", "C-review"]),
        ({"owner": "olga"}, ["D-decided-late", "C-review"]),
        ({"overdue": "on"}, ["B-overdue"]),
        ({"q": "review"}, ["C-review"]),
        ({"supplier": "mistral", "status": "in_review"}, []),
    ],
    ids=lambda value: (
        "&".join(f"{k}={v}" for k, v in value.items()) or "all" if isinstance(value, dict) else None
    ),
)
def test_assessment_list_filters(viewer_client, assessments, query, references):
    query = {
        key: assessments[value].pk if key in ("supplier", "owner") else value
        for key, value in query.items()
    }

    response = viewer_client.get(reverse("diligence:assessment_list"), query)

    assert _references(response) == references


def test_assessment_list_marks_overdue_assessments(viewer_client, assessments):
    response = viewer_client.get(reverse("diligence:assessment_list"), {"q": "B-overdue"})
    assert "Overdue</span>" in _page(response)
    response = viewer_client.get(reverse("diligence:assessment_list"), {"q": "D-decided"})
    assert "Overdue</span>" not in _page(response)


def test_assessment_list_pages_keep_the_filters(viewer_client):
    AssessmentFactory.create_batch(27, status=AssessmentStatus.IN_REVIEW)
    AssessmentFactory()
    url = reverse("diligence:assessment_list")

    first = viewer_client.get(url, {"status": "in_review"})
    second = viewer_client.get(url, {"status": "in_review", "page": 2})

    assert len(first.context["object_list"]) == 25
    assert len(second.context["object_list"]) == 2
    assert 'href="?status=in_review&amp;page=2"' in _page(first)
    assert "27 due-diligence assessments" in _page(first)


def test_assessment_list_counts_progress(viewer_client, assessment, procurement_user):
    for code in ("DOC-02", "DOC-10"):
        item = assessment.items.get(checklist_item__code=code)
        services.assessment_item_update(
            item=item, data={"status": "accepted"}, expected_version=1, by=procurement_user
        )
    gap = assessment.items.get(checklist_item__code="CPY-01")
    services.assessment_item_update(
        item=gap, data={"status": "gap"}, expected_version=1, by=procurement_user
    )

    [listed] = viewer_client.get(reverse("diligence:assessment_list")).context["object_list"]

    applicable = assessment.items.filter(applicable=True).count()
    assert (listed.applicable_count, listed.accepted_count, listed.gap_count) == (applicable, 2, 1)


# Checklist curation in the admin


@pytest.fixture
def admin_client_for_checklists(checklist_admin_user):
    # Checklist admins are staff: they curate the checklist in the Django admin.
    checklist_admin_user.is_staff = True
    checklist_admin_user.save()
    client = Client()
    client.force_login(checklist_admin_user)
    return client


def test_checklist_admin_opens_the_checklist_changelist(admin_client_for_checklists):
    response = admin_client_for_checklists.get(reverse("admin:diligence_checklist_changelist"))

    assert response.status_code == 200
    assert [str(c) for c in response.context["cl"].result_list] == [
        "Default checklist v1 (published)"
    ]


def test_published_checklist_is_read_only_in_the_admin(admin_client_for_checklists, reviewer):
    published = services.latest_published_checklist()
    draft = services.checklist_new_draft(source=published, by=reviewer)

    published_page = admin_client_for_checklists.get(
        reverse("admin:diligence_checklist_change", args=[published.pk])
    )
    draft_page = admin_client_for_checklists.get(
        reverse("admin:diligence_checklist_change", args=[draft.pk])
    )

    assert published_page.status_code == 200
    assert 'name="_save"' not in _page(published_page)
    assert published_page.context["has_change_permission"] is False
    assert 'name="_save"' in _page(draft_page)


def test_saving_a_published_checklist_in_the_admin_is_refused(admin_client_for_checklists):
    published = services.latest_published_checklist()

    response = admin_client_for_checklists.post(
        reverse("admin:diligence_checklist_change", args=[published.pk]),
        {"name": "Renamed", "notes": ""},
    )

    assert response.status_code == 403
    published.refresh_from_db()
    assert published.name == "Default checklist"


def _run_admin_action(client, action, checklist, **confirmation):
    url = reverse("admin:diligence_checklist_changelist")
    choices = dict(client.get(url).context["action_form"].fields["action"].choices)
    assert action in choices
    data = {"action": action, "_selected_action": [checklist.pk], "index": 0, **confirmation}
    return client.post(url, data, follow=True)


def test_admin_actions_make_a_new_draft_and_publish_it(admin_client_for_checklists):
    v1 = services.latest_published_checklist()

    _run_admin_action(admin_client_for_checklists, "new_draft", v1)
    draft = Checklist.objects.get(version=2)
    assert (draft.status, draft.items.count()) == (ChecklistStatus.DRAFT, 56)
    asked = _run_admin_action(admin_client_for_checklists, "publish", draft)
    draft.refresh_from_db()
    assert draft.status == ChecklistStatus.DRAFT
    assert "Yes, publish" in _page(asked)
    response = _run_admin_action(admin_client_for_checklists, "publish", draft, post="yes")

    draft.refresh_from_db()
    assert draft.status == ChecklistStatus.PUBLISHED
    assert "Default checklist v2 (draft): published" in _page(response)


def test_admin_publish_action_refuses_a_published_version(admin_client_for_checklists):
    v1 = services.latest_published_checklist()

    response = _run_admin_action(admin_client_for_checklists, "publish", v1)

    assert "Only a draft can be published." in _page(response)
    assert not AuditEntry.objects.filter(action="checklist_published").exists()


def test_assessment_list_names_the_chosen_supplier_and_lists_no_supplier_options(
    viewer_client, assessments
):
    url = reverse("diligence:assessment_list")

    filtered = _page(viewer_client.get(url, {"supplier": assessments["openai"].pk}))
    unfiltered = _page(viewer_client.get(url))

    assert f'name="supplier" value="{assessments["openai"].pk}"' in filtered
    assert ">OpenAI</span>" in filtered
    assert 'name="supplier"' not in unfiltered
