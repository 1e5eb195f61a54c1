"""Assessments with their items, evidence metadata and decisions; clause-pack documents."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.response import Response

from api import serializers as s
from api.errors import PreconditionFailed
from api.locking import require_if_match
from api.pagination import Rows
from api.views.base import Endpoint, ListEndpoint, current_values, record_response, run, validated
from contracts import services as contract_services
from contracts.models import Document
from core.access import check_access, get_object_for
from core.files import content_disposition_attachment
from core.forms import valid_filters
from diligence import queries, services
from diligence.forms import AssessmentFilterForm, AssessmentItemForm, EvidenceForm
from diligence.models import Assessment, AssessmentItem, Decision, Evidence

ASSESSMENT_FILTERS = [
    OpenApiParameter("q", str, description="Search in reference, supplier and model"),
    OpenApiParameter("status", str, enum=["open", "draft", "in_review", "decided"]),
    OpenApiParameter("supplier", OpenApiTypes.INT, description="The supplier's id"),
    OpenApiParameter("owner", OpenApiTypes.INT, description="The owner's user id"),
    OpenApiParameter("overdue", bool, description="Only open assessments past their due date"),
]


@extend_schema_view(get=extend_schema(parameters=ASSESSMENT_FILTERS))
class AssessmentList(ListEndpoint):
    """Assessments with the filters of the assessment list page, soonest due first."""

    serializer_class = s.AssessmentListOut

    def get(self, request):
        check_access(request.user, Assessment)
        filters = valid_filters(AssessmentFilterForm(request.query_params))
        assessments = queries.assessments_for_list(filters)
        page = self.paginate_queryset(Rows(assessments, s.ASSESSMENT_LIST_VALUES))
        return self.get_paginated_response([s.assessment_list_out(row) for row in page])


def _assessment(request, pk):
    return get_object_for(request.user, Assessment, pk)


class AssessmentDetail(Endpoint):
    serializer_class = s.AssessmentOut

    def get(self, request, pk):
        assessment = get_object_for(
            request.user,
            Assessment.objects.select_related(
                "owner", "checklist", "decision", "decision__decided_by"
            ).prefetch_related("decisions__decided_by"),
            pk,
        )
        return record_response(s.AssessmentOut, assessment)


class DecisionList(Endpoint):
    """Every decision on the assessment, newest first; earlier revisions' included."""

    serializer_class = s.DecisionOut
    pagination_class = None

    def get(self, request, pk):
        check_access(request.user, Decision)
        assessment = _assessment(request, pk)
        decisions = Decision.objects.filter(assessment=assessment).select_related("decided_by")
        return Response(s.DecisionOut(decisions, many=True).data)


def _items(assessment):
    return queries.items_with_evidence_count(
        AssessmentItem.objects.filter(assessment=assessment)
    ).select_related("reviewer")


class ItemList(ListEndpoint):
    """The assessment's items in checklist order, applicable or not."""

    serializer_class = s.ItemOut

    def get(self, request, pk):
        check_access(request.user, AssessmentItem)
        items = (
            AssessmentItem.objects.filter(assessment=_assessment(request, pk))
            .annotate(evidence_count=queries.current_evidence_count())
            .order_by("checklist_item__order", "checklist_item__code")
        )
        page = self.paginate_queryset(Rows(items, s.ITEM_VALUES))
        return self.get_paginated_response([s.item_out(row) for row in page])


# What the API may change on an item; the reviewer is whoever accepts or marks a gap.
ITEM_FIELDS = list(s.ItemWrite().fields)


@extend_schema_view(patch=extend_schema(request=s.ItemWrite, responses=s.ItemOut))
class ItemDetail(Endpoint):
    """One item. A change sends the item's ETag in If-Match; the item's `version` goes up."""

    serializer_class = s.ItemOut

    def _item(self, request, pk, item_pk, action="view"):
        check_access(request.user, AssessmentItem, action)
        assessment = _assessment(request, pk)
        return get_object_or_404(_items(assessment).defer(None), pk=item_pk)

    def get(self, request, pk, item_pk):
        return record_response(s.ItemOut, self._item(request, pk, item_pk))

    def patch(self, request, pk, item_pk):
        item = self._item(request, pk, item_pk, "change")
        require_if_match(request, item)
        changes = {name: request.data[name] for name in ITEM_FIELDS if name in request.data}
        data = {**current_values(AssessmentItemForm.for_item(item)), **changes}
        form = validated(AssessmentItemForm({**data, "version": item.version}))
        try:
            run(
                services.assessment_item_update,
                item=item,
                data=form.cleaned_data,
                expected_version=item.version,
                by=request.user,
            )
        except services.ConflictError:
            raise PreconditionFailed from None  # saved by someone else since If-Match was read
        return self.get(request, pk, item_pk)


@extend_schema_view(
    post=extend_schema(request=s.EvidenceLinkWrite, responses={201: s.EvidenceOut}),
)
class EvidenceList(ListEndpoint):
    """An item's evidence, current and superseded, newest first. Files are uploaded on the
    item's page; the API adds links."""

    serializer_class = s.EvidenceOut

    def get(self, request, pk, item_pk):
        check_access(request.user, Evidence)
        item = get_object_or_404(AssessmentItem, pk=item_pk, assessment=_assessment(request, pk))
        page = self.paginate_queryset(queries.evidence_for_item(item))
        return self.get_paginated_response(s.EvidenceOut(page, many=True).data)

    def post(self, request, pk, item_pk):
        check_access(request.user, Evidence, "add")
        check_access(request.user, AssessmentItem, "change")
        item = get_object_or_404(
            AssessmentItem.objects.select_related("assessment", "checklist_item"),
            pk=item_pk,
            assessment=_assessment(request, pk),
        )
        data = {name: value for name, value in request.data.items() if name != "file"}
        form = validated(EvidenceForm(data))
        supersedes = None
        if supersedes_id := form.cleaned_data.get("supersedes"):
            supersedes = get_object_or_404(Evidence, pk=supersedes_id, item=item)
        evidence = run(
            services.evidence_add,
            item=item,
            data=form.cleaned_data,
            supersedes=supersedes,
            by=request.user,
            request_token=form.cleaned_data.get("request_token"),
        )
        evidence = queries.evidence_for_item(item).get(pk=evidence.pk)
        return Response(s.EvidenceOut(evidence).data, status=201)


def _documents(assessment):
    return Document.objects.filter(assessment=assessment).select_related("assessment", "created_by")


class DocumentList(ListEndpoint):
    """The clause-pack documents generated for the assessment, newest first."""

    serializer_class = s.DocumentOut

    def get(self, request, pk):
        check_access(request.user, Document)
        page = self.paginate_queryset(_documents(_assessment(request, pk)))
        return self.get_paginated_response(s.DocumentOut(page, many=True).data)


class DocumentDetail(Endpoint):
    serializer_class = s.DocumentOut

    def get(self, request, pk, document_pk):
        check_access(request.user, Document)
        document = get_object_or_404(_documents(_assessment(request, pk)), pk=document_pk)
        return Response(s.DocumentOut(document).data)


class DocumentDownload(Endpoint):
    """The document's file (PDF or Word). Downloads are on record, as on the pages."""

    serializer_class = None

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)}
    )
    def get(self, request, pk, document_pk):
        check_access(request.user, Document, "download")
        document = get_object_or_404(_documents(_assessment(request, pk)), pk=document_pk)
        response = FileResponse(
            contract_services.document_open(document=document, by=request.user),
            content_type=contract_services.CONTENT_TYPES[document.format],
        )
        response["Content-Disposition"] = content_disposition_attachment(document.filename)
        return response
