"""Demo data of the rka part, written through the services (see core/management/commands/demo.py).

A murni round of today.year adopted (pagu per OPD, an RKA with 3–8 lines per Renja sub kegiatan, a cash plan,
all approved into the DPA); then a pergeseran round in drafting with a few changed lines and one RKA returned
with notes (so the verification screen has something to show). Deterministic (seeded random)."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import ROUND_UP, Decimal

from terpadu.anggaran import services_rka as svc
from terpadu.anggaran.models import KodeRekening, RekeningLevel, StandarHarga, TahapAnggaran

# weights of the cash plan per month (spending picks up after the first quarter)
PROFILE = [3, 5, 7, 8, 9, 9, 9, 9, 10, 10, 10, 11]
NON_SSH = [
    ("Jasa narasumber", "orang-jam", 900000),
    ("Sewa tenda dan kursi", "paket", 3500000),
    ("Cetak spanduk kegiatan", "lembar", 250000),
    ("Jasa tenaga pendukung", "orang-bulan", 3200000),
    ("Sewa kendaraan operasional", "unit-hari", 750000),
    ("Penggandaan bahan sosialisasi", "eksemplar", 15000),
]


def _kas(total: Decimal) -> list[Decimal]:
    weight = sum(PROFILE)
    months = [(total * w / weight).quantize(Decimal("1")) for w in PROFILE[:-1]]
    return months + [total - sum(months, Decimal(0))]


def _lines(rng: random.Random, items, codes) -> list[dict]:
    lines = []
    for _ in range(rng.randint(3, 8)):
        if items and rng.random() < 0.6:
            item = rng.choice(items)
            rekening = rng.choice(list(item.rekening.all()) or codes)
            lines.append({
                "kode_rekening": rekening.kode, "kode_ssh": item.kode, "uraian": item.uraian,
                "volume": rng.choice([2, 5, 10, 12, 20, 24, 50, 100]),
            })  # fmt: skip
        else:
            uraian, satuan, harga = rng.choice(NON_SSH)
            lines.append({
                "kode_rekening": rng.choice(codes).kode, "uraian": uraian, "satuan": satuan,
                "harga_satuan": harga, "volume": rng.choice([1, 2, 4, 6, 12]),
                "justifikasi": "Tidak ada dalam SSH; harga survei tiga penyedia",
            })  # fmt: skip
    return lines


def seed(today) -> None:
    from terpadu.perencanaan.models import RenjaSubKegiatan

    year = today.year
    if TahapAnggaran.objects.filter(tahun=year).exists():
        return
    subs = list(
        RenjaSubKegiatan.objects.filter(tahun=year).select_related("unit", "sub_kegiatan")
        .order_by("unit__path", "sub_kegiatan__kode")
    )  # fmt: skip
    codes = list(
        KodeRekening.objects.filter(
            versi__tahun=year, level=RekeningLevel.SUB_RINCIAN_OBJEK, aktif=True, kode__startswith="5.1.02."
        ).order_by("kode")
    )
    if not subs or not codes:
        return  # the planning or master demo did not run
    rng = random.Random(year * 7 + 4)
    items = [
        i for i in StandarHarga.objects.filter(tahun=year, aktif=True).prefetch_related("rekening").order_by("kode")
        if i.rekening.exists()
    ]  # fmt: skip
    plan = {sub.pk: _lines(rng, items, codes) for sub in subs}
    murni = svc.buka_tahap(None, year, "murni", dasar_hukum=f"Perda Kota Sukamaju Nomor 12 Tahun {year - 1}")
    per_unit: dict = defaultdict(Decimal)
    for sub in subs:
        for line in plan[sub.pk]:
            harga = Decimal(line.get("harga_satuan") or 0)
            if line.get("kode_ssh"):
                harga = next(i.harga for i in items if i.kode == line["kode_ssh"])
            per_unit[sub.unit] += harga * line["volume"]
    for unit, amount in per_unit.items():  # a ceiling 5–15 % above what is planned, in whole millions
        headroom = Decimal(1) + Decimal(rng.randint(5, 15)) / 100
        svc.set_pagu(None, murni, unit, (amount * headroom / 1000000).quantize(Decimal("1"), ROUND_UP) * 1000000)
    rkas = []
    for sub in subs:
        rka = svc.buat_rka(None, murni, sub)
        for line in plan[sub.pk]:
            svc.tambah_rincian(None, rka, line)
        rka.refresh_from_db()
        svc.simpan_kas(None, rka, _kas(rka.total))
        svc.ajukan(None, rka)
        svc.setujui(None, rka)
        rkas.append(rka)
    svc.tetapkan_tahap(None, murni, f"Perkada Kota Sukamaju Nomor 88 Tahun {year - 1} (penjabaran APBD)")

    pergeseran = svc.buka_tahap(None, year, "pergeseran", dasar_hukum="Perkada tentang pergeseran anggaran")
    copies = list(pergeseran.rka.select_related("tahap", "unit", "sub_kegiatan__sub_kegiatan").order_by("pk"))
    for rka in copies[:: max(1, len(copies) // 6)][:6]:  # a few changed lines (volume down: the ceiling holds)
        line = rka.rincian.order_by("pk").first()
        svc.ubah_rincian(None, line, {"volume": max(Decimal(1), (line.volume * Decimal("0.8")).quantize(Decimal("1")))})
        rka.refresh_from_db()
        svc.simpan_kas(None, rka, _kas(rka.total))
    returned = copies[0]
    returned.refresh_from_db()
    svc.simpan_kas(None, returned, _kas(returned.total))
    svc.ajukan(None, returned)
    first = returned.rincian.order_by("pk").first()
    svc.kembalikan(
        None, returned, "Sesuaikan volume dengan target kinerja dan lengkapi spesifikasi.",
        {first.pk: "Volume tidak sesuai dengan target keluaran; mohon dikoreksi."},
    )  # fmt: skip
