"""Demo data of the publik part (see core/management/commands/demo.py).

Nothing of its own: the public pages and the OPD page only read what the other parts' seeds write (the catalogue's
applications, the evaluation's locked and official results, spending lines, proposals)."""


def seed(today) -> None:
    return None
