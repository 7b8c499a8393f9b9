"""API of tata naskah: kinds and disposition instructions (read, any signed-in user), templates (naskah.configure)."""

from __future__ import annotations

from django.db import transaction
from rest_framework import mixins, serializers

from terpadu.core import authz
from terpadu.core.api import SIGNED_IN, GatedViewSet
from terpadu.naskah import tata
from terpadu.naskah.models import InstruksiDisposisi, JenisNaskah, TemplateNaskah
from terpadu.organisasi.models import UnitKerja

CONFIGURE = "naskah.configure"


class JenisSerializer(serializers.ModelSerializer):
    sumber = serializers.SerializerMethodField()
    keyakinan = serializers.SerializerMethodField()

    class Meta:
        model = JenisNaskah
        fields = [
            "id",
            "kode",
            "nama",
            "singkatan",
            "keluar",
            "klasifikasi_bawaan",
            "aktif",
            "urutan",
            "sumber",
            "keyakinan",
        ]

    def get_sumber(self, obj) -> str:
        return tata.jenis_reference().get(obj.kode, {}).get("sumber", "")

    def get_keyakinan(self, obj) -> str:
        """'confirmed' or 'unconfirmed' (by the regulation), from data/jenis_naskah.csv."""
        return tata.jenis_reference().get(obj.kode, {}).get("keyakinan", "")


class InstruksiSerializer(serializers.ModelSerializer):
    class Meta:
        model = InstruksiDisposisi
        fields = ["id", "kode", "teks", "urutan", "aktif"]


class FieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField(required=False, allow_blank=True)
    type = serializers.ChoiceField(choices=tata.FIELD_TYPES, default="text")
    required = serializers.BooleanField(default=False)


class TemplateSerializer(serializers.ModelSerializer):
    jenis = serializers.SlugRelatedField(slug_field="kode", queryset=JenisNaskah.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=UnitKerja.objects.all(), allow_null=True, required=False)
    fields = FieldSerializer(many=True, required=False)
    css = serializers.SerializerMethodField()
    paper = serializers.ChoiceField(choices=sorted(tata.PAPER_SIZES), required=False)
    css_extra = serializers.CharField(write_only=True, required=False, allow_blank=True, source="css_input")

    class Meta:
        model = TemplateNaskah
        fields = [
            "id",
            "jenis",
            "unit",
            "nama",
            "isi",
            "fields",
            "css",
            "css_extra",
            "paper",
            "versi",
            "aktif",
            "diubah",
        ]
        read_only_fields = ["versi", "diubah"]

    def get_css(self, obj) -> str:
        return tata.css_without_paper(obj.css)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["paper"] = tata.paper_of(instance)
        return data

    def validate_unit(self, unit):
        request = self.context["request"]
        if not authz.can(request.user, CONFIGURE, TemplateNaskah(unit=unit)):
            raise serializers.ValidationError("You may not configure this unit.")
        return unit

    def _service_data(self, validated: dict) -> dict:
        data = dict(validated)
        if "css_input" in data:
            data["css"] = data.pop("css_input")
        if "fields" in data:
            data["fields"] = [dict(field) for field in data["fields"]]
        return data

    def create(self, validated_data):
        validated_data.setdefault("unit", None)
        if not authz.can(self.context["request"].user, CONFIGURE, TemplateNaskah(unit=validated_data["unit"])):
            raise serializers.ValidationError({"unit": "You may not configure the whole pemda's templates."})
        return tata.save_template(None, self._service_data(validated_data))

    def update(self, instance, validated_data):
        return tata.save_template(instance, self._service_data(validated_data))


class _ReadForEveryone(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Reference lists any signed-in user may read (they hold no personal or unit data)."""

    gate_action = SIGNED_IN

    def get_queryset(self):
        return self.queryset.all()


class JenisViewSet(_ReadForEveryone):
    queryset = JenisNaskah.objects.order_by("urutan", "nama")
    serializer_class = JenisSerializer


class InstruksiViewSet(_ReadForEveryone):
    queryset = InstruksiDisposisi.objects.order_by("urutan", "teks")
    serializer_class = InstruksiSerializer


class TemplateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    GatedViewSet,
):
    """Templates of the units the caller configures; create and change them through the audited service."""

    queryset = TemplateNaskah.objects.select_related("jenis", "unit").order_by("jenis__urutan", "nama")
    serializer_class = TemplateSerializer
    gate_action = CONFIGURE

    @transaction.atomic
    def perform_update(self, serializer):
        serializer.save()
