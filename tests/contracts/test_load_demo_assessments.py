"""The demo has assessments in every state, with evidence and a generated document."""

import pytest
from django.core.management import call_command

from contracts.models import Document
from diligence.models import Assessment, Evidence

pytestmark = pytest.mark.django_db


def test_demo_assessments_in_every_state_once(settings, tmp_path):
    settings.DEBUG = True
    settings.BASE_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo")
    call_command("create_demo_users")

    call_command("load_demo_assessments")
    call_command("load_demo_assessments")

    states = dict(Assessment.objects.values_list("reference", "status"))
    assert states == {
        "DEMO-DRAFT": "draft",
        "DEMO-IN-REVIEW": "in_review",
        "DEMO-DECIDED": "decided",
    }
    assert Assessment.objects.get(reference="DEMO-IN-REVIEW").reviewer.username == "reviewer"
    assert Evidence.objects.count() == 3
    assert Document.objects.filter(assessment__reference="DEMO-DECIDED").count() == 1
