from __future__ import annotations

import datetime as dt

from django.db.models import Q

from terpadu.core import jobs
from terpadu.organisasi import services
from terpadu.organisasi.models import Pegawai, RiwayatJabatan, today


@jobs.periodic("organisasi.refresh_positions", cron="5 0 * * *")
def refresh_positions(timestamp: int | None = None) -> None:
    """Every night: appointments that start or end today update the pegawai's current position."""
    on = today()
    changed = RiwayatJabatan.objects.filter(Q(tmt_mulai=on) | Q(tmt_selesai=on - dt.timedelta(days=1)))
    for pegawai in Pegawai.objects.filter(pk__in=changed.values("pegawai_id")):
        services.refresh_current_position(pegawai, on)


@jobs.task("organisasi.import_structure", max_attempts=1)
def import_structure(job_id: int, file_id: int, kind: str, dry_run: bool) -> None:
    from terpadu.organisasi.importing import run_import_job

    run_import_job(job_id, file_id, kind, dry_run)
