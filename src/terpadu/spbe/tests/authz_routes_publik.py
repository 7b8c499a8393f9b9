"""Who may reach the spbe module's publik routes (merged into tests/authz_expectations.py).

The public SPBE pages and their open API are for everyone, anonymous included. The per-OPD page needs spbe.view:
of the walker's personas only the pimpinan (head of Dinas Alfa: the pimpinan role carries spbe.view in its unit)
has it; admin-sistem, the staff and anonymous do not."""

from __future__ import annotations

from tests.authz_expectations import ADMIN_ONLY, EVERYONE, NOBODY, PIMPINAN, SAME, SIGNED_IN, Expect, World, _pk  # noqa: F401


def build(world: World) -> dict:
    """Objects the routes below act on, by name (reach them with _pk("name"))."""
    from terpadu.spbe.models import Aplikasi

    aplikasi = Aplikasi.objects.create(
        nama="Aplikasi Walker Publik", jenis=Aplikasi.Jenis.KHUSUS, unit=world.city.dinas_a,
        fungsi_bisnis="Uji rute", status=Aplikasi.Status.OPERASI, publik=True,
    )  # fmt: skip
    return {"spbe_publik_aplikasi": aplikasi}


def _opd_route_mounted() -> bool:
    """spbe:opd lives in spbe/urls_opd.py; the entry is listed once spbe/urls.py includes it."""
    from terpadu.spbe import urls

    return any(getattr(p, "name", None) == "opd" for p in urls.urlpatterns)


EXPECTATIONS: dict = {
    "spbe_publik:index": Expect(EVERYONE),
    "spbe_publik:aplikasi_list": Expect(EVERYONE, query={"q": "walker"}),
    "spbe_publik:aplikasi_detail": Expect(EVERYONE, kwargs=_pk("spbe_publik_aplikasi")),
    "api-publik-spbe-ringkasan": Expect(EVERYONE),
    "api-publik-spbe-indeks": Expect(EVERYONE),
    "api-publik-spbe-indeks-csv": Expect(EVERYONE),
    "api-publik-spbe-aplikasi": Expect(EVERYONE, query={"jenis": "khusus"}),
    "api-publik-spbe-aplikasi-csv": Expect(EVERYONE),
    "api-publik-spbe-aplikasi-detail": Expect(EVERYONE, kwargs=_pk("spbe_publik_aplikasi")),
}
if _opd_route_mounted():
    EXPECTATIONS["spbe:opd"] = Expect(
        frozenset({PIMPINAN}), note="spbe.view: the pimpinan of Dinas Alfa; admin-sistem has no spbe role"
    )
