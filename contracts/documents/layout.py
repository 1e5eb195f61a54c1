"""How a snapshot is laid out in a document: the structure both the PDF and the Word file print.

Pure functions over the snapshot (see `contracts.content.document_snapshot`), so the two
formats say the same thing and a test can read the structure without rendering.
"""

import datetime
import re
from dataclasses import dataclass, field

from contracts import placeholders
from contracts.content import long_date, with_today

# "(a) ", "(b) ", "(iv) " at the start of a paragraph: an item of a list, not a paragraph.
_LIST_ITEM = re.compile(r"\((?P<label>[a-z]|[ivx]{1,4})\)\s+(?P<text>.+)", re.DOTALL)

TITLE = "Due-diligence report"
SUBTITLE = (
    "Internal record of the due diligence on a general-purpose AI model under Regulation (EU) "
    "2024/1689 (AI Act), Chapter V, and of the clauses proposed for the contract"
)
DISCLAIMER = (
    "Internal: for the buyer only, not for the supplier. The contract schedule made from the "
    "same clause pack holds the clauses without this record."
)
SCHEDULE_TITLE = "Contract schedule"
SCHEDULE_SUBTITLE = (
    "Clauses for the supply of a general-purpose AI model under Regulation (EU) 2024/1689 "
    "(AI Act), Chapter V"
)
SCHEDULE_DISCLAIMER = (
    "The clauses are proposed for negotiation and become binding only as agreed in the "
    "contract they are attached to."
)


@dataclass(frozen=True)
class DocumentMeta:
    """What a document has beyond its content: its identity, version and date."""

    document_id: str
    version: int
    date: datetime.date
    content_sha256: str


@dataclass(frozen=True)
class Block:
    label: (
        str  # "4.2", "(a)", "–" for an entry of a listed value, or "" for a clause of one paragraph
    )
    text: str
    list_item: bool = False
    entry: bool = False  # one entry of a list placeholder that stands alone in its paragraph


@dataclass(frozen=True)
class ClauseView:
    number: int
    anchor: str
    title: str
    category: str
    legal_basis: str
    reason: str
    added: bool
    blocks: tuple


@dataclass(frozen=True)
class ItemGroup:
    category: str
    items: tuple  # dicts from the snapshot


@dataclass(frozen=True)
class CategoryGroup:
    category: str
    clauses: tuple = field(default=())


@dataclass(frozen=True)
class DocumentView:
    kind: str  # "schedule" or "report"
    title: str
    subtitle: str
    disclaimer: str
    cover: tuple  # (label, value) rows
    signatures: tuple
    item_groups: tuple
    clause_groups: tuple
    clauses: tuple
    meta: DocumentMeta
    supplier_name: str
    model_label: str
    reference: str
    evidence: tuple = ()
    changes: tuple = ()


def clause_blocks(number, body, values):
    """A clause's paragraphs with their labels, placeholders filled in.

    The body is split before it is rendered, so a value can never add a paragraph or a list
    item; a list placeholder alone in its paragraph prints one entry per line, each as text.
    Paragraphs are numbered 4.1, 4.2 ... only when there are several.
    """
    parts = placeholders.paragraphs(body)
    paragraph_count = sum(
        1
        for part in parts
        if not _LIST_ITEM.fullmatch(part) and placeholders.list_alone(part, values) is None
    )
    blocks, counter = [], 0
    for part in parts:
        if (entries := placeholders.list_alone(part, values)) is not None:
            blocks.extend(Block("–", entry, entry=True) for entry in entries)
            continue
        if match := _LIST_ITEM.fullmatch(part):
            text = placeholders.render(match["text"], values)
            blocks.append(Block(f"({match['label']})", text, list_item=True))
            continue
        counter += 1
        label = f"{number}.{counter}" if paragraph_count > 1 else ""
        blocks.append(Block(label, placeholders.render(part, values)))
    return tuple(blocks)


def model_label(model):
    return f"{model['name']} {model['version']}".strip()


def _decision_text(decision):
    if decision is None:
        return "Not yet decided"
    return (
        f"{decision['outcome']} on {long_date(decision['date'])}, "
        f"valid until {long_date(decision['valid_until'])}"
    )


