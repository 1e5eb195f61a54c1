"""Optimistic locking over HTTP: a record's ETag, and the If-Match a write must send.

The ETag is derived from what changes on every save: the version counter of an assessment
item, the `updated_at` of the other records. A write without If-Match is refused with 428,
one whose If-Match is not the current ETag with 412, so an edit based on an old read never
overwrites someone else's change.
"""

import hashlib

from api.errors import PreconditionFailed, PreconditionRequired


def etag_of(record):
    marker = getattr(record, "version", None)
    if marker is None:
        marker = record.updated_at.isoformat()
    raw = f"{record._meta.label_lower}:{record.pk}:{marker}"
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def require_if_match(request, record):
    sent = request.headers.get("If-Match")
    if not sent:
        raise PreconditionRequired
    current = etag_of(record)
    # A weak validator (W/"…") names the same version of the record here.
    candidates = {tag.strip().removeprefix("W/") for tag in sent.split(",")}
    if current not in candidates and "*" not in candidates:
        raise PreconditionFailed


def with_etag(response, record):
    response["ETag"] = etag_of(record)
    return response
