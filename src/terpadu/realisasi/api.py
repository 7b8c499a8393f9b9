"""API of the realisasi module: SP2D with their lines (read, create, cancel, CSV export), realisation per DPA
line, and physical progress (read, report). Changes go through the services; errors are the platform's JSON
error body ({"error": {...}})."""

from __future__ import annotations

from django.db.models import Sum
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from terpadu.core import authz
from terpadu.core.api import GatedViewSet
from terpadu.realisasi import importing, services
from terpadu.realisasi.filters import DpaBarisFilterSet, ProgresFilterSet, Sp2dFilterSet
from terpadu.realisasi.models import ProgresFisik, Realisasi, Sp2d


class RealisasiSerializer(serializers.ModelSerializer):
    dpa_baris_kode = serializers.CharField(source="dpa_baris.kode", read_only=True)

    class Meta:
        model = Realisasi
        fields = ["id", "dpa_baris", "dpa_baris_kode", "sub_kegiatan", "unit", "tahun", "bulan", "nilai", "termin",
                  "membatalkan"]  # fmt: skip


class Sp2dSerializer(serializers.ModelSerializer):
    rincian = serializers.SerializerMethodField()
    dibatalkan_oleh = serializers.StringRelatedField()

    class Meta:
        model = Sp2d
        fields = ["id", "tahun", "unit", "nomor", "tanggal", "jenis", "uraian", "nilai", "sumber", "referensi",
                  "dicatat", "dibatalkan", "dibatalkan_oleh", "alasan_batal", "rincian"]  # fmt: skip

    def get_rincian(self, sp2d) -> list:
        rows = sp2d.rincian.select_related("dpa_baris__sub_kegiatan__sub_kegiatan").order_by("pk")
        return RealisasiSerializer(rows, many=True).data


class LineInput(serializers.Serializer):
    dpa_baris = serializers.IntegerField()
    nilai = serializers.DecimalField(max_digits=20, decimal_places=2)
    termin = serializers.IntegerField(required=False, allow_null=True)


class Sp2dInput(serializers.Serializer):
    nomor = serializers.CharField(max_length=100)
    tanggal = serializers.DateField()
    jenis = serializers.ChoiceField(choices=Sp2d.Jenis.choices, default=Sp2d.Jenis.LS)
    uraian = serializers.CharField(max_length=500)
    unit = serializers.IntegerField(required=False, help_text="the OPD (default: the first line's)")
    referensi = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    rincian = LineInput(many=True, allow_empty=False)


class CancelInput(serializers.Serializer):
    alasan = serializers.CharField()


