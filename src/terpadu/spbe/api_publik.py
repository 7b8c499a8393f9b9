"""The open API of the public SPBE pages (no sign-in, no token): /api/v1/publik/spbe/…

- `indeks/` (and `indeks.csv`): every final assessment — locked self-assessments and official results — per
  framework, with its index (rounded for display), predikat and, for official results, decree and source.
- `aplikasi/` (and `aplikasi.csv`): the public application catalogue, paginated JSON or every row as CSV with
  the same columns. Filters: `q`, `jenis`, `unit`, `hosting`, `status` (operasi, pengembangan).
- `aplikasi/<id>/`: one public application (404 when it is not in the public catalogue).
- `ringkasan/`: the latest result, the breakdown of the latest locked self-assessment and the catalogue counts.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, renderers, serializers
from rest_framework.response import Response

from terpadu.core import tabular
from terpadu.core.drf import Pagination
from terpadu.spbe import publik
from terpadu.spbe.filters_publik import KatalogPublikFilterSet
from terpadu.spbe.models import Aplikasi, Penilaian


class CsvRenderer(renderers.BaseRenderer):
    """Lets `?format=csv` through content negotiation; the views build the CSV themselves."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


def csv_response(columns: list[str], rows: list[dict], filename: str) -> HttpResponse:
    content = tabular.write_csv(columns, ([row.get(c) for c in columns] for row in rows))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- serializers (the JSON shape; the CSV has the same columns) ------------------------------------------------


class PenilaianPublikSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kerangka = serializers.CharField(help_text="Framework code, e.g. SPBE_2020 or PEMDI_2026 (separate series).")
    kerangka_nama = serializers.CharField()
    tahun = serializers.IntegerField()
    jenis = serializers.ChoiceField(
        choices=Penilaian.Jenis.choices,
        help_text="mandiri: the city's locked self-assessment (not the official result); resmi: KemenPANRB's.",
    )
    jenis_label = serializers.CharField()
    indeks = serializers.DecimalField(max_digits=6, decimal_places=2, help_text="Rounded to two decimals.")
    predikat = serializers.CharField()
    keputusan = serializers.CharField(help_text="Decree of an official result (empty for a self-assessment).")
    sumber = serializers.CharField(help_text="Source of an official result (empty for a self-assessment).")
    dikunci = serializers.DateField(allow_null=True)


class AplikasiPublikSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nama = serializers.CharField()
    singkatan = serializers.CharField()
    jenis = serializers.ChoiceField(choices=Aplikasi.Jenis.choices)
    jenis_label = serializers.CharField()
    unit_id = serializers.IntegerField(allow_null=True)
    unit_nama = serializers.CharField()
    fungsi_bisnis = serializers.CharField()
    layanan = serializers.ListField(child=serializers.CharField(), help_text="Names of the services it serves.")
    url = serializers.CharField(help_text="Empty while the application is in development.")
    hosting = serializers.CharField(help_text="Hosting category only.")
    hosting_label = serializers.CharField()
    status = serializers.ChoiceField(choices=[c for c in Aplikasi.Status.choices if c[0] in publik.SHOWN_STATUS])
    status_label = serializers.CharField()
    sejak = serializers.DateField(allow_null=True, help_text="In operation since.")


class _RincianIndeksPublik(serializers.Serializer):
    kode = serializers.CharField()
    nama = serializers.CharField()
    bobot = serializers.DecimalField(max_digits=7, decimal_places=4)
    tampil = serializers.DecimalField(max_digits=6, decimal_places=2)


class _RincianPublik(serializers.Serializer):
    penilaian = PenilaianPublikSerializer()
    aspek = _RincianIndeksPublik(many=True)
    domain = _RincianIndeksPublik(many=True)


class _KatalogPublik(serializers.Serializer):
    jumlah = serializers.IntegerField()
    operasi = serializers.IntegerField()
    pengembangan = serializers.IntegerField()


class RingkasanSpbePublikSerializer(serializers.Serializer):
    terbaru = PenilaianPublikSerializer(allow_null=True)
    rincian = _RincianPublik(allow_null=True)
    katalog = _KatalogPublik()


