"""API of the belanja part: ICT spending lines (with their amount and flags), the aggregates, registering DPA
lines and changing links. Errors are the platform's JSON error body."""

from __future__ import annotations

from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.response import Response

from terpadu.core import authz
from terpadu.core.api import GatedViewSet
from terpadu.spbe import services_belanja as svc
from terpadu.spbe.filters_belanja import BelanjaFilterSet
from terpadu.spbe.models import Aplikasi, BelanjaTik, ElemenArsitektur, PetaRencanaItem


class BelanjaSerializer(serializers.ModelSerializer):
    jumlah = serializers.DecimalField(source="jumlah_nilai", max_digits=20, decimal_places=2, read_only=True)
    kode_unit = serializers.CharField(source="unit.kode", read_only=True)
    dpa = serializers.SerializerMethodField()
    tanda = serializers.SerializerMethodField()

    class Meta:
        model = BelanjaTik
        fields = [
            "id", "tahun", "unit", "kode_unit", "dpa_baris", "dpa", "uraian", "kategori", "sumber", "nilai", "jumlah",
            "elemen", "peta_rencana", "aplikasi", "tanda",
        ]  # fmt: skip
        read_only_fields = fields

    def get_dpa(self, obj) -> str:
        return obj.dpa_baris.kode if obj.dpa_baris_id else ""

    def get_tanda(self, obj) -> list[str]:
        return svc.flags(obj)


class TautanSerializer(serializers.Serializer):
    uraian = serializers.CharField(max_length=300, required=False)
    kategori = serializers.ChoiceField(choices=BelanjaTik.Kategori.choices, required=False)
    nilai = serializers.DecimalField(max_digits=20, decimal_places=2, required=False, allow_null=True)
    elemen = serializers.PrimaryKeyRelatedField(
        queryset=ElemenArsitektur.objects.all(), required=False, allow_null=True
    )
    peta_rencana = serializers.PrimaryKeyRelatedField(
        queryset=PetaRencanaItem.objects.all(), required=False, allow_null=True
    )
    aplikasi = serializers.PrimaryKeyRelatedField(queryset=Aplikasi.objects.all(), required=False, allow_null=True)


class DaftarDpaSerializer(serializers.Serializer):
    dpa_baris = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    kategori = serializers.ChoiceField(choices=BelanjaTik.Kategori.choices, required=False, allow_null=True)
    elemen = serializers.PrimaryKeyRelatedField(
        queryset=ElemenArsitektur.objects.all(), required=False, allow_null=True
    )
    peta_rencana = serializers.PrimaryKeyRelatedField(
        queryset=PetaRencanaItem.objects.all(), required=False, allow_null=True
    )
    aplikasi = serializers.PrimaryKeyRelatedField(queryset=Aplikasi.objects.all(), required=False, allow_null=True)


class BelanjaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """ICT spending lines in the caller's scope (spbe.view); `rekap` gives SQL totals by a dimension."""

    queryset = BelanjaTik.objects.select_related(
        "unit", "dpa_baris__sub_kegiatan__sub_kegiatan", "elemen", "peta_rencana"
    )
    serializer_class = BelanjaSerializer
    filterset_class = BelanjaFilterSet
    gate_actions = {
        "list": "spbe.view",
        "retrieve": "spbe.view",
        "rekap": "spbe.view",
        "partial_update": "spbe.view",
        "daftar_dpa": "spbe.view",
    }

    def get_queryset(self):
        return svc.with_amount(super().get_queryset()).order_by("-tahun", "unit__path", "pk")

    @action(detail=False, methods=["get"])
    def rekap(self, request):
        by = request.query_params.get("by", "domain")
        if by not in svc.DIMENSIONS:
            raise DrfValidationError({"by": [f"One of {', '.join(svc.DIMENSIONS)}."]})
        queryset = self.filter_queryset(self.get_queryset())
        rows = [{k: (str(v) if k == "total" else v) for k, v in r.items()} for r in svc.rekap(queryset, by)]
        summary = {k: (str(v) if v is not None else None) for k, v in svc.ringkasan(queryset).items()}
        return Response({"by": by, "ringkasan": summary, "rows": rows})

    def partial_update(self, request, pk=None):
        belanja = self.get_object()
        if not svc.may_change(request.user, belanja):
            raise PermissionDenied()
        payload = TautanSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        belanja = svc.ubah(request.user, belanja, dict(payload.validated_data))
        return Response(BelanjaSerializer(self.get_queryset().get(pk=belanja.pk)).data)

    @action(detail=False, methods=["post"], url_path="daftar-dpa")
    def daftar_dpa(self, request):
        if not (authz.has_action(request.user, "spbe.manage") or authz.has_action(request.user, "spbe.propose")):
            raise PermissionDenied()
        payload = DaftarDpaSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        created = svc.daftarkan_dpa(
            request.user, data["dpa_baris"], data.get("kategori"), {k: data.get(k) for k in svc.LINK_FIELDS}
        )
        rows = self.get_queryset().filter(pk__in=[b.pk for b in created])
        return Response(BelanjaSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)
