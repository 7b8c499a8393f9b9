"""The open API of the transparency portal (no sign-in, no token): /api/v1/publik/anggaran/…

Every list answers JSON (paginated like every Terpadu list) or CSV (`?format=csv` or the `.csv` route: every
row, no pagination) with the same columns as the JSON objects. Filters: `tahun` (default: the current
published year), `unit` (OPD id), `kode` (program / kegiatan / sub kegiatan code prefix).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, renderers, serializers
from rest_framework.response import Response

from terpadu.core import tabular
from terpadu.core.drf import Pagination
from terpadu.monev import publik
from terpadu.monev.filters_publik import PublikFilterSet


class CsvRenderer(renderers.BaseRenderer):
    """Lets `?format=csv` through content negotiation; the views build the CSV themselves."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


# -- serializers (the JSON shape; the CSV has the same columns) ---------------------------------------------


class _UnitFields(serializers.Serializer):
    tahun = serializers.IntegerField()
    unit_id = serializers.IntegerField()
    unit_kode = serializers.CharField()
    unit_nama = serializers.CharField()


class _Measures(serializers.Serializer):
    pagu = serializers.DecimalField(max_digits=20, decimal_places=2)
    realisasi = serializers.DecimalField(max_digits=20, decimal_places=2)
    persen_realisasi = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    persen_fisik = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)


class OpdSerializer(_UnitFields, _Measures):
    unit_singkatan = serializers.CharField()
    jumlah_sub_kegiatan = serializers.IntegerField()
    jumlah_pagu_indikatif = serializers.IntegerField(
        help_text="Sub kegiatan without DPA lines yet, counted at their Renja indicative ceiling."
    )


class ProgramSerializer(OpdSerializer):
    kode_program = serializers.CharField()
    nama_program = serializers.CharField()


class KegiatanSerializer(ProgramSerializer):
    kode_kegiatan = serializers.CharField()
    nama_kegiatan = serializers.CharField()


class SubKegiatanSerializer(_UnitFields, _Measures):
    id = serializers.IntegerField()
    unit_singkatan = serializers.CharField()
    kode_program = serializers.CharField()
    nama_program = serializers.CharField()
    kode_kegiatan = serializers.CharField()
    nama_kegiatan = serializers.CharField()
    kode_sub_kegiatan = serializers.CharField()
    nama_sub_kegiatan = serializers.CharField()
    sumber_pagu = serializers.ChoiceField(
        choices=[publik.SUMBER_DPA, publik.SUMBER_RENJA],
        help_text="dpa: the sum of the adopted DPA lines; renja: the Renja indicative ceiling (no DPA yet).",
    )
    bulan_fisik = serializers.IntegerField(allow_null=True)
    lokasi = serializers.CharField()
    sumber_dana = serializers.CharField()


class KontrakPublikSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tahun = serializers.IntegerField()
    unit_id = serializers.IntegerField()
    unit_kode = serializers.CharField()
    unit_nama = serializers.CharField()
    nomor = serializers.CharField()
    tanggal = serializers.DateField()
    paket = serializers.CharField()
    kode_rup = serializers.CharField()
    metode = serializers.CharField()
    jenis_pengadaan = serializers.CharField()
    penyedia = serializers.CharField()
    jenis_kontrak = serializers.CharField()
    nilai = serializers.DecimalField(max_digits=20, decimal_places=2)
    nilai_awal = serializers.DecimalField(max_digits=20, decimal_places=2)
    mulai = serializers.DateField()
    selesai = serializers.DateField()
    status = serializers.CharField()
    jumlah_adendum = serializers.IntegerField()
    dibayar = serializers.DecimalField(max_digits=20, decimal_places=2)


class PengecualianSerializer(serializers.Serializer):
    tahun = serializers.IntegerField()
    level = serializers.CharField()
    jumlah_sub_kegiatan = serializers.IntegerField()
    alasan = serializers.CharField()
    tanggal = serializers.DateField(allow_null=True)


class _Figures(serializers.Serializer):
    pagu = serializers.DecimalField(max_digits=20, decimal_places=2)
    realisasi = serializers.DecimalField(max_digits=20, decimal_places=2)


class _Published(_Measures):
    jumlah_sub_kegiatan = serializers.IntegerField()
    jumlah_pagu_indikatif = serializers.IntegerField()


class _Excepted(_Figures):
    jumlah_sub_kegiatan = serializers.IntegerField()


class _Total(_Figures):
    persen_realisasi = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)


class RingkasanSerializer(serializers.Serializer):
    tahun = serializers.IntegerField()
    tahun_tersedia = serializers.ListField(child=serializers.IntegerField())
    dipublikasikan = _Published()
    dikecualikan = _Excepted()
    total = _Total()


# -- views ---------------------------------------------------------------------------------------------------

TAHUN = OpenApiParameter("tahun", OpenApiTypes.INT, description="Budget year (default: the current published year)")
UNIT = OpenApiParameter("unit", OpenApiTypes.INT, description="OPD (unit kerja id)")
KODE = OpenApiParameter("kode", OpenApiTypes.STR, description="Program, kegiatan or sub kegiatan code prefix")
FORMAT = OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"], description="csv: every row as CSV")


