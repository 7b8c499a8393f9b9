"""Who may reach the arsip module's routes: merged into tests/authz_expectations.py (see its docstring).

In the city no persona is an arsiparis: pimpinan (head of Dinas Alfa) has arsip.view for Dinas Alfa,
admin-sistem has arsip.configure only. Filing and disposal routes are therefore denied to everyone here
(their allowed paths are covered by the module's own tests)."""

from __future__ import annotations

import datetime as dt

from tests.authz_expectations import ADMIN_ONLY, EVERYONE, NOBODY, PIMPINAN, SAME, SIGNED_IN, Expect, World, _pk  # noqa: F401

from terpadu.arsip.tests.conftest import PDF

VIEWERS = frozenset({PIMPINAN})  # arsip.view over Dinas Alfa


def build(world: World) -> dict:
    """Objects the routes below act on, by name (reach them with _pk("name"))."""
    from django.core.files.base import ContentFile

    from terpadu.arsip.models import BeritaAcara, Berkas, IsiBerkas, Klasifikasi, KlasifikasiVersi
    from terpadu.core.models import StoredFile
    from terpadu.naskah.models import JenisNaskah, Naskah, PihakNaskah

    city = world.city
    versi = KlasifikasiVersi.objects.create(nama="Walker 83/2022", berlaku_mulai=dt.date(2023, 1, 1), aktif=True)
    umum = Klasifikasi.objects.create(versi=versi, kode="000", nama="Umum")
    rapat = Klasifikasi.objects.create(
        versi=versi, kode="000.1.5", nama="Rapat", parent=umum, retensi_aktif=2, retensi_inaktif=3, nasib_akhir="musnah"
    )
    retire_me = Klasifikasi.objects.create(versi=versi, kode="000.9", nama="Penelitian", parent=umum)
    baru = KlasifikasiVersi.objects.create(nama="Walker baru", berlaku_mulai=dt.date(2026, 1, 1))
    Klasifikasi.objects.create(versi=baru, kode="000", nama="Umum")
    jenis = JenisNaskah.objects.get_or_create(kode="nota_dinas", defaults={"nama": "Nota Dinas", "keluar": False})[0]
    naskah = Naskah.objects.create(
        unit=city.bidang_a, pembuat=city.pegawai_same, klasifikasi=rapat, jenis=jenis, hal="Rapat walker"
    )
    PihakNaskah.objects.create(naskah=naskah, peran=PihakNaskah.Peran.PEMBUAT, pegawai=city.pegawai_same)
    berkas = Berkas.objects.create(unit=city.bidang_a, klasifikasi=rapat, nomor=1, tahun=2025, uraian="Rapat")
    isi = IsiBerkas.objects.create(berkas=berkas, naskah=naskah)
    done = Berkas.objects.create(
        unit=city.bidang_a, klasifikasi=rapat, nomor=2, tahun=2019, uraian="Lama", status=Berkas.Status.MUSNAH
    )
    stored = StoredFile(original_name="ba.pdf", content_type="application/pdf", size=len(PDF), sha256="0" * 64)
    stored.file.save("walker-ba.pdf", ContentFile(PDF), save=False)
    stored.save()
    ba = BeritaAcara.objects.create(
        jenis=BeritaAcara.Jenis.PEMUSNAHAN,
        nomor="BA/1/2025",
        tanggal=dt.date(2025, 6, 1),
        unit=city.dinas_a,
        dokumen=stored,
    )
    ba.berkas.add(done)
    return {
        "arsip_kode": rapat,
        "arsip_retire_me": retire_me,
        "arsip_versi_baru": baru,
        "arsip_naskah": naskah,
        "arsip_berkas": berkas,
        "arsip_isi": isi,
        "arsip_ba": ba,
    }


EXPECTATIONS: dict[str, Expect] = {
    # the classification is public regulation: every signed-in user reads it
    "arsip:klasifikasi_list": Expect(SIGNED_IN),
    "arsip:klasifikasi_detail": Expect(SIGNED_IN, kwargs=_pk("arsip_kode")),
    "arsip:klasifikasi_export": Expect(SIGNED_IN, query={"format": "csv"}),
    "api-arsip-klasifikasi-list": Expect(SIGNED_IN),
    "api-arsip-klasifikasi-detail": Expect(SIGNED_IN, kwargs=_pk("arsip_kode")),
    # arsip.configure (admin-sistem, admin-naskah)
    "arsip:klasifikasi_create": Expect(ADMIN_ONLY),
    "arsip:klasifikasi_edit": Expect(ADMIN_ONLY, kwargs=_pk("arsip_kode")),
    "arsip:klasifikasi_retire": Expect(ADMIN_ONLY, kwargs=_pk("arsip_retire_me"), post=True),
    "arsip:klasifikasi_import": Expect(ADMIN_ONLY),
    "arsip:versi_list": Expect(ADMIN_ONLY),
    "arsip:versi_create": Expect(ADMIN_ONLY),
    "arsip:versi_activate": Expect(ADMIN_ONLY, kwargs=_pk("arsip_versi_baru"), post=True),
    # arsip.view in the unit scope
    "arsip:berkas_list": Expect(VIEWERS),
    "arsip:berkas_detail": Expect(VIEWERS, kwargs=_pk("arsip_berkas")),
    "arsip:retensi": Expect(VIEWERS),
    "arsip:ba_list": Expect(VIEWERS),
    "arsip:ba_detail": Expect(VIEWERS, kwargs=_pk("arsip_ba")),
    "arsip:ba_file": Expect(VIEWERS, kwargs=_pk("arsip_ba")),
    "api-arsip-berkas-list": Expect(VIEWERS),
    "api-arsip-berkas-detail": Expect(VIEWERS, kwargs=_pk("arsip_berkas")),
    "api-arsip-retensi-list": Expect(VIEWERS),
    "api-arsip-retensi-ringkasan": Expect(VIEWERS),
    "api-arsip-berita-acara-list": Expect(VIEWERS),
    "api-arsip-berita-acara-detail": Expect(VIEWERS, kwargs=_pk("arsip_ba")),
    # arsip.file / arsip.dispose: no persona of the city holds them
    "arsip:berkas_create": Expect(NOBODY),
    "arsip:berkas_edit": Expect(NOBODY, kwargs=_pk("arsip_berkas")),
    "arsip:berkas_close": Expect(NOBODY, kwargs=_pk("arsip_berkas"), post=True),
    "arsip:usulan_list": Expect(NOBODY),
    "arsip:usulan_decide": Expect(NOBODY, post=True),
    "arsip:isi_move": Expect(NOBODY, kwargs=_pk("arsip_isi")),
    "arsip:ba_create": Expect(NOBODY),
    "api-arsip-berkas-close": Expect(NOBODY, kwargs=_pk("arsip_berkas"), post=True),
    "api-arsip-berkas-confirm": Expect(NOBODY, kwargs=_pk("arsip_berkas"), post=True),
    # the panel on the naskah page: whoever may see the naskah (its drafter, the head of the unit)
    "arsip:naskah_panel": Expect(frozenset({SAME, PIMPINAN}), kwargs=_pk("arsip_naskah")),
}
