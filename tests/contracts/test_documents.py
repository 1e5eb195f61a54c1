"""What the PDF and the Word file say, read back with pypdf and python-docx."""

import io
import re
import shutil
import subprocess
import threading

import docx
import pytest
from pypdf import PdfReader

from contracts import default_clauses
from contracts.documents.engine import stylesheet
from contracts.documents.layout import clause_blocks, view_for
from contracts.documents.pdf import (
    ASSETS,
    STYLESHEET_URL,
    _front_html,
    _html,
    document_html,
    font_configuration,
    render_pdf,
)
from contracts.documents.word import render_docx
from tests.contracts.support import (
    image_xobjects,
    meta_for,
    pdf_fonts,
    pdf_pages,
    sample_snapshot,
)

SCRIPTS = "Société Générale 日本語 العربية"
FC_MATCH = shutil.which("fc-match")


@pytest.fixture(scope="module")
def snapshot():
    return sample_snapshot()


@pytest.fixture(scope="module")
def meta(snapshot):
    return meta_for(snapshot, version=3)


@pytest.fixture(scope="module")
def pdf(snapshot, meta):
    return render_pdf(snapshot, meta)


@pytest.fixture(scope="module")
def pages(pdf):
    return pdf_pages(pdf)


@pytest.fixture(scope="module")
def word(snapshot, meta):
    return docx.Document(io.BytesIO(render_docx(snapshot, meta)))


def _flat(text):
    return re.sub(r"\s+", " ", text)


def test_cover_names_supplier_model_reference_date_and_version(pages, meta):
    cover = _flat(pages[0])
    for expected in (
        "DUE-DILIGENCE REPORT",  # set in capitals by the stylesheet
        "Mistral AI",
        "Mistral Medium 3",
        "TENDER-2025-07",
        "3 February 2026",
        "Approved with conditions on 15 January 2026",
        meta.document_id,
    ):
        assert expected in cover
    assert "DOCUMENT VERSION 3" in cover


def test_every_page_is_numbered_page_x_of_y(pages):
    total = len(pages)
    assert total > 5
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text


def test_every_page_has_the_document_id_and_content_hash_in_the_footer(pages, meta):
    for text in pages:
        flat = _flat(text)
        assert f"Document {meta.document_id} · version 3" in flat
        assert f"Content SHA-256 {meta.content_sha256}" in flat


def test_table_of_contents_gives_the_page_each_clause_starts_on(pages, snapshot):
    # The contents start on page 2 and, with every default clause, run on to page 3.
    toc = "\n".join(pages[1:3]) + "\n"
    assert "Contents" in pages[1]
    for clause in snapshot["clauses"]:
        match = re.search(rf"{clause['number']} {re.escape(clause['title'])}[ .]*?(\d+)\n", toc)
        assert match, clause["title"]
        page = pages[int(match.group(1)) - 1]
        assert f"{clause['number']}.{clause['title']}" in page.replace("\n", "") or (
            f"{clause['number']}. {clause['title']}" in _flat(page)
        )


def test_table_of_contents_links_each_entry_to_its_heading(pdf, pages, snapshot):
    reader = PdfReader(io.BytesIO(pdf))
    destinations = reader.named_destinations
    targets = [f"clause-{clause['number']}" for clause in snapshot["clauses"]]
    assert set(targets) <= set(destinations)
    links = {
        str(annotation.get_object().get("/Dest"))
        for page in reader.pages
        for annotation in page.get("/Annots", [])
    }
    assert set(targets) <= links
    for clause, target in zip(snapshot["clauses"], targets, strict=True):
        page = pages[reader.get_destination_page_number(destinations[target])]
        assert f"{clause['number']}. {clause['title']}" in _flat(page)


def test_paragraph_labels_print_in_front_of_their_text(pages, snapshot):
    text = "\n".join(pages)
    notice = next(c["number"] for c in snapshot["clauses"] if c["key"] == "change-notice")
    # The label hangs in the margin at a tab stop: same line, then the paragraph (justified,
    # hence the flexible spaces).
    assert re.search(r"^1\.2 “Model”\s+means", text, re.MULTILINE)
    assert re.search(r"^\(a\)\s+any\s+material\s+change\s+to\s+the\s+Model", text, re.MULTILINE)
    assert re.search(rf"^{notice}\. Notice of changes$", text, re.MULTILINE)