def tahun_of(request) -> int:
    value = (request.query_params.get("tahun") or "").strip()
    if not value:
        return publik.default_year()
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        raise ValidationError({"tahun": [_("Give the budget year as four digits, e.g. 2026.")]})
    return int(value)


def filtered_subs(request, tahun: int):
    filterset = PublikFilterSet(request.query_params, queryset=publik.visible_subs(tahun))
    if not filterset.is_valid():
        raise ValidationError({k: [str(m) for m in v] for k, v in filterset.errors.items()})
    return filterset.qs


def csv_response(columns: list[str], rows: list[dict], filename: str) -> HttpResponse:
    content = tabular.write_csv(columns, ([row.get(c) for c in columns] for row in rows))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class PublicView(generics.GenericAPIView):
    public = True  # core.drf.GatePermission: open to everyone, signed in or not
    authentication_classes: list = []
    renderer_classes = [renderers.JSONRenderer, CsvRenderer]
    pagination_class = Pagination
    # the lists filter with PublikFilterSet themselves (filtered_subs) and declare tahun/unit/kode in their schema
    filter_backends: list = []
    csv_route = False  # the .csv route
    name = ""

    def wants_csv(self, request) -> bool:
        return self.csv_route or getattr(request.accepted_renderer, "format", "") == "csv"

    def handle_exception(self, exc):
        # errors are always the JSON error body, also when CSV was asked for
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return super().handle_exception(exc)


class PublicList(PublicView):
    """A published table of one year."""

    def rows(self, request, tahun):  # a queryset or a list
        raise NotImplementedError

    def shape(self, item, tahun) -> dict:
        return item

    def get(self, request, *args, **kwargs):
        tahun = tahun_of(request)
        rows = self.rows(request, tahun)
        columns = list(self.get_serializer_class()().fields)
        if self.wants_csv(request):
            shaped = [self.shape(item, tahun) for item in rows]
            return csv_response(columns, shaped, f"{self.name}-{tahun}.csv")
        page = self.paginate_queryset(rows)
        data = self.get_serializer([self.shape(item, tahun) for item in page], many=True).data
        return self.get_paginated_response(data)


def _list_schema(serializer, summary: str, filters: bool = True):
    params = [TAHUN, UNIT, KODE, FORMAT] if filters else [TAHUN, FORMAT]
    return extend_schema(summary=summary, parameters=params, responses={200: serializer(many=True)})


class _Rollup(PublicList):
    level = ""

    def rows(self, request, tahun):
        return publik.rollup(filtered_subs(request, tahun), self.level)

    def shape(self, item, tahun):
        return publik.shape(item, self.level, tahun)


@_list_schema(OpdSerializer, "Pagu, realisation and physical progress per OPD")
class OpdList(_Rollup):
    level, name, serializer_class = "opd", "opd", OpdSerializer


@_list_schema(ProgramSerializer, "Pagu, realisation and physical progress per OPD program")
class ProgramList(_Rollup):
    level, name, serializer_class = "program", "program", ProgramSerializer


@_list_schema(KegiatanSerializer, "Pagu, realisation and physical progress per OPD kegiatan")
class KegiatanList(_Rollup):
    level, name, serializer_class = "kegiatan", "kegiatan", KegiatanSerializer


@_list_schema(SubKegiatanSerializer, "Pagu, realisation and physical progress per OPD sub kegiatan")
class SubKegiatanList(PublicList):
    name, serializer_class = "sub-kegiatan", SubKegiatanSerializer

    def rows(self, request, tahun):
        return publik.sub_rows(filtered_subs(request, tahun))

    def shape(self, item, tahun):
        return publik.shape_sub(item)


@_list_schema(KontrakPublikSerializer, "Contracts funded by published sub kegiatan (penyedia, value, dates, status)")
class KontrakList(PublicList):
    name, serializer_class = "kontrak", KontrakPublikSerializer

    def rows(self, request, tahun):
        return publik.contracts(filtered_subs(request, tahun), tahun)

    def shape(self, item, tahun):
        return publik.shape_contract(item)


@_list_schema(PengecualianSerializer, "Items excepted from publication: how many and why (never which)", False)
class PengecualianList(PublicList):
    name, serializer_class = "pengecualian", PengecualianSerializer
    pagination_class = None

    def rows(self, request, tahun):
        return [{"tahun": tahun, **row} for row in publik.exception_summary(tahun)]

    def get_paginated_response(self, data):
        return Response(data)

    def paginate_queryset(self, queryset):
        return queryset


@extend_schema(summary="The year's headline figures", parameters=[TAHUN], responses={200: RingkasanSerializer})
class RingkasanView(PublicView):
    serializer_class = RingkasanSerializer
    renderer_classes = [renderers.JSONRenderer]

    def get(self, request, *args, **kwargs):
        tahun = tahun_of(request)
        data = {**publik.ringkasan(tahun), "tahun_tersedia": publik.years()}
        return Response(RingkasanSerializer(data).data)
