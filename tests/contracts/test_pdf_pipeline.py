"""The PDF made in two parts (the body laid out once, then the cover and contents with the page
numbers written in, the pages joined) says and links exactly what the document rendered in one
piece says: pages, text, links, outline, destinations and PDF/UA tags, read back with pypdf."""

import gc
import io

import pytest
from pypdf import PdfReader

from contracts.documents import engine
from contracts.documents import pdf as pdf_module
from contracts.documents.layout import view_for
from contracts.documents.pdf import document_html, html_to_pdf, render_pdf
from tests.contracts.support import meta_for, sample_snapshot

# About 60 clauses make the reference pack of `make bench`: contents over two pages, 20-odd pages.
REFERENCE_CLAUSES = 60


def _reference_snapshot(kind, clause_count=REFERENCE_CLAUSES):
    snapshot = sample_snapshot()
    own = snapshot["clauses"]
    clauses = [
        dict(own[i % len(own)], number=i + 1, key=f"{own[i % len(own)]['key']}-{i}")
        for i in range(clause_count)
    ]
    return {**snapshot, "clauses": clauses, "kind": kind, "reference": "TENDER-2025-07"}


@pytest.fixture(scope="module", params=["report", "schedule"])
def snapshot_and_meta(request):
    snapshot = _reference_snapshot(request.param)
    return snapshot, meta_for(snapshot)


@pytest.fixture(scope="module")
def one_piece(snapshot_and_meta):
    return PdfReader(io.BytesIO(html_to_pdf(document_html(*snapshot_and_meta))))


@pytest.fixture(scope="module")
def joined(snapshot_and_meta):
    return PdfReader(io.BytesIO(render_pdf(*snapshot_and_meta)))


def _links(reader):
    """Per page: each link's rectangle (rounded to a hundredth of a point) and target."""
    pages = []
    for page in reader.pages:
        links = []
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            target = annotation.get("/Dest") or annotation["/A"].get("/URI")
            links.append((tuple(round(float(v), 2) for v in annotation["/Rect"]), str(target)))
        pages.append(links)
    return pages


def _outline(reader, entries=None):
    """The outline as (title, page index, depth) in reading order."""
    flat = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                flat.append((item.title, reader.get_destination_page_number(item), depth))

    walk(reader.outline if entries is None else entries, 0)
    return flat


def _destinations(reader):
    return {
        name: (reader.get_destination_page_number(dest), round(float(dest.left), 2),
               round(float(dest.top), 2))
        for name, dest in reader.named_destinations.items()
    }  # fmt: skip


