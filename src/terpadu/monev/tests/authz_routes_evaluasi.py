"""Who may reach the monev module's evaluasi routes (merged into tests/authz_expectations.py).

In the city only pimpinan (head of Dinas Alfa) holds monev.view and monev.evaluate, scoped to Dinas Alfa; no
persona holds monev.manage (Bappeda) and none has a whole-pemda monev.view (the leader's page). The manage
routes are therefore denied to everyone here; their allowed paths are covered by test_evaluasi_pages."""

from __future__ import annotations

from decimal import Decimal

from tests.authz_expectations import ADMIN_ONLY, EVERYONE, NOBODY, PIMPINAN, SAME, SIGNED_IN, Expect, World, _pk  # noqa: F401

TAHUN = 2039  # a year no other route table uses
VIEWERS = frozenset({PIMPINAN})


def build(world: World) -> dict:
    """A minimal OPD sub kegiatan of Dinas Alfa with an evaluation, an indicator achievement and a warning."""
    import datetime as dt

    from terpadu.monev.models import CapaianIndikator, EvaluasiSubKegiatan, PeringatanDini, PeriodeMonev, SkalaRating
    from terpadu.perencanaan.models import Indikator, Nomenklatur, Renja, RenjaSubKegiatan, VersiNomenklatur

    city = world.city
    versi, _ = VersiNomenklatur.objects.get_or_create(tahun=TAHUN, defaults={"nama": "Walker monev"})
    kode = Nomenklatur.objects.create(versi=versi, level="sub_kegiatan", kode="2.16.03.2.02.0099", nama="Walker")
    renja = Renja.objects.create(unit=city.dinas_a, tahun=TAHUN, status="ditetapkan")
    sub = RenjaSubKegiatan.objects.create(
        renja=renja, unit=city.dinas_a, tahun=TAHUN, sub_kegiatan=kode, kode_program="2.16.03",
        kode_kegiatan="2.16.03.2.02",
    )  # fmt: skip
    indikator = Indikator.objects.create(renja_sub_kegiatan=sub, uraian="Walker indikator", satuan="unit")
    periode = PeriodeMonev.objects.create(tahun=TAHUN, triwulan=1, batas_waktu=dt.date(TAHUN, 4, 8))
    locked = PeriodeMonev.objects.create(
        tahun=TAHUN,
        triwulan=2,
        batas_waktu=dt.date(TAHUN, 7, 8),
        status="dikunci",
        dikunci=dt.datetime(TAHUN, 7, 9, tzinfo=dt.UTC),
    )
    evaluasi = EvaluasiSubKegiatan.objects.create(periode=periode, sub_kegiatan=sub, unit=city.dinas_a)
    submitted = EvaluasiSubKegiatan.objects.create(
        periode=locked, sub_kegiatan=sub, unit=city.dinas_a, status="dikirim"
    )
    capaian = CapaianIndikator.objects.create(periode=periode, indikator=indikator, unit=city.dinas_a, realisasi=1)
    warning = PeringatanDini.objects.create(
        sub_kegiatan=sub, unit=city.dinas_a, tahun=TAHUN, bulan=2, target_kas=Decimal(10), realisasi=0, deviasi=20
    )
    skala = SkalaRating.objects.create(kode="walker", nama="Walker scale")
    return {
        "monev_sub": sub,
        "monev_periode": periode,
        "monev_periode_locked": locked,
        "monev_evaluasi": evaluasi,
        "monev_evaluasi_dikirim": submitted,
        "monev_indikator": indikator,
        "monev_capaian": capaian,
        "monev_peringatan": warning,
        "monev_skala": skala,
    }


def _capaian_kwargs(world: World) -> dict:
    return {"pk": world.extra["monev_periode"].pk, "indikator": world.extra["monev_indikator"].pk}


EXPECTATIONS: dict = {
    # monev.view in unit scope (pimpinan of Dinas Alfa)
    "monev:dashboard": Expect(VIEWERS),
    "monev:dashboard_export": Expect(VIEWERS, query={"format": "csv"}),
    "monev:skala_list": Expect(VIEWERS),
    "monev:periode_list": Expect(VIEWERS),
    "monev:periode_detail": Expect(VIEWERS, kwargs=_pk("monev_periode")),
    "monev:evaluasi_detail": Expect(VIEWERS, kwargs=_pk("monev_evaluasi")),
    "monev:peringatan_list": Expect(VIEWERS),
    "monev:export_renja": Expect(VIEWERS, query={"format": "xlsx", "tahun": str(TAHUN)}, note="the user's own OPD"),
    # monev.evaluate (the OPD)
    "monev:periode_siapkan": Expect(VIEWERS, kwargs=_pk("monev_periode"), post=True),
    "monev:evaluasi_kirim": Expect(VIEWERS, kwargs=_pk("monev_evaluasi"), post=True),
    "monev:capaian_isi": Expect(VIEWERS, kwargs=_capaian_kwargs),
    # whole-pemda monev.view (Wali Kota, Sekda, Bappeda): nobody in the city
    "monev:pimpinan": Expect(NOBODY),
    "monev:export_rkpd": Expect(NOBODY, query={"format": "xlsx", "tahun": str(TAHUN)}),
    # monev.manage (Bappeda): nobody in the city
    "monev:skala_muat": Expect(NOBODY, post=True),
    "monev:skala_edit": Expect(NOBODY, kwargs=_pk("monev_skala")),
    "monev:periode_buat": Expect(NOBODY, post=True),
    "monev:periode_kunci": Expect(NOBODY, kwargs=_pk("monev_periode"), post=True),
    "monev:periode_buka": Expect(NOBODY, kwargs=_pk("monev_periode_locked"), post=True),
    "monev:evaluasi_kembalikan": Expect(NOBODY, kwargs=_pk("monev_evaluasi_dikirim"), post=True),
    "monev:peringatan_periksa": Expect(NOBODY, post=True),
    # API
    "api-monev-periode-list": Expect(VIEWERS),
    "api-monev-periode-detail": Expect(VIEWERS, kwargs=_pk("monev_periode")),
    "api-monev-skala-list": Expect(VIEWERS),
    "api-monev-skala-detail": Expect(VIEWERS, kwargs=_pk("monev_skala")),
    "api-monev-evaluasi-list": Expect(VIEWERS),
    "api-monev-evaluasi-detail": Expect(VIEWERS, kwargs=_pk("monev_evaluasi")),
    "api-monev-capaian-list": Expect(VIEWERS),
    "api-monev-capaian-detail": Expect(VIEWERS, kwargs=_pk("monev_capaian")),
    "api-monev-peringatan-list": Expect(VIEWERS),
    "api-monev-peringatan-detail": Expect(VIEWERS, kwargs=_pk("monev_peringatan")),
    "api-monev-dashboard-list": Expect(VIEWERS),
}
