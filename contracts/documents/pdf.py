"""The PDF of a clause pack: the HTML from a Django template, laid out by WeasyPrint.

Safe rendering: the template autoescapes everything it prints, so supplier names and clause
texts are text, never markup; the renderer (`contracts.documents.engine`) fetches nothing on
the content's behalf.

WeasyPrint runs in the render process, not in the app's: a fork server
(`core.forkserver`) that imports only WeasyPrint and the engine, and forks a child for each
document within the render limits (`contracts.limits`). The app renders the templates and
sends the HTML; the child lays it out and writes the PDF. A child forked from the app would
start with all of Django and the apps in its memory, most of a render's peak.
"""

import gc
import math
from contextlib import contextmanager

from django.template.loader import render_to_string

from contracts.documents import engine
from contracts.documents.engine import (  # noqa: F401 - the names the tests and bench use
    ASSETS,
    PDF_VARIANT,
    STYLESHEET_URL,
    AssetFetcher,
    RefusedURL,
    font_configuration,
    html_to_pdf,
)
from contracts.documents.layout import view_for
from core.forkserver import ForkServer

TEMPLATE = "contracts/clause_pack_document.html"
RENDER_PROCESS = ForkServer("contracts.documents.engine")


class InProcess:
    """The engine's calls made in this process, as a render-process session takes them."""

    def __init__(self):
        self.state = {}

    def call(self, name, *args):
        return engine.HANDLERS[name](self.state, *args)


def document_html(snapshot, meta):
    """The whole document as one HTML page (the contents' page numbers left to the renderer),
    linking its stylesheet."""
    return _html(view_for(snapshot, meta), "all", stylesheet_url=STYLESHEET_URL)


def _html(doc, part, **context):
    """A part of the document; without `stylesheet_url`, it links no stylesheet (the engine
    lays the body and the front out with the one it keeps parsed)."""
    context = {"contents": [(clause, None) for clause in doc.clauses], **context}
    return render_to_string(TEMPLATE, {"doc": doc, "part": part, **context})


def _front_html(doc, numbers, total_pages):
    """The cover and contents, with the page numbers written in."""
    parts = {anchor.replace("-", "_"): page for anchor, page in numbers.items()}
    contents = [(clause, numbers[clause.anchor]) for clause in doc.clauses]
    return _html(doc, "front", part_pages=parts, contents=contents, total_pages=total_pages)


# How many contents entries a page holds, in the height of a clause's entry (document.css: a
# part's entry is 1.24 of those): the first page, under the cover and the heading, about 39.5;
# each further page 41. Long titles that wrap take more. The estimate only decides how many
# blank pages the body is laid out behind; the contents' real length is checked, and a wrong
# estimate costs one more layout of the body, never a wrong document.
_FIRST_CONTENTS_PAGE, _CONTENTS_PAGE, _PART_ENTRY = 39.5, 41, 1.24


def _front_pages_estimate(doc):
    """The pages of the cover and contents: one for the cover, then the contents."""
    parts = 5 if doc.kind == "report" else 1
    rest = len(doc.clauses) + parts * _PART_ENTRY - _FIRST_CONTENTS_PAGE
    return 2 + max(0, math.ceil(rest / _CONTENTS_PAGE))


@contextmanager
def _long_lived_objects_frozen():
    """Keep the garbage collector off the objects that outlive the render.

    A render allocates several hundred thousand boxes, so the collector runs its full
    collection many times, and each one would also walk every object of the loaded app
    (Django, the fonts, the stylesheet). `gc.freeze()` sets those aside until the render ends.
    Process-wide: a render in another thread meanwhile merely has its own objects frozen too.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def render_pdf(snapshot, meta, engine=None):
    """The PDF of a snapshot: the body laid out once, then cover and contents, pages joined.

    Rendered as one page, the contents' page numbers (`target-counter`) and the total
    (`counter(pages)`) make WeasyPrint lay the contents out three times. Instead, the body is
    laid out behind blank pages that stand for the cover and contents (as many as they are
    estimated to take), so its page numbers and footers come out right; then the cover and
    contents are laid out with the numbers it gave written in; and `Document.copy` joins the
    pages, whose links, outline and destinations resolve across both as in one document
    (tests/contracts/test_pdf_pipeline.py compares the two page by page).

    `engine` is a session of the render process (`RENDER_PROCESS.session`, as
    `contracts.limits` opens one); without it, WeasyPrint runs in this process.
    """
    engine = engine or InProcess()
    doc = view_for(snapshot, meta)
    front_count = _front_pages_estimate(doc)
    with _long_lived_objects_frozen():
        # The contents rarely take another page than estimated; a second try is plenty.
        for _attempt in range(3):
            body_html = _html(doc, "body", front_pages=range(front_count))
            numbers, total_pages = engine.call("lay_out_body", body_html)
            front_html = _front_html(doc, numbers, total_pages)
            data, front_count = engine.call("join_front", front_html, front_count)
            if data is not None:
                return data
        return engine.call("one_piece", document_html(snapshot, meta))


# contracts.limits runs this renderer here and its WeasyPrint calls in the render process.
render_pdf.render_process = RENDER_PROCESS
