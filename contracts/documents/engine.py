"""WeasyPrint's part of the clause-pack PDF: HTML in, pages and PDF bytes out.

Imports WeasyPrint and nothing of Django, so that the render process (`core.forkserver`,
started by `contracts.documents.pdf`) holds only what a render needs. The HTML comes from
`contracts.documents.pdf`, which renders the templates.

Safe rendering: the renderer fetches nothing on the content's behalf. There is no base URL,
and the URL fetcher serves the bundled stylesheet and refuses every other URL (file://,
http://, data:, relative), so a reference that slipped into the HTML would still be neither
fetched nor embedded. Fonts come from the system (fontconfig), not from URLs.
"""

import gc
import logging
import threading
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STYLESHEET_URL = "contracts-asset:document.css"
# The only URLs the renderer may load, and the files behind them.
ASSETS = {STYLESHEET_URL: (Path(__file__).with_name("document.css"), "text/css")}
# Tagged PDF (PDF/UA-1): a structure tree of headings, paragraphs, lists and tables, the
# document's language and its title shown in the window, for screen readers and reflow.
PDF_VARIANT = "pdf/ua-1"

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


def stylesheet():
    """This thread's parse of the bundled stylesheet, kept from one PDF to the next.

    A render lays out two documents (the body, then the cover and contents), and each would
    parse the stylesheet it links again: about a twentieth of a render. The render process
    parses it once, before it forks, and its children share it. Keeping it is safe because
    WeasyPrint only reads a parsed stylesheet; one per thread, as the font configuration it
    is parsed with.
    """
    sheet = getattr(_per_thread, "stylesheet", None)
    if sheet is None:
        sheet = _per_thread.stylesheet = CSS(
            url=STYLESHEET_URL, url_fetcher=AssetFetcher(), font_config=font_configuration()
        )
    return sheet


def layout(html, stylesheets=()):
    """The laid-out pages of HTML built by this app: no base URL, only the bundled assets.

    `stylesheets` are parsed stylesheets applied on top of those the HTML links, as a user's
    are: above WeasyPrint's own, below the document's own `<style>`.
    """
    document = HTML(string=html, base_url=None, url_fetcher=AssetFetcher())
    return document.render(
        font_config=font_configuration(), pdf_variant=PDF_VARIANT, stylesheets=list(stylesheets)
    )


def html_to_pdf(html):
    """PDF bytes for HTML built by this app, laid out in one piece."""
    return layout(html).write_pdf(pdf_variant=PDF_VARIANT)


def anchor_pages(pages):
    """The page number (from 1) each anchor is on: its first page, as target-counter gives."""
    numbers = {}
    for number, page in enumerate(pages, start=1):
        for anchor in page.anchors:
            numbers.setdefault(anchor, number)
    return numbers


# The calls of a render (contracts.documents.pdf), in this process or in the render process.
# `state` holds the body between the two. The body's and the front's HTML link no stylesheet:
# they are laid out with the kept one.


def lay_out_body(state, html):
    """Lay the body out; its anchors' page numbers and its page count."""
    body = state["body"] = layout(html, [stylesheet()])
    return anchor_pages(body.pages), len(body.pages)


def join_front(state, html, front_count):
    """Lay the cover and contents out and join them to the body's pages: the PDF, or None
    when they take another number of pages than the body left for them (then their count)."""
    front = layout(html, [stylesheet()])
    if len(front.pages) != front_count:
        return None, len(front.pages)
    body = state.pop("body")
    return front.copy([*front.pages, *body.pages[front_count:]]).write_pdf(
        pdf_variant=PDF_VARIANT
    ), front_count


def one_piece(state, html):
    """The whole document laid out in one piece (the contents' numbers left to WeasyPrint)."""
    return html_to_pdf(html)


HANDLERS = {"lay_out_body": lay_out_body, "join_front": join_front, "one_piece": one_piece}


def in_child():
    """In the render process's child, before its document: no garbage collection.

    The child lives for one document and all its memory goes back when it exits; meanwhile the
    collector would walk the render's boxes again and again (about a twelfth of a render's CPU
    time) to free a few cycles (about 12 MB at the peak of the reference pack), well inside the
    child's memory limit.
    """
    gc.disable()


def warm_up():
    """Parse the stylesheet and load its fonts once in the render process, before any child
    is forked."""
    stylesheet()
    sample = (
        f'<html><head><link rel="stylesheet" href="{STYLESHEET_URL}"></head><body>'
        '<h1 class="kicker">Aa</h1><p>Aa <b>Aa</b> <span class="mono">Aa</span></p>'
        '<table class="data"><tr><th>Aa</th><td><span class="status">Aa</span></td></tr>'
        "</table></body></html>"
    )
    html_to_pdf(sample)
