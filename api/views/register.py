"""Signatory-register snapshots: import a published list, read what it holds."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from api import serializers as s
from api.views.base import Endpoint, ListEndpoint, run, validated
from core.access import check_access, get_object_for
from vendors.forms import RegisterImportForm
from vendors.models import RegisterSnapshot
from vendors.register import queries
from vendors.register import services as register_services


@extend_schema_view(
    post=extend_schema(
        request={"multipart/form-data": s.RegisterImportWrite},
        responses={201: s.RegisterSnapshotOut},
    )
)
class SnapshotList(ListEndpoint):
    """Snapshots, newest list first. Importing takes the file as multipart form data and
    checks it whole, as the import page does: a bad file is refused with every problem."""

    serializer_class = s.RegisterSnapshotListOut
    parser_classes = [MultiPartParser, FormParser]

    def get(self, request):
        check_access(request.user, RegisterSnapshot)
        page = self.paginate_queryset(queries.register_snapshots())
        return self.get_paginated_response(s.RegisterSnapshotListOut(page, many=True).data)

    def post(self, request):
        check_access(request.user, RegisterSnapshot, "add")
        form = validated(RegisterImportForm(request.data, request.FILES))
        uploaded = form.cleaned_data["file"]
        snapshot = run(
            register_services.register_import,
            errors_on="file",
            data=uploaded.read(),
            filename=uploaded.name,
            taken_on=form.cleaned_data["taken_on"],
            source_url=form.cleaned_data["source_url"],
            by=request.user,
        )
        return Response(s.RegisterSnapshotOut(_snapshot(request, snapshot.pk)).data, status=201)


def _snapshot(request, pk):
    return get_object_for(
        request.user, queries.register_snapshots().prefetch_related("entries"), pk
    )


class SnapshotDetail(Endpoint):
    """A snapshot with its rows and the supplier each row was matched to."""

    serializer_class = s.RegisterSnapshotOut

    def get(self, request, pk):
        return Response(s.RegisterSnapshotOut(_snapshot(request, pk)).data)
