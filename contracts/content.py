"""What a clause pack is made from, as plain data.

`pack_facts` gives the triggers their snapshot; `schedule_snapshot` and `report_snapshot` are
the content a document is rendered from, stored with it and hashed: the contract schedule for the
supplier holds the clauses only, the due-diligence report everything the buyer knows. Both read rows that `queries.assessment_for_pack`
loaded and run no queries of their own.

The snapshot holds no date of its own: the same content generated on another day is the same
document. `{{ today }}` is filled in from the date of the document when it is rendered.
"""

import datetime
import hashlib
import json

from django.utils import timezone

from contracts import triggers
from contracts.models import ClauseCategory
from diligence.applicability import Category
from documentation import completeness
from vendors import facts as vendor_facts
from vendors.models import Chapter, SignatureStatus

SNAPSHOT_SCHEMA = 1
_SIGNATURE_LABELS = dict(SignatureStatus.choices)
_CATEGORY_LABELS = dict(Category.CHOICES)
_CLAUSE_CATEGORY_LABELS = dict(ClauseCategory.choices)


def long_date(value):
    """2 August 2027."""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return f"{value.day} {value:%B %Y}"


def _chapter_statuses(assessment):
    signatures = {s.chapter: s for s in assessment.supplier.signatures.all()}
    statuses = []
    for chapter in Chapter:
        signature = signatures.get(chapter.value)
        status = signature.status if signature else SignatureStatus.UNKNOWN
        statuses.append(
            triggers.ChapterStatus(
                chapter=chapter.value,
                label=chapter.label,
                status=status,
                status_label=_SIGNATURE_LABELS[status],
            )
        )
    return tuple(statuses), signatures


def mdf_state(model):
    """The model's current confirmed Model Documentation Form as the triggers see it, or None.

    Reads the versions `queries.assessment_for_pack` prefetched (confirmed ones, newest first,
    with their catalogue's fields and their values); the missing fields are those the
    documentation pages count as missing or incomplete for downstream providers.
    """
    documents = getattr(model, "confirmed_mdfs", None)
    if not documents:
        return None
    document = documents[0]
    specs = [completeness.spec_of(row) for row in document.catalogue.fields.all()]
    values = {v.field_key: (v.value, v.not_applicable) for v in document.values.all()}
    # Staleness is not this clause's concern: the dates only satisfy the signature.
    result = completeness.assess(
        specs, values, last_updated=document.last_updated, today=document.last_updated
    )
    return triggers.MdfState(
        version=document.document_version,
        missing=tuple(f"{spec.number} {spec.label}" for spec in result.missing),
    )


def pack_facts(assessment):
    """The triggers' view of an assessment loaded by `queries.assessment_for_pack`.

    The model's facts are derived once, with the buyer's plans, by `vendors.facts.derive`: the
    same object the checklist rules read.
    """
    chapters, _signatures = _chapter_statuses(assessment)
    model = assessment.model
    model_facts = model.facts({c.chapter for c in chapters if c.signed}, buyer=assessment)
    return triggers.PackFacts(
        chapters=chapters,
        items=tuple(
            triggers.ItemState(
                code=item.checklist_item.code,
                category=item.checklist_item.category,
                status=item.status,
                status_label=item.get_status_display(),
                applicable=item.applicable,
            )
            for item in assessment.items.all()
        ),
        derived=vendor_facts.derive(model_facts, with_buyer=True),
        country=assessment.supplier.country.name,
        mdf=mdf_state(model),
    )


def _join(labels):
    labels = list(labels)
    if not labels:
        return "none"
    if len(labels) == 1:
        return labels[0]
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


def _decision_date(assessment):
    decision = assessment.decision
    return timezone.localdate(decision.decided_at) if decision is not None else None


def placeholder_values(assessment):
    """The values of every placeholder except `today`, which is the date of the document."""
    supplier, model = assessment.supplier, assessment.model
    chapters, _signatures = _chapter_statuses(assessment)
    representative = ", ".join(
        part
        for part in (supplier.eu_representative_name, supplier.eu_representative_contact)
        if part
    )
    decided = _decision_date(assessment)
    items = [item for item in assessment.items.all() if item.applicable]
    mdf = mdf_state(model)
    return {
        "supplier.name": supplier.name,
        "supplier.legal_name": supplier.legal_name or supplier.name,
        "supplier.country": supplier.country.name,
        "supplier.representative": representative or "none recorded",
        "model.name": model.name,
        "model.version": model.version or "not stated",
        "chapters.signed": _join(c.label for c in chapters if c.signed),
        "chapters.unsigned": _join(c.label for c in chapters if not c.signed),
        "assessment.reference": assessment.reference,
        "decision.date": long_date(decided) if decided else "not yet decided",
        # Lists (placeholders.LISTS): one entry per line where the placeholder stands alone.
        "items.open": [i.checklist_item.title for i in items if i.status in triggers.OPEN_STATUSES],
        "items.gaps": [i.checklist_item.title for i in items if i.status == triggers.GAP],
        "items.open_safety_security": [
            i.checklist_item.title
            for i in items
            if i.status in triggers.OPEN_STATUSES
            and i.checklist_item.category == Category.SAFETY_SECURITY
        ],
        "mdf.version": mdf.version if mdf else "none recorded",
        "mdf.downstream_missing": list(mdf.missing) if mdf else [],
    }


def with_today(values, today):
    return {**values, "today": long_date(today)}