class Sp2dViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """SP2D in the caller's scope, each with its realisation rows (a cancelled SP2D lists its reversing rows)."""

    queryset = Sp2d.objects.select_related("unit", "dibatalkan_oleh").order_by("-tanggal", "-pk")
    serializer_class = Sp2dSerializer
    filterset_class = Sp2dFilterSet
    gate_actions = {
        "list": "realisasi.view",
        "retrieve": "realisasi.view",
        "ekspor": "realisasi.view",
        "create": "realisasi.record",
        "batal": "realisasi.record",
    }

    @extend_schema(request=Sp2dInput, responses={201: Sp2dSerializer})
    def create(self, request):
        """Record an SP2D over one or more DPA lines (LS payments may name a contract termin)."""
        from terpadu.anggaran.models import DpaBaris
        from terpadu.kontrak.models import Termin
        from terpadu.organisasi.models import UnitKerja

        payload = Sp2dInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        wanted = [line["dpa_baris"] for line in data["rincian"]]
        known = {d.pk: d for d in DpaBaris.objects.filter(pk__in=wanted).select_related("sub_kegiatan__sub_kegiatan")}
        missing = sorted(set(wanted) - set(known))
        if missing:
            raise serializers.ValidationError({"rincian": [f"Unknown DPA line id(s): {missing}."]})
        termin_ids = [line["termin"] for line in data["rincian"] if line.get("termin")]
        termins = {t.pk: t for t in Termin.objects.filter(pk__in=termin_ids).select_related("kontrak")}
        if set(termin_ids) - set(termins):
            raise serializers.ValidationError(
                {"rincian": [f"Unknown termin id(s): {sorted(set(termin_ids) - set(termins))}."]}
            )
        if data.get("unit"):
            unit = UnitKerja.objects.filter(pk=data["unit"]).first()
            if unit is None:
                raise serializers.ValidationError({"unit": ["Unknown unit."]})
        else:
            unit = known[wanted[0]].unit
        if not authz.scope(request.user, "realisasi.record").covers_path(unit.path):
            raise serializers.ValidationError({"unit": [f"You may not record SP2D for {unit}."]})
        lines = [(known[line["dpa_baris"]], line["nilai"], termins.get(line.get("termin"))) for line in data["rincian"]]
        header = {k: data[k] for k in ("nomor", "tanggal", "jenis", "uraian", "referensi")}
        header.update(unit=unit, sumber=Sp2d.Sumber.MANUAL)
        sp2d = services.record_sp2d(header, lines, request.user)
        return Response(Sp2dSerializer(sp2d).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CancelInput, responses=Sp2dSerializer)
    @action(detail=True, methods=["post"])
    def batal(self, request, pk=None):
        """Cancel an SP2D entered by mistake (reason required): its amounts are reversed, the record stays."""
        sp2d = self.get_object()
        payload = CancelInput(data=request.data)
        payload.is_valid(raise_exception=True)
        sp2d = services.cancel_sp2d(sp2d, payload.validated_data["alasan"], request.user)
        return Response(Sp2dSerializer(sp2d).data)

    @extend_schema(responses={(200, "text/csv"): str})
    @action(detail=False, methods=["get"])
    def ekspor(self, request):
        """The filtered SP2D as CSV, one row per line, in the import's columns (plus status)."""
        queryset = self.filter_queryset(self.get_queryset())
        response = HttpResponse(importing.export_file(queryset, "csv"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="sp2d.csv"'
        return response


class DpaRealisasiSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kode = serializers.CharField()
    tahun = serializers.IntegerField()
    unit = serializers.IntegerField(source="unit_id")
    sub_kegiatan = serializers.IntegerField(source="sub_kegiatan_id")
    kode_rekening = serializers.CharField()
    pagu = serializers.DecimalField(max_digits=20, decimal_places=2)
    realisasi = serializers.DecimalField(max_digits=20, decimal_places=2, source="nilai_realisasi")
    sisa = serializers.DecimalField(max_digits=20, decimal_places=2, source="nilai_sisa")


class RealisasiBarisViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Realisation per DPA line: pagu, realised (cancelled SP2D excluded) and what remains."""

    serializer_class = DpaRealisasiSerializer
    filterset_class = DpaBarisFilterSet
    gate_actions = {"list": "realisasi.view", "retrieve": "realisasi.view"}

    def get_queryset(self):
        from terpadu.anggaran.models import DpaBaris

        self.queryset = DpaBaris.objects.select_related("sub_kegiatan__sub_kegiatan").order_by("pk")
        return super().get_queryset().annotate(realised=Sum("realisasi__nilai"))

    def get_serializer(self, instance=None, *args, **kwargs):
        if instance is None:  # no row to fill in (e.g. the schema generator asking for the serializer)
            rows = []
        else:
            rows = instance if kwargs.get("many") else [instance]
        for row in rows:
            row.nilai_realisasi = row.realised or 0
            row.nilai_sisa = row.pagu - row.nilai_realisasi
        return super().get_serializer(instance, *args, **kwargs)


class FotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    keterangan = serializers.CharField()
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    lon = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    diambil = serializers.DateTimeField(allow_null=True)
    sha256 = serializers.CharField(source="file.sha256")


class ProgresSerializer(serializers.ModelSerializer):
    foto = FotoSerializer(many=True, read_only=True)

    class Meta:
        model = ProgresFisik
        fields = ["id", "sub_kegiatan", "unit", "tahun", "bulan", "persen", "narasi", "alasan_koreksi", "dilaporkan",
                  "foto"]  # fmt: skip


class ProgresInput(serializers.Serializer):
    sub_kegiatan = serializers.IntegerField()
    bulan = serializers.IntegerField(min_value=1, max_value=12)
    persen = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=100)
    narasi = serializers.CharField(required=False, allow_blank=True, default="")
    alasan_koreksi = serializers.CharField(required=False, allow_blank=True, default="")
    keterangan = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    foto = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ProgresViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Monthly cumulative physical progress per OPD sub kegiatan, with its photos."""

    queryset = ProgresFisik.objects.prefetch_related("foto__file").order_by("sub_kegiatan", "bulan")
    serializer_class = ProgresSerializer
    filterset_class = ProgresFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    gate_actions = {"list": "realisasi.view", "retrieve": "realisasi.view", "create": "realisasi.progress"}

    @extend_schema(request={"multipart/form-data": ProgresInput, "application/json": ProgresInput},
                   responses={201: ProgresSerializer})  # fmt: skip
    def create(self, request):
        """Report (or correct) a month's progress; photos as multipart `foto` files."""
        from terpadu.perencanaan.models import RenjaSubKegiatan

        payload = ProgresInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        sub = RenjaSubKegiatan.objects.filter(pk=data["sub_kegiatan"]).first()
        if sub is None or not authz.can(request.user, "realisasi.progress", sub):
            raise serializers.ValidationError({"sub_kegiatan": ["Unknown sub kegiatan, or not one of your OPD."]})
        progres = services.lapor_progres(
            sub_kegiatan=sub,
            bulan=data["bulan"],
            persen=data["persen"],
            narasi=data["narasi"],
            alasan_koreksi=data["alasan_koreksi"],
            user=request.user,
            foto=[(f, data["keterangan"]) for f in data["foto"]],
        )
        return Response(ProgresSerializer(progres).data, status=status.HTTP_201_CREATED)
