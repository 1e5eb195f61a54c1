"""The boundaries of the supplier link: the token, the portal session, what a supplier can
post and upload. Time is moved by replacing `timezone.now`, as the sign-in tests do."""

import datetime
import logging

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_entries_for
from core.files import MEGABYTE
from core.models import AuditEntry
from diligence.models import AssessmentItem, ItemStatus
from portal import services
from portal.models import RequestItem, RequestStatus, SupplierFile, SupplierRequest
from tests.factories import MINIMAL_PDF, AssessmentFactory
from tests.portal.conftest import answers_url, open_items
from tests.security.test_uploads import REFUSED

pytestmark = pytest.mark.django_db

NEUTRAL = "This link cannot be used"


def _opened(link, client=None):
    client = client or Client()
    response = client.get(link)
    assert response.status_code == 302, response.status_code
    return client


def _neutral(response, status=404):
    assert response.status_code == status
    assert NEUTRAL in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"
    return response.content


def _token(link):
    return link.rstrip("/").rsplit("/", 1)[1]


def _link_for(token):
    return reverse("portal:link", args=[token])


# The token --------------------------------------------------------------------------------


def test_the_token_has_256_bits_and_only_its_hash_is_stored(assessment, send_request):
    request, link = send_request(assessment)
    token = _token(link)
    assert len(token) == 43  # 32 bytes, URL-safe base64
    request.refresh_from_db()
    assert request.token_hash != token and token not in request.token_hash
    stored = [str(value) for value in SupplierRequest.objects.values_list()]
    assert not any(token in value for value in stored)


def test_wrong_tampered_truncated_expired_revoked_and_used_tokens_answer_the_same_page(
    assessment, send_request, monkeypatch, procurement_user
):
    request, link = send_request(assessment)
    token = _token(link)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    pages = {
        "wrong": Client().get(_link_for("x" * 43)),
        "tampered": Client().get(_link_for(tampered)),
        "truncated": Client().get(_link_for(token[:20])),
        "padded": Client().get(_link_for(token + "A")),
    }
    revoked, revoked_link = send_request(assessment, email="other@supplier.example")
    services.supplier_request_revoke(request=revoked, by=procurement_user)
    pages["revoked"] = Client().get(revoked_link)
    used, used_link = send_request(assessment, email="third@supplier.example")
    services.supplier_request_submit(request=used)
    pages["used"] = Client().get(used_link)
    later = request.token_expires_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    pages["expired"] = Client().get(link)

    bodies = {case: _neutral(response) for case, response in pages.items()}
    assert len(set(bodies.values())) == 1, "the pages differ, so they tell which case it is"


def test_the_link_works_until_the_due_date_plus_the_grace_period(
    assessment, send_request, monkeypatch, settings
):
    settings.SUPPLIER_LINK_GRACE_DAYS = 3
    request, link = send_request(assessment)
    local_end = timezone.make_aware(
        datetime.datetime.combine(request.due_date + datetime.timedelta(days=3), datetime.time(23))
    )
    monkeypatch.setattr(timezone, "now", lambda: local_end)
    client = _opened(link)
    assert client.get(answers_url()).status_code == 200

    monkeypatch.setattr(timezone, "now", lambda: local_end + datetime.timedelta(hours=1))
    _neutral(Client().get(link))
    _neutral(client.get(answers_url()))  # an open session ends with the link


def test_revoking_ends_the_link_and_the_open_session(assessment, send_request, procurement_user):
    request, link = send_request(assessment)
    client = _opened(link)
    services.supplier_request_revoke(request=request, by=procurement_user)
    _neutral(client.get(answers_url()))
    _neutral(Client().get(link))


def test_a_new_link_kills_the_old_one_and_its_session(
    assessment, send_request, smtp_inbox, procurement_client, django_capture_on_commit_callbacks
):
    request, link = send_request(assessment)
    old_session = _opened(link)
    with django_capture_on_commit_callbacks(execute=True):
        procurement_client.post(reverse("portal:request_resend", args=[assessment.pk, request.pk]))
    new_link = smtp_inbox.last_link("answers@supplier.example")
    assert new_link != link
    _neutral(Client().get(link))
    _neutral(old_session.get(answers_url()))
    assert _opened(new_link).get(answers_url()).status_code == 200


def test_after_submitting_the_link_and_the_answers_are_closed(assessment, send_request):
    request, link = send_request(assessment)
    client = _opened(link)
    client.post(answers_url(), {"submit": "1"})
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert client.get(reverse("portal:submitted")).status_code == 200
    _neutral(client.get(answers_url()))
    row = request.items.first()
    _neutral(client.post(answers_url(), {f"item-{row.pk}-answer_text": "Changed afterwards"}))
    _neutral(Client().get(link))
    row.refresh_from_db()
    assert row.answer_text == ""


