"""Bulk-load naskah into the bench database: 1,000,000 per scale by default, with their recipients (Penerima),
parties (PihakNaskah) and dispositions, and the stored search vector.

    python -m bench.generate_naskah [--scale N] [--naskah 100000] [--database-url …]

Runs after bench.generate built the city (it calls bench.generate.prepare first). The rows are not made
through the services (a million signatures would take days): they are written with COPY into a staging
table and moved with one INSERT … SELECT per chunk that also computes the search vector with the same SQL
as naskah.pencarian (so the search measures what production would store). Audit events are not written.

Distribution: every current unit writes naskah (an OPD's own offices more than a seksi), 2022–2026, 70 %
outgoing / 30 % incoming, jenis weighted (surat dinas, nota dinas, undangan …), sifat 85 % biasa, 10 %
terbatas, 4 % rahasia, 1 % sangat rahasia. Each naskah has 1–3 internal addressees (mostly heads of units)
and sometimes a copy; a quarter of incoming letters are disposed by their addressee to a head of a sub-unit.
Text: a topic per naskah (about 0.5 % of the naskah share a topic word) over a common bureaucratic vocabulary,
so full-text queries have realistic selectivity.

Idempotent and resumable: naskah ids are chunk × CHUNK + i, each chunk commits with its marker row in
bench_naskah_chunk; a rerun skips done chunks. The GIN index is dropped while loading and rebuilt at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import secrets
import time

CHUNK = 20_000
VERSION = 1  # bump when the generated rows change; the markers of another version are discarded
SEED = 2026
NASKAH_PER_SCALE = 1_000_000
YEARS = (2022, 2023, 2024, 2025, 2026)

JENIS = (  # kode, nama, singkatan, weight, outgoing
    ("surat_dinas", "Surat Dinas", "SD", 40, True),
    ("nota_dinas", "Nota Dinas", "ND", 25, False),
    ("surat_undangan", "Surat Undangan", "UND", 15, True),
    ("surat_tugas", "Surat Tugas", "ST", 10, False),
    ("surat_edaran", "Surat Edaran", "SE", 4, True),
    ("surat_keterangan", "Surat Keterangan", "SKET", 3, True),
    ("berita_acara", "Berita Acara", "BA", 3, True),
)
SIFAT = (("biasa", 85), ("terbatas", 10), ("rahasia", 4), ("sangat_rahasia", 1))

COMMON = (
    "dengan hormat sehubungan dengan pelaksanaan kegiatan tahun anggaran bersama ini kami sampaikan bahwa "
    "dalam rangka peningkatan pelayanan publik perlu dilakukan koordinasi antar perangkat daerah sesuai "
    "ketentuan peraturan perundang undangan yang berlaku demikian atas perhatian dan kerja samanya "
    "diucapkan terima kasih untuk itu mohon kehadiran bapak ibu pada hari tanggal waktu tempat acara "
    "laporan hasil evaluasi program rencana kerja kepala dinas sekretaris daerah wali kota pemerintah kota "
    "mohon ditindaklanjuti segera data dukung terlampir rapat pembahasan usulan penyusunan dokumen anggaran"
).split()
TOPICS = (
    (
        "irigasi jembatan drainase trotoar pasar stunting posyandu imunisasi sekolah beasiswa perpustakaan "
        "banjir kebakaran ambulans puskesmas vaksinasi pajak retribusi reklame parkir terminal angkutan "
        "sampah limbah taman hutan sungai waduk sumur air_bersih listrik lampu_jalan internet jaringan server "
        "aplikasi website keamanan_siber pegawai mutasi cuti pensiun kenaikan_pangkat diklat seminar lokakarya "
        "pameran festival olahraga stadion pemuda koperasi umkm investasi perizinan pertanian peternakan "
        "perikanan pangan beras harga_pasar inflasi bansos disabilitas lansia anak perempuan kependudukan "
        "akta ktp kartu_keluarga pemilu pilkada bawaslu kpu inspektorat audit temuan aset tanah sertifikat "
        "gedung renovasi pengadaan tender kontrak honorarium perjalanan_dinas kendaraan bbm gizi sanitasi "
        "jamban rusunawa permukiman kumuh tata_ruang rtrw bangunan imb pbg kebudayaan cagar_budaya pariwisata "
        "hotel restoran kuliner batik kerajinan ekspor transportasi halte bus sekolah_rakyat karang_taruna "
        "kelurahan kecamatan rt rw musrenbang apbd dak dau silpa bumd pdam bank_daerah zakat masjid gereja "
        "vihara pura klenteng toleransi ketertiban satpol_pp pedagang_kaki_lima gelandangan narkoba covid "
        "demam_berdarah tbc malaria rabies hewan_kurban pupuk bibit traktor embung kolam tambak nelayan"
    )
    .replace("_", " ")
    .split()
)


def naskah_count(scale: int, override: int | None) -> int:
    return override if override is not None else NASKAH_PER_SCALE * scale


# -- reference rows the naskah need -----------------------------------------------------------------------


def ensure_reference() -> tuple[list, list]:
    """(jenis, klasifikasi) rows: the ones present, or small bench sets when the loaders have not run."""
    from terpadu.arsip.models import Klasifikasi, KlasifikasiVersi
    from terpadu.naskah.models import JenisNaskah

    jenis = []
    for order, (kode, nama, singkatan, _w, keluar) in enumerate(JENIS):
        row, _created = JenisNaskah.objects.get_or_create(
            kode=kode, defaults={"nama": nama, "singkatan": singkatan, "keluar": keluar, "urutan": order}
        )
        jenis.append(row)
    codes = list(Klasifikasi.objects.filter(aktif=True).order_by("pk")[:300])
    if not codes:
        versi = KlasifikasiVersi.objects.create(nama="Bench", berlaku_mulai=dt.date(2022, 1, 1), aktif=True)
        for major in range(0, 1000, 100):
            parent = Klasifikasi.objects.create(versi=versi, kode=f"{major:03d}", nama=f"Kode {major:03d}")
            for minor in range(1, 11):
                codes.append(
                    Klasifikasi.objects.create(
                        versi=versi, kode=f"{major:03d}.{minor}", nama=f"Kode {major:03d}.{minor}", parent=parent
                    )
                )
    return jenis, codes


def load_city():
    """Units (current), their heads' positions and holders, sub-unit heads, and some pegawai per unit."""
    from terpadu.organisasi.models import Jabatan, Pegawai, UnitKerja

    units = list(UnitKerja.objects.current().order_by("path").values("pk", "kode", "path", "parent_id", "depth"))
    heads = dict(
        Jabatan.objects.current().filter(is_kepala_unit=True).values_list("unit_id", "pk")
    )  # unit -> head position
    holders = dict(Pegawai.objects.filter(aktif=True, jabatan__isnull=False).values_list("jabatan_id", "pk"))
    staff: dict[int, list[int]] = {}
    for pk, unit_id in Pegawai.objects.filter(aktif=True).values_list("pk", "unit_id"):
        staff.setdefault(unit_id, []).append(pk)
    children: dict[int, list[int]] = {}
    for unit in units:
        if unit["parent_id"]:
            children.setdefault(unit["parent_id"], []).append(unit["pk"])
    return units, heads, holders, staff, children


