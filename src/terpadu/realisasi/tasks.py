"""Background jobs of the realisasi module."""

from __future__ import annotations

from terpadu.core import jobs


@jobs.task("realisasi.import_sp2d", max_attempts=1)
def import_sp2d(job_id: int, file_id: int, kind: str, dry_run: bool, user_id: int | None = None) -> None:
    from terpadu.realisasi.importing import run_import_job

    run_import_job(job_id, file_id, kind, dry_run, user_id)
