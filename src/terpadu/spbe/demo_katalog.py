"""Demo data of the katalog part, written through the services (see core/management/commands/demo.py).

Kota Sukamaju's application catalogue: the national applications (reference data), about forty city
applications across the OPDs — aplikasi umum in use (SRIKANDI, SP4N-LAPOR!, SIPD, SIASN …), aplikasi khusus
including the classic findings (an e-Office next to SRIKANDI, an application without an owner, one without a
layanan, one stopped 14 months after going live, stale security audits), Terpadu itself —, their data with
classification and the integrations between them. Dates are relative to `today`.
"""

from __future__ import annotations

from terpadu.spbe import services_katalog
from terpadu.spbe.services_katalog import _add_months

# (nama, singkatan, jenis, national app, unit kode or name, bidang, fungsi, pengguna, hosting, teknologi,
#  status, (usulan, operasi, dihentikan, audit) in months before today (None = empty), time, layanan keyword,
#  data [(nama, klasifikasi)])
APPS = [
    ("SRIKANDI", "", "umum", "SRIKANDI", "401.115", "Kearsipan Dinamis",
     "Naskah dinas elektronik dan kearsipan dinamis terintegrasi (aplikasi umum ANRI).", "Seluruh ASN", "nasional",
     "Layanan nasional ANRI", "operasi", (44, 40, None, None), "invest", "naskah",
     [("Naskah dinas", "terbatas"), ("Daftar arsip dinamis", "terbatas")]),
    ("SP4N-LAPOR!", "LAPOR", "umum", "SP4N-LAPOR!", "401.106", "pengaduan pelayanan publik",
     "Pengelolaan pengaduan pelayanan publik nasional.", "Masyarakat, admin OPD", "nasional", "Layanan nasional",
     "operasi", (64, 60, None, None), "invest", "pengaduan", [("Laporan pengaduan", "pribadi")]),
    ("SIPD-RI", "SIPD", "umum", "SIPD / SIPD-RI", "401.202", "perencanaan, penganggaran, keuangan daerah",
     "Perencanaan, penganggaran dan penatausahaan keuangan daerah (Kemendagri).", "Bappeda, BKAD, OPD", "nasional",
     "Layanan nasional Kemendagri", "operasi", (40, 36, None, None), "tolerate", "anggaran",
     [("RKA dan DPA", "terbatas")]),
    ("SIASN", "", "umum", "SIASN", "401.204", "kepegawaian", "Sistem informasi ASN nasional (BKN).", "BKPSDM",
     "nasional", "Layanan nasional BKN", "operasi", (34, 30, None, None), "invest", "kepegawaian",
     [("Data ASN", "pribadi")]),
    ("SPSE Kota Sukamaju", "LPSE", "umum", "SPSE/LPSE", "Bagian Pengadaan Barang dan Jasa", "pengadaan",
     "Pengadaan barang/jasa secara elektronik (SPSE LKPP, instance LPSE kota).", "Pokja, penyedia", "dc_kota",
     "SPSE 4.5 (LKPP)", "operasi", (80, 76, None, 8), "tolerate", "pengadaan", [("Data tender", "terbuka")]),
    ("e-Kinerja BKN", "", "umum", "e-Kinerja BKN", "401.204", "kinerja ASN", "Penilaian kinerja ASN (SKP) BKN.",
     "Seluruh ASN", "nasional", "Layanan nasional BKN", "operasi", (30, 28, None, None), "tolerate", "kinerja",
     [("SKP pegawai", "pribadi")]),
    ("Terpadu", "", "khusus", None, "401.106", "",
     "Platform e-government terintegrasi: perencanaan, anggaran, kontrak, realisasi, monev, tata kelola SPBE.",
     "Seluruh OPD", "dc_kota", "Python, Django, PostgreSQL", "operasi", (16, 10, None, 3), "invest", "perencanaan",
     [("Rencana dan anggaran", "terbatas"), ("Jejak audit", "terbatas")]),
    ("e-Office Dinkes", "", "khusus", None, "401.102", "",
     "Persuratan elektronik dan disposisi internal Dinas Kesehatan.", "Pegawai Dinkes", "dc_kota", "PHP, MySQL",
     "operasi", (30, 26, None, 30), "migrate", "naskah", [("Surat masuk dan keluar", "terbatas")]),
    ("Sistem Persuratan Kecamatan", "e-Surat Kec", "khusus", None, "401.301", "Kearsipan Dinamis",
     "Surat keluar dan surat masuk kecamatan dan kelurahan.", "Kecamatan, kelurahan", "cloud", "PHP, MySQL",
     "operasi", (50, 46, None, 14), "eliminate", "naskah", [("Surat keterangan warga", "pribadi")]),
    ("Sukamaju Lapor", "", "khusus", None, "401.106", "", "Kanal aduan masyarakat kota melalui web dan WhatsApp.",
     "Masyarakat", "cloud", "Laravel, MySQL", "operasi", (54, 50, None, 20), "eliminate", "pengaduan",
     [("Aduan warga", "pribadi")]),
    ("SIMPEG Kota Sukamaju", "SIMPEG", "khusus", None, "401.204", "kepegawaian",
     "Data pegawai, mutasi dan kenaikan pangkat.", "BKPSDM, OPD", "dc_kota", "PHP, PostgreSQL", "operasi",
     (100, 96, None, 20), "migrate", "kepegawaian", [("Data pegawai", "pribadi")]),
    ("e-Kinerja Kota (TPP)", "", "khusus", None, "401.204", "", "Perhitungan TPP berdasarkan e-kinerja pegawai.",
     "Seluruh ASN", "dc_kota", "Laravel, PostgreSQL", "operasi", (40, 36, None, 12), "tolerate", "kinerja",
     [("Capaian kinerja pegawai", "pribadi")]),
    ("Portal Satu Data Sukamaju", "", "khusus", None, "401.106", "", "Katalog dan portal data terbuka kota.",
     "Masyarakat, OPD", "dc_kota", "CKAN", "operasi", (42, 38, None, 6), "invest", "data",
     [("Dataset sektoral", "terbuka")]),
    ("SPLP Kota Sukamaju", "SPLP", "khusus", None, "401.106", "", "Sistem penghubung layanan (API gateway) kota.",
     "Aplikasi OPD", "dc_kota", "WSO2 API Manager", "operasi", (36, 32, None, 10), "invest", "integrasi", []),
    ("SSO Kota Sukamaju", "SSO", "khusus", None, "401.106", "", "Single sign-on pegawai untuk aplikasi kota.",
     "Seluruh ASN", "dc_kota", "Keycloak", "operasi", (30, 26, None, 10), "invest", "integrasi",
     [("Akun pegawai", "pribadi")]),
    ("Website Resmi Pemkot", "", "khusus", None, "401.106", "", "Portal informasi dan berita resmi kota.",
     "Masyarakat", "pdn", "WordPress", "operasi", (90, 88, None, 11), "tolerate", "informasi",
     [("Berita", "terbuka")]),
    ("SIMPATDA", "", "khusus", None, "401.203", "", "Pendataan, penetapan dan pembayaran pajak daerah.",
     "Bapenda, wajib pajak", "dc_kota", "Java, Oracle", "operasi", (70, 66, None, 6), "invest", "pajak",
     [("Data wajib pajak", "pribadi")]),
    ("e-BPHTB", "", "khusus", None, "401.203", "", "Validasi dan pembayaran BPHTB secara daring.",
     "Notaris, wajib pajak", "dc_kota", "PHP, PostgreSQL", "operasi", (48, 44, None, 30), "migrate", "pajak",
     [("Transaksi BPHTB", "pribadi")]),
    ("SIMDA BMD", "", "khusus", None, "401.202", "", "Penatausahaan barang milik daerah.", "BKAD, pengurus barang",
     "dc_kota", "VB.NET, SQL Server", "operasi", (120, 116, None, 40), "migrate", "aset",
     [("Daftar aset", "terbatas")]),
    ("e-Perizinan Sukamaju", "", "khusus", None, "401.111", "", "Permohonan dan penerbitan izin daerah.",
     "Pemohon, DPMPTSP", "pdn", "Laravel, PostgreSQL", "operasi", (40, 36, None, 9), "invest", "perizinan",
     [("Berkas permohonan izin", "pribadi")]),
    ("Antrean Online Dukcapil", "", "khusus", None, "401.107", "", "Pendaftaran antrean layanan adminduk.",
     "Masyarakat", "cloud", "Node.js, MongoDB", "operasi", (26, 22, None, 18), "tolerate", "kependudukan",
     [("Data pemohon", "pribadi")]),
    ("SIKS Kota", "", "khusus", None, "401.105", "", "Data terpadu kesejahteraan sosial tingkat kota.",
     "Dinsos, kelurahan", "dc_kota", "PHP, MySQL", "operasi", (60, 56, None, 22), "tolerate", "sosial",
     [("Data keluarga penerima", "pribadi")]),
    ("PPDB Online", "", "khusus", None, "401.101", "", "Penerimaan peserta didik baru SD dan SMP.",
     "Orang tua, sekolah", "cloud", "Laravel, MySQL", "operasi", (38, 34, None, None), "tolerate", "pendidikan",
     [("Data calon peserta didik", "pribadi")]),
    ("Parkir Elektronik", "e-Parkir", "khusus", None, "401.108", "", "Pembayaran retribusi parkir non-tunai.",
     "Juru parkir, masyarakat", "pihak_ketiga", "Aplikasi vendor", "dihentikan", (40, 30, 16, 28), "eliminate",
     "retribusi", [("Transaksi parkir", "terbatas")]),
    ("Aplikasi Bank Sampah", "", "khusus", None, "401.109", "", "Pencatatan tabungan bank sampah warga.",
     "Pengelola bank sampah", "cloud", "Flutter, Firebase", "operasi", (24, 20, None, 12), "tolerate", None,
     [("Nasabah bank sampah", "pribadi")]),
    ("Dashboard Pandemi", "", "khusus", None, "401.102", "", "Pemantauan kasus dan vaksinasi.", "Dinkes, publik",
     "cloud", "Grafana", "dihentikan", (70, 68, 38, 50), "eliminate", "kesehatan", [("Rekap kasus", "terbuka")]),
    ("SIMPUS", "", "khusus", None, "401.102", "", "Rekam medis dan pelayanan puskesmas.", "Puskesmas",
     "dc_kota", "PHP, PostgreSQL", "operasi", (64, 60, None, 20), "migrate", "kesehatan",
     [("Rekam medis", "rahasia")]),
    ("INLISLite Perpustakaan", "", "khusus", None, "401.115", "", "Otomasi perpustakaan daerah.",
     "Pustakawan, anggota", "dc_kota", "INLISLite (Perpusnas)", "operasi", (72, 70, None, 26), "tolerate",
     "perpustakaan", [("Anggota perpustakaan", "pribadi")]),
    ("e-Musrenbang", "", "khusus", None, "401.201", "", "Usulan musrenbang kelurahan sampai kota.",
     "Kelurahan, kecamatan, Bappeda", "dc_kota", "PHP, MySQL", "operasi", (60, 58, None, 23), "migrate",
     "perencanaan", [("Usulan musrenbang", "terbuka")]),
    ("e-Monev Pembangunan", "", "khusus", None, "401.201", "", "Monitoring realisasi fisik dan keuangan kegiatan.",
     "Bappeda, OPD", "dc_kota", "PHP, MySQL", "operasi", (84, 80, None, 30), "eliminate", "monev",
     [("Realisasi kegiatan", "terbatas")]),
    ("Absensi Online ASN", "", "khusus", None, "401.204", "", "Presensi pegawai berbasis lokasi.", "Seluruh ASN",
     "cloud", "Android, Laravel", "operasi", (28, 24, None, 12), "tolerate", "kepegawaian",
     [("Presensi pegawai", "pribadi")]),
    ("Sistem Informasi Kebencanaan", "", "khusus", None, "401.205", "", "Peta rawan bencana dan laporan kejadian.",
     "BPBD, masyarakat", "pdn", "GeoNode", "pengembangan", (8, None, None, None), "invest", "bencana", []),
    ("Aplikasi Wisata Sukamaju", "", "khusus", None, "401.114", "", "Informasi destinasi dan agenda wisata.",
     "Wisatawan", "", "", "usulan", (2, None, None, None), "", "pariwisata", []),
    ("Kios Informasi Balai Kota", "", "khusus", None, None, "", "Layar informasi layanan di lobi balai kota.",
     "Pengunjung", "dc_kota", "Aplikasi vendor (kode sumber tidak ada)", "operasi", (110, 108, None, None),
     "eliminate", "informasi", []),
    ("SIM Pasar", "", "khusus", None, "401.110", "", "Retribusi dan data pedagang pasar rakyat.", "Pengelola pasar",
     "dc_kota", "PHP, MySQL", "operasi", (50, 46, None, 30), "migrate", "retribusi",
     [("Data pedagang", "pribadi")]),
    ("Panggilan Darurat Damkar", "", "khusus", None, "401.117", "", "Pelaporan kebakaran dan pelacakan armada.",
     "Masyarakat, Damkar", "pdn", "Laravel, PostgreSQL", "pengembangan", (6, None, None, None), "invest",
     "darurat", []),
    ("SI Ketahanan Pangan", "", "khusus", None, "401.112", "", "Harga pangan dan stok komoditas.", "DKPP, publik",
     "dc_kota", "PHP, MySQL", "operasi", (40, 37, None, 15), "tolerate", "pangan", [("Harga komoditas", "terbuka")]),
    ("Bursa Kerja Online", "", "khusus", None, "401.116", "", "Lowongan kerja dan pencari kerja kota.",
     "Pencari kerja, perusahaan", "cloud", "WordPress", "operasi", (36, 33, None, 25), "tolerate", "tenaga kerja",
     [("Pencari kerja", "pribadi")]),
    ("SIPKD Lama", "", "khusus", None, "401.202", "", "Penatausahaan keuangan daerah (sebelum SIPD).", "BKAD",
     "dc_kota", "Delphi, SQL Server", "dihentikan", (150, 146, 30, 60), "eliminate", "anggaran",
     [("Arsip SPM/SP2D", "terbatas")]),
    ("Sistem Informasi Posyandu", "", "khusus", None, "401.113", "", "Pencatatan tumbuh kembang balita.",
     "Kader posyandu", "cloud", "Android, Firebase", "operasi", (20, 16, None, None), "invest", "kesehatan",
     [("Data balita", "pribadi")]),
]  # fmt: skip

