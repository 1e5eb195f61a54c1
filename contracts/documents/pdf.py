"""The PDF of a clause pack, rendered by WeasyPrint from a Django template.

Safe rendering: the template autoescapes everything it prints, so supplier names and clause
texts are text, never markup. And the renderer fetches nothing on the content's behalf: there
is no base URL, and the URL fetcher serves the bundled stylesheet and refuses every other URL
(file://, http://, data:, relative), so a reference that slipped into the HTML would still be
neither fetched nor embedded. Fonts come from the system (fontconfig), not from URLs.
"""

import gc
import logging
import math
import threading
from contextlib import contextmanager
from pathlib import Path

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from contracts.documents.layout import view_for

logger = logging.getLogger(__name__)

TEMPLATE = "contracts/clause_pack_document.html"
STYLESHEET_URL = "contracts-asset:document.css"
# The only URLs the renderer may load, and the files behind them.
ASSETS = {STYLESHEET_URL: (Path(__file__).with_name("document.css"), "text/css")}

_per_thread = threading.local()


class RefusedURL(ValueError):
    """The renderer asked for a URL that is not one of the bundled assets."""


class AssetFetcher(URLFetcher):
    """Serves the bundled assets by exact URL and refuses everything else."""

    def __init__(self):
        super().__init__(timeout=1, allowed_protocols=(), allow_redirects=False)

    def fetch(self, url, headers=None):
        asset = ASSETS.get(url)
        if asset is None:
            logger.warning("PDF rendering refused to fetch %.200s", url)
            raise RefusedURL(f"Only bundled assets are loaded, not {url[:200]}")
        path, content_type = asset
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": f"{content_type}; charset=utf-8"}
        )


def font_configuration():
    """This thread's fontconfig configuration and Pango font map, kept from one PDF to the next.

    A new one per document would match the stylesheet's font families against every installed
    font again (Noto CJK and friends: well over a thousand faces) and reload the font files:
    about a tenth of a second each time. Keeping it is safe because a document cannot add to it:
    fonts come only from @font-face rules, and the fetcher refuses every font URL, local() ones
    included. Pango font maps are not thread-safe, hence one per thread.
    """
    config = getattr(_per_thread, "font_configuration", None)
    if config is None:
        config = _per_thread.font_configuration = FontConfiguration()
    return config


# Tagged PDF (PDF/UA-1): a structure tree of headings, paragraphs, lists and tables, the
# document's language and its title shown in the window, for screen readers and reflow.
PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html):
    """PDF bytes for HTML built by this app: no base URL, only the bundled assets."""
    document = HTML(string=html, base_url=None, url_fetcher=AssetFetcher())
    return document.write_pdf(font_config=font_configuration(), pdf_variant=PDF_VARIANT)


def document_html(snapshot, meta):
    """The whole document as one HTML page (the contents' page numbers left to the renderer)."""
    return _html(view_for(snapshot, meta), "all")


def _html(doc, part, **context):
    context = {"contents": [(clause, None) for clause in doc.clauses], **context}
    return render_to_string(
        TEMPLATE, {"doc": doc, "part": part, "stylesheet_url": STYLESHEET_URL, **context}
    )


def _front_html(doc, numbers, total_pages):
    """The cover and contents, with the page numbers written in."""
    parts = {anchor.replace("-", "_"): page for anchor, page in numbers.items()}
    contents = [(clause, numbers[clause.anchor]) for clause in doc.clauses]
    return _html(doc, "front", part_pages=parts, contents=contents, total_pages=total_pages)


def _layout(html):
    document = HTML(string=html, base_url=None, url_fetcher=AssetFetcher())
    return document.render(font_config=font_configuration(), pdf_variant=PDF_VARIANT)


def _anchor_pages(pages):
    """The page number (from 1) each anchor is on: its first page, as target-counter gives."""
    numbers = {}
    for number, page in enumerate(pages, start=1):
        for anchor in page.anchors:
            numbers.setdefault(anchor, number)
    return numbers


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


def render_pdf(snapshot, meta):
    """The PDF of a snapshot: the body laid out once, then cover and contents, pages joined.

    Rendered as one page, the contents' page numbers (`target-counter`) and the total
    (`counter(pages)`) make WeasyPrint lay the contents out three times. Instead, the body is
    laid out behind blank pages that stand for the cover and contents (as many as they are
    estimated to take), so its page numbers and footers come out right; then the cover and
    contents are laid out with the numbers it gave written in; and `Document.copy` joins the
    pages, whose links, outline and destinations resolve across both as in one document
    (tests/contracts/test_pdf_pipeline.py compares the two page by page).
    """
    doc = view_for(snapshot, meta)
    front_count = _front_pages_estimate(doc)
    with _long_lived_objects_frozen():
        # The contents rarely take another page than estimated; a second try is plenty.
        for _attempt in range(3):
            body = _layout(_html(doc, "body", front_pages=range(front_count)))
            front = _layout(_front_html(doc, _anchor_pages(body.pages), len(body.pages)))
            if len(front.pages) == front_count:
                pages = [*front.pages, *body.pages[front_count:]]
                return front.copy(pages).write_pdf(pdf_variant=PDF_VARIANT)
            front_count = len(front.pages)
    return html_to_pdf(document_html(snapshot, meta))
