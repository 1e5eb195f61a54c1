"""Several app servers: the cache in Redis when REDIS_URL is set, files in S3-compatible object
storage when S3_BUCKET is set, still served only through the views that check access."""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from diligence import services as diligence_services
from tests.factories import MINIMAL_PDF, AssessmentFactory, AssessmentItemFactory

pytestmark = pytest.mark.django_db


def _settings_with(**env):
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'cache': s.CACHES['default'], 'files': s.STORAGES['default'],"
        " 'tasks': s.TASKS['default']['BACKEND']}))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "procurement.settings",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_one_machine_needs_no_extra_server():
    found = _settings_with()
    assert found["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["files"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert found["tasks"] == "django_tasks_db.DatabaseBackend"


def test_redis_and_object_storage_when_configured():
    found = _settings_with(
        REDIS_URL="redis://cache.internal:6379/0",
        S3_BUCKET="dd-files",
        S3_ENDPOINT_URL="https://objects.internal",
    )
    assert found["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert found["cache"]["LOCATION"] == "redis://cache.internal:6379/0"
    assert found["files"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = found["files"]["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"]) == (
        "dd-files",
        "https://objects.internal",
    )
    assert options["default_acl"] is None  # private objects
    assert options["file_overwrite"] is False


def test_dashboard_figures_one_server_computed_are_in_the_shared_cache(
    shared_cache, viewer_client, django_assert_max_num_queries
):
    client, prefix = shared_cache
    AssessmentFactory()

    assert viewer_client.get(reverse("home")).status_code == 200

    assert list(client.scan_iter(f"{prefix}:*:dashboard:*"))  # in Redis, for every server
    # Another server (a fresh connection to the same Redis) reads the figures, not the tables.
    from django.core.cache import caches

    caches["default"].close()
    with django_assert_max_num_queries(12):
        assert viewer_client.get(reverse("home")).status_code == 200


def test_evidence_goes_to_object_storage_and_is_served_through_the_checking_view(
    object_storage, procurement_user, viewer_client, outsider_client
):
    client, bucket = object_storage
    item = AssessmentItemFactory(assessment=AssessmentFactory(owner=procurement_user))
    evidence = diligence_services.evidence_add(
        item=item,
        data={"description": "Model card", "issuer": "Mistral AI"},
        uploaded_file=SimpleUploadedFile("model-card.pdf", MINIMAL_PDF),
        by=procurement_user,
    )

    stored = client.get_object(Bucket=bucket, Key=evidence.storage_name)["Body"].read()
    assert stored == MINIMAL_PDF
    url = reverse("diligence:evidence_download", args=[item.assessment_id, item.pk, evidence.pk])
    response = viewer_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert outsider_client.get(url).status_code == 404
