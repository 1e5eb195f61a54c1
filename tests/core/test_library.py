"""The versioned library shared by the checklist and the clause library: publishing with
confirmation, retiring, and the differences between two versions, in the services and the admin.
"""

import csv
import io
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from contracts.models import Clause, ClauseLibrary
from core.library import services
from core.library.diff import library_diff
from core.library.models import LibraryStatus
from core.models import AuditEntry
from core.roles import CHECKLIST_ADMIN
from diligence.models import Checklist
from tests.factories import ChecklistItemFactory, UserFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Library:
    model: type
    audit_name: str
    added: str  # the row the test draft adds
    removed: str  # a row of version 1 the test draft drops
    edited: str  # a row of version 1 the test draft changes
    edit: dict  # the change, as model fields
    shown: list  # [(label, old, new)] the comparison shows for it
    published: int  # the version the data migrations leave published

    def add_row(self, draft):
        if self.model is Checklist:
            return ChecklistItemFactory(checklist=draft, code=self.added, title="Energy use")
        return Clause.objects.create(
            library=draft,
            key=self.added,
            title="Warranty",
            body="The Supplier warrants the Model.",
            category="general",
            legal_basis="Contractual",
            trigger_kind="always",
            order=999,
        )

    @property
    def changelist(self):
        return reverse(
            f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_changelist"
        )

    def differences(self, library):
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_differences", args=[library.pk])


CHECKLIST = Library(
    model=Checklist,
    audit_name="checklist",
    added="DOC-99",
    removed="DOC-03",
    edited="DOC-01",
    edit={"title": "GPAI model status", "required": True},
    shown=[
        ("Title", "General-purpose AI model, and who provides it", "GPAI model status"),
        ("Required", "no", "yes"),
    ],
    published=2,
)
CLAUSES = Library(
    model=ClauseLibrary,
    audit_name="clause_library",
    added="warranty",
    removed="suspension",
    edited="audit-rights",
    edit={"category": "remedies", "active": False},
    shown=[
        ("Category", "Compliance and cooperation", "Remedies and liability"),
        ("Active", "yes", "no"),
    ],
    published=3,
)
LIBRARIES = pytest.mark.parametrize("library", [CHECKLIST, CLAUSES], ids=["checklist", "clauses"])


@pytest.fixture
def curator(db):
    return UserFactory(username="curator", role=CHECKLIST_ADMIN, is_staff=True)


@pytest.fixture
def curator_client(curator):
    client = Client()
    client.force_login(curator)
    return client


def _default(library):
    """The version the tests start from: the published default (older ones are retired)."""
    return library.model.objects.get(version=library.published)


def _changed_draft(library, by):
    draft = services.library_new_draft(source=_default(library), by=by)
    rows = draft.child_rows()
    rows.filter(**{library.model.child_key: library.removed}).delete()
    rows.filter(**{library.model.child_key: library.edited}).update(**library.edit)
    library.add_row(draft)
    return draft


def _action(client, library, action, selected, **confirmation):
    data = {"action": action, "_selected_action": [s.pk for s in selected], **confirmation}
    return client.post(library.changelist, data, follow=True)


# Services ----------------------------------------------------------------------------------


@LIBRARIES
def test_publishing_with_retire_replaced_retires_the_older_published_version(library, curator):
    draft = _changed_draft(library, curator)

    services.library_publish(library=draft, by=curator, retire_replaced=True)

    assert _default(library).status == LibraryStatus.RETIRED
    assert library.model.objects.get(pk=draft.pk).status == LibraryStatus.PUBLISHED
    assert services.latest_published(library.model) == draft
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {f"{library.audit_name}_published", f"{library.audit_name}_retired"} <= actions


@LIBRARIES
def test_publishing_alone_leaves_the_older_version_published(library, curator):
    draft = _changed_draft(library, curator)

    services.library_publish(library=draft, by=curator)

    assert _default(library).status == LibraryStatus.PUBLISHED
    assert services.replaced_versions(library.model.objects.get(pk=draft.pk)) == [_default(library)]


@LIBRARIES
def test_a_refused_publication_retires_nothing(library, curator):
    empty = library.model.objects.create(name="Empty", version=9)

    with pytest.raises(ValidationError, match="cannot be published"):
        services.library_publish(library=empty, by=curator, retire_replaced=True)

    assert _default(library).status == LibraryStatus.PUBLISHED