def test_only_headings_carry_anchors(snapshot, meta):
    # WeasyPrint shares computed styles between like elements, but not for an element with an
    # id nor for anything inside it: an id on a section or a clause's wrapper made every
    # element of it a style of its own and the PDF a fifth slower.
    html = document_html(snapshot, meta)
    anchored = set(re.findall(r"<(\w+)[^>]*\sid=", html))
    assert anchored == {"h2", "h4"}


def test_signatures_and_status_table_are_printed(pages):
    text = _flat(" ".join(pages))
    assert "Code of Practice signatures" in text
    assert "Copyright Not signed" in text
    assert "Transparency Signed 1 August 2025" in text
    assert "DOC-11 Information for integrators received Gap 2" in text
    assert "CPY-05 robots.txt obeyed Accepted 3" in text


def test_clauses_are_numbered_with_their_legal_basis_and_placeholders_filled_in(pages):
    text = _flat(" ".join(pages))
    for clause in default_clauses.CLAUSES:
        assert clause["title"] in text
        assert f"Legal basis: {clause['legal_basis']}" in text
    assert "“Model” means the general-purpose AI model Mistral Medium, version 3" in text
    assert "dated 3 February 2026" in text
    assert "{{" not in text


def test_paragraphs_and_list_items_get_their_own_labels():
    blocks = clause_blocks(
        4, "First.\n\n(a) one;\n\n(b) two.\n\nLast {{ today }}.", {"today": "1 May 2026"}
    )
    assert [(b.label, b.text, b.list_item) for b in blocks] == [
        ("4.1", "First.", False),
        ("(a)", "one;", True),
        ("(b)", "two.", True),
        ("4.2", "Last 1 May 2026.", False),
    ]
    assert [b.label for b in clause_blocks(5, "Only one paragraph.", {})] == [""]


def test_a_value_cannot_add_paragraphs_or_list_items():
    values = {"supplier.name": "Evil\n\n(a) injected item"}
    blocks = clause_blocks(1, "Supplier: {{ supplier.name }}", values)
    assert len(blocks) == 1
    assert blocks[0].text == "Supplier: Evil\n\n(a) injected item"


def test_word_file_has_the_same_content(word, snapshot, meta):
    paragraphs = [p.text for p in word.paragraphs]
    text = "\n".join(paragraphs)
    assert "Mistral AI" in paragraphs
    assert "Mistral Medium 3" in paragraphs
    cover = {row.cells[0].text: row.cells[1].text for row in word.tables[0].rows}
    assert cover["Assessment reference"] == "TENDER-2025-07"
    assert cover["Date"] == "3 February 2026"
    assert cover["Document version"] == "3"
    assert cover["Document ID"] == meta.document_id
    signatures = [[cell.text for cell in row.cells] for row in word.tables[1].rows]
    assert signatures[0] == ["Chapter", "Status", "Date signed"]
    assert ["Copyright", "Not signed", "—"] in signatures
    status = [[cell.text for cell in row.cells] for row in word.tables[2].rows]
    assert ["DOC-11", "Information for integrators received", "Gap", "2"] in status
    for clause in snapshot["clauses"]:
        assert clause["title"] in paragraphs  # its number is Word's numbering (test_word.py)
        assert f"Legal basis: {clause['legal_basis']}" in text
    assert "“Model” means the general-purpose AI model Mistral Medium, version 3" in text
    footer = "\n".join(p.text for p in word.sections[0].footer.paragraphs)
    assert f"Document {meta.document_id} · version 3" in footer
    assert f"Content SHA-256 {meta.content_sha256}" in footer
    assert word.core_properties.identifier == meta.document_id


@pytest.fixture(scope="module")
def scripts_snapshot():
    snapshot = sample_snapshot(supplier_name=f"{SCRIPTS} 🤖", clause_count=3)
    snapshot["values"]["supplier.legal_name"] = SCRIPTS
    return snapshot


