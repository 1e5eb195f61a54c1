"""The reads of the clause-pack page and of document generation."""

from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects

from contracts import content, packs
from contracts.models import Clause, ClauseLibrary, ClauseOverride, Document, LibraryStatus
from diligence.models import Assessment, AssessmentItem
from diligence.queries import items_with_evidence_count
from documentation.models import MdfDocument, MdfField, RecordStatus
from vendors.models import GPAIModel, Signature


def model_for_what_if():
    """A model with what its facts are derived from (supplier, signatures, original model),
    without the model page's record of who created and changed it: two joins fewer."""
    return GPAIModel.objects.select_related(
        "supplier", "modification_of__supplier"
    ).prefetch_related("supplier__signatures")


def newest_library():
    """The newest published clause library, with its clauses in order; None if there is none."""
    return (
        ClauseLibrary.objects.filter(status=LibraryStatus.PUBLISHED)
        .order_by("-version")
        .prefetch_related(Prefetch("clauses", queryset=Clause.objects.order_by("order", "key")))
        .first()
    )


def _confirmed_mdfs(lookup):
    """A model's confirmed Model Documentation Forms, newest first, with their catalogue's
    fields and their values, as `confirmed_mdfs` (read by `content.mdf_state`)."""
    return Prefetch(
        lookup,
        queryset=MdfDocument.objects.filter(status=RecordStatus.CONFIRMED)
        .order_by("-created_at", "-pk")
        .select_related("catalogue")
        .prefetch_related(
            Prefetch("catalogue__fields", queryset=MdfField.objects.order_by("order", "key")),
            "values",
        ),
        to_attr="confirmed_mdfs",
    )


def with_confirmed_mdfs(model):
    """`model` with its confirmed Model Documentation Forms loaded, for `content.mdf_state`."""
    prefetch_related_objects([model], _confirmed_mdfs("mdf_documents"))
    return model


def assessment_for_pack(queryset=None):
    """Everything a clause pack and its documents are made from, in a fixed number of queries."""
    queryset = Assessment.objects.all() if queryset is None else queryset
    # The items as the assessment page lists them: triggers and documents read no more.
    items = items_with_evidence_count(AssessmentItem.objects).order_by(
        "checklist_item__order", "checklist_item__code"
    )
    return queryset.select_related(
        "supplier",
        "model__supplier",
        "model__modification_of__supplier",
        "checklist",
        "decision",
        "clause_pack",
    ).prefetch_related(
        Prefetch("items", queryset=items),
        Prefetch("supplier__signatures", queryset=Signature.objects.order_by("chapter")),
        _confirmed_mdfs("model__mdf_documents"),
        Prefetch(
            "clause_pack__overrides",
            queryset=ClauseOverride.objects.select_related("created_by").order_by(
                "created_at", "id"
            ),
        ),
    )


def overrides_of(assessment):
    """Legal's overrides of the assessment's pack, oldest first (uses the prefetched rows)."""
    pack = getattr(assessment, "clause_pack", None)
    return list(pack.overrides.all()) if pack is not None else []


def documents_of(assessment):
    return (
        Document.objects.filter(assessment=assessment)
        .select_related("created_by", "assessment")
        .order_by("format", "-version")
    )


@dataclass(frozen=True)
class PackState:
    library: object  # the newest published ClauseLibrary, or None
    overrides: list  # Legal's ClauseOverride rows, oldest first
    facts: object  # triggers.PackFacts
    pack: object  # packs.Pack


def clause_pack_state(assessment):
    """The clause pack of an assessment loaded by `assessment_for_pack`, as it stands now."""
    library = newest_library()
    overrides = overrides_of(assessment)
    facts = content.pack_facts(assessment)
    clauses = library.clauses.all() if library is not None else []
    return PackState(library, overrides, facts, packs.assemble(clauses, facts, overrides))
