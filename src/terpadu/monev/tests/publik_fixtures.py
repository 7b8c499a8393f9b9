"""Rows the publik tests stand on, written directly like the chain fixture (the kontrak and realisasi parts'
services are proven by their own tests): contracts, SP2D realisation, physical progress with a photo."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from decimal import Decimal

# a 1×1 PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)
_seq = itertools.count(1)


def make_kontrak(dpa_baris, nilai, penyedia="CV Maju Jaya", nomor=None, adendum=0, npwp=None):
    from terpadu.kontrak.models import Adendum, Kontrak, Paket, PaketDpa, Penyedia

    n = next(_seq)
    supplier, _created = Penyedia.objects.get_or_create(
        npwp=npwp or f"{990000000000000 + n:015d}", defaults={"nama": penyedia}
    )
    paket = Paket.objects.create(
        tahun=dpa_baris.tahun, unit=dpa_baris.unit, kode_rup=f"RUP-{n}", nama=f"Pengadaan {penyedia} {n}",
        metode="pengadaan_langsung", jenis="barang", pagu=Decimal(nilai),
    )  # fmt: skip
    PaketDpa.objects.create(paket=paket, dpa_baris=dpa_baris, nilai=Decimal(nilai))
    kontrak = Kontrak.objects.create(
        paket=paket, unit=dpa_baris.unit, tahun=dpa_baris.tahun, nomor=nomor or f"027/{n}/SPK/{dpa_baris.tahun}",
        tanggal=dt.date(dpa_baris.tahun, 3, 1), penyedia=supplier, jenis_kontrak="lumsum", nilai=Decimal(nilai),
        nilai_awal=Decimal(nilai), mulai=dt.date(dpa_baris.tahun, 3, 1), selesai=dt.date(dpa_baris.tahun, 6, 30),
    )  # fmt: skip
    for i in range(1, adendum + 1):
        Adendum.objects.create(
            kontrak=kontrak, urutan=i, nomor=f"ADD-{n}-{i}", tanggal=dt.date(dpa_baris.tahun, 5, i),
            jenis="waktu", sebelum={"selesai": "2026-06-30"}, sesudah={"selesai": "2026-07-31"},
            alasan=f"Cuaca buruk {i}",
        )  # fmt: skip
    return kontrak


def make_realisasi(dpa_baris, nilai, bulan=2, termin=None):
    from terpadu.realisasi.models import Realisasi, Sp2d

    n = next(_seq)
    sp2d = Sp2d.objects.create(
        tahun=dpa_baris.tahun, unit=dpa_baris.unit, nomor=f"SP2D-{n:05d}", tanggal=dt.date(dpa_baris.tahun, bulan, 10),
        jenis="LS", uraian="Pembayaran uji", nilai=Decimal(nilai),
    )  # fmt: skip
    return Realisasi.objects.create(
        sp2d=sp2d, dpa_baris=dpa_baris, sub_kegiatan=dpa_baris.sub_kegiatan, unit=dpa_baris.unit,
        tahun=dpa_baris.tahun, bulan=bulan, nilai=Decimal(nilai), termin=termin,
    )  # fmt: skip


def make_progres(sub, bulan, persen, narasi="Pekerjaan berjalan", foto=False, content=PNG, content_type="image/png"):
    from django.core.files.base import ContentFile

    from terpadu.core.models import StoredFile
    from terpadu.realisasi.models import FotoProgres, ProgresFisik

    progres = ProgresFisik.objects.create(
        sub_kegiatan=sub, unit=sub.unit, tahun=sub.tahun, bulan=bulan, persen=Decimal(persen), narasi=narasi
    )
    if foto:
        stored = StoredFile(
            original_name="foto.png", content_type=content_type, size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )  # fmt: skip
        stored.file.save(f"publik-uji-{next(_seq)}.png", ContentFile(content), save=True)
        FotoProgres.objects.create(progres=progres, file=stored, keterangan="Foto lokasi")
    return progres


def except_item(tahun, kode, unit=None, alasan="Alasan keamanan daerah"):
    from terpadu.core.context import acting
    from terpadu.monev import services_publik

    with acting(None, via="command"):
        return services_publik.kecualikan(None, tahun=tahun, kode=kode, alasan=alasan, unit=unit)