INTEGRATIONS = [
    ("Terpadu", "SIPD-RI", "splp", "Kode rekening, nomenklatur, RKA"),
    ("Terpadu", "SRIKANDI", "api", "Naskah keluar yang ditandatangani"),
    ("Terpadu", "SSO Kota Sukamaju", "sso", ""),
    ("e-Perizinan Sukamaju", "SPLP Kota Sukamaju", "splp", "Status izin"),
    ("SIMPATDA", "SPLP Kota Sukamaju", "splp", "Data wajib pajak"),
    ("SIMPATDA", "SIPD-RI", "berkas", "Realisasi pendapatan"),
    ("e-BPHTB", "SIMPATDA", "basis_data", ""),
    ("SIMPEG Kota Sukamaju", "SIASN", "api", "Sinkronisasi data ASN"),
    ("e-Kinerja Kota (TPP)", "SIMPEG Kota Sukamaju", "basis_data", ""),
    ("Absensi Online ASN", "e-Kinerja Kota (TPP)", "api", "Presensi untuk TPP"),
    ("Portal Satu Data Sukamaju", "SPLP Kota Sukamaju", "splp", "Dataset sektoral"),
    ("SIKS Kota", "Portal Satu Data Sukamaju", "splp", "Data agregat"),
    ("SI Ketahanan Pangan", "Portal Satu Data Sukamaju", "splp", "Harga pangan"),
    ("Antrean Online Dukcapil", "SSO Kota Sukamaju", "sso", ""),
    ("Sukamaju Lapor", "SP4N-LAPOR!", "berkas", "Rekap bulanan (manual)"),
    ("SIMPUS", "SPLP Kota Sukamaju", "splp", "Kunjungan puskesmas"),
    ("e-Musrenbang", "Terpadu", "api", "Usulan ke Renja"),
]


