"""The PDF of a clause pack, rendered by WeasyPrint from a Django template.

Safe rendering: the template autoescapes everything it prints, so supplier names and clause
texts are text, never markup. And the renderer fetches nothing on the content's behalf: there
is no base URL, and the URL fetcher serves the bundled stylesheet and refuses every other URL
(file://, http://, data:, relative), so a reference that slipped into the HTML would still be
neither fetched nor embedded. Fonts come from the system (fontconfig), not from URLs.
"""

import logging
import threading
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
    return render_to_string(
        TEMPLATE, {"doc": view_for(snapshot, meta), "stylesheet_url": STYLESHEET_URL}
    )


def render_pdf(snapshot, meta):
    return html_to_pdf(document_html(snapshot, meta))
