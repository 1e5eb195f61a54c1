"""The columns of the supplier list's CSV export."""

from vendors.models import Chapter, SignatureStatus

_STATUS = dict(SignatureStatus.choices)


def _signature(chapter):
    def status(supplier):
        signature = next((s for s in supplier.listed_signatures if s.chapter == chapter), None)
        return _STATUS[signature.status] if signature else ""

    return status


def _checked(chapter):
    def verified_on(supplier):
        signature = next((s for s in supplier.listed_signatures if s.chapter == chapter), None)
        return signature.verified_on if signature else None

    return verified_on


# Reads what vendors.queries.suppliers_for_list annotates and prefetches; no query per row.
SUPPLIER_COLUMNS = [
    ("Name", lambda s: s.name),
    ("Legal name", lambda s: s.legal_name),
    ("Country", lambda s: s.country.code),
    ("Established in the EU/EEA", lambda s: s.established_in_eu),
    ("Website", lambda s: s.website),
    ("Models", lambda s: s.model_count),
    ("Has a systemic-risk model", lambda s: s.has_systemic_model),
    *[
        column
        for chapter in Chapter
        for column in (
            (chapter.label, _signature(chapter.value)),
            (f"{chapter.label} checked on", _checked(chapter.value)),
        )
    ],
    ("Archived on", lambda s: s.archived_at),
    ("Last changed", lambda s: s.updated_at),
]
