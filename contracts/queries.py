"""The reads of the clause-pack page and of document generation."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects

from contracts import content, packs
from contracts.models import Clause, ClauseLibrary, ClauseOverride, Document, LibraryStatus
from diligence.models import Assessment, AssessmentItem, Checklist
from diligence.queries import items_with_evidence_count
from documentation.models import MdfDocument, MdfField, RecordStatus
from vendors.models import GPAIModel, Signature


def model_for_what_if():
    """A model with what its facts are derived from (supplier, signatures, original model),
    without the model page's record of who created and changed it: two joins fewer."""
    return GPAIModel.objects.select_related(
        "supplier", "modification_of__supplier"
    ).prefetch_related("supplier__signatures")


# Published versions never change (core.library), so a version with its rows is kept in the
# cache under the version's id, number and time of publication. Which version is the newest is
# read on every request, in one query for the checklist and the clause library together: a
# version published or retired changes the key that is read. The timeout only frees memory.
PUBLISHED_TIMEOUT = 3600


def _newest_published_sql():
    quote = connection.ops.quote_name
    id_, version, published_at, status = map(quote, ["id", "version", "published_at", "status"])

    def newest(model):
        table = quote(model._meta.db_table)
        columns = f"{id_}, {version}, {published_at}"
        where = f"{status} = %s ORDER BY {version} DESC LIMIT 1"
        return f"(SELECT {columns} FROM {table} WHERE {where})"  # noqa: S608 - names only

    checklist, library = newest(Checklist), newest(ClauseLibrary)
    joins = f"LEFT JOIN {checklist} AS c ON 1 = 1 LEFT JOIN {library} AS l ON 1 = 1"
    return f"SELECT c.*, l.* FROM (SELECT 1) AS one {joins}"  # noqa: S608 - names only


def _newest_published_keys():
    """The cache keys of the newest published checklist and clause library (None for none)."""
    with connection.cursor() as cursor:
        cursor.execute(_newest_published_sql(), [LibraryStatus.PUBLISHED] * 2)
        row = cursor.fetchone()
    return _key("published-checklist", row[:3]), _key("published-clauses", row[3:])


def _key(name, version):
    """`name:id:number:published_at`, without spaces (the time as the database gives it)."""
    if version[0] is None:
        return None
    return f"{name}:{':'.join(str(value) for value in version)}".replace(" ", "T")


# The versions this process last read, by key, ahead of the cache: reading one back from the
# cache unpickles it, about a millisecond for a library of clauses. The callers only read them.
_IN_PROCESS_VERSIONS = 4
_in_process = {}


def forget_versions_read():
    """Empty this process's versions ahead of the cache, as clearing the cache empties it."""
    _in_process.clear()


def _published(key, load):
    if key is None:
        return None
    version = _in_process.get(key)
    if version is None:
        version = cache.get(key)
        if version is None:
            version = load(int(key.split(":")[1]))
            cache.set(key, version, PUBLISHED_TIMEOUT)
        while len(_in_process) >= _IN_PROCESS_VERSIONS:
            del _in_process[next(iter(_in_process))]
        _in_process[key] = version
    return version


def _library(pk):
    clauses = Clause.objects.order_by("order", "key")
    return ClauseLibrary.objects.prefetch_related(Prefetch("clauses", queryset=clauses)).get(pk=pk)


def _checklist(pk):
    return Checklist.objects.prefetch_related("items").get(pk=pk)


def newest_library():
    """The newest published clause library, with its clauses in order; None if there is none."""
    return _published(_newest_published_keys()[1], _library)


def newest_published():
    """(the newest published checklist with its items, the newest published clause library
    with its clauses); None for either if there is none."""
    checklist_key, library_key = _newest_published_keys()
    return _published(checklist_key, _checklist), _published(library_key, _library)


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


# What the clause-pack page reads of the rows `assessment_for_pack` joins: what the triggers
# (`vendors.GPAIModel.facts`), the placeholders and the page's heading read. The checklist,
# which only the documents name, is not joined: a third of the columns to compile and read.
_MODEL_FACTS = [
    "name",
    "version",
    "supplier",
    "modification_of",
    "upstream_model_name",
    "upstream_provider_name",
    "upstream_compute_flop",
    "training_compute_flop",
    "modification_compute_flop",
    "systemic_risk_status",
    "systemic_risk_decided_on",
    "systemic_risk_source",
    "placed_on_market",
    "open_licence",
    "weights_public",
    "architecture_public",
    "usage_info_public",
    "monetised",
    "claims_open_source_exemption",
]
_SUPPLIER = ["name", "legal_name", "country", "eu_representative_name", "eu_representative_contact"]
PACK_PAGE_FIELDS = [
    "reference",
    "buyer_plans_fine_tuning",
    "buyer_fine_tuning_flop",
    "decision__decided_at",
    "clause_pack__assessment",
    *[f"supplier__{name}" for name in _SUPPLIER],
    *[f"model__{name}" for name in _MODEL_FACTS],
    *[f"model__supplier__{name}" for name in _SUPPLIER],
    *[f"model__modification_of__{name}" for name in _MODEL_FACTS],
    *[f"model__modification_of__supplier__{name}" for name in _SUPPLIER],
]


def assessment_for_pack_page():
    """`assessment_for_pack` for the clause-pack page: the columns it reads (see above)."""
    return (
        assessment_for_pack()
        .select_related(None)
        .select_related(
            "supplier",
            "model__supplier",
            "model__modification_of__supplier",
            "decision",
            "clause_pack",
        )
        .only(*PACK_PAGE_FIELDS)
    )


def overrides_of(assessment):
    """Legal's overrides of the assessment's pack, oldest first (uses the prefetched rows)."""
    pack = getattr(assessment, "clause_pack", None)
    return list(pack.overrides.all()) if pack is not None else []


def documents_of(assessment):
    """The assessment's documents as the page lists them: without the content they were made
    from (`snapshot`), which the page does not show."""
    return (
        Document.objects.filter(assessment=assessment)
        .select_related("created_by")
        .defer("snapshot")
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
