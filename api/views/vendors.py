"""Suppliers, their models and their Code of Practice signatures."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.response import Response

from api import serializers as s
from api.errors import Invalid
from api.locking import require_if_match
from api.views.base import Endpoint, ListEndpoint, patched, record_response, run, validated
from core.access import check_access, get_object_for
from core.forms import valid_filters
from vendors import queries, services
from vendors.forms import GPAIModelForm, SignatureForm, SupplierFilterForm, SupplierForm
from vendors.models import Chapter, GPAIModel, Signature, Supplier

SUPPLIER_FILTERS = [
    OpenApiParameter("q", str, description="Search in name and legal name"),
    OpenApiParameter("country", str, description="ISO 3166 two-letter code"),
    OpenApiParameter("region", str, enum=["eu", "non_eu"]),
    OpenApiParameter("systemic", str, enum=["yes", "no"], description="Has a systemic-risk model"),
    OpenApiParameter("legacy", str, enum=["yes", "no"], description="Has a legacy model"),
    OpenApiParameter("stale", str, enum=["yes", "no"], description="Has a stale signature check"),
    OpenApiParameter("archived", bool, description="Include archived suppliers"),
    OpenApiParameter("sort", str, enum=["name", "-name", "country", "-country"]),
    *[
        OpenApiParameter(chapter.value, str, description=f"Signature status: {chapter.label}")
        for chapter in Chapter
    ],
]


@extend_schema_view(
    get=extend_schema(parameters=SUPPLIER_FILTERS),
    post=extend_schema(request=s.SupplierWrite, responses={201: s.SupplierOut}),
)
class SupplierList(ListEndpoint):
    """Suppliers with the filters of the supplier list page."""

    serializer_class = s.SupplierListOut

    def get(self, request):
        check_access(request.user, Supplier)
        filters = valid_filters(SupplierFilterForm(request.query_params))
        suppliers = queries.ListedSuppliers(filters, s.SUPPLIER_FIELDS)
        return self.get_paginated_response(s.supplier_list_rows(self.paginate_queryset(suppliers)))

    def post(self, request):
        check_access(request.user, Supplier, "add")
        form = validated(SupplierForm(request.data))
        supplier = run(services.supplier_create, form=form, by=request.user)
        supplier = queries.supplier_for_detail(Supplier.objects).get(pk=supplier.pk)
        return record_response(s.SupplierOut, supplier, 201)


@extend_schema_view(
    get=extend_schema(responses=s.SupplierOut),
    patch=extend_schema(request=s.SupplierWrite, responses=s.SupplierOut),
)
class SupplierDetail(Endpoint):
    serializer_class = s.SupplierOut

    def get(self, request, pk):
        supplier = get_object_for(request.user, queries.supplier_for_detail(Supplier.objects), pk)
        return record_response(s.SupplierOut, supplier)

    def patch(self, request, pk):
        with transaction.atomic():
            supplier = get_object_for(
                request.user, Supplier.objects.select_for_update(), pk, action="change"
            )
            require_if_match(request, supplier)
            form = validated(patched(SupplierForm, supplier, request.data))
            run(services.record_save, form=form, by=request.user)
        return self.get(request, pk)


@extend_schema_view(
    get=extend_schema(responses=s.SignatureOut(many=True)),
)
class SignatureList(Endpoint):
    serializer_class = s.SignatureOut
    pagination_class = None

    def get(self, request, pk):
        check_access(request.user, Signature)
        supplier = get_object_for(request.user, Supplier, pk)
        signatures = queries.signatures_in_order(supplier.signatures.all())
        return Response(s.SignatureOut(signatures, many=True).data)


@extend_schema_view(
    get=extend_schema(responses=s.SignatureOut),
    patch=extend_schema(request=s.SignatureWrite, responses=s.SignatureOut),
)
class SignatureDetail(Endpoint):
    """One chapter's signature; `chapter` is transparency, copyright or safety_security."""

    serializer_class = s.SignatureOut

    def _signature(self, request, pk, chapter, *, action="view", lock=False):
        check_access(request.user, Signature, action)
        supplier = get_object_for(request.user, Supplier, pk, action=action)
        signatures = Signature.objects.select_for_update() if lock else Signature.objects
        return get_object_or_404(signatures, supplier=supplier, chapter=chapter)

    def get(self, request, pk, chapter):
        return record_response(s.SignatureOut, self._signature(request, pk, chapter))

    def patch(self, request, pk, chapter):
        with transaction.atomic():
            signature = self._signature(request, pk, chapter, action="change", lock=True)
            require_if_match(request, signature)
            form = validated(patched(SignatureForm, signature, request.data))
            run(services.signatures_update, forms=[form], by=request.user)
        return self.get(request, pk, chapter)


MODEL_FILTERS = [
    OpenApiParameter("supplier", OpenApiTypes.INT, description="The supplier's id"),
    OpenApiParameter("archived", bool, description="Include archived models"),
]


@extend_schema_view(
    get=extend_schema(parameters=MODEL_FILTERS),
    post=extend_schema(request=s.ModelWrite, responses={201: s.ModelOut}),
)
class ModelList(ListEndpoint):
    serializer_class = s.ModelOut

    def get(self, request):
        check_access(request.user, GPAIModel)
        models = GPAIModel.objects.order_by("supplier_id", "name", "version", "pk")
        if request.query_params.get("archived") not in ("1", "true", "yes", "on"):
            models = models.active()
        if (supplier := request.query_params.get("supplier", "")).isdigit():
            models = models.filter(supplier_id=supplier)
        page = self.paginate_queryset(models)
        return self.get_paginated_response(s.ModelOut(page, many=True).data)

    def post(self, request):
        check_access(request.user, GPAIModel, "add")
        supplier_id = str(request.data.get("supplier", ""))
        supplier = Supplier.objects.active().filter(pk=supplier_id).first()
        if not supplier_id.isdigit() or supplier is None:
            raise Invalid({"supplier": ["Name an active supplier by its id."]})
        form = validated(GPAIModelForm(request.data, supplier=supplier))
        model = run(services.record_save, form=form, by=request.user)
        return record_response(s.ModelOut, model, 201)


@extend_schema_view(
    get=extend_schema(responses=s.ModelOut),
    patch=extend_schema(request=s.ModelWrite, responses=s.ModelOut),
)
class ModelDetail(Endpoint):
    serializer_class = s.ModelOut

    def get(self, request, pk):
        return record_response(s.ModelOut, get_object_for(request.user, GPAIModel, pk))

    def patch(self, request, pk):
        with transaction.atomic():
            model = get_object_for(
                request.user,
                GPAIModel.objects.select_for_update().select_related("supplier"),
                pk,
                action="change",
            )
            require_if_match(request, model)
            form = validated(patched(GPAIModelForm, model, request.data))
            run(services.record_save, form=form, by=request.user)
        return self.get(request, pk)