# -- views -----------------------------------------------------------------------------------------------------

FORMAT = OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"], description="csv: every row as CSV")
FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words in the name, short name, function or layanan"),
    OpenApiParameter("jenis", OpenApiTypes.STR, enum=[c for c, _label in Aplikasi.Jenis.choices]),
    OpenApiParameter("unit", OpenApiTypes.INT, description="Owner OPD (unit kerja id)"),
    OpenApiParameter("hosting", OpenApiTypes.STR, enum=[c for c, _label in Aplikasi.Hosting.choices]),
    OpenApiParameter("status", OpenApiTypes.STR, enum=list(publik.SHOWN_STATUS)),
]


class PublicView(generics.GenericAPIView):
    public = True  # core.drf.GatePermission: open to everyone, signed in or not
    authentication_classes: list = []
    renderer_classes = [renderers.JSONRenderer, CsvRenderer]
    csv_route = False  # the .csv route

    def wants_csv(self, request) -> bool:
        return self.csv_route or getattr(request.accepted_renderer, "format", "") == "csv"

    def handle_exception(self, exc):
        # errors are always the JSON error body, also when CSV was asked for
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return super().handle_exception(exc)


def filtered_aplikasi(params):
    filterset = KatalogPublikFilterSet(params, queryset=publik.visible_aplikasi())
    if not filterset.is_valid():
        raise ValidationError({k: [str(m) for m in v] for k, v in filterset.errors.items()})
    return filterset.qs


@extend_schema(
    summary="The public application catalogue (public fields only)",
    parameters=[*FILTERS, FORMAT],
    responses={200: AplikasiPublikSerializer(many=True)},
)
class AplikasiList(PublicView):
    serializer_class = AplikasiPublikSerializer
    queryset = Aplikasi.objects.none()  # for the schema only; rows come from publik.visible_aplikasi()
    pagination_class = Pagination

    def get(self, request, *args, **kwargs):
        rows = filtered_aplikasi(request.query_params)
        if self.wants_csv(request):
            columns = list(self.get_serializer_class()().fields)
            return csv_response(columns, [publik.csv_row(publik.shape_aplikasi(a)) for a in rows], "aplikasi.csv")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            self.get_serializer([publik.shape_aplikasi(a) for a in page], many=True).data
        )


@extend_schema(summary="One application of the public catalogue", responses={200: AplikasiPublikSerializer})
class AplikasiDetail(PublicView):
    serializer_class = AplikasiPublikSerializer
    queryset = Aplikasi.objects.none()  # for the schema only
    renderer_classes = [renderers.JSONRenderer]

    def get(self, request, pk: int, *args, **kwargs):
        aplikasi = publik.visible_aplikasi().filter(pk=pk).first()
        if aplikasi is None:
            raise Http404
        return Response(self.get_serializer(publik.shape_aplikasi(aplikasi)).data)


@extend_schema(
    summary="Index history: locked self-assessments and official results, per framework",
    parameters=[FORMAT],
    responses={200: PenilaianPublikSerializer(many=True)},
)
class IndeksList(PublicView):
    serializer_class = PenilaianPublikSerializer
    queryset = Penilaian.objects.none()  # for the schema only; rows come from publik.visible_penilaian()

    def get(self, request, *args, **kwargs):
        rows = [publik.shape_penilaian(p) for p in publik.visible_penilaian()]
        if self.wants_csv(request):
            return csv_response(list(self.get_serializer_class()().fields), rows, "indeks-spbe.csv")
        return Response(self.get_serializer(rows, many=True).data)


@extend_schema(summary="Latest result, breakdown and catalogue counts", responses={200: RingkasanSpbePublikSerializer})
class RingkasanView(PublicView):
    serializer_class = RingkasanSpbePublikSerializer
    queryset = Penilaian.objects.none()  # for the schema only
    renderer_classes = [renderers.JSONRenderer]

    def get(self, request, *args, **kwargs):
        data = {
            "terbaru": publik.terbaru(),
            "rincian": publik.rincian_terakhir(),
            "katalog": publik.ringkasan_katalog(),
        }
        return Response(self.get_serializer(data).data)
