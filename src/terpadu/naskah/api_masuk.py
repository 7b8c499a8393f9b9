"""API of the incoming part: register a letter (multipart), the inbox, read receipts, dispositions.

Every object is reached through the gate (a naskah the user may not see answers 404); changes go through
naskah.masuk / naskah.disposisi; errors are the platform's JSON error body (never a 500 for bad input).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from terpadu.core.api import SIGNED_IN, GatedViewSet, error_body
from terpadu.naskah import disposisi as services
from terpadu.naskah import masuk
from terpadu.naskah.models import Disposisi, InstruksiDisposisi, JenisNaskah, Naskah, Sifat, Urgensi
from terpadu.organisasi.models import Jabatan, UnitKerja

# -- serializers ---------------------------------------------------------------------------------


class NaskahMasukSerializer(serializers.ModelSerializer):
    agenda = serializers.SerializerMethodField()

    class Meta:
        model = Naskah
        fields = [
            "id",
            "arah",
            "status",
            "agenda",
            "nomor_agenda",
            "nomor_tahun",
            "nomor",
            "tanggal",
            "asal_instansi",
            "asal_nama",
            "hal",
            "ringkasan",
            "jenis",
            "klasifikasi",
            "sifat",
            "urgensi",
            "unit",
            "diterima",
            "hash_sha256",
        ]

    def get_agenda(self, obj) -> str:
        return masuk.agenda_label(obj)


def _klasifikasi_queryset():
    from terpadu.arsip.models import Klasifikasi

    return Klasifikasi.objects.filter(versi__aktif=True, aktif=True)


class RegistrasiSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=UnitKerja.objects.current())
    dokumen = serializers.FileField()
    nomor = serializers.CharField(max_length=255)
    tanggal = serializers.DateField()
    asal_instansi = serializers.CharField(max_length=255)
    asal_nama = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    hal = serializers.CharField(max_length=500)
    ringkasan = serializers.CharField(required=False, allow_blank=True, default="")
    jenis = serializers.PrimaryKeyRelatedField(queryset=JenisNaskah.objects.filter(aktif=True))
    klasifikasi = serializers.PrimaryKeyRelatedField(queryset=_klasifikasi_queryset())
    sifat = serializers.ChoiceField(choices=Sifat.choices, default=Sifat.BIASA)
    urgensi = serializers.ChoiceField(choices=Urgensi.choices, default=Urgensi.BIASA)
    tujuan = serializers.PrimaryKeyRelatedField(queryset=Jabatan.objects.current(), many=True, required=False)
    tembusan = serializers.PrimaryKeyRelatedField(queryset=Jabatan.objects.current(), many=True, required=False)
    lampiran = serializers.ListField(child=serializers.FileField(), required=False, default=list)
    konfirmasi_duplikat = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        unit = attrs["unit"]
        for name in ("tujuan", "tembusan"):
            outside = [j.pk for j in attrs.get(name) or [] if not j.unit.path.startswith(unit.path)]
            if outside:
                raise serializers.ValidationError({name: f"not in the registering unit: {outside}"})
        return attrs


class InboxItemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    when = serializers.DateTimeField()
    unread = serializers.BooleanField()
    tembusan = serializers.BooleanField()
    naskah = serializers.SerializerMethodField()
    penerima_id = serializers.SerializerMethodField()
    disposisi_id = serializers.SerializerMethodField()

    def get_naskah(self, item) -> dict:
        n = item.naskah
        return {
            "id": n.pk,
            "arah": n.arah,
            "hal": n.hal,
            "nomor": n.nomor,
            "agenda": masuk.agenda_label(n),
            "asal_instansi": n.asal_instansi,
            "sifat": n.sifat,
            "urgensi": n.urgensi,
        }

    def get_penerima_id(self, item) -> int | None:
        return item.penerima.pk if item.penerima else None

    def get_disposisi_id(self, item) -> int | None:
        return item.disposisi.pk if item.disposisi else None


class DisposisiSerializer(serializers.ModelSerializer):
    instruksi = serializers.SlugRelatedField(slug_field="kode", many=True, read_only=True)

    class Meta:
        model = Disposisi
        fields = [
            "id",
            "naskah",
            "induk",
            "dari_jabatan",
            "dari_pegawai",
            "kepada_jabatan",
            "kepada_pegawai",
            "instruksi",
            "catatan",
            "batas_waktu",
            "status",
            "dibuat",
            "dibaca",
            "dibatalkan",
            "selesai",
            "tindak_lanjut",
        ]


class DisposisiCreateSerializer(serializers.Serializer):
    naskah = serializers.IntegerField()
    giver = serializers.CharField(required=False, allow_blank=True, default="")
    kepada = serializers.PrimaryKeyRelatedField(queryset=Jabatan.objects.current(), many=True)
    instruksi = serializers.SlugRelatedField(
        slug_field="kode", queryset=InstruksiDisposisi.objects.filter(aktif=True), many=True, required=False
    )
    catatan = serializers.CharField(required=False, allow_blank=True, default="")
    batas_waktu = serializers.DateField(required=False, allow_null=True, default=None)


class SelesaiSerializer(serializers.Serializer):
    tindak_lanjut = serializers.CharField()
    lampiran = serializers.ListField(child=serializers.FileField(), required=False, default=list)


# -- viewsets ------------------------------------------------------------------------------------


def _visible_naskah(request, pk) -> Naskah:
    return get_object_or_404(masuk.visible_naskah(request.user), pk=pk)


class RegistrasiViewSet(GatedViewSet):
    """Register an incoming letter (multipart: dokumen, lampiran[] and the metadata)."""

    queryset = Naskah.objects.filter(arah=Naskah.Arah.MASUK)
    serializer_class = RegistrasiSerializer
    parser_classes = [MultiPartParser, FormParser]
    gate_actions = {"create": "naskah.register"}

    @extend_schema(request=RegistrasiSerializer, responses={201: NaskahMasukSerializer})
    def create(self, request):
        serializer = RegistrasiSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        dokumen, lampiran = data.pop("dokumen"), data.pop("lampiran")
        try:
            naskah = masuk.register_incoming(
                request.user, data, dokumen, lampiran, allow_duplicate=data.pop("konfirmasi_duplikat")
            )
        except masuk.DuplicateWarning as exc:
            body = error_body(
                409,
                "duplicate",
                exc.messages[0],
                {"duplicates": [n.pk for n in exc.duplicates], "confirm_with": "konfirmasi_duplikat=true"},
                getattr(request, "request_id", ""),
            )
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(NaskahMasukSerializer(naskah).data, status=status.HTTP_201_CREATED)


class InboxViewSet(GatedViewSet):
    """The caller's inbox: letters addressed to their positions and dispositions to them, newest first."""

    queryset = Naskah.objects.all()
    serializer_class = InboxItemSerializer
    gate_actions = {"list": SIGNED_IN, "baca": SIGNED_IN}

    def get_queryset(self):
        return masuk.visible_naskah(self.request.user)

    @extend_schema(responses=InboxItemSerializer(many=True))
    def list(self, request):
        page = request.query_params.get("page", "1")
        page = int(page) if page.isdigit() and int(page) > 0 else 1
        tembusan = {"1": True, "0": False}.get(request.query_params.get("tembusan", ""))
        urgensi = request.query_params.get("urgensi", "")
        if urgensi and urgensi not in Urgensi.values:
            raise exceptions.ValidationError({"urgensi": f"one of {Urgensi.values}"})
        items, has_more = masuk.inbox_page(
            request.user, page, 25, unread=request.query_params.get("unread") == "1", tembusan=tembusan, urgensi=urgensi
        )
        data = InboxItemSerializer(items, many=True).data
        return Response({"page": page, "has_more": has_more, "results": data})

    @extend_schema(request=None, responses={200: NaskahMasukSerializer})
    @action(detail=True, methods=["post"])
    def baca(self, request, pk=None):
        """Mark the naskah read by the caller (read receipt of the recipient positions they hold)."""
        naskah = _visible_naskah(request, pk)
        masuk.mark_read(naskah, request.user)
        return Response(NaskahMasukSerializer(naskah).data)


