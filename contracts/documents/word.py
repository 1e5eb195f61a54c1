"""The Word (.docx) file of a clause pack: the same content as the PDF, written with python-docx.

Every value goes in as run text, which python-docx stores as XML text, so nothing a supplier
or an admin typed is ever read as markup. Fonts are named per script (Latin, East Asian,
complex scripts such as Arabic), so Word and LibreOffice pick an installed font for each.
"""

import datetime
import io

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from contracts.documents.layout import document_view

SERIF = {"ascii": "Noto Serif", "eastAsia": "Noto Serif CJK SC", "cs": "Noto Naskh Arabic"}
SANS = {"ascii": "Noto Sans", "eastAsia": "Noto Sans CJK SC", "cs": "Noto Sans Arabic"}
MONO = {"ascii": "DejaVu Sans Mono", "eastAsia": "Noto Sans Mono CJK SC", "cs": "DejaVu Sans Mono"}
BRAND = RGBColor(0x1F, 0x3A, 0x5F)
MUTED = RGBColor(0x4A, 0x55, 0x68)
LABEL_INDENT = Mm(9)
ITEM_INDENT = Mm(17)
CORE_PROPERTY_MAX = 255


def _set_fonts(element_with_rpr, fonts):
    """Name the font for each script on a style's or run's properties."""
    rpr = element_with_rpr.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for slot, name in (
        ("ascii", fonts["ascii"]),
        ("hAnsi", fonts["ascii"]),
        ("eastAsia", fonts["eastAsia"]),
        ("cs", fonts["cs"]),
    ):
        rfonts.set(qn(f"w:{slot}"), name)


def _run(paragraph, text, *, bold=False, size=None, color=None, fonts=None):
    run = paragraph.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    if fonts:
        _set_fonts(run._element, fonts)
    return run


def _field(paragraph, instruction, *, size):
    """A field Word fills in when it lays out the page: PAGE or NUMPAGES."""
    run = paragraph.add_run()
    run.font.size = Pt(size)
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._element.append(element)


def _styles(document):
    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    _set_fonts(normal.element, SERIF)
    normal.paragraph_format.space_after = Pt(5)
    normal.paragraph_format.line_spacing = 1.2
    for name, size in (("Title", 24), ("Heading 1", 15), ("Heading 2", 9), ("Heading 3", 11)):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = BRAND if name != "Heading 3" else RGBColor(0x1A, 0x20, 0x2C)
        style.font.bold = True
        _set_fonts(style.element, SANS)
        style.paragraph_format.keep_with_next = True
    styles["Heading 2"].font.all_caps = True
    styles["Heading 2"].font.color.rgb = MUTED
    styles["Title"].paragraph_format.space_after = Pt(2)


def _page_setup(document):
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(24), Mm(26)
    section.left_margin, section.right_margin = Mm(24), Mm(22)
    return section


def _footer(section, view):
    footer = section.footer
    first = footer.paragraphs[0]
    _run(
        first,
        f"Document {view.meta.document_id} · version {view.meta.version}",
        size=7.5,
        color=MUTED,
    )
    hash_line = footer.add_paragraph()
    _run(
        hash_line, f"Content SHA-256 {view.meta.content_sha256}", size=6.5, color=MUTED, fonts=MONO
    )
    pages = footer.add_paragraph()
    pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(pages, "Page ", size=8, color=MUTED)
    _field(pages, "PAGE", size=8)
    _run(pages, " of ", size=8, color=MUTED)
    _field(pages, "NUMPAGES", size=8)
    for paragraph in footer.paragraphs:
        paragraph.paragraph_format.space_after = Pt(0)


def _table(document, header, rows, widths):
    """A table with an optional header row; a row given as a string is a group heading."""
    table = document.add_table(rows=0, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    if header:
        for cell, text in zip(table.add_row().cells, header, strict=True):
            _run(cell.paragraphs[0], text, bold=True, size=8, color=MUTED, fonts=SANS)
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, str):  # a group heading across the whole row
            merged = cells[0].merge(cells[-1])
            _run(merged.paragraphs[0], row, bold=True, size=9, color=BRAND, fonts=SANS)
            continue
        for cell, text in zip(cells, row, strict=True):
            _run(cell.paragraphs[0], str(text), size=9)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    return table


