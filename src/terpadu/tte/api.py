"""TTE API: my certificates, the CA certificate (public) and validation of a signed PDF (public)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from terpadu.core.api import SIGNED_IN, GatedViewSet, json_error
from terpadu.tte import services
from terpadu.tte.models import SertifikatPenandatangan


class SertifikatSerializer(serializers.ModelSerializer):
    class Meta:
        model = SertifikatPenandatangan
        fields = [
            "id",
            "backend",
            "subjek",
            "penerbit",
            "serial",
            "sidik_jari",
            "berlaku_mulai",
            "berlaku_sampai",
            "status",
            "dicabut_pada",
            "alasan_pencabutan",
            "sertifikat_pem",
        ]


class MySertifikatViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """The signed-in user's own signing certificates (never the keys)."""

    queryset = SertifikatPenandatangan.objects.order_by("-dibuat")
    serializer_class = SertifikatSerializer
    gate_actions = {"list": SIGNED_IN, "retrieve": SIGNED_IN}

    def get_queryset(self):
        user = self.request.user
        if not getattr(user, "pegawai_id", None):
            return SertifikatPenandatangan.objects.none()
        return SertifikatPenandatangan.objects.filter(pegawai_id=user.pegawai_id).order_by("-dibuat")


class CaView(APIView):
    """Public: the instance CA certificate (PEM) and its fingerprint."""

    public = True
    authentication_classes: list = []

    @extend_schema(
        responses=inline_serializer(
            "TteCa",
            {
                "configured": serializers.BooleanField(),
                "name": serializers.CharField(),
                "fingerprint_sha256": serializers.CharField(),
                "valid_from": serializers.DateTimeField(),
                "valid_until": serializers.DateTimeField(),
                "pem": serializers.CharField(),
            },
        )
    )
    def get(self, request):
        ca = services.active_ca()
        if ca is None:
            return Response({"configured": False})
        return Response(
            {
                "configured": True,
                "name": ca.nama,
                "fingerprint_sha256": ca.sidik_jari,
                "valid_from": ca.berlaku_mulai,
                "valid_until": ca.berlaku_sampai,
                "pem": ca.sertifikat_pem,
            }
        )


def report_json(report: services.ValidationReport) -> dict:
    return {
        "valid": report.valid,
        "message": report.message,
        "signatures": [
            {
                "field": s.field,
                "signer": s.signer,
                "signed_at": s.signed_at.isoformat() if s.signed_at else None,
                "intact": s.intact,
                "trusted": s.trusted,
                "covers_whole_document": s.covers_whole_document,
                "reason": s.reason,
                "location": s.location,
                "issuer": s.issuer,
                "serial": s.serial,
                "backend": s.backend,
                "problem": s.problem,
            }
            for s in report.signatures
        ],
    }


class ValidateView(APIView):
    """Public: upload a PDF (field `file`) and get the validation report of its signatures."""

    public = True
    authentication_classes: list = []
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=inline_serializer("TteValidateRequest", {"file": serializers.FileField()}),
        responses=inline_serializer(
            "TteValidationReport",
            {
                "valid": serializers.BooleanField(),
                "message": serializers.CharField(),
                "signatures": serializers.ListField(),
            },
        ),
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            return json_error(request, 400, "invalid", str(_("Send the PDF in the form field 'file'.")))
        if upload.size > getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024):
            return json_error(request, 400, "too_large", str(_("The file is too large.")))
        data = upload.read()
        from terpadu.tte import pdf as pades  # imported when used (pyHanko's memory)

        try:
            pades.open_reader(data)
        except services.SigningError as exc:
            return json_error(request, 400, exc.code, exc.message)
        return Response(report_json(services.validate_pdf(data)))
