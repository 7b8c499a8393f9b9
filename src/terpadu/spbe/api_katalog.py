"""API of the application catalogue: applications (CRUD through the services, scoped), national applications
(read) and the computed flags. Errors are the platform's JSON error body."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from terpadu.core import authz
from terpadu.core.api import GatedViewSet
from terpadu.core.drf import token_allows
from terpadu.organisasi.models import UnitKerja
from terpadu.spbe import services_katalog
from terpadu.spbe.filters_katalog import AplikasiFilterSet, AplikasiNasionalFilterSet
from terpadu.spbe.models import Aplikasi, AplikasiNasional, DataAplikasi, Domain, ElemenArsitektur, IntegrasiAplikasi


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    severity = serializers.CharField()
    unconfirmed = serializers.BooleanField()


class DataAplikasiSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataAplikasi
        fields = ["id", "nama", "klasifikasi", "elemen"]


class IntegrasiSerializer(serializers.ModelSerializer):
    dari_nama = serializers.CharField(source="dari.nama", read_only=True)
    ke_nama = serializers.CharField(source="ke.nama", read_only=True)

    class Meta:
        model = IntegrasiAplikasi
        fields = ["id", "dari", "dari_nama", "ke", "ke_nama", "metode", "keterangan"]


class AplikasiSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=UnitKerja.objects.all(), allow_null=True, required=False)
    aplikasi_nasional = serializers.PrimaryKeyRelatedField(
        queryset=AplikasiNasional.objects.all(), allow_null=True, required=False
    )
    layanan = serializers.PrimaryKeyRelatedField(
        queryset=ElemenArsitektur.objects.filter(domain=Domain.LAYANAN), many=True, required=False
    )
    alasan = serializers.CharField(write_only=True, required=False, allow_blank=True)
    unit_nama = serializers.CharField(source="unit.nama", read_only=True, default=None)
    data = DataAplikasiSerializer(many=True, read_only=True)
    integrasi_keluar = IntegrasiSerializer(many=True, read_only=True)
    integrasi_masuk = IntegrasiSerializer(many=True, read_only=True)
    flags = serializers.SerializerMethodField()

    class Meta:
        model = Aplikasi
        fields = [
            "id", "nama", "singkatan", "jenis", "aplikasi_nasional", "unit", "unit_nama", "fungsi_bisnis", "bidang",
            "pengguna", "hosting", "teknologi", "url", "status", "tanggal_usulan", "tanggal_operasi",
            "tanggal_dihentikan", "audit_keamanan_terakhir", "time", "layanan", "publik", "alasan", "data",
            "integrasi_keluar", "integrasi_masuk", "flags", "dibuat", "diperbarui",
        ]  # fmt: skip
        read_only_fields = ["dibuat", "diperbarui"]

    def get_flags(self, obj) -> list[dict]:
        context = self.context.get("flag_context")
        return [FlagSerializer(f).data for f in services_katalog.flags(obj, context=context)]

    def validate(self, attrs):
        return attrs  # the services validate the whole entry and answer field by field

    def run_validators(self, value):
        return value


class AplikasiNasionalSerializer(serializers.ModelSerializer):
    class Meta:
        model = AplikasiNasional
        fields = ["id", "nama", "bidang", "pemilik", "status", "aplikasi_umum", "keputusan", "keyakinan", "sumber"]


class AplikasiViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    GatedViewSet,
):
    """Applications in the caller's scope. Create/change: spbe.manage anywhere, spbe.propose for the OPD's own
    entries. Deleting is refused for an entry with spending lines or proposals (stop it instead)."""

    queryset = (
        Aplikasi.objects.select_related("unit", "aplikasi_nasional")
        .prefetch_related("layanan", "data", "integrasi_keluar__ke", "integrasi_masuk__dari")
        .order_by("nama", "pk")
    )
    serializer_class = AplikasiSerializer
    filterset_class = AplikasiFilterSet
    # Reading needs spbe.view; writing is checked per object below (manage anywhere, propose for the own OPD).
    gate_actions = {
        "list": "spbe.view",
        "retrieve": "spbe.view",
        "create": "spbe.view",
        "update": "spbe.view",
        "partial_update": "spbe.view",
        "destroy": "spbe.view",
        "flags": "spbe.view",
        "temuan": "spbe.view",
    }

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["flag_context"] = services_katalog._context()
        return context

    def _split(self, data: dict):
        values = dict(data)
        layanan = values.pop("layanan", None)
        alasan = values.pop("alasan", "")
        return values, layanan, alasan

    def _write_allowed(self, aplikasi=None) -> bool:
        """The user's grants (manage anywhere, propose for the own OPD) and, for a token, its scopes."""
        request, user = self.request, self.request.user
        if aplikasi is None:
            manage, propose = authz.has_action(user, "spbe.manage"), authz.has_action(user, "spbe.propose")
        else:
            manage = authz.can(user, "spbe.manage", aplikasi)
            propose = aplikasi.unit_id is not None and authz.can(user, "spbe.propose", aplikasi)
        return (manage and token_allows(request, "spbe.manage")) or (propose and token_allows(request, "spbe.propose"))

    def perform_create(self, serializer):
        if not self._write_allowed():
            raise PermissionDenied("You may not register applications.")
        values, layanan, _alasan = self._split(serializer.validated_data)
        serializer.instance = services_katalog.create_aplikasi(self.request.user, values, layanan)

    def perform_update(self, serializer):
        aplikasi = serializer.instance
        if not self._write_allowed(aplikasi):
            raise PermissionDenied("You may not change this application.")
        values, layanan, alasan = self._split(serializer.validated_data)
        serializer.instance = services_katalog.update_aplikasi(self.request.user, aplikasi, values, layanan, alasan)

    def perform_destroy(self, instance):
        if not self._write_allowed(instance):
            raise PermissionDenied("You may not delete this application.")
        services_katalog.delete_aplikasi(self.request.user, instance)

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response.data = self.get_serializer(self.get_queryset().get(pk=response.data["id"])).data
        return response

    def update(self, request, *args, **kwargs):
        super().update(request, *args, **kwargs)
        return Response(self.get_serializer(self.get_queryset().get(pk=kwargs["pk"])).data)

    @extend_schema(responses=FlagSerializer(many=True))
    @action(detail=True, methods=["get"])
    def flags(self, request, pk=None):
        """The flags of one application."""
        return Response([FlagSerializer(f).data for f in services_katalog.flags(self.get_object())])

    @extend_schema(responses=dict)
    @action(detail=False, methods=["get"])
    def temuan(self, request):
        """Every flagged application in scope with its flags (?flag=code to narrow; the list's filters apply)."""
        queryset = self.filter_queryset(self.get_queryset())
        rows = [
            {"id": a.pk, "nama": a.nama, "unit": a.unit_id, "flags": [FlagSerializer(f).data for f in found]}
            for a, found in services_katalog.flagged_applications(queryset)
        ]
        return Response({"count": len(rows), "results": rows}, status=status.HTTP_200_OK)


class AplikasiNasionalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """National applications (reference data without a unit): every holder of spbe.view reads them."""

    queryset = AplikasiNasional.objects.order_by("nama")
    serializer_class = AplikasiNasionalSerializer
    filterset_class = AplikasiNasionalFilterSet
    gate_actions = {"list": "spbe.view", "retrieve": "spbe.view"}

    def get_queryset(self):
        # No unit to restrict by: authz.has_action decides (see spbe/apps.py on reference data).
        if not authz.has_action(self.request.user, "spbe.view"):
            return AplikasiNasional.objects.none()
        return AplikasiNasional.objects.order_by("nama")

    def get_object(self):
        # The per-object gate check would look for a unit the row does not have; get_queryset decided already.
        from django.shortcuts import get_object_or_404

        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
