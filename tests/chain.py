"""A small planning → budget chain for tests of the later links (kontrak, realisasi, monev, portal).

Rows are written directly (a fixture, like a database dump): the modules' own tests prove their services;
this only gives the next module something to stand on. The end-to-end test goes through the services.

    chain = build_chain(city)          # Dinas Alfa, 2026, two sub kegiatan with an approved DPA
    chain.dpa["5.1.02.01.01.0024"]     # a DpaBaris
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest

TAHUN = 2026


@dataclass
class Chain:
    tahun: int
    versi: object
    kode: dict  # nomenklatur code -> Nomenklatur
    rekening: dict  # code -> KodeRekening
    rpjmd: object
    sasaran: object
    indikator_sasaran: object
    renstra: object
    sasaran_pd: object
    renja: object
    sub: object  # RenjaSubKegiatan 2.16.03.2.02.0023 (Dinas Alfa)
    sub2: object  # RenjaSubKegiatan 2.16.03.2.02.0021 (Dinas Alfa)
    sub_b: object  # RenjaSubKegiatan of Dinas Beta
    indikator_sub: object
    tahap: object  # the adopted murni round
    rka: object
    rka2: object
    rka_b: object
    dpa: dict = field(default_factory=dict)  # kode rekening -> DpaBaris of `sub`
    dpa2: dict = field(default_factory=dict)
    dpa_b: dict = field(default_factory=dict)


NOMENKLATUR = [
    ("urusan", "2", "Urusan Pemerintahan Wajib yang Tidak Berkaitan dengan Pelayanan Dasar", None),
    ("bidang_urusan", "2.16", "Komunikasi dan Informatika", "2"),
    ("program", "2.16.03", "PROGRAM PENGELOLAAN APLIKASI INFORMATIKA", "2.16"),
    ("kegiatan", "2.16.03.2.02", "Pengelolaan e-Government di Lingkup Pemerintah Daerah Kabupaten/Kota", "2.16.03"),
    (
        "sub_kegiatan",
        "2.16.03.2.02.0021",
        "Penyelenggaraan Sistem Penghubung Layanan Pemerintah Daerah",
        "2.16.03.2.02",
    ),
    ("sub_kegiatan", "2.16.03.2.02.0023", "Koordinasi dan Fasilitasi Penyelenggaraan Kota Cerdas", "2.16.03.2.02"),
    ("program", "2.16.02", "PROGRAM PENGELOLAAN INFORMASI DAN KOMUNIKASI PUBLIK", "2.16"),
    ("kegiatan", "2.16.02.2.01", "Pengelolaan Informasi dan Komunikasi Publik Pemda Kab/Kota", "2.16.02"),
    ("sub_kegiatan", "2.16.02.2.01.0014", "Relasi Media", "2.16.02.2.01"),
]
REKENING = [
    ("akun", "5", "BELANJA DAERAH", None),
    ("kelompok", "5.1", "BELANJA OPERASI", "5"),
    ("jenis", "5.1.02", "Belanja Barang dan Jasa", "5.1"),
    ("objek", "5.1.02.01", "Belanja Barang", "5.1.02"),
    ("rincian_objek", "5.1.02.01.01", "Belanja Barang Pakai Habis", "5.1.02.01"),
    (
        "sub_rincian_objek",
        "5.1.02.01.01.0024",
        "Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor",
        "5.1.02.01.01",
    ),
    ("sub_rincian_objek", "5.1.02.01.01.0052", "Belanja Makanan dan Minuman Rapat", "5.1.02.01.01"),
    ("objek", "5.1.02.04", "Belanja Perjalanan Dinas", "5.1.02"),
    ("rincian_objek", "5.1.02.04.01", "Belanja Perjalanan Dinas Dalam Negeri", "5.1.02.04"),
    ("sub_rincian_objek", "5.1.02.04.01.0001", "Belanja Perjalanan Dinas Biasa", "5.1.02.04.01"),
    ("kelompok", "5.2", "BELANJA MODAL", "5"),
    ("jenis", "5.2.02", "Belanja Modal Peralatan dan Mesin", "5.2"),
    ("objek", "5.2.02.10", "Belanja Modal Komputer", "5.2.02"),
    ("rincian_objek", "5.2.02.10.02", "Belanja Modal Peralatan Komputer", "5.2.02.10"),
    ("sub_rincian_objek", "5.2.02.10.02.0004", "Belanja Modal Peralatan Jaringan", "5.2.02.10.02"),
]
# (kode rekening, uraian, volume, satuan, harga) per sub kegiatan
LINES = {
    "sub": [
        ("5.1.02.01.01.0024", "Kertas HVS A4 80 gram", 100, "rim", 55000),
        ("5.1.02.01.01.0052", "Makan minum rapat koordinasi", 400, "kotak", 40000),
        ("5.1.02.04.01.0001", "Perjalanan dinas koordinasi ke provinsi", 6, "orang-kali", 2500000),
        ("5.2.02.10.02.0004", "Switch jaringan 24 port", 4, "unit", 12500000),
    ],
    "sub2": [
        ("5.1.02.01.01.0052", "Makan minum rapat integrasi layanan", 200, "kotak", 40000),
        ("5.1.02.04.01.0001", "Perjalanan dinas konsultasi SPLP", 4, "orang-kali", 3000000),
    ],
    "sub_b": [
        ("5.1.02.01.01.0024", "Alat tulis kantor", 50, "paket", 150000),
    ],
}


def build_chain(city, tahun: int = TAHUN) -> Chain:
    """The chain of `tahun` for this city; built once per city object (route tables of several modules ask)."""
    built = city.__dict__.setdefault("_chains", {})
    if tahun not in built:
        built[tahun] = _build_chain(city, tahun)
    return built[tahun]


def _build_chain(city, tahun: int) -> Chain:
    from terpadu.anggaran.models import (
        AnggaranKas,
        DpaBaris,
        KodeRekening,
        Pagu,
        RincianBelanja,
        Rka,
        TahapAnggaran,
        VersiRekening,
    )
    from terpadu.perencanaan.models import (
        Indikator,
        Misi,
        Nomenklatur,
        Renja,
        RenjaSubKegiatan,
        Renstra,
        RenstraItem,
        Rpjmd,
        Sasaran,
        SasaranPd,
        TargetIndikator,
        Tujuan,
        TujuanPd,
        VersiNomenklatur,
    )

    versi = VersiNomenklatur.objects.create(tahun=tahun, nama=f"Nomenklatur {tahun} (uji)")
    kode: dict = {}
    for level, code, nama, parent in NOMENKLATUR:
        kode[code] = Nomenklatur.objects.create(
            versi=versi, level=level, kode=code, nama=nama, parent=kode.get(parent), keyakinan="secondary"
        )
    vr = VersiRekening.objects.create(tahun=tahun, nama=f"Kode rekening {tahun} (uji)")
    rekening: dict = {}
    for level, code, nama, parent in REKENING:
        rekening[code] = KodeRekening.objects.create(
            versi=vr, level=level, kode=code, nama=nama, parent=rekening.get(parent)
        )

    rpjmd = Rpjmd.objects.create(
        nama="RPJMD Kota Uji",
        tahun_awal=tahun - 1,
        tahun_akhir=tahun + 3,
        visi="Kota Uji yang cerdas",
        status="ditetapkan",
    )
    misi = Misi.objects.create(rpjmd=rpjmd, nomor=1, uraian="Tata kelola pemerintahan digital")
    tujuan = Tujuan.objects.create(misi=misi, kode="T1", uraian="Pemerintahan yang efektif")
    sasaran = Sasaran.objects.create(tujuan=tujuan, kode="S1.1", uraian="Meningkatnya kualitas SPBE")
    ind_sasaran = Indikator.objects.create(
        sasaran=sasaran, uraian="Indeks SPBE", satuan="indeks", baseline=Decimal("2.5")
    )
    TargetIndikator.objects.create(indikator=ind_sasaran, tahun=tahun, target=Decimal("3.2"))

    renstra = Renstra.objects.create(rpjmd=rpjmd, unit=city.dinas_a, status="ditetapkan")
    tujuan_pd = TujuanPd.objects.create(renstra=renstra, tujuan_rpjmd=tujuan, kode="TPD1", uraian="SPBE terpadu")
    sasaran_pd = SasaranPd.objects.create(
        tujuan=tujuan_pd, sasaran_rpjmd=sasaran, kode="SPD1", uraian="Layanan terintegrasi"
    )
    prog = RenstraItem.objects.create(
        renstra=renstra, sasaran_pd=sasaran_pd, nomenklatur=kode["2.16.03"], level="program"
    )
    keg = RenstraItem.objects.create(
        renstra=renstra, sasaran_pd=sasaran_pd, parent=prog, nomenklatur=kode["2.16.03.2.02"], level="kegiatan"
    )
    items = {
        c: RenstraItem.objects.create(
            renstra=renstra, sasaran_pd=sasaran_pd, parent=keg, nomenklatur=kode[c], level="sub_kegiatan"
        )
        for c in ("2.16.03.2.02.0021", "2.16.03.2.02.0023")
    }
    renja = Renja.objects.create(unit=city.dinas_a, tahun=tahun, renstra=renstra, status="ditetapkan")
    renja_b = Renja.objects.create(unit=city.dinas_b, tahun=tahun, status="ditetapkan")

    def renja_item(r, code, item=None):
        return RenjaSubKegiatan.objects.create(
            renja=r,
            unit=r.unit,
            tahun=tahun,
            sub_kegiatan=kode[code],
            renstra_item=item,
            kode_program=code[:7],
            kode_kegiatan=code[:12],
            pagu_indikatif=Decimal("200000000"),
            sumber_dana="DAU",
        )

    sub = renja_item(renja, "2.16.03.2.02.0023", items["2.16.03.2.02.0023"])
    sub2 = renja_item(renja, "2.16.03.2.02.0021", items["2.16.03.2.02.0021"])
    sub_b = renja_item(renja_b, "2.16.02.2.01.0014")
    ind_sub = Indikator.objects.create(
        renja_sub_kegiatan=sub, uraian="Jumlah layanan terintegrasi", satuan="layanan", baseline=Decimal("4")
    )
    TargetIndikator.objects.create(indikator=ind_sub, tahun=tahun, target=Decimal("10"))

    from django.utils import timezone

    tahap = TahapAnggaran.objects.create(
        tahun=tahun, jenis="murni", urutan=1, nama="APBD Murni", status="ditetapkan", ditetapkan=timezone.now()
    )
    Pagu.objects.create(tahap=tahap, unit=city.dinas_a, nilai=Decimal("1000000000"))
    Pagu.objects.create(tahap=tahap, unit=city.dinas_b, nilai=Decimal("500000000"))

    def rka_for(s, lines):
        rka = Rka.objects.create(tahap=tahap, sub_kegiatan=s, unit=s.unit, tahun=tahun, status="disetujui",
                                 disetujui=timezone.now())  # fmt: skip
        per_rekening: dict = {}
        for i, (code, uraian, volume, satuan, harga) in enumerate(lines):
            jumlah = Decimal(volume) * Decimal(harga)
            RincianBelanja.objects.create(
                rka=rka, rekening=rekening[code], uraian=uraian, volume=volume, satuan=satuan,
                harga_satuan=harga, jumlah=jumlah, justifikasi="uji", urutan=i,
            )  # fmt: skip
            per_rekening[code] = per_rekening.get(code, Decimal(0)) + jumlah
        rka.total = sum(per_rekening.values(), Decimal(0))
        rka.save(update_fields=["total"])
        # cash plan: equal months, the remainder in December
        month = (rka.total / 12).quantize(Decimal("1"))
        for bulan in range(1, 13):
            AnggaranKas.objects.create(rka=rka, bulan=bulan, nilai=month if bulan < 12 else rka.total - month * 11)
        dpa = {
            code: DpaBaris.objects.create(
                sub_kegiatan=s,
                unit=s.unit,
                tahun=tahun,
                rekening=rekening[code],
                kode_rekening=code,
                pagu=value,
                pagu_murni=value,
                tahap=tahap,
            )  # fmt: skip
            for code, value in per_rekening.items()
        }
        return rka, dpa

    rka, dpa = rka_for(sub, LINES["sub"])
    rka2, dpa2 = rka_for(sub2, LINES["sub2"])
    rka_b, dpa_b = rka_for(sub_b, LINES["sub_b"])
    return Chain(
        tahun, versi, kode, rekening, rpjmd, sasaran, ind_sasaran, renstra, sasaran_pd, renja, sub, sub2, sub_b,
        ind_sub, tahap, rka, rka2, rka_b, dpa, dpa2, dpa_b,
    )  # fmt: skip


@pytest.fixture
def chain(city):
    return build_chain(city)