# Rate limits ------------------------------------------------------------------------------


def test_attempts_are_limited_per_token(assessment, send_request, settings):
    settings.LOGIN_THROTTLE_FAILURES = 3
    guess = "g" * 43
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        _neutral(Client(REMOTE_ADDR=address).get(_link_for(guess)))
    # A fourth try of the same token, from yet another address, is not even checked.
    _neutral(Client(REMOTE_ADDR="192.0.2.4").get(_link_for(guess)), status=429)


def test_attempts_are_limited_per_address_even_for_a_valid_link(assessment, send_request, settings):
    settings.LOGIN_THROTTLE_IP_FAILURES = 4
    _request, link = send_request(assessment)
    guesser = Client(REMOTE_ADDR="198.51.100.7")
    for number in range(4):
        _neutral(guesser.get(_link_for(f"{number}" * 43)))
    _neutral(guesser.get(link), status=429)
    # Another address opens the link.
    assert Client(REMOTE_ADDR="198.51.100.8").get(link).status_code == 302


def test_opening_a_valid_link_does_not_count_as_a_failure(assessment, send_request, settings):
    settings.LOGIN_THROTTLE_FAILURES = 2
    _request, link = send_request(assessment)
    for _ in range(4):
        assert Client().get(link).status_code == 302


# The token stays secret -------------------------------------------------------------------


def test_the_token_is_in_no_log_no_audit_entry_and_not_in_the_final_url(
    assessment, send_request, caplog
):
    caplog.set_level(logging.DEBUG)
    _request, link = send_request(assessment)
    token = _token(link)
    client = Client()
    response = client.get(link, follow=True)
    final_url = response.redirect_chain[-1][0]
    assert token not in final_url
    assert final_url == answers_url()
    assert token not in response.content.decode()
    # A refused link is logged by Django's request logger ("Not Found: <path>").
    refused = token[:-2] + "zz"
    Client().get(_link_for(refused))
    # The development server logs every request line.
    logging.getLogger("django.server").info('"GET %s HTTP/1.1" 302 0', link)
    # The test's mail server logs the messages it receives: that is the mailbox, not the app.
    records = [record for record in caplog.records if not record.name.startswith("mail.log")]
    text = " ".join(f"{record.getMessage()} {record.__dict__}" for record in records)
    assert "Not Found: /supplier/link/[redacted]/" in text
    assert "/supplier/link/[redacted]" in text
    assert token not in text and refused not in text
    assert not any(
        token in str(entry.data) or token in entry.summary for entry in AuditEntry.objects.all()
    )


# The portal session reaches only its request ----------------------------------------------


def test_the_portal_session_is_refused_on_internal_pages_admin_and_api(assessment, send_request):
    request, link = send_request(assessment)
    client = _opened(link)
    internal = [
        reverse("home"),
        assessment.get_absolute_url(),
        reverse("diligence:item_detail", args=[assessment.pk, request.items.first().item_id]),
        request.get_absolute_url(),
        reverse("portal:request_create", args=[assessment.pk]),
        reverse("vendors:supplier_list"),
    ]
    for url in internal:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    admin = client.get(reverse("admin:index"))
    assert admin.status_code == 302 and "login" in admin.url
    assert client.get("/api/v1/assessments/").status_code in (401, 403, 404)
    # The supplier's page still works: the session was not spent.
    assert client.get(answers_url()).status_code == 200


def test_opening_a_link_signs_out_a_colleague_signed_in_in_the_same_browser(
    assessment, send_request, procurement_client
):
    _request, link = send_request(assessment)
    _opened(link, procurement_client)
    response = procurement_client.get(assessment.get_absolute_url())
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_session_reaches_only_its_own_request(assessment, send_request, procurement_user):
    mine, my_link = send_request(assessment)
    other_assessment = AssessmentFactory(with_items=True)
    theirs, _their_link = send_request(other_assessment, email="rival@other.example")
    their_row = theirs.items.first()
    their_file = services.supplier_file_add(
        request=theirs,
        request_item=their_row,
        uploaded_file=SimpleUploadedFile("theirs.pdf", MINIMAL_PDF),
    )
    client = _opened(my_link)
    page = client.get(answers_url()).content.decode()
    assert other_assessment.reference not in page
    assert their_row.item.checklist_item.title not in page or their_row.item.checklist_item in [
        row.item.checklist_item for row in mine.items.all()
    ]
    _neutral(client.post(reverse("portal:file_remove", args=[their_file.pk])), status=404)
    assert SupplierFile.objects.filter(pk=their_file.pk).exists()
    # An answer posted for a row of the other request is not read.
    client.post(answers_url(), {f"item-{their_row.pk}-answer_text": "Injected", "save": "1"})
    their_row.refresh_from_db()
    assert their_row.answer_text == ""
    # Their supplier file, through the buyer's download URL, needs a sign-in.
    download = reverse(
        "portal:supplier_file_download", args=[other_assessment.pk, theirs.pk, their_file.pk]
    )
    assert client.get(download).url.startswith(reverse("login"))


