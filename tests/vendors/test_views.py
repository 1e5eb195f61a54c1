import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.formats import date_format

from core.models import AuditEntry
from tests.factories import GPAIModelFactory, SupplierFactory, UserFactory
from vendors.models import GPAIModel, Signature, Supplier

pytestmark = pytest.mark.django_db

READ_PAGES = ["supplier_list", "supplier_detail", "model_detail"]
WRITE_PAGES = [
    "supplier_create",
    "supplier_update",
    "signatures_edit",
    "model_create",
    "model_update",
]
WRITE_ACTIONS = ["supplier_archive", "model_archive"]
READ_ONLY_ROLES = ["viewer_client", "legal_client", "checklist_admin_client"]

# A valid submission for each write view: if access were not checked, it would be saved.
VALID_POSTS = {
    "supplier_create": {"name": "Cohere", "country": "CA"},
    "supplier_update": {"name": "Mistral AI SAS", "country": "FR"},
    "signatures_edit": {
        "transparency-status": "not_signed",
        "copyright-status": "unknown",
        "safety_security-status": "unknown",
    },
    "model_create": {"name": "Codestral", "version": "1", "systemic_risk_status": "unknown"},
    "model_update": {"name": "Mistral Large", "version": "3", "systemic_risk_status": "unknown"},
    "supplier_archive": {},
    "model_archive": {},
}


@pytest.fixture
def supplier():
    return SupplierFactory(name="Mistral AI", country="FR")


@pytest.fixture
def gpai_model(supplier):
    return GPAIModelFactory(supplier=supplier, name="Mistral Large", version="2")


@pytest.fixture
def url_for(supplier, gpai_model):
    args = {
        "supplier_list": [],
        "supplier_create": [],
        "supplier_detail": [supplier.pk],
        "supplier_update": [supplier.pk],
        "supplier_archive": [supplier.pk],
        "signatures_edit": [supplier.pk],
        "model_create": [supplier.pk],
        "model_detail": [gpai_model.pk],
        "model_update": [gpai_model.pk],
        "model_archive": [gpai_model.pk],
    }
    return lambda name: reverse(f"vendors:{name}", args=args[name])


def _history_rows():
    """Every write to the register leaves a history row; counting them shows whether one happened."""
    return Supplier.history.count() + GPAIModel.history.count() + Signature.history.count()


# Access: the allowed role, the read-only roles, an outsider and a visitor who is not signed in.


@pytest.mark.parametrize("page", READ_PAGES + WRITE_PAGES)
def test_procurement_can_open_every_page(procurement_client, url_for, page):
    assert procurement_client.get(url_for(page)).status_code == 200


@pytest.mark.parametrize("view", WRITE_PAGES + WRITE_ACTIONS)
def test_procurement_can_submit_every_write_view(procurement_client, url_for, view):
    before = _history_rows()

    response = procurement_client.post(url_for(view), VALID_POSTS[view])

    assert response.status_code == 302
    assert _history_rows() > before


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
@pytest.mark.parametrize("view", WRITE_PAGES + WRITE_ACTIONS)
def test_read_only_roles_get_403_when_submitting_and_nothing_is_saved(request, url_for, role, view):
    client = request.getfixturevalue(role)
    before = _history_rows()

    response = client.post(url_for(view), VALID_POSTS[view])

    assert response.status_code == 403
    assert _history_rows() == before


@pytest.mark.parametrize("page", READ_PAGES + WRITE_PAGES)
def test_outsider_gets_404_for_every_page(outsider_client, url_for, page):
    assert outsider_client.get(url_for(page)).status_code == 404


@pytest.mark.parametrize("view", WRITE_PAGES + WRITE_ACTIONS)
def test_outsider_gets_404_when_submitting_and_nothing_is_saved(outsider_client, url_for, view):
    before = _history_rows()

    response = outsider_client.post(url_for(view), VALID_POSTS[view])

    assert response.status_code == 404
    assert _history_rows() == before


