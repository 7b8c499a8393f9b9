"""Jobs of the incoming part: the overdue-disposition reminder."""

from __future__ import annotations

from terpadu.core import jobs


@jobs.periodic("naskah.remind_overdue_disposisi", cron="15 * * * *")
def remind_overdue_disposisi(timestamp: int | None = None) -> None:
    """Hourly: notify assignee and superior once per overdue disposition (idempotent: `diingatkan`)."""
    from terpadu.naskah import disposisi

    disposisi.remind_overdue()
