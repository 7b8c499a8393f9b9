"""The demo city: Pemerintah Kota Sukamaju (fictional), with a realistic structure and staff.

`build_city()` writes through the organisation services (so the demo also fills the audit trail).
The benchmark generator reuses it with `scale` to build larger cities.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction

from terpadu.organisasi import services as org
from terpadu.organisasi.models import Jabatan, Pegawai, UnitKerja
from terpadu.organisasi.nip import make_nip

BIDANG_DEFAULT = ["Perencanaan dan Evaluasi", "Pelayanan", "Pengembangan"]
DINAS = [
    # (kode, nama, singkatan, bidang)
    ("401.101", "Dinas Pendidikan dan Kebudayaan", "Disdikbud", ["Pembinaan SD", "Pembinaan SMP", "Kebudayaan"]),
    (
        "401.102",
        "Dinas Kesehatan",
        "Dinkes",
        ["Kesehatan Masyarakat", "Pencegahan dan Pengendalian Penyakit", "Pelayanan dan Sumber Daya Kesehatan"],
    ),
    (
        "401.103",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "DPUPR",
        ["Bina Marga", "Sumber Daya Air", "Penataan Ruang"],
    ),
    (
        "401.104",
        "Dinas Perumahan dan Kawasan Permukiman",
        "Disperkim",
        ["Perumahan", "Kawasan Permukiman", "Pertamanan"],
    ),
    (
        "401.105",
        "Dinas Sosial",
        "Dinsos",
        ["Rehabilitasi Sosial", "Perlindungan dan Jaminan Sosial", "Pemberdayaan Sosial"],
    ),
    (
        "401.106",
        "Dinas Komunikasi dan Informatika",
        "Diskominfo",
        ["Informasi dan Komunikasi Publik", "Aplikasi Informatika", "Statistik dan Persandian"],
    ),
    (
        "401.107",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Disdukcapil",
        [
            "Pelayanan Pendaftaran Penduduk",
            "Pelayanan Pencatatan Sipil",
            "Pengelolaan Informasi Administrasi Kependudukan",
        ],
    ),
    ("401.108", "Dinas Perhubungan", "Dishub", ["Lalu Lintas", "Angkutan", "Sarana dan Prasarana"]),
    ("401.109", "Dinas Lingkungan Hidup", "DLH", ["Tata Lingkungan", "Pengelolaan Sampah", "Pengendalian Pencemaran"]),
    (
        "401.110",
        "Dinas Koperasi, Usaha Mikro dan Perdagangan",
        "Diskopumdag",
        ["Koperasi", "Usaha Mikro", "Perdagangan"],
    ),
    (
        "401.111",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "DPMPTSP",
        ["Penanaman Modal", "Pelayanan Perizinan", "Pengaduan dan Informasi"],
    ),
    ("401.112", "Dinas Ketahanan Pangan dan Pertanian", "DKPP", ["Ketahanan Pangan", "Pertanian", "Peternakan"]),
    (
        "401.113",
        "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana",
        "DP3AP2KB",
        ["Pemberdayaan Perempuan", "Perlindungan Anak", "Keluarga Berencana"],
    ),
    ("401.114", "Dinas Kepemudaan, Olahraga dan Pariwisata", "Disporapar", ["Kepemudaan", "Olahraga", "Pariwisata"]),
    ("401.115", "Dinas Perpustakaan dan Kearsipan", "Dispusip", ["Perpustakaan", "Kearsipan", "Pelestarian"]),
    (
        "401.116",
        "Dinas Tenaga Kerja",
        "Disnaker",
        ["Pelatihan dan Produktivitas", "Penempatan Tenaga Kerja", "Hubungan Industrial"],
    ),
    ("401.117", "Dinas Pemadam Kebakaran dan Penyelamatan", "Damkar", ["Pencegahan", "Pemadaman", "Penyelamatan"]),
]
BADAN = [
    (
        "401.201",
        "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah",
        "Bappedalitbang",
        ["Perencanaan dan Evaluasi", "Perekonomian dan SDA", "Riset dan Inovasi"],
    ),
    ("401.202", "Badan Keuangan dan Aset Daerah", "BKAD", ["Anggaran", "Perbendaharaan", "Aset"]),
    ("401.203", "Badan Pendapatan Daerah", "Bapenda", ["Pendataan dan Penetapan", "Penagihan", "Pengembangan"]),
    (
        "401.204",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "BKPSDM",
        ["Mutasi dan Promosi", "Pengembangan Kompetensi", "Penilaian Kinerja"],
    ),
    (
        "401.205",
        "Badan Penanggulangan Bencana Daerah",
        "BPBD",
        ["Pencegahan dan Kesiapsiagaan", "Kedaruratan", "Rehabilitasi dan Rekonstruksi"],
    ),
    (
        "401.206",
        "Badan Kesatuan Bangsa dan Politik",
        "Bakesbangpol",
        ["Ideologi dan Wawasan Kebangsaan", "Politik Dalam Negeri", "Ketahanan Masyarakat"],
    ),
]
ASISTEN = [
    (
        "100.1",
        "Asisten Pemerintahan dan Kesejahteraan Rakyat",
        ["Bagian Pemerintahan", "Bagian Hukum", "Bagian Kesejahteraan Rakyat"],
    ),
    (
        "100.2",
        "Asisten Perekonomian dan Pembangunan",
        ["Bagian Perekonomian", "Bagian Administrasi Pembangunan", "Bagian Pengadaan Barang dan Jasa"],
    ),
    (
        "100.3",
        "Asisten Administrasi Umum",
        ["Bagian Umum", "Bagian Organisasi", "Bagian Protokol dan Komunikasi Pimpinan"],
    ),
]
KECAMATAN = [
    ("401.301", "Kecamatan Sukamaju Utara", ["Tegalsari", "Kebonagung", "Mojorejo", "Sumberjo"]),
    ("401.302", "Kecamatan Sukamaju Selatan", ["Banjarsari", "Karanganyar", "Pandean", "Rejomulyo", "Kuncen"]),
    ("401.303", "Kecamatan Sukamaju Timur", ["Manguharjo", "Nambangan", "Sogaten", "Winongo"]),
    ("401.304", "Kecamatan Sukamaju Barat", ["Josenan", "Kejuron", "Klegen", "Oro-oro Ombo"]),
]
FIRST_M = [
    "Agus",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Hadi",
    "Imam",
    "Joko",
    "Kurniawan",
    "Lukman",
    "Muhammad",
    "Nur",
    "Rudi",
    "Slamet",
    "Teguh",
    "Wahyu",
    "Yusuf",
    "Arif",
    "Bambang",
    "Dwi",
    "Hendra",
    "Irfan",
    "Rizky",
    "Sigit",
]
FIRST_F = [
    "Ani",
    "Dewi",
    "Endang",
    "Fitri",
    "Indah",
    "Kartika",
    "Lestari",
    "Maya",
    "Nurul",
    "Ratna",
    "Sri",
    "Tri",
    "Wulan",
    "Yuni",
    "Ayu",
    "Dian",
    "Erna",
    "Hesti",
    "Ika",
    "Rina",
    "Siti",
    "Utami",
    "Winda",
    "Zahra",
]
LAST = [
    "Santoso",
    "Wibowo",
    "Susanto",
    "Hidayat",
    "Prasetyo",
    "Saputra",
    "Kusuma",
    "Nugroho",
    "Setiawan",
    "Rahmawati",
    "Handayani",
    "Wulandari",
    "Purnomo",
    "Siregar",
    "Nasution",
    "Utomo",
    "Firmansyah",
    "Permana",
    "Maharani",
    "Pratiwi",
    "Suryani",
    "Hartono",
    "Gunawan",
    "Lubis",
]
GELAR_BELAKANG = [
    "S.Sos.",
    "S.H.",
    "S.E.",
    "S.Kom.",
    "S.T.",
    "S.Pd.",
    "M.Si.",
    "M.M.",
    "S.Kep., Ns.",
    "M.A.P.",
    "S.STP., M.Si.",
    "A.Md.",
]


@dataclass
class Built:
    units: list[UnitKerja] = field(default_factory=list)
    heads: dict[str, Jabatan] = field(default_factory=dict)  # unit kode -> head position
    staff: dict[str, list[Jabatan]] = field(default_factory=dict)  # unit kode -> staff positions
    pegawai: list[Pegawai] = field(default_factory=list)


class CityBuilder:
    def __init__(
        self,
        seed: int = 2026,
        scale: int = 1,
        today: dt.date | None = None,
        *,
        opd_copies: int | None = None,
        seksi_per_bidang: int | None = None,
    ):
        self.random = random.Random(seed)
        self.scale = scale
        # The benchmark sets these two directly; by default both follow `scale` (the demo: 1 and 0).
        self.opd_copies = scale if opd_copies is None else opd_copies
        self.seksi_per_bidang = max(0, scale - 1) if seksi_per_bidang is None else seksi_per_bidang
        self.today = today or dt.date.today()
        self.built = Built()
        self.used_nips: set[str] = set()

    # -- structure -----------------------------------------------------------------------

    def unit(self, parent, kode, nama, jenis, singkatan="", **extra) -> UnitKerja:
        unit = org.create_unit(
            {
                "parent": parent,
                "kode": kode,
                "nama": nama,
                "jenis": jenis,
                "singkatan": singkatan,
                "valid_from": dt.date(2021, 1, 1),
                **extra,
            }
        )
        self.built.units.append(unit)
        return unit

    def head(self, unit, nama, eselon, jenis=Jabatan.Jenis.STRUKTURAL) -> Jabatan:
        jabatan = org.create_jabatan(
            {
                "unit": unit,
                "kode": f"J-{unit.kode}",
                "nama": nama,
                "jenis": jenis,
                "eselon": eselon,
                "is_kepala_unit": True,
            }
        )
        self.built.heads[unit.kode] = jabatan
        return jabatan

    def staff_position(self, unit, nama, jenis, n: int) -> Jabatan:
        jabatan = org.create_jabatan({"unit": unit, "kode": f"J-{unit.kode}-{n}", "nama": nama, "jenis": jenis})
        self.built.staff.setdefault(unit.kode, []).append(jabatan)
        return jabatan

    def opd_with_bidang(self, root, kode, nama, singkatan, bidang, jenis, copy: int = 0):
        suffix = f" {copy + 1}" if copy else ""
        kode = f"{kode}-{copy + 1}" if copy else kode  # "401.101.1" would clash with the sekretariat
        opd = self.unit(
            root,
            kode,
            f"{nama}{suffix}",
            jenis,
            singkatan,
            alamat=f"Jl. Pahlawan No. {self.random.randint(1, 120)}, Sukamaju",
        )
        title = "Kepala Badan" if jenis == "badan" else "Kepala Dinas"
        self.head(opd, f"{title} {opd.singkatan or opd.nama}", "II.b")
        sekretariat = self.unit(opd, f"{kode}.1", f"Sekretariat {opd.singkatan}", "sekretariat")
        self.head(sekretariat, f"Sekretaris {opd.singkatan}", "III.a")
        for i, sub in enumerate(["Umum dan Kepegawaian", "Keuangan dan Aset"], start=1):
            subbag = self.unit(sekretariat, f"{kode}.1.{i}", f"Subbagian {sub} {opd.singkatan}", "subbagian")
            self.head(subbag, f"Kepala Subbagian {sub}", "IV.a")
            self.staff_position(subbag, f"Pengadministrasi {sub}", Jabatan.Jenis.PELAKSANA, 1)
        for i, name in enumerate(bidang, start=2):
            unit = self.unit(opd, f"{kode}.{i}", f"Bidang {name} {opd.singkatan}", "bidang")
            self.head(unit, f"Kepala Bidang {name}", "III.b")
            self.staff_position(unit, f"Analis {name}", Jabatan.Jenis.FUNGSIONAL, 1)
            self.staff_position(unit, f"Pengelola {name}", Jabatan.Jenis.PELAKSANA, 2)
            for s in range(1, 1 + self.seksi_per_bidang):
                seksi = self.unit(unit, f"{kode}.{i}.{s}", f"Seksi {name} {s} {opd.singkatan}", "seksi")
                self.head(seksi, f"Kepala Seksi {name} {s}", "IV.a")
                self.staff_position(seksi, f"Pengelola Data {name} {s}", Jabatan.Jenis.PELAKSANA, 1)
        return opd

    def build_structure(self) -> None:
        pemda = org.save_pemda(
            {
                "nama": "Pemerintah Kota Sukamaju",
                "jenis": "kota",
                "kode_wilayah": "35.99",
                "provinsi": "Jawa Timur",
                "alamat": "Jl. Merdeka No. 1, Sukamaju 63100",
                "telepon": "(0351) 460000",
                "email": "pemkot@sukamaju.go.id.example",
                "website": "https://sukamaju.go.id.example",
                "kepala_daerah_sebutan": "Wali Kota",
            }
        )
        root = self.unit(None, "401", pemda.nama, "pemda", "Pemkot", pemda=pemda, alamat=pemda.alamat)
        self.head(root, "Wali Kota Sukamaju", "", Jabatan.Jenis.KEPALA_DAERAH)
        org.create_jabatan(
            {"unit": root, "kode": "J-401-W", "nama": "Wakil Wali Kota Sukamaju", "jenis": Jabatan.Jenis.KEPALA_DAERAH}
        )
        setda = self.unit(root, "100", "Sekretariat Daerah", "sekretariat_daerah", "Setda", alamat=pemda.alamat)
        self.head(setda, "Sekretaris Daerah", "II.a")
        for kode, nama, bagian in ASISTEN:
            asisten = self.unit(setda, kode, nama, "asisten")
            self.head(asisten, nama, "II.b")
            for i, name in enumerate(bagian, start=1):
                unit = self.unit(asisten, f"{kode}.{i}", name, "bagian")
                self.head(unit, f"Kepala {name}", "III.b")
                self.staff_position(unit, f"Analis {name.replace('Bagian ', '')}", Jabatan.Jenis.FUNGSIONAL, 1)
        setwan = self.unit(root, "170", "Sekretariat DPRD", "sekretariat_dprd", "Setwan")
        self.head(setwan, "Sekretaris DPRD", "II.b")
        inspektorat = self.unit(root, "700", "Inspektorat", "inspektorat", "Itko")
        self.head(inspektorat, "Inspektur", "II.b")
        self.staff_position(inspektorat, "Auditor Ahli Madya", Jabatan.Jenis.FUNGSIONAL, 1)
        for copy in range(self.opd_copies):
            for kode, nama, singkatan, bidang in DINAS:
                self.opd_with_bidang(root, kode, nama, singkatan, bidang, "dinas", copy)
            for kode, nama, singkatan, bidang in BADAN:
                self.opd_with_bidang(root, kode, nama, singkatan, bidang, "badan", copy)
        satpol = self.unit(root, "401.120", "Satuan Polisi Pamong Praja", "satuan", "Satpol PP")
        self.head(satpol, "Kepala Satuan Polisi Pamong Praja", "II.b")
        for kode, nama, kelurahan in KECAMATAN:
            kecamatan = self.unit(root, kode, nama, "kecamatan", nama.replace("Kecamatan ", "Kec. "))
            self.head(kecamatan, f"Camat {nama.replace('Kecamatan ', '')}", "III.a")
            sekcam = self.unit(kecamatan, f"{kode}.1", f"Sekretariat {nama}", "sekretariat")
            self.head(sekcam, f"Sekretaris {nama}", "III.b")
            for i, name in enumerate(kelurahan, start=1):
                kel = self.unit(kecamatan, f"{kode}.{i + 1}", f"Kelurahan {name}", "kelurahan")
                self.head(kel, f"Lurah {name}", "IV.a")
                self.staff_position(kel, f"Pengadministrasi Kelurahan {name}", Jabatan.Jenis.PELAKSANA, 1)
        # SKP penilai of a JPT Pratama is the Sekretaris Daerah, not the Wali Kota (explicit override).
        sekda = self.built.heads["100"]
        for unit in self.built.units:
            head = self.built.heads.get(unit.kode)
            if unit.parent_id == root.pk and head and unit.kode != "100" and head.eselon in ("II.b", "III.a"):
                org.update_jabatan(head, {"atasan_override": sekda})

    # -- people --------------------------------------------------------------------------

    def nip(self, status: str, gender: str, born: dt.date) -> str:
        while True:
            tmt_year = min(self.today.year - 1, born.year + self.random.randint(22, 30))
            month = None if status == "PPPK" else self.random.randint(1, 12)
            candidate = make_nip(born, tmt_year, month, gender, self.random.randint(1, 999))
            if candidate not in self.used_nips:
                self.used_nips.add(candidate)
                return candidate

    def person(self, jabatan: Jabatan, senior: bool, status: str = "PNS") -> Pegawai:
        gender = self.random.choice("LP")
        first = self.random.choice(FIRST_M if gender == "L" else FIRST_F)
        born = dt.date(
            self.random.randint(1968, 1982) if senior else self.random.randint(1978, 1998),
            self.random.randint(1, 12),
            self.random.randint(1, 28),
        )
        golongan = self.golongan(jabatan, status)
        pegawai = org.create_pegawai(
            {
                "nip": self.nip(status, gender, born),
                "nama": f"{first} {self.random.choice(LAST)}",
                "gelar_depan": "Dr." if senior and self.random.random() < 0.08 else "",
                "gelar_belakang": self.random.choice(GELAR_BELAKANG) if jabatan.jenis != "pelaksana" else "",
                "status": status,
                "golongan": golongan,
                "email": "",
                "telepon": f"08{self.random.randint(1100000000, 1399999999)}",
            }
        )
        slug = pegawai.nama.lower().replace(" ", ".")
        org.update_pegawai(pegawai, {"email": f"{slug}.{pegawai.nip[-4:]}@sukamaju.go.id.example"})
        tmt = self.today - dt.timedelta(days=self.random.randint(60, 1500))
        org.assign_jabatan(
            pegawai, jabatan, tmt, nomor_sk=f"800.1.3/{self.random.randint(100, 999)}/401.204/{tmt.year}"
        )
        self.built.pegawai.append(pegawai)
        return pegawai

    def golongan(self, jabatan: Jabatan, status: str) -> str:
        if status == "PPPK":
            return self.random.choice(["V", "VII", "IX"])
        by_eselon = {"II.a": "IV/d", "II.b": "IV/c", "III.a": "IV/b", "III.b": "IV/a", "IV.a": "III/d"}
        if jabatan.eselon:
            return by_eselon.get(jabatan.eselon, "III/c")
        return self.random.choice(["II/c", "II/d", "III/a", "III/b", "III/c"])

    def build_people(self, staff_per_opd: int = 1) -> None:
        vacant_heads = {"401", "401.108"}  # the Wali Kota is not a pegawai; Dishub's head is vacant (Plt. below)
        for unit in self.built.units:
            head = self.built.heads.get(unit.kode)
            if (
                head
                and unit.kode not in vacant_heads
                and (
                    unit.depth <= 1
                    or unit.jenis in ("sekretariat", "kelurahan")
                    or self.scale > 1
                    or self.random.random() < 0.5
                )
            ):
                self.person(head, senior=True)
            if unit.jenis in ("bidang", "bagian", "kelurahan", "inspektorat", "seksi"):
                for jabatan in self.built.staff.get(unit.kode, [])[: staff_per_opd if self.scale == 1 else 3]:
                    self.person(jabatan, senior=False, status="PPPK" if self.random.random() < 0.15 else "PNS")

    def build_acting(self) -> None:
        """A Plt. for the vacant head of Dishub, and a Plh. while a kepala bidang is on leave."""
        sekretaris = Pegawai.objects.filter(jabatan=self.built.heads["401.108.1"]).first()
        if sekretaris:
            org.assign_acting(
                sekretaris,
                self.built.heads["401.108"],
                "plt",
                self.today - dt.timedelta(days=30),
                self.today + dt.timedelta(days=150),
                "800.1.3/045/401.204/2026",
            )
        kabid = self.built.heads.get("401.106.3")
        deputy = Pegawai.objects.filter(jabatan__in=self.built.staff.get("401.106.3", [])).first()
        if kabid and deputy:
            org.assign_acting(
                deputy,
                kabid,
                "plh",
                self.today - dt.timedelta(days=2),
                self.today + dt.timedelta(days=5),
                "800.1.3/051/401.106/2026",
            )


@transaction.atomic
def build_city(seed: int = 2026, scale: int = 1) -> Built:
    builder = CityBuilder(seed=seed, scale=scale)
    builder.build_structure()
    builder.build_people()
    builder.build_acting()
    return builder.built
