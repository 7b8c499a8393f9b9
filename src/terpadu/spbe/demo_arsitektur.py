"""Demo data of the arsitektur part, written through the services (see core/management/commands/demo.py).

Kota Sukamaju's Arsitektur SPBE on the national reference (Perpres 132/2022, loaded as the edition in force from
2022): city level-3 codes, ~30 elements in the six domains for Diskominfo, Disdukcapil, DPMPTSP, Dinkes and BKAD,
three complete chains layanan → proses bisnis → data → aplikasi → infrastruktur with keamanan controls, gaps and
needs, and a Peta Rencana of 21 items over five years (today.year-1 … today.year+3) in all seven sections.

Other demos may use `elemen(kode)`, `referensi(kode)` and `rencana(nama)` (e.g. the katalog demo linking an
Aplikasi to "APL-01", the belanja demo linking a DPA line to a roadmap item)."""

from __future__ import annotations

from decimal import Decimal

EDITION_YEAR = 2022
DISKOMINFO, DUKCAPIL, DPMPTSP, DINKES, BKAD = "401.106", "401.107", "401.111", "401.102", "401.202"

# (model, parent national level-2 code, name) -> code parent.NN (assigned in order)
CITY_CODES = [
    ("RAL.02.01", "Layanan administrasi kependudukan kota"),  # RAL.02.01 Dalam Negeri (Kemendagri)
    ("RAL.01.01", "Layanan perizinan berusaha kota"),  # the source lists only RAL.01.01 under Layanan Publik
    ("RAL.01.01", "Layanan kesehatan dasar kota"),
    ("RAL.02.01", "Layanan administrasi perkantoran digital"),
    ("RAB.03.07", "Pendaftaran penduduk dan pencatatan sipil"),
    ("RAB.02.08", "Perizinan dan nonperizinan berusaha"),
    ("RAB.04.01", "Pelayanan kesehatan puskesmas"),
    ("RAB.09.04", "Pengelolaan naskah dinas dan komunikasi"),
    ("RAD.10.02", "Data kegiatan pemerintahan kota"),
    ("RAD.10.03", "Data kewilayahan dan kependudukan kota"),
    ("RAD.10.04", "Data layanan publik kota"),
    ("RAA.01.02", "Aplikasi umum administrasi yang dipakai kota"),
    ("RAA.02.02", "Aplikasi khusus fungsi tertentu kota"),
    ("RAI.01.02", "Pusat komputasi (data center) kota"),
    ("RAI.02.01", "Jaringan intra pemerintah kota"),
    ("RAI.02.02", "Sistem penghubung layanan kota"),
    ("RAI.03.02", "Layanan komputasi awan"),
    ("RAK.01.02", "Standar keamanan aplikasi kota"),
    ("RAK.02.02", "Penerapan keamanan aplikasi kota"),
    ("RAK.02.03", "Penerapan keamanan infrastruktur kota"),
    ("RAK.03.02", "Kelaikan keamanan aplikasi kota"),
]

