from __future__ import annotations

from terpadu.accounts import services
from terpadu.core import jobs


@jobs.periodic("accounts.prune_login_attempts", cron="30 1 * * *")
def prune_login_attempts(timestamp: int | None = None) -> None:
    services.prune_login_attempts()
