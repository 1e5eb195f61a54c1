"""Each supplier's signature summary: what it says, and that every way of writing signatures
keeps it equal to the signatures it sums up."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.api.conftest import api_client
from tests.factories import SupplierFactory, UserFactory
from vendors import services
from vendors.forms import SignatureForm, SupplierForm
from vendors.models import RegisterChange, Signature, SignatureSummary, Supplier
from vendors.register import queries as register_queries
from vendors.register import services as register_services
from vendors.summaries import (
    FIELDS,
    signature_summaries_rebuild,
    signature_summaries_refresh,
    stale_summary,
    summarise,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
LIST = "https://digital-strategy.ec.europa.eu/en/policies/contents-code-gpai"


def days(n):
    return TODAY + datetime.timedelta(days=n)


def _stored():
    fields = [name if name != "last_verifier" else "last_verifier_id" for name in FIELDS]
    return {
        row.pop("supplier_id"): row
        for row in SignatureSummary.objects.values("supplier_id", *fields)
    }


def _in_line():
    """The stored summaries are those summed up from the signatures as they are now."""
    assert _stored() == summarise(Signature.objects.all())


def _check(supplier, chapter, on, by):
    Signature.objects.filter(supplier=supplier, chapter=chapter).update(
        verified_on=on, verified_by=by
    )


def test_a_summary_says_each_chapters_status_and_what_the_checks_say():
    first, second = UserFactory(), UserFactory()
    supplier = SupplierFactory(signatures={"transparency": "signed", "copyright": "declined"})
    _check(supplier, "transparency", days(-30), first)
    _check(supplier, "copyright", days(-10), second)
    # Checked without a date: it counts as the oldest check, not the most recent.
    _check(supplier, "safety_security", None, first)

    summary = summarise(Signature.objects.filter(supplier=supplier))[supplier.pk]

    assert summary == {
        "transparency": "signed",
        "copyright": "declined",
        "safety_security": "unknown",
        "never_checked": True,
        "oldest_check": days(-30),
        "last_verifier_id": second.pk,
    }


def test_of_two_checks_on_one_day_the_later_recorded_is_the_most_recent():
    first, second = UserFactory(), UserFactory()
    supplier = SupplierFactory()
    for chapter, user in [
        ("transparency", first),
        ("copyright", second),
        ("safety_security", None),
    ]:
        _check(supplier, chapter, days(-5), user)

    summary = summarise(Signature.objects.filter(supplier=supplier))[supplier.pk]

    assert (summary["never_checked"], summary["oldest_check"]) == (False, days(-5))
    assert summary["last_verifier_id"] == second.pk  # the copyright row was created after


@pytest.mark.parametrize(
    ("checked", "stale"),
    [
        ([None, days(-1), days(-1)], True),  # a chapter never checked
        ([days(-1)] * 3, False),
        ([days(-1), days(-90), days(-1)], False),  # 90 days old: stale from tomorrow
        ([days(-1), days(-91), days(-1)], True),
        ([days(-400)] * 3, True),
    ],
)
def test_a_supplier_is_stale_from_its_summary_as_its_signatures_say(checked, stale, settings):
    settings.SIGNATURE_STALE_AFTER_DAYS = 90
    supplier = SupplierFactory()
    for chapter, on in zip(["transparency", "copyright", "safety_security"], checked, strict=True):
        _check(supplier, chapter, on, None)
    signature_summaries_refresh(suppliers=[supplier])

    by_rows = any(signature.is_stale(TODAY) for signature in supplier.signatures.all())
    from_summary = SignatureSummary.objects.filter(stale_summary(TODAY), supplier=supplier).exists()
    assert by_rows == from_summary == stale


def test_the_rebuild_sums_up_signatures_written_past_the_services():
    user = UserFactory()
    suppliers = [SupplierFactory(signatures={"copyright": "signed"}) for _ in range(3)]
    Signature.objects.filter(supplier=suppliers[0]).update(verified_on=days(-3), verified_by=user)
    Signature.objects.filter(supplier=suppliers[1], chapter="copyright").update(status="withdrawn")
    SignatureSummary.objects.filter(supplier=suppliers[2]).delete()

    signature_summaries_rebuild()

    _in_line()
    assert SignatureSummary.objects.count() == 3


def test_creating_a_supplier_summarises_its_signatures():
    user = UserFactory(role="Procurement")
    supplier = services.supplier_create(
        form=SupplierForm({"name": "Gamma", "country": "DE"}), by=user
    )

    _in_line()
    assert SignatureSummary.objects.get(supplier=supplier).never_checked


def test_saving_the_signatures_page_keeps_the_summary_in_line(procurement_client, form_data):
    supplier = SupplierFactory(signatures={"copyright": "signed"})
    url = reverse("vendors:signatures_edit", args=[supplier.pk])
    data = form_data(*procurement_client.get(url).context["forms"])
    data.update({"transparency-status": "declined", "transparency-source_url": LIST})

    assert procurement_client.post(url, data).status_code == 302

    _in_line()
    summary = SignatureSummary.objects.get(supplier=supplier)
    assert (summary.transparency, summary.oldest_check) == ("declined", TODAY)


def test_the_api_keeps_the_summary_in_line(procurement_user):
    supplier = SupplierFactory()
    url = reverse("api:signature_detail", kwargs={"pk": supplier.pk, "chapter": "copyright"})
    client = api_client(procurement_user)
    response = client.patch(
        url,
        {"status": "not_signed", "source_url": LIST, "verified_on": TODAY.isoformat()},
        format="json",
        HTTP_IF_MATCH=client.get(url)["ETag"],
    )

    assert response.status_code == 200, response.content
    _in_line()
    assert SignatureSummary.objects.get(supplier=supplier).copyright == "not_signed"


def _snapshot(user):
    csv = (
        "provider,chapters,date,source_url,status,note\n"
        f"Mistral AI SAS,all,{days(-30)},{LIST},,\n"
        f"xAI,safety_security,{days(-30)},{LIST},signed,\n"
    )
    return register_services.register_import(
        data=csv.encode(), filename="list.csv", taken_on=days(-1), source_url=LIST, by=user
    )


def test_applying_and_undoing_a_change_from_the_register_keep_the_summary_in_line():
    user = UserFactory(role="Procurement")
    mistral = SupplierFactory(name="Mistral AI")
    snapshot = _snapshot(user)

    register_services.register_change_apply(
        snapshot=snapshot, supplier=mistral, chapter="copyright", by=user
    )
    _in_line()
    summary = SignatureSummary.objects.get(supplier=mistral)
    assert (summary.copyright, summary.last_verifier_id) == ("signed", user.pk)

    register_services.register_change_undo(applied=RegisterChange.objects.get(), by=user)
    _in_line()
    assert SignatureSummary.objects.get(supplier=mistral).copyright == "unknown"


def test_applying_every_change_from_the_register_keeps_the_summaries_in_line():
    user = UserFactory(role="Procurement")
    SupplierFactory(name="Mistral AI")
    SupplierFactory(name="xAI", signatures=False)  # its signature rows are created
    SupplierFactory(name="Gone AI", signatures={"copyright": "signed"})
    snapshot = _snapshot(user)
    review = register_queries.register_review(snapshot)[1]

    applied = register_services.register_changes_apply_all(
        snapshot=snapshot,
        review=review,
        fingerprint=register_queries.changes_fingerprint(review),
        by=user,
    )

    assert len(applied) > 3
    _in_line()
    assert SignatureSummary.objects.get(supplier__name="xAI").safety_security == "signed"


def test_editing_signatures_in_the_admin_keeps_the_summary_in_line(client, form_data):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    supplier = SupplierFactory()
    url = reverse("admin:vendors_supplier_change", args=[supplier.pk])
    context = client.get(url).context
    formset = context["inline_admin_formsets"][0].formset
    data = form_data(context["adminform"].form, formset.management_form, *formset.forms)
    index = next(i for i, form in enumerate(formset.forms) if form.instance.chapter == "copyright")
    data.update(
        {
            f"signatures-{index}-status": "declined",
            f"signatures-{index}-source_url": LIST,
            f"signatures-{index}-verified_on": days(-2).isoformat(),
        }
    )

    assert client.post(url, data).status_code == 302

    _in_line()
    summary = SignatureSummary.objects.get(supplier=supplier)
    assert (summary.copyright, summary.oldest_check) == ("declined", days(-2))


def test_loading_the_demo_summarises_its_signatures():
    call_command("load_demo", verbosity=0)

    _in_line()
    assert SignatureSummary.objects.count() == Supplier.objects.filter(is_demo=True).count() > 0


def test_a_summary_left_behind_is_corrected_by_the_next_change(procurement_user):
    supplier = SupplierFactory()
    SignatureSummary.objects.filter(supplier=supplier).update(copyright="signed")
    signature = supplier.signatures.get(chapter="transparency")
    form = SignatureForm(
        {"status": "not_signed", "source_url": LIST, "verified_on": TODAY.isoformat()},
        instance=signature,
    )
    assert form.is_valid(), form.errors

    services.signatures_update(forms=[form], by=procurement_user)

    _in_line()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refresh_outside_any_transaction_runs_in_one_of_its_own():
    """A script or a test without a transaction: the rows are still locked, in a transaction
    the refresh opens itself (PostgreSQL refuses a lock outside one)."""
    supplier = SupplierFactory(signatures={"copyright": "signed"})
    Signature.objects.filter(supplier=supplier, chapter="copyright").update(status="withdrawn")

    signature_summaries_refresh(suppliers=[supplier])

    assert SignatureSummary.objects.get(supplier=supplier).copyright == "withdrawn"
    _in_line()
