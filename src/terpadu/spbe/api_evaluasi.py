"""API of the evaluasi part: frameworks (read), assessments (read), indicator scores (read; assessors write with
4xx JSON errors), and the what-if (POST → computed result, nothing saved).

Frameworks and assessments have no unit: every holder of spbe.view reads them (OPDs need them while filling in);
score rows are restricted to the responsible OPD's scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from terpadu.core.api import GatedViewSet, json_error
from terpadu.spbe import services_evaluasi as sv
from terpadu.spbe.models import IndikatorEvaluasi, Kerangka, NilaiIndikator, Penilaian, PredikatEvaluasi


class IndikatorEvaluasiSerializer(serializers.ModelSerializer):
    aspek = serializers.CharField(source="aspek.kode", read_only=True)

    class Meta:
        model = IndikatorEvaluasi
        fields = ["nomor", "nama", "aspek", "bobot", "skala_kapabilitas", "indeks_eksternal", "keyakinan"]


class PredikatSerializer(serializers.ModelSerializer):
    class Meta:
        model = PredikatEvaluasi
        fields = ["urutan", "predikat", "alias", "batas_bawah", "batas_atas", "atas_inklusif", "keyakinan"]


class KerangkaAspekSerializer(serializers.Serializer):
    """An aspect of a framework as KerangkaSerializer.aspek lists it (weights as strings)."""

    kode = serializers.CharField()
    nama = serializers.CharField()
    bobot = serializers.CharField()
    domain = serializers.CharField(allow_null=True, help_text="code of the domain the aspect belongs to")


class KerangkaDomainSerializer(serializers.Serializer):
    """A domain of a framework as KerangkaSerializer.domain lists it (weights as strings)."""

    kode = serializers.CharField()
    nama = serializers.CharField()
    bobot = serializers.CharField()


class HasilPenilaianSerializer(serializers.Serializer):
    """The computed result of an assessment (numbers as strings)."""

    indeks = serializers.CharField(allow_null=True)
    tampil = serializers.CharField(allow_null=True, help_text="the index as displayed (rounded)")
    predikat = serializers.CharField(allow_null=True)
    borderline = serializers.ListField(child=serializers.CharField())
    provisional = serializers.BooleanField()
    aspek = serializers.DictField(child=serializers.CharField(), help_text="index per aspect code")
    domain = serializers.DictField(child=serializers.CharField(), help_text="index per domain code")


class KerangkaSerializer(serializers.ModelSerializer):
    indikator = IndikatorEvaluasiSerializer(many=True, read_only=True)
    predikat = PredikatSerializer(many=True, read_only=True)
    aspek = serializers.SerializerMethodField()
    domain = serializers.SerializerMethodField()

    class Meta:
        model = Kerangka
        fields = [
            "id", "kode", "nama", "instrumen", "tahun_mulai", "tahun_selesai", "skala", "nilai_min", "nilai_maks",
            "keyakinan", "sumber", "domain", "aspek", "indikator", "predikat",
        ]  # fmt: skip

    @extend_schema_field(KerangkaAspekSerializer(many=True))
    def get_aspek(self, obj):
        return [
            {"kode": a.kode, "nama": a.nama, "bobot": str(a.bobot), "domain": a.domain.kode if a.domain_id else None}
            for a in obj.aspek.select_related("domain")
        ]

    @extend_schema_field(KerangkaDomainSerializer(many=True))
    def get_domain(self, obj):
        return [{"kode": d.kode, "nama": d.nama, "bobot": str(d.bobot)} for d in obj.domain.all()]


class PenilaianSerializer(serializers.ModelSerializer):
    kerangka = serializers.CharField(source="kerangka.kode", read_only=True)
    hasil = serializers.SerializerMethodField()

    class Meta:
        model = Penilaian
        fields = ["id", "kerangka", "tahun", "jenis", "status", "indeks", "predikat", "keputusan", "sumber", "dikunci",
                  "hasil"]  # fmt: skip

    @extend_schema_field(HasilPenilaianSerializer)
    def get_hasil(self, obj):
        r = sv.hitung(obj)
        return {
            "indeks": str(r["indeks"]) if r["indeks"] is not None else None,
            "tampil": str(r["tampil"]) if r["tampil"] is not None else None,
            "predikat": r["predikat"],
            "borderline": [str(t) for t in r["borderline"]],
            "provisional": r["provisional"],
            "aspek": {a["kode"]: str(a["indeks"]) for a in r["aspek"]},
            "domain": {d["kode"]: str(d["indeks"]) for d in r["domain"]},
        }


class NilaiSerializer(serializers.ModelSerializer):
    nomor = serializers.IntegerField(source="indikator.nomor", read_only=True)

    class Meta:
        model = NilaiIndikator
        fields = ["id", "penilaian", "nomor", "nilai", "nilai_eksternal", "justifikasi", "unit", "asesor", "status",
                  "catatan_review", "diperbarui"]  # fmt: skip
        read_only_fields = fields


class _NoUnit(GatedViewSet):
    """Framework data without a unit: holding spbe.view (checked by the gate) is enough."""

    def get_queryset(self):
        return self.queryset.all()

    def check_object_permissions(self, request, obj):
        """No unit to check."""


class KerangkaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _NoUnit):
    queryset = Kerangka.objects.prefetch_related("indikator__aspek", "predikat", "domain").order_by("-tahun_mulai")
    serializer_class = KerangkaSerializer
    gate_actions = {"list": "spbe.view", "retrieve": "spbe.view"}


class PenilaianViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _NoUnit):
    queryset = Penilaian.objects.select_related("kerangka").order_by("-tahun", "kerangka__kode", "jenis")
    serializer_class = PenilaianSerializer
    gate_actions = {"list": "spbe.view", "retrieve": "spbe.view", "what_if": "spbe.view"}

    @action(detail=True, methods=["post"], url_path="what-if")
    def what_if(self, request, pk=None):
        """POST {"targets": {"11": 4, "12": "3"}} → the index and predikat now and with the targets."""
        penilaian = self.get_object()
        targets = request.data.get("targets") if isinstance(request.data, dict) else None
        if not isinstance(targets, dict) or not targets:
            return json_error(request, 400, "invalid", "targets must be an object {indicator number: level}")
        try:
            r = sv.what_if(penilaian, targets)
        except ValidationError as exc:
            return json_error(request, 400, "invalid", " ".join(exc.messages))

        def plain(h):
            return {"indeks": str(h.indeks), "tampil": str(h.tampil), "predikat": h.predikat,
                    "borderline": [str(t) for t in h.borderline]}  # fmt: skip

        return Response({"sebelum": plain(r["sebelum"]), "sesudah": plain(r["sesudah"]), "selisih": str(r["selisih"]),
                         "disimpan": False})  # fmt: skip


class NilaiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    queryset = NilaiIndikator.objects.select_related("indikator").order_by("penilaian", "indikator__nomor")
    serializer_class = NilaiSerializer
    gate_actions = {"list": "spbe.view", "retrieve": "spbe.view", "partial_update": "spbe.assess",
                    "kirim": "spbe.assess"}  # fmt: skip

    def get_queryset(self):
        qs = super().get_queryset()
        penilaian = self.request.query_params.get("penilaian")
        if penilaian and penilaian.isdigit():
            qs = qs.filter(penilaian_id=int(penilaian))
        return qs

    def partial_update(self, request, pk=None):
        """PATCH {"nilai": "3", "justifikasi": "…", "nilai_eksternal": "68.2"} (any of them)."""
        nilai = self.get_object()
        data = request.data if isinstance(request.data, dict) else {}
        unknown = sorted(set(data) - {"nilai", "justifikasi", "nilai_eksternal"})
        if unknown:
            return json_error(request, 400, "invalid", f"unknown fields: {', '.join(unknown)}")
        try:
            nilai = sv.isi_nilai(
                nilai, request.user, skor=data.get("nilai"), justifikasi=data.get("justifikasi"),
                nilai_eksternal=data.get("nilai_eksternal"),
            )  # fmt: skip
        except ValidationError as exc:
            return json_error(request, 400, "invalid", " ".join(exc.messages))
        except PermissionDenied as exc:
            return json_error(request, 403, "permission_denied", str(exc))
        return Response(NilaiSerializer(nilai).data)

    @action(detail=True, methods=["post"])
    def kirim(self, request, pk=None):
        nilai = self.get_object()
        try:
            nilai = sv.kirim_nilai(nilai, request.user)
        except ValidationError as exc:
            return json_error(request, 400, "invalid", " ".join(exc.messages))
        return Response(NilaiSerializer(nilai).data)