# (domain, kode, nama, unit, referensi (city code name), status, current, target, metadata)
ELEMEN = [
    ("layanan", "LAY-01", "Layanan adminduk daring (KTP-el, KK, akta)", DUKCAPIL,
     "Layanan administrasi kependudukan kota", "keduanya", "Sebagian layanan masih loket", "Seluruh layanan daring",
     {"tujuan": "Warga mengurus dokumen kependudukan tanpa antre", "fungsi": "Permohonan dan penerbitan dokumen",
      "kl_terkait": "Kemendagri (Ditjen Dukcapil)", "metode_layanan": "daring dan loket",
      "target_layanan": "Warga Kota Sukamaju", "unit_pelaksana": "Disdukcapil"}),
    ("layanan", "LAY-02", "Perizinan berusaha terpadu", DPMPTSP, "Layanan perizinan berusaha kota", "saat_ini",
     "Terhubung OSS-RBA", "", {"tujuan": "Izin usaha cepat dan pasti", "fungsi": "Penerbitan izin dan nonizin",
                              "kl_terkait": "Kementerian Investasi/BKPM", "potensi_ekonomi": "Investasi daerah"}),
    ("layanan", "LAY-03", "Pendaftaran dan rujukan puskesmas daring", DINKES, "Layanan kesehatan dasar kota",
     "target", "", "Pendaftaran daring di 12 puskesmas", {"tujuan": "Mengurangi antrean", "fungsi": "Pendaftaran"}),
    ("layanan", "LAY-04", "Tata naskah dinas elektronik", DISKOMINFO, "Layanan administrasi perkantoran digital",
     "saat_ini", "Naskah dinas ditandatangani elektronik", "", {"tujuan": "Naskah dinas cepat dan sah",
                                                                "fungsi": "Pembuatan, penandatanganan, distribusi"}),
    ("proses_bisnis", "PB-01", "Pendaftaran penduduk", DUKCAPIL, "Pendaftaran penduduk dan pencatatan sipil",
     "saat_ini", "", "", {"bidang_urusan": "Administrasi kependudukan dan pencatatan sipil"}),
    ("proses_bisnis", "PB-02", "Penerbitan perizinan berusaha", DPMPTSP, "Perizinan dan nonperizinan berusaha",
     "saat_ini", "", "", {"bidang_urusan": "Penanaman modal"}),
    ("proses_bisnis", "PB-03", "Pelayanan pasien puskesmas", DINKES, "Pelayanan kesehatan puskesmas", "keduanya",
     "Rekam medis kertas", "Rekam medis elektronik terintegrasi SATUSEHAT", {"bidang_urusan": "Kesehatan"}),
    ("proses_bisnis", "PB-04", "Pengelolaan naskah dinas", DISKOMINFO, "Pengelolaan naskah dinas dan komunikasi",
     "saat_ini", "", "", {"bidang_urusan": "Komunikasi dan informatika"}),
    ("data", "DAT-01", "Data kependudukan kota", DUKCAPIL, "Data kewilayahan dan kependudukan kota", "saat_ini", "",
     "", {"sifat_data": "tertutup", "jenis_data": "data pokok", "produsen_data": "Disdukcapil",
          "wali_data": "Kepala Disdukcapil", "interoperabilitas": "ya"}),
    ("data", "DAT-02", "Data perizinan berusaha", DPMPTSP, "Data layanan publik kota", "saat_ini", "", "",
     {"sifat_data": "terbuka", "produsen_data": "DPMPTSP", "interoperabilitas": "ya"}),
    ("data", "DAT-03", "Data rekam medis pasien", DINKES, "Data layanan publik kota", "keduanya", "Kertas dan SIMPUS",
     "Rekam medis elektronik", {"sifat_data": "dikecualikan", "produsen_data": "Dinkes",
                                "informasi_terkait": "Data pribadi (UU 27/2022)"}),
    ("data", "DAT-04", "Data naskah dinas", DISKOMINFO, "Data kegiatan pemerintahan kota", "saat_ini", "", "",
     {"sifat_data": "terbatas", "produsen_data": "Seluruh OPD"}),
    ("data", "DAT-05", "Data statistik sektoral (Satu Data)", DISKOMINFO, "Data kegiatan pemerintahan kota",
     "target", "", "Portal Satu Data kota", {"sifat_data": "terbuka", "produsen_data": "Seluruh OPD"}),
    ("aplikasi", "APL-01", "SIAK Terpusat (pemakaian kota)", DUKCAPIL, "Aplikasi umum administrasi yang dipakai kota",
     "saat_ini", "", "", {"fungsi": "Pencatatan kependudukan", "basis_aplikasi": "web", "basis_data": "Oracle"}),
    ("aplikasi", "APL-02", "Aplikasi perizinan kota terhubung OSS-RBA", DPMPTSP,
     "Aplikasi khusus fungsi tertentu kota", "keduanya", "Integrasi manual", "Terintegrasi lewat SPLP",
     {"fungsi": "Tracking izin", "luaran": "Status izin", "basis_aplikasi": "web", "tipe_lisensi": "open source"}),
    ("aplikasi", "APL-03", "SIMPUS", DINKES, "Aplikasi khusus fungsi tertentu kota", "keduanya", "Per puskesmas",
     "Terpusat dan terintegrasi SATUSEHAT", {"fungsi": "Rekam medis dan pendaftaran", "basis_data": "PostgreSQL"}),
    ("aplikasi", "APL-04", "Terpadu (naskah dinas, perencanaan, SPBE)", DISKOMINFO,
     "Aplikasi khusus fungsi tertentu kota", "saat_ini", "", "",
     {"fungsi": "Platform e-government terpadu", "basis_aplikasi": "web", "tipe_lisensi": "open source",
      "basis_data": "PostgreSQL"}),
    ("aplikasi", "APL-05", "Portal Satu Data kota", DISKOMINFO, "Aplikasi khusus fungsi tertentu kota", "target", "",
     "Portal data terbuka", {"fungsi": "Publikasi data sektoral"}),
    ("infrastruktur", "INF-01", "Pusat data kota", DISKOMINFO, "Pusat komputasi (data center) kota", "keduanya",
     "Ruang server tier 1", "Migrasi bertahap ke PDN", {"jenis_objek": "fasilitas_komputasi", "lokasi": "Balai Kota",
                                                     "klasifikasi_tier": "tier 1", "bandwidth": "1 Gbps"}),
    ("infrastruktur", "INF-02", "Jaringan intra pemda (fiber optik)", DISKOMINFO, "Jaringan intra pemerintah kota",
     "saat_ini", "", "", {"jenis_objek": "jip", "bandwidth": "10 Gbps backbone"}),
    ("infrastruktur", "INF-03", "SPLP kota (API gateway)", DISKOMINFO, "Sistem penghubung layanan kota", "target", "",
     "Gateway terhubung SPLP nasional", {"jenis_objek": "splp"}),
    ("infrastruktur", "INF-04", "Server aplikasi kesehatan (cloud)", DINKES, "Layanan komputasi awan", "saat_ini", "",
     "", {"jenis_objek": "komputasi_awan", "tipe_government_cloud": "IaaS", "biaya_layanan": "96000000"}),
    ("infrastruktur", "INF-05", "Jaringan lokal Mal Pelayanan Publik", DPMPTSP, "Jaringan intra pemerintah kota",
     "saat_ini", "", "", {"jenis_objek": "jaringan", "lokasi": "Mal Pelayanan Publik"}),
    ("keamanan", "KAM-01", "Kebijakan keamanan informasi kota", DISKOMINFO, "Standar keamanan aplikasi kota",
     "saat_ini", "", "", {"jenis_objek": "standar_prosedur_regulasi"}),
    ("keamanan", "KAM-02", "Audit keamanan aplikasi", DISKOMINFO, "Kelaikan keamanan aplikasi kota", "keduanya",
     "Audit tidak rutin", "Audit tahunan (umum) dan dua tahunan (khusus)",
     {"jenis_objek": "audit_keamanan", "jenis_audit": "penetration test", "tindak_lanjut": "perbaikan kerentanan"}),
    ("keamanan", "KAM-03", "Penanganan insiden siber (CSIRT kota)", DISKOMINFO, "Penerapan keamanan infrastruktur kota",
     "keduanya", "CSIRT dibentuk", "CSIRT tersertifikasi", {"jenis_objek": "penanganan_insiden",
                                                             "nilai_kematangan": "2.5"}),
    ("keamanan", "KAM-04", "Enkripsi data pribadi pasien", DINKES, "Penerapan keamanan aplikasi kota", "target", "",
     "Data rekam medis terenkripsi", {"jenis_objek": "peningkatan_keamanan"}),
    ("keamanan", "KAM-05", "Edukasi kesadaran keamanan ASN", DISKOMINFO, "Standar keamanan aplikasi kota", "saat_ini",
     "", "", {"jenis_objek": "edukasi_kesadaran"}),
    ("aplikasi", "APL-06", "e-Office lama (digantikan)", BKAD, "Aplikasi khusus fungsi tertentu kota", "saat_ini", "",
     "", {"fungsi": "Surat-menyurat"}),
    ("data", "DAT-06", "Data aset daerah", BKAD, "Data kegiatan pemerintahan kota", "keduanya", "Spreadsheet",
     "Terintegrasi dengan aplikasi aset", {"sifat_data": "terbatas", "produsen_data": "BKAD"}),
]  # fmt: skip