# -- rows ----------------------------------------------------------------------------------------------


class Writer:
    """Deterministic rows of one chunk (the same chunk always gives the same rows)."""

    def __init__(self, chunk: int, jenis, codes, city):
        self.random = random.Random(SEED * 1_000_003 + chunk)
        self.chunk = chunk
        self.jenis, self.codes = jenis, codes
        self.units, self.heads, self.holders, self.staff, self.children = city
        writers = [u for u in self.units if self.staff.get(u["pk"])]
        # An OPD's own office (depth 1-2) writes more than a seksi.
        self.writer_units = writers
        self.writer_weights = [4 if u["depth"] <= 2 else 1 for u in writers]
        self.head_units = [u for u in self.units if u["pk"] in self.heads]
        self.head_weights = [6 if u["depth"] <= 2 else 1 for u in self.head_units]
        self.jenis_weights = [w for _k, _n, _s, w, _o in JENIS]
        self.counters: dict[tuple[int, int], int] = {}

    def words(self, topic: str, n: int) -> str:
        picks = self.random.choices(COMMON, k=n)
        for _ in range(max(1, n // 12)):
            picks[self.random.randrange(n)] = topic
        return " ".join(picks)

    def naskah(self, pk: int) -> tuple[dict, list[dict], list[dict], list[dict]]:
        r = self.random
        unit = r.choices(self.writer_units, self.writer_weights)[0]
        jenis_index = r.choices(range(len(self.jenis)), self.jenis_weights)[0]
        jenis = self.jenis[jenis_index]
        klas = r.choice(self.codes)
        sifat = r.choices([s for s, _w in SIFAT], [w for _s, w in SIFAT])[0]
        year = r.choice(YEARS)
        day = dt.date(year, 1, 1) + dt.timedelta(days=r.randrange(365 if year < 2026 else 320))
        when = dt.datetime(day.year, day.month, day.day, r.randrange(7, 17), r.randrange(60), tzinfo=dt.UTC)
        incoming = r.random() < 0.3
        topic = r.choice(TOPICS)
        head = self.heads.get(unit["pk"]) or self.heads.get(unit["parent_id"])
        pembuat = r.choice(self.staff[unit["pk"]])
        row = {
            "id": pk,
            "arah": "masuk" if incoming else "keluar",
            "status": "diterima" if incoming else r.choice(("terkirim", "terkirim", "terkirim", "draf", "siap_ttd")),
            "jenis_id": jenis.pk,
            "klasifikasi_id": klas.pk,
            "sifat": sifat,
            "urgensi": r.choices(("biasa", "segera", "amat_segera"), (85, 12, 3))[0],
            "hal": f"{r.choice(('Undangan', 'Permohonan', 'Laporan', 'Pemberitahuan', 'Usulan'))} {topic} "
            + self.words(topic, r.randrange(3, 8)),
            "ringkasan": self.words(topic, r.randrange(15, 30)),
            "sumber": "pindai" if incoming else "template",
            "isi": "{}",
            "unit_id": unit["pk"],
            "pembuat_id": pembuat,
            "tanggal": day,
            "teks": self.words(topic, r.randrange(80, 160)),
            "dibuat": when,
            "diubah": when,
            "kode_verifikasi": secrets.token_urlsafe(12),
        }
        if incoming:
            row.update(
                nomor=f"{klas.kode}/{r.randrange(1, 900)}/{r.randrange(100, 999)}/{year}",
                nomor_agenda=self.next_number(unit["pk"], -year),
                nomor_tahun=year,
                asal_instansi=r.choice(("Kementerian Dalam Negeri", "Pemerintah Provinsi", "BPK RI", "PT Contoh")),
                diterima=when,
            )
        elif row["status"] == "terkirim":
            urut = self.next_number(unit["pk"], year)
            row.update(
                nomor=f"{klas.kode}/{urut}/{unit['kode']}/{year}",
                nomor_urut=urut,
                nomor_tahun=year,
                penandatangan_jabatan_id=head,
                penandatangan_id=self.holders.get(head),
                ditandatangani=when,
            )
        penerima, pihak, disposisi = self.parties(row, head, pembuat, when)
        return row, penerima, pihak, disposisi

    def next_number(self, unit_id: int, year: int) -> int:
        key = (unit_id, year)
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.chunk * 100_000 + self.counters[key]  # unique per chunk; realistic magnitude

    def parties(self, row, head, pembuat, when):
        r, pk = self.random, row["id"]
        delivered = when if row["status"] in ("terkirim", "diterima") else None
        pihak = [{"naskah_id": pk, "peran": "pembuat", "pegawai_id": pembuat, "jabatan_id": None}]
        if row.get("penandatangan_jabatan_id"):
            pihak.append(
                {
                    "naskah_id": pk,
                    "peran": "penandatangan",
                    "jabatan_id": row["penandatangan_jabatan_id"],
                    "pegawai_id": None,
                }
            )
        penerima, disposisi = [], []
        if row["arah"] == "masuk":
            targets = [(head, "tujuan")] if head else []
        else:
            chosen = {self.heads[u["pk"]] for u in r.choices(self.head_units, self.head_weights, k=r.randrange(1, 4))}
            targets = [(j, "tujuan") for j in sorted(chosen)]
            if r.random() < 0.3:
                targets.append((self.heads[r.choice(self.head_units)["pk"]], "tembusan"))
        for order, (jabatan, peran) in enumerate(targets):
            read = delivered + dt.timedelta(hours=r.randrange(1, 72)) if delivered and r.random() < 0.8 else None
            penerima.append(
                {
                    "naskah_id": pk,
                    "peran": peran,
                    "urutan": order,
                    "jabatan_id": jabatan,
                    "terkirim": delivered,
                    "dibaca": read,
                }
            )
            pihak.append({"naskah_id": pk, "peran": peran, "jabatan_id": jabatan, "pegawai_id": None})
        if row["arah"] == "masuk" and head and r.random() < 0.25:
            below = [self.heads[c] for c in self.children.get(row["unit_id"], []) if c in self.heads]
            giver = self.holders.get(head)
            if below and giver:
                to = r.choice(below)
                disposisi.append(
                    {
                        "naskah_id": pk,
                        "dari_jabatan_id": head,
                        "dari_pegawai_id": giver,
                        "kepada_jabatan_id": to,
                        "kepada_pegawai_id": self.holders.get(to),
                        "status": r.choice(("terkirim", "dibaca", "selesai")),
                        "dibuat": when + dt.timedelta(hours=2),
                    }
                )
                pihak.append({"naskah_id": pk, "peran": "disposisi", "jabatan_id": to, "pegawai_id": None})
        return penerima, pihak, disposisi


# -- loading -------------------------------------------------------------------------------------------


def _defaults(model) -> dict[str, object]:
    """column -> the value a row gets when it does not give one (Django's default; None when nullable)."""
    defaults = {}
    for field in model._meta.concrete_fields:
        default = field.get_default() if field.has_default() or not field.null else None
        defaults[field.column] = json.dumps(default) if isinstance(default, dict | list) else default
    return defaults


def _copy(cursor, table: str, rows: list[dict], model, with_id: bool = False) -> None:
    """COPY rows (dicts by column) into `table`; every other column gets its default. Ids come from the
    table's sequence unless `with_id`."""
    if not rows:
        return
    defaults = _defaults(model)
    names = [c for c in defaults if with_id or c != model._meta.pk.column]
    names = [c for c in names if c != "search_vector"]
    with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] if c in row else defaults[c] for c in names])


