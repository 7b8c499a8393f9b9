"""API of the nomenklatur (read-only): the codes of a year's edition, and the edition as CSV/XLSX.
Without ?tahun= the current edition is listed."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action

from terpadu.core import authz
from terpadu.core.api import GatedViewSet
from terpadu.core.drf import error_body
from terpadu.perencanaan import importing_master, services_master
from terpadu.perencanaan.filters_master import NomenklaturFilterSet
from terpadu.perencanaan.models import Nomenklatur, VersiNomenklatur

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class NomenklaturSerializer(serializers.ModelSerializer):
    tahun = serializers.IntegerField(source="versi.tahun", read_only=True)
    parent_kode = serializers.CharField(source="parent.kode", default=None, read_only=True)

    class Meta:
        model = Nomenklatur
        fields = [
            "id",
            "tahun",
            "level",
            "kode",
            "nama",
            "parent",
            "parent_kode",
            "kinerja",
            "indikator",
            "satuan",
            "aktif",
            "keyakinan",
            "sumber",
        ]


def export_response(tree, versi_model, request, view_action):
    """CSV/XLSX of one edition (?tahun=, ?format=csv|xlsx, ?shape=sipd|flat) for the API."""
    from rest_framework.response import Response

    tahun = request.query_params.get("tahun", "")
    versi = versi_model.objects.filter(tahun=tahun).first() if tahun.isdigit() else services_master.current_versi(tree)
    fmt = request.query_params.get("fmt", "csv")
    shape = request.query_params.get("shape", "sipd")
    if versi is None or fmt not in ("csv", "xlsx") or shape not in ("sipd", "flat"):
        return Response(
            error_body(400, "invalid", "Unknown edition (tahun), file format fmt (csv, xlsx) or shape (sipd, flat)."),
            status=400,
        )
    content = importing_master.export_file(tree, versi, fmt, shape)
    response = HttpResponse(content, content_type=XLSX if fmt == "xlsx" else "text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{tree.key}-{versi.tahun}-{shape}.{fmt}"'
    return response


EXPORT_PARAMETERS = [
    OpenApiParameter("tahun", int, description="budget year (default: the current edition)"),
    OpenApiParameter("fmt", str, enum=["csv", "xlsx"], description="file format (csv, xlsx)"),
    OpenApiParameter("shape", str, enum=["sipd", "flat"], description="SIPD export columns, or level/code/name"),
]


class NomenklaturViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Nomenklatur codes (every signed-in employee has perencanaan.view)."""

    queryset = Nomenklatur.objects.select_related("versi", "parent").order_by("versi__tahun", "kode")
    serializer_class = NomenklaturSerializer
    filterset_class = NomenklaturFilterSet
    gate_actions = {"list": "perencanaan.view", "retrieve": "perencanaan.view", "export": "perencanaan.view"}

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list" and not self.request.query_params.get("tahun"):
            versi = services_master.current_versi(services_master.NOMENKLATUR)
            queryset = queryset.filter(versi=versi) if versi else queryset.none()
        return queryset

    @extend_schema(parameters=EXPORT_PARAMETERS, responses={(200, "text/csv"): bytes})
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def export(self, request):
        """The edition as a file (the import accepts it back)."""
        authz.require(request.user, "perencanaan.view")
        return export_response(services_master.NOMENKLATUR, VersiNomenklatur, request, "perencanaan.view")
