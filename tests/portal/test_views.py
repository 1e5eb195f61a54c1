"""The buyer's pages of the supplier link, the dashboard and follow-ups, the reminders to the
supplier, and the number of queries each new page reads."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core import reminders
from core.models import AuditEntry
from diligence.models import ItemStatus
from portal import services
from portal.followups import supplier_request_follow_ups
from portal.models import RequestStatus, SupplierRequest
from portal.reminders import supplier_reminders_send
from tests.factories import MINIMAL_PDF, ChecklistItemFactory
from tests.portal.conftest import answers_url, open_items

pytestmark = pytest.mark.django_db


def test_the_request_form_ticks_the_open_required_items(assessment, procurement_client):
    first, second = [item for item in open_items(assessment, 20) if item.checklist_item.required][
        :2
    ]
    second.status = ItemStatus.ACCEPTED
    second.save()
    response = procurement_client.get(reverse("portal:request_create", args=[assessment.pk]))
    initial = response.context["form"].initial["items"]
    assert first.pk in initial and second.pk not in initial


def test_sending_a_request_emails_the_link_and_shows_the_request(
    assessment, procurement_client, smtp_inbox, form_data, django_capture_on_commit_callbacks
):
    url = reverse("portal:request_create", args=[assessment.pk])
    data = form_data(procurement_client.get(url).context["form"])
    data.update(recipient_name="Sam Supplier", recipient_email="sam@supplier.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = procurement_client.post(url, data)
    request = SupplierRequest.objects.get()
    assert response["Location"] == request.get_absolute_url()
    assert request.items.count() == len(data["items"])
    (message,) = smtp_inbox.messages
    assert message["To"] == "sam@supplier.example"
    body = message.get_body(("plain",)).get_content()
    assert "http://testserver/supplier/link/" in body
    assert reverse("portal:reminders_stop", args=["x"]).rsplit("/", 2)[0] in body
    detail = procurement_client.get(request.get_absolute_url()).content.decode()
    assert "Awaiting the supplier" in detail


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"recipient_email": "not an address"}, "Enter a valid email address."),
        ({"due_date": "2000-01-01"}, "The due date has passed"),
        ({"items": [], "asks_mdf": ""}, "Choose at least one item"),
    ],
)
def test_a_request_with_bad_input_is_refused_with_a_message(
    assessment, procurement_client, form_data, change, message
):
    url = reverse("portal:request_create", args=[assessment.pk])
    data = form_data(procurement_client.get(url).context["form"])
    data.update({"recipient_name": "Sam", "recipient_email": "sam@supplier.example", **change})
    response = procurement_client.post(url, {k: v for k, v in data.items() if v != ""})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SupplierRequest.objects.exists()


def test_yes_no_items_must_be_among_the_items(assessment, procurement_client, form_data):
    first, second = open_items(assessment)
    url = reverse("portal:request_create", args=[assessment.pk])
    data = {
        "recipient_name": "Sam",
        "recipient_email": "sam@supplier.example",
        "due_date": assessment.due_date.isoformat(),
        "items": [first.pk],
        "yes_no_items": [second.pk],
    }
    response = procurement_client.post(url, data)
    assert "Tick these among the items to answer too." in response.content.decode()


def test_a_yes_no_item_offers_yes_and_no_to_the_supplier(assessment, send_request):
    request, link = send_request(assessment)
    client = Client()
    client.get(link)
    page = client.get(answers_url()).content.decode()
    yes_no_row = request.items.get(asks_yes_no=True)
    other_row = request.items.get(asks_yes_no=False)
    assert f'name="item-{yes_no_row.pk}-answer_yes_no"' in page
    assert f'name="item-{other_row.pk}-answer_yes_no"' not in page


def test_links_must_be_web_addresses(assessment, send_request):
    request, link = send_request(assessment)
    client = Client()
    client.get(link)
    row = request.items.first()
    response = client.post(
        answers_url(), {f"item-{row.pk}-answer_links": "javascript:alert(1)", "save": "1"}
    )
    assert response.status_code == 200
    assert "is not a web address" in response.content.decode()
    row.refresh_from_db()
    assert row.answer_links == ""


def test_revoking_and_resending_are_audited_and_refused_once_closed(
    assessment, send_request, procurement_client
):
    request, _link = send_request(assessment)
    procurement_client.post(reverse("portal:request_revoke", args=[assessment.pk, request.pk]))
    request.refresh_from_db()
    assert request.status == RequestStatus.REVOKED
    response = procurement_client.post(
        reverse("portal:request_resend", args=[assessment.pk, request.pk]), follow=True
    )
    assert "Only a request awaiting the supplier can be sent again." in response.content.decode()


def test_asking_again_needs_a_comment(assessment, send_request, procurement_client):
    request, _link = send_request(assessment)
    services.supplier_request_submit(request=request)
    row = request.items.first()
    response = procurement_client.post(
        reverse("portal:answer_ask_again", args=[assessment.pk, request.pk, row.pk]),
        {"comment": ""},
        follow=True,
    )
    assert "Say what is missing" in response.content.decode()
    row.refresh_from_db()
    assert row.review == "pending"


def test_a_viewer_reads_the_answers_but_cannot_accept(assessment, send_request, viewer_client):
    request, _link = send_request(assessment)
    services.supplier_request_submit(request=request)
    page = viewer_client.get(request.get_absolute_url())
    assert page.status_code == 200
    assert "Accept" not in page.content.decode()
    row = request.items.first()
    response = viewer_client.post(
        reverse("portal:answer_accept", args=[assessment.pk, request.pk, row.pk])
    )
    assert response.status_code == 403


def test_the_owner_downloads_the_supplier_s_file(assessment, send_request, procurement_client):
    request, _link = send_request(assessment)
    row = request.items.first()
    stored = services.supplier_file_add(
        request=request,
        request_item=row,
        uploaded_file=SimpleUploadedFile("card.pdf", MINIMAL_PDF),
    )
    response = procurement_client.get(
        reverse("portal:supplier_file_download", args=[assessment.pk, request.pk, stored.pk])
    )
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Disposition"].startswith('attachment; filename="card.pdf"')
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    entry = AuditEntry.objects.get(action="evidence_downloaded")
    assert (entry.actor, entry.target, entry.data) == (
        assessment.owner,
        assessment,
        {"supplier_file": stored.pk},
    )


# Follow-ups and the dashboard ----------------------------------------------------------


def test_follow_ups_show_requests_awaiting_the_supplier_and_overdue_ones(
    assessment, send_request, procurement_user
):
    waiting, _ = send_request(assessment)
    late, _ = send_request(assessment, email="late@supplier.example")
    SupplierRequest.objects.filter(pk=late.pk).update(
        due_date=datetime.date.today() - datetime.timedelta(days=2)
    )
    found = {f.subject.split(":")[1]: f for f in supplier_request_follow_ups(datetime.date.today())}
    assert not found[str(waiting.pk)].overdue
    assert found[str(late.pk)].overdue and found[str(late.pk)].threshold == "overdue"
    mine = reminders.follow_ups(datetime.date.today(), user=procurement_user)
    assert sum(1 for f in mine if f.kind == "supplier_request") == 2
    assert supplier_request_follow_ups(datetime.date.today(), procurement_user, count=True) == 2
    client = Client()
    client.force_login(procurement_user)
    page = client.get(reverse("follow_ups")).content.decode()
    assert "Supplier answers" in page and "late@supplier.example has not answered" in page


def test_the_dashboard_counts_requests_awaiting_the_supplier(
    assessment, send_request, procurement_client
):
    send_request(assessment)
    late, _ = send_request(assessment, email="late@supplier.example")
    page = procurement_client.get(reverse("home")).content.decode()
    assert "2 requests awaiting the supplier" in page
    assert "overdue" not in page.split("Supplier link")[1][:400]
    SupplierRequest.objects.filter(pk=late.pk).update(
        due_date=datetime.date.today() - datetime.timedelta(days=1)
    )
    late.refresh_from_db()
    late.save()  # the change the dashboard's cache key follows
    page = procurement_client.get(reverse("home")).content.decode()
    assert "1 overdue" in page


def test_an_outsider_sees_no_supplier_request_on_the_dashboard(
    assessment, send_request, outsider_client
):
    send_request(assessment)
    assert "awaiting the supplier" not in outsider_client.get(reverse("home")).content.decode()


# Reminders to the supplier -------------------------------------------------------------


def test_the_supplier_is_reminded_once_at_7_and_1_days_unless_they_stopped_it(
    assessment, send_request, smtp_inbox
):
    request, _ = send_request(assessment)
    due = request.due_date
    assert supplier_reminders_send(today=due - datetime.timedelta(days=8)) == 0
    assert supplier_reminders_send(today=due - datetime.timedelta(days=7)) == 1
    assert supplier_reminders_send(today=due - datetime.timedelta(days=6)) == 0
    assert supplier_reminders_send(today=due - datetime.timedelta(days=1)) == 1
    bodies = smtp_inbox.bodies("answers@supplier.example")
    assert "due in 7 days" in bodies[-2] and "due tomorrow" in bodies[-1]
    assert "/supplier/link/" not in bodies[-1]  # the token is not kept, so never re-sent

    other, _ = send_request(assessment, email="quiet@supplier.example")
    stop = reverse("portal:reminders_stop", args=["x"])  # the signed key comes from the email
    body = smtp_inbox.bodies("quiet@supplier.example")[-1]
    stop = "/" + body[body.index("/supplier/reminders/stop/") + 1 :].split()[0]
    client = Client()
    assert client.get(stop).status_code == 200
    client.post(stop)
    other.refresh_from_db()
    assert other.reminders_stopped
    assert supplier_reminders_send(today=due - datetime.timedelta(days=7)) == 0


def test_a_forged_opt_out_key_answers_the_neutral_page(assessment, send_request):
    send_request(assessment)
    response = Client().post(reverse("portal:reminders_stop", args=["1:forged"]))
    assert response.status_code == 404
    assert not SupplierRequest.objects.filter(reminders_stopped=True).exists()


# Queries --------------------------------------------------------------------------------


def _many_items(assessment, count=12):
    for _ in range(count):
        ChecklistItemFactory(checklist=assessment.checklist)
    from diligence.models import AssessmentItem

    AssessmentItem.objects.bulk_create(
        AssessmentItem(assessment=assessment, checklist_item=item)
        for item in assessment.checklist.items.exclude(
            pk__in=assessment.items.values("checklist_item")
        )
    )
    return open_items(assessment, count)


def _answered(assessment, send_request, items):
    request, link = send_request(assessment, items=items, asks_mdf=True)
    for row in request.items.all()[:5]:
        services.supplier_file_add(
            request=request,
            request_item=row,
            uploaded_file=SimpleUploadedFile("card.pdf", MINIMAL_PDF),
        )
    return request, link


def test_the_supplier_pages_read_a_fixed_number_of_queries(
    assessment, send_request, django_assert_max_num_queries
):
    items = _many_items(assessment)
    _request, link = _answered(assessment, send_request, items)
    client = Client()
    client.get(link)
    with django_assert_max_num_queries(8):
        assert client.get(answers_url()).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("portal:mdf")).status_code == 200


def test_the_buyer_s_pages_read_a_fixed_number_of_queries(
    assessment, send_request, procurement_client, django_assert_max_num_queries
):
    items = _many_items(assessment)
    request, _link = _answered(assessment, send_request, items)
    services.supplier_request_submit(request=request)
    with django_assert_max_num_queries(12):
        assert procurement_client.get(request.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        url = reverse("portal:request_create", args=[assessment.pk])
        assert procurement_client.get(url).status_code == 200


def test_the_daily_job_reminds_the_supplier(assessment, send_request, smtp_inbox):
    from portal.tasks import supplier_reminders

    request, _ = send_request(assessment)
    day = request.due_date - datetime.timedelta(days=1)
    assert supplier_reminders.call(day.isoformat()) == 1
    assert "due tomorrow" in smtp_inbox.bodies("answers@supplier.example")[-1]


def test_the_assessment_page_lists_requests_and_answers_in_a_fixed_number_of_queries(
    assessment, send_request, procurement_client
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.models import ReviewStatus

    url = assessment.get_absolute_url()

    def queries_and_page():
        procurement_client.get(url)  # roles and sessions read once after a change
        with CaptureQueriesContext(connection) as captured:
            response = procurement_client.get(url)
        return len(captured.captured_queries), response.content.decode()

    without_requests, _page = queries_and_page()
    items = _many_items(assessment)
    request, _link = _answered(assessment, send_request, items)
    services.supplier_request_submit(request=request)
    send_request(assessment, items=items[:2])

    with_requests, page = queries_and_page()

    pending = list(
        request.items.filter(review=ReviewStatus.PENDING).select_related("item__checklist_item")
    )
    assert pending
    for row in pending:
        assert f'{request.get_absolute_url()}#row-{row.pk}-heading">' in page
        assert row.item.checklist_item.title in page
    for sent in SupplierRequest.objects.filter(assessment=assessment):
        assert f'<a href="{sent.get_absolute_url()}">{sent.recipient_email}</a>' in page
    assert with_requests == without_requests
