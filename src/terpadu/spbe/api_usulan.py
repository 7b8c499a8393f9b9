"""API of the usulan part: proposals in the caller's scope and the budget gate check of a sub kegiatan."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from terpadu.core import authz
from terpadu.core.api import GatedViewSet
from terpadu.core.drf import GatePermission
from terpadu.spbe import services_usulan as svc
from terpadu.spbe.filters_usulan import UsulanFilterSet
from terpadu.spbe.models import UsulanAplikasi


class UsulanSerializer(serializers.ModelSerializer):
    kode_unit = serializers.CharField(source="unit.kode", read_only=True)
    kurang = serializers.SerializerMethodField()

    class Meta:
        model = UsulanAplikasi
        fields = [
            "id", "unit", "kode_unit", "nama_aplikasi", "bidang", *UsulanAplikasi.SEVEN_ITEMS, "sub_kegiatan",
            "aplikasi", "status", "tumpang_tindih", "tumpang_tindih_dikonfirmasi", "tumpang_tindih_justifikasi",
            "checklist", "catatan_review", "surat_pengantar", "pertimbangan_nomor", "pertimbangan_tanggal",
            "diajukan", "dibuat", "kurang",
        ]  # fmt: skip
        read_only_fields = fields

    def get_kurang(self, obj) -> list[str]:
        return svc.missing_items(obj)


class UsulanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    queryset = UsulanAplikasi.objects.select_related("unit").order_by("-dibuat", "-pk")
    serializer_class = UsulanSerializer
    filterset_class = UsulanFilterSet
    gate_actions = {"list": "spbe.view", "retrieve": "spbe.view"}


class CekAnggaranSerializer(serializers.Serializer):
    sub_kegiatan = serializers.IntegerField(help_text="the RenjaSubKegiatan id")
    pertimbangan_disetujui = serializers.BooleanField(
        help_text="an approved pertimbangan exists for an aplikasi khusus budgeted by this sub kegiatan"
    )
    alasan = serializers.ListField(child=serializers.CharField(), help_text="blocking reasons (empty: nothing blocks)")


class CekAnggaranView(APIView):
    """GET /api/v1/spbe/cek-anggaran/<RenjaSubKegiatan id>/: the budget gate's blocking reasons for budgeting that
    sub kegiatan (empty: nothing blocks), usable without the budget module."""

    gate_action = "spbe.view"
    permission_classes = [GatePermission]

    @extend_schema(responses={200: CekAnggaranSerializer})
    def get(self, request, pk: int):
        from terpadu.perencanaan.models import RenjaSubKegiatan

        scope = authz.scope(request.user, "spbe.view")
        sub = RenjaSubKegiatan.objects.filter(scope.q("unit__path"), pk=pk).first()
        if sub is None:
            raise NotFound("Unknown sub kegiatan, or not in your scope.")
        return Response(
            {
                "sub_kegiatan": sub.pk,
                "pertimbangan_disetujui": svc.pertimbangan_disetujui(sub),
                "alasan": svc.check_budget(sub),
            }
        )
