"""Checklist curation in the Django admin."""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry
from diligence import services
from diligence.models import (
    Checklist,
    ChecklistStatus,
)
from tests.diligence.views.support import (
    _page,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for_checklists(checklist_admin_user):
    # Checklist admins are staff: they curate the checklist in the Django admin.
    checklist_admin_user.is_staff = True
    checklist_admin_user.save()
    client = Client()
    client.force_login(checklist_admin_user)
    return client


def test_checklist_admin_opens_the_checklist_changelist(admin_client_for_checklists):
    response = admin_client_for_checklists.get(reverse("admin:diligence_checklist_changelist"))

    assert response.status_code == 200
    assert [str(c) for c in response.context["cl"].result_list] == [
        "Default checklist v1 (published)"
    ]


def test_published_checklist_is_read_only_in_the_admin(admin_client_for_checklists, reviewer):
    published = services.latest_published_checklist()
    draft = services.checklist_new_draft(source=published, by=reviewer)

    published_page = admin_client_for_checklists.get(
        reverse("admin:diligence_checklist_change", args=[published.pk])
    )
    draft_page = admin_client_for_checklists.get(
        reverse("admin:diligence_checklist_change", args=[draft.pk])
    )

    assert published_page.status_code == 200
    assert 'name="_save"' not in _page(published_page)
    assert published_page.context["has_change_permission"] is False
    assert 'name="_save"' in _page(draft_page)


def test_saving_a_published_checklist_in_the_admin_is_refused(admin_client_for_checklists):
    published = services.latest_published_checklist()

    response = admin_client_for_checklists.post(
        reverse("admin:diligence_checklist_change", args=[published.pk]),
        {"name": "Renamed", "notes": ""},
    )

    assert response.status_code == 403
    published.refresh_from_db()
    assert published.name == "Default checklist"


def _run_admin_action(client, action, checklist, **confirmation):
    url = reverse("admin:diligence_checklist_changelist")
    choices = dict(client.get(url).context["action_form"].fields["action"].choices)
    assert action in choices
    data = {"action": action, "_selected_action": [checklist.pk], "index": 0, **confirmation}
    return client.post(url, data, follow=True)


def test_admin_actions_make_a_new_draft_and_publish_it(admin_client_for_checklists):
    v1 = services.latest_published_checklist()

    _run_admin_action(admin_client_for_checklists, "new_draft", v1)
    draft = Checklist.objects.get(version=2)
    assert (draft.status, draft.items.count()) == (ChecklistStatus.DRAFT, 56)
    asked = _run_admin_action(admin_client_for_checklists, "publish", draft)
    draft.refresh_from_db()
    assert draft.status == ChecklistStatus.DRAFT
    assert "Yes, publish" in _page(asked)
    response = _run_admin_action(admin_client_for_checklists, "publish", draft, post="yes")

    draft.refresh_from_db()
    assert draft.status == ChecklistStatus.PUBLISHED
    assert "Default checklist v2 (draft): published" in _page(response)


def test_admin_publish_action_refuses_a_published_version(admin_client_for_checklists):
    v1 = services.latest_published_checklist()

    response = _run_admin_action(admin_client_for_checklists, "publish", v1)

    assert "Only a draft can be published." in _page(response)
    assert not AuditEntry.objects.filter(action="checklist_published").exists()