def load_chunk(connection, chunk: int, first_id: int, count: int, writer: Writer) -> None:
    from terpadu.naskah import pencarian
    from terpadu.naskah.models import Disposisi, Naskah, Penerima, PihakNaskah

    naskah, penerima, pihak, disposisi = [], [], [], []
    for pk in range(first_id, first_id + count):
        row, p, ph, d = writer.naskah(pk)
        naskah.append(row)
        penerima += p
        pihak += ph
        disposisi += d
    raw = connection.connection  # psycopg
    with raw.transaction(), raw.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE IF NOT EXISTS bench_naskah_stage (LIKE naskah_naskah INCLUDING DEFAULTS)")
        cursor.execute("TRUNCATE bench_naskah_stage")
        _copy(cursor, "bench_naskah_stage", naskah, Naskah, with_id=True)
        vector = pencarian.VECTOR_SQL.format(teks="coalesce(teks, '')")
        columns = [f.column for f in Naskah._meta.concrete_fields if f.column != "search_vector"]
        cursor.execute(
            f"INSERT INTO naskah_naskah ({', '.join(columns)}, search_vector) "
            f"SELECT {', '.join(columns)}, {vector} FROM bench_naskah_stage"
        )
        _copy(cursor, "naskah_penerima", penerima, Penerima)
        _copy(cursor, "naskah_pihaknaskah", pihak, PihakNaskah)
        _copy(cursor, "naskah_disposisi", disposisi, Disposisi)
        cursor.execute("INSERT INTO bench_naskah_chunk (chunk, version) VALUES (%s, %s)", [chunk, VERSION])


