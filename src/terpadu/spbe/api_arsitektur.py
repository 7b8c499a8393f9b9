"""API of the arsitektur part: reference codes (read), elements (CRUD), links, gaps, needs, Peta Rencana items.

Writes go through services_arsitektur; their ValidationErrors become 400 {"error": {...}} with the reason per
field. PUT and PATCH both change only the fields given. Unknown fields are refused (400), so a typo is not
silently dropped. Reference codes have no unit: every holder of spbe.view reads them (see register_arsitektur).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from terpadu.core import authz
from terpadu.core.api import GatedViewSet
from terpadu.core.drf import error_body
from terpadu.spbe import services_arsitektur as services
from terpadu.spbe.filters_arsitektur import (
    ElemenFilterSet,
    KebutuhanFilterSet,
    KesenjanganFilterSet,
    ReferensiFilterSet,
    RelasiFilterSet,
    RencanaFilterSet,
)
from terpadu.spbe.models import (
    Domain,
    ElemenArsitektur,
    Kebutuhan,
    Kesenjangan,
    PetaRencanaItem,
    ReferensiArsitektur,
    RelasiElemen,
)

VIEW, MANAGE = "spbe.view", "spbe.manage"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _input(request, allowed) -> dict:
    data = request.data
    if not hasattr(data, "keys"):
        raise DjangoValidationError("The request body must be a JSON object.")
    unknown = sorted(set(data.keys()) - set(allowed))
    if unknown:
        raise DjangoValidationError({"non_field_errors": [f"Unknown fields: {', '.join(unknown)}."]})
    return {key: data.get(key) for key in data.keys()}


def _visible_elemen(request, pk, field: str) -> ElemenArsitektur:
    try:
        return authz.restrict(ElemenArsitektur.objects.all(), request.user, VIEW).get(pk=int(pk))
    except (TypeError, ValueError, ElemenArsitektur.DoesNotExist):
        raise DjangoValidationError({field: [f"Unknown architecture element: {pk}."]}) from None


def _require_manage_for(request, obj) -> None:
    if not authz.can(request.user, MANAGE, obj):
        raise PermissionDenied(MANAGE)


class ReferensiSerializer(serializers.ModelSerializer):
    tahun_mulai = serializers.IntegerField(source="versi.tahun_mulai", read_only=True)
    versi_nama = serializers.CharField(source="versi.nama", read_only=True)
    parent_kode = serializers.CharField(source="parent.kode", default=None, read_only=True)

    class Meta:
        model = ReferensiArsitektur
        fields = ["id", "versi", "versi_nama", "tahun_mulai", "model", "level", "kode", "nama", "parent", "parent_kode",
                  "nasional", "aktif", "keyakinan", "sumber"]  # fmt: skip


class ReferensiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Reference codes; without ?tahun= or ?versi= the current edition is listed."""

    queryset = ReferensiArsitektur.objects.select_related("versi", "parent").order_by("versi__tahun_mulai", "kode")
    serializer_class = ReferensiSerializer
    filterset_class = ReferensiFilterSet
    gate_actions = {"list": VIEW, "retrieve": VIEW}

    def get_queryset(self):
        queryset = super().get_queryset()
        params = self.request.query_params
        if self.action == "list" and not params.get("tahun") and not params.get("versi"):
            versi = services.current_versi()
            queryset = queryset.filter(versi=versi) if versi else queryset.none()
        return queryset


class ElemenSerializer(serializers.ModelSerializer):
    referensi_kode = serializers.CharField(source="referensi.kode", default=None, read_only=True)
    referensi_aktif = serializers.BooleanField(source="referensi.aktif", default=None, read_only=True)
    unit_kode = serializers.CharField(source="unit.kode", default=None, read_only=True)
    unit_nama = serializers.CharField(source="unit.nama", default=None, read_only=True)

    class Meta:
        model = ElemenArsitektur
        fields = ["id", "domain", "kode", "nama", "uraian", "unit", "unit_kode", "unit_nama", "referensi",
                  "referensi_kode", "referensi_aktif", "metadata", "status", "kondisi_saat_ini", "kondisi_target",
                  "sasaran", "sub_kegiatan", "aplikasi", "dibuat"]  # fmt: skip
        read_only_fields = fields


class ElemenViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    mixins.DestroyModelMixin, GatedViewSet,
):  # fmt: skip
    """Architecture elements. `referensi` accepts a code of the current edition (e.g. "RAB.09.04.01") or an id;
    `metadata` is an object of the domain's SIA-SPBE fields (data/metadata_sia_spbe.csv). DELETE works only for
    an element nothing refers to; otherwise POST …/retire/."""

    queryset = ElemenArsitektur.objects.select_related("unit", "referensi").order_by("domain", "kode")
    serializer_class = ElemenSerializer
    filterset_class = ElemenFilterSet
    gate_actions = {"list": VIEW, "retrieve": VIEW, "sia": VIEW, "create": MANAGE, "update": MANAGE,
                    "partial_update": MANAGE, "destroy": MANAGE, "retire": MANAGE}  # fmt: skip

    def create(self, request, *args, **kwargs):
        data = _input(request, services.ELEMEN_FIELDS)
        unit = data.get("unit")
        probe_unit = None
        if unit not in (None, ""):
            from terpadu.organisasi.models import UnitKerja

            probe_unit = UnitKerja.objects.filter(pk=unit).first() if str(unit).isdigit() else None
        _require_manage_for(request, ElemenArsitektur(unit=probe_unit))
        elemen = services.simpan_elemen(data)
        return Response(ElemenSerializer(elemen).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        elemen = self.get_object()
        data = _input(request, services.ELEMEN_FIELDS)
        if "unit" in data and data["unit"] not in (None, "") and str(data["unit"]).isdigit():
            from terpadu.organisasi.models import UnitKerja

            _require_manage_for(request, ElemenArsitektur(unit=UnitKerja.objects.filter(pk=data["unit"]).first()))
        elemen = services.simpan_elemen(data, elemen)
        return Response(ElemenSerializer(elemen).data)

    def destroy(self, request, *args, **kwargs):
        services.hapus_elemen(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        elemen = services.pensiunkan_elemen(self.get_object(), str(request.data.get("alasan", "")))
        return Response(ElemenSerializer(elemen).data)

    @extend_schema(parameters=[OpenApiParameter("domain", str, enum=Domain.values, required=True)],
                   responses={(200, "text/csv"): bytes})  # fmt: skip
    @action(detail=False, methods=["get"], pagination_class=None)
    def sia(self, request):
        """The filtered elements of one domain as a SIA-SPBE-shaped CSV."""
        domain = request.query_params.get("domain", "")
        if domain not in Domain.values:
            return Response(error_body(400, "invalid", f"Choose a domain: {', '.join(Domain.values)}."), status=400)
        queryset = self.filter_queryset(self.get_queryset())
        response = HttpResponse(services.export_sia(domain, queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="sia-spbe-{domain}.csv"'
        return response


class RelasiSerializer(serializers.ModelSerializer):
    dari_domain = serializers.CharField(source="dari.domain", read_only=True)
    dari_kode = serializers.CharField(source="dari.kode", read_only=True)
    ke_domain = serializers.CharField(source="ke.domain", read_only=True)
    ke_kode = serializers.CharField(source="ke.kode", read_only=True)

    class Meta:
        model = RelasiElemen
        fields = ["id", "dari", "dari_domain", "dari_kode", "ke", "ke_domain", "ke_kode", "keterangan"]
        read_only_fields = fields


class RelasiViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, GatedViewSet
):
    """Links between elements (allowed domain pairs in data/relasi_domain.csv). Managing a link needs
    spbe.manage on its `dari` element and sight of its `ke` element."""

    queryset = RelasiElemen.objects.select_related("dari", "ke").order_by("pk")
    serializer_class = RelasiSerializer
    filterset_class = RelasiFilterSet
    gate_actions = {"list": VIEW, "retrieve": VIEW, "create": MANAGE, "destroy": MANAGE}

    def create(self, request, *args, **kwargs):
        data = _input(request, ("dari", "ke", "keterangan"))
        errors = {name: ["This field is required."] for name in ("dari", "ke") if data.get(name) in (None, "")}
        if errors:
            raise DjangoValidationError(errors)
        dari = _visible_elemen(request, data["dari"], "dari")
        ke = _visible_elemen(request, data["ke"], "ke")
        _require_manage_for(request, dari)
        relasi = services.tambah_relasi(dari, ke, str(data.get("keterangan") or ""))
        return Response(RelasiSerializer(relasi).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.hapus_relasi(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class KebutuhanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Kebutuhan
        fields = ["id", "kesenjangan", "uraian", "unit", "tahun_target"]
        read_only_fields = fields


class KesenjanganSerializer(serializers.ModelSerializer):
    domain = serializers.CharField(source="elemen.domain", read_only=True)
    kebutuhan = KebutuhanSerializer(many=True, read_only=True)

    class Meta:
        model = Kesenjangan
        fields = ["id", "elemen", "domain", "uraian", "kondisi_saat_ini", "kondisi_target", "kebutuhan", "dibuat"]
        read_only_fields = fields


class KesenjanganViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, GatedViewSet):
    """Gaps (visible with their element); ?to_analyse=1 lists instead the elements with a target state and no gap."""

    queryset = Kesenjangan.objects.select_related("elemen").prefetch_related("kebutuhan").order_by("pk")
    serializer_class = KesenjanganSerializer
    filterset_class = KesenjanganFilterSet
    gate_actions = {"list": VIEW, "retrieve": VIEW, "create": MANAGE, "to_analyse": VIEW}

    def create(self, request, *args, **kwargs):
        data = _input(request, ("elemen", "uraian", "kondisi_saat_ini", "kondisi_target"))
        if data.get("elemen") in (None, ""):
            raise DjangoValidationError({"elemen": ["This field is required."]})
        elemen = _visible_elemen(request, data["elemen"], "elemen")
        _require_manage_for(request, elemen)
        gap = services.catat_kesenjangan(elemen, data)
        return Response(KesenjanganSerializer(gap).data, status=status.HTTP_201_CREATED)

    @action(detail=False, methods=["get"], url_path="to-analyse", filterset_class=None)
    def to_analyse(self, request):
        visible = authz.restrict(ElemenArsitektur.objects.all(), request.user, VIEW)
        visible = ElemenFilterSet(request.query_params, queryset=visible).qs
        rows = services.to_analyse(visible).select_related("unit", "referensi").order_by("domain", "kode")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ElemenSerializer(page, many=True).data)


class KebutuhanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, GatedViewSet):
    """Needs derived from gaps, with the responsible OPD and target year."""

    queryset = Kebutuhan.objects.select_related("kesenjangan__elemen", "unit").order_by("tahun_target", "pk")
    serializer_class = KebutuhanSerializer
    filterset_class = KebutuhanFilterSet
    gate_actions = {"list": VIEW, "retrieve": VIEW, "create": MANAGE}

    def create(self, request, *args, **kwargs):
        data = _input(request, ("kesenjangan", "uraian", "unit", "tahun_target"))
        try:
            gap = Kesenjangan.objects.select_related("elemen").get(
                pk=int(data.get("kesenjangan")),
                elemen__in=authz.restrict(ElemenArsitektur.objects.all(), request.user, VIEW),
            )
        except (TypeError, ValueError, Kesenjangan.DoesNotExist):
            raise DjangoValidationError({"kesenjangan": [f"Unknown gap: {data.get('kesenjangan')}."]}) from None
        _require_manage_for(request, gap.elemen)
        need = services.catat_kebutuhan(gap, data)
        return Response(KebutuhanSerializer(need).data, status=status.HTTP_201_CREATED)


class RencanaSerializer(serializers.ModelSerializer):
    unit_nama = serializers.CharField(source="unit.nama", read_only=True)
    flags = serializers.SerializerMethodField()

    class Meta:
        model = PetaRencanaItem
        fields = ["id", "muatan", "nama", "uraian", "tahun", "tahun_selesai", "unit", "unit_nama", "target_keluaran",
                  "perkiraan_biaya", "status", "elemen", "kebutuhan", "flags"]  # fmt: skip
        read_only_fields = fields

    def get_flags(self, obj) -> list[str]:
        return services.rencana_flags(obj)


class RencanaViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    mixins.DestroyModelMixin, GatedViewSet,
):  # fmt: skip
    """Peta Rencana items. `perkiraan_biaya` is a decimal string (e.g. "150000000.00"); `elemen` a list of
    element ids (replaces the links when given). ?tahun= lists the items running in that year."""

    queryset = (
        PetaRencanaItem.objects.select_related("unit")
        .prefetch_related("elemen__referensi")
        .order_by("tahun", "muatan", "nama")
    )
    serializer_class = RencanaSerializer
    filterset_class = RencanaFilterSet
    gate_actions = {"list": VIEW, "retrieve": VIEW, "timeline": VIEW, "export": VIEW, "create": MANAGE,
                    "update": MANAGE, "partial_update": MANAGE, "destroy": MANAGE}  # fmt: skip

    def _data(self, request) -> dict:
        data = _input(request, (*services.RENCANA_FIELDS, "elemen"))
        if "elemen" in data:
            ids = data["elemen"] or []
            if not isinstance(ids, list):
                raise DjangoValidationError({"elemen": ["A list of element ids is expected."]})
            data["elemen"] = [_visible_elemen(request, pk, "elemen") for pk in ids]
        if "unit" in data and str(data.get("unit") or "").isdigit():
            from terpadu.organisasi.models import UnitKerja

            _require_manage_for(request, PetaRencanaItem(unit=UnitKerja.objects.filter(pk=data["unit"]).first()))
        return data

    def create(self, request, *args, **kwargs):
        data = self._data(request)
        if "unit" not in data or not str(data.get("unit") or "").isdigit():
            raise DjangoValidationError({"unit": ["The owner OPD (unit id) is required."]})
        item = services.simpan_rencana(data)
        return Response(RencanaSerializer(item).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        item = self.get_object()
        item = services.simpan_rencana(self._data(request), item)
        return Response(RencanaSerializer(item).data)

    def destroy(self, request, *args, **kwargs):
        services.hapus_rencana(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=False, methods=["get"], pagination_class=None)
    def timeline(self, request):
        """Years across, sections down; bars from tahun to tahun_selesai; cost totals per year and section."""
        data = services.timeline(self.filter_queryset(self.get_queryset()))
        return Response({
            "years": data["years"],
            "sections": [{
                "muatan": s["muatan"], "label": str(s["label"]), "total": str(s["total"]),
                "totals": {str(y): str(t) for y, t in zip(data["years"], s["totals"], strict=True)},
                "items": [{"id": r["item"].pk, "nama": r["item"].nama, "tahun": r["item"].tahun,
                           "tahun_selesai": r["item"].tahun_selesai or r["item"].tahun, "unit": r["item"].unit_id,
                           "status": r["item"].status, "perkiraan_biaya": str(r["item"].perkiraan_biaya),
                           "flagged": r["flagged"]} for r in s["rows"]],
            } for s in data["sections"]],
            "year_totals": {str(y): str(t) for y, t in zip(data["years"], data["year_totals"], strict=True)},
            "grand_total": str(data["grand_total"]),
        })  # fmt: skip

    @extend_schema(parameters=[OpenApiParameter("fmt", str, enum=["csv", "xlsx"])],
                   responses={(200, "text/csv"): bytes})  # fmt: skip
    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request):
        fmt = request.query_params.get("fmt", "csv")
        if fmt not in ("csv", "xlsx"):
            return Response(error_body(400, "invalid", "Unknown file format fmt (csv, xlsx)."), status=400)
        content = services.export_rencana(self.filter_queryset(self.get_queryset()), fmt)
        response = HttpResponse(content, content_type=XLSX if fmt == "xlsx" else "text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="peta-rencana-spbe.{fmt}"'
        return response