# Differences -------------------------------------------------------------------------------


@LIBRARIES
def test_diff_lists_rows_added_removed_and_changed_field_by_field(library, curator):
    draft = _changed_draft(library, curator)

    diff = library_diff(_default(library), draft)

    key = library.model.child_key
    assert [getattr(row, key) for row in diff.added] == [library.added]
    assert [getattr(row, key) for row in diff.removed] == [library.removed]
    [changed] = diff.changed
    assert changed.key == library.edited
    assert [(c.label, c.old, c.new) for c in changed.fields] == library.shown
    assert diff.unchanged == _default(library).child_rows().count() - 2
    assert diff.summary == "1 added, 1 removed, 1 changed"


@LIBRARIES
def test_a_fresh_copy_has_no_differences(library, curator):
    draft = services.library_new_draft(source=_default(library), by=curator)

    diff = library_diff(_default(library), draft)

    assert diff.is_empty
    assert diff.summary == "no differences"


@LIBRARIES
def test_admin_shows_two_versions_side_by_side(library, curator, curator_client):
    draft = _changed_draft(library, curator)

    response = curator_client.get(library.differences(draft))

    assert response.status_code == 200
    assert response.context["against"] == _default(library)
    page = response.content.decode()
    label, old, new = library.shown[0]
    assert f'<th scope="row">{label}</th><td>{old}</td><td>{new}</td>' in page
    assert 'id="added"' in page and 'id="removed"' in page


@LIBRARIES
def test_differences_can_be_taken_against_another_version(library, curator, curator_client):
    draft = _changed_draft(library, curator)
    copy = services.library_new_draft(source=draft, by=curator)

    against_v1 = curator_client.get(library.differences(copy), {"against": _default(library).pk})
    against_parent = curator_client.get(library.differences(copy))

    assert against_v1.context["diff"].summary == "1 added, 1 removed, 1 changed"
    assert against_parent.context["against"] == draft
    assert against_parent.context["diff"].is_empty


@LIBRARIES
def test_version_page_links_to_its_differences(library, curator, curator_client):
    draft = _changed_draft(library, curator)
    opts = library.model._meta

    page = curator_client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[draft.pk])
    )

    assert (
        f'href="{library.differences(draft)}?against={_default(library).pk}"'
        in page.content.decode()
    )
    assert f"Compare with v{library.published}" in page.content.decode()


@LIBRARIES
def test_differences_are_refused_to_staff_without_a_curating_role(library, curator):
    draft = _changed_draft(library, curator)
    client = Client()
    client.force_login(UserFactory(username="intern", is_staff=True))

    assert client.get(library.differences(draft)).status_code == 403


@LIBRARIES
def test_differences_of_an_unknown_version_are_not_found(library, curator_client):
    assert curator_client.get(library.differences(library.model(pk=999999))).status_code == 404


# Confirmation in the admin -----------------------------------------------------------------


@LIBRARIES
def test_publishing_asks_first_and_offers_to_retire_the_replaced_version(
    library, curator, curator_client
):
    draft = _changed_draft(library, curator)

    asked = _action(curator_client, library, "publish", [draft])

    assert library.model.objects.get(pk=draft.pk).status == LibraryStatus.DRAFT
    assert not AuditEntry.objects.filter(action=f"{library.audit_name}_published").exists()
    page = asked.content.decode()
    assert f"Compared with v{library.published}: 1 added, 1 removed, 1 changed." in page
    assert f'name="retire_replaced" value="{draft.pk}"' in page
    assert str(_default(library)) in page
    assert 'name="post" value="yes"' in page


@LIBRARIES
def test_confirming_with_retirement_publishes_and_retires_the_replaced_version(
    library, curator, curator_client
):
    draft = _changed_draft(library, curator)

    done = _action(
        curator_client, library, "publish", [draft], post="yes", retire_replaced=[draft.pk]
    )

    assert library.model.objects.get(pk=draft.pk).status == LibraryStatus.PUBLISHED
    assert _default(library).status == LibraryStatus.RETIRED
    assert f"{draft}: published; retired v{library.published}" in done.content.decode()


@LIBRARIES
def test_confirming_without_retirement_keeps_the_older_version_published(
    library, curator, curator_client
):
    draft = _changed_draft(library, curator)

    _action(curator_client, library, "publish", [draft], post="yes")

    assert library.model.objects.get(pk=draft.pk).status == LibraryStatus.PUBLISHED
    assert _default(library).status == LibraryStatus.PUBLISHED