class DisposisiViewSet(GatedViewSet):
    """Dispositions: to me (?arah=keluar: given by me), create, cancel, read, complete, the tree of a naskah."""

    queryset = Disposisi.objects.all()
    serializer_class = DisposisiSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    gate_actions = {
        "list": SIGNED_IN,
        "retrieve": SIGNED_IN,
        "create": SIGNED_IN,
        "batal": SIGNED_IN,
        "baca": SIGNED_IN,
        "selesai": SIGNED_IN,
        "pohon": SIGNED_IN,
    }

    def get_queryset(self):
        visible = masuk.visible_naskah(self.request.user).values("pk")
        return (
            Disposisi.objects.filter(naskah__in=visible)
            .select_related("naskah")
            .prefetch_related("instruksi")
            .order_by("-dibuat", "-pk")
        )

    def list(self, request):
        if request.query_params.get("arah") == "keluar":
            pegawai_id = getattr(request.user, "pegawai_id", None)
            rows = self.get_queryset().filter(dari_pegawai_id=pegawai_id) if pegawai_id else Disposisi.objects.none()
        else:
            rows = masuk.dispositions_to(request.user).prefetch_related("instruksi").order_by("-dibuat", "-pk")
        wanted = request.query_params.get("status", "")
        if wanted == "overdue":
            rows = rows.filter(status__in=services.OPEN, batas_waktu__lt=timezone.localdate())
        elif wanted in Disposisi.Status.values:
            rows = rows.filter(status=wanted)
        elif wanted:
            raise exceptions.ValidationError({"status": f"one of {[*Disposisi.Status.values, 'overdue']}"})
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DisposisiSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(DisposisiSerializer(self.get_object()).data)

    @extend_schema(request=DisposisiCreateSerializer, responses={201: DisposisiSerializer(many=True)})
    def create(self, request):
        serializer = DisposisiCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        naskah = _visible_naskah(request, data.pop("naskah"))
        created = services.dispose(request.user, naskah, data)
        return Response(DisposisiSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: DisposisiSerializer})
    @action(detail=True, methods=["post"])
    def batal(self, request, pk=None):
        """Cancel (giver only, while unread)."""
        return Response(DisposisiSerializer(services.cancel(request.user, self.get_object())).data)

    @extend_schema(request=None, responses={200: DisposisiSerializer})
    @action(detail=True, methods=["post"])
    def baca(self, request, pk=None):
        """Mark read (receiver only)."""
        disposisi = self.get_object()
        if not services.is_receiver(request.user, disposisi):
            raise exceptions.PermissionDenied()
        return Response(DisposisiSerializer(services.read(request.user, disposisi)).data)

    @extend_schema(request=SelesaiSerializer, responses={200: DisposisiSerializer})
    @action(detail=True, methods=["post"])
    def selesai(self, request, pk=None):
        """Complete with a follow-up note and files (receiver only; multipart for files)."""
        disposisi = self.get_object()
        if not services.is_receiver(request.user, disposisi):
            raise exceptions.PermissionDenied()
        serializer = SelesaiSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        done = services.complete(request.user, disposisi, data["tindak_lanjut"], data["lampiran"])
        return Response(DisposisiSerializer(done).data)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["get"], url_path=r"pohon/(?P<naskah_pk>[0-9]+)")
    def pohon(self, request, naskah_pk=None):
        """The whole disposition tree of a naskah the caller may see."""
        naskah = _visible_naskah(request, naskah_pk)
        return Response({"naskah": naskah.pk, "disposisi": services.tree_json(naskah)})


ROUTES = [
    ("naskah/masuk", RegistrasiViewSet, "api-naskah-masuk"),
    ("naskah/kotak-masuk", InboxViewSet, "api-naskah-inbox"),
    ("naskah/disposisi", DisposisiViewSet, "api-naskah-disposisi"),
]
