"""Documents made in the background: "Generate" enqueues a job, the page polls it with htmx,
then offers the download; an unchanged pack answers at once; a failure can be tried again."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from contracts import services
from contracts.models import Document
from core.tasks import reminders_send
from tests.factories import AssessmentFactory
from tests.workers import run_worker

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_tasks", "media_root")]

HTMX = {"HTTP_HX_REQUEST": "true"}


def _generate(assessment):
    return reverse("contracts:document_generate", args=[assessment.pk])


def _job_url(assessment, job_id):
    return reverse("contracts:document_job", args=[assessment.pk, job_id])


def _enqueue(client, assessment, format="docx", **kind):
    response = client.post(_generate(assessment), {"format": format, **kind})
    assert response.status_code == 302
    job = DBTaskResult.objects.get()
    assert response.url == _job_url(assessment, job.id)
    return job


def test_generate_enqueues_a_job_and_the_page_polls_it_until_the_download(
    legal_client, xai_assessment
):
    job = _enqueue(legal_client, xai_assessment)
    assert not Document.objects.exists()  # nothing rendered in the request

    page = legal_client.get(_job_url(xai_assessment, job.id)).content.decode()
    assert "The Contract schedule (Word) is in the queue." in page
    polling = legal_client.get(_job_url(xai_assessment, job.id), **HTMX).content.decode()
    assert f'hx-get="{_job_url(xai_assessment, job.id)}"' in polling
    assert 'hx-trigger="every 1s"' in polling
    assert "<html" not in polling  # only the part that changes

    run_worker()

    done = legal_client.get(_job_url(xai_assessment, job.id), **HTMX).content.decode()
    document = Document.objects.get()
    assert "hx-get" not in done  # polling stops
    assert "Contract schedule (Word) version 1</strong> is ready" in done
    assert f'href="{document.get_download_url()}"' in done
    download = legal_client.get(document.get_download_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"


def test_the_internal_report_is_made_by_its_own_job(legal_client, xai_assessment):
    job = _enqueue(legal_client, xai_assessment, format="pdf", kind="report")
    run_worker()

    html = legal_client.get(_job_url(xai_assessment, job.id), **HTMX).content.decode()
    assert "Due-diligence report (PDF) version 1</strong> is ready" in html
    assert Document.objects.get().kind == "report"


def test_an_unchanged_pack_returns_the_stored_document_at_once(
    procurement_client, legal_user, xai_assessment
):
    stored, _ = services.document_generate(assessment=xai_assessment, format="pdf", by=legal_user)

    response = procurement_client.post(_generate(xai_assessment), {"format": "pdf"}, follow=True)

    assert (
        "Nothing changed since Contract schedule, PDF version 1; it is the current document."
        in (response.content.decode())
    )
    assert not DBTaskResult.objects.exists()
    assert list(Document.objects.all()) == [stored]


def test_a_failed_render_says_so_and_can_be_tried_again(legal_client, xai_assessment, monkeypatch):
    def broken(snapshot, meta):
        raise RuntimeError("the renderer fell over")

    monkeypatch.setitem(services.RENDERERS, "docx", broken)
    job = _enqueue(legal_client, xai_assessment)
    run_worker()

    html = legal_client.get(_job_url(xai_assessment, job.id), **HTMX).content.decode()
    assert "The document could not be made. Try again" in html
    assert "fell over" not in html  # no internals on the page
    assert f'action="{_generate(xai_assessment)}"' in html
    assert 'name="format" value="docx"' in html

    monkeypatch.undo()
    job.delete()
    retry = _enqueue(legal_client, xai_assessment)
    run_worker()
    assert "Contract schedule (Word) version 1</strong> is ready" in (
        legal_client.get(_job_url(xai_assessment, retry.id)).content.decode()
    )


def test_a_refused_document_shows_the_reason(legal_client, xai_assessment, monkeypatch):
    monkeypatch.setattr(
        "contracts.limits.render_within_limits",
        lambda *args: (_ for _ in ()).throw(
            services.ValidationError("The document took too long to make.")
        ),
    )
    job = _enqueue(legal_client, xai_assessment)
    run_worker()

    html = legal_client.get(_job_url(xai_assessment, job.id)).content.decode()
    assert "The document took too long to make." in html
    assert "Try again" in html
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


def test_a_job_whose_worker_stopped_is_shown_as_failed(legal_client, xai_assessment, settings):
    job = _enqueue(legal_client, xai_assessment)
    long_ago = timezone.now() - datetime.timedelta(
        seconds=settings.DOCUMENT_RENDER_TIMEOUT_SECONDS + 120
    )
    DBTaskResult.objects.filter(pk=job.pk).update(
        status=TaskResultStatus.RUNNING, started_at=long_ago
    )

    html = legal_client.get(_job_url(xai_assessment, job.id)).content.decode()
    assert "The document could not be made." in html


def test_a_job_waiting_long_says_a_worker_may_be_missing(legal_client, xai_assessment):
    job = _enqueue(legal_client, xai_assessment)
    DBTaskResult.objects.filter(pk=job.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    html = legal_client.get(_job_url(xai_assessment, job.id)).content.decode()
    assert "no background worker may be running" in html
    assert "hx-get" in html


@pytest.mark.parametrize(
    ("role", "status"),
    [("viewer_client", 403), ("checklist_admin_client", 403), ("outsider_client", 404)],
)
def test_only_those_who_generate_see_a_job(request, role, status, legal_client, xai_assessment):
    job = _enqueue(legal_client, xai_assessment)
    client = request.getfixturevalue(role)
    assert client.get(_job_url(xai_assessment, job.id)).status_code == status


def test_a_job_is_found_only_under_its_own_assessment(
    legal_client, xai_assessment, procurement_user
):
    job = _enqueue(legal_client, xai_assessment)
    other = AssessmentFactory(owner=procurement_user)

    assert legal_client.get(_job_url(other, job.id)).status_code == 404
    unknown = "00000000-0000-4000-8000-000000000000"
    assert legal_client.get(_job_url(xai_assessment, unknown)).status_code == 404


def test_only_document_jobs_are_shown(legal_client, xai_assessment):
    result = reminders_send.enqueue(datetime.date.today().isoformat())
    assert legal_client.get(_job_url(xai_assessment, result.id)).status_code == 404


def test_job_page_queries_stay_few(legal_client, xai_assessment, django_assert_max_num_queries):
    job = _enqueue(legal_client, xai_assessment)
    run_worker()
    with django_assert_max_num_queries(12):
        legal_client.get(_job_url(xai_assessment, job.id), **HTMX)