@LIBRARIES
def test_confirmation_names_what_keeps_a_draft_from_being_published(
    library, curator, curator_client
):
    empty = library.model.objects.create(name="Empty", version=9)

    asked = _action(curator_client, library, "publish", [empty])
    refused = _action(curator_client, library, "publish", [empty], post="yes")

    assert "cannot be published" in asked.content.decode()
    assert "cannot be published" in refused.content.decode()
    assert library.model.objects.get(pk=empty.pk).status == LibraryStatus.DRAFT


@LIBRARIES
def test_retiring_asks_first_and_warns_when_no_published_version_is_left(library, curator_client):
    published = _default(library)

    asked = _action(curator_client, library, "retire", [published])

    assert _default(library).status == LibraryStatus.PUBLISHED
    assert "No published version will be left" in asked.content.decode()

    _action(curator_client, library, "retire", [published], post="yes")

    assert _default(library).status == LibraryStatus.RETIRED
    assert AuditEntry.objects.filter(action=f"{library.audit_name}_retired").count() == 1


@LIBRARIES
def test_retiring_a_draft_is_refused_without_asking(library, curator, curator_client):
    draft = services.library_new_draft(source=_default(library), by=curator)

    response = _action(curator_client, library, "retire", [draft])

    assert f"Only a published {library.model.label} can be retired." in response.content.decode()
    assert response.redirect_chain  # back on the list, nothing to confirm
    assert library.model.objects.get(pk=draft.pk).status == LibraryStatus.DRAFT


def test_rows_are_counted_under_the_library_s_own_word(curator_client):
    checklists = curator_client.get(CHECKLIST.changelist).content.decode()
    clauses = curator_client.get(CLAUSES.changelist).content.decode()

    assert ">Items<" in checklists and ">Clauses<" in clauses


# Comfortable curation: rows as a short list, differences as a download ----------------------


def _change_url(library, version):
    opts = library.model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[version.pk])


@LIBRARIES
def test_a_version_lists_its_rows_briefly_each_linking_to_its_own_page(
    library, curator, curator_client
):
    draft = _changed_draft(library, curator)

    response = curator_client.get(_change_url(library, draft))

    listing, new_rows = response.context["inline_admin_formsets"]
    rows = list(draft.child_rows())
    assert listing.formset.queryset.count() == len(rows)
    assert "collapse" in listing.classes
    assert new_rows.formset.queryset.count() == 0  # full forms only for rows being added
    page = response.content.decode()
    row_opts = library.model.child_model()._meta
    for row in rows[:3]:
        url = reverse(f"admin:{row_opts.app_label}_{row_opts.model_name}_change", args=[row.pk])
        assert f'href="{url}"' in page
    # The full forms of every row are gone: no textarea per row.
    assert page.count("<textarea") < 5


@LIBRARIES
def test_a_published_version_lists_its_rows_read_only(library, curator_client):
    response = curator_client.get(_change_url(library, _default(library)))
    listing = response.context["inline_admin_formsets"][0]
    assert listing.formset.queryset.count() == _default(library).child_rows().count()
    assert not listing.has_add_permission and not listing.has_delete_permission


@LIBRARIES
def test_the_differences_download_as_csv(library, curator, curator_client):
    draft = _changed_draft(library, curator)
    opts = library.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_differences_download", args=[draft.pk])

    page = curator_client.get(library.differences(draft)).content.decode()
    assert f'href="{url}?against={_default(library).pk}"' in page
    response = curator_client.get(url, {"against": _default(library).pk})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert (
        f"differences-v{library.published}-v{draft.version}.csv" in response["Content-Disposition"]
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][2:] == ["Field", f"v{library.published}", f"v{draft.version}"]
    assert {line[0] for line in lines[1:]} == {"added", "removed", "changed"}
    label, old, new = library.shown[0]
    assert [label, old, new] in [line[2:] for line in lines]


@LIBRARIES
def test_the_differences_download_is_refused_to_staff_without_a_curating_role(library, curator):
    draft = _changed_draft(library, curator)
    opts = library.model._meta
    client = Client()
    client.force_login(UserFactory(username="intern", is_staff=True))
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_differences_download", args=[draft.pk])
    assert client.get(url).status_code == 403
