"""Who may reach the perencanaan module's master routes (merged into tests/authz_expectations.py).

The nomenklatur is visible to every employee (the pegawai role gives perencanaan.view over the whole pemda);
changing it needs perencanaan.configure (Bappeda's perencana role), which no persona of the city holds: the
allowed paths of those routes are covered by test_master_pages.py."""

from __future__ import annotations

from tests.authz_expectations import ADMIN_ONLY, EVERYONE, NOBODY, PIMPINAN, SAME, SIGNED_IN, Expect, World, _pk  # noqa: F401

WALK_YEAR = 2041  # an edition of its own, away from the chain fixture's year


def build(world: World) -> dict:
    """Objects the routes below act on, by name (reach them with _pk("name"))."""
    from terpadu.core.context import acting
    from terpadu.perencanaan import services_master as master
    from terpadu.perencanaan.models import Nomenklatur

    tree = master.NOMENKLATUR
    with acting(None, via="command"):
        versi = master.create_versi(tree, WALK_YEAR, {"nama": "Walker"})
        for kode, nama in (
            ("2", "Urusan"),
            ("2.16", "Kominfo"),
            ("2.16.03", "Aplikasi"),
            ("2.16.03.2.02", "e-Government"),
            ("2.16.03.2.02.0021", "Penghubung"),
            ("2.16.03.2.02.0023", "Kota Cerdas"),
            ("2.16.03.2.02.0025", "Portal"),
        ):
            master.create_kode(tree, versi, {"kode": kode, "nama": nama})
        retired = Nomenklatur.objects.get(versi=versi, kode="2.16.03.2.02.0025")
        master.retire_kode(tree, retired)
        newer = master.create_versi(tree, WALK_YEAR + 1, {"nama": "Walker baru"}, copy_from=versi)
    mapping = tree.pemetaan_model.objects.filter(ke__versi=newer).first()
    return {
        "pm_kode": Nomenklatur.objects.get(versi=versi, kode="2.16.03.2.02.0023"),
        "pm_retire_me": Nomenklatur.objects.get(versi=versi, kode="2.16.03.2.02.0021"),
        "pm_reactivate_me": retired,
        "pm_pemetaan": mapping,
    }


CONFIGURE = NOBODY  # perencanaan.configure: no persona of the city

EXPECTATIONS: dict = {
    "perencanaan:nomenklatur_list": Expect(SIGNED_IN, query={"tahun": str(WALK_YEAR)}),
    "perencanaan:nomenklatur_detail": Expect(SIGNED_IN, kwargs=_pk("pm_kode")),
    "perencanaan:nomenklatur_export": Expect(SIGNED_IN, query={"tahun": str(WALK_YEAR), "format": "csv"}),
    "perencanaan:nomenklatur_versi_list": Expect(SIGNED_IN),
    "perencanaan:nomenklatur_pemetaan": Expect(SIGNED_IN),
    "perencanaan:nomenklatur_create": Expect(CONFIGURE, query={"tahun": str(WALK_YEAR)}),
    "perencanaan:nomenklatur_edit": Expect(CONFIGURE, kwargs=_pk("pm_kode")),
    "perencanaan:nomenklatur_retire": Expect(CONFIGURE, kwargs=_pk("pm_retire_me"), post=True),
    "perencanaan:nomenklatur_reactivate": Expect(CONFIGURE, kwargs=_pk("pm_reactivate_me"), post=True),
    "perencanaan:nomenklatur_import": Expect(CONFIGURE),
    "perencanaan:nomenklatur_versi_create": Expect(CONFIGURE),
    "perencanaan:nomenklatur_pemetaan_create": Expect(CONFIGURE, post=True),
    "perencanaan:nomenklatur_pemetaan_delete": Expect(CONFIGURE, kwargs=_pk("pm_pemetaan"), post=True),
    "api-perencanaan-nomenklatur-list": Expect(SIGNED_IN),
    "api-perencanaan-nomenklatur-detail": Expect(SIGNED_IN, kwargs=_pk("pm_kode")),
    "api-perencanaan-nomenklatur-export": Expect(SIGNED_IN, query={"tahun": str(WALK_YEAR)}),
}
