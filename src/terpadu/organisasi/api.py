"""Read API for integrators: organisation, positions, employees (private fields need view_private)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers

from terpadu.core import authz
from terpadu.core.api import GatedViewSet
from terpadu.organisasi import services
from terpadu.organisasi.filters import JabatanFilterSet, PegawaiFilterSet, UnitFilterSet
from terpadu.organisasi.models import Jabatan, Pegawai, Pemda, UnitKerja

READ = {"list": "organisasi.view", "retrieve": "organisasi.view"}


class PemdaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pemda
        fields = ["id", "nama", "jenis", "kode_wilayah", "provinsi", "alamat", "telepon", "email", "website"]


class UnitSerializer(serializers.ModelSerializer):
    parent_kode = serializers.CharField(source="parent.kode", default=None, read_only=True)

    class Meta:
        model = UnitKerja
        fields = [
            "id",
            "kode",
            "nama",
            "singkatan",
            "jenis",
            "parent",
            "parent_kode",
            "depth",
            "alamat",
            "telepon",
            "email",
            "website",
            "valid_from",
            "valid_to",
        ]


class JabatanSerializer(serializers.ModelSerializer):
    atasan = serializers.SerializerMethodField()

    class Meta:
        model = Jabatan
        fields = ["id", "kode", "nama", "jenis", "eselon", "is_kepala_unit", "unit", "atasan", "valid_from", "valid_to"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_atasan(self, obj) -> int | None:
        atasan = services.atasan_of(obj)
        return atasan.pk if atasan else None


class PegawaiSerializer(serializers.ModelSerializer):
    nama_lengkap = serializers.CharField(read_only=True)
    pangkat = serializers.CharField(read_only=True)

    class Meta:
        model = Pegawai
        fields = [
            "id",
            "nip",
            "nama",
            "nama_lengkap",
            "gelar_depan",
            "gelar_belakang",
            "status",
            "golongan",
            "pangkat",
            "jabatan",
            "unit",
            "aktif",
            "email",
            "telepon",
            "tanggal_lahir",
            "jenis_kelamin",
        ]

    PRIVATE = ("email", "telepon", "tanggal_lahir", "jenis_kelamin")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not authz.can(request.user, "organisasi.view_private", instance):
            for name in self.PRIVATE:
                data[name] = None
        return data


class PemdaViewSet(mixins.ListModelMixin, GatedViewSet):
    queryset = Pemda.objects.order_by("pk")
    serializer_class = PemdaSerializer
    gate_actions = {"list": "organisasi.view"}

    def get_queryset(self):
        # Pemda has no unit: anyone who may see the organisation sees the pemda.
        allowed = authz.has_action(self.request.user, "organisasi.view")
        return (Pemda.objects.all() if allowed else Pemda.objects.none()).order_by("pk")


class UnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    queryset = UnitKerja.objects.select_related("parent").order_by("path")
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    gate_actions = READ


class JabatanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    queryset = Jabatan.objects.select_related("unit", "atasan_override").order_by("unit__path", "nama")
    serializer_class = JabatanSerializer
    filterset_class = JabatanFilterSet
    gate_actions = READ


class PegawaiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    queryset = Pegawai.objects.select_related("jabatan", "unit").order_by("nama")
    serializer_class = PegawaiSerializer
    filterset_class = PegawaiFilterSet
    gate_actions = READ
