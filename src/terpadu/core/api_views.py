from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from terpadu.core import search
from terpadu.core.drf import SIGNED_IN
from terpadu.core.models import AuditCheckpoint, AuditEvent, Notification


class CheckpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditCheckpoint
        fields = ["seq", "head_hash", "time", "key_id", "public_key", "signature"]


class CheckpointList(generics.ListAPIView):
    """Public: the signed audit checkpoints (anyone may keep copies to prove history later)."""

    public = True
    authentication_classes: list = []
    queryset = AuditCheckpoint.objects.order_by("-seq")
    serializer_class = CheckpointSerializer


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "time",
            "actor_username",
            "acting_as",
            "via",
            "object_type",
            "object_id",
            "object_repr",
            "action",
            "changes",
            "request_id",
            "prev_hash",
            "hash",
        ]


class AuditEventList(generics.ListAPIView):
    """The audit chain, for auditors (audit.verify on the whole pemda)."""

    gate_action = "audit.verify"
    serializer_class = AuditEventSerializer
    queryset = AuditEvent.objects.none()

    def get_queryset(self):
        from terpadu.core import authz

        if not authz.scope(self.request.user, "audit.verify").whole:
            return AuditEvent.objects.none()
        queryset = AuditEvent.objects.order_by("seq")
        since = self.request.query_params.get("since")
        if since and since.isdigit():
            queryset = queryset.filter(seq__gt=int(since))
        return queryset


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "verb", "title", "body", "url", "created", "read_at"]


class NotificationList(generics.ListAPIView):
    """The signed-in user's own notifications."""

    gate_action = SIGNED_IN
    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return Notification.objects.filter(recipient=self.request.user)


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()


class SearchView(APIView):
    """Full-text search over everything the caller may see."""

    gate_action = SIGNED_IN

    @extend_schema(
        parameters=[OpenApiParameter("q", str, required=True), OpenApiParameter("kind", str, many=True)],
        responses=SearchHitSerializer(many=True),
    )
    def get(self, request):
        query = request.query_params.get("q", "").strip()[:200]
        if not query:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"q": [_("This parameter is required.")]})
        kinds = request.query_params.getlist("kind") or None
        hits = search.search(request.user, query, kinds=kinds)
        return Response(SearchHitSerializer(hits, many=True).data)
