"""The dashboard: numbers checked against data counted by hand, links, access and queries."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from diligence import services as diligence_services
from diligence.models import Evidence
from overview import dashboard
from tests.factories import (
    AssessmentFactory,
    AssessmentItemFactory,
    DecisionFactory,
    EvidenceFactory,
    GPAIModelFactory,
    SupplierFactory,
    UserFactory,
)
from vendors import services as vendor_services
from vendors.forms import SignatureForm, SupplierForm
from vendors.models import RegisterChange, Signature
from vendors.register import queries as register_queries
from vendors.register import services as register_services
from vendors.summaries import signature_summaries_refresh

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
ARCHIVED = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
LIST = "https://digital-strategy.ec.europa.eu/en/policies/contents-code-gpai"


def days(n):
    return TODAY + datetime.timedelta(days=n)


def _items(assessment, statuses, category="documentation", applicable=True):
    for status in statuses:
        AssessmentItemFactory(
            assessment=assessment,
            status=status,
            applicable=applicable,
            checklist_item__category=category,
        )


@pytest.fixture
def data(procurement_user):
    """Two active suppliers and one archived, counted by hand in the tests below."""
    alpha = SupplierFactory(
        name="Alpha AI", signatures={"transparency": "signed", "copyright": "signed"}
    )
    # Alpha's checks are recent; the oldest goes stale in 11 days (90 days + 1 after it).
    alpha.signatures.update(verified_on=days(-10))
    alpha.signatures.filter(chapter="copyright").update(verified_on=days(-80))
    signature_summaries_refresh(suppliers=[alpha])  # written past the services
    beta = SupplierFactory(
        name="Beta Labs",
        country="US",
        signatures=dict.fromkeys(["transparency", "copyright", "safety_security"], "declined"),
    )  # never checked: stale
    gone = SupplierFactory(name="Gone", signatures={"transparency": "signed"}, archived_at=ARCHIVED)

    alpha_legacy = GPAIModelFactory(supplier=alpha, placed_on_market=datetime.date(2024, 7, 1))
    alpha_new = GPAIModelFactory(supplier=alpha, placed_on_market=datetime.date(2025, 9, 1))
    GPAIModelFactory(
        supplier=alpha, archived_at=ARCHIVED, placed_on_market=datetime.date(2024, 1, 1)
    )
    beta_legacy = GPAIModelFactory(supplier=beta, placed_on_market=datetime.date(2025, 1, 1))
    GPAIModelFactory(supplier=gone, placed_on_market=datetime.date(2024, 1, 1))

    draft = AssessmentFactory(model=alpha_legacy, owner=procurement_user, due_date=days(5))
    _items(draft, ["accepted", "accepted", "gap", "open"])
    _items(draft, ["open"], applicable=False)  # does not apply to this model
    _items(draft, ["not_applicable"])  # a reviewer found it does not apply
    evidence_item = draft.items.filter(status="open", applicable=True).first()
    old = EvidenceFactory(item=evidence_item, valid_until=days(5), is_current=False)
    EvidenceFactory(item=evidence_item, valid_until=days(10), supersedes=old)

    overdue = AssessmentFactory(
        model=beta_legacy, owner=procurement_user, due_date=days(-3), status="in_review"
    )
    _items(overdue, ["gap"], category="copyright")
    _items(overdue, ["accepted"])

    decided = AssessmentFactory(model=alpha_new, due_date=days(-40))
    _items(decided, ["accepted", "accepted"])
    DecisionFactory(assessment=decided, valid_until=days(20))
    return {"alpha": alpha, "beta": beta, "draft": draft, "overdue": overdue, "decided": decided}


def test_counts_match_the_data(viewer_client, data):
    context = viewer_client.get(reverse("home")).context

    assert context["supplier_count"] == 2
    assert context["model_count"] == 3
    assert context["model_counts"]["legacy_models"] == 2
    assert context["model_counts"]["legacy_suppliers"] == 2
    assert context["stale_supplier_count"] == 1  # Beta, never checked
    assert context["assessment_counts"] == {"draft": 1, "in_review": 1, "decided": 1, "overdue": 1}
    assert context["open_assessment_count"] == 2


def test_signatures_by_chapter_count_active_suppliers_per_status(viewer_client, data):
    context = viewer_client.get(reverse("home")).context

    table = {
        chapter: {segment.key: segment.value for segment in segments if segment.value}
        for chapter, segments in context["signature_rows"]
    }
    assert table == {
        "Transparency": {"signed": 1, "declined": 1},
        "Copyright": {"signed": 1, "declined": 1},
        "Safety and Security": {"unknown": 1, "declined": 1},
    }
    assert context["signed_by_chapter"] == [
        ("Transparency", "transparency", 1),
        ("Copyright", "copyright", 1),
        ("Safety and Security", "safety_security", 0),
    ]


def test_readiness_is_the_share_of_applicable_items_accepted_least_ready_first(viewer_client, data):
    context = viewer_client.get(reverse("home")).context

    rows = [
        (row["supplier__name"], row["accepted"], row["items"], bar.text)
        for row, bar in context["readiness_rows"]
    ]
    # Alpha: 2 of 4 in the draft (the inapplicable and the not-applicable items do not count)
    # and 2 of 2 in the decided one; Beta: 1 of 2.
    assert rows == [("Beta Labs", 1, 2, "50 %"), ("Alpha AI", 4, 6, "67 %")]


def test_gaps_are_counted_by_category(viewer_client, data):
    context = viewer_client.get(reverse("home")).context
    assert [(bar.label, bar.value) for bar in context["gap_bars"]] == [
        ("Documentation and transparency", 1),
        ("Copyright", 1),
        ("Safety and security", 0),
    ]


def test_coming_dates_in_order(viewer_client, data):
    context = viewer_client.get(reverse("home")).context

    assert [(d.date, d.what) for d in context["coming_dates"]] == [
        (days(-3), "Assessment overdue"),
        (days(5), "Assessment due"),
        (days(10), "Evidence expires"),
        (days(11), "Signature check goes stale"),
        (days(20), "Decision expires"),
        (datetime.date(2027, 8, 2), "Legacy models must comply (Art. 111(3))"),
    ][: 6 if datetime.date(2027, 8, 2) >= TODAY else 5]
    assert context["coming_dates"][3].title == "Alpha AI"
    draft, evidence = context["coming_dates"][1], context["coming_dates"][2]
    assert draft.title == f"{data['draft'].reference} – Alpha AI, {data['draft'].model}"
    assert draft.url == data["draft"].get_absolute_url()
    item = Evidence.objects.get(is_current=True, valid_until=days(10)).item
    assert evidence.title.endswith(f"({item.checklist_item.code}, {data['draft'].reference})")
    assert evidence.url == reverse("diligence:item_detail", args=[data["draft"].pk, item.pk])


def test_follow_up_count_is_the_users_own(procurement_client, viewer_client, data):
    # The draft due in 5 days, the overdue one, the evidence expiring in 10 days; and Beta's
    # never-made checks, which go to every Procurement user as nobody checked or changed it.
    assert procurement_client.get(reverse("home")).context["follow_up_count"] == 4
    assert viewer_client.get(reverse("home")).context["follow_up_count"] == 0


def test_a_new_check_hands_the_stale_supplier_to_its_checker_at_once(
    procurement_client, procurement_user, client, data
):
    # Beta was checked long ago by the Procurement user: its stale check is theirs alone.
    data["beta"].signatures.update(verified_on=days(-200), verified_by=procurement_user)
    signature_summaries_refresh(suppliers=[data["beta"]])  # written past the services
    colleague = UserFactory(role="Procurement")
    client.force_login(colleague)

    def count(of):
        return of.get(reverse("home")).context["follow_up_count"]

    assert (count(procurement_client), count(client)) == (4, 0)
    # The colleague checks one chapter today; the other two stay stale, and the colleague,
    # who checked last, is the one reminded now.
    _check_a_chapter(data, colleague, supplier="beta")

    assert (count(procurement_client), count(client)) == (3, 1)


def test_renewed_evidence_leaves_the_follow_up_count_at_once(
    procurement_client, procurement_user, data
):
    def count():
        return procurement_client.get(reverse("home")).context["follow_up_count"]

    assert count() == 4  # with the evidence expiring in 10 days
    expiring = Evidence.objects.get(is_current=True, valid_until=days(10))
    renewed = diligence_services.evidence_add(
        item=expiring.item,
        data={"description": "Renewed", "url": "https://example.org/r", "valid_until": days(400)},
        supersedes=expiring,
        by=procurement_user,
    )

    # Counted by the assessment each piece of evidence carries beside its item.
    assert renewed.assessment_id == expiring.item.assessment_id == data["draft"].pk
    assert count() == 3
    diligence_services.evidence_add(
        item=expiring.item,
        data={"description": "Shorter", "url": "https://example.org/s", "valid_until": days(2)},
        supersedes=Evidence.objects.get(is_current=True, description="Renewed"),
        by=procurement_user,
    )
    assert count() == 4


def _links(page):
    return set(re.findall(r'href="([^"#]+)"', page))


def test_every_number_links_to_the_list_filtered_to_it(viewer_client, data):
    page = viewer_client.get(reverse("home")).content.decode()
    suppliers, assessments = reverse("vendors:supplier_list"), reverse("diligence:assessment_list")
    links = _links(page)

    for expected in [
        suppliers,
        f"{suppliers}?sort=-model_count",
        f"{suppliers}?stale=yes",
        f"{suppliers}?legacy=yes",
        f"{suppliers}?copyright=signed",
        f"{suppliers}?safety_security=declined",
        f"{assessments}?status=open",
        f"{assessments}?status=draft",
        f"{assessments}?status=in_review",
        f"{assessments}?overdue=on",
        f"{assessments}?supplier={data['alpha'].pk}",
        f"{reverse('gaps')}?category=copyright",
        reverse("follow_ups"),
    ]:
        assert expected in links, expected


@pytest.mark.parametrize(
    ("url", "count"),
    [
        ("vendors:supplier_list?stale=yes", 1),
        ("vendors:supplier_list?legacy=yes", 2),
        ("vendors:supplier_list?copyright=signed", 1),
        ("vendors:supplier_list?safety_security=unknown", 1),
        ("diligence:assessment_list?overdue=on", 1),
        ("diligence:assessment_list?status=draft", 1),
        ("diligence:assessment_list?status=open", 2),
        ("gaps?category=documentation", 1),
        ("gaps?category=safety_security", 0),
        ("gaps", 2),
    ],
)
def test_the_linked_lists_show_as_many_rows_as_the_number(viewer_client, data, url, count):
    name, _, query = url.partition("?")
    response = viewer_client.get(f"{reverse(name)}?{query}")
    assert response.context["paginator"].count == count


def test_charts_are_accessible_images_with_a_table(viewer_client, data):
    page = viewer_client.get(reverse("home")).content.decode()

    for chart in ("chart-signatures", "chart-readiness", "chart-gaps"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in page
        assert f'<title id="{chart}-title">' in page
    # Groups, not images: their bars are links, and an image may hold nothing interactive.
    assert page.count('role="group" aria-labelledby="chart-') == 3
    assert page.count("Show as a table") == 3


def test_supplier_names_in_charts_are_escaped(viewer_client, data):
    bad = SupplierFactory(name='<script>alert("x")</script>')
    AssessmentItemFactory(assessment__model__supplier=bad, status="open")

    page = viewer_client.get(reverse("home")).content.decode()

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_readiness_pages_through_many_suppliers(viewer_client):
    for index in range(13):
        AssessmentItemFactory(assessment__model__supplier__name=f"Supplier {index:02d}")

    first = viewer_client.get(reverse("home")).context
    second = viewer_client.get(reverse("home"), {"readiness": 2}).context

    assert len(first["readiness_rows"]) == 10
    assert len(second["readiness_rows"]) == 3
    assert first["readiness_page"].count == 13


def test_outsider_sees_no_numbers(outsider_client, data):
    response = outsider_client.get(reverse("home"))
    assert "Your account has no role yet" in response.content.decode()
    assert "supplier_count" not in response.context
    assert "assessment_counts" not in response.context


def test_the_gap_list_is_hidden_from_outsiders(outsider_client):
    assert outsider_client.get(reverse("gaps")).status_code == 404


def test_an_unknown_category_lists_every_gap(viewer_client, data):
    response = viewer_client.get(reverse("gaps"), {"category": "nonsense"})
    assert response.context["paginator"].count == 2


# Query counts -------------------------------------------------------------------------------

# Session, the user with the roles' fingerprint, permissions (2), roles and the data's
# fingerprint; follow-ups (5 diligence sources, signature editors, stale suppliers); the
# assessments awaiting the user's decision; suppliers and their signature summaries, models;
# assessments, gaps with the readiness count, the readiness page; coming dates (4); supplier
# requests (the follow-up source and the dashboard's counts).
DASHBOARD_QUERIES = 26


def _more_data(count):
    owner = UserFactory(role="Procurement")
    for index in range(count):
        supplier = SupplierFactory(signatures={"copyright": "signed"})
        Signature.objects.filter(supplier=supplier).update(verified_on=days(-index % 120))
        signature_summaries_refresh(suppliers=[supplier])  # written past the services
        model = GPAIModelFactory(supplier=supplier, placed_on_market=datetime.date(2024, 1, 1))
        assessment = AssessmentFactory(model=model, owner=owner, due_date=days(index % 50 - 10))
        _items(assessment, ["accepted", "gap", "open"], category="copyright")
        EvidenceFactory(item=assessment.items.first(), valid_until=days(index % 40))
        if index % 3 == 0:
            DecisionFactory(assessment=assessment, valid_until=days(index % 30 + 1))


def _count(client, django_assert_max_num_queries):
    """Queries of a dashboard whose figures are not cached yet."""
    cache.clear()
    with django_assert_max_num_queries(DASHBOARD_QUERIES) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_the_data(
    procurement_client, data, django_assert_max_num_queries
):
    _more_data(5)
    small = _count(procurement_client, django_assert_max_num_queries)
    _more_data(60)
    large = _count(procurement_client, django_assert_max_num_queries)
    assert large == small


# Session, the user with the roles' fingerprint, and the data's fingerprint.
CACHED_DASHBOARD_QUERIES = 3


def _figures(client):
    """The dashboard page without its CSRF token, which differs on every request."""
    page = client.get(reverse("home")).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_unchanged_data_is_not_aggregated_again(
    procurement_client, data, django_assert_num_queries
):
    first = _figures(procurement_client)
    with django_assert_num_queries(CACHED_DASHBOARD_QUERIES):
        second = _figures(procurement_client)
    assert second == first


def _archive_supplier(data, by):
    vendor_services.record_archive(record=data["beta"], by=by)


def _signatures_page(supplier, by, **changes):
    """Save the supplier's signature forms as the signatures page does, with these values
    ({"copyright-status": "signed"}) changed."""
    forms = [
        SignatureForm(instance=signature, prefix=signature.chapter)
        for signature in supplier.signatures.order_by("chapter")
    ]
    posted = {
        f"{form.prefix}-{name}": value
        for form in forms
        for name, value in {**form.initial, "verified_on": form.instance.verified_on}.items()
        if value is not None and name in form.fields
    }
    posted.update(changes)
    forms = [SignatureForm(posted, instance=form.instance, prefix=form.prefix) for form in forms]
    assert all(form.is_valid() for form in forms), [form.errors for form in forms]
    vendor_services.signatures_update(forms=forms, by=by)


def _sign_a_chapter(data, by):
    _signatures_page(
        data["beta"],
        by,
        **{
            "copyright-status": "signed",
            "copyright-signed_on": days(-1).isoformat(),
            "copyright-source_url": "https://example.org/signed",
        },
    )


def _check_a_chapter(data, by, supplier="alpha"):
    # Alpha's oldest check, which goes stale in 11 days, leaves the coming dates.
    _signatures_page(data[supplier], by, **{"copyright-verified_on": TODAY.isoformat()})


def _register_snapshot(by):
    """A signatory list, as of yesterday, on which Beta Labs signed every chapter."""
    csv = f"provider,chapters,date,source_url,status,note\nBeta Labs,all,{days(-30)},{LIST},,\n"
    return register_services.register_import(
        data=csv.encode(), filename="list.csv", taken_on=days(-1), source_url=LIST, by=by
    )


def _apply_from_the_register(data, by):
    snapshot = _register_snapshot(by)
    register_services.register_change_apply(
        snapshot=snapshot, supplier=data["beta"], chapter="copyright", by=by
    )


def _apply_all_from_the_register(data, by):
    snapshot = _register_snapshot(by)
    review = register_queries.register_review(snapshot)[1]
    register_services.register_changes_apply_all(
        snapshot=snapshot,
        review=review,
        fingerprint=register_queries.changes_fingerprint(review),
        by=by,
    )


def _create_a_supplier(data, by):
    vendor_services.supplier_create(form=SupplierForm({"name": "Gamma", "country": "DE"}), by=by)


def _mark_a_gap(data, by):
    item = data["draft"].items.filter(status="accepted").first()
    diligence_services.assessment_item_update(
        item=item, data={"status": "gap"}, expected_version=item.version, by=by
    )


def _add_evidence(data, by):
    item = data["draft"].items.filter(status="accepted").first()
    EvidenceFactory(item=item, valid_until=days(3))


def _decide(data, by):
    diligence_services.assessment_decide(
        assessment=data["overdue"], outcome="rejected", conditions="", valid_until=days(30), by=by
    )


def _new_model(data, by):
    GPAIModelFactory(supplier=data["beta"], placed_on_market=datetime.date(2024, 2, 1))


def _lose_the_role(data, by):
    by.groups.clear()


@pytest.mark.parametrize(
    "change",
    [
        _archive_supplier,
        _sign_a_chapter,
        _check_a_chapter,
        _apply_from_the_register,
        _apply_all_from_the_register,
        _create_a_supplier,
        _mark_a_gap,
        _add_evidence,
        _decide,
        _new_model,
        _lose_the_role,
    ],
)
def test_a_change_to_the_data_shows_at_once(change, client, data, checklist_admin_user):
    # A Procurement user of their own, so that losing the role changes only their figures.
    user = UserFactory(role="Procurement")
    client.force_login(user)
    before = _figures(client)
    assert _figures(client) == before
    version = dashboard.data_version()

    change(data, checklist_admin_user if change is _decide else user)

    assert dashboard.data_version() != version
    assert _figures(client) != before


def test_an_undone_register_change_shows_at_once(client, data):
    user = UserFactory(role="Procurement")
    client.force_login(user)
    before = _figures(client)
    _apply_from_the_register(data, user)
    applied = _figures(client)
    assert applied != before

    register_services.register_change_undo(applied=RegisterChange.objects.get(), by=user)

    assert _figures(client) == before


def test_cached_figures_are_kept_apart_by_role(viewer_client, outsider_client, data):
    assert viewer_client.get(reverse("home")).context["supplier_count"] == 2
    assert "supplier_count" not in outsider_client.get(reverse("home")).context


def test_cached_follow_up_counts_are_kept_apart_by_user(procurement_client, viewer_client, data):
    assert viewer_client.get(reverse("home")).context["follow_up_count"] == 0
    assert procurement_client.get(reverse("home")).context["follow_up_count"] == 4
    assert viewer_client.get(reverse("home")).context["follow_up_count"] == 0


# Session, user, permissions (2) and groups; the paginator's count and the gap items.
GAP_LIST_QUERIES = 7


def test_gap_list_queries_do_not_grow_with_gaps(viewer_client, data, django_assert_max_num_queries):
    url = f"{reverse('gaps')}?category=copyright"

    def count():
        viewer_client.get(url)
        with django_assert_max_num_queries(GAP_LIST_QUERIES) as queries:
            assert viewer_client.get(url).status_code == 200
        return len(queries)

    small = count()
    _more_data(30)
    large = count()
    assert large == small
