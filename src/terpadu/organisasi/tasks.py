from __future__ import annotations

import datetime as dt

from django.db.models import Q

from terpadu.core import jobs
from terpadu.organisasi import services
from terpadu.organisasi.models import Pegawai, RiwayatJabatan, today


@jobs.periodic("organisasi.refresh_positions", cron="5 0 * * *")
def refresh_positions(timestamp: int | None = None) -> None:
    """Every night: appointments that started or ended recently update the pegawai's current position.

    A week's window, not just today, so that a night the worker was down is caught up; the refresh
    itself writes (and audits) only when the current position really changed."""
    on = today()
    week_ago = on - dt.timedelta(days=7)
    changed = RiwayatJabatan.objects.filter(
        Q(tmt_mulai__range=(week_ago, on)) | Q(tmt_selesai__range=(week_ago - dt.timedelta(days=1), on))
    )
    for pegawai in Pegawai.objects.filter(pk__in=changed.values("pegawai_id")):
        services.refresh_current_position(pegawai, on)


@jobs.task("organisasi.import_structure", max_attempts=1)
def import_structure(job_id: int, file_id: int, kind: str, dry_run: bool) -> None:
    from terpadu.organisasi.importing import run_import_job

    run_import_job(job_id, file_id, kind, dry_run)
