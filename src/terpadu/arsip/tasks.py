"""Background and periodic jobs of the arsip module."""

from __future__ import annotations

from terpadu.core import jobs


@jobs.periodic("arsip.retention_clock", cron="20 0 * * *")
def retention_clock(timestamp: int | None = None) -> dict:
    """Every night: closed berkas whose active or inactive period has passed move on (idempotent)."""
    from terpadu.arsip.services import run_retention_clock

    return run_retention_clock()


@jobs.task("arsip.import_klasifikasi", max_attempts=1)
def import_klasifikasi(job_id: int, file_id: int, kind: str, versi_id: int, dry_run: bool) -> None:
    from terpadu.arsip.importing import run_import_job

    run_import_job(job_id, file_id, kind, versi_id, dry_run)
