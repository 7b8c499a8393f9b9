"""API of the planning documents: RPJMD (nested read), Renstra, Renja, Renja sub kegiatan, indicators, and the
pohon kinerja as JSON (down from an RPJMD sasaran, up from a sub kegiatan). Reads go through the gate; the one
write here (drawing a Renja from the Renstra) goes through services_rencana."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from terpadu.core import authz
from terpadu.core.api import GatedViewSet
from terpadu.organisasi.models import UnitKerja
from terpadu.perencanaan import rencana
from terpadu.perencanaan import services_rencana as services
from terpadu.perencanaan.filters_rencana import (
    IndikatorFilterSet,
    RenjaFilterSet,
    RenjaSubKegiatanFilterSet,
    RenstraFilterSet,
)
from terpadu.perencanaan.models import (
    Indikator,
    Misi,
    ProgramPrioritas,
    Renja,
    RenjaSubKegiatan,
    Renstra,
    RenstraItem,
    Rpjmd,
    Sasaran,
    SasaranPd,
    TargetIndikator,
    Tujuan,
    TujuanPd,
)

VIEW = "perencanaan.view"


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetIndikator
        fields = ["tahun", "target"]


class IndikatorSerializer(serializers.ModelSerializer):
    target = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Indikator
        fields = [
            "id",
            "sasaran",
            "tujuan",
            "sasaran_pd",
            "renstra_item",
            "renja_sub_kegiatan",
            "uraian",
            "satuan",
            "polaritas",
            "baseline",
            "tahun_baseline",
            "definisi",
            "target",
        ]


class NestedIndikatorSerializer(IndikatorSerializer):
    class Meta(IndikatorSerializer.Meta):
        fields = ["id", "uraian", "satuan", "polaritas", "baseline", "tahun_baseline", "definisi", "target"]


class ProgramPrioritasSerializer(serializers.ModelSerializer):
    kode = serializers.CharField(source="program.kode", read_only=True)
    nama = serializers.CharField(source="program.nama", read_only=True)

    class Meta:
        model = ProgramPrioritas
        fields = ["id", "kode", "nama", "unit", "pagu_indikatif"]


class SasaranSerializer(serializers.ModelSerializer):
    indikator = NestedIndikatorSerializer(many=True, read_only=True)
    program_prioritas = ProgramPrioritasSerializer(many=True, read_only=True)

    class Meta:
        model = Sasaran
        fields = ["id", "kode", "uraian", "indikator", "program_prioritas"]


class TujuanSerializer(serializers.ModelSerializer):
    indikator = NestedIndikatorSerializer(many=True, read_only=True)
    sasaran = SasaranSerializer(many=True, read_only=True)

    class Meta:
        model = Tujuan
        fields = ["id", "kode", "uraian", "indikator", "sasaran"]


class MisiSerializer(serializers.ModelSerializer):
    tujuan = TujuanSerializer(many=True, read_only=True)

    class Meta:
        model = Misi
        fields = ["id", "nomor", "uraian", "tujuan"]


class RpjmdSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rpjmd
        fields = ["id", "nama", "tahun_awal", "tahun_akhir", "visi", "dasar_hukum", "status"]


class RpjmdDetailSerializer(RpjmdSerializer):
    misi = MisiSerializer(many=True, read_only=True)

    class Meta(RpjmdSerializer.Meta):
        fields = [*RpjmdSerializer.Meta.fields, "misi"]


class RenstraItemSerializer(serializers.ModelSerializer):
    kode = serializers.CharField(source="nomenklatur.kode", read_only=True)
    nama = serializers.CharField(source="nomenklatur.nama", read_only=True)
    edisi = serializers.IntegerField(source="nomenklatur.versi.tahun", read_only=True)
    pagu = serializers.SerializerMethodField()
    indikator = NestedIndikatorSerializer(many=True, read_only=True)

    class Meta:
        model = RenstraItem
        fields = ["id", "level", "kode", "nama", "edisi", "parent", "sasaran_pd", "pagu", "indikator"]

    def get_pagu(self, obj) -> dict:
        return {str(p.tahun): str(p.nilai) for p in obj.pagu.all()}


class SasaranPdSerializer(serializers.ModelSerializer):
    indikator = NestedIndikatorSerializer(many=True, read_only=True)

    class Meta:
        model = SasaranPd
        fields = ["id", "kode", "uraian", "sasaran_rpjmd", "indikator"]


class TujuanPdSerializer(serializers.ModelSerializer):
    sasaran = SasaranPdSerializer(many=True, read_only=True)

    class Meta:
        model = TujuanPd
        fields = ["id", "kode", "uraian", "tujuan_rpjmd", "sasaran"]


class RenstraSerializer(serializers.ModelSerializer):
    unit_nama = serializers.CharField(source="unit.nama", read_only=True)

    class Meta:
        model = Renstra
        fields = ["id", "rpjmd", "unit", "unit_nama", "status"]


class RenstraDetailSerializer(RenstraSerializer):
    tujuan = TujuanPdSerializer(many=True, read_only=True)
    items = RenstraItemSerializer(many=True, read_only=True)

    class Meta(RenstraSerializer.Meta):
        fields = [*RenstraSerializer.Meta.fields, "tujuan", "items"]


class RenjaSerializer(serializers.ModelSerializer):
    unit_nama = serializers.CharField(source="unit.nama", read_only=True)

    class Meta:
        model = Renja
        fields = ["id", "unit", "unit_nama", "tahun", "renstra", "status"]


class RenjaSubKegiatanSerializer(serializers.ModelSerializer):
    kode = serializers.CharField(source="sub_kegiatan.kode", read_only=True)
    nama = serializers.CharField(source="sub_kegiatan.nama", read_only=True)
    keyakinan = serializers.CharField(source="sub_kegiatan.keyakinan", read_only=True)
    indikator = NestedIndikatorSerializer(many=True, read_only=True)

    class Meta:
        model = RenjaSubKegiatan
        fields = [
            "id",
            "renja",
            "unit",
            "tahun",
            "sub_kegiatan",
            "kode",
            "nama",
            "keyakinan",
            "kode_program",
            "kode_kegiatan",
            "renstra_item",
            "pagu_indikatif",
            "prakiraan_maju",
            "lokasi",
            "sumber_dana",
            "pptk",
            "indikator",
        ]


class DrawSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=UnitKerja.objects.all())
    tahun = serializers.IntegerField(min_value=2000, max_value=2100)


_IND = Indikator.objects.prefetch_related("target")


class RpjmdViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """RPJMD documents; the detail nests misi → tujuan → sasaran with indicators, targets and priority programs."""

    queryset = Rpjmd.objects.all()
    serializer_class = RpjmdSerializer
    gate_actions = {"list": VIEW, "retrieve": VIEW}

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            programs = ProgramPrioritas.objects.select_related("program")
            sasaran = Sasaran.objects.prefetch_related(
                Prefetch("indikator", _IND), Prefetch("program_prioritas", programs)
            )
            tujuan = Tujuan.objects.prefetch_related(Prefetch("indikator", _IND), Prefetch("sasaran", sasaran))
            queryset = queryset.prefetch_related(
                Prefetch("misi", Misi.objects.prefetch_related(Prefetch("tujuan", tujuan)))
            )
        return queryset

    def get_serializer_class(self):
        return RpjmdDetailSerializer if self.action == "retrieve" else RpjmdSerializer


class SasaranViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """City sasaran (RPJMD); `pohon` is the cascade down to every OPD sub kegiatan of a year (?tahun=)."""

    queryset = Sasaran.objects.select_related("tujuan__misi__rpjmd").order_by("tujuan__misi__rpjmd", "kode")
    serializer_class = SasaranSerializer
    gate_actions = {"list": VIEW, "retrieve": VIEW, "pohon": VIEW}

    def get_queryset(self):
        queryset = super().get_queryset().prefetch_related(Prefetch("indikator", _IND), "program_prioritas__program")
        rpjmd = self.request.query_params.get("rpjmd", "")
        return queryset.filter(tujuan__misi__rpjmd=rpjmd) if rpjmd.isdigit() else queryset

    @extend_schema(parameters=[OpenApiParameter("tahun", int)], responses=dict)
    @action(detail=True, methods=["get"])
    def pohon(self, request, pk=None):
        sasaran = self.get_object()
        years = sasaran.tujuan.misi.rpjmd.tahun_list
        value = request.query_params.get("tahun", "")
        tahun = int(value) if value.isdigit() else timezone.localdate().year
        if tahun not in years:
            raise serializers.ValidationError(
                {"tahun": [f"{tahun} is outside the RPJMD period {years[0]}–{years[-1]}."]}
            )
        tree = rencana.pohon_turun(sasaran, tahun, rencana.sub_kegiatan_visible(request.user))
        return Response({"tahun": tahun, "pohon": tree})


class RenstraViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    queryset = Renstra.objects.select_related("unit").order_by("rpjmd", "unit__path")
    serializer_class = RenstraSerializer
    filterset_class = RenstraFilterSet
    gate_actions = {"list": VIEW, "retrieve": VIEW}

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            items = RenstraItem.objects.select_related("nomenklatur__versi").prefetch_related(
                "pagu", Prefetch("indikator", _IND)
            )
            sasaran = SasaranPd.objects.prefetch_related(Prefetch("indikator", _IND))
            queryset = queryset.prefetch_related(
                Prefetch("tujuan", TujuanPd.objects.prefetch_related(Prefetch("sasaran", sasaran))),
                Prefetch("items", items.order_by("nomenklatur__kode")),
            )
        return queryset

    def get_serializer_class(self):
        return RenstraDetailSerializer if self.action == "retrieve" else RenstraSerializer


class RenjaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Renja PD; POST tarik {unit, tahun} draws (or completes) a Renja from the OPD's adopted Renstra."""

    queryset = Renja.objects.select_related("unit").order_by("-tahun", "unit__path")
    serializer_class = RenjaSerializer
    filterset_class = RenjaFilterSet
    gate_actions = {"list": VIEW, "retrieve": VIEW, "tarik": "perencanaan.plan"}

    @extend_schema(request=DrawSerializer, responses=dict)
    @action(detail=False, methods=["post"])
    def tarik(self, request):
        payload = DrawSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        unit, tahun = payload.validated_data["unit"], payload.validated_data["tahun"]
        if not (
            authz.can(request.user, "perencanaan.plan", unit) or authz.can(request.user, "perencanaan.change", unit)
        ):
            raise PermissionDenied
        result = services.draw_renja(unit, tahun)
        body = {
            "renja": RenjaSerializer(result.renja).data,
            "created": [s.sub_kegiatan.kode for s in result.created],
            "existing": [i.nomenklatur.kode for i in result.existing],
            "unmapped": [{"kode": i.nomenklatur.kode, "reason": str(reason)} for i, reason in result.unmapped],
        }
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


class RenjaSubKegiatanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Sub kegiatan of the OPDs (filter ?tahun=, ?unit=, ?kode= prefix); `pohon` is its chain up to the RPJMD."""

    queryset = RenjaSubKegiatan.objects.select_related("sub_kegiatan", "unit").order_by(
        "tahun", "unit__path", "sub_kegiatan__kode"
    )
    serializer_class = RenjaSubKegiatanSerializer
    filterset_class = RenjaSubKegiatanFilterSet
    gate_actions = {"list": VIEW, "retrieve": VIEW, "pohon": VIEW}

    def get_queryset(self):
        return super().get_queryset().prefetch_related(Prefetch("indikator", _IND))

    @extend_schema(responses=dict)
    @action(detail=True, methods=["get"])
    def pohon(self, request, pk=None):
        sub = self.get_object()
        return Response({"id": sub.pk, "tahun": sub.tahun, "naik": rencana.pohon_naik(sub)})


class IndikatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Indicators of every planning element with their yearly targets (filter by owner, ?rpjmd=, ?tahun=)."""

    queryset = Indikator.objects.prefetch_related("target").order_by("pk")
    serializer_class = IndikatorSerializer
    filterset_class = IndikatorFilterSet
    gate_actions = {"list": VIEW, "retrieve": VIEW}
