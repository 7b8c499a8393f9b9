"""API of the budgeting part: rounds, ceilings, RKA (+ lines), DPA lines, comparison; write endpoints for
drafting lines (so a city can integrate its own tools). Errors are the platform's JSON error body."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from terpadu.anggaran import services_rka as svc
from terpadu.anggaran.filters_rka import DpaFilterSet, PaguFilterSet, RincianFilterSet, RkaFilterSet, TahapFilterSet
from terpadu.anggaran.models import DpaBaris, Pagu, RincianBelanja, Rka, TahapAnggaran
from terpadu.core import authz
from terpadu.core.api import GatedViewSet
from terpadu.core.drf import GatePermission


class TahapSerializer(serializers.ModelSerializer):
    class Meta:
        model = TahapAnggaran
        fields = [
            "id",
            "tahun",
            "jenis",
            "urutan",
            "nama",
            "status",
            "sebelumnya",
            "dibuka",
            "ditetapkan",
            "dasar_hukum",
        ]


class PaguSerializer(serializers.ModelSerializer):
    kode_unit = serializers.CharField(source="unit.kode", read_only=True)

    class Meta:
        model = Pagu
        fields = ["id", "tahap", "unit", "kode_unit", "nilai"]


class RincianSerializer(serializers.ModelSerializer):
    kode_rekening = serializers.CharField(source="rekening.kode", read_only=True)
    kode_ssh = serializers.CharField(source="standar_harga.kode", default="", read_only=True)

    class Meta:
        model = RincianBelanja
        fields = [
            "id",
            "rka",
            "kunci",
            "kode_rekening",
            "uraian",
            "spesifikasi",
            "volume",
            "satuan",
            "harga_satuan",
            "jumlah",
            "kode_ssh",
            "justifikasi",
            "sumber_dana",
            "catatan_verifikasi",
            "perlu_perbaikan",
        ]


class RincianInputSerializer(serializers.Serializer):
    """What a client sends; `jumlah` is never accepted (the service computes it)."""

    kode_rekening = serializers.CharField(max_length=24, required=False)
    uraian = serializers.CharField(max_length=300, required=False)
    spesifikasi = serializers.CharField(max_length=500, required=False, allow_blank=True)
    volume = serializers.DecimalField(max_digits=16, decimal_places=4, required=False)
    satuan = serializers.CharField(max_length=60, required=False, allow_blank=True)
    harga_satuan = serializers.DecimalField(max_digits=20, decimal_places=2, required=False, allow_null=True)
    kode_ssh = serializers.CharField(max_length=40, required=False, allow_blank=True)
    justifikasi = serializers.CharField(required=False, allow_blank=True)
    sumber_dana = serializers.CharField(max_length=60, required=False, allow_blank=True)


class RincianCreateSerializer(RincianInputSerializer):
    rka = serializers.IntegerField()
    kode_rekening = serializers.CharField(max_length=24)
    uraian = serializers.CharField(max_length=300)
    volume = serializers.DecimalField(max_digits=16, decimal_places=4)


class RkaSerializer(serializers.ModelSerializer):
    kode_sub_kegiatan = serializers.CharField(source="sub_kegiatan.sub_kegiatan.kode", read_only=True)
    nama_sub_kegiatan = serializers.CharField(source="sub_kegiatan.sub_kegiatan.nama", read_only=True)
    kode_unit = serializers.CharField(source="unit.kode", read_only=True)

    class Meta:
        model = Rka
        fields = [
            "id",
            "tahap",
            "tahun",
            "sub_kegiatan",
            "kode_sub_kegiatan",
            "nama_sub_kegiatan",
            "unit",
            "kode_unit",
            "status",
            "total",
            "catatan_verifikasi",
            "diajukan",
            "disetujui",
        ]
        read_only_fields = fields


class RkaDetailSerializer(RkaSerializer):
    rincian = RincianSerializer(many=True, read_only=True)
    anggaran_kas = serializers.SerializerMethodField()

    class Meta(RkaSerializer.Meta):
        fields = [*RkaSerializer.Meta.fields, "rincian", "anggaran_kas"]
        read_only_fields = fields

    def get_anggaran_kas(self, obj) -> list[dict]:
        return [{"bulan": k.bulan, "nilai": str(k.nilai)} for k in obj.anggaran_kas.all()]


class RkaCreateSerializer(serializers.Serializer):
    tahap = serializers.IntegerField()
    sub_kegiatan = serializers.IntegerField()


class DpaSerializer(serializers.ModelSerializer):
    kode = serializers.CharField(read_only=True)
    kode_sub_kegiatan = serializers.CharField(source="sub_kegiatan.sub_kegiatan.kode", read_only=True)
    kode_unit = serializers.CharField(source="unit.kode", read_only=True)

    class Meta:
        model = DpaBaris
        fields = [
            "id",
            "kode",
            "tahun",
            "unit",
            "kode_unit",
            "sub_kegiatan",
            "kode_sub_kegiatan",
            "kode_rekening",
            "pagu",
            "pagu_murni",
            "tahap",
        ]


class TahapCreateSerializer(serializers.Serializer):
    tahun = serializers.IntegerField(min_value=2000, max_value=2100)
    jenis = serializers.ChoiceField(choices=TahapAnggaran.Jenis.choices)
    nama = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    dasar_hukum = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TetapkanSerializer(serializers.Serializer):
    dasar_hukum = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PaguInputSerializer(serializers.Serializer):
    tahap = serializers.IntegerField()
    unit = serializers.IntegerField()
    nilai = serializers.DecimalField(max_digits=18, decimal_places=2)


class KembalikanSerializer(serializers.Serializer):
    catatan = serializers.CharField(required=False, allow_blank=True, default="")
    catatan_baris = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, default=dict, help_text="line id → note"
    )


class KasSerializer(serializers.Serializer):
    nilai = serializers.ListField(
        child=serializers.DecimalField(max_digits=18, decimal_places=2),
        min_length=12,
        max_length=12,
        help_text="the twelve months, January first; they must sum to the RKA total",
    )


class TahapViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Budget rounds are city-wide: anyone with anggaran.view somewhere reads them; admin-anggaran
    (anggaran.configure) opens and adopts them."""

    queryset = TahapAnggaran.objects.all()
    serializer_class = TahapSerializer
    filterset_class = TahapFilterSet
    gate_actions = {
        "list": "anggaran.view",
        "retrieve": "anggaran.view",
        "create": "anggaran.configure",
        "tetapkan": "anggaran.configure",
    }

    def get_queryset(self):
        return TahapAnggaran.objects.order_by("-tahun", "-urutan")

    def check_object_permissions(self, request, obj):
        """A round has no unit: the route-level check of the action (in any scope) is the gate."""

    @extend_schema(request=TahapCreateSerializer, responses={201: TahapSerializer})
    def create(self, request):
        """Open a round: murni (the first of the year), pergeseran or perubahan (a copy of the adopted one)."""
        payload = TahapCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        tahap = svc.buka_tahap(request.user, data["tahun"], data["jenis"], data["nama"], data["dasar_hukum"])
        return Response(TahapSerializer(tahap).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TetapkanSerializer, responses=TahapSerializer)
    @action(detail=True, methods=["post"])
    def tetapkan(self, request, pk=None):
        """Adopt the round (every RKA approved): its DPA is locked."""
        payload = TetapkanSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        tahap = svc.tetapkan_tahap(request.user, self.get_object(), payload.validated_data["dasar_hukum"])
        return Response(TahapSerializer(tahap).data)


class PaguViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    queryset = Pagu.objects.select_related("unit").order_by("tahap", "unit__path")
    serializer_class = PaguSerializer
    filterset_class = PaguFilterSet
    gate_actions = {"list": "anggaran.view", "retrieve": "anggaran.view", "create": "anggaran.configure"}

    @extend_schema(request=PaguInputSerializer, responses=PaguSerializer)
    def create(self, request):
        """Set (or change) the KUA-PPAS ceiling of an OPD in a round being drafted; never below what it budgets."""
        from terpadu.organisasi.models import UnitKerja

        payload = PaguInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        tahap = TahapAnggaran.objects.filter(pk=data["tahap"]).first()
        if tahap is None:
            raise DrfValidationError({"tahap": ["Unknown budget round."]})
        units = authz.restrict(UnitKerja.objects.current(), request.user, "anggaran.configure")
        unit = units.filter(pk=data["unit"]).first()
        if unit is None:
            raise DrfValidationError({"unit": ["Unknown unit, or not in your scope."]})
        pagu = svc.set_pagu(request.user, tahap, unit, data["nilai"])
        return Response(PaguSerializer(pagu).data)


class RkaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    queryset = Rka.objects.select_related("sub_kegiatan__sub_kegiatan", "unit").order_by("tahap", "unit__path", "pk")
    serializer_class = RkaSerializer
    filterset_class = RkaFilterSet
    gate_actions = {
        "list": "anggaran.view",
        "retrieve": "anggaran.view",
        "create": "anggaran.draft",
        "ajukan": "anggaran.draft",
        "anggaran_kas": "anggaran.draft",
        "kembalikan": "anggaran.verify",
        "setujui": "anggaran.verify",
    }

    def get_serializer_class(self):
        return RkaDetailSerializer if self.action in ("retrieve", "anggaran_kas") else RkaSerializer

    @extend_schema(request=RkaCreateSerializer, responses={201: RkaSerializer})
    def create(self, request):
        """Start the RKA of a Renja sub kegiatan (of an OPD in your drafting scope) in a round being drafted."""
        from terpadu.perencanaan.models import RenjaSubKegiatan

        payload = RkaCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        tahap = TahapAnggaran.objects.filter(pk=payload.validated_data["tahap"]).first()
        if tahap is None:
            raise DrfValidationError({"tahap": ["Unknown budget round."]})
        sub = (
            authz.restrict(RenjaSubKegiatan.objects.all(), request.user, "anggaran.draft")
            .filter(pk=payload.validated_data["sub_kegiatan"])
            .first()
        )
        if sub is None:
            raise DrfValidationError({"sub_kegiatan": ["Unknown sub kegiatan, or not in your drafting scope."]})
        rka = svc.buat_rka(request.user, tahap, sub)
        return Response(RkaSerializer(rka).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=RkaSerializer)
    @action(detail=True, methods=["post"])
    def ajukan(self, request, pk=None):
        """Submit the RKA to TAPD (its cash plan must equal its total)."""
        rka = svc.ajukan(request.user, self.get_object())
        return Response(RkaSerializer(rka).data)

    @extend_schema(request=KasSerializer, responses=RkaDetailSerializer)
    @action(detail=True, methods=["post", "put"], url_path="anggaran-kas")
    def anggaran_kas(self, request, pk=None):
        """Replace the twelve months of the cash plan (anggaran kas); they must sum to the RKA total."""
        payload = KasSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rka = self.get_object()
        svc.simpan_kas(request.user, rka, payload.validated_data["nilai"])
        return Response(RkaDetailSerializer(Rka.objects.get(pk=rka.pk)).data)

    @extend_schema(request=KembalikanSerializer, responses=RkaSerializer)
    @action(detail=True, methods=["post"])
    def kembalikan(self, request, pk=None):
        """TAPD returns a submitted RKA to the OPD with an overall note and/or notes per line."""
        payload = KembalikanSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        notes = payload.validated_data["catatan_baris"]
        if any(not str(key).isdigit() for key in notes):
            raise DrfValidationError({"catatan_baris": ["Keys are line ids."]})
        rka = svc.kembalikan(request.user, self.get_object(), payload.validated_data["catatan"], notes)
        return Response(RkaSerializer(rka).data)

    @extend_schema(request=None, responses=RkaSerializer)
    @action(detail=True, methods=["post"])
    def setujui(self, request, pk=None):
        """TAPD approves a submitted RKA: the registered checks (e.g. Pasal 39) run and its DPA lines are written."""
        rka = svc.setujui(request.user, self.get_object())
        return Response(RkaSerializer(rka).data)


class RincianViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, GatedViewSet):
    """Budget lines. Writing needs anggaran.draft on the RKA's OPD; the amount is computed by the service."""

    queryset = RincianBelanja.objects.select_related("rekening", "standar_harga").order_by("rka", "urutan", "pk")
    serializer_class = RincianSerializer
    filterset_class = RincianFilterSet
    gate_actions = {
        "list": "anggaran.view",
        "retrieve": "anggaran.view",
        "create": "anggaran.draft",
        "partial_update": "anggaran.draft",
        "update": "anggaran.draft",
        "destroy": "anggaran.draft",
    }

    @extend_schema(request=RincianCreateSerializer, responses={201: RincianSerializer})
    def create(self, request):
        payload = RincianCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        rka = (
            authz.restrict(Rka.objects.select_related("tahap"), request.user, "anggaran.draft")
            .filter(pk=data.pop("rka"))
            .first()
        )
        if rka is None:
            raise NotFound("Unknown RKA, or not in your drafting scope.")
        line = svc.tambah_rincian(request.user, rka, data)
        return Response(RincianSerializer(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RincianInputSerializer, responses=RincianSerializer)
    def partial_update(self, request, pk=None):
        line = self.get_object()
        payload = RincianInputSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        line = svc.ubah_rincian(request.user, line, dict(payload.validated_data))
        return Response(RincianSerializer(line).data)

    @extend_schema(request=RincianInputSerializer, responses=RincianSerializer)
    def update(self, request, pk=None):
        return self.partial_update(request, pk)

    def perform_destroy(self, instance):
        svc.hapus_rincian(self.request.user, instance)


class DpaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """DPA lines (sub kegiatan × kode rekening) other modules spend against; filter by year, unit, sub kegiatan."""

    queryset = DpaBaris.objects.select_related("sub_kegiatan__sub_kegiatan", "unit").order_by(
        "tahun", "sub_kegiatan", "kode_rekening"
    )
    serializer_class = DpaSerializer
    filterset_class = DpaFilterSet
    gate_actions = {"list": "anggaran.view", "retrieve": "anggaran.view"}


def _round(request, name: str) -> TahapAnggaran | None:
    value = request.query_params.get(name, "")
    if not value:
        return None
    found = TahapAnggaran.objects.filter(pk=value).first() if value.isdigit() else None
    if found is None:
        raise DrfValidationError({name: [f"Unknown budget round {value}."]})
    return found


class PerbandinganView(APIView):
    """Compare two rounds line by line (?a=&b=, round ids; default: the latest round against the one before it;
    ?semua=1 for unchanged lines too)."""

    permission_classes = [GatePermission]
    gate_action = "anggaran.view"

    @extend_schema(
        parameters=[OpenApiParameter("a", int), OpenApiParameter("b", int), OpenApiParameter("semua", int)],
        responses=dict,
    )
    def get(self, request):
        b = _round(request, "b") or TahapAnggaran.objects.first()
        a = _round(request, "a") or (b.sebelumnya if b and b.sebelumnya_id else b)
        if a is None or b is None:
            raise NotFound("No budget round yet.")
        scope = authz.restrict(Rka.objects.all(), request.user, "anggaran.view")
        result = svc.bandingkan(a, b, scope, only_changes=request.query_params.get("semua") != "1")

        def money(value):
            return None if value is None else str(value)

        return Response(
            {
                "a": TahapSerializer(a).data,
                "b": TahapSerializer(b).data,
                "total": [money(result.total[0]), money(result.total[1])],
                "per_opd": [{k: money(v) if k != "unit" else v for k, v in o.items()} for o in result.per_opd],
                "per_sub_kegiatan": [
                    {k: money(v) if k not in ("unit", "sub_kegiatan") else v for k, v in s.items()}
                    for s in result.per_sub
                ],
                "baris": [
                    {
                        "kunci": r.kunci,
                        "status": r.status,
                        "unit": r.unit,
                        "kode_sub_kegiatan": r.sub_kegiatan,
                        "kode_rekening": r.kode_rekening,
                        "uraian": r.uraian,
                        "volume": [money(v) for v in r.volume],
                        "harga_satuan": [money(v) for v in r.harga],
                        "jumlah": [money(v) for v in r.jumlah],
                        "selisih": money(r.selisih),
                    }
                    for r in result.baris
                ],
            }
        )