def _cover(snapshot, meta):
    supplier, assessment = snapshot["supplier"], snapshot["assessment"]
    rows = [
        ("Supplier", supplier["name"]),
        ("Legal name", supplier["legal_name"] or supplier["name"]),
        ("Established in", supplier["country"]),
        ("Model", model_label(snapshot["model"])),
        ("Assessment reference", assessment["reference"]),
        (
            "Assessment",
            f"{assessment['status']}, revision {assessment['revision']}, {assessment['checklist']}",
        ),
        ("Decision", _decision_text(assessment["decision"])),
        *(
            [("Conditions", assessment["decision"]["conditions"])]
            if assessment["decision"] and assessment["decision"].get("conditions")
            else []
        ),
        ("Clause library", f"{snapshot['library']['name']} v{snapshot['library']['version']}"),
        ("Date", long_date(meta.date)),
        ("Document version", str(meta.version)),
        ("Document ID", meta.document_id),
    ]
    return tuple(rows)


def _grouped(rows, key):
    groups = []
    for row in rows:
        if not groups or groups[-1][0] != row[key]:
            groups.append((row[key], []))
        groups[-1][1].append(row)
    return groups


def _clauses(snapshot, meta):
    values = with_today(snapshot["values"], meta.date)
    clauses = tuple(
        ClauseView(
            number=clause["number"],
            anchor=f"clause-{clause['number']}",
            title=clause["title"],
            category=clause["category"],
            legal_basis=clause["legal_basis"],
            reason=clause.get("reason", ""),
            added=clause.get("added", False),
            blocks=clause_blocks(clause["number"], clause["body"], values),
        )
        for clause in snapshot["clauses"]
    )
    clause_groups = []
    for clause in clauses:
        if not clause_groups or clause_groups[-1].category != clause.category:
            clause_groups.append(CategoryGroup(clause.category, ()))
        last = clause_groups[-1]
        clause_groups[-1] = CategoryGroup(last.category, (*last.clauses, clause))
    return clauses, tuple(clause_groups)


def _schedule_cover(snapshot, meta):
    supplier = snapshot["supplier"]
    return (
        ("Supplier", supplier["legal_name"] or supplier["name"]),
        ("Established in", supplier["country"]),
        ("Model", model_label(snapshot["model"])),
        ("Buyer's reference", snapshot["reference"]),
        ("Clause library", f"{snapshot['library']['name']} v{snapshot['library']['version']}"),
        ("Date", long_date(meta.date)),
        ("Document version", str(meta.version)),
        ("Document ID", meta.document_id),
    )


def schedule_view(snapshot, meta):
    """The contract schedule: cover, contents and clauses; nothing of the internal record."""
    clauses, clause_groups = _clauses(snapshot, meta)
    return DocumentView(
        kind="schedule",
        title=SCHEDULE_TITLE,
        subtitle=SCHEDULE_SUBTITLE,
        disclaimer=SCHEDULE_DISCLAIMER,
        cover=_schedule_cover(snapshot, meta),
        signatures=(),
        item_groups=(),
        clause_groups=clause_groups,
        clauses=clauses,
        meta=meta,
        supplier_name=snapshot["supplier"]["name"],
        model_label=model_label(snapshot["model"]),
        reference=snapshot["reference"],
    )


def _date_or_dash(value):
    return long_date(value) if value else "—"


def view_for(snapshot, meta):
    """The view of a stored snapshot: a schedule, or a report (snapshots without a kind are the
    first documents, which were reports)."""
    if snapshot.get("kind") == "schedule":
        return schedule_view(snapshot, meta)
    return document_view(snapshot, meta)


def document_view(snapshot, meta):
    """Everything the due-diligence report prints, in reading order."""
    clauses, clause_groups = _clauses(snapshot, meta)
    return DocumentView(
        kind="report",
        title=TITLE,
        subtitle=SUBTITLE,
        disclaimer=DISCLAIMER,
        cover=_cover(snapshot, meta),
        signatures=tuple(
            {**row, "signed_on": long_date(row["signed_on"]) if row["signed_on"] else "—"}
            for row in snapshot["signatures"]
        ),
        item_groups=tuple(
            ItemGroup(category, tuple(items))
            for category, items in _grouped(snapshot["items"], "category")
        ),
        clause_groups=clause_groups,
        clauses=clauses,
        meta=meta,
        supplier_name=snapshot["supplier"]["name"],
        model_label=model_label(snapshot["model"]),
        reference=snapshot["assessment"]["reference"],
        evidence=tuple(
            {
                **row,
                "effective": _date_or_dash(row["effective"]),
                "valid_until": _date_or_dash(row["valid_until"]),
                "added": long_date(row["added"]),
            }
            for row in snapshot.get("evidence", ())
        ),
        changes=tuple(
            {**row, "date": long_date(row["date"])} for row in snapshot.get("changes", ())
        ),
    )
