"""Supplier requests in the admin: superusers read them, no one changes them there, no other
role sees them, and the link's token hash is on no page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.roles import ADMINISTRATOR, CHECKLIST_ADMIN, LEGAL, PROCUREMENT, VIEWER
from portal import services
from portal.models import SupplierReminder
from tests.factories import MINIMAL_PDF, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(assessment, send_request):
    """A submitted request with an answer, a file and a reminder, and its link's token."""
    request, link = send_request(assessment)
    row = request.items.order_by("pk").first()
    services.supplier_answers_save(
        request=request, answers={row.pk: {"answer_text": "See our model card."}}
    )
    supplier_file = services.supplier_file_add(
        request=request,
        request_item=row,
        uploaded_file=SimpleUploadedFile("usage-policy.pdf", MINIMAL_PDF),
    )
    SupplierReminder.objects.create(request=request, threshold="7d")
    services.supplier_request_submit(request=request)
    request.refresh_from_db()
    return request, link.rstrip("/").rsplit("/", 1)[1], supplier_file


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _pages(request, supplier_file):
    return [
        reverse("admin:portal_supplierrequest_changelist"),
        reverse("admin:portal_supplierrequest_change", args=[request.pk]),
        reverse("admin:portal_supplierfile_changelist"),
        reverse("admin:portal_supplierfile_change", args=[supplier_file.pk]),
    ]


def test_a_superuser_reads_the_requests_and_files_without_the_token_or_its_hash(
    superuser_client, answered
):
    request, token, supplier_file = answered
    assert request.token_hash and token

    index = superuser_client.get(reverse("admin:index"))
    assert "portal" in [app["app_label"] for app in index.context["app_list"]]
    pages = [superuser_client.get(url) for url in _pages(request, supplier_file)]

    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    detail = pages[1].content.decode()
    assert request.recipient_email in detail
    assert "See our model card." in detail
    assert "7d" in detail  # the reminder
    assert supplier_file.sha256 in pages[3].content.decode()
    for page in pages:
        content = page.content.decode()
        assert request.token_hash not in content
        assert token not in content
        assert "token hash" not in content.lower()


def test_the_changelist_cannot_be_searched_by_the_token_hash(superuser_client, answered):
    request, _token, _file = answered
    changelist = reverse("admin:portal_supplierrequest_changelist")

    by_email = superuser_client.get(changelist, {"q": request.recipient_email})
    by_hash = superuser_client.get(changelist, {"q": request.token_hash})

    assert by_email.context["cl"].result_count == 1
    assert by_hash.context["cl"].result_count == 0


def test_no_one_changes_adds_or_deletes_a_request_in_the_admin(superuser_client, answered):
    request, _token, supplier_file = answered
    before = (request.status, request.recipient_email)

    change = reverse("admin:portal_supplierrequest_change", args=[request.pk])
    response = superuser_client.post(change, {"recipient_email": "other@example.org"})
    assert response.status_code == 403
    assert superuser_client.get(reverse("admin:portal_supplierrequest_add")).status_code == 403
    for name, pk in [("supplierrequest", request.pk), ("supplierfile", supplier_file.pk)]:
        url = reverse(f"admin:portal_{name}_delete", args=[pk])
        assert superuser_client.post(url, {"post": "yes"}).status_code == 403

    request.refresh_from_db()
    assert (request.status, request.recipient_email) == before
    assert request.items.count() == 2 and request.items.first().files.exists()


@pytest.mark.parametrize("role", [PROCUREMENT, LEGAL, CHECKLIST_ADMIN, VIEWER, ADMINISTRATOR])
def test_other_staff_do_not_see_supplier_requests_in_the_admin(client, answered, role):
    request, _token, supplier_file = answered
    client.force_login(UserFactory(is_staff=True, role=role))

    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert "portal" not in [app["app_label"] for app in index.context["app_list"]]
    for url in _pages(request, supplier_file):
        assert client.get(url).status_code == 403, url
