"""API of the kontrak module: packages (with their DPA funding), contracts (+ status, adendum, history, OCDS),
termin, jaminan, adendum and suppliers. Changes go through the services; errors are the platform's JSON body.

Penyedia has no unit: listed and read by any holder of kontrak.view, written by any holder of kontrak.manage."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from terpadu.anggaran.models import DpaBaris
from terpadu.core import authz
from terpadu.core.api import GatedViewSet, GatePermission
from terpadu.kontrak import pantauan, services
from terpadu.kontrak.filters import (
    AdendumFilterSet,
    JaminanFilterSet,
    KontrakFilterSet,
    PaketFilterSet,
    PenyediaFilterSet,
    TerminFilterSet,
)
from terpadu.kontrak.models import Adendum, Jaminan, Kontrak, Paket, Penyedia, Termin
from terpadu.organisasi.models import Pegawai, UnitKerja

MONEY = {"max_digits": 20, "decimal_places": 2}


def _denied(field: str, message: str):
    return serializers.ValidationError({field: [message]})


# -- penyedia ------------------------------------------------------------------------------------


class PenyediaSerializer(serializers.ModelSerializer):
    npwp = serializers.CharField(max_length=30)
    npwp_format = serializers.SerializerMethodField()

    class Meta:
        model = Penyedia
        fields = ["id", "nama", "npwp", "npwp_format", "alamat", "kualifikasi", "email", "telepon"]

    def get_npwp_format(self, obj) -> str:
        return services.format_npwp(obj.npwp)


class PenyediaPermission(GatePermission):
    """No unit: reads need kontrak.view anywhere, writes kontrak.manage anywhere."""

    def has_object_permission(self, request, view, obj) -> bool:
        action = self.action_for(request, view)
        return action is not None and authz.has_action(request.user, action)


class PenyediaViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, GatedViewSet
):
    queryset = Penyedia.objects.order_by("nama", "pk")
    serializer_class = PenyediaSerializer
    filterset_class = PenyediaFilterSet
    permission_classes = [PenyediaPermission]
    gate_actions = {
        "list": "kontrak.view",
        "retrieve": "kontrak.view",
        "create": "kontrak.manage",
        "update": "kontrak.manage",
        "partial_update": "kontrak.manage",
    }

    def get_queryset(self):
        action = GatePermission().action_for(self.request, self)
        if action and authz.has_action(self.request.user, action):
            return Penyedia.objects.order_by("nama", "pk")
        return Penyedia.objects.none()

    def perform_create(self, serializer):
        serializer.instance = services.create_penyedia(serializer.validated_data, self.request.user)

    def perform_update(self, serializer):
        serializer.instance = services.update_penyedia(
            serializer.instance, serializer.validated_data, self.request.user
        )


# -- paket ---------------------------------------------------------------------------------------


class AlokasiSerializer(serializers.Serializer):
    dpa_baris = serializers.PrimaryKeyRelatedField(queryset=DpaBaris.objects.all())
    kode = serializers.CharField(source="dpa_baris.kode", read_only=True)
    nilai = serializers.DecimalField(**MONEY)


class PaketSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=UnitKerja.objects.all())
    alokasi = AlokasiSerializer(many=True)
    pagu = serializers.DecimalField(required=False, **MONEY)
    dikontrak = serializers.SerializerMethodField()

    class Meta:
        model = Paket
        fields = [
            "id", "tahun", "unit", "kode_rup", "nama", "metode", "jenis", "pagu", "sumber_dana", "lokasi",
            "alokasi", "dikontrak",
        ]  # fmt: skip

    def get_dikontrak(self, obj) -> str:
        from django.db.models import Sum

        return str(obj.kontrak.aggregate(total=Sum("nilai"))["total"] or services.ZERO)

    def validate_alokasi(self, value):
        if not value:
            raise serializers.ValidationError("A package is funded by at least one DPA line.")
        return value


class PaketViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    mixins.DestroyModelMixin, GatedViewSet,
):  # fmt: skip
    queryset = Paket.objects.select_related("unit").prefetch_related("alokasi__dpa_baris__sub_kegiatan__sub_kegiatan")
    serializer_class = PaketSerializer
    filterset_class = PaketFilterSet
    gate_actions = {
        "list": "kontrak.view",
        "retrieve": "kontrak.view",
        "create": "kontrak.manage",
        "update": "kontrak.manage",
        "partial_update": "kontrak.manage",
        "destroy": "kontrak.manage",
    }

    def get_queryset(self):
        return super().get_queryset().order_by("-tahun", "nama", "pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        unit = data.pop("unit")
        if not authz.can(self.request.user, "kontrak.manage", unit):
            raise _denied("unit", "You may not record packages for this unit.")
        alokasi = [(a["dpa_baris"], a["nilai"]) for a in data.pop("alokasi")]
        tahun = data.pop("tahun")
        serializer.instance = services.create_paket(unit, tahun, data, alokasi, self.request.user)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        paket = serializer.instance
        if data.pop("unit", paket.unit) != paket.unit or data.pop("tahun", paket.tahun) != paket.tahun:
            raise _denied("unit", "The OPD and year of a package do not change.")
        alokasi = data.pop("alokasi", None)
        if alokasi is not None:
            alokasi = [(a["dpa_baris"], a["nilai"]) for a in alokasi]
        serializer.instance = services.update_paket(serializer.instance, data, alokasi, self.request.user)

    def perform_destroy(self, instance):
        services.delete_paket(instance, self.request.user)


# -- kontrak -------------------------------------------------------------------------------------


class KontrakSerializer(serializers.ModelSerializer):
    paket = serializers.PrimaryKeyRelatedField(queryset=Paket.objects.all())
    penyedia = serializers.PrimaryKeyRelatedField(queryset=Penyedia.objects.all())
    ppk = serializers.PrimaryKeyRelatedField(queryset=Pegawai.objects.all(), allow_null=True, required=False)
    penyedia_nama = serializers.CharField(source="penyedia.nama", read_only=True)
    flags = serializers.SerializerMethodField()

    class Meta:
        model = Kontrak
        fields = [
            "id", "paket", "unit", "tahun", "nomor", "tanggal", "penyedia", "penyedia_nama", "jenis_kontrak", "hps",
            "nilai", "nilai_awal", "mulai", "selesai", "status", "status_tanggal", "status_alasan", "ppk",
            "nilai_pdn", "nilai_umk", "lingkup", "flags",
        ]  # fmt: skip
        read_only_fields = ["unit", "tahun", "nilai_awal", "status", "status_tanggal", "status_alasan"]
        validators = []  # the service checks the number per OPD and year

    def get_flags(self, obj) -> list[dict]:
        return [{"code": f.code, "message": f.message} for f in pantauan.flags(obj)]


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[s for s in Kontrak.Status.choices if s[0] != Kontrak.Status.BERJALAN])
    alasan = serializers.CharField()
    tanggal = serializers.DateField(required=False)


class AdendumSerializer(serializers.ModelSerializer):
    class Meta:
        model = Adendum
        fields = ["id", "kontrak", "urutan", "nomor", "tanggal", "jenis", "sebelum", "sesudah", "alasan", "dibuat"]


class AdendumCreateSerializer(serializers.Serializer):
    jenis = serializers.ChoiceField(choices=Adendum.Jenis.choices)
    nomor = serializers.CharField(max_length=100)
    tanggal = serializers.DateField()
    alasan = serializers.CharField()
    nilai = serializers.DecimalField(required=False, **MONEY)
    mulai = serializers.DateField(required=False)
    selesai = serializers.DateField(required=False)
    lingkup = serializers.CharField(required=False)


class KontrakViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, GatedViewSet
):
    queryset = Kontrak.objects.select_related("penyedia", "paket", "unit")
    serializer_class = KontrakSerializer
    filterset_class = KontrakFilterSet
    gate_actions = {
        "list": "kontrak.view",
        "retrieve": "kontrak.view",
        "riwayat": "kontrak.view",
        "ocds": "kontrak.view",
        "create": "kontrak.manage",
        "update": "kontrak.manage",
        "partial_update": "kontrak.manage",
        "status": "kontrak.manage",
        "adendum": "kontrak.manage",
    }

    def get_queryset(self):
        return super().get_queryset().order_by("-tahun", "-tanggal", "pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        paket = data.pop("paket")
        if not authz.can(self.request.user, "kontrak.manage", paket):
            raise _denied("paket", "You may not record contracts for this package.")
        serializer.instance = services.create_kontrak(paket, data, self.request.user)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "paket" in data and data.pop("paket").pk != serializer.instance.paket_id:
            raise _denied("paket", "A contract does not move to another package.")
        serializer.instance = services.update_kontrak(serializer.instance, data, self.request.user)

    @extend_schema(request=StatusSerializer, responses=KontrakSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Complete, terminate (pemutusan) or stop (penghentian) the contract, with a reason."""
        kontrak = self.get_object()
        payload = StatusSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        kontrak = services.set_status(kontrak, data["status"], data["alasan"], data.get("tanggal"), request.user)
        return Response(KontrakSerializer(kontrak).data)

    @extend_schema(request=AdendumCreateSerializer, responses={201: AdendumSerializer})
    @action(detail=True, methods=["post"])
    def adendum(self, request, pk=None):
        """Record an adendum (value, time or scope) and apply it to the contract."""
        kontrak = self.get_object()
        payload = AdendumCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        adendum = services.create_adendum(kontrak, data["jenis"], data, request.user)
        return Response(AdendumSerializer(adendum).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=dict)
    @action(detail=True, methods=["get"])
    def riwayat(self, request, pk=None):
        """Every adendum in order with the fields it changed (before → after)."""
        return Response(services.riwayat(self.get_object()))

    @extend_schema(responses=dict)
    @action(detail=True, methods=["get"])
    def ocds(self, request, pk=None):
        """An OCDS-like release of the contract (planning budget, award, contract, amendments, payments)."""
        return Response(pantauan.ocds_release(self.get_object()))


