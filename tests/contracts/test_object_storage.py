"""Documents in S3-compatible object storage (S3_BUCKET), downloaded through the view that
checks access; the store is a real server on loopback (tests/shared_services.py)."""

import pytest

from contracts import services as contract_services

pytestmark = pytest.mark.django_db


def test_documents_go_to_object_storage_and_download_through_the_checking_view(
    object_storage, legal_user, legal_client, viewer_client, xai_assessment
):
    client, bucket = object_storage
    document, _ = contract_services.document_generate(
        assessment=xai_assessment, format="docx", by=legal_user
    )

    listed = [entry["Key"] for entry in client.list_objects_v2(Bucket=bucket)["Contents"]]
    assert listed == [document.storage_name]
    response = legal_client.get(document.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert viewer_client.get(document.get_download_url()).status_code == 403
