"""API of the arsip module: classification (read), berkas (scoped; create, close, confirm), retention lists
and berita acara (read). Changes go through the services; errors are the platform's JSON error body."""

from __future__ import annotations

from django.db.models import Count
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from terpadu.arsip import services
from terpadu.arsip.filters import BeritaAcaraFilterSet, BerkasFilterSet, KlasifikasiFilterSet
from terpadu.arsip.models import BeritaAcara, Berkas, IsiBerkas, Klasifikasi
from terpadu.core import authz
from terpadu.core.api import SIGNED_IN, GatedViewSet
from terpadu.organisasi.models import UnitKerja


class KlasifikasiSerializer(serializers.ModelSerializer):
    parent_kode = serializers.CharField(source="parent.kode", default=None, read_only=True)
    jra_lengkap = serializers.BooleanField(read_only=True)

    class Meta:
        model = Klasifikasi
        fields = [
            "id",
            "versi",
            "kode",
            "nama",
            "parent",
            "parent_kode",
            "depth",
            "retensi_aktif",
            "retensi_inaktif",
            "nasib_akhir",
            "skkaad",
            "keterangan",
            "keyakinan",
            "jra_keyakinan",
            "jra_lengkap",
            "sumber",
            "aktif",
        ]


class BerkasSerializer(serializers.ModelSerializer):
    klasifikasi_kode = serializers.CharField(source="klasifikasi.kode", read_only=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=UnitKerja.objects.all())
    klasifikasi = serializers.PrimaryKeyRelatedField(queryset=Klasifikasi.objects.all())
    tahun = serializers.IntegerField(required=False, min_value=1900, max_value=2999)

    class Meta:
        model = Berkas
        fields = [
            "id",
            "unit",
            "klasifikasi",
            "klasifikasi_kode",
            "nomor",
            "tahun",
            "uraian",
            "lokasi",
            "kurun_mulai",
            "kurun_selesai",
            "status",
            "ditutup",
            "aktif_sampai",
            "inaktif_sampai",
        ]
        read_only_fields = ["nomor", "status", "ditutup", "aktif_sampai", "inaktif_sampai"]
        validators = []  # the numbering service keeps (unit, tahun, nomor) unique


class ConfirmSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.IntegerField(), required=False)


class BeritaAcaraSerializer(serializers.ModelSerializer):
    dokumen_sha256 = serializers.CharField(source="dokumen.sha256", read_only=True)
    berkas = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = BeritaAcara
        fields = ["id", "jenis", "nomor", "tanggal", "unit", "dasar", "dokumen_sha256", "berkas", "dibuat"]


class BeritaAcaraCreateSerializer(serializers.Serializer):
    jenis = serializers.ChoiceField(choices=BeritaAcara.Jenis.choices)
    berkas = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    nomor = serializers.CharField(max_length=100)
    tanggal = serializers.DateField()
    dasar = serializers.CharField(allow_blank=True, required=False, default="")
    dokumen = serializers.FileField()


class KlasifikasiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """The classification scheme is public regulation: any signed-in user reads it. Without ?versi= the
    current edition is listed."""

    queryset = Klasifikasi.objects.select_related("parent").order_by("versi", "kode")
    serializer_class = KlasifikasiSerializer
    filterset_class = KlasifikasiFilterSet
    gate_actions = {"list": SIGNED_IN, "retrieve": SIGNED_IN}

    def get_queryset(self):
        queryset = Klasifikasi.objects.select_related("parent").order_by("versi", "kode")
        if self.action == "list" and not self.request.query_params.get("versi"):
            versi = services.current_versi()
            queryset = queryset.filter(versi=versi) if versi else queryset.none()
        return queryset


class BerkasViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, GatedViewSet):
    queryset = Berkas.objects.select_related("klasifikasi", "unit").order_by("-tahun", "unit__path", "-nomor")
    serializer_class = BerkasSerializer
    filterset_class = BerkasFilterSet
    gate_actions = {
        "list": "arsip.view",
        "retrieve": "arsip.view",
        "create": "arsip.file",
        "close": "arsip.file",
        "confirm": "arsip.file",
    }

    def perform_create(self, serializer):
        unit = serializer.validated_data["unit"]
        if not authz.can(self.request.user, "arsip.file", unit):
            raise serializers.ValidationError({"unit": ["You may not file for this unit."]})
        serializer.instance = services.create_berkas(self.request.user, serializer.validated_data)

    @extend_schema(request=None, responses=BerkasSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        berkas = services.close_berkas(self.get_object())
        return Response(BerkasSerializer(berkas).data)

    @extend_schema(request=ConfirmSerializer, responses=BerkasSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm the proposed items of this berkas (all, or the ids in `items`)."""
        berkas = self.get_object()
        payload = ConfirmSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        pending = berkas.isi.filter(status=IsiBerkas.Status.USULAN)
        if payload.validated_data.get("items"):
            pending = pending.filter(pk__in=payload.validated_data["items"])
        count = services.confirm_items(request.user, pending)
        return Response({"confirmed": count, "berkas": BerkasSerializer(berkas).data}, status=status.HTTP_200_OK)


class RetensiViewSet(mixins.ListModelMixin, GatedViewSet):
    """Closed berkas on their retention path (filter ?status=inaktif, usul_musnah, …)."""

    queryset = Berkas.objects.filter(status__in=services.RETENTION_STATUSES).select_related("klasifikasi", "unit")
    serializer_class = BerkasSerializer
    filterset_class = BerkasFilterSet
    gate_actions = {"list": "arsip.view", "ringkasan": "arsip.view"}

    def get_queryset(self):
        return super().get_queryset().order_by("inaktif_sampai", "aktif_sampai", "pk")

    @extend_schema(responses=dict)
    @action(detail=False, methods=["get"])
    def ringkasan(self, request):
        """Counts per retention status in the caller's scope."""
        counts = dict(self.get_queryset().order_by().values_list("status").annotate(n=Count("pk")))
        return Response({status: counts.get(status, 0) for status in services.RETENTION_STATUSES})


class BeritaAcaraViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    queryset = BeritaAcara.objects.select_related("dokumen").prefetch_related("berkas").order_by("-tanggal", "-pk")
    serializer_class = BeritaAcaraSerializer
    filterset_class = BeritaAcaraFilterSet
    gate_actions = {"list": "arsip.view", "retrieve": "arsip.view", "create": "arsip.dispose"}

    @extend_schema(request={"multipart/form-data": BeritaAcaraCreateSerializer}, responses={201: BeritaAcaraSerializer})
    def create(self, request):
        """Record a berita acara (multipart: the signed PDF in `dokumen`) for berkas on the proposal list."""
        payload = BeritaAcaraCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        allowed = authz.restrict(Berkas.objects.filter(pk__in=data["berkas"]), request.user, "arsip.dispose")
        if allowed.count() != len(set(data["berkas"])):
            raise serializers.ValidationError({"berkas": ["Some files are not in your scope."]})
        berita_acara = services.record_disposal(request.user, data["jenis"], data["berkas"], data)
        return Response(BeritaAcaraSerializer(berita_acara).data, status=status.HTTP_201_CREATED)