# -- termin, jaminan, adendum ------------------------------------------------------------------------


class _OnKontrak:
    """Create needs kontrak.manage on the contract named in the body."""

    def _kontrak_for_write(self, serializer):
        kontrak = serializer.validated_data.get("kontrak")
        if kontrak is None or not authz.can(self.request.user, "kontrak.manage", kontrak):
            raise _denied("kontrak", "You may not change this contract.")
        return kontrak


class TerminSerializer(serializers.ModelSerializer):
    kontrak = serializers.PrimaryKeyRelatedField(queryset=Kontrak.objects.all())
    urutan = serializers.IntegerField(required=False, min_value=1)
    dibayar = serializers.SerializerMethodField()

    class Meta:
        model = Termin
        fields = ["id", "kontrak", "urutan", "jenis", "persen_fisik", "nilai", "bap_nomor", "bap_tanggal", "dibayar"]
        validators = []

    def get_dibayar(self, obj) -> str:
        return str(services.dibayar(obj))


class TerminViewSet(
    _OnKontrak, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    mixins.DestroyModelMixin, GatedViewSet,
):  # fmt: skip
    queryset = Termin.objects.select_related("kontrak").order_by("kontrak", "urutan")
    serializer_class = TerminSerializer
    filterset_class = TerminFilterSet
    gate_actions = {
        "list": "kontrak.view",
        "retrieve": "kontrak.view",
        "create": "kontrak.manage",
        "update": "kontrak.manage",
        "partial_update": "kontrak.manage",
        "destroy": "kontrak.manage",
    }

    def perform_create(self, serializer):
        kontrak = self._kontrak_for_write(serializer)
        data = {k: v for k, v in serializer.validated_data.items() if k != "kontrak"}
        serializer.instance = services.add_termin(kontrak, data, self.request.user)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "kontrak" in data and data.pop("kontrak").pk != serializer.instance.kontrak_id:
            raise _denied("kontrak", "A termin does not move to another contract.")
        serializer.instance = services.update_termin(serializer.instance, data, self.request.user)

    def perform_destroy(self, instance):
        services.delete_termin(instance, self.request.user)


