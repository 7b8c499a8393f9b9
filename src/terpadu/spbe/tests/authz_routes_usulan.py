"""Who may reach the spbe module's usulan routes (merged into tests/authz_expectations.py).

Only pimpinan (head of Dinas Alfa) has spbe.view in the walker's city; nobody has spbe.propose or spbe.review,
so drafting, submitting, reviewing and recording the pertimbangan are denied here (their allowed paths are in
test_usulan_pages.py)."""

from __future__ import annotations

from tests.authz_expectations import ADMIN_ONLY, EVERYONE, NOBODY, PIMPINAN, SAME, SIGNED_IN, Expect, World, _pk  # noqa: F401

VIEWERS = frozenset({PIMPINAN})


def build(world: World) -> dict:
    """A draft proposal of Dinas Alfa and a Renja sub kegiatan of Dinas Alfa (made directly)."""
    from terpadu.perencanaan.models import RenjaSubKegiatan
    from terpadu.spbe.models import UsulanAplikasi

    usulan = UsulanAplikasi.objects.create(unit=world.city.dinas_a, nama_aplikasi="Walker app")
    sub = RenjaSubKegiatan.objects.filter(unit=world.city.dinas_a).order_by("pk").first()
    if sub is None:  # the shared chain may already be built by another table
        from tests.chain import build_chain

        build_chain(world.city)
        sub = RenjaSubKegiatan.objects.filter(unit=world.city.dinas_a).order_by("pk").first()
    return {"usulan_draft": usulan, "usulan_sub": sub}


EXPECTATIONS: dict = {
    "spbe:usulan_list": Expect(VIEWERS),
    "spbe:usulan_detail": Expect(VIEWERS, kwargs=_pk("usulan_draft")),
    "spbe:usulan_cek_anggaran": Expect(VIEWERS),
    "spbe:usulan_create": Expect(NOBODY),
    "spbe:usulan_edit": Expect(NOBODY, kwargs=_pk("usulan_draft")),
    "spbe:usulan_submit": Expect(NOBODY, kwargs=_pk("usulan_draft"), post=True),
    "spbe:usulan_delete": Expect(NOBODY, kwargs=_pk("usulan_draft"), post=True),
    "spbe:usulan_review": Expect(NOBODY, kwargs=_pk("usulan_draft"), post=True),
    "spbe:usulan_surat": Expect(NOBODY, kwargs=_pk("usulan_draft"), post=True),
    "spbe:usulan_kirim": Expect(NOBODY, kwargs=_pk("usulan_draft"), post=True),
    "spbe:usulan_pertimbangan": Expect(NOBODY, kwargs=_pk("usulan_draft")),
    "api-spbe-usulan-list": Expect(VIEWERS),
    "api-spbe-usulan-detail": Expect(VIEWERS, kwargs=_pk("usulan_draft")),
    "api-spbe-cek-anggaran": Expect(VIEWERS, kwargs=_pk("usulan_sub")),
}
