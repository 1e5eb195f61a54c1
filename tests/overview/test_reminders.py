"""Follow-ups and reminders: thresholds, who is reminded, and never the same reminder twice."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from core import reminders
from core.models import SentReminder
from core.roles import PROCUREMENT, VIEWER
from tests.factories import (
    AssessmentFactory,
    AssessmentItemFactory,
    DecisionFactory,
    EvidenceFactory,
    SupplierFactory,
    UserFactory,
)
from tests.security.live_app import free_port
from vendors.followups import recipients_for, stale_signature_follow_ups
from vendors.models import Signature
from vendors.summaries import signature_summaries_rebuild, signature_summaries_refresh

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def days(n, start=TODAY):
    return start + datetime.timedelta(days=n)


@pytest.mark.parametrize(
    ("days_left", "overdue", "expected"),
    [
        (45, True, None),
        (31, True, None),
        (30, True, "30d"),
        (8, True, "30d"),
        (7, True, "7d"),
        (5, True, "7d"),  # a run that missed the 7th day still sends the 7-day reminder
        (2, True, "7d"),
        (1, True, "1d"),
        (0, True, "1d"),
        (-1, True, "overdue"),
        (-1, False, None),
    ],
)
def test_threshold(days_left, overdue, expected):
    assert reminders.threshold(days(days_left), TODAY, overdue=overdue) == expected


@pytest.mark.parametrize(
    ("days_left", "text"),
    [(0, "today"), (1, "tomorrow"), (7, "in 7 days"), (-1, "yesterday"), (-3, "3 days ago")],
)
def test_in_days(days_left, text):
    assert reminders.in_days(days(days_left), TODAY) == text


@pytest.mark.parametrize(
    ("last_verifier", "updated_by", "expected"),
    [
        (1, 2, (1,)),  # whoever checked last, if they may change signatures
        (9, 2, (2,)),  # else whoever changed the supplier last
        (9, None, (1, 2, 3)),  # else everyone who may change signatures
        (None, None, (1, 2, 3)),
    ],
)
def test_who_is_reminded_of_a_stale_signature_check(last_verifier, updated_by, expected):
    assert recipients_for(last_verifier, updated_by, {1, 2, 3}) == expected


# Data: one owner with an assessment due in 5 days, evidence expiring tomorrow and a decision
# expiring in 25 days; a second owner with an overdue assessment; a stale supplier.


@pytest.fixture
def owner():
    return UserFactory(username="olga", email="olga@example.org", role="Procurement")


@pytest.fixture
def data(owner):
    due = AssessmentFactory(owner=owner, due_date=days(5), reference="DUE-5")
    item = AssessmentItemFactory(assessment=due)
    EvidenceFactory(item=item, valid_until=days(1), description="ISO 42001 certificate")
    decided = AssessmentFactory(owner=owner, reference="DECIDED")
    DecisionFactory(assessment=decided, valid_until=days(25))
    late = AssessmentFactory(due_date=days(-2), reference="LATE")
    AssessmentFactory(owner=owner, due_date=days(60), reference="LATER")  # not due yet
    decided_late = AssessmentFactory(owner=owner, due_date=days(-9), reference="DONE")
    DecisionFactory(assessment=decided_late, valid_until=days(200))
    checker = UserFactory(username="petra", email="petra@example.org", role="Procurement")
    stale = SupplierFactory(name="Stale AI", signatures={"copyright": "signed"})
    stale.signatures.update(verified_on=days(-120), verified_by=checker)
    # The other suppliers' signatures were checked yesterday.
    Signature.objects.exclude(supplier=stale).update(verified_on=days(-1))
    signature_summaries_rebuild()  # written past the services
    return {"due": due, "late": late, "checker": checker, "stale": stale}


def _run(*args, on=TODAY):
    call_command("send_reminders", "--date", on.isoformat(), *args, stdout=io.StringIO())


def test_follow_ups_of_a_user(owner, data):
    items = reminders.follow_ups(TODAY, user=owner)

    assert [(f.kind, f.title.split(" ")[0], f.threshold) for f in items] == [
        ("evidence_expiring", "ISO", "1d"),
        ("assessment_due", "DUE-5", "7d"),
        ("decision_expiring", "DECIDED", "30d"),
    ]
    assert items[1].detail == f"Due {days(5):%-d %b %Y} (in 5 days)"


def test_reminders_are_emailed_once(owner, data, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    _run()
    _run()

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == [
        "olga@example.org",
        "petra@example.org",
        data["late"].owner.email,
    ]
    olga = by_recipient["olga@example.org"]
    assert olga.subject == "3 follow-ups in GPAI due diligence"
    assert "ISO 42001 certificate" in olga.body
    assert f"Valid until {days(1):%-d %b %Y} (tomorrow)" in olga.body
    assert f"\n  {data['due'].get_absolute_url()}\n" in olga.body  # no SITE_URL in tests
    late = by_recipient[data["late"].owner.email]
    assert late.subject == "1 follow-up in GPAI due diligence (1 overdue)"
    assert f"Overdue since {days(-2):%-d %b %Y} (2 days ago)" in late.body
    petra = by_recipient["petra@example.org"]
    assert "Stale AI: Code of Practice signatures" in petra.body
    assert SentReminder.objects.count() == 5


def test_a_new_threshold_sends_a_new_reminder(owner, data, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    due = data["due"]

    for day in (0, 1, 2, 4, 5, 6, 7):
        _run(on=days(day))

    keys = sorted(
        SentReminder.objects.filter(
            key__startswith=f"assessment_due:assessment:{due.pk}:"
        ).values_list("key", flat=True)
    )
    assert [key.rsplit(":", 1)[1] for key in keys] == ["1d", "7d", "overdue"]


def test_a_later_due_date_is_a_new_subject(owner, data, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _run()
    data["due"].due_date = days(6)
    data["due"].save()
    mail.outbox.clear()

    _run()

    assert [message.to for message in mail.outbox] == [["olga@example.org"]]
    assert "DUE-5" in mail.outbox[0].body


def test_a_user_without_an_email_address_is_reported(data, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    data["late"].owner.email = ""
    data["late"].owner.save()

    call_command("send_reminders", "--date", TODAY.isoformat())

    out = capsys.readouterr().out
    assert f"Not sent, no email address: {data['late'].owner.username}" in out
    assert not SentReminder.objects.filter(recipient=data["late"].owner).exists()


def test_inactive_users_get_nothing(owner, data, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    owner.is_active = False
    owner.save()
    _run()
    assert "olga@example.org" not in [message.to[0] for message in mail.outbox]


def test_a_dry_run_sends_and_records_nothing(owner, data, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_reminders", "--date", TODAY.isoformat(), "--dry-run")
    assert (
        f"Would send 5 reminder(s) in 3 email(s) for {TODAY:%Y-%m-%d}." in capsys.readouterr().out
    )
    assert mail.outbox == []
    assert not SentReminder.objects.exists()


def test_a_reminder_recorded_by_another_run_is_not_sent_again(owner, data, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for item in reminders.follow_ups(TODAY, user=owner):
        SentReminder.objects.create(key=item.key, recipient=owner)

    _run()

    assert "olga@example.org" not in [message.to[0] for message in mail.outbox]


def test_a_failed_send_is_retried_on_the_next_run(owner, data, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_TIMEOUT = 2

    with pytest.raises(CommandError, match="Sending failed for"):
        _run()
    assert not SentReminder.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _run()
    assert len(mail.outbox) == 3


def test_reminders_go_through_a_real_smtp_server_once(owner, data, smtp_inbox):
    _run("--base-url", "https://dd.example.org/")
    _run("--base-url", "https://dd.example.org/")

    assert sorted(rcpt for e in smtp_inbox.envelopes for rcpt in e.rcpt_tos) == sorted(
        ["olga@example.org", "petra@example.org", data["late"].owner.email]
    )
    [message] = [
        message
        for envelope, message in zip(smtp_inbox.envelopes, smtp_inbox.messages, strict=True)
        if envelope.rcpt_tos == ["olga@example.org"]
    ]
    assert message["Subject"] == "3 follow-ups in GPAI due diligence"
    body = message.get_payload(decode=True).decode()
    assert f"https://dd.example.org{data['due'].get_absolute_url()}" in body
    assert f"https://dd.example.org{reverse('follow_ups')}" in body


# The page ----------------------------------------------------------------------------------


def test_my_follow_ups_lists_the_users_own(client, owner, data):
    client.force_login(owner)
    response = client.get(reverse("follow_ups"))

    page = response.content.decode()
    assert response.context["count"] == 3
    assert list(response.context["groups"]) == [
        "Evidence expiring",
        "Assessments due",
        "Decisions expiring",
    ]
    assert "DUE-5" in page
    assert "LATE" not in page
    assert "Stale AI" not in page  # Petra checked it, so it is hers


def test_the_checker_sees_the_stale_supplier(client, data):
    client.force_login(data["checker"])
    page = client.get(reverse("follow_ups")).content.decode()
    assert "Stale AI: Code of Practice signatures" in page
    assert f"3 chapter checks stale: last checked on {days(-120):%-d %b %Y}" in page


def test_follow_ups_are_linked_from_the_nav(viewer_client):
    page = viewer_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("follow_ups")}"' in page


def test_a_user_without_follow_ups_is_told_so(outsider_client, data):
    page = outsider_client.get(reverse("follow_ups")).content.decode()
    assert "Nothing is waiting for you." in page


# Session, user, permissions (2) and groups; one query per follow-up source and one for the
# users who may change signatures.
FOLLOW_UPS_QUERIES = 11


def test_follow_ups_page_queries_do_not_grow(client, owner, data, django_assert_max_num_queries):
    client.force_login(owner)
    url = reverse("follow_ups")

    def count():
        client.get(url)
        with django_assert_max_num_queries(FOLLOW_UPS_QUERIES) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    for index in range(20):
        due = AssessmentFactory(owner=owner, due_date=days(index - 5))
        EvidenceFactory(item=AssessmentItemFactory(assessment=due), valid_until=days(index))
        SupplierFactory(name=f"Stale {index}")
    large = count()
    assert large == small


def test_a_users_stale_checks_are_those_the_recipient_rule_gives_them():
    first, second = UserFactory(role=PROCUREMENT), UserFactory(role=PROCUREMENT)
    viewer = UserFactory(role=VIEWER)
    long_ago = days(-400)
    cases = [(first, first), (viewer, second), (None, viewer), (None, None), (second, None)]
    for number, (verifier, updater) in enumerate(cases):
        supplier = SupplierFactory(name=f"Supplier {number}", updated_by=updater)
        supplier.signatures.update(verified_on=long_ago, verified_by=verifier)
        signature_summaries_refresh(suppliers=[supplier])  # written past the services

    # Checked by several people: the most recent check decides, whoever made the older ones.
    for number, (older, newer, updater) in enumerate(
        [(first, second, None), (second, viewer, first), (viewer, first, second)]
    ):
        supplier = SupplierFactory(name=f"Checked twice {number}", updated_by=updater)
        supplier.signatures.update(verified_on=long_ago, verified_by=older)
        supplier.signatures.filter(chapter="copyright").update(
            verified_on=long_ago + datetime.timedelta(days=1), verified_by=newer
        )
        signature_summaries_refresh(suppliers=[supplier])  # written past the services

    everyone = [f for f in reminders.follow_ups(TODAY) if f.kind == "signature_stale"]
    for user in (first, second, viewer):
        own = [f for f in reminders.follow_ups(TODAY, user=user) if f.kind == "signature_stale"]
        assert [f.subject for f in own] == [f.subject for f in everyone if user.pk in f.recipients]
        assert stale_signature_follow_ups(TODAY, user=user, count=True) == len(own)
    assert len([f for f in everyone if first.pk in f.recipients]) == 5
    assert len([f for f in everyone if second.pk in f.recipients]) == 5


def test_the_dashboard_count_equals_the_follow_ups_listed(owner, data):
    for user in (owner, UserFactory(role=PROCUREMENT), UserFactory(role=VIEWER), UserFactory()):
        assert reminders.follow_up_count(TODAY, user=user) == len(
            reminders.follow_ups(TODAY, user=user)
        )
    assert reminders.follow_up_count(TODAY, user=owner) > 0
