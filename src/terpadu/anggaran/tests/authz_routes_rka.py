"""Who may reach the anggaran module's rka routes (merged into tests/authz_expectations.py).

No walker persona drafts (operator-opd), verifies (tapd) or configures (admin-anggaran) budgets: those routes
are denied to everyone here and their allowed paths are covered by test_rka_pages/test_rka_api. pimpinan (head of
Dinas Alfa) has anggaran.view over Dinas Alfa; admin-sistem has no anggaran action."""

from __future__ import annotations

from tests.authz_expectations import ADMIN_ONLY, EVERYONE, NOBODY, PIMPINAN, SAME, SIGNED_IN, Expect, World, _pk  # noqa: F401

VIEWERS = frozenset({PIMPINAN})


def build(world: World) -> dict:
    """The chain of 2026 (made here unless another table already made it): its adopted round and Dinas Alfa's RKA."""
    from terpadu.anggaran.models import DpaBaris, Pagu, Rka

    dpa = DpaBaris.objects.filter(tahun=2026, unit=world.city.dinas_a).order_by("pk").first()
    if dpa is None:
        from tests.chain import build_chain

        build_chain(world.city)
        dpa = DpaBaris.objects.filter(tahun=2026, unit=world.city.dinas_a).order_by("pk").first()
    rka = Rka.objects.filter(sub_kegiatan=dpa.sub_kegiatan).order_by("-tahap__urutan").first()
    return {
        "rka_tahap": rka.tahap,
        "rka_rka": rka,
        "rka_line": rka.rincian.order_by("pk").first(),
        "rka_pagu": Pagu.objects.get(tahap=rka.tahap, unit=world.city.dinas_a),
        "rka_dpa": dpa,
    }


EXPECTATIONS: dict = {
    # anggaran.view (pimpinan over Dinas Alfa)
    "anggaran:tahap_list": Expect(VIEWERS),
    "anggaran:tahap_detail": Expect(VIEWERS, kwargs=_pk("rka_tahap")),
    "anggaran:rka_list": Expect(VIEWERS),
    "anggaran:rka_detail": Expect(VIEWERS, kwargs=_pk("rka_rka")),
    "anggaran:dpa_print": Expect(VIEWERS, kwargs=_pk("rka_rka")),
    "anggaran:compare": Expect(VIEWERS),
    "anggaran:rincian_export": Expect(VIEWERS, query={"format": "csv"}),
    "api-anggaran-tahap-list": Expect(VIEWERS),
    "api-anggaran-tahap-detail": Expect(VIEWERS, kwargs=_pk("rka_tahap")),
    "api-anggaran-pagu-list": Expect(VIEWERS),
    "api-anggaran-pagu-detail": Expect(VIEWERS, kwargs=_pk("rka_pagu")),
    "api-anggaran-rka-list": Expect(VIEWERS),
    "api-anggaran-rka-detail": Expect(VIEWERS, kwargs=_pk("rka_rka")),
    "api-anggaran-rincian-list": Expect(VIEWERS),
    "api-anggaran-rincian-detail": Expect(VIEWERS, kwargs=_pk("rka_line")),
    "api-anggaran-dpa-list": Expect(VIEWERS),
    "api-anggaran-dpa-detail": Expect(VIEWERS, kwargs=_pk("rka_dpa")),
    "api-anggaran-perbandingan": Expect(VIEWERS),
    # anggaran.draft (operator-opd): no walker persona
    "anggaran:rka_create": Expect(NOBODY),
    "anggaran:rincian_add": Expect(NOBODY, kwargs=_pk("rka_rka"), post=True),
    "anggaran:rincian_edit": Expect(NOBODY, kwargs=_pk("rka_line")),
    "anggaran:rincian_delete": Expect(NOBODY, kwargs=_pk("rka_line"), post=True),
    "anggaran:rka_submit": Expect(NOBODY, kwargs=_pk("rka_rka"), post=True),
    "anggaran:kas_edit": Expect(NOBODY, kwargs=_pk("rka_rka")),
    "anggaran:rincian_import": Expect(NOBODY),
    "api-anggaran-rka-ajukan": Expect(NOBODY, kwargs=_pk("rka_rka"), post=True),
    "api-anggaran-rka-anggaran-kas": Expect(NOBODY, kwargs=_pk("rka_rka"), post=True),
    # anggaran.verify (tapd): no walker persona
    "anggaran:rka_verify": Expect(NOBODY, kwargs=_pk("rka_rka")),
    "api-anggaran-rka-kembalikan": Expect(NOBODY, kwargs=_pk("rka_rka"), post=True),
    "api-anggaran-rka-setujui": Expect(NOBODY, kwargs=_pk("rka_rka"), post=True),
    # anggaran.configure (admin-anggaran): no walker persona
    "anggaran:tahap_create": Expect(NOBODY, post=True),
    "anggaran:tahap_tetapkan": Expect(NOBODY, kwargs=_pk("rka_tahap"), post=True),
    "anggaran:pagu_set": Expect(NOBODY, kwargs=_pk("rka_tahap")),
    "api-anggaran-tahap-tetapkan": Expect(NOBODY, kwargs=_pk("rka_tahap"), post=True),
}
