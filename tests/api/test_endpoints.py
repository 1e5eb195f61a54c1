"""Every endpoint of the API for every role, the writes through the app's rules, and the
optimistic locking (ETag / If-Match) of the changes."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEntry
from diligence.models import AssessmentItem, Evidence
from tests.factories import UserFactory
from tests.security.conftest import NEWER_REGISTER_CSV, SIGNATORY_LIST, build_world
from vendors.models import GPAIModel, RegisterSnapshot, Signature, Supplier

pytestmark = pytest.mark.django_db

ROLES = ("procurement", "legal", "checklist_admin", "viewer", "outsider")


@pytest.fixture
def world(
    settings,
    tmp_path,
    procurement_user,
    legal_user,
    checklist_admin_user,
    viewer_user,
    outsider_user,
):
    settings.MEDIA_ROOT = tmp_path
    return build_world(
        {
            "procurement": procurement_user,
            "legal": legal_user,
            "checklist_admin": checklist_admin_user,
            "viewer": viewer_user,
            "outsider": outsider_user,
            "reviewer": UserFactory(username="reviewer", role="Procurement"),
        }
    )


def _reads(w):
    a, item = w.assessment.pk, w.item.pk
    return {
        "api:supplier_list": {},
        "api:supplier_detail": {"pk": w.supplier.pk},
        "api:signature_list": {"pk": w.supplier.pk},
        "api:signature_detail": {"pk": w.supplier.pk, "chapter": "copyright"},
        "api:model_list": {},
        "api:model_detail": {"pk": w.model.pk},
        "api:assessment_list": {},
        "api:assessment_detail": {"pk": a},
        "api:decision_list": {"pk": w.other_assessment.pk},
        "api:item_list": {"pk": a},
        "api:item_detail": {"pk": a, "item_pk": item},
        "api:evidence_list": {"pk": a, "item_pk": item},
        "api:document_list": {"pk": a},
        "api:document_detail": {"pk": a, "document_pk": w.document.pk},
        "api:snapshot_list": {},
        "api:snapshot_detail": {"pk": w.snapshot.pk},
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_every_record_and_an_outsider_learns_nothing(api, world, role):
    for name, kwargs in _reads(world).items():
        response = api[role].get(reverse(name, kwargs=kwargs))

        expected = 404 if role == "outsider" else 200
        assert response.status_code == expected, (name, response.content)
        if role == "outsider":
            assert response.json()["code"] == "not_found"


def test_unknown_records_are_404_with_the_error_body(api, world):
    response = api["viewer"].get(reverse("api:supplier_detail", kwargs={"pk": 987654}))

    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "detail": "No Supplier matches the given query.",
        "errors": {},
    }


def test_item_of_another_assessment_is_404(api, world):
    url = reverse(
        "api:item_detail",
        kwargs={"pk": world.assessment.pk, "item_pk": world.other_item_of_other.pk},
    )

    assert api["viewer"].get(url).status_code == 404


def test_supplier_detail_shows_signatures_and_an_etag(api, world):
    response = api["viewer"].get(reverse("api:supplier_detail", kwargs={"pk": world.supplier.pk}))

    body = response.json()
    assert body["name"] == "Mistral AI" and body["country"] == "FR"
    assert {s["chapter"]: s["status"] for s in body["signatures"]}["transparency"] == "signed"
    assert response["ETag"].startswith('"')


def test_supplier_list_filters_as_the_list_page(api, world):
    url = reverse("api:supplier_list")

    signed = api["viewer"].get(url, {"transparency": "signed"}).json()
    unsigned = api["viewer"].get(url, {"transparency": "declined"}).json()
    searched = api["viewer"].get(url, {"q": "mistral"}).json()

    assert [s["name"] for s in signed["results"]] == ["Mistral AI"]
    assert unsigned["count"] == 0
    assert searched["count"] == 1


def test_assessment_list_filters_and_pages(api, world):
    url = reverse("api:assessment_list")

    body = api["viewer"].get(url, {"status": "decided"}).json()
    one_per_page = api["viewer"].get(url, {"page_size": 1}).json()

    assert [a["reference"] for a in body["results"]] == ["TENDER-2025-099"]
    assert body["results"][0]["decision"]["outcome"] == "approved"
    assert one_per_page["count"] == 2 and len(one_per_page["results"]) == 1
    assert one_per_page["next"]


# Writes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [("procurement", 201), ("legal", 403), ("viewer", 403), ("outsider", 404)],
)
def test_creating_a_supplier_needs_the_procurement_role(api, world, role, expected):
    response = api[role].post(
        reverse("api:supplier_list"),
        {"name": "Cohere", "country": "CA", "website": "https://cohere.com"},
        format="json",
    )

    assert response.status_code == expected
    assert Supplier.objects.filter(name="Cohere").exists() == (expected == 201)


def test_created_supplier_gets_a_signature_row_per_chapter_and_history(api, world):
    response = api["procurement"].post(
        reverse("api:supplier_list"), {"name": "Cohere", "country": "CA"}, format="json"
    )

    supplier = Supplier.objects.get(pk=response.json()["id"])
    assert supplier.created_by == world.users["procurement"]
    assert Signature.objects.filter(supplier=supplier).count() == 3
    assert supplier.history.count() == 1
    assert response["ETag"]


def test_creating_a_supplier_with_bad_input_names_each_field(api, world):
    response = api["procurement"].post(
        reverse("api:supplier_list"), {"name": "mistral ai", "country": "XX"}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == {"name", "country"}
    assert "already exists" in body["errors"]["name"][0]


def _etag(client, url):
    return client.get(url)["ETag"]


def test_changing_a_supplier_needs_if_match(api, world):
    url = reverse("api:supplier_detail", kwargs={"pk": world.supplier.pk})
    client = api["procurement"]

    missing = client.patch(url, {"notes": "Met them."}, format="json")
    stale = client.patch(url, {"notes": "Met them."}, format="json", HTTP_IF_MATCH='"old"')
    before = _etag(client, url)
    changed = client.patch(url, {"notes": "Met them."}, format="json", HTTP_IF_MATCH=before)

    assert missing.status_code == 428 and missing.json()["code"] == "precondition_required"
    assert stale.status_code == 412 and stale.json()["code"] == "precondition_failed"
    assert changed.status_code == 200, changed.content
    world.supplier.refresh_from_db()
    assert world.supplier.notes == "Met them."
    assert world.supplier.legal_name == "Mistral AI SAS"  # fields not sent are kept
    assert world.supplier.updated_by == world.users["procurement"]
    assert changed["ETag"] == _etag(client, url) != before


def test_an_etag_read_before_someone_elses_change_is_refused(api, world):
    url = reverse("api:supplier_detail", kwargs={"pk": world.supplier.pk})
    old = _etag(api["procurement"], url)
    first = api["procurement"].patch(url, {"notes": "First."}, format="json", HTTP_IF_MATCH=old)

    second = api["procurement"].patch(url, {"notes": "Second."}, format="json", HTTP_IF_MATCH=old)

    assert first.status_code == 200 and second.status_code == 412
    world.supplier.refresh_from_db()
    assert world.supplier.notes == "First."


def test_viewer_may_not_change_a_supplier(api, world):
    url = reverse("api:supplier_detail", kwargs={"pk": world.supplier.pk})

    response = api["viewer"].patch(url, {"notes": "x"}, format="json", HTTP_IF_MATCH="*")

    assert response.status_code == 403


def test_signature_change_goes_through_the_service(api, world):
    url = reverse("api:signature_detail", kwargs={"pk": world.supplier.pk, "chapter": "copyright"})
    client = api["procurement"]
    today = datetime.date.today().isoformat()

    response = client.patch(
        url,
        {
            "status": "signed",
            "signed_on": "2025-08-01",
            "source_url": SIGNATORY_LIST,
            "verified_on": today,
        },
        format="json",
        HTTP_IF_MATCH=_etag(client, url),
    )

    assert response.status_code == 200, response.content
    signature = Signature.objects.get(supplier=world.supplier, chapter="copyright")
    assert signature.status == "signed"
    assert signature.verified_by == world.users["procurement"]  # the service's rule


def test_signature_change_is_checked_by_the_form(api, world):
    url = reverse("api:signature_detail", kwargs={"pk": world.supplier.pk, "chapter": "copyright"})
    client = api["procurement"]

    response = client.patch(
        url,
        {"status": "declined", "signed_on": "2025-08-01"},
        format="json",
        HTTP_IF_MATCH=_etag(client, url),
    )

    assert response.status_code == 400
    assert "signed_on" in response.json()["errors"]


def test_unknown_chapter_is_404(api, world):
    url = reverse("api:signature_detail", kwargs={"pk": world.supplier.pk, "chapter": "ethics"})

    assert api["viewer"].get(url).status_code == 404


def test_model_create_and_change(api, world):
    client = api["procurement"]
    created = client.post(
        reverse("api:model_list"),
        {
            "supplier": world.supplier.pk,
            "name": "Codestral",
            "version": "2",
            "modalities": ["code"],
            "systemic_risk_status": "unknown",
            "training_compute_flop": "3.8e25",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    url = reverse("api:model_detail", kwargs={"pk": created.json()["id"]})

    changed = client.patch(url, {"licence": "MNPL"}, format="json", HTTP_IF_MATCH=created["ETag"])

    assert changed.status_code == 200, changed.content
    model = GPAIModel.objects.get(pk=created.json()["id"])
    assert model.licence == "MNPL" and model.modalities == ["code"]
    assert model.training_compute_flop == 38 * 10**24
    assert changed.json()["training_compute_flop"] == str(38 * 10**24)


def test_model_for_an_unknown_supplier_is_refused(api, world):
    response = api["procurement"].post(
        reverse("api:model_list"),
        {"supplier": 987654, "name": "X", "systemic_risk_status": "unknown"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["supplier"]


def test_item_status_change_uses_the_version_as_etag(api, world):
    url = reverse("api:item_detail", kwargs={"pk": world.assessment.pk, "item_pk": world.item.pk})
    client = api["procurement"]
    etag = _etag(client, url)

    response = client.patch(url, {"status": "accepted"}, format="json", HTTP_IF_MATCH=etag)
    again = client.patch(url, {"status": "gap"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    assert response.json()["reviewer"] == "procurement"  # the service names the reviewer
    assert again.status_code == 412
    item = AssessmentItem.objects.get(pk=world.item.pk)
    assert item.status == "accepted" and item.updated_by == world.users["procurement"]
    assert item.history.count() >= 2


def test_item_marked_not_applicable_needs_a_justification(api, world):
    url = reverse("api:item_detail", kwargs={"pk": world.assessment.pk, "item_pk": world.item.pk})
    client = api["procurement"]

    response = client.patch(
        url, {"status": "not_applicable"}, format="json", HTTP_IF_MATCH=_etag(client, url)
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"justification": ["Say why this item does not apply."]}


def test_item_of_a_decided_assessment_is_read_only(api, world):
    item = world.other_item_of_other
    url = reverse("api:item_detail", kwargs={"pk": world.other_assessment.pk, "item_pk": item.pk})
    client = api["procurement"]

    response = client.patch(url, {"status": "gap"}, format="json", HTTP_IF_MATCH=_etag(client, url))

    assert response.status_code == 400
    assert "read-only" in response.json()["detail"]


@pytest.mark.parametrize(("role", "expected"), [("legal", 403), ("viewer", 403), ("outsider", 404)])
def test_item_change_needs_the_procurement_role(api, world, role, expected):
    url = reverse("api:item_detail", kwargs={"pk": world.assessment.pk, "item_pk": world.item.pk})

    response = api[role].patch(url, {"status": "gap"}, format="json", HTTP_IF_MATCH="*")

    assert response.status_code == expected


def test_evidence_link_is_added_once_per_request_token(api, world):
    url = reverse("api:evidence_list", kwargs={"pk": world.assessment.pk, "item_pk": world.item.pk})
    body = {
        "url": "https://mistral.ai/news/model-card",
        "description": "Model card, web edition",
        "request_token": "6f1d0c8e-2b1f-4d55-9f0e-1f6f6b9a4a11",
    }

    first = api["procurement"].post(url, body, format="json")
    retry = api["procurement"].post(url, body, format="json")

    assert first.status_code == 201, first.content
    assert retry.json()["id"] == first.json()["id"]
    assert Evidence.objects.filter(description="Model card, web edition").count() == 1
    assert AuditEntry.objects.filter(action="evidence_added").count() == 3  # 2 in the world


def test_evidence_needs_a_link(api, world):
    url = reverse("api:evidence_list", kwargs={"pk": world.assessment.pk, "item_pk": world.item.pk})

    response = api["procurement"].post(url, {"description": "No link"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["Give either a file or a link."]}


def test_viewer_may_not_add_evidence(api, world):
    url = reverse("api:evidence_list", kwargs={"pk": world.assessment.pk, "item_pk": world.item.pk})

    response = api["viewer"].post(url, {"url": "https://x.org", "description": "x"}, format="json")

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("procurement", 200),
        ("legal", 200),
        ("checklist_admin", 403),
        ("viewer", 403),
        ("outsider", 404),
    ],
)
def test_document_download_follows_the_pages_roles(api, world, role, expected):
    url = reverse(
        "api:document_download",
        kwargs={"pk": world.assessment.pk, "document_pk": world.document.pk},
    )

    response = api[role].get(url)

    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content).startswith(b"PK")
        assert "attachment" in response["Content-Disposition"]
        assert AuditEntry.objects.filter(action="document_downloaded").count() == 1


def test_document_of_another_assessment_is_404(api, world):
    url = reverse(
        "api:document_download",
        kwargs={"pk": world.assessment.pk, "document_pk": world.other_document.pk},
    )

    assert api["legal"].get(url).status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [("checklist_admin", 201), ("procurement", 403), ("viewer", 403), ("outsider", 404)],
)
def test_register_import_needs_the_checklist_admin_role(api, world, role, expected):
    before = RegisterSnapshot.objects.count()
    response = api[role].post(
        reverse("api:snapshot_list"),
        {
            "file": SimpleUploadedFile("register.csv", NEWER_REGISTER_CSV, "text/csv"),
            "taken_on": datetime.date.today().isoformat(),
            "source_url": SIGNATORY_LIST,
        },
        format="multipart",
    )

    assert response.status_code == expected, response.content
    assert RegisterSnapshot.objects.count() == before + (expected == 201)
    if expected == 201:
        assert response.json()["entries"][0]["provider"] == "Mistral AI"


def test_register_import_refuses_a_bad_file_with_every_problem(api, world):
    response = api["checklist_admin"].post(
        reverse("api:snapshot_list"),
        {
            "file": SimpleUploadedFile("register.csv", b"provider,chapters\nX,poetry\n"),
            "taken_on": "2025-12-31",
            "source_url": SIGNATORY_LIST,
        },
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["file"]
