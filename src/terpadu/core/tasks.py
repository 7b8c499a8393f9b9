"""Platform jobs. Imported by procrastinate's autodiscovery and by CoreConfig.ready()."""

from __future__ import annotations

import socket

from django.conf import settings
from django.utils import timezone

from terpadu.core import audit, events, jobs, notifications  # noqa: F401  (registers their tasks)
from terpadu.core.models import WorkerHeartbeat


@jobs.periodic("core.audit_checkpoint", cron=settings.AUDIT_CHECKPOINT_CRON)
def audit_checkpoint(timestamp: int | None = None) -> None:
    audit.make_checkpoint()


@jobs.periodic("core.worker_heartbeat", cron="* * * * *")
def worker_heartbeat(timestamp: int | None = None) -> None:
    WorkerHeartbeat.objects.update_or_create(name=socket.gethostname()[:100], defaults={"seen": timezone.now()})