def prepare(scale: int, override: int | None = None, log=print) -> dict:
    """Make sure the bench database (Django is set up on it) holds the naskah; returns counts."""
    from django.db import connection

    from terpadu.naskah.models import Naskah

    total = naskah_count(scale, override)
    chunks = (total + CHUNK - 1) // CHUNK
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_naskah_chunk (chunk integer PRIMARY KEY, version integer)")
        cursor.execute("SELECT chunk FROM bench_naskah_chunk WHERE version = %s", [VERSION])
        done = {row[0] for row in cursor.fetchall()}
    todo = [c for c in range(chunks) if c not in done]
    if not todo:
        log(f"Reusing {Naskah.objects.count():,} naskah (bench_naskah_chunk: {len(done)} chunks of {CHUNK:,}).")
        return {"naskah": total, "generated_now": 0}
    if not done:
        _clear(connection)
    jenis, codes = ensure_reference()
    city = load_city()
    started = time.monotonic()
    log(f"Loading {total:,} naskah in {len(todo)} chunk(s) of {CHUNK:,} (COPY + INSERT … SELECT with the vector) …")
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
        cursor.execute("DROP INDEX IF EXISTS naskah_search_vector_gin")  # rebuilt once at the end: far faster
    connection.ensure_connection()
    for number, chunk in enumerate(todo, start=1):
        first = chunk * CHUNK + 1
        count = min(CHUNK, total - chunk * CHUNK)
        load_chunk(connection, chunk, first, count, Writer(chunk, jenis, codes, city))
        if number % 5 == 0 or number == len(todo):
            log(f"  {number}/{len(todo)} chunks ({time.monotonic() - started:.0f} s)")
    _finish(connection, log)
    log(f"Loaded in {time.monotonic() - started:.0f} s.")
    made = sum(min(CHUNK, total - chunk * CHUNK) for chunk in todo)
    return {"naskah": total, "generated_now": made, "seconds": round(time.monotonic() - started)}


