"""Demo data of the publik part, written through the services (see core/management/commands/demo.py).

One publication exception: the first sub kegiatan of the Badan Kesatuan Bangsa dan Politik (unit 401.206),
for security reasons — only when the demo planning has given that OPD a sub kegiatan this year.
"""

from __future__ import annotations

ALASAN = (
    "Belanja pengamanan dan kewaspadaan dini daerah: rincian lokasi dan sasaran dikecualikan dari publikasi "
    "karena dapat membahayakan keamanan (UU 14/2008 tentang Keterbukaan Informasi Publik, Pasal 17 huruf c)."
)


def seed(today) -> None:
    from terpadu.monev import services_publik
    from terpadu.monev.models import PengecualianPublikasi
    from terpadu.organisasi.models import UnitKerja
    from terpadu.perencanaan.models import RenjaSubKegiatan

    unit = UnitKerja.objects.filter(kode="401.206").first()
    if unit is None:
        return
    sub = (
        RenjaSubKegiatan.objects.filter(unit=unit, tahun=today.year)
        .select_related("sub_kegiatan")
        .order_by("sub_kegiatan__kode")
        .first()
    )
    if sub is None:
        return
    kode = sub.sub_kegiatan.kode
    if PengecualianPublikasi.objects.filter(tahun=today.year, kode=kode, unit=unit).exists():
        return
    services_publik.kecualikan(None, tahun=today.year, kode=kode, alasan=ALASAN, unit=unit)
