"""Who may reach the anggaran module's master routes (merged into tests/authz_expectations.py).

Kode rekening and standar harga are reference data without a unit: whoever holds anggaran.view in any scope
reads all of them (in the city: pimpinan, through Dinas Alfa). Changes need anggaran.configure (the
admin-anggaran role), which no persona holds: those allowed paths are covered by test_master_pages.py."""

from __future__ import annotations

from tests.authz_expectations import ADMIN_ONLY, EVERYONE, NOBODY, PIMPINAN, SAME, SIGNED_IN, Expect, World, _pk  # noqa: F401

WALK_YEAR = 2041
VIEWERS = frozenset({PIMPINAN})


def build(world: World) -> dict:
    """Objects the routes below act on, by name (reach them with _pk("name"))."""
    from terpadu.anggaran import services_master as anggaran
    from terpadu.anggaran.models import KodeRekening
    from terpadu.core.context import acting
    from terpadu.perencanaan import services_master as master

    tree = anggaran.REKENING
    with acting(None, via="command"):
        versi = master.create_versi(tree, WALK_YEAR, {"nama": "Walker"})
        for kode, nama in (
            ("5", "BELANJA"),
            ("5.1", "OPERASI"),
            ("5.1.02", "Barang dan Jasa"),
            ("5.1.02.01", "Barang"),
            ("5.1.02.01.01", "Pakai Habis"),
            ("5.1.02.01.01.0024", "ATK"),
            ("5.1.02.01.01.0025", "Kertas"),
            ("5.1.02.01.01.0026", "Bahan Cetak"),
        ):
            master.create_kode(tree, versi, {"kode": kode, "nama": nama})
        retired = KodeRekening.objects.get(versi=versi, kode="5.1.02.01.01.0026")
        master.retire_kode(tree, retired)
        newer = master.create_versi(tree, WALK_YEAR + 1, {"nama": "Walker baru"}, copy_from=versi)
        item, _created = anggaran.save_standar_harga(
            WALK_YEAR,
            {"kode": "SSH.W.1", "uraian": "Kertas", "satuan": "rim", "harga": "52000", "rekening": "5.1.02.01.01.0025"},
        )
    return {
        "am_kode": KodeRekening.objects.get(versi=versi, kode="5.1.02.01.01.0024"),
        "am_retire_me": KodeRekening.objects.get(versi=versi, kode="5.1.02.01.01.0025"),
        "am_reactivate_me": retired,
        "am_pemetaan": tree.pemetaan_model.objects.filter(ke__versi=newer).first(),
        "am_ssh": item,
    }


CONFIGURE = NOBODY  # anggaran.configure: no persona of the city

EXPECTATIONS: dict = {
    "anggaran:rekening_list": Expect(VIEWERS, query={"tahun": str(WALK_YEAR)}),
    "anggaran:rekening_detail": Expect(VIEWERS, kwargs=_pk("am_kode")),
    "anggaran:rekening_export": Expect(VIEWERS, query={"tahun": str(WALK_YEAR), "format": "csv"}),
    "anggaran:rekening_versi_list": Expect(VIEWERS),
    "anggaran:rekening_pemetaan": Expect(VIEWERS),
    "anggaran:rekening_create": Expect(CONFIGURE, query={"tahun": str(WALK_YEAR)}),
    "anggaran:rekening_edit": Expect(CONFIGURE, kwargs=_pk("am_kode")),
    "anggaran:rekening_retire": Expect(CONFIGURE, kwargs=_pk("am_retire_me"), post=True),
    "anggaran:rekening_reactivate": Expect(CONFIGURE, kwargs=_pk("am_reactivate_me"), post=True),
    "anggaran:rekening_import": Expect(CONFIGURE),
    "anggaran:rekening_versi_create": Expect(CONFIGURE),
    "anggaran:rekening_pemetaan_create": Expect(CONFIGURE, post=True),
    "anggaran:rekening_pemetaan_delete": Expect(CONFIGURE, kwargs=_pk("am_pemetaan"), post=True),
    "anggaran:ssh_list": Expect(VIEWERS, query={"tahun": str(WALK_YEAR)}),
    "anggaran:ssh_detail": Expect(VIEWERS, kwargs=_pk("am_ssh")),
    "anggaran:ssh_export": Expect(VIEWERS, query={"tahun": str(WALK_YEAR), "format": "csv"}),
    "anggaran:ssh_import": Expect(CONFIGURE),
    "api-anggaran-kode-rekening-list": Expect(VIEWERS),
    "api-anggaran-kode-rekening-detail": Expect(VIEWERS, kwargs=_pk("am_kode")),
    "api-anggaran-kode-rekening-export": Expect(VIEWERS, query={"tahun": str(WALK_YEAR)}),
    "api-anggaran-standar-harga-list": Expect(VIEWERS),
    "api-anggaran-standar-harga-detail": Expect(VIEWERS, kwargs=_pk("am_ssh")),
    "api-anggaran-standar-harga-export": Expect(VIEWERS, query={"tahun": str(WALK_YEAR)}),
}
