"""Who may reach the spbe module's belanja routes (merged into tests/authz_expectations.py).

In the walker's city only pimpinan (head of Dinas Alfa: the automatic role) has spbe.view, over Dinas Alfa; no
persona has spbe.manage or spbe.propose (admin-spbe / operator-opd), so the writing routes are denied to all here
and their allowed paths are covered by test_belanja_pages.py."""

from __future__ import annotations

from tests.authz_expectations import ADMIN_ONLY, EVERYONE, NOBODY, PIMPINAN, SAME, SIGNED_IN, Expect, World, _pk  # noqa: F401

VIEWERS = frozenset({PIMPINAN})


def build(world: World) -> dict:
    """An ICT spending line of Dinas Alfa (manual, unlinked)."""
    from decimal import Decimal

    from terpadu.spbe.models import BelanjaTik

    line = BelanjaTik.objects.create(
        tahun=2025, unit=world.city.dinas_a, uraian="Walker laptop", kategori="perangkat_keras", nilai=Decimal("100")
    )
    return {"belanja_line": line}


EXPECTATIONS: dict = {
    "spbe:belanja_list": Expect(VIEWERS),
    "spbe:belanja_unlinked": Expect(VIEWERS),
    "spbe:belanja_rekap": Expect(VIEWERS),
    "spbe:belanja_detail": Expect(VIEWERS, kwargs=_pk("belanja_line")),
    "spbe:belanja_create": Expect(NOBODY),
    "spbe:belanja_dpa": Expect(NOBODY),
    "spbe:belanja_import": Expect(NOBODY),
    "spbe:belanja_edit": Expect(NOBODY, kwargs=_pk("belanja_line")),
    "spbe:belanja_delete": Expect(NOBODY, kwargs=_pk("belanja_line"), post=True),
    "api-spbe-belanja-list": Expect(VIEWERS),
    "api-spbe-belanja-detail": Expect(VIEWERS, kwargs=_pk("belanja_line")),
    "api-spbe-belanja-rekap": Expect(VIEWERS),
    "api-spbe-belanja-daftar-dpa": Expect(NOBODY, post=True),
}
