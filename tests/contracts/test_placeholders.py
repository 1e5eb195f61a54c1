import pytest

from contracts import placeholders
from contracts.documents.layout import clause_blocks

VALUES = {name: f"<{name}>" for name in placeholders.NAMES}


@pytest.mark.parametrize(
    ("body", "unknown"),
    [
        ("No placeholders at all.", []),
        ("Supplier {{ supplier.name }} of {{ supplier.country }}.", []),
        ("Tight {{supplier.name}} and loose {{   model.version   }}.", []),
        ("{{ today }}", []),
        ("{{ supplier.nam }}", ["supplier.nam"]),
        ("{{ x|upper }}", ["x|upper"]),
        ("{{ supplier.name|safe }}", ["supplier.name|safe"]),
        ("{{ supplier.__class__ }}", ["supplier.__class__"]),
        ("{{ supplier.name.__class__.__mro__ }}", ["supplier.name.__class__.__mro__"]),
        ("{{ request.user.password }}", ["request.user.password"]),
        ("{{ }}", [""]),
        ("{{ a }} {{ b }} {{ a }}", ["a", "b"]),
    ],
)
def test_validate_names_the_unknown_placeholders(body, unknown):
    assert placeholders.validate(body) == unknown


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{% if supplier %}yes{% endif %}", "Template tags"),
        ("{% load static %}", "Template tags"),
        ("Ends with %}", "Template tags"),
        ("{# hidden #}", "Template comments"),
        ("{{ supplier.name }", "unbalanced or stray brace"),
        ("{ supplier.name }}", "unbalanced or stray brace"),
        ("{{ supplier.name }}}", "unbalanced or stray brace"),
        ("{{{ supplier.name }}}", "Unknown placeholder"),
        ("{{ supplier.name\n}}", "unbalanced or stray brace"),
        ("A set {a, b}", "unbalanced or stray brace"),
        ("{{ x|filter }}", "Unknown placeholder {{ x|filter }}"),
        ("{{ x.__class__ }}", "Unknown placeholder {{ x.__class__ }}"),
    ],
)
def test_errors_refuse_template_syntax(body, message):
    errors = placeholders.errors(body)
    assert errors
    assert message in " ".join(errors)


def test_unknown_placeholder_message_lists_the_allowed_ones():
    [message] = placeholders.errors("Dear {{ supplier.ceo }},")
    assert message.startswith("Unknown placeholder {{ supplier.ceo }}.")
    for name in placeholders.NAMES:
        assert f"{{{{ {name} }}}}" in message


@pytest.mark.parametrize(
    "body",
    ["", "Plain text.", "“Quotes” – dashes – and 100 % of it.", "{{ supplier.name }}, {{ today }}"],
)
def test_errors_accept_good_text(body):
    assert placeholders.errors(body) == []


@pytest.mark.parametrize(
    ("body", "values", "expected"),
    [
        (
            "{{ supplier.name }} ({{ supplier.country }})",
            VALUES,
            "<supplier.name> (<supplier.country>)",
        ),
        ("{{supplier.name}}", {"supplier.name": "Mistral AI"}, "Mistral AI"),
        # Values are inserted as they are, in one pass: never read as placeholders or markup.
        ("{{ supplier.name }}", {"supplier.name": "{{ today }}"}, "{{ today }}"),
        (
            "{{ supplier.name }}",
            {"supplier.name": '<img src="file:///etc/passwd">'},
            '<img src="file:///etc/passwd">',
        ),
        ("No placeholder", {}, "No placeholder"),
    ],
)
def test_render_fills_in_values_as_plain_text(body, values, expected):
    assert placeholders.render(body, values) == expected


def test_render_refuses_a_placeholder_without_value():
    with pytest.raises(ValueError, match="supplier.name"):
        placeholders.render("{{ supplier.name }}", {})


def test_render_never_resolves_names_outside_the_list():
    with pytest.raises(ValueError, match="__class__"):
        placeholders.render("{{ supplier.__class__ }}", {"supplier.__class__": "x"})


def test_paragraphs_split_at_blank_lines_and_fold_line_breaks():
    text = "First line\ncontinues.\n\n  \n(a) item\n\r\nLast."
    assert placeholders.paragraphs(text) == ["First line continues.", "(a) item", "Last."]


@pytest.mark.parametrize(
    ("labels", "text"),
    [
        ([], "none"),
        (["robots.txt obeyed"], "“robots.txt obeyed”"),
        (["A, B", "C"], "“A, B” and “C”"),
        (["A", "B", "C"], "“A”, “B” and “C”"),
        # A label never adds a paragraph or a list item to the clause it is listed in.
        (["Line one\n\n(a) line two"], "“Line one (a) line two”"),
    ],
)
def test_listing_writes_labels_as_one_run_of_text(labels, text):
    assert placeholders.listing(labels) == text


def test_list_placeholders_are_allowed_in_clause_text():
    body = "Open: {{ items.open }}. Gaps: {{ items.gaps }}. Form {{ mdf.version }}: {{ mdf.downstream_missing }}."
    assert placeholders.errors(body) == []


def test_a_list_reads_as_one_run_of_text_inside_a_sentence():
    text = placeholders.render("Open: {{ items.open }}.", {"items.open": ["A, B", "C"]})
    assert text == "Open: “A, B” and “C”."


def test_a_list_alone_in_its_paragraph_prints_one_entry_per_line():
    values = {"items.gaps": ["First gap", "Second\n\n(a) gap"], "mdf.version": "2"}
    body = "Gaps found:\n\n{{ items.gaps }}\n\nClose them."

    blocks = clause_blocks(7, body, values)

    assert [(b.label, b.text, b.entry) for b in blocks] == [
        ("7.1", "Gaps found:", False),
        ("–", "First gap", True),
        # An entry's text never becomes a paragraph or a list item of its own.
        ("–", "Second (a) gap", True),
        ("7.2", "Close them.", False),
    ]
    assert [b.text for b in clause_blocks(7, "{{ items.gaps }}", {"items.gaps": []})] == ["none"]
    # Only list placeholders: another placeholder alone is an ordinary paragraph.
    assert clause_blocks(7, "{{ mdf.version }}", values)[0].entry is False
