"""API of the anggaran master data (read-only): kode rekening and standar harga per year, and CSV/XLSX exports.
Visible to whoever holds anggaran.view (in any scope: reference data has no unit)."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from terpadu.anggaran import importing_master, services_master
from terpadu.anggaran.filters_master import RekeningFilterSet, StandarHargaFilterSet
from terpadu.anggaran.models import KodeRekening, StandarHarga, VersiRekening
from terpadu.core.api import GatedViewSet
from terpadu.core.drf import error_body
from terpadu.perencanaan.api_master import EXPORT_PARAMETERS, XLSX, export_response
from terpadu.perencanaan.services_master import current_versi


class KodeRekeningSerializer(serializers.ModelSerializer):
    tahun = serializers.IntegerField(source="versi.tahun", read_only=True)
    parent_kode = serializers.CharField(source="parent.kode", default=None, read_only=True)
    dapat_dianggarkan = serializers.SerializerMethodField()

    class Meta:
        model = KodeRekening
        fields = ["id", "tahun", "level", "kode", "nama", "parent", "parent_kode", "aktif", "dapat_dianggarkan",
                  "keyakinan", "sumber"]  # fmt: skip

    def get_dapat_dianggarkan(self, obj) -> bool:
        return obj.aktif and obj.level == services_master.REKENING.leaf


class StandarHargaSerializer(serializers.ModelSerializer):
    kode_rekening = serializers.SerializerMethodField()
    harga = serializers.DecimalField(max_digits=20, decimal_places=2, coerce_to_string=True)

    class Meta:
        model = StandarHarga
        fields = ["id", "tahun", "jenis", "kode", "uraian", "spesifikasi", "satuan", "harga", "kode_rekening", "aktif"]

    def get_kode_rekening(self, obj) -> list[str]:
        return sorted(r.kode for r in obj.rekening.all())


class KodeRekeningViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Kode rekening of a year (?tahun=; default the current edition)."""

    queryset = KodeRekening.objects.select_related("versi", "parent").order_by("versi__tahun", "kode")
    serializer_class = KodeRekeningSerializer
    filterset_class = RekeningFilterSet
    gate_actions = {"list": "anggaran.view", "retrieve": "anggaran.view", "export": "anggaran.view"}

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list" and not self.request.query_params.get("tahun"):
            versi = current_versi(services_master.REKENING)
            queryset = queryset.filter(versi=versi) if versi else queryset.none()
        return queryset

    @extend_schema(parameters=EXPORT_PARAMETERS, responses={(200, "text/csv"): bytes})
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def export(self, request):
        """The edition as a file (the import accepts it back)."""
        return export_response(services_master.REKENING, VersiRekening, request, "anggaran.view")


class StandarHargaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Standard price items (?tahun=; default the current year's list)."""

    queryset = StandarHarga.objects.prefetch_related("rekening").order_by("tahun", "kode")
    serializer_class = StandarHargaSerializer
    filterset_class = StandarHargaFilterSet
    gate_actions = {"list": "anggaran.view", "retrieve": "anggaran.view", "export": "anggaran.view"}

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list" and not self.request.query_params.get("tahun"):
            queryset = queryset.filter(tahun=services_master.standar_harga_tahun() or 0)
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("tahun", int, description="year (default: the current list)"),
            OpenApiParameter("fmt", str, enum=["csv", "xlsx"], description="file format (csv, xlsx)"),
        ],
        responses={(200, "text/csv"): bytes},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request):
        """The year's items as a file (the import accepts it back)."""
        tahun = request.query_params.get("tahun", "")
        tahun = int(tahun) if tahun.isdigit() else services_master.standar_harga_tahun()
        fmt = request.query_params.get("fmt", "csv")
        if tahun is None or fmt not in ("csv", "xlsx"):
            return Response(
                error_body(400, "invalid", "Unknown year (tahun) or file format fmt (csv, xlsx)."), status=400
            )
        queryset = self.filter_queryset(super().get_queryset()).filter(tahun=tahun)
        content = importing_master.export_standar_harga(queryset, fmt)
        response = HttpResponse(content, content_type=XLSX if fmt == "xlsx" else "text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="standar-harga-{tahun}.{fmt}"'
        return response
