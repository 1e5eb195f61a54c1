"""The Word file is Word's own structure, read back from its XML: clause numbers from a
multi-level numbering definition (w:numPr), a TOC field Word updates when it opens the file,
headings with outline levels, the document language and the core properties."""

import io

import docx
import pytest
from docx.oxml.ns import qn

from contracts.documents import word as word_module
from contracts.documents.layout import schedule_view
from contracts.documents.word import render_docx
from tests.contracts.support import meta_for, sample_snapshot


def _schedule_snapshot():
    report = sample_snapshot()
    return {
        "schema": 1,
        "kind": "schedule",
        "supplier": {key: report["supplier"][key] for key in ("name", "legal_name", "country")},
        "model": report["model"],
        "reference": report["assessment"]["reference"],
        "library": report["library"],
        "clauses": [
            {
                key: clause[key]
                for key in ("number", "key", "title", "category", "legal_basis", "body")
            }
            for clause in report["clauses"]
        ],
        "values": report["values"],
    }


@pytest.fixture(scope="module", params=["schedule", "report"])
def rendered(request):
    snapshot = _schedule_snapshot() if request.param == "schedule" else sample_snapshot()
    meta = meta_for(snapshot, version=2)
    return snapshot, meta, docx.Document(io.BytesIO(render_docx(snapshot, meta)))


def _num_pr(paragraph):
    ppr = paragraph._p.pPr
    num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
    if num_pr is None:
        return None
    return (
        int(num_pr.find(qn("w:ilvl")).get(qn("w:val"))),
        int(num_pr.find(qn("w:numId")).get(qn("w:val"))),
    )


def test_clause_numbers_are_a_numbering_definition_not_typed_text(rendered):
    snapshot, meta, document = rendered
    numbering = document.part.numbering_part.element
    abstract = next(
        element
        for element in numbering.findall(qn("w:abstractNum"))
        if element.get(qn("w:abstractNumId")) == str(word_module.CLAUSE_ABSTRACT_NUM_ID)
    )
    levels = {
        int(lvl.get(qn("w:ilvl"))): (
            lvl.find(qn("w:numFmt")).get(qn("w:val")),
            lvl.find(qn("w:lvlText")).get(qn("w:val")),
        )
        for lvl in abstract.findall(qn("w:lvl"))
    }
    assert levels == {
        0: ("decimal", "%1."),
        1: ("decimal", "%1.%2"),
        2: ("lowerLetter", "(%3)"),
        3: ("lowerRoman", "(%4)"),
    }
    nums = {
        element.get(qn("w:numId")): element.find(qn("w:abstractNumId")).get(qn("w:val"))
        for element in numbering.findall(qn("w:num"))
    }
    assert nums[str(word_module.CLAUSE_NUM_ID)] == str(word_module.CLAUSE_ABSTRACT_NUM_ID)

    headings = [p for p in document.paragraphs if p.style.name == "Heading 3"]
    assert [p.text for p in headings] == [clause["title"] for clause in snapshot["clauses"]]
    assert all(_num_pr(p) == (0, word_module.CLAUSE_NUM_ID) for p in headings)
    # No number is typed: no heading or clause paragraph starts with one.
    numbered = [p for p in document.paragraphs if _num_pr(p)]
    assert not any(p.text[:1].isdigit() or p.text.startswith("(") for p in numbered)


def test_paragraphs_and_list_items_sit_at_their_levels(rendered):
    _snapshot, _meta, document = rendered
    by_text = {p.text: _num_pr(p) for p in document.paragraphs}
    # Definitions and scope: several paragraphs, so 1.1, 1.2 ...
    model = next(text for text in by_text if text.startswith("“Model” means"))
    assert by_text[model] == (1, word_module.CLAUSE_NUM_ID)
    list_levels = {level for level, _num in filter(None, by_text.values())}
    assert {0, 1, 2} <= list_levels


@pytest.mark.parametrize(
    ("label", "previous", "level"),
    [("(a)", "", 2), ("(b)", "(a)", 2), ("(i)", "", 3), ("(iv)", "(iii)", 3), ("(i)", "(h)", 2)],
)
def test_list_labels_choose_letters_or_roman_numerals(label, previous, level):
    assert word_module._list_level(label, previous) == level


def test_contents_are_a_toc_field_updated_on_open(rendered):
    _snapshot, _meta, document = rendered
    body = document.element.body
    instructions = [element.text for element in body.iter(qn("w:instrText"))]
    assert any(text.strip().startswith('TOC \\o "1-3" \\h') for text in instructions)
    begins = [
        element
        for element in body.iter(qn("w:fldChar"))
        if element.get(qn("w:fldCharType")) == "begin" and element.get(qn("w:dirty")) == "true"
    ]
    assert begins
    update = document.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


def test_headings_carry_outline_levels(rendered):
    _snapshot, _meta, document = rendered
    for level, name in enumerate(("Heading 1", "Heading 2", "Heading 3")):
        outline = document.styles[name].element.pPr.find(qn("w:outlineLvl"))
        assert outline.get(qn("w:val")) == str(level)


def test_language_and_core_properties_are_set(rendered):
    snapshot, meta, document = rendered
    lang = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    lang = lang.find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "en-GB"
    properties = document.core_properties
    expected_title = "Contract schedule" if snapshot.get("kind") == "schedule" else "Due-diligence"
    assert properties.title.startswith(expected_title)
    assert "Mistral AI" in properties.title
    assert properties.language == "en-GB"
    assert properties.identifier == meta.document_id
    assert properties.version == "2"
    assert properties.subject and properties.keywords and properties.category


def test_schedule_view_numbers_like_the_pack():
    snapshot = _schedule_snapshot()
    view = schedule_view(snapshot, meta_for(snapshot))
    assert [clause.number for clause in view.clauses] == list(
        range(1, len(snapshot["clauses"]) + 1)
    )
