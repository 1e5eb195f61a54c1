"""Checklist curation: publish, retire and copy versions of the checklist.

The checklist is a versioned library; the work is done by `core.library.services`.
"""

from core.library import services as library
from diligence.models import Checklist


def checklist_publish(*, checklist, by, retire_replaced=False):
    return library.library_publish(library=checklist, by=by, retire_replaced=retire_replaced)


def checklist_retire(*, checklist, by):
    return library.library_retire(library=checklist, by=by)


def checklist_new_draft(*, source, by):
    """Copy a version, items included, into a new draft with the next version number."""
    return library.library_new_draft(source=source, by=by)


def latest_published_checklist():
    return library.latest_published(Checklist)
