"""Demo data of the arsip module: the reference classification with the default JRA."""

from __future__ import annotations

import datetime as dt


def seed(today: dt.date) -> None:
    """Idempotent: load the shipped classification and default JRA (nothing changes on a second run)."""
    from terpadu.arsip import services
    from terpadu.core.context import acting

    with acting(None, via="command"):
        services.load_reference(update=False)