def test_the_supplier_cannot_post_a_status_owner_decision_or_review(
    assessment, send_request, outsider_user
):
    request, link = send_request(assessment)
    client = _opened(link)
    row = request.items.first()
    forged = {
        f"item-{row.pk}-answer_text": "Our answer",
        f"item-{row.pk}-status": "accepted",
        f"item-{row.pk}-review": "accepted",
        f"item-{row.pk}-item": "1",
        "status": "closed",
        "owner": str(outsider_user.pk),
        "decision": "approved",
        "recipient_email": "attacker@example.com",
        "due_date": "2099-01-01",
        "review": "accepted",
        "save": "1",
    }
    assert client.post(answers_url(), forged).status_code == 302
    row.refresh_from_db()
    request.refresh_from_db()
    assessment.refresh_from_db()
    assert row.answer_text == "Our answer"
    assert row.review == "pending"
    assert row.item.status == ItemStatus.OPEN
    assert request.status == RequestStatus.SENT
    assert request.recipient_email == "answers@supplier.example"
    assert request.due_date == assessment.due_date
    assert assessment.owner != outsider_user and assessment.decision is None


def test_every_supplier_form_needs_the_csrf_token(assessment, send_request):
    request, link = send_request(assessment, asks_mdf=True, asks_training_summary=True)
    client = _opened(link, Client(enforce_csrf_checks=True))
    file = services.supplier_file_add(
        request=request,
        request_item=request.items.first(),
        uploaded_file=SimpleUploadedFile("a.pdf", MINIMAL_PDF),
    )
    for url in (
        answers_url(),
        reverse("portal:mdf"),
        reverse("portal:summary"),
        reverse("portal:file_remove", args=[file.pk]),
    ):
        assert client.post(url, {"save": "1"}).status_code == 403, url
    assert client.get(answers_url()).status_code == 200
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(answers_url(), {"save": "1", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_addresses_with_a_secret_send_no_referrer_and_no_page_is_cached(assessment, send_request):
    _request, link = send_request(assessment, asks_mdf=True, asks_training_summary=True)
    client = Client()
    opened = client.get(link)
    assert opened["Referrer-Policy"] == "no-referrer"
    refused = Client().get(_link_for("r" * 43))
    assert refused["Referrer-Policy"] == "no-referrer"
    assert 'name="referrer" content="no-referrer"' in refused.content.decode()
    # The pages after the link hold no secret in their address; "same-origin" keeps even
    # those from other sites, and lets the browser post their forms with an Origin.
    for url in (answers_url(), reverse("portal:mdf"), reverse("portal:summary")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Referrer-Policy"] == "same-origin"
        assert "no-store" in response["Cache-Control"]


def test_pages_not_asked_for_answer_the_neutral_page(assessment, send_request):
    _request, link = send_request(assessment)
    client = _opened(link)
    _neutral(client.get(reverse("portal:mdf")))
    _neutral(client.get(reverse("portal:summary")))


def test_the_supplier_page_shows_nothing_internal(assessment, send_request, procurement_user):
    item = open_items(assessment, 1)[0]
    AssessmentItem.objects.filter(pk=item.pk).update(
        notes="Internal: supplier seems evasive", status=ItemStatus.REQUESTED
    )
    _request, link = send_request(assessment, items=[item])
    page = _opened(link).get(answers_url()).content.decode()
    for internal in (
        "supplier seems evasive",
        assessment.purpose,
        assessment.reference,
        procurement_user.username,
        "Requested",
        'class="navbar',
    ):
        assert internal not in page, internal


# Uploads ----------------------------------------------------------------------------------


def test_each_hostile_file_is_refused_with_the_evidence_message_and_nothing_is_stored(
    assessment, send_request, settings
):
    settings.EVIDENCE_MAX_BYTES = MEGABYTE
    request, link = send_request(assessment)
    client = _opened(link)
    row = request.items.first()
    problems = []
    for case, (name, content, message) in REFUSED.items():
        upload = SimpleUploadedFile(name, content, "application/pdf")
        response = client.post(answers_url(), {f"file-{row.pk}-file": upload, "save": "1"})
        page = response.content.decode().replace("&#x27;", "'")
        if response.status_code != 200 or message not in page:
            problems.append((case, response.status_code))
        if SupplierFile.objects.exists() or list(settings.MEDIA_ROOT.rglob("*.*")):
            problems.append((case, "something was stored"))
    assert problems == []


def test_an_accepted_upload_is_stored_as_evidence_files_are(assessment, send_request):
    request, link = send_request(assessment)
    client = _opened(link)
    row = request.items.first()
    upload = SimpleUploadedFile("../../etc/card.pdf", MINIMAL_PDF, "text/html")
    client.post(answers_url(), {f"file-{row.pk}-file": upload, "save": "1"})
    stored = SupplierFile.objects.get()
    assert stored.original_name == "card.pdf"
    assert stored.content_type == "application/pdf"
    assert stored.storage_name.startswith("evidence/") and "card" not in stored.storage_name
    assert (settings.MEDIA_ROOT / stored.storage_name).read_bytes() == MINIMAL_PDF


def test_uploads_stop_at_the_request_quota(assessment, send_request, settings):
    settings.SUPPLIER_LINK_QUOTA_BYTES = len(MINIMAL_PDF) * 2
    request, link = send_request(assessment)
    client = _opened(link)
    row = request.items.first()
    for number in range(3):
        upload = SimpleUploadedFile(f"part-{number}.pdf", MINIMAL_PDF, "application/pdf")
        response = client.post(
            answers_url(), {f"file-{row.pk}-file": upload, "save": "1"}, follow=True
        )
    assert "would pass the" in response.content.decode()
    assert SupplierFile.objects.count() == 2
    assert len(list(settings.MEDIA_ROOT.rglob("*.pdf"))) == 2


def test_removing_a_file_deletes_it_while_the_request_is_open(
    assessment, send_request, django_capture_on_commit_callbacks
):
    request, link = send_request(assessment)
    client = _opened(link)
    row = request.items.first()
    upload = SimpleUploadedFile("card.pdf", MINIMAL_PDF, "application/pdf")
    client.post(answers_url(), {f"file-{row.pk}-file": upload, "save": "1"})
    stored = SupplierFile.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:file_remove", args=[stored.pk]))
    assert not SupplierFile.objects.exists()
    assert not (settings.MEDIA_ROOT / stored.storage_name).exists()


# Audit -------------------------------------------------------------------------------------


def test_the_supplier_s_actions_are_audited_under_their_email(assessment, send_request):
    request, link = send_request(assessment)
    client = _opened(link)
    row = request.items.first()
    client.post(answers_url(), {f"item-{row.pk}-answer_text": "Done", "submit": "1"})
    entries = {e.action: e for e in audit_entries_for(assessment)}
    for action in ("supplier_answers_saved", "supplier_request_submitted"):
        assert entries[action].actor is None
        assert entries[action].who == "supplier (via link, answers@supplier.example)"
    assert entries["supplier_request_sent"].who == assessment.owner
    page = Client()
    page.force_login(assessment.owner)
    assert (
        "supplier (via link, answers@supplier.example)"
        in page.get(assessment.get_absolute_url()).content.decode()
    )


def test_a_row_of_another_request_cannot_be_reviewed_through_this_one(
    assessment, send_request, procurement_client
):
    first, _ = send_request(assessment)
    second, _ = send_request(assessment, email="b@supplier.example")
    services.supplier_request_submit(request=second)
    row = second.items.first()
    response = procurement_client.post(
        reverse("portal:answer_accept", args=[assessment.pk, first.pk, row.pk])
    )
    assert response.status_code == 404
    assert RequestItem.objects.get(pk=row.pk).review == "pending"


def test_gunicorn_s_access_log_redacts_the_token():
    import types

    from gunicorn.config import Config

    from portal.gunicorn import Logger

    token = "T" * 43
    request = types.SimpleNamespace(
        method="GET", uri=f"/supplier/link/{token}/", path=f"/supplier/link/{token}/",
        query="", version=(1, 1), headers=[],
    )  # fmt: skip
    response = types.SimpleNamespace(status="302 Found", sent=0, headers=[], response_length=0)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": request.uri,
        "PATH_INFO": request.path,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    atoms = Logger(Config()).atoms(response, request, environ, datetime.timedelta(seconds=1))
    assert token not in str(atoms)
    assert atoms["r"] == "GET /supplier/link/[redacted]/ HTTP/1.1"
