"""The PDF renderer fetches nothing on behalf of the content, and prints markup as text.

A web server on 127.0.0.1 records every request; file:// points at a real image on disk.
"""

import base64
import http.server
import re
import threading

import pytest

from contracts.documents import pdf
from contracts.documents.pdf import (
    STYLESHEET_URL,
    AssetFetcher,
    document_html,
    html_to_pdf,
    render_pdf,
)
from tests.contracts.support import image_xobjects, meta_for, pdf_pages, sample_snapshot

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _squeezed(text):
    return re.sub(r"\s+", "", text)


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits = []

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png" if self.path.endswith(".png") else "text/css")
        self.end_headers()
        self.wfile.write(PNG if self.path.endswith(".png") else b"body { background: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Recorder.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Recorder.hits
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def local_png(tmp_path):
    path = tmp_path / "secret.png"
    path.write_bytes(PNG)
    return path.as_uri()


@pytest.fixture
def fetched(monkeypatch):
    """Every URL the renderer asks its fetcher for."""
    urls = []
    original = AssetFetcher.fetch

    def spy(self, url, headers=None):
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(AssetFetcher, "fetch", spy)
    return urls


def _hostile_snapshot(base, local_png):
    name = (
        f'<img src="{base}/name.png"> <img src="{local_png}">'
        f'<link rel="stylesheet" href="{base}/name.css">'
    )
    snapshot = sample_snapshot(supplier_name=name, clause_count=2)
    snapshot["model"]["name"] = f'<style>@import url("{base}/model.css");</style>'
    snapshot["items"][0]["title"] = f'<object data="{base}/item.png"></object>'
    clause = snapshot["clauses"][1]
    clause["title"] = f'<svg><image href="{base}/title.png"/></svg>'
    clause["body"] = (
        f'<img src="{base}/body.png"> <div style="background: url({base}/bg.png)">x</div>\n\n'
        f'(a) <iframe src="{local_png}"></iframe> {{{{ supplier.name }}}}'
    )
    snapshot["values"]["supplier.name"] = f'<img src="{base}/value.png">'
    return snapshot


def test_markup_in_supplier_names_and_clause_text_is_printed_not_fetched(
    server, local_png, fetched
):
    base, hits = server
    snapshot = _hostile_snapshot(base, local_png)

    data = render_pdf(snapshot, meta_for(snapshot))

    assert hits == []
    # At most the stylesheet, once: the engine keeps it parsed from one PDF to the next.
    assert set(fetched) <= {STYLESHEET_URL}
    assert image_xobjects(data) == []
    # Printed as text; long URLs wrap anywhere, so compare without white space.
    text = _squeezed(" ".join(pdf_pages(data)))
    for markup in (
        f'<img src="{base}/name.png">',
        f'<img src="{base}/body.png">',
        f'<img src="{base}/value.png">',
        f'<style>@import url("{base}/model.css");</style>',
        f'<iframe src="{local_png}"></iframe>',
    ):
        assert _squeezed(markup) in text


def test_the_document_html_escapes_every_value(server, local_png):
    base, _hits = server
    html = document_html(_hostile_snapshot(base, local_png), meta_for(sample_snapshot()))

    assert "&lt;img src=&quot;" in html
    assert "<img" not in html
    assert "<style>" not in html
    assert "<iframe" not in html
    assert '<link rel="stylesheet" href="contracts-asset:document.css">' in html
    assert html.count("<link") == 1


def test_the_fetcher_refuses_every_url_but_the_bundled_stylesheet(server, local_png, fetched):
    base, hits = server
    # Raw HTML, as if something had slipped past the escaping: still nothing is loaded.
    html = f"""<html><head>
      <link rel="stylesheet" href="{STYLESHEET_URL}">
      <link rel="stylesheet" href="{base}/linked.css">
      <style>@import url("{base}/imported.css"); p {{ background: url({base}/bg.png) }}</style>
    </head><body>
      <p>text</p>
      <img src="{base}/img.png"> <img src="{local_png}"> <img src="file:///etc/passwd">
      <img src="data:image/png;base64,{base64.b64encode(PNG).decode()}">
      <object data="{base}/object.png"></object> <embed src="{base}/embed.png">
      <svg><image href="{base}/svg.png" width="10" height="10"/></svg>
      <img src="relative.png">
    </body></html>"""

    data = html_to_pdf(html)

    assert hits == []
    assert image_xobjects(data) == []
    assert fetched[0] == STYLESHEET_URL
    assert f"{base}/img.png" in fetched
    assert local_png in fetched


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/latest/meta-data/",
        "https://example.org/logo.png",
        "data:text/css,body{}",
        "contracts-asset:../settings.py",
        "contracts-asset:document.css?x",
    ],
)
def test_fetcher_raises_for_anything_not_on_the_list(url):
    with pytest.raises(pdf.RefusedURL):
        AssetFetcher().fetch(url)


def test_fetcher_serves_the_bundled_stylesheet():
    response = AssetFetcher().fetch(STYLESHEET_URL)
    assert response.content_type == "text/css"
    assert b"@page" in response.read()
