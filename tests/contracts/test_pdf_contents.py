"""The contents of the clause-pack PDF, read from WeasyPrint's laid-out boxes: each entry's
dotted leader runs on its last line up to the page number, which is the page its heading is on."""

import re

import pytest
from weasyprint.formatting_structure import boxes
from weasyprint.images import RadialGradient

from contracts.documents import engine
from contracts.documents.layout import view_for
from contracts.documents.pdf import _front_html, _front_pages_estimate, _html, document_html
from tests.contracts.support import meta_for, sample_snapshot


@pytest.fixture(scope="module", params=["one piece", "front"])
def contents(request):
    """The contents' entries, laid out as in the document rendered in one piece (numbers by
    target-counter) or as in the front of the joined one (numbers written in)."""
    snapshot = sample_snapshot()
    meta = meta_for(snapshot)
    if request.param == "one piece":
        document = engine.layout(document_html(snapshot, meta))
        pages = engine.anchor_pages(document.pages)
    else:
        doc = view_for(snapshot, meta)
        state = {}
        pages, total = engine.lay_out_body(
            state, _html(doc, "body", front_pages=range(_front_pages_estimate(doc)))
        )
        document = engine.layout(_front_html(doc, pages, total), [engine.stylesheet()])
    entries = [
        box
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, boxes.BlockBox) and box.element_tag == "a"
    ]
    return entries, pages, len(snapshot["clauses"])


def _number_box(entry):
    (number,) = [box for box in entry.descendants() if box.element_tag.endswith("::after")]
    return number


def _text(box):
    return "".join(child.text for child in box.descendants() if isinstance(child, boxes.TextBox))


def test_every_entry_gives_the_page_its_heading_is_on(contents):
    entries, pages, clause_count = contents
    assert len(entries) == clause_count + 5  # the parts A to E, then the clauses
    for entry in entries:
        assert _text(_number_box(entry)) == str(pages[entry.element.get("href")[1:]])


def test_the_page_number_sits_at_the_right_end_of_the_entrys_last_line(contents):
    entries, _pages, _count = contents
    for entry in entries:
        number, last_line = _number_box(entry), entry.children[-1]
        assert number.position_x + number.margin_width() == pytest.approx(
            entry.position_x + entry.padding_width()
        )
        number_line = next(box for box in number.descendants() if isinstance(box, boxes.LineBox))
        assert number_line.position_y + number_line.baseline == pytest.approx(
            last_line.position_y + last_line.baseline
        )


def test_a_row_of_dots_runs_on_the_baseline_of_the_entrys_last_line(contents):
    entries, _pages, _count = contents
    for entry in entries:
        (layer,) = entry.background.layers
        assert isinstance(layer.image, RadialGradient)
        assert layer.repeat == ("repeat", "no-repeat")
        # From the left edge to the right one, under the title and the number...
        painting_x, _y, painting_width, _height = layer.painting_area
        assert painting_x == pytest.approx(entry.position_x)
        assert painting_width == pytest.approx(entry.padding_width())
        # ...at a period's height: its centre a little above the last line's baseline.
        font_size = entry.style["font_size"]
        dots_middle = layer.positioning_area[1] + layer.position[1] + layer.size[1] / 2
        last_line = entry.children[-1]
        above_baseline = last_line.position_y + last_line.baseline - dots_middle
        assert 0 < above_baseline < 0.12 * font_size
        # The dots come a period apart, as ". " set in the entry's font.
        assert layer.size[0] == pytest.approx(0.528 * font_size)


def test_the_title_and_the_number_hide_the_dots_behind_them(contents):
    entries, _pages, _count = contents
    white = (1, 1, 1, 1)
    for entry in entries:
        title = next(box for box in entry.descendants() if box.element_tag == "span")
        assert tuple(title.style["background_color"]) == white
        assert tuple(_number_box(entry).style["background_color"]) == white


def test_the_dots_are_not_text(contents):
    # leader() made a text box of each dot: most of the document's text boxes, all tagged.
    entries, _pages, _count = contents
    for entry in entries:
        assert not any(
            re.fullmatch(r"[ .]*\.[ .]*", box.text)
            for box in entry.descendants()
            if isinstance(box, boxes.TextBox)
        )