RELASI = [
    ("LAY-01", "PB-01"), ("PB-01", "DAT-01"), ("DAT-01", "APL-01"), ("APL-01", "INF-01"), ("APL-01", "INF-02"),
    ("LAY-02", "PB-02"), ("PB-02", "DAT-02"), ("DAT-02", "APL-02"), ("APL-02", "INF-01"), ("APL-02", "INF-03"),
    ("APL-02", "INF-05"),
    ("LAY-03", "PB-03"), ("PB-03", "DAT-03"), ("DAT-03", "APL-03"), ("APL-03", "INF-04"), ("LAY-03", "APL-03"),
    ("LAY-04", "PB-04"), ("PB-04", "DAT-04"), ("DAT-04", "APL-04"), ("APL-04", "INF-01"), ("PB-04", "APL-04"),
    ("DAT-05", "APL-05"), ("PB-02", "DAT-01"),
    ("KAM-01", "APL-04"), ("KAM-02", "APL-01"), ("KAM-02", "APL-02"), ("KAM-02", "APL-03"), ("KAM-02", "APL-04"),
    ("KAM-03", "INF-01"), ("KAM-03", "INF-02"), ("KAM-04", "DAT-03"), ("KAM-05", "LAY-04"),
]  # fmt: skip

# (elemen, gap, [(need, unit, years from today)])
GAPS = [
    ("LAY-01", "Akta dan pindah datang masih lewat loket", [("Layanan pindah datang daring", DUKCAPIL, 1)]),
    ("PB-03", "Rekam medis belum elektronik", [("Rekam medis elektronik di 12 puskesmas", DINKES, 1),
                                               ("Integrasi SIMPUS ke SATUSEHAT", DINKES, 2)]),
    ("APL-02", "Pertukaran data perizinan masih manual", [("Integrasi perizinan lewat SPLP kota", DPMPTSP, 1)]),
    ("INF-01", "Ruang server tanpa redundansi daya dan pendingin", [("Migrasi layanan ke PDN", DISKOMINFO, 2)]),
    ("KAM-02", "Audit keamanan belum terjadwal", [("Audit keamanan tahunan aplikasi umum dan khusus", DISKOMINFO, 0)]),
    ("DAT-03", "Data pasien belum terenkripsi", [("Enkripsi basis data SIMPUS", DINKES, 1)]),
]  # fmt: skip

