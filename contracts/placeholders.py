"""Placeholders in clause text: `{{ supplier.name }}` and nothing more.

Clause bodies are written by admins, so they never go through Django's template engine: a
template could reach object attributes, filters and tags. This is a single regex pass over
the text that knows a fixed list of names. Anything else that looks like template syntax
(tags, filters, attribute paths, stray braces) is refused when the clause is saved.

`render` returns plain text. The PDF template inserts it with autoescaping on, and Word files
take it as text, so a value such as "<img src=...>" is printed, never interpreted.
"""

import re

# The names a clause may use, with what they stand for. Order is the order shown to curators.
PLACEHOLDERS = {
    "supplier.name": "the supplier's trading name",
    "supplier.legal_name": "the supplier's legal name",
    "supplier.country": "the country where the supplier is established",
    "supplier.representative": "the supplier's authorised representative in the EU",
    "model.name": "the model's name",
    "model.version": "the model's version",
    "chapters.signed": "the Code of Practice chapters the supplier signed",
    "chapters.unsigned": "the Code of Practice chapters the supplier did not sign",
    "assessment.reference": "the procurement reference of the assessment",
    "decision.date": "the date of the decision on the assessment",
    "items.open": "the checklist items not yet settled (open, requested or received), by title",
    "items.gaps": "the checklist items found to be gaps, by title",
    "items.open_safety_security": "the safety and security checklist items not yet settled",
    "mdf.version": "the version of the supplier's current confirmed Model Documentation Form",
    "mdf.downstream_missing": (
        "the fields for downstream providers missing or incomplete in that form"
    ),
    "today": "the date of the document",
}
NAMES = frozenset(PLACEHOLDERS)
# Placeholders whose value is a list. Inside a sentence the list reads as one run of text
# (`listing`); a paragraph that holds nothing but the placeholder prints one entry per line.
LISTS = frozenset(
    {"items.open", "items.gaps", "items.open_safety_security", "mdf.downstream_missing"}
)
_ALONE = re.compile(r"\{\{\s*(?P<name>[^{}\s]+)\s*\}\}")

_TAG = re.compile(r"\{\{(.*?)\}\}")
_BRACE = re.compile(r"[{}]")


def allowed_list():
    """The allowed placeholders as a curator types them, for messages and help texts."""
    return ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS)


def _names(body):
    return [match.group(1).strip() for match in _TAG.finditer(body or "")]


def validate(body):
    """The placeholder names in `body` that are not allowed, in order of appearance, once each.

    A filter (`x|upper`), an attribute path (`x.__class__`) or an empty tag is simply a name
    that is not on the list.
    """
    unknown = []
    for name in _names(body):
        if name not in NAMES and name not in unknown:
            unknown.append(name)
    return unknown


def syntax_errors(body):
    """Problems with the text outside placeholders: template tags, comments, stray braces."""
    body = body or ""
    errors = []
    if "{%" in body or "%}" in body:
        errors.append("Template tags ({% … %}) are not allowed in clause text.")
    if "{#" in body or "#}" in body:
        errors.append("Template comments ({# … #}) are not allowed in clause text.")
    if not errors and _BRACE.search(_TAG.sub("", body)):
        errors.append(
            "Braces may only appear in complete placeholders such as {{ supplier.name }}; "
            "this text has an unbalanced or stray brace."
        )
    return errors


def errors(body):
    """Every reason to refuse `body`, as messages a curator can act on; empty if it is fine."""
    messages = syntax_errors(body)
    unknown = validate(body)
    if unknown:
        listed = ", ".join(f"{{{{ {name} }}}}" for name in unknown)
        messages.append(
            f"Unknown placeholder{'s' if len(unknown) > 1 else ''} {listed}. "
            f"Allowed: {allowed_list()}."
        )
    return messages


def render(body, values):
    """`body` with each placeholder replaced by its value, as plain text, in one pass.

    Values are inserted literally: a value that itself contains `{{ … }}` stays as it is.
    Raises ValueError for a name without a value, which `validate` would have refused.
    """

    def replace(match):
        name = match.group(1).strip()
        if name not in NAMES or name not in values:
            raise ValueError(f"No value for placeholder {{{{ {name} }}}}.")
        value = values[name]
        return listing(value) if isinstance(value, list | tuple) else str(value)

    return _TAG.sub(replace, body or "")


def list_alone(paragraph, values):
    """The entries of a paragraph that is a list placeholder and nothing else, each with its
    whitespace folded ("none" for an empty list); None for any other paragraph."""
    match = _ALONE.fullmatch(paragraph.strip())
    if match is None or match["name"] not in LISTS:
        return None
    if match["name"] not in values:
        raise ValueError(f"No value for placeholder {{{{ {match['name']} }}}}.")
    entries = [" ".join(str(entry).split()) for entry in values[match["name"]]]
    return entries or ["none"]


def listing(labels):
    """Labels as one run of text for a list placeholder: “A”, “A” and “B”, “A”, “B” and “C”,
    or "none". Each label is quoted, so commas inside a label stay readable, and whitespace is
    folded: a placeholder never adds a paragraph or a list item."""
    quoted = [f"“{' '.join(str(label).split())}”" for label in labels]
    if not quoted:
        return "none"
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def paragraphs(text):
    """Text split into paragraphs at blank lines, each with its line breaks folded to spaces."""
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    return [re.sub(r"\s*\n\s*", " ", block).strip() for block in blocks if block.strip()]