@pytest.mark.parametrize("page", READ_PAGES + WRITE_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, url_for, page):
    response = client.get(url_for(page))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url_for(page)}"


@pytest.mark.parametrize("view", WRITE_ACTIONS)
def test_anonymous_visitor_cannot_archive(client, url_for, view):
    response = client.post(url_for(view))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not AuditEntry.objects.exists()


def test_user_who_may_change_suppliers_but_not_signatures_gets_403_for_signatures(client, supplier):
    user = UserFactory()
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="vendors",
            codename__in=["view_supplier", "change_supplier", "view_signature"],
        )
    )
    client.force_login(user)
    url = reverse("vendors:signatures_edit", args=[supplier.pk])

    response = client.post(url, VALID_POSTS["signatures_edit"])

    assert response.status_code == 403
    assert not supplier.signatures.filter(status="not_signed").exists()


@pytest.mark.parametrize("view", WRITE_ACTIONS)
def test_archive_is_post_only(procurement_client, url_for, view):
    assert procurement_client.get(url_for(view)).status_code == 405


# Archiving


def _names(response):
    return [supplier["name"] for supplier in response.context["object_list"]]


def test_archived_supplier_leaves_the_default_list(procurement_client, supplier):
    other = SupplierFactory(name="Aleph Alpha")
    procurement_client.post(reverse("vendors:supplier_archive", args=[supplier.pk]))

    response = procurement_client.get(reverse("vendors:supplier_list"))

    assert _names(response) == [other.name]


def test_archived_filter_shows_archived_suppliers(procurement_client, supplier):
    procurement_client.post(reverse("vendors:supplier_archive", args=[supplier.pk]))

    response = procurement_client.get(reverse("vendors:supplier_list"), {"archived": "on"})

    assert _names(response) == ["Mistral AI"]
    assert "Archived" in response.content.decode()


def test_archiving_a_supplier_is_audited_and_shown_on_its_page(
    procurement_client, procurement_user, supplier
):
    response = procurement_client.post(
        reverse("vendors:supplier_archive", args=[supplier.pk]), follow=True
    )

    supplier.refresh_from_db()
    assert supplier.is_archived
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target) == (procurement_user, "archived", supplier)
    assert response.context["supplier"] == supplier
    assert "Supplier “Mistral AI” archived." in response.content.decode()
    assert entry.summary in response.content.decode()


def test_restoring_a_supplier_brings_it_back_to_the_list(procurement_client, supplier):
    url = reverse("vendors:supplier_archive", args=[supplier.pk])
    procurement_client.post(url)

    procurement_client.post(url, {"restore": "1"})

    supplier.refresh_from_db()
    assert not supplier.is_archived
    assert _names(procurement_client.get(reverse("vendors:supplier_list"))) == ["Mistral AI"]
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["restored", "archived"]


def test_archived_model_is_listed_apart_and_not_counted(procurement_client, supplier, gpai_model):
    kept = GPAIModelFactory(supplier=supplier, name="Mistral Small")

    procurement_client.post(reverse("vendors:model_archive", args=[gpai_model.pk]))

    detail = procurement_client.get(supplier.get_absolute_url())
    assert detail.context["active_models"] == [kept]
    assert detail.context["archived_models"] == [gpai_model]
    listed = procurement_client.get(reverse("vendors:supplier_list")).context["object_list"]
    assert listed[0]["model_count"] == 1


# History


def test_supplier_page_shows_who_changed_which_field(procurement_client, supplier, form_data):
    url = reverse("vendors:supplier_update", args=[supplier.pk])
    data = form_data(procurement_client.get(url).context["form"])
    procurement_client.post(url, {**data, "name": "Mistral", "country": "DE"})

    response = procurement_client.get(supplier.get_absolute_url())

    latest = response.context["history"][0]
    assert (latest.subject, latest.kind, latest.who) == (
        "Supplier",
        "changed",
        "procurement",
    )
    assert latest.fields == [("Name", "Mistral AI", "Mistral"), ("Country", "France", "Germany")]
    assert "Mistral AI</del> → <ins>Mistral</ins>" in response.content.decode()