# (muatan, nama, year offset, until offset, unit, output target, cost, status, elements, need)
RENCANA = [
    ("tata_kelola", "Penetapan Perwali Arsitektur SPBE", -1, -1, DISKOMINFO, "1 Perwali", "75000000", "selesai",
     ["LAY-04"], None),
    ("tata_kelola", "Reviu Peta Rencana SPBE", 1, 1, DISKOMINFO, "1 dokumen reviu", "50000000", "rencana", [], None),
    ("tata_kelola", "Forum Tim Koordinasi SPBE", 0, 3, DISKOMINFO, "4 rapat per tahun", "40000000", "berjalan", [],
     None),
    ("manajemen", "Manajemen risiko SPBE", 0, 1, DISKOMINFO, "Register risiko SPBE", "60000000", "berjalan",
     ["INF-01"], None),
    ("manajemen", "Manajemen data (Satu Data kota)", 1, 2, DISKOMINFO, "Portal Satu Data", "250000000", "rencana",
     ["DAT-05", "APL-05"], None),
    ("manajemen", "Manajemen aset TIK", 2, 2, BKAD, "Inventaris aset TIK", "80000000", "rencana", ["DAT-06"], None),
    ("layanan", "Layanan adminduk daring tahap 2", 1, 1, DUKCAPIL, "Pindah datang daring", "300000000", "rencana",
     ["LAY-01", "PB-01"], "Layanan pindah datang daring"),
    ("layanan", "Pendaftaran puskesmas daring", 0, 1, DINKES, "12 puskesmas", "450000000", "berjalan", ["LAY-03"],
     None),
    ("layanan", "Perizinan berusaha tanpa tatap muka", 2, 3, DPMPTSP, "100% izin daring", "200000000", "rencana",
     ["LAY-02"], None),
    ("infrastruktur", "Pembangunan SPLP kota", 0, 1, DISKOMINFO, "API gateway terhubung SPLP nasional", "600000000",
     "berjalan", ["INF-03"], "Integrasi perizinan lewat SPLP kota"),
    ("infrastruktur", "Migrasi layanan ke PDN", 2, 3, DISKOMINFO, "80% aplikasi di PDN", "900000000", "rencana",
     ["INF-01"], "Migrasi layanan ke PDN"),
    ("infrastruktur", "Penguatan jaringan intra pemda", -1, 0, DISKOMINFO, "Backbone 10 Gbps", "1200000000", "selesai",
     ["INF-02"], None),
    ("aplikasi", "Rekam medis elektronik puskesmas", 1, 2, DINKES, "RME di 12 puskesmas", "750000000", "rencana",
     ["APL-03", "PB-03", "DAT-03"], "Rekam medis elektronik di 12 puskesmas"),
    ("aplikasi", "Integrasi SIMPUS–SATUSEHAT", 2, 2, DINKES, "SIMPUS terhubung SATUSEHAT", "250000000", "rencana",
     ["APL-03"], "Integrasi SIMPUS ke SATUSEHAT"),
    ("aplikasi", "Integrasi aplikasi perizinan via SPLP", 1, 1, DPMPTSP, "Pertukaran data otomatis", "150000000",
     "rencana", ["APL-02"], "Integrasi perizinan lewat SPLP kota"),
    ("aplikasi", "Pengembangan e-Office lama", 0, 0, BKAD, "Modul disposisi", "100000000", "ditunda", ["APL-06"],
     None),
    ("keamanan", "Sertifikasi CSIRT kota", 1, 2, DISKOMINFO, "CSIRT tersertifikasi", "180000000", "rencana",
     ["KAM-03"], None),
    ("keamanan", "Enkripsi data pasien", 1, 1, DINKES, "Basis data terenkripsi", "120000000", "rencana",
     ["KAM-04", "DAT-03"], "Enkripsi basis data SIMPUS"),
    ("audit_tik", "Audit keamanan aplikasi umum", 0, 0, DISKOMINFO, "3 aplikasi diaudit", "90000000", "berjalan",
     ["KAM-02", "APL-01"], "Audit keamanan tahunan aplikasi umum dan khusus"),
    ("audit_tik", "Audit keamanan aplikasi khusus", 1, 1, DISKOMINFO, "4 aplikasi diaudit", "120000000", "rencana",
     ["KAM-02", "APL-02", "APL-03", "APL-04"], None),
    ("audit_tik", "Audit infrastruktur TIK", 3, 3, DISKOMINFO, "Laporan audit infrastruktur", "150000000", "rencana",
     ["INF-01", "INF-02"], None),
]  # fmt: skip


