"""The Word (.docx) file of a clause pack: the same content as the PDF, written with python-docx.

Every value goes in as run text, which python-docx stores as XML text, so nothing a supplier
or an admin typed is ever read as markup. Fonts are named per script (Latin, East Asian,
complex scripts such as Arabic), so Word and LibreOffice pick an installed font for each.

Word as Word, so that Legal can edit it: clause numbers (1., 1.1, (a)) are one multi-level
list of Word's own numbering, not typed text, so inserting or deleting a clause renumbers the
rest; the contents are a TOC field that Word updates when the file is opened; headings carry
their outline levels; the language and the document properties are set.
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

from contracts.documents.layout import view_for

SERIF = {"ascii": "Noto Serif", "eastAsia": "Noto Serif CJK SC", "cs": "Noto Naskh Arabic"}
SANS = {"ascii": "Noto Sans", "eastAsia": "Noto Sans CJK SC", "cs": "Noto Sans Arabic"}
MONO = {"ascii": "DejaVu Sans Mono", "eastAsia": "Noto Sans Mono CJK SC", "cs": "DejaVu Sans Mono"}
BRAND = RGBColor(0x1F, 0x3A, 0x5F)
MUTED = RGBColor(0x4A, 0x55, 0x68)
LABEL_INDENT = Mm(9)
ITEM_INDENT = Mm(17)
CORE_PROPERTY_MAX = 255
LANGUAGE = "en-GB"
# The clause list's numbering definition: 1.  1.1  (a)  (i), hanging at the label indents.
CLAUSE_ABSTRACT_NUM_ID = 90
CLAUSE_NUM_ID = 90
CLAUSE_LEVELS = (
    # level, format, text, left indent, hanging
    (0, "decimal", "%1.", LABEL_INDENT, LABEL_INDENT),
    (1, "decimal", "%1.%2", LABEL_INDENT, LABEL_INDENT),
    (2, "lowerLetter", "(%3)", ITEM_INDENT, Mm(8)),
    (3, "lowerRoman", "(%4)", ITEM_INDENT, Mm(8)),
)
LIST_LEVEL_LETTER, LIST_LEVEL_ROMAN = 2, 3
TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'
TOC_PLACEHOLDER = "The contents appear when Word updates the fields of the document."


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


def _element(tag, **attributes):
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _clause_numbering(document):
    """Add the clause list's multi-level numbering definition to numbering.xml."""
    numbering = document.part.numbering_part.element
    abstract = _element("w:abstractNum", abstractNumId=CLAUSE_ABSTRACT_NUM_ID)
    abstract.append(_element("w:multiLevelType", val="multilevel"))
    for level, number_format, text, left, hanging in CLAUSE_LEVELS:
        lvl = _element("w:lvl", ilvl=level)
        lvl.append(_element("w:start", val=1))
        lvl.append(_element("w:numFmt", val=number_format))
        lvl.append(_element("w:lvlText", val=text))
        lvl.append(_element("w:lvlJc", val="left"))
        ppr = _element("w:pPr")
        tabs = _element("w:tabs")
        tabs.append(_element("w:tab", val="num", pos=left.twips))
        ppr.append(tabs)
        ppr.append(_element("w:ind", left=left.twips, hanging=hanging.twips))
        lvl.append(ppr)
        rpr = _element("w:rPr")
        if level == 0:
            rpr.append(_element("w:b"))
        else:
            rpr.append(_element("w:color", val=str(BRAND)))
        lvl.append(rpr)
        abstract.append(lvl)
    # The schema wants every abstractNum before the first num.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = _element("w:num", numId=CLAUSE_NUM_ID)
    num.append(_element("w:abstractNumId", val=CLAUSE_ABSTRACT_NUM_ID))
    numbering.append(num)


_AFTER_NUMPR = tuple(
    f"w:{tag}"
    for tag in (
        "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku",
        "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
        "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
        "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
        "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
    )
)  # fmt: skip


def _numbered(paragraph, level):
    """Put a paragraph in the clause list at a level (w:numPr)."""
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = _element("w:numPr")
    num_pr.append(_element("w:ilvl", val=level))
    num_pr.append(_element("w:numId", val=CLAUSE_NUM_ID))
    # Schema order: numPr comes after these and before everything else in w:pPr.
    ppr.insert_element_before(num_pr, *_AFTER_NUMPR)


def _table_of_contents(document):
    """A TOC field over the headings' outline levels, marked dirty so Word fills it in."""
    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    run._element.append(_element("w:fldChar", fldCharType="begin", dirty="true"))
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {TOC_INSTRUCTION} "
    run._element.append(instruction)
    run._element.append(_element("w:fldChar", fldCharType="separate"))
    _run(paragraph, TOC_PLACEHOLDER, size=9, color=MUTED)
    paragraph.add_run()._element.append(_element("w:fldChar", fldCharType="end"))
    # Update the fields (the contents, page numbers) when the document is opened.
    settings = document.settings.element
    settings.append(_element("w:updateFields", val="true"))


