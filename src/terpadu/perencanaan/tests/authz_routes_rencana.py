"""Who may reach the perencanaan module's rencana routes (merged into tests/authz_expectations.py).

Every signed-in employee reads the plans (the `pegawai` role gives perencanaan.view over the whole pemda). No
persona of the test city drafts (perencanaan.plan) or adopts (perencanaan.change): every write route is denied
here; the module's own tests cover the operator-opd and perencana paths."""

from __future__ import annotations

from tests.authz_expectations import ADMIN_ONLY, EVERYONE, NOBODY, PIMPINAN, SAME, SIGNED_IN, Expect, World, _pk  # noqa: F401


def build(world: World) -> dict:
    """Objects the routes below act on, by name (reach them with _pk("name"))."""
    from terpadu.perencanaan.models import RenjaSubKegiatan

    def first_sub():
        return RenjaSubKegiatan.objects.filter(tahun=2026, unit=world.city.dinas_a).exclude(renstra_item=None).first()

    sub = first_sub()
    if sub is None:  # the shared chain (tests/chain.py) may already be built by another table
        from tests.chain import build_chain

        build_chain(world.city)
        sub = first_sub()
    item = sub.renstra_item
    renstra = item.renstra
    sasaran = item.sasaran_pd.sasaran_rpjmd
    rpjmd = renstra.rpjmd
    return {
        "rencana_rpjmd": rpjmd,
        "rencana_misi": rpjmd.misi.first(),
        "rencana_sasaran": sasaran,
        "rencana_renstra": renstra,
        "rencana_item": item,
        "rencana_renja": sub.renja,
        "rencana_sub": sub,
        "rencana_indikator": sub.indikator.first() or sasaran.indikator.first(),
    }


def _kind(kind: str, name: str, key: str = "pk"):
    def provide(world: World) -> dict:
        return {"kind": kind, key: world.extra[name].pk}

    provide.__name__ = f"{kind}_{name}"
    return provide


EXPECTATIONS: dict = {
    # reading: every signed-in employee (perencanaan.view, whole pemda)
    "perencanaan:rpjmd_list": Expect(SIGNED_IN),
    "perencanaan:rpjmd_detail": Expect(SIGNED_IN, kwargs=_pk("rencana_rpjmd")),
    "perencanaan:sasaran_detail": Expect(SIGNED_IN, kwargs=_pk("rencana_sasaran")),
    "perencanaan:renstra_list": Expect(SIGNED_IN),
    "perencanaan:renstra_detail": Expect(SIGNED_IN, kwargs=_pk("rencana_renstra")),
    "perencanaan:renja_list": Expect(SIGNED_IN),
    "perencanaan:renja_detail": Expect(SIGNED_IN, kwargs=_pk("rencana_renja")),
    "perencanaan:sub_kegiatan_detail": Expect(SIGNED_IN, kwargs=_pk("rencana_sub")),
    "perencanaan:rkpd": Expect(SIGNED_IN, query={"tahun": "2026"}),
    "perencanaan:rkpd_export": Expect(SIGNED_IN, query={"tahun": "2026", "format": "csv"}),
    "perencanaan:pohon": Expect(SIGNED_IN, query={"tahun": "2026"}),
    "api-perencanaan-rpjmd-list": Expect(SIGNED_IN),
    "api-perencanaan-rpjmd-detail": Expect(SIGNED_IN, kwargs=_pk("rencana_rpjmd")),
    "api-perencanaan-sasaran-list": Expect(SIGNED_IN),
    "api-perencanaan-sasaran-detail": Expect(SIGNED_IN, kwargs=_pk("rencana_sasaran")),
    "api-perencanaan-sasaran-pohon": Expect(SIGNED_IN, kwargs=_pk("rencana_sasaran"), query={"tahun": "2026"}),
    "api-perencanaan-renstra-list": Expect(SIGNED_IN),
    "api-perencanaan-renstra-detail": Expect(SIGNED_IN, kwargs=_pk("rencana_renstra")),
    "api-perencanaan-renja-list": Expect(SIGNED_IN),
    "api-perencanaan-renja-detail": Expect(SIGNED_IN, kwargs=_pk("rencana_renja")),
    "api-perencanaan-sub-kegiatan-list": Expect(SIGNED_IN, query={"tahun": "2026", "kode": "2.16"}),
    "api-perencanaan-sub-kegiatan-detail": Expect(SIGNED_IN, kwargs=_pk("rencana_sub")),
    "api-perencanaan-sub-kegiatan-pohon": Expect(SIGNED_IN, kwargs=_pk("rencana_sub")),
    "api-perencanaan-indikator-list": Expect(SIGNED_IN),
    "api-perencanaan-indikator-detail": Expect(SIGNED_IN, kwargs=_pk("rencana_indikator")),
    # drafting (perencanaan.plan in the OPD's scope) and adopting (perencanaan.change): nobody in the test city
    "perencanaan:rpjmd_create": Expect(NOBODY),
    "perencanaan:rpjmd_edit": Expect(NOBODY, kwargs=_pk("rencana_rpjmd")),
    "perencanaan:rpjmd_adopt": Expect(NOBODY, kwargs=_pk("rencana_rpjmd"), post=True),
    "perencanaan:dokumen_reopen": Expect(NOBODY, kwargs=_kind("renja", "rencana_renja")),
    "perencanaan:program_prioritas_create": Expect(NOBODY, kwargs=_pk("rencana_sasaran")),
    "perencanaan:element_create": Expect(NOBODY, kwargs=_kind("tujuan", "rencana_misi", "parent")),
    "perencanaan:element_edit": Expect(NOBODY, kwargs=_kind("sasaran", "rencana_sasaran")),
    "perencanaan:element_delete": Expect(NOBODY, kwargs=_kind("indikator", "rencana_indikator"), post=True),
    "perencanaan:indikator_create": Expect(NOBODY, kwargs=_kind("sub", "rencana_sub")),
    "perencanaan:indikator_edit": Expect(NOBODY, kwargs=_pk("rencana_indikator")),
    "perencanaan:renstra_create": Expect(NOBODY),
    "perencanaan:renstra_adopt": Expect(NOBODY, kwargs=_pk("rencana_renstra"), post=True),
    "perencanaan:item_create": Expect(NOBODY, kwargs=_pk("rencana_renstra")),
    "perencanaan:item_pagu": Expect(NOBODY, kwargs=_pk("rencana_item")),
    "perencanaan:renja_draw": Expect(NOBODY),
    "perencanaan:renja_adopt": Expect(NOBODY, kwargs=_pk("rencana_renja"), post=True),
    "perencanaan:sub_kegiatan_add": Expect(NOBODY, kwargs=_pk("rencana_renja")),
    "perencanaan:sub_kegiatan_edit": Expect(NOBODY, kwargs=_pk("rencana_sub")),
    "perencanaan:sub_kegiatan_remove": Expect(NOBODY, kwargs=_pk("rencana_sub")),
    "api-perencanaan-renja-tarik": Expect(NOBODY, post=True),
}
