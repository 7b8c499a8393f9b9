"""API of monev evaluasi: evaluations, indicator achievements, early warnings (scoped by unit), periods and
rating scales (pemda-wide configuration, visible to every monev.view holder) and the dashboard figures."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers
from rest_framework.response import Response

from terpadu.core.api import GatedViewSet, json_error
from terpadu.monev import evaluasi as baca
from terpadu.monev.filters_evaluasi import EvaluasiFilterSet, PeringatanFilterSet
from terpadu.monev.models import (
    CapaianIndikator,
    EvaluasiSubKegiatan,
    PeringatanDini,
    PeriodeMonev,
    PitaRating,
    SkalaRating,
)


class PeriodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PeriodeMonev
        fields = ["id", "tahun", "triwulan", "batas_waktu", "status", "dikunci"]


class EvaluasiSerializer(serializers.ModelSerializer):
    kode = serializers.CharField(source="sub_kegiatan.sub_kegiatan.kode", read_only=True)
    nama = serializers.CharField(source="sub_kegiatan.sub_kegiatan.nama", read_only=True)
    tahun = serializers.IntegerField(source="periode.tahun", read_only=True)
    triwulan = serializers.IntegerField(source="periode.triwulan", read_only=True)

    class Meta:
        model = EvaluasiSubKegiatan
        fields = [
            "id", "periode", "tahun", "triwulan", "sub_kegiatan", "kode", "nama", "unit", "pagu", "target_kas",
            "realisasi_keuangan", "realisasi_fisik", "persen_keuangan", "persen_kas", "kategori", "kategori_capaian",
            "faktor_pendorong", "faktor_penghambat", "tindak_lanjut", "status", "diperbarui",
        ]  # fmt: skip


class CapaianSerializer(serializers.ModelSerializer):
    class Meta:
        model = CapaianIndikator
        fields = ["id", "periode", "indikator", "unit", "target", "realisasi", "capaian", "kategori", "catatan"]


class PeringatanSerializer(serializers.ModelSerializer):
    class Meta:
        model = PeringatanDini
        fields = ["id", "sub_kegiatan", "unit", "tahun", "bulan", "target_kas", "realisasi", "deviasi", "dibuat"]


class PitaSerializer(serializers.ModelSerializer):
    class Meta:
        model = PitaRating
        fields = [
            "kategori",
            "label",
            "batas_bawah",
            "bawah_inklusif",
            "batas_atas",
            "atas_inklusif",
            "warna",
            "catatan",
        ]


class SkalaSerializer(serializers.ModelSerializer):
    pita = PitaSerializer(many=True, read_only=True)

    class Meta:
        model = SkalaRating
        fields = ["id", "kode", "nama", "keyakinan", "sumber", "pita"]


class _Configuration(GatedViewSet):
    """Pemda-wide configuration without a unit: every holder of monev.view reads all of it."""

    def get_queryset(self):
        return self.queryset.all()

    def check_object_permissions(self, request, obj):
        """No unit to check: holding the action (checked by the gate's has_permission) is enough."""


class PeriodeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Configuration):
    queryset = PeriodeMonev.objects.order_by("-tahun", "-triwulan")
    serializer_class = PeriodeSerializer
    gate_actions = {"list": "monev.view", "retrieve": "monev.view"}


class SkalaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Configuration):
    queryset = SkalaRating.objects.prefetch_related("pita").order_by("kode")
    serializer_class = SkalaSerializer
    gate_actions = {"list": "monev.view", "retrieve": "monev.view"}


class EvaluasiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    queryset = EvaluasiSubKegiatan.objects.select_related("periode", "sub_kegiatan__sub_kegiatan").order_by(
        "-periode__tahun", "-periode__triwulan", "unit__path", "pk"
    )
    serializer_class = EvaluasiSerializer
    filterset_class = EvaluasiFilterSet
    gate_actions = {"list": "monev.view", "retrieve": "monev.view"}


class CapaianViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    queryset = CapaianIndikator.objects.order_by("-periode__tahun", "-periode__triwulan", "pk")
    serializer_class = CapaianSerializer
    gate_actions = {"list": "monev.view", "retrieve": "monev.view"}


class PeringatanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    queryset = PeringatanDini.objects.order_by("-tahun", "-bulan", "-deviasi", "pk")
    serializer_class = PeringatanSerializer
    filterset_class = PeringatanFilterSet
    gate_actions = {"list": "monev.view", "retrieve": "monev.view"}


def _plain(row: dict) -> dict:
    return {
        k: (str(v) if v is not None and not isinstance(v, (str, int, bool, list, dict)) else v) for k, v in row.items()
    }


@extend_schema_serializer(many=False)
class DashboardSerializer(serializers.Serializer):
    """The dashboard figures of one drill-down level (money and percentages as strings)."""

    tahun = serializers.IntegerField()
    bulan = serializers.IntegerField()
    level = serializers.ChoiceField(choices=baca.LEVELS)
    parent = serializers.CharField(allow_null=True)
    rows = serializers.ListField(child=serializers.DictField(), help_text="one object per row of the level")
    total = serializers.DictField(help_text="the level's totals")
    series = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), help_text="monthly series by name"
    )


class DashboardViewSet(GatedViewSet):
    """GET /api/v1/monev/dashboard/?tahun=&level=kota|opd|program|kegiatan|sub&parent=&bulan= (money as strings)."""

    gate_actions = {"list": "monev.view"}
    queryset = PeriodeMonev.objects.none()
    pagination_class = None  # list answers one object: no pages, and it reads its own query parameters
    filter_backends: list = []

    @extend_schema(
        summary="Dashboard figures of one drill-down level",
        parameters=[
            OpenApiParameter("tahun", OpenApiTypes.INT, description="Budget year (default: this year)"),
            OpenApiParameter("level", OpenApiTypes.STR, enum=list(baca.LEVELS), description="default: kota"),
            OpenApiParameter("parent", OpenApiTypes.STR, description="the row drilled into (needed below kota)"),
            OpenApiParameter(
                "bulan", OpenApiTypes.INT, description="Month 1-12 (default: this month; 12 for past years)"
            ),
        ],
        responses={200: DashboardSerializer},
    )
    def list(self, request):
        try:
            tahun = int(request.query_params.get("tahun") or timezone.localdate().year)
            bulan = request.query_params.get("bulan")
            bulan = int(bulan) if bulan else None
        except ValueError:
            return json_error(request, 400, "invalid", "tahun and bulan must be whole numbers")
        level = request.query_params.get("level") or "kota"
        parent = request.query_params.get("parent") or None
        if level != "kota" and not parent:
            return json_error(request, 400, "invalid", f"level {level} needs a parent")
        try:
            data = baca.dashboard_data(request.user, tahun, level, parent, bulan)
        except ValidationError as exc:
            return json_error(request, 400, "invalid", " ".join(exc.messages))
        except Http404:
            return json_error(request, 404, "not_found", "no such row in your scope")
        return Response(
            {
                "tahun": data["tahun"],
                "bulan": data["bulan"],
                "level": data["level"],
                "parent": data["parent"],
                "rows": [_plain(r) for r in data["rows"]],
                "total": _plain(data["total"]),
                "series": {k: [str(v) for v in vals] for k, vals in data["series"].items()},
            }
        )