def _cover(document, view):
    kicker = document.add_paragraph()
    _run(kicker, view.title.upper(), bold=True, size=9, color=BRAND, fonts=SANS)
    document.add_paragraph(view.supplier_name, style="Title")
    model = document.add_paragraph()
    _run(model, view.model_label, size=15)
    subtitle = document.add_paragraph()
    _run(subtitle, view.subtitle, size=10, color=MUTED)
    _table(document, None, view.cover, (Mm(45), Mm(119)))
    document.add_paragraph()
    disclaimer = document.add_paragraph()
    _run(disclaimer, view.disclaimer, size=8.5, color=MUTED)
    hash_line = document.add_paragraph()
    _run(hash_line, "Content SHA-256: ", size=8.5, color=MUTED)
    _run(hash_line, view.meta.content_sha256, size=7.5, color=MUTED, fonts=MONO)
    hash_line.add_run().add_break(WD_BREAK.PAGE)


def _labelled(document, label, text, *, indent, hanging):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.left_indent = indent
    if label:
        paragraph.paragraph_format.first_line_indent = -hanging
        paragraph.paragraph_format.tab_stops.add_tab_stop(indent)
        _run(paragraph, f"{label}\t", size=9.5, color=BRAND, fonts=SANS)
    _run(paragraph, text)
    return paragraph


def _clauses(document, view):
    document.add_heading("C\tContract clauses", level=1).paragraph_format.page_break_before = True
    for group in view.clause_groups:
        document.add_heading(group.category, level=2)
        for clause in group.clauses:
            heading = document.add_heading(f"{clause.number}.\t{clause.title}", level=3)
            heading.paragraph_format.left_indent = LABEL_INDENT
            heading.paragraph_format.first_line_indent = -LABEL_INDENT
            heading.paragraph_format.tab_stops.add_tab_stop(LABEL_INDENT)
            for block in clause.blocks:
                if block.list_item:
                    _labelled(document, block.label, block.text, indent=ITEM_INDENT, hanging=Mm(8))
                else:
                    _labelled(
                        document, block.label, block.text, indent=LABEL_INDENT, hanging=LABEL_INDENT
                    )
            meta = document.add_paragraph()
            meta.paragraph_format.left_indent = LABEL_INDENT
            _run(meta, "Legal basis: ", bold=True, size=8, color=MUTED, fonts=SANS)
            _run(meta, clause.legal_basis, size=8, color=MUTED)
            meta.add_run().add_break()
            _run(
                meta,
                "Added by Legal: " if clause.added else "Selected because: ",
                bold=True,
                size=8,
                color=MUTED,
                fonts=SANS,
            )
            _run(meta, clause.reason, size=8, color=MUTED)


def _core_property(text):
    """Word's document properties hold at most 255 characters; names can be longer together."""
    return text if len(text) <= CORE_PROPERTY_MAX else text[: CORE_PROPERTY_MAX - 1] + "…"


def render_docx(snapshot, meta):
    """The .docx bytes for a snapshot; same content as the PDF."""
    view = document_view(snapshot, meta)
    document = docx.Document()
    _styles(document)
    section = _page_setup(document)
    _footer(section, view)

    properties = document.core_properties
    properties.title = _core_property(f"{view.title} – {view.supplier_name} – {view.model_label}")
    properties.subject = view.subtitle
    properties.identifier = view.meta.document_id
    properties.version = str(view.meta.version)
    properties.comments = f"Content SHA-256 {view.meta.content_sha256}"
    properties.author = "GPAI due diligence"
    created = datetime.datetime.combine(view.meta.date, datetime.time(), tzinfo=datetime.UTC)
    properties.created = properties.modified = created
    properties.last_modified_by = ""

    _cover(document, view)
    document.add_heading("A\tCode of Practice signatures", level=1)
    document.add_paragraph(
        "Whether the supplier signed each chapter of the General-Purpose AI Code of Practice. "
        "For a chapter not signed, the supplier must show compliance by other adequate means "
        "(AI Act Art. 53(4), Art. 55(2))."
    )
    _table(
        document,
        ("Chapter", "Status", "Date signed"),
        [(row["chapter"], row["status"], row["signed_on"]) for row in view.signatures],
        (Mm(60), Mm(50), Mm(54)),
    )
    document.add_heading("B\tDue-diligence status", level=1)
    document.add_paragraph(
        f"The checklist items that apply to the model, their status in assessment "
        f"{view.reference} and the number of current pieces of evidence."
    )
    rows = []
    for group in view.item_groups:
        rows.append(group.category)
        rows.extend(
            (
                item["code"],
                f"{item['title']} ({item['pending']})" if item.get("pending") else item["title"],
                item["status"],
                item["evidence"],
            )
            for item in group.items
        )
    _table(
        document,
        ("Item", "Title", "Status", "Evidence"),
        rows or [("", "No checklist items apply.", "", "")],
        (Mm(18), Mm(100), Mm(26), Mm(20)),
    )
    _clauses(document, view)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
