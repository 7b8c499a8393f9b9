"""Demo data of the kontrak part, written through the services (see core/management/commands/demo.py).

~15 packages with one contract each on the largest DPA lines of today.year (spread over the OPDs), with termin,
a performance bond (one of them expired), a time adendum on the first contract and a completed contract when its
end date has passed. Suppliers come from data/demo_penyedia.csv (fictional). Without DPA lines: nothing."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "demo_penyedia.csv"
PACKAGES = 15
THOUSAND = Decimal("1000")


def _round(value: Decimal) -> Decimal:
    return (value / THOUSAND).quantize(Decimal("1"), rounding=ROUND_DOWN) * THOUSAND


def _penyedia():
    from terpadu.kontrak import services
    from terpadu.kontrak.models import Penyedia

    result = []
    with DATA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            npwp = services.normalise_npwp(row["npwp"])
            existing = Penyedia.objects.filter(npwp=npwp).first()
            result.append(
                existing or services.create_penyedia({k: row[k] for k in ("nama", "npwp", "kualifikasi", "alamat")})
            )
    return result


def _choose_lines(tahun: int) -> list:
    """The largest line of each OPD first, then the next largest, until PACKAGES lines."""
    from terpadu.anggaran.models import DpaBaris

    per_unit: dict[int, list] = {}
    for line in DpaBaris.objects.filter(tahun=tahun, pagu__gte=Decimal("10000000")).order_by("-pagu", "pk"):
        per_unit.setdefault(line.unit_id, []).append(line)
    chosen, round_ = [], 0
    while len(chosen) < PACKAGES and any(len(lines) > round_ for lines in per_unit.values()):
        for unit_id in sorted(per_unit):
            if len(per_unit[unit_id]) > round_ and len(chosen) < PACKAGES:
                chosen.append(per_unit[unit_id][round_])
        round_ += 1
    return chosen


def seed(today) -> None:
    from terpadu.kontrak import services
    from terpadu.kontrak.models import Paket, PaketDpa
    from terpadu.organisasi.models import Pegawai

    lines = _choose_lines(today.year)
    if not lines or Paket.objects.filter(tahun=today.year).exists():
        return
    suppliers = _penyedia()
    metode = ["tender", "pengadaan_langsung", "e_purchasing", "seleksi", "tender_cepat"]
    for index, line in enumerate(lines):
        if PaketDpa.objects.filter(dpa_baris=line).exists():
            continue
        amount = _round(services.tersedia(line) * Decimal("0.8"))
        if amount <= 0:
            continue
        code = line.kode_rekening
        jenis = "konstruksi" if code.startswith("5.2.03") else "konsultansi" if index % 7 == 3 else "barang"
        paket = services.create_paket(
            line.unit,
            today.year,
            {
                "nama": f"{line.rekening.nama} — {line.sub_kegiatan.sub_kegiatan.nama}"[:480],
                "kode_rup": str(59899000 + index * 37),
                "metode": "seleksi" if jenis == "konsultansi" else metode[index % len(metode)],
                "jenis": jenis,
                "sumber_dana": line.sub_kegiatan.sumber_dana or "DAU",
                "lokasi": "Kota Sukamaju",
            },
            [(line, amount)],
        )
        tanggal = min(dt.date(today.year, 1, 6) + dt.timedelta(days=9 * index), today)
        mulai = tanggal + dt.timedelta(days=1)
        selesai = min(mulai + dt.timedelta(days=60 + 15 * (index % 8)), dt.date(today.year, 12, 20))
        hps = _round(amount * Decimal("0.98"))
        nilai = _round(amount * (Decimal("0.90") + Decimal(index % 5) / 100))
        ppk = Pegawai.objects.filter(unit=line.unit).order_by("pk").first()
        kontrak = services.create_kontrak(
            paket,
            {
                "nomor": f"027/{index + 1:03d}/SPK/{paket.unit.kode}/{today.year}",
                "tanggal": tanggal,
                "penyedia": suppliers[index % len(suppliers)],
                "jenis_kontrak": "waktu_penugasan" if jenis == "konsultansi" else "lumsum",
                "hps": hps,
                "nilai": nilai,
                "mulai": mulai,
                "selesai": selesai,
                "ppk": ppk,
                "nilai_pdn": _round(nilai * Decimal("0.6")),
                "nilai_umk": nilai if index % 2 == 0 else None,
                "lingkup": paket.nama,
            },
        )
        uang_muka = _round(nilai * Decimal("0.2"))
        tengah = _round(nilai * Decimal("0.4"))
        for jenis_termin, persen, value in (
            ("uang_muka", 0, uang_muka),
            ("termin", 50, tengah),
            ("termin", 100, nilai - uang_muka - tengah),
        ):
            services.add_termin(kontrak, {"jenis": jenis_termin, "persen_fisik": persen, "nilai": value})
        berlaku = mulai + dt.timedelta(days=30) if index == 3 else selesai + dt.timedelta(days=30)
        services.add_jaminan(
            kontrak,
            {
                "jenis": "pelaksanaan",
                "penerbit": "Bank Jatim Cabang Sukamaju",
                "nomor": f"JP/{today.year}/{index + 1:04d}",
                "nilai": _round(nilai * Decimal("0.05")),
                "berlaku_sampai": berlaku,
            },
        )
        if index == 0:
            services.create_adendum(
                kontrak,
                "waktu",
                {
                    "nomor": f"027/{index + 1:03d}/ADD-1/{today.year}",
                    "tanggal": min(mulai + dt.timedelta(days=20), selesai),
                    "selesai": min(selesai + dt.timedelta(days=30), dt.date(today.year, 12, 31)),
                    "alasan": "Keterlambatan pengiriman barang impor di luar kendali penyedia (keadaan kahar).",
                },
            )
        elif selesai < today - dt.timedelta(days=20) and index % 3 == 1:
            services.set_status(kontrak, "selesai", "BAST pekerjaan diterima lengkap.", selesai)
