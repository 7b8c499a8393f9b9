"""Demo data of the evaluasi part, written through the services (see core/management/commands/demo.py).

Loads the frameworks; gives the demo city an index history: official-style results for earlier SPBE 2020 years
(jenis=resmi, marked as demo in `sumber`), a locked SPBE 2020 self-assessment for last year and an open PEMDI 2026
self-assessment for this year with some indicators filled in. Diskominfo (401.106) is responsible for the
governance indicators, the other OPDs for their service indicators."""

from __future__ import annotations

import random
from decimal import Decimal

DEMO_SUMBER = "DEMO — fictional result generated for the demo city, not a KemenPANRB decree"


def _units():
    from terpadu.organisasi.models import UnitKerja

    by_kode = {u.kode: u for u in UnitKerja.objects.filter(kode__startswith="401.1")}
    return by_kode.get("401.106"), [u for k, u in sorted(by_kode.items()) if k.count(".") == 1]


def seed(today) -> None:
    from terpadu.spbe import services_evaluasi as sv
    from terpadu.spbe.models import Kerangka, Penilaian

    rng = random.Random(59)
    sv.muat_semua()
    spbe, pemdi = Kerangka.objects.get(kode="SPBE_2020"), Kerangka.objects.get(kode="PEMDI_2026")
    kominfo, opds = _units()
    last = today.year - 1
    # official-style history before the locked self-assessment (the SPBE 2020 years only)
    history = {last - 4: "2.41", last - 3: "2.63", last - 2: "2.88", last - 1: "3.14"}
    for tahun, indeks in history.items():
        if (
            spbe.tahun_mulai <= tahun <= (spbe.tahun_selesai or tahun)
            and not Penilaian.objects.filter(kerangka=spbe, tahun=tahun, jenis="resmi").exists()
        ):
            sv.catat_hasil_resmi(spbe, tahun, indeks, keputusan="Kepmen (demo)", sumber=DEMO_SUMBER)
    # last year's SPBE 2020 self-assessment, filled, reviewed and locked
    if (
        spbe.tahun_mulai <= last <= (spbe.tahun_selesai or last)
        and not Penilaian.objects.filter(kerangka=spbe, tahun=last, jenis="mandiri").exists()
    ):
        p = sv.buat_penilaian(spbe, last)
        for n in p.nilai.select_related("indikator"):
            unit = kominfo if n.indikator.nomor <= 31 or not opds else opds[n.indikator.nomor % len(opds)]
            sv.tetapkan(n, unit=unit)
            level = rng.choice([2, 3, 3, 3, 4, 4])
            sv.isi_nilai(n, None, skor=level, justifikasi=f"Bukti dukung tahun {last} (demo).")
            sv.kirim_nilai(n, None)
            sv.tinjau_nilai(n, True)
        sv.kunci(p)
    # this year's PEMDI 2026 self-assessment: open, some indicators filled in
    if (
        pemdi.tahun_mulai <= today.year
        and not Penilaian.objects.filter(kerangka=pemdi, tahun=today.year, jenis="mandiri").exists()
    ):
        p = sv.buat_penilaian(pemdi, today.year)
        for n in p.nilai.select_related("indikator"):
            sv.tetapkan(n, unit=kominfo if n.indikator.nomor % 3 or not opds else opds[n.indikator.nomor % len(opds)])
            if n.indikator.nomor == 5:
                sv.isi_nilai(n, None, nilai_eksternal="64.3", justifikasi="Skor SDI (demo).")
            elif n.indikator.nomor in (1, 2, 3, 13, 14, 19):
                score = Decimal(rng.randint(150, 380)) / 100
                sv.isi_nilai(n, None, skor=score, justifikasi="Penilaian mandiri sementara (demo).")
                if n.indikator.nomor in (1, 13):
                    sv.kirim_nilai(n, None)
