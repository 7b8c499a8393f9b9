"""Who may reach the spbe module's arsitektur routes (merged into tests/authz_expectations.py).

In the test city only pimpinan (head of Dinas Alfa) holds spbe.view, in its unit: it reads the reference codes
(no unit: every holder of spbe.view) and Dinas Alfa's elements and roadmap items. No persona holds spbe.manage
or spbe.configure (admin-sistem does not run SPBE): every write route is denied here; the part's own tests cover
admin-spbe and operator-opd."""

from __future__ import annotations

from tests.authz_expectations import ADMIN_ONLY, EVERYONE, NOBODY, PIMPINAN, SAME, SIGNED_IN, Expect, World, _pk  # noqa: F401

VIEWER = frozenset({PIMPINAN})


def build(world: World) -> dict:
    """Objects the routes below act on, by name (reach them with _pk("name"))."""
    from terpadu.core.context import acting
    from terpadu.spbe import services_arsitektur as sa

    with acting(None, via="command"):
        if sa.current_versi() is None:
            sa.load_reference(2024)
        code = sa.tambah_kode_kota("RAL.02.01", "Layanan walker")
        data_code = sa.tambah_kode_kota("RAD.10.03", "Data walker")
        layanan = sa.simpan_elemen({"domain": "layanan", "kode": "WALK-L", "nama": "Layanan walker",
                                    "unit": world.city.dinas_a, "referensi": code, "status": "keduanya",
                                    "kondisi_target": "daring",
                                    "metadata": {"tujuan": "uji", "fungsi": "uji"}})  # fmt: skip
        proses_code = sa.tambah_kode_kota("RAB.09.04", "Proses walker")
        proses = sa.simpan_elemen({"domain": "proses_bisnis", "kode": "WALK-P", "nama": "Proses walker",
                                   "uraian": "uji", "unit": world.city.dinas_a, "referensi": proses_code})  # fmt: skip
        relasi = sa.tambah_relasi(layanan, proses)
        gap = sa.catat_kesenjangan(layanan, {"uraian": "Belum daring"})
        need = sa.catat_kebutuhan(gap, {"uraian": "Daring", "unit": world.city.dinas_a, "tahun_target": 2026})
        item = sa.simpan_rencana({"muatan": "layanan", "nama": "Rencana walker", "tahun": 2026,
                                  "unit": world.city.dinas_a, "target_keluaran": "1 layanan", "elemen": [layanan],
                                  "kebutuhan": need})  # fmt: skip
    return {"arsi_kode": code, "arsi_kode_data": data_code, "arsi_elemen": layanan, "arsi_relasi": relasi,
            "arsi_gap": gap, "arsi_need": need, "arsi_item": item}  # fmt: skip


EXPECTATIONS: dict = {
    # reading: spbe.view (pimpinan of Dinas Alfa, whose elements and items these are)
    "spbe:referensi_list": Expect(VIEWER),
    "spbe:elemen_list": Expect(VIEWER),
    "spbe:elemen_matrix": Expect(VIEWER),
    "spbe:elemen_export": Expect(VIEWER, query={"domain": "layanan"}),
    "spbe:elemen_detail": Expect(VIEWER, kwargs=_pk("arsi_elemen")),
    "spbe:kesenjangan_list": Expect(VIEWER),
    "spbe:rencana_list": Expect(VIEWER),
    "spbe:rencana_timeline": Expect(VIEWER),
    "spbe:rencana_export": Expect(VIEWER, query={"format": "csv"}),
    "spbe:rencana_detail": Expect(VIEWER, kwargs=_pk("arsi_item")),
    "api-spbe-referensi-list": Expect(VIEWER),
    "api-spbe-referensi-detail": Expect(VIEWER, kwargs=_pk("arsi_kode")),
    "api-spbe-elemen-list": Expect(VIEWER),
    "api-spbe-elemen-detail": Expect(VIEWER, kwargs=_pk("arsi_elemen")),
    "api-spbe-elemen-sia": Expect(VIEWER, query={"domain": "layanan"}),
    "api-spbe-relasi-list": Expect(VIEWER),
    "api-spbe-relasi-detail": Expect(VIEWER, kwargs=_pk("arsi_relasi")),
    "api-spbe-kesenjangan-list": Expect(VIEWER),
    "api-spbe-kesenjangan-detail": Expect(VIEWER, kwargs=_pk("arsi_gap")),
    "api-spbe-kesenjangan-to-analyse": Expect(VIEWER),
    "api-spbe-kebutuhan-list": Expect(VIEWER),
    "api-spbe-kebutuhan-detail": Expect(VIEWER, kwargs=_pk("arsi_need")),
    "api-spbe-rencana-list": Expect(VIEWER),
    "api-spbe-rencana-detail": Expect(VIEWER, kwargs=_pk("arsi_item")),
    "api-spbe-rencana-timeline": Expect(VIEWER),
    "api-spbe-rencana-export": Expect(VIEWER, query={"fmt": "csv"}),
    # changing (spbe.manage) and loading editions (spbe.configure): nobody in the test city
    "spbe:referensi_load": Expect(NOBODY),
    "spbe:referensi_kode_create": Expect(NOBODY),
    "spbe:referensi_kode_edit": Expect(NOBODY, kwargs=_pk("arsi_kode_data")),
    "spbe:referensi_kode_retire": Expect(NOBODY, kwargs=_pk("arsi_kode_data"), post=True),
    "spbe:elemen_create": Expect(NOBODY, kwargs=lambda w: {"domain": "layanan"}),
    "spbe:elemen_edit": Expect(NOBODY, kwargs=_pk("arsi_elemen")),
    "spbe:elemen_retire": Expect(NOBODY, kwargs=_pk("arsi_elemen"), post=True),
    "spbe:relasi_create": Expect(NOBODY, kwargs=_pk("arsi_elemen")),
    "spbe:relasi_delete": Expect(NOBODY, kwargs=_pk("arsi_relasi"), post=True),
    "spbe:kesenjangan_create": Expect(NOBODY, kwargs=_pk("arsi_elemen")),
    "spbe:kebutuhan_create": Expect(NOBODY, kwargs=_pk("arsi_gap")),
    "spbe:rencana_create": Expect(NOBODY),
    "spbe:rencana_edit": Expect(NOBODY, kwargs=_pk("arsi_item")),
    "spbe:rencana_delete": Expect(NOBODY, kwargs=_pk("arsi_item"), post=True),
    "api-spbe-elemen-retire": Expect(NOBODY, kwargs=_pk("arsi_elemen"), post=True),
}