def _language(document):
    """The document's language on the default run properties, for every script."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.append(_element("w:lang", val=LANGUAGE, eastAsia=LANGUAGE, bidi=LANGUAGE))


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
    for level, name in enumerate(("Heading 1", "Heading 2", "Heading 3")):
        ppr = styles[name].element.get_or_add_pPr()
        if ppr.find(qn("w:outlineLvl")) is None:
            ppr.append(_element("w:outlineLvl", val=level))
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


def _list_level(label, previous_label):
    """(a), (b) are letters; (i), (ii), (iv) roman, unless "(i)" follows "(h)"."""
    inner = label.strip("()")
    if set(inner) <= set("ivx") and (inner != "i" or previous_label != "(h)"):
        return LIST_LEVEL_ROMAN
    return LIST_LEVEL_LETTER


def _clauses(document, view, heading):
    document.add_heading(heading, level=1).paragraph_format.page_break_before = True
    for group in view.clause_groups:
        document.add_heading(group.category, level=2)
        for clause in group.clauses:
            title = document.add_heading(clause.title, level=3)
            _numbered(title, 0)
            previous_label = ""
            for block in clause.blocks:
                paragraph = document.add_paragraph()
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                if block.list_item:
                    _numbered(paragraph, _list_level(block.label, previous_label))
                    previous_label = block.label
                elif block.entry:
                    # An entry of a listed value: a dash hanging at the list items' indent.
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
                    paragraph.paragraph_format.left_indent = ITEM_INDENT
                    paragraph.paragraph_format.first_line_indent = -Mm(8)
                    paragraph.paragraph_format.tab_stops.add_tab_stop(ITEM_INDENT)
                    _run(paragraph, f"{block.label}\t")
                elif block.label:
                    _numbered(paragraph, 1)
                else:
                    paragraph.paragraph_format.left_indent = LABEL_INDENT
                _run(paragraph, block.text)
            meta = document.add_paragraph()
            meta.paragraph_format.left_indent = LABEL_INDENT
            _run(meta, "Legal basis: ", bold=True, size=8, color=MUTED, fonts=SANS)
            _run(meta, clause.legal_basis, size=8, color=MUTED)
            if view.kind == "report":
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


def _properties(document, view):
    properties = document.core_properties
    properties.title = _core_property(f"{view.title} – {view.supplier_name} – {view.model_label}")
    properties.subject = view.subtitle
    properties.category = view.title
    properties.keywords = _core_property(
        f"AI Act; general-purpose AI model; {view.supplier_name}; {view.reference}"
    )
    properties.language = LANGUAGE
    properties.identifier = view.meta.document_id
    properties.version = str(view.meta.version)
    properties.comments = f"Content SHA-256 {view.meta.content_sha256}"
    properties.author = "GPAI due diligence"
    created = datetime.datetime.combine(view.meta.date, datetime.time(), tzinfo=datetime.UTC)
    properties.created = properties.modified = created
    properties.last_modified_by = ""


def _report_parts(document, view):
    document.add_heading(
        "A\tCode of Practice signatures", level=1
    ).paragraph_format.page_break_before = True
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
    document.add_heading("C\tEvidence", level=1)
    document.add_paragraph(
        "The current evidence of each item: the file or link, its SHA-256 for files, and its dates."
    )
    _table(
        document,
        ("Item", "Evidence", "Valid until", "Added"),
        [
            (
                row["item"],
                "\n".join(
                    part
                    for part in (
                        row["description"] + (f" ({row['issuer']})" if row["issuer"] else ""),
                        row["name"],
                        f"SHA-256 {row['sha256']}" if row["sha256"] else "",
                    )
                    if part
                ),
                row["valid_until"],
                row["added"],
            )
            for row in view.evidence
        ]
        or [("", "No evidence is recorded.", "", "")],
        (Mm(18), Mm(96), Mm(25), Mm(25)),
    )
    document.add_heading("D\tChanges by Legal", level=1)
    if view.changes:
        _table(
            document,
            ("Date", "Change", "Reason"),
            [
                (row["date"], f"{row['action']} “{row['title']}” by {row['by']}", row["reason"])
                for row in view.changes
            ],
            (Mm(28), Mm(66), Mm(70)),
        )
    else:
        document.add_paragraph("No changes: the pack is what the triggers selected.")


def render_docx(snapshot, meta):
    """The .docx bytes for a snapshot; same content as the PDF of the same kind."""
    view = view_for(snapshot, meta)
    document = docx.Document()
    _styles(document)
    _language(document)
    _clause_numbering(document)
    section = _page_setup(document)
    _footer(section, view)
    _properties(document, view)

    _cover(document, view)
    contents = document.add_paragraph()
    _run(contents, "Contents", bold=True, size=15, color=BRAND, fonts=SANS)
    _table_of_contents(document)
    if view.kind == "report":
        _report_parts(document, view)
        _clauses(document, view, "E\tProposed contract clauses")
    else:
        _clauses(document, view, "Clauses")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