class JaminanSerializer(serializers.ModelSerializer):
    kontrak = serializers.PrimaryKeyRelatedField(queryset=Kontrak.objects.all())
    kedaluwarsa = serializers.SerializerMethodField()

    class Meta:
        model = Jaminan
        fields = ["id", "kontrak", "jenis", "penerbit", "nomor", "nilai", "berlaku_sampai", "kedaluwarsa"]

    def get_kedaluwarsa(self, obj) -> bool:
        return pantauan.jaminan_kedaluwarsa(obj)


class JaminanViewSet(
    _OnKontrak, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    GatedViewSet,
):  # fmt: skip
    queryset = Jaminan.objects.select_related("kontrak").order_by("kontrak", "berlaku_sampai", "pk")
    serializer_class = JaminanSerializer
    filterset_class = JaminanFilterSet
    gate_actions = {
        "list": "kontrak.view",
        "retrieve": "kontrak.view",
        "create": "kontrak.manage",
        "update": "kontrak.manage",
        "partial_update": "kontrak.manage",
    }

    def perform_create(self, serializer):
        kontrak = self._kontrak_for_write(serializer)
        data = {k: v for k, v in serializer.validated_data.items() if k != "kontrak"}
        serializer.instance = services.add_jaminan(kontrak, data, self.request.user)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "kontrak" in data and data.pop("kontrak").pk != serializer.instance.kontrak_id:
            raise _denied("kontrak", "A guarantee does not move to another contract.")
        serializer.instance = services.update_jaminan(serializer.instance, data, self.request.user)


class AdendumViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Read-only: an adendum is created through POST /kontrak/kontrak/{id}/adendum/ and never changed."""

    queryset = Adendum.objects.select_related("kontrak").order_by("kontrak", "urutan")
    serializer_class = AdendumSerializer
    filterset_class = AdendumFilterSet
    gate_actions = {"list": "kontrak.view", "retrieve": "kontrak.view"}
