"""Demo data of tata naskah: the reference kinds, templates and disposition instructions (idempotent)."""

from __future__ import annotations

import datetime as dt


def seed(today: dt.date) -> None:  # noqa: ARG001  (the reference data does not depend on the day)
    from terpadu.core.context import acting
    from terpadu.naskah import tata

    with acting(None, via="command"):
        tata.load_reference()