def test_supplier_page_shows_signature_changes(procurement_client, form_data):
    procurement_client.post(reverse("vendors:supplier_create"), {"name": "Meta", "country": "US"})
    supplier = Supplier.objects.get(name="Meta")
    url = reverse("vendors:signatures_edit", args=[supplier.pk])
    data = form_data(*procurement_client.get(url).context["forms"])
    data.update({"copyright-status": "declined", "copyright-source_url": "https://example.org/"})
    procurement_client.post(url, data)

    history = procurement_client.get(supplier.get_absolute_url()).context["history"]

    copyright = next(change for change in history if change.subject == "Signature: Copyright")
    assert copyright.fields == [
        ("Status", "Unknown", "Declined"),
        ("Source", "—", "https://example.org/"),
        # The form offers today as the date verified.
        ("Date verified", "—", date_format(datetime.date.today(), "j M Y")),
    ]


def test_model_page_shows_changes(procurement_client, gpai_model, form_data):
    url = reverse("vendors:model_update", args=[gpai_model.pk])
    data = form_data(procurement_client.get(url).context["form"])
    procurement_client.post(url, {**data, "systemic_risk_status": "notified"})

    response = procurement_client.get(gpai_model.get_absolute_url())

    latest = response.context["history"][0]
    assert (latest.subject, latest.kind) == ("Model", "changed")
    assert latest.fields == [("Systemic risk status", "Unknown", "Notified by the provider")]


# Supplier list: filters, sorting and pages


@pytest.fixture
def register():
    """Six suppliers that differ in country, signatures and models."""
    mistral = SupplierFactory(
        name="Mistral AI",
        country="FR",
        signatures=dict.fromkeys(["transparency", "copyright", "safety_security"], "signed"),
    )
    GPAIModelFactory.create_batch(2, supplier=mistral, systemic_risk_status="not_systemic")
    SupplierFactory(
        name="Aleph Alpha",
        legal_name="Aleph Alpha GmbH",
        country="DE",
        signatures={"copyright": "signed"},
    )
    openai = SupplierFactory(name="OpenAI", country="US")
    GPAIModelFactory(supplier=openai, systemic_risk_status="notified")
    xai = SupplierFactory(
        name="xAI",
        country="US",
        signatures={
            "transparency": "not_signed",
            "copyright": "not_signed",
            "safety_security": "signed",
        },
    )
    GPAIModelFactory(supplier=xai, training_compute_flop=5 * 10**25)
    SupplierFactory(name="Nordic LM", country="NO")
    swiss = SupplierFactory(name="Swiss AI", country="CH")
    GPAIModelFactory(
        supplier=swiss,
        systemic_risk_status="designated",
        archived_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({}, ["Aleph Alpha", "Mistral AI", "Nordic LM", "OpenAI", "Swiss AI", "xAI"]),
        ({"q": "mistral"}, ["Mistral AI"]),
        ({"q": "gmbh"}, ["Aleph Alpha"]),
        ({"country": "US"}, ["OpenAI", "xAI"]),
        ({"region": "eu"}, ["Aleph Alpha", "Mistral AI", "Nordic LM"]),
        ({"region": "non_eu"}, ["OpenAI", "Swiss AI", "xAI"]),
        ({"copyright": "signed"}, ["Aleph Alpha", "Mistral AI"]),
        ({"safety_security": "signed"}, ["Mistral AI", "xAI"]),
        ({"transparency": "not_signed"}, ["xAI"]),
        ({"systemic": "yes"}, ["OpenAI", "xAI"]),
        ({"systemic": "no"}, ["Aleph Alpha", "Mistral AI", "Nordic LM", "Swiss AI"]),
        ({"region": "non_eu", "systemic": "yes", "safety_security": "signed"}, ["xAI"]),
        (
            {"sort": "-name"},
            ["xAI", "Swiss AI", "OpenAI", "Nordic LM", "Mistral AI", "Aleph Alpha"],
        ),
        (
            {"sort": "country"},
            ["Swiss AI", "Aleph Alpha", "Mistral AI", "Nordic LM", "OpenAI", "xAI"],
        ),
    ],
    ids=lambda value: (
        "&".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else None
    ),
)
def test_supplier_list_filters_and_sorts(viewer_client, register, query, names):
    response = viewer_client.get(reverse("vendors:supplier_list"), query)
    assert _names(response) == names


