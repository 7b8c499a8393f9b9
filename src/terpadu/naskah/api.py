"""API of outgoing naskah: list/detail (through the gate), draft, versions, paraf, sign, send, grant, export package,
and the public verification JSON. Every state change goes through `naskah.services`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from terpadu.arsip.models import Klasifikasi
from terpadu.core import authz
from terpadu.core.api import SIGNED_IN, GatedViewSet
from terpadu.naskah import paket, services
from terpadu.naskah.models import JenisNaskah, Naskah, NaskahVersi, Penerima, Sifat, Urgensi, Verifikasi
from terpadu.organisasi.models import Jabatan, Pegawai, UnitKerja

# -- serializers -----------------------------------------------------------------------------------


class PenerimaSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Penerima
        fields = [
            "id",
            "peran",
            "jabatan",
            "unit",
            "nama",
            "instansi",
            "alamat",
            "email",
            "label",
            "terkirim",
            "dibaca",
            "surel",
        ]
        read_only_fields = ["id", "label", "terkirim", "dibaca", "surel"]
        extra_kwargs = {
            "jabatan": {"queryset": Jabatan.objects.all(), "required": False, "allow_null": True},
            "unit": {"queryset": UnitKerja.objects.all(), "required": False, "allow_null": True},
        }


class VerifikasiSerializer(serializers.ModelSerializer):
    jabatan_nama = serializers.CharField(source="jabatan.nama", read_only=True)

    class Meta:
        model = Verifikasi
        fields = ["putaran", "urutan", "jabatan", "jabatan_nama", "status", "pegawai", "catatan", "diproses"]


class NaskahSerializer(serializers.ModelSerializer):
    penerima = PenerimaSerializer(many=True, read_only=True)
    verifikasi = VerifikasiSerializer(many=True, read_only=True)
    klasifikasi_kode = serializers.CharField(source="klasifikasi.kode", read_only=True)

    class Meta:
        model = Naskah
        fields = [
            "id",
            "arah",
            "status",
            "jenis",
            "klasifikasi",
            "klasifikasi_kode",
            "sifat",
            "urgensi",
            "hal",
            "ringkasan",
            "sumber",
            "isi",
            "unit",
            "pembuat",
            "penandatangan_jabatan",
            "atas_nama",
            "atas_nama_jabatan",
            "penandatangan",
            "penandatangan_label",
            "ditandatangani",
            "tte_backend",
            "nomor",
            "tanggal",
            "hash_sha256",
            "kode_verifikasi",
            "dibuat",
            "diubah",
            "penerima",
            "verifikasi",
        ]
        read_only_fields = fields


class DraftSerializer(serializers.Serializer):
    """Input of a draft (JSON). A PDF-based draft is made in the web form."""

    jenis = serializers.PrimaryKeyRelatedField(queryset=JenisNaskah.objects.filter(aktif=True))
    klasifikasi = serializers.PrimaryKeyRelatedField(queryset=Klasifikasi.objects.all())
    sifat = serializers.ChoiceField(choices=Sifat.choices, default=Sifat.BIASA)
    urgensi = serializers.ChoiceField(choices=Urgensi.choices, default=Urgensi.BIASA)
    hal = serializers.CharField(max_length=500)
    ringkasan = serializers.CharField(required=False, allow_blank=True, default="")
    isi = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict)
    penandatangan_jabatan = serializers.PrimaryKeyRelatedField(queryset=Jabatan.objects.all())
    atas_nama = serializers.ChoiceField(choices=Naskah.AtasNama.choices, required=False, default="")
    atas_nama_jabatan = serializers.PrimaryKeyRelatedField(
        queryset=Jabatan.objects.all(), required=False, allow_null=True, default=None
    )
    penerima = PenerimaSerializer(many=True, required=False)
    verifikator = serializers.PrimaryKeyRelatedField(
        queryset=Jabatan.objects.all(), many=True, required=False, allow_null=True, default=None
    )
    catatan = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)

    def to_draft(self) -> services.DraftInput:
        data = dict(self.validated_data)
        penerima = data.pop("penerima", None)
        verifikator = data.pop("verifikator", None)
        catatan = data.pop("catatan", "")
        return services.DraftInput(data=data, penerima=penerima, verifikator=verifikator, catatan=catatan)


class DraftUpdateSerializer(DraftSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class VersiSerializer(serializers.ModelSerializer):
    pdf_sha256 = serializers.CharField(source="pdf.sha256", default=None, read_only=True)

    class Meta:
        model = NaskahVersi
        fields = ["nomor", "konten", "catatan", "dibuat_oleh", "dibuat", "pdf_sha256"]


class CatatanSerializer(serializers.Serializer):
    catatan = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnSerializer(serializers.Serializer):
    catatan = serializers.CharField()


class SignSerializer(serializers.Serializer):
    backend = serializers.ChoiceField(choices=["ca", "pkcs12", "bsre"])
    passphrase = serializers.CharField(write_only=True, trim_whitespace=False, style={"input_type": "password"})
    credential_id = serializers.IntegerField(required=False, allow_null=True, default=None)


class GrantSerializer(serializers.Serializer):
    pegawai = serializers.PrimaryKeyRelatedField(queryset=Pegawai.objects.filter(aktif=True))
    alasan = serializers.CharField(max_length=500)
    sampai = serializers.DateField(required=False, allow_null=True, default=None)


PublicVerificationSerializer = inline_serializer(
    "NaskahPublicVerification",
    {
        "kode_verifikasi": serializers.CharField(),
        "nomor": serializers.CharField(),
        "tanggal": serializers.DateField(allow_null=True),
        "jenis": serializers.CharField(),
        "sifat": serializers.CharField(),
        "sifat_label": serializers.CharField(),
        "hal": serializers.CharField(help_text="The subject of an ordinary naskah; otherwise only its sifat."),
        "penandatangan": serializers.CharField(),
        "penandatangan_label": serializers.CharField(),
        "unit": serializers.CharField(),
        "ditandatangani": serializers.DateTimeField(allow_null=True),
        "hash_sha256": serializers.CharField(),
        "konten_dimusnahkan": serializers.BooleanField(),
        "pdf_url": serializers.CharField(),
    },
)


# -- viewsets --------------------------------------------------------------------------------------


class NaskahKeluarViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Outgoing naskah the user may see: unit scope (open sifat) or as a party. The services decide turns."""

    serializer_class = NaskahSerializer
    queryset = Naskah.objects.filter(arah=Naskah.Arah.KELUAR)
    gate_actions = {"create": "naskah.draft"}
    gate_action = SIGNED_IN  # reading is per object (parties see their own); every action checks in the service

    def get_queryset(self):
        queryset = Naskah.objects.filter(arah=Naskah.Arah.KELUAR).select_related("klasifikasi")
        return authz.restrict(queryset, self.request.user, "naskah.view").prefetch_related("penerima", "verifikasi")

    def _respond(self, naskah, code=status.HTTP_200_OK):
        naskah = self.get_queryset().filter(pk=naskah.pk).first() or naskah
        return Response(NaskahSerializer(naskah, context={"request": self.request}).data, status=code)

    @extend_schema(request=DraftSerializer, responses={201: NaskahSerializer})
    def create(self, request):
        serializer = DraftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if getattr(request.user, "pegawai", None) is None:
            raise PermissionDenied
        naskah = services.create_draft(request.user, serializer.to_draft())
        return self._respond(naskah, status.HTTP_201_CREATED)

    @extend_schema(request=DraftUpdateSerializer, responses=NaskahSerializer)
    def partial_update(self, request, pk=None):
        naskah = self.get_object()
        serializer = DraftUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return self._respond(services.update_draft(naskah, request.user, serializer.to_draft()))

    @extend_schema(responses=VersiSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versi(self, request, pk=None):
        naskah = self.get_object()
        return Response(VersiSerializer(naskah.versi.select_related("pdf").order_by("nomor"), many=True).data)

    @extend_schema(request=None, responses=NaskahSerializer)
    @action(detail=True, methods=["post"])
    def ajukan(self, request, pk=None):
        return self._respond(services.submit(self.get_object(), request.user))

    @extend_schema(request=CatatanSerializer, responses=NaskahSerializer)
    @action(detail=True, methods=["post"])
    def paraf(self, request, pk=None):
        body = CatatanSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.approve(self.get_object(), request.user, body.validated_data["catatan"]))

    @extend_schema(request=ReturnSerializer, responses=NaskahSerializer)
    @action(detail=True, methods=["post"])
    def kembalikan(self, request, pk=None):
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(
            services.return_to_drafter(self.get_object(), request.user, body.validated_data["catatan"])
        )

    @extend_schema(request=SignSerializer, responses=NaskahSerializer)
    @action(detail=True, methods=["post"])
    def tandatangani(self, request, pk=None):
        body = SignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        check = getattr(request.user, "is_verified", None)
        naskah = self.get_object()
        if not services.holds(request.user, naskah.penandatangan_jabatan_id):
            raise PermissionDenied  # a signer without the right; a wrong status is a 400 from the service
        naskah = services.sign(
            naskah,
            request.user,
            backend=data["backend"],
            passphrase=data["passphrase"],
            credential_id=data["credential_id"],
            otp_verified=bool(check and check()),
        )
        return self._respond(naskah)

    @extend_schema(request=None, responses=NaskahSerializer)
    @action(detail=True, methods=["post"])
    def kirim(self, request, pk=None):
        naskah = self.get_object()
        if naskah.status == Naskah.Status.DITANDATANGANI and not services.may_send(naskah, request.user):
            raise PermissionDenied
        return self._respond(services.send(naskah, request.user))

    @extend_schema(request=GrantSerializer, responses=NaskahSerializer)
    @action(detail=True, methods=["post"])
    def akses(self, request, pk=None):
        naskah = self.get_object()
        body = GrantSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.grant_access(naskah, request.user, data["pegawai"], data["alasan"], data["sampai"])
        return self._respond(naskah)

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def paket(self, request, pk=None):
        naskah = self.get_object()
        if not paket.may_export(naskah, request.user):
            raise PermissionDenied
        response = HttpResponse(paket.export(naskah), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{paket.filename(naskah)}"'
        return response


class PublicVerification(APIView):
    """Public: what may be known of a signed naskah by its verification code (the QR code's target)."""

    public = True
    authentication_classes: list = []

    @extend_schema(responses=PublicVerificationSerializer)
    def get(self, request, code: str):
        from terpadu.naskah import views

        return Response(views.public_payload(views.public_naskah(code), request))
