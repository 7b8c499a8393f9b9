"""Periodic jobs of monev evaluasi (cron in UTC)."""

from __future__ import annotations

from terpadu.core import jobs


@jobs.periodic("monev.kunci_periode", cron="30 17 * * *")  # 00:30 WIB
def kunci_periode(timestamp: int | None = None) -> dict:
    """Lock every period whose deadline has passed (idempotent; a period unlocked by hand stays open)."""
    from terpadu.monev import services_evaluasi

    return {"locked": services_evaluasi.kunci_jatuh_tempo()}


@jobs.periodic("monev.peringatan_dini", cron="0 18 * * *")  # 01:00 WIB
def peringatan_dini(timestamp: int | None = None) -> dict:
    """Flag sub kegiatan lagging their cash plan at the end of the last completed month (idempotent)."""
    from terpadu.monev import services_evaluasi

    return {"created": services_evaluasi.jalankan_peringatan()}