def test_supplier_list_sorts_by_number_of_active_models(viewer_client, register):
    response = viewer_client.get(reverse("vendors:supplier_list"), {"sort": "-model_count"})
    counts = [(s["name"], s["model_count"]) for s in response.context["object_list"]]
    assert counts[0] == ("Mistral AI", 2)
    assert dict(counts)["Swiss AI"] == 0


def test_supplier_list_shows_signatures_in_chapter_order(viewer_client, register):
    response = viewer_client.get(reverse("vendors:supplier_list"), {"q": "xai"})
    [xai] = response.context["object_list"]
    assert xai["badges"] == [
        '<span class="badge rounded-pill chapter-badge status-not_signed" '
        'title="Transparency: Not signed">Transparency: Not signed</span>',
        '<span class="badge rounded-pill chapter-badge status-not_signed" '
        'title="Copyright: Not signed">Copyright: Not signed</span>',
        '<span class="badge rounded-pill chapter-badge status-signed" '
        'title="Safety and Security: Signed">Safety and Security: Signed</span>',
    ]


def test_supplier_list_pages_keep_the_filters(viewer_client):
    SupplierFactory.create_batch(27, country="US")
    SupplierFactory(country="FR")
    url = reverse("vendors:supplier_list")

    first = viewer_client.get(url, {"country": "US"})
    second = viewer_client.get(url, {"country": "US", "page": 2})

    assert len(first.context["object_list"]) == 25
    assert len(second.context["object_list"]) == 2
    assert 'href="?country=US&amp;page=2"' in first.content.decode()
    assert "27 suppliers" in first.content.decode()


# What the detail pages say


def test_supplier_page_asks_for_a_representative_of_a_non_eu_provider(viewer_client):
    supplier = SupplierFactory(name="OpenAI", country="US")
    GPAIModelFactory(supplier=supplier)

    response = viewer_client.get(supplier.get_absolute_url())

    assert response.context["representative_needed"] is True
    assert "Needed but not recorded" in response.content.decode()


def test_supplier_page_needs_no_representative_for_an_eu_provider(viewer_client, gpai_model):
    response = viewer_client.get(gpai_model.supplier.get_absolute_url())
    assert response.context["representative_needed"] is False
    assert "Needed but not recorded" not in response.content.decode()


def test_model_page_shows_the_systemic_risk_presumption(viewer_client):
    model = GPAIModelFactory(training_compute_flop=38 * 10**24)

    response = viewer_client.get(model.get_absolute_url())

    systemic = response.context["derived"][0]
    assert (systemic.label, systemic.value) == ("Systemic risk", True)
    page = response.content.decode()
    assert "3.8 × 10^25 FLOP" in page
    assert "high-impact capabilities, and with them systemic risk, are presumed" in page


def test_read_only_roles_see_no_edit_buttons(viewer_client, gpai_model):
    supplier_page = viewer_client.get(gpai_model.supplier.get_absolute_url()).content.decode()
    model_page = viewer_client.get(gpai_model.get_absolute_url()).content.decode()

    assert reverse("vendors:signatures_edit", args=[gpai_model.supplier.pk]) not in supplier_page
    assert reverse("vendors:supplier_archive", args=[gpai_model.supplier.pk]) not in supplier_page
    assert reverse("vendors:model_update", args=[gpai_model.pk]) not in model_page


