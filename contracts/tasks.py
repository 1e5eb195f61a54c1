"""Documents made in the background: "Generate PDF" enqueues a job, the page polls it.

The job wraps `services.document_generate` as it is: the same snapshot, the same render limits
(`contracts.limits`: a child process stopped at the time or memory limit, so a runaway render
harms no other job) and the same stored document when nothing changed. A clause pack that has
not changed since its newest document is answered at once, without a job.

Jobs are rows of django-tasks-db (`DBTaskResult`); the status page reads the row, whichever
server or worker wrote it.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from contracts import queries, services
from contracts.models import Document, DocumentKind
from diligence.models import Assessment

# A job not picked up by then: no worker may be running. One still running after the render
# limit and this margin: its worker was stopped mid-way.
WAITING_TOO_LONG = datetime.timedelta(seconds=30)
RUNNING_MARGIN = datetime.timedelta(seconds=60)


@task(queue_name="documents")
def document_generate(assessment_id, format, user_id, kind=DocumentKind.SCHEDULE):
    """Make (or find) the document; what the user must read comes back in the result."""
    assessment = Assessment.objects.get(pk=assessment_id)
    user = get_user_model().objects.get(pk=user_id)
    try:
        document, created = services.document_generate(
            assessment=assessment, format=format, kind=kind, by=user
        )
    except ValidationError as error:
        return {"errors": error.messages}
    return {"document": document.pk, "created": created}


def document_stored(*, assessment, format, kind=DocumentKind.SCHEDULE):
    """The stored document with the pack's current content, if there is one (no job needed)."""
    assessment = queries.assessment_for_pack().get(pk=assessment.pk)
    _snapshot, content_hash = services.document_snapshot(assessment, kind)
    return Document.objects.filter(
        assessment=assessment, kind=kind, format=format, content_sha256=content_hash
    ).first()


def document_request(*, assessment, format, by, kind=DocumentKind.SCHEDULE):
    """Enqueue the job; returns its result (already finished when jobs run at once)."""
    return document_generate.enqueue(assessment.pk, format, by.pk, kind)


@dataclass
class DocumentJob:
    id: str
    format: str
    kind: str
    state: str  # "waiting", "running", "done", "refused", "failed"
    document: Document | None = None
    messages: tuple = ()
    stalled: bool = False


def document_job(*, assessment, job_id, now=None):
    """The job `job_id` of this assessment, or None (unknown id, another job or assessment)."""
    now = now or timezone.now()
    row = DBTaskResult.objects.filter(id=job_id, task_path=document_generate.module_path).first()
    if row is None:
        return None
    args = row.args_kwargs.get("args") or []
    if len(args) not in (3, 4) or args[0] != assessment.pk:
        return None
    return job_from_result(row.task_result, assessment=assessment, now=now)


def job_from_result(result, *, assessment, now=None):
    now = now or timezone.now()
    format = result.args[1]
    kind = result.args[3] if len(result.args) > 3 else DocumentKind.SCHEDULE
    job = DocumentJob(id=str(result.id), format=format, kind=kind, state="failed")
    if result.status == TaskResultStatus.READY:
        job.state = "waiting"
        job.stalled = result.enqueued_at is not None and now - result.enqueued_at > WAITING_TOO_LONG
    elif result.status == TaskResultStatus.RUNNING:
        job.state = "running"
        limit = datetime.timedelta(seconds=settings.DOCUMENT_RENDER_TIMEOUT_SECONDS)
        if result.started_at and now - result.started_at > limit + RUNNING_MARGIN:
            job.state = "failed"
    elif result.status == TaskResultStatus.SUCCESSFUL:
        value = result.return_value or {}
        if value.get("errors"):
            job.state, job.messages = "refused", tuple(value["errors"])
        else:
            job.document = (
                Document.objects.filter(assessment=assessment, pk=value.get("document"))
                .select_related("created_by")
                .first()
            )
            job.state = "done" if job.document else "failed"
    return job
