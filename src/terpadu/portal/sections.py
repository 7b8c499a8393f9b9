"""Blocks of the public landing page (no login). Later modules add theirs through the registry."""

from __future__ import annotations

from terpadu.core.models import AuditCheckpoint
from terpadu.organisasi import services as org


def opd():
    return {"opd_list": org.opd_list(), "pemda": org.the_pemda()}


def audit_checkpoints():
    return {"checkpoints": AuditCheckpoint.objects.order_by("-seq")[:5]}
