"""The signatory register's pages: who may import, review and apply, and what they show."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry
from tests.factories import SupplierFactory, UserFactory
from vendors.models import RegisterChange, RegisterSnapshot, Signature
from vendors.register import CHAPTERS
from vendors.register import services as register_services
from vendors.register import views as register_views

pytestmark = pytest.mark.django_db

LIST = "https://digital-strategy.ec.europa.eu/en/policies/contents-code-gpai"
SAMPLE = Path(__file__).resolve().parents[2] / "vendors" / "data" / "signatory-register-sample.csv"
AS_OF = datetime.date(2025, 12, 31)
ALL_ROLES = ["procurement_client", "legal_client", "checklist_admin_client", "viewer_client"]


@pytest.fixture
def snapshot():
    SupplierFactory(name="Mistral AI", legal_name="Mistral AI SAS")
    SupplierFactory(name="Aleph Alpha GmbH", signatures={"copyright": "signed"})
    SupplierFactory(name="Inflection AI", signatures={"copyright": "signed"})
    SupplierFactory(name="Open Hipo")  # close to "Open Hippo": awaits confirmation
    return register_services.register_import(
        data=SAMPLE.read_bytes(),
        filename=SAMPLE.name,
        taken_on=AS_OF,
        source_url=LIST,
        by=UserFactory(role="Checklist admin"),
    )


def _upload(data=None, name="register.csv"):
    return SimpleUploadedFile(name, data if data is not None else SAMPLE.read_bytes())


def _import_post(client, **overrides):
    data = {"file": _upload(), "taken_on": "2025-12-31", "source_url": LIST, **overrides}
    return client.post(reverse("vendors:register_import"), data)


# Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_role_may_read_the_register(request, role, snapshot):
    client = request.getfixturevalue(role)
    assert client.get(reverse("vendors:register_list")).status_code == 200
    assert client.get(snapshot.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("page", ["register_list", "register_import"])
def test_outsider_gets_404_for_the_register(outsider_client, page):
    assert outsider_client.get(reverse(f"vendors:{page}")).status_code == 404


def test_outsider_gets_404_for_a_snapshot(outsider_client, snapshot):
    assert outsider_client.get(snapshot.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", ["procurement_client", "legal_client", "viewer_client"])
def test_only_checklist_admins_may_import(request, role):
    client = request.getfixturevalue(role)
    assert client.get(reverse("vendors:register_import")).status_code == 403
    assert _import_post(client).status_code == 403
    assert not RegisterSnapshot.objects.exists()


@pytest.mark.parametrize("role", ["legal_client", "viewer_client"])
def test_read_only_roles_may_not_apply_confirm_or_create(request, role, snapshot):
    client = request.getfixturevalue(role)
    mistral = snapshot.entries.get(provider="Mistral AI").supplier
    pending = snapshot.entries.get(provider="Open Hippo")
    new = snapshot.entries.get(provider="Cohere")
    posts = [
        (
            reverse("vendors:register_apply", args=[snapshot.pk]),
            {"supplier": mistral.pk, "chapter": "copyright"},
        ),
        (
            reverse("vendors:register_match", args=[snapshot.pk, pending.pk]),
            {"decision": "confirm"},
        ),
        (
            reverse("vendors:register_supplier_create", args=[snapshot.pk, new.pk]),
            {"name": "Cohere", "country": "CA"},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403
    assert _statuses(mistral)["copyright"] == "unknown"
    assert not AuditEntry.objects.exclude(action="register_imported").exists()
    page = client.get(snapshot.get_absolute_url()).content.decode()
    assert ">Apply<" not in page
    assert "Create supplier" not in page


def test_outsider_gets_404_when_applying(outsider_client, snapshot):
    mistral = snapshot.entries.get(provider="Mistral AI").supplier
    url = reverse("vendors:register_apply", args=[snapshot.pk])
    assert (
        outsider_client.post(url, {"supplier": mistral.pk, "chapter": "copyright"}).status_code
        == 404
    )


def test_applying_needs_a_post(procurement_client, snapshot):
    assert (
        procurement_client.get(reverse("vendors:register_apply", args=[snapshot.pk])).status_code
        == 405
    )


# Import -------------------------------------------------------------------------------------


def test_checklist_admin_imports_the_sample_list(checklist_admin_client):
    page = checklist_admin_client.get(reverse("vendors:register_import"))
    assert page.context["form"]["source_url"].value() == LIST

    response = _import_post(checklist_admin_client)

    snapshot = RegisterSnapshot.objects.get()
    assert response.status_code == 302
    assert response.url == snapshot.get_absolute_url()
    assert snapshot.entries.count() == 29
    assert snapshot.taken_on == AS_OF


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "register.csv", "The submitted file is empty."),
        (
            b"provider,chapters\nMistral AI,all\n",
            "register.csv",
            "Missing columns: date, source_url.",
        ),
        (
            b"provider,chapters,date,source_url\nMistral AI,all,2025-8-1," + LIST.encode() + b"\n",
            "register.csv",
            "Row 2, column date: “2025-8-1” is not a date; write it as YYYY-MM-DD",
        ),
        (b'{"rows": []}', "register.json", "The JSON file must be a list of rows"),
        (
            "provider;chapters\nSoci\xe9t\xe9".encode("cp1252"),
            "register.csv",
            "The file is not UTF-8 text",
        ),
    ],
)
def test_a_bad_file_is_explained_on_the_form_and_nothing_is_imported(
    checklist_admin_client, data, name, message
):
    response = _import_post(checklist_admin_client, file=_upload(data, name))

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["file"])
    assert not RegisterSnapshot.objects.exists()


def test_a_list_dated_in_the_future_is_refused(checklist_admin_client):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = _import_post(checklist_admin_client, taken_on=tomorrow.isoformat())
    assert response.context["form"].errors["taken_on"] == ["This date is in the future."]


# Review and apply ---------------------------------------------------------------------------


def _statuses(supplier):
    return dict(Signature.objects.filter(supplier=supplier).values_list("chapter", "status"))


def test_the_snapshot_page_shows_the_difference(viewer_client, snapshot):
    response = viewer_client.get(snapshot.get_absolute_url())

    review = response.context["review"]
    assert [e.provider for e in review.pending] == ["Open Hippo"]
    assert [
        (e.provider, s.name, [c.kind for c in changes]) for e, s, changes in review.changes
    ] == [
        ("Aleph Alpha", "Aleph Alpha GmbH", ["chapter_signed", "chapter_signed"]),
        ("Mistral AI", "Mistral AI", ["chapter_signed"] * 3),
    ]
    assert [(s.name, [c.proposed for c in changes]) for s, changes in review.not_in_list] == [
        ("Inflection AI", ["not_signed", "signed", "not_signed"])
    ]
    # Inflection AI's "signed" was recorded by a person: a check, not a withdrawal.
    assert review.not_in_list[0][1][1].kind == "check_not_in_list"
    # All rows but Open Hippo, Mistral AI and Aleph Alpha, and Meta, which declined.
    assert len(review.new_signatories) == 29 - 3 - 1
    page = response.content.decode()
    assert "Signatory list as of 31 Dec 2025" in page
    assert "Inflection AI" in page


def test_procurement_applies_a_change_from_the_button_on_the_page(
    procurement_client, procurement_user, snapshot
):
    mistral = snapshot.entries.get(provider="Mistral AI").supplier
    page = procurement_client.get(snapshot.get_absolute_url()).content.decode()
    form = re.search(
        r'<form method="post" action="([^"]+)">.{0,200}?name="supplier" value="(\d+)">\s*'
        r'<input type="hidden" name="chapter" value="copyright">\s*'
        r'<button[^>]*aria-label="Apply Copyright for Mistral AI: Signed"',
        page,
        re.S,
    )
    assert form, "the page offers to apply Copyright for Mistral AI"

    # The button shows the change, before and after; nothing is applied yet.
    preview = procurement_client.post(form[1], {"supplier": form[2], "chapter": "copyright"})
    text = preview.content.decode()
    assert "Apply a change from the list of 31 Dec 2025" in text
    assert "Confirm and apply" in text
    assert _statuses(mistral)["copyright"] == "unknown"
    expected = re.search(r'name="expected" value="([^"]+)"', text)[1]

    response = procurement_client.post(
        form[1],
        {"supplier": form[2], "chapter": "copyright", "confirm": "1", "expected": expected},
        follow=True,
    )

    assert "Mistral AI – Copyright: Unknown → Signed." in response.content.decode()
    assert _statuses(mistral)["copyright"] == "signed"
    signature = Signature.objects.get(supplier=mistral, chapter="copyright")
    assert (signature.verified_on, signature.verified_by) == (AS_OF, procurement_user)

    again = procurement_client.post(
        form[1],
        {"supplier": form[2], "chapter": "copyright", "confirm": "1", "expected": expected},
        follow=True,
    )
    assert "Mistral AI – Copyright: nothing to apply." in again.content.decode()
    assert AuditEntry.objects.filter(action="register_change_applied").count() == 1


def test_checklist_admin_may_apply_too(checklist_admin_client, snapshot):
    mistral = snapshot.entries.get(provider="Mistral AI").supplier
    url = reverse("vendors:register_apply", args=[snapshot.pk])
    checklist_admin_client.post(
        url, {"supplier": mistral.pk, "chapter": "transparency", "confirm": "1"}
    )
    assert _statuses(mistral)["transparency"] == "signed"


@pytest.mark.parametrize(
    "data", [{}, {"supplier": "x", "chapter": "copyright"}, {"supplier": 1, "chapter": "ethics"}]
)
def test_a_malformed_apply_is_refused_with_a_message(procurement_client, snapshot, data):
    response = procurement_client.post(
        reverse("vendors:register_apply", args=[snapshot.pk]), data, follow=True
    )
    assert "Choose a supplier and a chapter to apply." in response.content.decode()


def test_confirming_a_match_moves_it_to_the_changes(procurement_client, snapshot):
    entry = snapshot.entries.get(provider="Open Hippo")
    url = reverse("vendors:register_match", args=[snapshot.pk, entry.pk])

    response = procurement_client.post(url, {"decision": "confirm"}, follow=True)

    assert "“Open Hippo” is Open Hipo." in response.content.decode()
    review = response.context["review"]
    assert review.pending == []
    assert "Open Hipo" in [supplier.name for _, supplier, _ in review.changes]


def test_creating_a_supplier_from_a_new_signatory(procurement_client, snapshot, form_data):
    entry = snapshot.entries.get(provider="EUC Inovação Portugal")
    url = reverse("vendors:register_supplier_create", args=[snapshot.pk, entry.pk])
    page = procurement_client.get(url)
    data = form_data(page.context["form"])
    assert data["name"] == "EUC Inovação Portugal"
    data["country"] = "PT"

    response = procurement_client.post(url, data)

    supplier = snapshot.entries.get(pk=entry.pk).supplier
    assert response.url == supplier.get_absolute_url()
    assert _statuses(supplier) == dict.fromkeys(
        ("transparency", "copyright", "safety_security"), "signed"
    )
    assert procurement_client.get(url).status_code == 404  # linked now


def test_an_older_snapshot_shows_its_difference_without_apply_buttons(procurement_client, snapshot):
    newer = register_services.register_import(
        data=SAMPLE.read_bytes() + b"\n",
        filename="newer.csv",
        taken_on=AS_OF,
        source_url=LIST,
        by=UserFactory(role="Checklist admin"),
    )

    page = procurement_client.get(snapshot.get_absolute_url()).content.decode()

    assert "A newer list has been imported" in page
    assert newer.get_absolute_url() in page
    assert ">Apply<" not in page


# Query counts -------------------------------------------------------------------------------

# Session, user and permissions; the snapshot, its entries, the suppliers they name, their
# signatures and checks noted, the outcomes of the others, the newest snapshot; the suppliers
# of the page of each of the three sections of the others; the applied changes: their count,
# the page of them and its signatures.
DETAIL_QUERIES = 16
# The snapshot page's queries, the latest snapshot, and what the plans read: the snapshot's
# entries, the signatures and the checks noted already.
PREVIEW_QUERIES = 14
# Session, user, permissions (2) and groups; the paginator's count and the snapshots.
LIST_QUERIES = 7


def _count(client, url, django_assert_max_num_queries, limit):
    client.get(url)
    with django_assert_max_num_queries(limit) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add_in_every_section(count, snapshot):
    """Suppliers the list does not name: with changes, recorded after the list, in line, and
    changes applied from the list."""
    newer = AS_OF + datetime.timedelta(days=1)
    for index in range(count):
        SupplierFactory(name=f"Provider {count}.{index}", signatures={"copyright": "signed"})
        kept = SupplierFactory(name=f"Newer {count}.{index}", signatures={"copyright": "signed"})
        kept.signatures.update(verified_on=newer)
        SupplierFactory(
            name=f"Quiet {count}.{index}", signatures=dict.fromkeys(CHAPTERS, "declined")
        )
        applied = SupplierFactory(
            name=f"Applied {count}.{index}", signatures={"copyright": "signed"}
        )
        register_services.register_change_apply(
            snapshot=snapshot, supplier=applied, chapter="transparency", by=UserFactory()
        )


def test_snapshot_page_queries_do_not_grow_with_suppliers(
    procurement_client, snapshot, django_assert_max_num_queries
):
    url = snapshot.get_absolute_url()
    _add_in_every_section(2, snapshot)
    small = _count(procurement_client, url, django_assert_max_num_queries, DETAIL_QUERIES)
    _add_in_every_section(60, snapshot)
    response = procurement_client.get(url)
    large = _count(procurement_client, url, django_assert_max_num_queries, DETAIL_QUERIES)

    assert large == small
    for page in ("not_in_list_page", "newer_source_page", "in_line_page", "applied_page"):
        assert response.context[page].paginator.num_pages > 1, page


def test_register_list_queries_do_not_grow_with_snapshots(
    viewer_client, snapshot, django_assert_max_num_queries
):
    url = reverse("vendors:register_list")
    small = _count(viewer_client, url, django_assert_max_num_queries, LIST_QUERIES)
    for day in range(1, 20):
        register_services.register_import(
            data=SAMPLE.read_bytes(),
            filename="again.csv",
            taken_on=datetime.date(2025, 12, day),
            source_url=LIST,
            by=None,
        )
    large = _count(viewer_client, url, django_assert_max_num_queries, LIST_QUERIES)
    assert large == small


def test_apply_all_previews_then_applies_and_each_change_can_be_undone(
    procurement_client, snapshot
):
    Signature.objects.filter(supplier__name="Open Hipo").update(status="not_signed")
    url = reverse("vendors:register_apply_all", args=[snapshot.pk])
    preview = procurement_client.get(url)
    plans = preview.context["plans"]
    assert len(plans) == 2 + 3 + 3  # Aleph Alpha, Mistral AI, Inflection AI (with a check)
    assert not RegisterChange.objects.exists()

    response = procurement_client.post(
        url, {"fingerprint": preview.context["fingerprint"]}, follow=True
    )
    assert "Applied 8 changes." in response.content.decode()
    assert RegisterChange.objects.count() == 8
    applied = response.context["applied"]
    assert all(change.undoable for change in applied)

    mistral_copyright = RegisterChange.objects.get(supplier__name="Mistral AI", chapter="copyright")
    undo = procurement_client.post(
        reverse("vendors:register_undo", args=[snapshot.pk, mistral_copyright.pk]), follow=True
    )
    assert "Undone: Mistral AI – Copyright" in undo.content.decode()
    assert _statuses(mistral_copyright.supplier)["copyright"] == "unknown"


def test_apply_all_with_a_stale_preview_changes_nothing(procurement_client, snapshot):
    url = reverse("vendors:register_apply_all", args=[snapshot.pk])
    response = procurement_client.post(url, {"fingerprint": "0" * 64}, follow=True)
    assert "not the ones you previewed" in response.content.decode()
    assert not RegisterChange.objects.exists()


def test_snapshot_and_preview_queries_do_not_grow_with_applied_changes(
    procurement_client, snapshot, django_assert_max_num_queries
):
    url = reverse("vendors:register_apply_all", args=[snapshot.pk])
    preview = procurement_client.get(url)
    procurement_client.post(url, {"fingerprint": preview.context["fingerprint"]})
    with django_assert_max_num_queries(14):
        procurement_client.get(snapshot.get_absolute_url())


def _add_unlisted(count):
    SupplierFactory.create_batch(count, signatures={"copyright": "signed"})


def test_apply_all_preview_queries_do_not_grow_with_suppliers_or_changes(
    procurement_client, snapshot, django_assert_max_num_queries
):
    url = reverse("vendors:register_apply_all", args=[snapshot.pk])
    _add_unlisted(5)
    small = _count(procurement_client, url, django_assert_max_num_queries, PREVIEW_QUERIES)
    _add_unlisted(10)
    large = _count(procurement_client, url, django_assert_max_num_queries, PREVIEW_QUERIES)
    assert large == small
    # Every unlisted supplier has three: its copyright to check, the other two not signed.
    assert len(procurement_client.get(url).context["plans"]) >= 15 * 3


def test_apply_all_reads_a_fixed_number_of_queries_however_many_suppliers(
    procurement_client, snapshot
):
    """Applying all writes each change, but reads what the changes need once."""
    url = reverse("vendors:register_apply_all", args=[snapshot.pk])

    def queries_of_apply_all():
        fingerprint = procurement_client.get(url).context["fingerprint"]
        before = RegisterChange.objects.count()
        with CaptureQueriesContext(connection) as queries:
            response = procurement_client.post(url, {"fingerprint": fingerprint})
        assert response.status_code == 302
        # The webhook listener looks up its endpoints once for each signature changed.
        reads = [
            q
            for q in queries
            if q["sql"].startswith("SELECT") and "api_webhookendpoint" not in q["sql"]
        ]
        return len(reads), RegisterChange.objects.count() - before

    _add_unlisted(3)
    small_reads, small_changes = queries_of_apply_all()
    _add_unlisted(12)
    large_reads, large_changes = queries_of_apply_all()
    assert large_changes > small_changes
    assert large_reads == small_reads


def test_the_snapshot_page_lists_long_sections_a_page_at_a_time(
    procurement_client, snapshot, monkeypatch
):
    monkeypatch.setattr(register_views, "SECTION_PAGE_SIZE", 2)
    unlisted = SupplierFactory.create_batch(3, signatures={"copyright": "signed"})
    url = snapshot.get_absolute_url()

    first = procurement_client.get(url)
    page = first.context["not_in_list_page"]
    assert (page.number, page.paginator.count) == (1, 4)  # Open Hipo is not settled either
    assert "1–2 of 4" in first.content.decode()
    assert "?not-in-list=2#not-in-list" in first.content.decode()

    second = procurement_client.get(url, {"not-in-list": "2", "changes": "1"})
    shown = [supplier.pk for supplier, _ in second.context["not_in_list_page"]]
    assert shown == [supplier.pk for supplier, _ in second.context["review"].not_in_list[2:]]
    assert shown == [supplier.pk for supplier in unlisted[1:]]
    assert "?not-in-list=1&amp;changes=1#not-in-list" in second.content.decode()


@pytest.mark.parametrize("page", ["0", "x", "999"])
def test_a_bad_section_page_shows_the_nearest_page(procurement_client, snapshot, page):
    response = procurement_client.get(snapshot.get_absolute_url(), {"not-in-list": page})
    assert response.status_code == 200


def test_the_preview_shows_a_page_of_changes_and_applies_them_all(
    procurement_client, snapshot, monkeypatch
):
    monkeypatch.setattr(register_views, "SECTION_PAGE_SIZE", 3)
    url = reverse("vendors:register_apply_all", args=[snapshot.pk])
    preview = procurement_client.get(url, {"plans": "2"})
    plans = preview.context["plans"]
    assert list(preview.context["plans_page"]) == plans[3:6]
    assert f"Confirm and apply all {len(plans)} changes" in preview.content.decode()

    procurement_client.post(url, {"fingerprint": preview.context["fingerprint"]})
    assert RegisterChange.objects.count() == len(plans)


def _shown(response):
    """The supplier names of each section of the snapshot's page, as shown now."""
    context = response.context
    return {
        "not_in_list": {s.name for s, _ in context["not_in_list_page"]},
        "in_line": {s.name for s in context["in_line_page"]},
        "changes": {s.name for _, s, _ in context["changes_page"]},
    }


def test_the_snapshot_page_shows_what_is_recorded_now(procurement_client, snapshot):
    """Nothing of the comparison is kept between requests: a signature recorded or a supplier
    archived after the import shows on the next visit."""
    unlisted = SupplierFactory(name="Unlisted AI", signatures={"copyright": "signed"})
    gone = SupplierFactory(name="Gone AI")
    before = _shown(procurement_client.get(snapshot.get_absolute_url()))
    assert {"Unlisted AI", "Gone AI"} <= before["not_in_list"]
    assert "Mistral AI" in before["changes"]

    unlisted.signatures.update(status="not_signed")
    Signature.objects.filter(supplier=unlisted, chapter="copyright").update(status="withdrawn")
    gone.archived_at = datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)
    gone.save()
    Signature.objects.filter(supplier__name="Mistral AI").update(status="signed")
    after = _shown(procurement_client.get(snapshot.get_absolute_url()))

    assert "Unlisted AI" in after["in_line"]
    assert "Unlisted AI" not in after["not_in_list"]
    assert "Gone AI" not in after["not_in_list"] | after["in_line"]
    assert "Mistral AI" in after["in_line"]
    assert "Mistral AI" not in after["changes"]