def _signature_row(chapter, signature):
    """One chapter of the signatures table; a chapter without a row is "Unknown"."""
    if signature is None:
        return {"chapter": chapter.label, "status": "Unknown", "signed_on": None, "source": ""}
    return {
        "chapter": chapter.label,
        "status": _SIGNATURE_LABELS[signature.status],
        "signed_on": signature.signed_on.isoformat() if signature.signed_on else None,
        "source": signature.source_url,
    }


def _added(entry):
    """In the pack only because Legal added it."""
    return entry.added and not entry.selection.selected


def schedule_snapshot(assessment, library, pack):
    """The content of the contract schedule: what the supplier may read, and nothing else.

    No statuses, gaps, evidence, decision, or reasons why a clause was selected or added: the
    clauses, their legal basis and the values of their placeholders.
    """
    supplier, model = assessment.supplier, assessment.model
    return {
        "schema": SNAPSHOT_SCHEMA,
        "kind": "schedule",
        "supplier": {
            "name": supplier.name,
            "legal_name": supplier.legal_name,
            "country": supplier.country.name,
        },
        "model": {"name": model.name, "version": model.version},
        "reference": assessment.reference,
        "library": {"name": library.name, "version": library.version},
        "clauses": [
            {
                "number": entry.number,
                "key": entry.clause.key,
                "title": entry.clause.title,
                "category": _CLAUSE_CATEGORY_LABELS.get(
                    entry.clause.category, entry.clause.category
                ),
                "legal_basis": entry.clause.legal_basis,
                "body": entry.clause.body,
            }
            for entry in pack.included
        ],
        "values": placeholder_values(assessment),
    }


def _evidence_row(evidence):
    return {
        "item": evidence.item.checklist_item.code,
        "description": evidence.description,
        "name": evidence.original_name or evidence.url,
        "sha256": evidence.sha256,
        "issuer": evidence.issuer,
        "effective": evidence.effective_date.isoformat() if evidence.effective_date else None,
        "valid_until": evidence.valid_until.isoformat() if evidence.valid_until else None,
        "added": timezone.localdate(evidence.created_at).isoformat(),
    }


def _change_row(override):
    user = override.created_by
    return {
        "action": override.get_action_display(),
        "title": override.clause_title,
        "reason": override.reason,
        "by": user.get_full_name() or user.get_username(),
        "date": timezone.localdate(override.created_at).isoformat(),
    }


def report_snapshot(assessment, library, pack, *, evidence, overrides):
    """The content of the due-diligence report: the schedule's content and the record behind it
    (statuses, evidence with names and hashes, the decision, why each clause is in the pack and
    Legal's changes with their reasons). `evidence` and `overrides` are rows already loaded."""
    snapshot = document_snapshot(assessment, library, pack)
    decision = assessment.decision
    if decision is not None:
        snapshot["assessment"]["decision"]["conditions"] = decision.conditions
    return {
        **snapshot,
        "kind": "report",
        "evidence": [_evidence_row(row) for row in evidence],
        "changes": [_change_row(row) for row in overrides],
    }


def document_snapshot(assessment, library, pack):
    """The clause-pack content as the first documents printed it, statuses and reasons included.

    The due-diligence report builds on it (`report_snapshot`); a snapshot without a "kind" is
    one of those first documents and is printed as a report.
    """
    supplier, model = assessment.supplier, assessment.model
    _chapters, signatures = _chapter_statuses(assessment)
    decision = assessment.decision
    return {
        "schema": SNAPSHOT_SCHEMA,
        "supplier": {
            "name": supplier.name,
            "legal_name": supplier.legal_name,
            "country": supplier.country.name,
            "in_eu": supplier.established_in_eu,
            "representative": supplier.eu_representative_name,
        },
        "model": {"name": model.name, "version": model.version},
        "assessment": {
            "reference": assessment.reference,
            "revision": assessment.revision,
            "status": assessment.get_status_display(),
            "checklist": f"{assessment.checklist.name} v{assessment.checklist.version}",
            "decision": None
            if decision is None
            else {
                "outcome": decision.get_outcome_display(),
                "date": _decision_date(assessment).isoformat(),
                "valid_until": decision.valid_until.isoformat(),
            },
        },
        "signatures": [
            _signature_row(chapter, signatures.get(chapter.value)) for chapter in Chapter
        ],
        "items": [
            {
                "code": item.checklist_item.code,
                "title": item.checklist_item.title,
                "category": _CATEGORY_LABELS.get(
                    item.checklist_item.category, item.checklist_item.category
                ),
                "status": item.get_status_display(),
                "evidence": item.evidence_count,
                # Only when there is one, so documents without pending items hash as before.
                **({"pending": item.pending_reason} if item.pending_reason else {}),
            }
            for item in assessment.items.all()
            if item.applicable
        ],
        "library": {"name": library.name, "version": library.version},
        "clauses": [
            {
                "number": entry.number,
                "key": entry.clause.key,
                "title": entry.clause.title,
                "category": _CLAUSE_CATEGORY_LABELS.get(
                    entry.clause.category, entry.clause.category
                ),
                "legal_basis": entry.clause.legal_basis,
                "body": entry.clause.body,
                "reason": entry.override.reason if _added(entry) else entry.selection.reason,
                "added": _added(entry),
            }
            for entry in pack.included
        ],
        "values": placeholder_values(assessment),
    }


def canonical_json(snapshot):
    """The one byte string a snapshot hashes to: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def content_sha256(snapshot):
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()
