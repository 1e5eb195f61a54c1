"""How much text a clause and a clause pack may hold, and how a document is rendered within
a time and memory budget (settings: CLAUSE_BODY_MAX_CHARS, CLAUSE_PACK_MAX_CHARS,
DOCUMENT_RENDER_TIMEOUT_SECONDS, DOCUMENT_RENDER_MAX_MEMORY_MB).

The limits are ten times what the default clauses need (the longest is under 1,000
characters, all of them together about 15,000), and a pack at its limit renders as a PDF in a
few seconds: far inside the render budget, which only a pathological text reaches.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.db.models.functions import Length

from core import isolation

logger = logging.getLogger(__name__)

MEGABYTE = 1024 * 1024


def _thousands(number):
    return f"{number:,}"


def clause_body_error(body):
    """The message for a clause text over the limit, else None."""
    limit = settings.CLAUSE_BODY_MAX_CHARS
    if len(body or "") > limit:
        return (
            f"A clause can hold at most {_thousands(limit)} characters; this one has "
            f"{_thousands(len(body))}. Split it into several clauses."
        )
    return None


def library_size_error(clause):
    """The message when saving `clause` would take its library version over the pack limit."""
    limit = settings.CLAUSE_PACK_MAX_CHARS
    others = clause.library.clauses.exclude(pk=clause.pk).aggregate(n=Sum(Length("body")))["n"]
    total = (others or 0) + len(clause.body or "")
    if total > limit:
        return (
            f"The clauses of one library version can hold at most {_thousands(limit)} "
            f"characters together; with this text they would hold {_thousands(total)}."
        )
    return None


def pack_size_error(clause_bodies):
    """The message when the clauses of a pack or library hold more than the limit together."""
    limit = settings.CLAUSE_PACK_MAX_CHARS
    total = sum(len(body or "") for body in clause_bodies)
    if total > limit:
        return (
            f"The clauses hold {_thousands(total)} characters together; a clause pack can "
            f"hold at most {_thousands(limit)}. Ask Legal to shorten the clauses."
        )
    return None


class RenderRefused(ValidationError):
    """A document could not be rendered within its limits; the message says what to do."""


def render_within_limits(renderer, snapshot, meta):
    """`renderer(snapshot, meta)` within the render time and memory limits; RenderRefused with
    a message for the person who asked, whatever went wrong.

    A renderer with a `render_process` (the PDF's: `contracts.documents.pdf`) runs here and
    sends its heavy part to a child of that lean process, which holds the limits; any other
    runs whole in a child forked from this process.
    """
    if error := pack_size_error(clause["body"] for clause in snapshot["clauses"]):
        raise RenderRefused(error)
    timeout = settings.DOCUMENT_RENDER_TIMEOUT_SECONDS
    memory_bytes = settings.DOCUMENT_RENDER_MAX_MEMORY_MB * MEGABYTE
    try:
        return _render_isolated(renderer, snapshot, meta, timeout, memory_bytes)
    except isolation.TimedOut as error:
        logger.warning("Document render stopped: %s", error)
        raise RenderRefused(
            f"The document took longer than {timeout:g} seconds to make and was stopped. "
            "Ask Legal to check the length of the clauses in this pack."
        ) from None
    except isolation.OutOfMemory as error:
        logger.warning("Document render stopped: %s", error)
        raise RenderRefused(
            "The document needed more memory than allowed and was stopped. "
            "Ask Legal to check the length of the clauses in this pack."
        ) from None
    except Exception as error:  # noqa: BLE001 - a failed render is a message, never a 500
        logger.error(
            "Document render failed: %s",
            error,
            exc_info=not isinstance(error, isolation.IsolatedFailure),
        )
        raise RenderRefused(
            "The document could not be made. Try again; if it fails again, tell your administrator."
        ) from None


def _render_isolated(renderer, snapshot, meta, timeout, memory_bytes):
    render_process = getattr(renderer, "render_process", None)
    if render_process is None:
        return isolation.run_isolated(
            renderer, snapshot, meta, timeout=timeout, memory_bytes=memory_bytes
        )
    with render_process.session(timeout=timeout, memory_bytes=memory_bytes) as session:
        return renderer(snapshot, meta, engine=session)