def _structure(node, depth=0):
    """The structure tree's roles depth first, with the page each marked content is on."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        return [entry for child in node for entry in _structure(child, depth)]
    if not hasattr(node, "get"):
        return [("mcid", depth)]
    roles = [(str(node["/S"]), depth)] if "/S" in node else []
    return roles + (_structure(node["/K"], depth + 1) if "/K" in node else [])


def test_same_pages_and_text_on_each(one_piece, joined):
    assert len(joined.pages) == len(one_piece.pages) >= 20
    for expected, page in zip(one_piece.pages, joined.pages, strict=True):
        assert page.extract_text() == expected.extract_text()


def test_contents_give_the_page_numbers_of_the_one_piece_document(one_piece, joined):
    contents = joined.pages[1].extract_text()
    assert "Contents" in contents
    assert contents == one_piece.pages[1].extract_text()
    assert f"Page 2 of {len(joined.pages)}" in contents


def test_same_links_on_each_page(one_piece, joined):
    links = _links(joined)
    assert sum(len(page) for page in links) >= REFERENCE_CLAUSES
    assert links == _links(one_piece)


def test_same_outline_and_destinations(one_piece, joined):
    outline = _outline(joined)
    assert len(outline) > REFERENCE_CLAUSES
    assert outline == _outline(one_piece)
    destinations = _destinations(joined)
    assert {f"clause-{n}" for n in range(1, REFERENCE_CLAUSES + 1)} <= set(destinations)
    assert destinations == _destinations(one_piece)


def test_same_pdf_ua_tagging(one_piece, joined):
    root, expected_root = joined.trailer["/Root"], one_piece.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == expected_root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert joined.metadata.title == one_piece.metadata.title
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    structure = _structure(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/P", "/Link"} <= {role for role, _depth in structure}
    assert structure == _structure(expected_root["/StructTreeRoot"])


@pytest.mark.parametrize(
    ("kind", "clause_count"),
    [("report", 5), ("report", 33), ("report", 34), ("report", 76), ("schedule", 36),
     ("schedule", 80)],
)  # fmt: skip
def test_the_estimate_of_the_cover_and_contents_pages_matches_their_layout(kind, clause_count):
    # Packs just below and above the sizes where the contents take another page.
    snapshot = _reference_snapshot(kind, clause_count=clause_count)
    doc = view_for(snapshot, meta_for(snapshot))
    anchors = {"part-a", "part-b", "part-c", "part-d", "part-e", "part-clauses"}
    numbers = dict.fromkeys(anchors | {clause.anchor for clause in doc.clauses}, 88)

    laid_out = engine.layout(pdf_module._front_html(doc, numbers, 88), [engine.stylesheet()])

    assert pdf_module._front_pages_estimate(doc) == len(laid_out.pages)


def test_a_wrong_estimate_of_the_contents_costs_another_layout_not_a_wrong_document(
    monkeypatch,
):
    snapshot = _reference_snapshot("schedule", clause_count=30)
    meta = meta_for(snapshot)
    monkeypatch.setattr(pdf_module, "_front_pages_estimate", lambda doc: 4)
    layouts = []
    real_layout = engine.layout
    monkeypatch.setattr(
        engine,
        "layout",
        lambda html, sheets=(): layouts.append(html) or real_layout(html, sheets),
    )

    joined = PdfReader(io.BytesIO(render_pdf(snapshot, meta)))

    assert len(layouts) == 4  # body and front behind four blank pages, then behind two
    one_piece = PdfReader(io.BytesIO(html_to_pdf(document_html(snapshot, meta))))
    assert [p.extract_text() for p in joined.pages] == [p.extract_text() for p in one_piece.pages]


def test_contents_that_never_settle_fall_back_to_the_one_piece_document(monkeypatch):
    # A front that never takes the pages left for it (here: always one page more than
    # asked for) ends the tries, and the document is rendered in one piece instead.
    snapshot = _reference_snapshot("schedule", clause_count=30)
    meta = meta_for(snapshot)
    real_join_front = engine.join_front
    asked = []

    def never_fitting(state, html, front_count):
        asked.append(front_count)
        _data, count = real_join_front(state, html, front_count + 1)
        return None, count + 1

    monkeypatch.setattr(engine, "join_front", never_fitting)
    monkeypatch.setitem(engine.HANDLERS, "join_front", never_fitting)

    data = render_pdf(snapshot, meta)

    assert len(asked) == 3
    one_piece = html_to_pdf(document_html(snapshot, meta))
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    assert texts == [p.extract_text() for p in PdfReader(io.BytesIO(one_piece)).pages]


def test_a_page_number_does_not_change_how_the_contents_break():
    # The number sits outside the flow, in room kept for it: the contents break where they
    # did with the real numbers even with absurdly long ones, so the first try settles.
    snapshot = _reference_snapshot("report")
    doc = view_for(snapshot, meta_for(snapshot))
    state = {}
    front_count = pdf_module._front_pages_estimate(doc)
    numbers, total = engine.lay_out_body(
        state, pdf_module._html(doc, "body", front_pages=range(front_count))
    )
    real = engine.layout(pdf_module._front_html(doc, numbers, total), [engine.stylesheet()])
    wide = dict.fromkeys(numbers, int("8" * 60))
    wide = engine.layout(pdf_module._front_html(doc, wide, total), [engine.stylesheet()])
    assert _entry_pages(real) == _entry_pages(wide)
    assert len(real.pages) == len(wide.pages) == front_count


def _entry_pages(document):
    """The page (from 0) and the height on it of each contents entry."""
    return [
        (index, box.element.get("href"), round(box.position_y, 2))
        for index, page in enumerate(document.pages)
        for box in page._page_box.descendants()
        if box.element_tag == "a" and box.element.get("href", "").startswith("#")
    ]


def test_the_render_processs_child_collects_no_garbage_and_the_app_still_does():
    assert gc.isenabled()
    try:
        engine.in_child()
        assert not gc.isenabled()
    finally:
        gc.enable()