def _clear(connection) -> None:
    """A first run (or another generator version): remove naskah rows of an earlier bench load."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM bench_naskah_chunk")
        for table in ("naskah_disposisi", "naskah_pihaknaskah", "naskah_penerima", "naskah_nomorcadangan"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)
        cursor.execute("DELETE FROM naskah_naskah")


def _finish(connection, log) -> None:
    log("  building the GIN index and analysing …")
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem TO '512MB'")
        cursor.execute("CREATE INDEX IF NOT EXISTS naskah_search_vector_gin ON naskah_naskah USING gin (search_vector)")
        for table in ("naskah_naskah", "naskah_penerima", "naskah_pihaknaskah", "naskah_disposisi"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"
            )
    old = connection.connection.autocommit
    connection.connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE naskah_naskah, naskah_penerima, naskah_pihaknaskah, naskah_disposisi")
    connection.connection.autocommit = old


def main(argv: list[str] | None = None) -> None:
    from bench import generate

    parser = argparse.ArgumentParser(prog="python -m bench.generate_naskah", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="city size (and 1,000,000 naskah per scale)")
    parser.add_argument("--naskah", type=int, help="how many naskah (default 1,000,000 × scale)")
    parser.add_argument("--database-url", help=f"default: {generate.DEFAULT_SERVER}/{generate.DB_PREFIX}[_sN]")
    args = parser.parse_args(argv)
    generate.prepare(args.database_url or generate.default_database_url(args.scale), args.scale)
    print(json.dumps(prepare(args.scale, args.naskah), indent=2))


if __name__ == "__main__":
    main()