def _unit(key):
    from terpadu.organisasi.models import UnitKerja

    if key is None:
        return None
    return UnitKerja.objects.filter(kode=key).first() or UnitKerja.objects.filter(nama=key).first()


def _layanan(keyword, unit):
    """A layanan element of the arsitektur demo: through demo_arsitektur.elemen(kode) when it offers one,
    else by name, else the owner's first layanan (the katalog can run without the architecture)."""
    from terpadu.spbe.models import Domain, ElemenArsitektur

    if keyword is None:
        return []
    try:
        from terpadu.spbe import demo_arsitektur

        finder = getattr(demo_arsitektur, "elemen", None)
        found = finder(keyword) if finder else None
        if isinstance(found, ElemenArsitektur) and found.domain == Domain.LAYANAN:
            return [found]
    except Exception:  # noqa: BLE001, S110 — the other part's helper may not know the keyword: search by name
        found = None
    layanan = ElemenArsitektur.objects.filter(domain=Domain.LAYANAN).exclude(status=ElemenArsitektur.Status.DIHENTIKAN)
    match = layanan.filter(nama__icontains=keyword).order_by("kode").first()
    if match is None and unit is not None:
        match = layanan.filter(unit=unit).order_by("kode").first()
    return [match] if match else []


def seed(today) -> None:
    from terpadu.spbe.models import Aplikasi, AplikasiNasional

    services_katalog.load_national_apps()
    nasional = {n.nama: n for n in AplikasiNasional.objects.all()}
    made: dict[str, Aplikasi] = {a.nama: a for a in Aplikasi.objects.all()}
    for row in APPS:
        (nama, singkatan, jenis, nas, unit_key, bidang, fungsi, pengguna, hosting, teknologi, status, months, time,
         keyword, data) = row  # fmt: skip
        if nama in made:
            continue
        unit = _unit(unit_key)
        if unit_key is not None and unit is None:
            continue  # a unit the demo city does not have
        usulan, operasi, berhenti, audit_m = (_add_months(today, -m) if m is not None else None for m in months)
        values = {
            "nama": nama, "singkatan": singkatan, "jenis": jenis,
            "aplikasi_nasional": nasional.get(nas) if nas else None, "unit": unit, "fungsi_bisnis": fungsi,
            "bidang": bidang, "pengguna": pengguna, "hosting": hosting,
            "teknologi": teknologi, "status": status, "tanggal_usulan": usulan, "tanggal_operasi": operasi,
            "tanggal_dihentikan": berhenti, "audit_keamanan_terakhir": audit_m, "time": time,
            "url": f"https://{(singkatan or nama).lower().replace(' ', '-').replace('!', '')[:30]}.sukamajukota.go.id"
            if jenis == "khusus" else "",
        }  # fmt: skip
        aplikasi = services_katalog.create_aplikasi(None, values, _layanan(keyword, unit))
        for data_nama, klasifikasi in data:
            services_katalog.add_data(None, aplikasi, data_nama, klasifikasi)
        made[nama] = aplikasi
    for dari, ke, metode, keterangan in INTEGRATIONS:
        if dari in made and ke in made and not made[dari].integrasi_keluar.filter(ke=made[ke], metode=metode).exists():
            services_katalog.add_integrasi(None, made[dari], made[ke], metode, keterangan)
