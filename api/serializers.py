"""What the API returns, and (for the reference) what its writes accept.

Writes are checked by the app's own forms, so the API and the pages accept and refuse the
same input with the same messages; the `*Write` serializers only describe the bodies.
"""

from rest_framework import serializers

from contracts.models import Document
from diligence.models import Assessment, AssessmentItem, Decision, Evidence
from vendors.models import GPAIModel, RegisterEntry, RegisterSnapshot, Signature, Supplier


class SignatureSummary(serializers.ModelSerializer):
    class Meta:
        model = Signature
        fields = ["chapter", "status", "verified_on"]


class SignatureOut(serializers.ModelSerializer):
    stale = serializers.SerializerMethodField()

    class Meta:
        model = Signature
        fields = ["chapter", "status", "signed_on", "source_url", "verified_on", "note", "stale"]

    def get_stale(self, signature) -> bool:
        return signature.is_stale()


SUPPLIER_FIELDS = [
    "id",
    "name",
    "legal_name",
    "country",
    "website",
    "contact_name",
    "contact_email",
    "eu_representative_name",
    "eu_representative_contact",
    "notes",
    "archived_at",
    "created_at",
    "updated_at",
]


class SupplierListOut(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code")
    model_count = serializers.IntegerField()
    has_systemic_model = serializers.BooleanField()
    signatures = SignatureSummary(many=True, source="listed_signatures")

    class Meta:
        model = Supplier
        fields = [*SUPPLIER_FIELDS, "model_count", "has_systemic_model", "signatures"]


# The API's text of a date or a time (None for none), as the serializers' fields write it.
_date = serializers.DateField().to_representation
_datetime = serializers.DateTimeField().to_representation
_SUPPLIER_DATETIMES = {"archived_at", "created_at", "updated_at"}


def supplier_list_rows(rows):
    """What SupplierListOut gives, built from the rows of vendors.queries.ListedSuppliers with
    the columns SUPPLIER_FIELDS: a serializer's fields per row cost more than the rest of the
    request. The values are those its fields give (text, numbers, dates in the API's format)."""
    return [
        {
            **{name: _supplier_value(name, row[name]) for name in SUPPLIER_FIELDS},
            "model_count": int(row["model_count"]),
            "has_systemic_model": bool(row["has_systemic_model"]),
            "signatures": [
                {
                    "chapter": signature["chapter"],
                    "status": signature["status"],
                    "verified_on": _date(signature["verified_on"]),
                }
                for signature in row["signatures"]
            ],
        }
        for row in rows
    ]


def _supplier_value(name, value):
    if value is None:
        return None
    if name == "id":
        return int(value)
    if name in _SUPPLIER_DATETIMES:
        return _datetime(value)
    return str(value)


class SupplierOut(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code")
    established_in_eu = serializers.BooleanField()
    signatures = SignatureOut(many=True)

    class Meta:
        model = Supplier
        fields = [*SUPPLIER_FIELDS, "established_in_eu", "signatures"]


class SupplierWrite(serializers.Serializer):
    name = serializers.CharField()
    legal_name = serializers.CharField(required=False)
    country = serializers.CharField(help_text="ISO 3166 two-letter code.")
    website = serializers.URLField(required=False)
    contact_name = serializers.CharField(required=False)
    contact_email = serializers.EmailField(required=False)
    eu_representative_name = serializers.CharField(required=False)
    eu_representative_contact = serializers.CharField(required=False)
    notes = serializers.CharField(required=False)


class SignatureWrite(serializers.Serializer):
    status = serializers.ChoiceField(choices=Signature._meta.get_field("status").choices)
    signed_on = serializers.DateField(required=False, allow_null=True)
    source_url = serializers.URLField(required=False, allow_blank=True)
    verified_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


MODEL_FIELDS = [
    "name",
    "version",
    "modalities",
    "placed_on_market",
    "training_compute_flop",
    "systemic_risk_status",
    "licence",
    "open_licence",
    "weights_public",
    "architecture_public",
    "usage_info_public",
    "monetised",
    "claims_open_source_exemption",
    "notes",
]


class ModelOut(serializers.ModelSerializer):
    training_compute_flop = serializers.DecimalField(
        max_digits=40, decimal_places=0, coerce_to_string=True, allow_null=True
    )
    modalities = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = GPAIModel
        fields = ["id", "supplier", *MODEL_FIELDS, "archived_at", "created_at", "updated_at"]


class ModelWrite(serializers.Serializer):
    supplier = serializers.IntegerField(help_text="Only when creating a model.")
    name = serializers.CharField()
    version = serializers.CharField(required=False)
    modalities = serializers.ListField(child=serializers.CharField(), required=False)
    placed_on_market = serializers.DateField(required=False, allow_null=True)
    training_compute_flop = serializers.CharField(required=False, help_text="e.g. 3.8e25")
    systemic_risk_status = serializers.CharField()
    licence = serializers.CharField(required=False)
    open_licence = serializers.BooleanField(required=False)
    weights_public = serializers.BooleanField(required=False)
    architecture_public = serializers.BooleanField(required=False)
    usage_info_public = serializers.BooleanField(required=False)
    monetised = serializers.BooleanField(required=False)
    claims_open_source_exemption = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False)


class DecisionOut(serializers.ModelSerializer):
    decided_by = serializers.CharField(source="decided_by.username")

    class Meta:
        model = Decision
        fields = ["id", "revision", "outcome", "conditions", "valid_until", "decided_by"]
        fields += ["decided_at"]


ASSESSMENT_FIELDS = [
    "id",
    "reference",
    "purpose",
    "supplier",
    "model",
    "owner",
    "due_date",
    "status",
    "revision",
    "decision",
    "items_applicable",
    "items_done",
    "gaps",
    "created_at",
    "updated_at",
]


class AssessmentListOut(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username")
    decision = DecisionOut(allow_null=True)
    gaps = serializers.IntegerField(source="gap_count")

    class Meta:
        model = Assessment
        fields = ASSESSMENT_FIELDS


class AssessmentOut(AssessmentListOut):
    checklist_version = serializers.IntegerField(source="checklist.version")
    decisions = DecisionOut(many=True)
    gaps = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [*ASSESSMENT_FIELDS, "checklist_version", "decisions"]

    def get_gaps(self, assessment) -> int:
        return (
            assessment.gaps_documentation
            + assessment.gaps_copyright
            + assessment.gaps_safety_security
        )


class ItemOut(serializers.ModelSerializer):
    code = serializers.CharField(source="checklist_item.code")
    title = serializers.CharField(source="checklist_item.title")
    category = serializers.CharField(source="checklist_item.category")
    required = serializers.BooleanField(source="checklist_item.required")
    reviewer = serializers.CharField(source="reviewer.username", allow_null=True, default=None)
    evidence_count = serializers.IntegerField()

    class Meta:
        model = AssessmentItem
        fields = [
            "id",
            "code",
            "title",
            "category",
            "required",
            "applicable",
            "exclusion_reason",
            "status",
            "justification",
            "notes",
            "reviewer",
            "reviewed_on",
            "version",
            "evidence_count",
            "updated_at",
        ]


# The lists of assessments and of an assessment's items are read as values() rows and written
# by plain functions, giving the JSON that AssessmentListOut and ItemOut give (a test compares
# them): DRF's field-by-field serialization, and the model instances it reads, cost a list page
# more than its queries. The serializers stay the reference and describe the schema.

ASSESSMENT_LIST_VALUES = [
    "id",
    "reference",
    "purpose",
    "supplier_id",
    "model_id",
    "owner__username",
    "due_date",
    "status",
    "revision",
    "items_applicable",
    "items_done",
    "gap_count",
    "created_at",
    "updated_at",
    "decision_id",
    "decision__revision",
    "decision__outcome",
    "decision__conditions",
    "decision__valid_until",
    "decision__decided_by__username",
    "decision__decided_at",
]


def assessment_list_out(row):
    """AssessmentListOut's representation of a row of ASSESSMENT_LIST_VALUES."""
    decision = None
    if row["decision_id"] is not None:
        decision = {
            "id": row["decision_id"],
            "revision": row["decision__revision"],
            "outcome": row["decision__outcome"],
            "conditions": row["decision__conditions"],
            "valid_until": _date(row["decision__valid_until"]),
            "decided_by": row["decision__decided_by__username"],
            "decided_at": _datetime(row["decision__decided_at"]),
        }
    return {
        "id": row["id"],
        "reference": row["reference"],
        "purpose": row["purpose"],
        "supplier": row["supplier_id"],
        "model": row["model_id"],
        "owner": row["owner__username"],
        "due_date": _date(row["due_date"]),
        "status": row["status"],
        "revision": row["revision"],
        "decision": decision,
        "items_applicable": row["items_applicable"],
        "items_done": row["items_done"],
        "gaps": row["gap_count"],
        "created_at": _datetime(row["created_at"]),
        "updated_at": _datetime(row["updated_at"]),
    }


ITEM_VALUES = [
    "id",
    "checklist_item__code",
    "checklist_item__title",
    "checklist_item__category",
    "checklist_item__required",
    "applicable",
    "exclusion_reason",
    "status",
    "justification",
    "notes",
    "reviewer__username",
    "reviewed_on",
    "version",
    "evidence_count",
    "updated_at",
]


def item_out(row):
    """ItemOut's representation of a row of ITEM_VALUES."""
    return {
        "id": row["id"],
        "code": row["checklist_item__code"],
        "title": row["checklist_item__title"],
        "category": row["checklist_item__category"],
        "required": row["checklist_item__required"],
        "applicable": row["applicable"],
        "exclusion_reason": row["exclusion_reason"],
        "status": row["status"],
        "justification": row["justification"],
        "notes": row["notes"],
        "reviewer": row["reviewer__username"],
        "reviewed_on": _date(row["reviewed_on"]),
        "version": row["version"],
        "evidence_count": row["evidence_count"],
        "updated_at": _datetime(row["updated_at"]),
    }


class ItemWrite(serializers.Serializer):
    status = serializers.ChoiceField(choices=AssessmentItem._meta.get_field("status").choices)
    justification = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    reviewed_on = serializers.DateField(required=False, allow_null=True)


class EvidenceOut(serializers.ModelSerializer):
    is_file = serializers.BooleanField(read_only=True)
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "description",
            "issuer",
            "effective_date",
            "valid_until",
            "url",
            "is_file",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "supersedes",
            "is_current",
            "created_at",
            "created_by",
        ]


class EvidenceLinkWrite(serializers.Serializer):
    url = serializers.URLField()
    description = serializers.CharField()
    issuer = serializers.CharField(required=False)
    effective_date = serializers.DateField(required=False)
    valid_until = serializers.DateField(required=False)
    supersedes = serializers.IntegerField(required=False, help_text="Evidence it replaces.")
    request_token = serializers.UUIDField(
        required=False, help_text="Sent again with a retry, the evidence is added once."
    )


class DocumentOut(serializers.ModelSerializer):
    filename = serializers.CharField(read_only=True)
    created_by = serializers.CharField(source="created_by.username")

    class Meta:
        model = Document
        fields = ["id", "document_id", "format", "version", "content_sha256", "file_sha256"]
        fields += ["size", "filename", "created_at", "created_by"]


class RegisterEntryOut(serializers.ModelSerializer):
    class Meta:
        model = RegisterEntry
        fields = ["row_number", "provider", "status", "chapters", "signed_on", "source_url"]
        fields += ["note", "supplier", "match"]


class RegisterSnapshotListOut(serializers.ModelSerializer):
    imported_by = serializers.CharField(source="imported_by.username", allow_null=True)
    entry_count = serializers.IntegerField()
    pending_count = serializers.IntegerField()

    class Meta:
        model = RegisterSnapshot
        fields = ["id", "taken_on", "source_url", "file_name", "file_sha256", "imported_at"]
        fields += ["imported_by", "entry_count", "pending_count"]


class RegisterSnapshotOut(RegisterSnapshotListOut):
    entries = RegisterEntryOut(many=True)

    class Meta(RegisterSnapshotListOut.Meta):
        fields = [*RegisterSnapshotListOut.Meta.fields, "entries"]


class RegisterImportWrite(serializers.Serializer):
    file = serializers.FileField(help_text="CSV or JSON, as on the import page.")
    taken_on = serializers.DateField()
    source_url = serializers.URLField()


class ErrorOut(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