def test_an_invalid_filter_value_keeps_the_other_filters(viewer_client):
    SupplierFactory(name="Mistral AI", country="FR")
    SupplierFactory(name="OpenAI", country="US")

    response = viewer_client.get(
        reverse("vendors:supplier_list"), {"q": "mistral", "country": "XX"}
    )

    assert _names(response) == ["Mistral AI"]


def test_models_cannot_be_added_to_an_archived_supplier(procurement_client, supplier):
    procurement_client.post(reverse("vendors:supplier_archive", args=[supplier.pk]))
    url = reverse("vendors:model_create", args=[supplier.pk])

    response = procurement_client.post(
        url, {"name": "Late model", "systemic_risk_status": "unknown"}
    )

    assert response.url == supplier.get_absolute_url()
    assert not GPAIModel.objects.filter(name="Late model").exists()


# Unknown stays unknown; what the law lets happen; EU, not EEA


def _fact(response, label):
    return next(fact for fact in response.context["derived"] if fact.label == label)


def test_model_page_says_undetermined_and_why_the_exemption_cannot_be_decided(viewer_client):
    model = GPAIModelFactory(
        open_licence=True, weights_public=True, architecture_public=True, usage_info_public=True
    )

    response = viewer_client.get(model.get_absolute_url())

    assert _fact(response, "Systemic risk").value is None
    exemption = _fact(response, "Open-source exemption")
    assert exemption.value is None
    assert "Cannot be decided yet" in exemption.explanation
    page = response.content.decode()
    assert page.count("Undetermined") >= 2
    assert "Cannot be decided yet" in page


def test_model_page_warns_when_not_systemic_is_recorded_above_the_threshold(viewer_client):
    model = GPAIModelFactory(training_compute_flop=3 * 10**25, systemic_risk_status="not_systemic")

    response = viewer_client.get(model.get_absolute_url())

    assert _fact(response, "Systemic risk").value is True
    assert "the presumption still applies unless the Commission accepted a rebuttal" in (
        response.content.decode()
    )


def test_model_page_explains_a_modification_and_what_is_not_verified(viewer_client):
    original = GPAIModelFactory(name="Base", training_compute_flop=3 * 10**24)
    model = GPAIModelFactory(modification_of=original, modification_compute_flop=2 * 10**24)

    response = viewer_client.get(model.get_absolute_url())

    finding = _fact(response, "Provider of a new model (modification)")
    assert finding.value is True
    assert "cover only the modification" in finding.explanation
    page = response.content.decode()
    assert "Not verified:" in page
    assert original.get_absolute_url() in page


def test_a_norwegian_provider_needs_a_representative_unless_configured(viewer_client, settings):
    model = GPAIModelFactory(supplier=SupplierFactory(country="NO"), training_compute_flop=10**24)

    response = viewer_client.get(model.get_absolute_url())
    representative = _fact(response, "Authorised representative needed")
    assert representative.value is True
    assert "EEA Agreement" in representative.note
    assert "AI_ACT_EEA_AS_UNION" in response.content.decode()

    settings.AI_ACT_EEA_AS_UNION = True
    response = viewer_client.get(model.get_absolute_url())
    assert _fact(response, "Authorised representative needed").value is False


def test_supplier_page_shows_each_models_systemic_risk_as_yes_no_or_undetermined(viewer_client):
    supplier = SupplierFactory()
    GPAIModelFactory(supplier=supplier, name="Known", training_compute_flop=10**24)
    GPAIModelFactory(supplier=supplier, name="Unknown")
    GPAIModelFactory(supplier=supplier, name="Notified", systemic_risk_status="notified")

    page = viewer_client.get(supplier.get_absolute_url()).content.decode()

    cells = re.findall(r'data-label="Systemic risk">(.*?)</td>', page)
    assert [re.sub(r"<[^>]+>", "", cell) for cell in cells] == ["No", "Yes", "Undetermined"]
