"""Demo data of the evaluasi part, written through the services (see core/management/commands/demo.py).

Step 7 of the demo contract: rating scales, the year's periods, evaluations of the elapsed quarters (with the
OPD's narrative; most submitted), indicator achievements, the early warning of the last completed month, and
the automatic lock of the quarters whose deadline has passed."""

from __future__ import annotations

import random
from decimal import Decimal

PENDORONG = [
    "Koordinasi lintas bidang berjalan baik",
    "Dukungan pimpinan dan tim teknis yang solid",
    "Pengadaan melalui e-katalog mempercepat pelaksanaan",
]
PENGHAMBAT = [
    "Proses pengadaan barang/jasa terlambat",
    "Revisi dokumen perencanaan teknis",
    "Cuaca dan kondisi lapangan",
    "",
]
TINDAK_LANJUT = [
    "Percepatan proses lelang dan pendampingan PPK",
    "Rapat evaluasi mingguan dengan PPTK",
    "Penyesuaian jadwal pelaksanaan dan anggaran kas",
]


def seed(today) -> None:
    from terpadu.monev import services_evaluasi as sv
    from terpadu.monev.models import EvaluasiSubKegiatan
    from terpadu.perencanaan.models import TargetIndikator

    rng = random.Random(7)
    sv.muat_skala()
    periods = sv.pastikan_periode(today.year)
    for periode in periods:
        if sv.akhir_triwulan(periode.tahun, periode.triwulan) >= today:
            break
        sv.siapkan_evaluasi(periode)
        for evaluasi in EvaluasiSubKegiatan.objects.filter(periode=periode).order_by("pk"):
            roll = rng.random()
            if roll < 0.15:
                continue  # a few OPDs have not filled in yet
            sv.simpan_evaluasi(
                evaluasi,
                {
                    "faktor_pendorong": rng.choice(PENDORONG),
                    "faktor_penghambat": rng.choice(PENGHAMBAT),
                    "tindak_lanjut": rng.choice(TINDAK_LANJUT),
                },
            )
            if roll > 0.3:
                sv.kirim_evaluasi(evaluasi)
        targets = TargetIndikator.objects.filter(
            tahun=periode.tahun, indikator__renja_sub_kegiatan__tahun=periode.tahun
        )
        for target in targets.select_related("indikator").order_by("pk")[:200]:
            share = Decimal(periode.triwulan) / 4 * Decimal(str(round(rng.uniform(0.6, 1.15), 2)))
            sv.simpan_capaian(periode, target.indikator, (target.target * share).quantize(Decimal("0.01")))
    tahun, bulan = sv.bulan_tinjauan(today)
    if tahun == today.year:
        sv.periksa_peringatan(tahun, bulan)
    sv.kunci_jatuh_tempo(today)