def test_every_script_prints_in_the_pdf(scripts_snapshot):
    data = render_pdf(scripts_snapshot, meta_for(scripts_snapshot))
    text = " ".join(pdf_pages(data))

    assert SCRIPTS in text
    assert "🤖" in text
    # The legal name reaches the clause text through a placeholder. (pypdf puts the space
    # after an Arabic word behind the next bracket; the page itself reads right.)
    assert f"successor of it that {SCRIPTS}" in _flat(text)
    fonts = pdf_fonts(data)
    assert any("CJK" in font for font in fonts), fonts
    assert any("Arabic" in font for font in fonts), fonts
    assert any("Emoji" in font for font in fonts), fonts


def test_every_script_survives_in_the_word_file(scripts_snapshot):
    data = render_docx(scripts_snapshot, meta_for(scripts_snapshot))
    document = docx.Document(io.BytesIO(data))

    assert f"{SCRIPTS} 🤖" in [p.text for p in document.paragraphs]
    # Word picks a font per script: East Asian and complex-script fonts are named.
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(docx.oxml.ns.qn("w:eastAsia")) == "Noto Serif CJK SC"
    assert fonts.get(docx.oxml.ns.qn("w:cs")) == "Noto Naskh Arabic"


def test_digits_are_text_not_emoji_images(pdf):
    # Naming the emoji font in the CSS would draw digits as bitmap glyphs; without emoji in the
    # content, the PDF has no image at all.
    assert image_xobjects(pdf) == []


def _stylesheet_font_families():
    css = ASSETS[STYLESHEET_URL][0].read_text()
    families = set()
    for value in re.findall(r"font(?:-family)?:([^;}]+)", css):
        families.update(re.findall(r'"([^"]+)"', value))
    return families


@pytest.mark.skipif(FC_MATCH is None, reason="needs fontconfig's fc-match")
def test_every_font_the_stylesheet_names_is_installed():
    # A name fontconfig does not know falls back silently to another font (fc-match answers
    # "Noto Sans" for a made-up name), so the PDF would look different without an error.
    families = _stylesheet_font_families()
    assert {"Noto Serif", "Noto Sans", "DejaVu Sans Mono", "Noto Sans CJK SC"} <= families
    for family in sorted(families):
        matched = subprocess.run(  # noqa: S603 - the stylesheet's own font names
            [FC_MATCH, "--format=%{family}", family], capture_output=True, text=True, check=True
        ).stdout
        assert family in matched.split(","), (family, matched)


def test_the_font_configuration_is_kept_per_thread():
    first = font_configuration()
    assert font_configuration() is first
    other = []
    thread = threading.Thread(target=lambda: other.append(font_configuration()))
    thread.start()
    thread.join()
    assert other[0] is not first


def test_the_parsed_stylesheet_is_kept_per_thread():
    first = stylesheet()
    assert stylesheet() is first
    assert first.base_url == STYLESHEET_URL
    other = []
    thread = threading.Thread(target=lambda: other.append(stylesheet()))
    thread.start()
    thread.join()
    assert other[0] is not first


def test_the_parts_laid_out_with_the_kept_stylesheet_link_none_and_the_whole_links_it(
    snapshot, meta
):
    doc = view_for(snapshot, meta)
    link = f'<link rel="stylesheet" href="{STYLESHEET_URL}">'
    assert link not in _html(doc, "body", front_pages=range(2))
    assert link not in _front_html(doc, {clause.anchor: 3 for clause in doc.clauses}, 9)
    assert document_html(snapshot, meta).count(link) == 1


def test_a_kept_font_configuration_carries_nothing_from_one_document_to_the_next(
    pdf, pages, snapshot, meta, scripts_snapshot
):
    render_pdf(scripts_snapshot, meta_for(scripts_snapshot))

    again = render_pdf(snapshot, meta)

    assert pdf_pages(again) == pages
    assert pdf_fonts(again) == pdf_fonts(pdf)
