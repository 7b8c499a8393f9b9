"""The public portal (no login). Later modules add sections through the registry."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render

from terpadu.core import registry
from terpadu.core.api_views import CheckpointSerializer
from terpadu.core.models import AuditCheckpoint
from terpadu.organisasi import services as org


def home(request):
    sections = [{"template": s.template, "context": s.context()} for s in registry.PUBLIC_SECTIONS]
    return render(request, "portal/home.html", {"pemda": org.the_pemda(), "sections": sections})


def audit_checkpoints(request):
    checkpoints = AuditCheckpoint.objects.order_by("-seq")[:200]
    return render(request, "portal/audit_checkpoints.html", {"checkpoints": checkpoints, "pemda": org.the_pemda()})


def audit_checkpoints_json(request):
    checkpoints = AuditCheckpoint.objects.order_by("-seq")[:1000]
    return JsonResponse(
        {"checkpoints": CheckpointSerializer(checkpoints, many=True).data}, json_dumps_params={"ensure_ascii": False}
    )
