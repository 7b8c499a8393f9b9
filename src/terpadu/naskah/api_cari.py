"""API of the 'cari' part: naskah search (the same FilterSet as the page), numbering and number formats."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from terpadu.core import authz
from terpadu.core.api import GatedViewSet, Pagination
from terpadu.core.drf import SIGNED_IN
from terpadu.naskah import penomoran
from terpadu.naskah.filters import NaskahFilterSet
from terpadu.naskah.models import FormatNomor, JenisNaskah, Naskah, NomorCadangan
from terpadu.organisasi.models import UnitKerja


class NaskahHitSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.nama", read_only=True)
    jenis = serializers.CharField(source="jenis.kode", read_only=True)
    klasifikasi = serializers.CharField(source="klasifikasi.kode", read_only=True)

    class Meta:
        model = Naskah
        fields = ["id", "nomor", "tanggal", "hal", "unit", "jenis", "klasifikasi", "sifat", "status", "arah"]


class RankedPagination(Pagination):
    """The search page's paging: the page's ids with the total in one query, then only those rows."""

    page_size = 25

    def paginate_queryset(self, queryset, request, view=None):
        from terpadu.naskah.views_cari import page_of

        self.request = request
        self.page = page_of(queryset, request.query_params.get(self.page_query_param), self.get_page_size(request))
        return list(self.page)


class NaskahSearchViewSet(mixins.ListModelMixin, GatedViewSet):
    """Search the naskah the caller may see (naskah.view: their units' open naskah, and any naskah they are
    a party to — secret ones only then). Filters: q, dari, sampai, klasifikasi, unit, jenis, sifat, status, arah."""

    queryset = Naskah.objects.all()
    serializer_class = NaskahHitSerializer
    filterset_class = NaskahFilterSet
    pagination_class = RankedPagination
    gate_action = SIGNED_IN  # a party without naskah.view still finds its own naskah

    def get_queryset(self):
        return authz.restrict(Naskah.objects.all(), self.request.user, "naskah.view")


# -- numbering -----------------------------------------------------------------------------------------


class CadanganSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="urutan.unit_id", read_only=True)
    lingkup = serializers.CharField(source="urutan.lingkup", read_only=True)
    tahun = serializers.IntegerField(source="urutan.tahun", read_only=True)

    class Meta:
        model = NomorCadangan
        fields = ["id", "unit", "lingkup", "tahun", "jenis", "urut", "sisipan", "alasan", "status", "naskah", "dibuat"]


class SequenceInput(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=UnitKerja.objects.all())
    jenis = serializers.SlugRelatedField(slug_field="kode", queryset=JenisNaskah.objects.all(), required=False)
    tahun = serializers.IntegerField(min_value=2000, max_value=2100)
    alasan = serializers.CharField(max_length=255)
    after_urut = serializers.IntegerField(min_value=1, required=False)


class ReasonInput(serializers.Serializer):
    alasan = serializers.CharField(max_length=255)


class GapRowSerializer(serializers.Serializer):
    lingkup = serializers.CharField()
    urut = serializers.IntegerField()
    sisipan = serializers.CharField()
    status = serializers.CharField()
    nomor = serializers.CharField()
    naskah_id = serializers.IntegerField(allow_null=True)
    alasan = serializers.CharField()


def _unit_for_number(request, unit: UnitKerja) -> UnitKerja:
    if not authz.can(request.user, "naskah.number", unit):
        raise PermissionDenied
    return unit


def _call(function, *args):
    try:
        return function(*args)
    except ValidationError as exc:
        raise ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}) from exc


class NomorCadanganViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Reserved and inserted numbers of the units in the caller's naskah.number scope; reserve, insert
    (sisipan), void, and the gap report of a unit's year."""

    queryset = NomorCadangan.objects.select_related("urutan").order_by("-pk")
    serializer_class = CadanganSerializer
    gate_action = "naskah.number"

    @extend_schema(request=SequenceInput, responses=CadanganSerializer)
    def create(self, request):
        data = self._valid(SequenceInput, request)
        unit = _unit_for_number(request, data["unit"])
        cadangan = _call(penomoran.reserve, unit, data.get("jenis"), data["tahun"], data["alasan"], request.user)
        return Response(CadanganSerializer(cadangan).data, status=201)

    @extend_schema(request=SequenceInput, responses=CadanganSerializer)
    @action(detail=False, methods=["post"])
    def sisipan(self, request):
        data = self._valid(SequenceInput, request)
        if not data.get("after_urut"):
            raise ApiValidationError({"after_urut": ["This field is required."]})
        unit = _unit_for_number(request, data["unit"])
        args = (unit, data.get("jenis"), data["tahun"], data["after_urut"], data["alasan"], request.user)
        cadangan = _call(penomoran.insert_sisipan, *args)
        return Response(CadanganSerializer(cadangan).data, status=201)

    @extend_schema(request=ReasonInput, responses=CadanganSerializer)
    @action(detail=True, methods=["post"])
    def batal(self, request, pk=None):
        cadangan = self.get_object()
        data = self._valid(ReasonInput, request)
        cadangan = _call(penomoran.void, cadangan, data["alasan"], request.user)
        return Response(CadanganSerializer(cadangan).data)

    @extend_schema(
        parameters=[OpenApiParameter("unit", int, required=True), OpenApiParameter("tahun", int, required=True)],
        responses=GapRowSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="laporan")
    def laporan(self, request):
        params = request.query_params
        if not params.get("unit", "").isdigit() or not params.get("tahun", "").isdigit():
            raise ApiValidationError({"unit": ["unit and tahun (numbers) are required."]})
        units = authz.restrict(UnitKerja.objects.all(), request.user, "naskah.number")
        unit = get_object_or_404(units, pk=int(params["unit"]))
        rows = penomoran.gap_report(unit, int(params["tahun"]))
        return Response(GapRowSerializer(rows, many=True).data)

    @staticmethod
    def _valid(serializer_class, request) -> dict:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


# -- number formats ------------------------------------------------------------------------------------


class FormatSerializer(serializers.ModelSerializer):
    jenis = serializers.SlugRelatedField(
        slug_field="kode", queryset=JenisNaskah.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = FormatNomor
        fields = ["id", "unit", "jenis", "pola", "urut_per_jenis", "digit"]
        validators: list = []  # (unit, jenis) is checked by penomoran.save_format, NULLs included

    def validate_pola(self, value):
        try:
            penomoran.validate_pola(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return value


class FormatNomorViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, GatedViewSet
):
    """Number formats (naskah.configure). A format without unit is the pemda default (whole-pemda grants)."""

    queryset = FormatNomor.objects.select_related("unit", "jenis").order_by("pk")
    serializer_class = FormatSerializer
    gate_action = "naskah.configure"

    def perform_create(self, serializer):
        serializer.instance = self._save(None, serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self._save(serializer.instance, serializer.validated_data)

    def _save(self, instance, data):
        unit = data.get("unit", instance.unit if instance else None)
        allowed = authz.scope(self.request.user, "naskah.configure")
        if not allowed.whole and (unit is None or not allowed.covers_path(unit.path)):
            raise PermissionDenied
        return _call(penomoran.save_format, instance, data)
