import pytest
from django.core.management import call_command

from vendors import demo
from vendors.models import GPAIModel, Signature, Supplier

pytestmark = pytest.mark.django_db


def _statuses(name):
    return dict(Supplier.objects.get(name=name).signatures.values_list("chapter", "status"))


def test_load_demo_twice_adds_nothing_the_second_time():
    call_command("load_demo")
    call_command("load_demo")

    assert Supplier.objects.count() == len(demo.SUPPLIERS) == 6
    assert Signature.objects.count() == 3 * len(demo.SUPPLIERS)
    assert GPAIModel.objects.count() == sum(len(s["models"]) for s in demo.SUPPLIERS)
    assert not Supplier.objects.filter(is_demo=False).exists()


def test_load_demo_leaves_a_supplier_with_the_same_name_alone():
    Supplier.objects.create(name="mistral ai", country="FR", notes="Ours.")

    call_command("load_demo")

    mistral = Supplier.objects.get(name__iexact="mistral ai")
    assert (mistral.name, mistral.notes, mistral.is_demo) == ("mistral ai", "Ours.", False)


def test_load_demo_again_keeps_what_people_recorded_since():
    call_command("load_demo")
    Signature.objects.filter(supplier__name="Meta", chapter="copyright").update(
        status="signed", note="Signed on 3 Dec 2025."
    )

    call_command("load_demo")

    assert _statuses("Meta")["copyright"] == "signed"


def test_xai_signed_only_the_safety_and_security_chapter():
    call_command("load_demo")
    assert _statuses("xAI") == {
        "transparency": "not_signed",
        "copyright": "not_signed",
        "safety_security": "signed",
    }


def test_meta_declined_every_chapter():
    call_command("load_demo")
    assert set(_statuses("Meta").values()) == {"declined"}
    assert not Signature.objects.filter(supplier__name="Meta", source_url="").exists()


def test_demo_llama_is_presumed_systemic_by_its_training_compute():
    call_command("load_demo")
    llama = GPAIModel.objects.get(name="Llama")
    assert llama.training_compute_display == "3.8 × 10^25"
    assert llama.has_systemic_risk


def test_demo_signature_checks_are_dated_relative_to_today():
    call_command("load_demo")

    stale = {s.supplier.name for s in Signature.objects.select_related("supplier") if s.is_stale()}
    assert len(stale) == 1  # one supplier to show what a stale check looks like
    assert Supplier.objects.count() - len(stale) == 5