def _unit(kode):
    from terpadu.organisasi.models import UnitKerja

    return UnitKerja.objects.filter(kode=kode).first()


def referensi(kode: str):
    """A reference code of the current edition (national or the city's), by code."""
    from terpadu.spbe import services_arsitektur as services

    return services.referensi(kode)


def elemen(kode: str):
    """A demo architecture element by its code (codes are unique across domains in the demo: LAY-01, APL-03 …)."""
    from terpadu.spbe.models import ElemenArsitektur

    return ElemenArsitektur.objects.get(kode=kode)


def rencana(nama: str):
    from terpadu.spbe.models import PetaRencanaItem

    return PetaRencanaItem.objects.get(nama=nama)


def _planning_links(today):
    """The RPJMD sasaran on SPBE and a Diskominfo sub kegiatan of this year, where the planning demo made them."""
    from terpadu.perencanaan.models import RenjaSubKegiatan, Sasaran

    sasaran = Sasaran.objects.filter(uraian__icontains="SPBE").first()
    sub = RenjaSubKegiatan.objects.filter(unit__kode=DISKOMINFO, tahun=today.year).first()
    return sasaran, sub


def seed(today) -> None:
    from terpadu.spbe import services_arsitektur as services
    from terpadu.spbe.models import ElemenArsitektur

    if ElemenArsitektur.objects.exists():
        return
    if services.current_versi() is None:
        services.load_reference(min(EDITION_YEAR, today.year), nama="Referensi Arsitektur SPBE Nasional 2020–2024",
                                dasar_hukum="Perpres 132/2022 tentang Arsitektur SPBE Nasional")  # fmt: skip
    codes = {}
    for parent, nama in CITY_CODES:
        codes[nama] = services.tambah_kode_kota(parent, nama)
    units = {kode: _unit(kode) for kode in (DISKOMINFO, DUKCAPIL, DPMPTSP, DINKES, BKAD)}
    sasaran, sub = _planning_links(today)
    made = {}
    for domain, kode, nama, unit, ref, status, now, target, metadata in ELEMEN:
        data = {"domain": domain, "kode": kode, "nama": nama, "uraian": nama, "unit": units[unit],
                "referensi": codes[ref], "status": status, "kondisi_saat_ini": now, "kondisi_target": target,
                "metadata": metadata}  # fmt: skip
        if unit == DISKOMINFO and domain in ("layanan", "proses_bisnis"):
            data.update({"sasaran": sasaran, "sub_kegiatan": sub})
        made[kode] = services.simpan_elemen(data)
    for dari, ke in RELASI:
        services.tambah_relasi(made[dari], made[ke])
    needs = {}
    for kode, uraian, kebutuhan in GAPS:
        gap = services.catat_kesenjangan(made[kode], {"uraian": uraian})
        for need, unit, offset in kebutuhan:
            needs[need] = services.catat_kebutuhan(
                gap, {"uraian": need, "unit": units[unit], "tahun_target": today.year + offset}
            )
    for muatan, nama, start, until, unit, target, cost, status, elements, need in RENCANA:
        services.simpan_rencana({
            "muatan": muatan, "nama": nama, "tahun": today.year + start, "tahun_selesai": today.year + until,
            "unit": units[unit], "target_keluaran": target, "perkiraan_biaya": Decimal(cost), "status": status,
            "elemen": [made[k] for k in elements], "kebutuhan": needs.get(need),
        })  # fmt: skip
    # the old e-Office is being replaced: retired, so its roadmap item is flagged
    services.pensiunkan_elemen(made["APL-06"], "Digantikan Terpadu (APL-04) dan SRIKANDI")
