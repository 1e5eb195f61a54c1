"""Styled error pages under DEBUG=0: each says what happened and where to go; the 403 says
which role is needed; the 500 page is plain HTML that cannot fail to render."""

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse

from diligence.models import Assessment
from tests.contracts.conftest import xai_assessment  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.core.error_urls"


def _page(response):
    return response.content.decode()


def test_404_is_in_the_layout_and_points_the_way(viewer_client):
    response = viewer_client.get("/no-such-page/")
    page = _page(response)
    assert response.status_code == 404
    assert "This page is not here" in page
    assert 'aria-label="Main navigation"' in page  # the app's layout, with the user's menu
    assert f'href="{reverse("home")}"' in page
    assert f'href="{reverse("vendors:supplier_list")}"' in page


def test_404_for_a_record_the_role_may_not_see(outsider_client, xai_assessment):  # noqa: F811
    response = outsider_client.get(reverse("contracts:clause_pack", args=[xai_assessment.pk]))
    assert response.status_code == 404
    assert "This page is not here" in _page(response)


def test_403_names_the_role_that_is_needed(viewer_client, xai_assessment):  # noqa: F811
    response = viewer_client.post(
        reverse("contracts:document_generate", args=[xai_assessment.pk]), {"format": "pdf"}
    )
    page = _page(response)
    assert response.status_code == 403
    assert "Your role does not allow this" in page
    assert "This needs the Legal or Procurement role." in page
    assert "Your role: Viewer." in page
    assert f'href="{reverse("home")}"' in page
    assert not Assessment.objects.get(pk=xai_assessment.pk).clause_documents.exists()


def test_403_for_a_form_sent_without_its_token(viewer_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(viewer_user)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "The form has expired" in _page(response)


def test_400_says_nothing_was_saved(viewer_client):
    response = viewer_client.get(reverse("test_400"))
    page = _page(response)
    assert response.status_code == 400
    assert "The request could not be understood" in page
    assert "Nothing was saved." in page


def test_500_is_styled_and_says_where_to_go(viewer_user):
    client = Client(raise_request_exception=False)
    client.force_login(viewer_user)
    response = client.get(reverse("test_500"))
    page = _page(response)
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    assert 'href="/static/css/app.css"' in page
    assert 'href="/"' in page
    assert "a bug" not in page  # no detail of the failure is shown


def test_the_500_template_holds_no_template_logic():
    source = get_template("500.html").template.source
    for syntax in ("{%", "{{", "{#"):
        assert syntax not in source
    # It renders the same with nothing at all in its context.
    assert Template(source).render(Context()) == get_template("500.html").render()
