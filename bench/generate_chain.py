"""Bulk-load the planning → budget → contract → realisation → monev chain into the bench database (issue 4):
5 years (2022–2026) × 40 OPD × 75 sub kegiatan (3,000 per year), ~500,000 rincian belanja and ~500,000
realisation rows.

    python -m bench.generate_chain [--scale N] [--database-url …]

Runs after bench.generate built the city (it calls bench.generate.prepare first). Rows are not made through
the services (half a million approvals would take days) and write no audit events: every table is filled by
one INSERT … SELECT per step, computed in PostgreSQL from the rows of the step before (codes, generate_series
and a hash of natural keys for deterministic "random" figures). What is written respects the services' rules,
so the pages read what production would hold:

- nomenklatur edition per year (keyakinan "demo", generated codes: OPD i owns bidang urusan
  `U.BB` → 5 programs → 3 kegiatan each → 5 sub kegiatan each = 75 sub kegiatan), mapped year → year+1;
  kode rekening edition per year (akun 5 … 40 sub rincian objek, "demo");
- one adopted RPJMD 2022–2026 (misi, tujuan, 5 sasaran with an indicator and yearly targets); per OPD an
  adopted Renstra (tujuan PD, sasaran PD, program/kegiatan/sub kegiatan items) and a Renja per year with its
  75 RenjaSubKegiatan, each with an indicator and its target;
- per year an adopted murni TahapAnggaran; per sub kegiatan an approved RKA with 33 rincian belanja on 8 of
  the 40 accounts, twelve AnggaranKas rows adding up to its total, and its 8 DpaBaris (sum per account);
  Pagu per OPD a little above what its RKA take;
- per sub kegiatan and month (up to today's month in the current year) one SP2D paying 3 of its DPA lines
  (never more than a line's pagu: at most 90 %, some sub kegiatan lag), and the cumulative physical progress;
- 3 procurement packages per OPD per year, each with its contract, penyedia and two termin.

Idempotent and resumable: each step commits with its marker row in bench_chain_step (with VERSION); a rerun
skips done steps; markers of another VERSION (or a first run) empty every table of the five apps first. Also
makes the leader persona `sekda` (role pimpinan-daerah, whole pemda, TOTP) through the account services when
the bench city predates it, and loads the monev rating scales through the monev services.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time

VERSION = 1  # bump when the generated rows change; the markers of another version are discarded
YEARS = (2022, 2023, 2024, 2025, 2026)
OPD_COUNT = 40
PROGRAMS, KEGIATAN, SUBS = 5, 3, 5  # per OPD: 5 programs × 3 kegiatan × 5 sub kegiatan = 75 sub kegiatan
REKENING_SLOTS = 8  # accounts used per sub kegiatan (→ DPA lines)
RINCIAN_PER_RKA = 33  # 15,000 RKA × 33 ≈ 500,000 rincian belanja
SP2D_LINES = 3  # DPA lines paid by each monthly SP2D (15,000 × 12 × 3 ≈ 500,000 realisation rows)
PAKET_PER_OPD = 3
LEADER = "sekda"  # the leader's view (role pimpinan-daerah); bench/scenarios_chain.py signs in as it

WORDS = (
    "pelayanan infrastruktur jalan drainase sekolah puskesmas gizi sanitasi air bersih pasar usaha mikro "
    "pertanian perikanan pariwisata kebudayaan pemuda olahraga perpustakaan arsip kependudukan tenaga kerja "
    "bencana kebakaran lingkungan sampah taman permukiman perumahan transportasi informatika statistik "
    "persandian perencanaan keuangan aset pendapatan kepegawaian pengawasan ketertiban perlindungan anak"
).split()
REKENING = (  # objek / rincian objek the generated sub rincian objek sit under (8 each)
    ("5.1.02.01.01", "Belanja Barang Pakai Habis"),
    ("5.1.02.02.01", "Belanja Jasa Kantor"),
    ("5.1.02.03.02", "Belanja Pemeliharaan Peralatan dan Mesin"),
    ("5.1.02.04.01", "Belanja Perjalanan Dinas Dalam Negeri"),
    ("5.2.02.05.01", "Belanja Modal Alat Kantor"),
)


def _models():
    from terpadu.anggaran import models as a
    from terpadu.kontrak import models as k
    from terpadu.monev import models as m
    from terpadu.perencanaan import models as p
    from terpadu.realisasi import models as r

    return a, k, m, p, r


# -- SQL helpers -------------------------------------------------------------------------------------------


def _default_sql(field, params: list) -> str:
    """The SQL value of a column the step does not give: Django's default (per row for uuid4 and
    auto_now), NULL when nullable, '' for text; anything else is a bug in this generator."""
    from django.db import models

    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return "now()"
    if isinstance(field, models.UUIDField) and field.has_default():
        return "gen_random_uuid()"
    if field.has_default():
        value = field.get_default()
        if isinstance(value, dict | list):
            params.append(json.dumps(value))
            return "%s::jsonb"
        params.append(value)
        return "%s"
    if field.null:
        return "NULL"
    if isinstance(field, models.CharField | models.TextField):
        return "''"
    raise ValueError(f"{field.model.__name__}.{field.name} is NOT NULL without a default: give it in the step")


def insert(cursor, model, values: dict[str, str], tail: str, params=()) -> int:
    """INSERT INTO <model table> (every concrete column but the id) SELECT <values or defaults> <tail>.
    `values` maps column → SQL expression (no placeholders); `params` belong to `tail`."""
    columns, exprs, defaults = [], [], []
    known = {f.column for f in model._meta.concrete_fields}
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"{model.__name__} has no column(s) {', '.join(sorted(unknown))}")
    for field in model._meta.concrete_fields:
        if field.primary_key and field.column not in values:
            continue
        columns.append(field.column)
        exprs.append(values[field.column] if field.column in values else _default_sql(field, defaults))
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(exprs)} {tail}"  # noqa: S608
    cursor.execute(sql, [*defaults, *params])
    return cursor.rowcount


def t(model) -> str:
    return model._meta.db_table


# A deterministic number in [0, 1) from a text key (natural keys, not ids: the same rows on every rebuild).
RAND_FN = """
CREATE OR REPLACE FUNCTION bench_chain_r(key text) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT mod(abs(hashtext(key)::bigint), 1000003)::double precision / 1000003 $$
"""


# -- the OPDs and the persona --------------------------------------------------------------------------------


def opds() -> list[dict]:
    """The 40 OPD of the chain: the first 40 current dinas/badan by code (Diskominfo 401.106 among them)."""
    from terpadu.organisasi.models import UnitKerja

    rows = list(
        UnitKerja.objects.current()
        .filter(depth=1, jenis__in=("dinas", "badan"))
        .order_by("kode")
        .values("pk", "kode", "nama")[:OPD_COUNT]
    )
    if len(rows) < OPD_COUNT:
        raise SystemExit(f"the bench city has {len(rows)} dinas/badan, the chain needs {OPD_COUNT}")
    for i, row in enumerate(rows):
        row["i"] = i
        row["bidang"] = f"{1 + i // 10}.{i % 10 + 1:02d}"
    return rows


def ensure_leader(log=print) -> None:
    """The whole-pemda viewer of the monev pages (role pimpinan-daerah, 2FA), made through the services."""
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role, User
    from terpadu.core.context import acting
    from terpadu.demo.accounts import DEMO_PASSWORD
    from terpadu.organisasi.models import Pegawai

    if User.objects.filter(username=LEADER).exists():
        return
    with acting(None, via="command"), transaction.atomic():
        access.load_default_roles()
        pegawai = Pegawai.objects.filter(jabatan__kode="J-100", user__isnull=True).order_by("pk").first()
        user = access.create_user(LEADER, DEMO_PASSWORD, pegawai=pegawai)
        access.assign_role(user, Role.objects.get(code="pimpinan-daerah"), None)
        TOTPDevice.objects.create(user=user, name="bench authenticator", confirmed=True)
    log(f"  made the persona {LEADER} (pimpinan-daerah, whole pemda, TOTP)")


def ensure_scales(log=print) -> None:
    from terpadu.core.context import acting
    from terpadu.monev import services_evaluasi as sv
    from terpadu.monev.models import SkalaRating

    if not SkalaRating.objects.exists():
        with acting(None, via="command"):
            sv.muat_skala()
        log("  loaded the monev rating scales")


# -- steps ---------------------------------------------------------------------------------------------------


def step_master(cursor, units: list[dict]) -> None:
    """Nomenklatur and kode rekening editions per year (codes only: small, written row by row via VALUES)."""
    a, _k, _m, p, _r = _models()
    nomen, rek = [], []  # (level, kode, nama, parent kode)
    for u in sorted({str(1 + i // 10) for i in range(OPD_COUNT)}):
        nomen.append(("urusan", u, f"Urusan {u} (bench)", None))
    for unit in units:
        b = unit["bidang"]
        nomen.append(("bidang_urusan", b, f"Bidang urusan {unit['nama']}", b.split(".")[0]))
        for pi in range(PROGRAMS):
            pk = f"{b}.{pi + 2:02d}"
            nomen.append(("program", pk, f"Program {WORDS[(unit['i'] + pi) % len(WORDS)]} {pk}", b))
            for ki in range(KEGIATAN):
                kk = f"{pk}.2.{ki + 1:02d}"
                nomen.append(("kegiatan", kk, f"Kegiatan {WORDS[(unit['i'] * 3 + pi + ki) % len(WORDS)]} {kk}", pk))
                for si in range(SUBS):
                    sk = f"{kk}.{si + 1:04d}"
                    word = WORDS[(unit["i"] * 7 + pi * 3 + ki * 2 + si) % len(WORDS)]
                    nomen.append(("sub_kegiatan", sk, f"Penyediaan {word} {sk}", kk))
    rek += [("akun", "5", "BELANJA DAERAH", None), ("kelompok", "5.1", "BELANJA OPERASI", "5")]
    rek += [("kelompok", "5.2", "BELANJA MODAL", "5")]
    seen = {"5", "5.1", "5.2"}
    for objek_ro, nama in REKENING:
        parts = objek_ro.split(".")
        for depth, level in ((3, "jenis"), (4, "objek"), (5, "rincian_objek")):
            kode = ".".join(parts[:depth])
            if kode not in seen:
                seen.add(kode)
                rek.append((level, kode, f"{nama} ({level})", ".".join(parts[: depth - 1])))
        for s in range(REKENING_SLOTS):
            rek.append(("sub_rincian_objek", f"{objek_ro}.{s + 1:04d}", f"{nama} {s + 1}", objek_ro))
    cursor.execute("CREATE TEMP TABLE bench_codes (tabel text, urut int, level text, kode text, nama text, induk text)")
    with cursor.copy("COPY bench_codes FROM STDIN") as copy:
        for order, row in enumerate(nomen):
            copy.write_row(("n", order, *row))
        for order, row in enumerate(rek):
            copy.write_row(("r", order, *row))
    years = "(SELECT unnest(%s::int[]) AS tahun) y"
    insert(
        cursor, p.VersiNomenklatur,
        {"tahun": "y.tahun", "nama": "'Nomenklatur ' || y.tahun || ' (bench, generated)'",
         "dasar_hukum": "'Permendagri 90/2019 (bench)'"},
        f"FROM {years}", [list(YEARS)],
    )  # fmt: skip
    insert(
        cursor, a.VersiRekening,
        {"tahun": "y.tahun", "nama": "'Kode rekening ' || y.tahun || ' (bench, generated)'"},
        f"FROM {years}", [list(YEARS)],
    )  # fmt: skip
    for level in ("urusan", "bidang_urusan", "program", "kegiatan", "sub_kegiatan"):
        insert(
            cursor, p.Nomenklatur,
            {"versi_id": "v.id", "level": "c.level", "kode": "c.kode", "nama": "c.nama", "parent_id": "par.id",
             "keyakinan": "'demo'", "sumber": "'bench/generate_chain.py'", "aktif": "true",
             "indikator": "CASE WHEN c.level = 'sub_kegiatan' THEN 'Jumlah ' || c.nama ELSE '' END",
             "satuan": "CASE WHEN c.level = 'sub_kegiatan' THEN 'dokumen' ELSE '' END"},
            f"FROM bench_codes c CROSS JOIN {t(p.VersiNomenklatur)} v "
            f"LEFT JOIN {t(p.Nomenklatur)} par ON par.versi_id = v.id AND par.kode = c.induk "
            "WHERE c.tabel = 'n' AND c.level = %s ORDER BY v.tahun, c.urut",
            [level],
        )  # fmt: skip
    for level in ("akun", "kelompok", "jenis", "objek", "rincian_objek", "sub_rincian_objek"):
        insert(
            cursor, a.KodeRekening,
            {"versi_id": "v.id", "level": "c.level", "kode": "c.kode", "nama": "c.nama", "parent_id": "par.id",
             "keyakinan": "'demo'", "sumber": "'bench/generate_chain.py'", "aktif": "true"},
            f"FROM bench_codes c CROSS JOIN {t(a.VersiRekening)} v "
            f"LEFT JOIN {t(a.KodeRekening)} par ON par.versi_id = v.id AND par.kode = c.induk "
            "WHERE c.tabel = 'r' AND c.level = %s ORDER BY v.tahun, c.urut",
            [level],
        )  # fmt: skip
    insert(
        cursor, p.PemetaanNomenklatur,
        {"dari_id": "d.id", "ke_id": "k.id", "catatan": "'unchanged'"},
        f"FROM {t(p.Nomenklatur)} d JOIN {t(p.VersiNomenklatur)} dv ON dv.id = d.versi_id "
        f"JOIN {t(p.VersiNomenklatur)} kv ON kv.tahun = dv.tahun + 1 "
        f"JOIN {t(p.Nomenklatur)} k ON k.versi_id = kv.id AND k.kode = d.kode",
    )  # fmt: skip
    cursor.execute("DROP TABLE bench_codes")


def step_rencana(cursor, units: list[dict]) -> None:
    """RPJMD → Renstra per OPD (tujuan, sasaran PD, items) → Renja per OPD per year → RenjaSubKegiatan."""
    _a, _k, _m, p, _r = _models()
    first, last = YEARS[0], YEARS[-1]
    cursor.execute("CREATE TEMP TABLE bench_opd (unit_id bigint, i int, kode text, bidang text)")
    with cursor.copy("COPY bench_opd FROM STDIN") as copy:
        for u in units:
            copy.write_row((u["pk"], u["i"], u["kode"], u["bidang"]))
    insert(
        cursor, p.Rpjmd,
        {"nama": "'RPJMD Kota Sukamaju (bench)'", "tahun_awal": str(first), "tahun_akhir": str(last),
         "visi": "'Sukamaju maju, sejahtera dan berkelanjutan'", "status": "'ditetapkan'",
         "dasar_hukum": "'Perda RPJMD (bench)'"},
        "",
    )  # fmt: skip
    rpjmd = f"(SELECT id FROM {t(p.Rpjmd)} WHERE nama = 'RPJMD Kota Sukamaju (bench)')"
    insert(cursor, p.Misi, {"rpjmd_id": rpjmd, "nomor": "1", "uraian": "'Misi pembangunan (bench)'"}, "")
    insert(
        cursor, p.Tujuan,
        {"misi_id": "m.id", "kode": "'T1'", "uraian": "'Meningkatkan kinerja pembangunan (bench)'"},
        f"FROM {t(p.Misi)} m WHERE m.rpjmd_id = {rpjmd}",
    )  # fmt: skip
    insert(
        cursor, p.Sasaran,
        {"tujuan_id": "tj.id", "kode": "'S' || g", "uraian": "'Sasaran ' || g || ' (bench)'"},
        f"FROM {t(p.Tujuan)} tj JOIN {t(p.Misi)} m ON m.id = tj.misi_id, generate_series(1, 5) g "
        f"WHERE m.rpjmd_id = {rpjmd}",
    )  # fmt: skip
    sasaran = (
        f"SELECT s.id, s.kode FROM {t(p.Sasaran)} s JOIN {t(p.Tujuan)} tj ON tj.id = s.tujuan_id "
        f"JOIN {t(p.Misi)} m ON m.id = tj.misi_id WHERE m.rpjmd_id = {rpjmd}"
    )
    insert(
        cursor, p.Indikator,
        {"sasaran_id": "s.id", "uraian": "'Indeks capaian ' || s.kode", "satuan": "'indeks'",
         "polaritas": "'naik'", "baseline": "60", "tahun_baseline": str(first - 1)},
        f"FROM ({sasaran}) s",
    )  # fmt: skip
    insert(
        cursor, p.Renstra,
        {"rpjmd_id": rpjmd, "unit_id": "o.unit_id", "status": "'ditetapkan'"},
        "FROM bench_opd o ORDER BY o.i",
    )  # fmt: skip
    insert(
        cursor, p.TujuanPd,
        {"renstra_id": "r.id", "kode": "'TPD1'", "uraian": "'Tujuan PD ' || o.kode",
         "tujuan_rpjmd_id": f"(SELECT tj.id FROM {t(p.Tujuan)} tj JOIN {t(p.Misi)} m ON m.id = tj.misi_id "
                            f"WHERE m.rpjmd_id = {rpjmd} LIMIT 1)"},
        f"FROM bench_opd o JOIN {t(p.Renstra)} r ON r.unit_id = o.unit_id AND r.rpjmd_id = {rpjmd}",
    )  # fmt: skip
    insert(
        cursor, p.SasaranPd,
        {"tujuan_id": "tp.id", "sasaran_rpjmd_id": "s.id", "kode": "'SPD1'", "uraian": "'Sasaran PD ' || o.kode"},
        f"FROM bench_opd o JOIN {t(p.Renstra)} r ON r.unit_id = o.unit_id AND r.rpjmd_id = {rpjmd} "
        f"JOIN {t(p.TujuanPd)} tp ON tp.renstra_id = r.id JOIN ({sasaran}) s ON s.kode = 'S' || (mod(o.i, 5) + 1)",
    )  # fmt: skip
    # Renstra items: the first year's codes of the OPD's bidang, level by level (parent = the item above).
    renstra_opd = (
        f"FROM bench_opd o JOIN {t(p.Renstra)} r ON r.unit_id = o.unit_id AND r.rpjmd_id = {rpjmd} "
        f"JOIN {t(p.TujuanPd)} tp ON tp.renstra_id = r.id JOIN {t(p.SasaranPd)} sp ON sp.tujuan_id = tp.id "
        f"JOIN {t(p.Nomenklatur)} n ON n.versi_id = (SELECT id FROM {t(p.VersiNomenklatur)} WHERE tahun = {first}) "
        "AND n.level = %s AND n.kode LIKE o.bidang || '.%%' "
        f"LEFT JOIN {t(p.RenstraItem)} par ON par.renstra_id = r.id AND par.nomenklatur_id = n.parent_id"
    )
    for level in ("program", "kegiatan", "sub_kegiatan"):
        insert(
            cursor, p.RenstraItem,
            {"renstra_id": "r.id", "sasaran_pd_id": "sp.id", "parent_id": "par.id", "nomenklatur_id": "n.id",
             "level": "n.level"},
            renstra_opd, [level],
        )  # fmt: skip
    insert(
        cursor, p.Renja,
        {"unit_id": "o.unit_id", "tahun": "y", "renstra_id": "r.id", "status": "'ditetapkan'"},
        f"FROM bench_opd o JOIN {t(p.Renstra)} r ON r.unit_id = o.unit_id AND r.rpjmd_id = {rpjmd}, "
        "unnest(%s::int[]) y ORDER BY y, o.i",
        [list(YEARS)],
    )  # fmt: skip
    insert(
        cursor, p.RenjaSubKegiatan,
        {"renja_id": "rj.id", "unit_id": "rj.unit_id", "tahun": "rj.tahun", "sub_kegiatan_id": "n.id",
         "renstra_item_id": "ri.id", "kode_program": "substr(n.kode, 1, 7)", "kode_kegiatan": "substr(n.kode, 1, 12)",
         "pagu_indikatif": "round((200000000 + 800000000 * bench_chain_r(o.kode || n.kode))::numeric, -6)",
         "prakiraan_maju": "round((200000000 + 800000000 * bench_chain_r(o.kode || n.kode || 'm'))::numeric, -6)",
         "lokasi": "'Kota Sukamaju'", "sumber_dana": "'PAD'"},
        f"FROM {t(p.Renja)} rj JOIN bench_opd o ON o.unit_id = rj.unit_id "
        f"JOIN {t(p.VersiNomenklatur)} v ON v.tahun = rj.tahun "
        f"JOIN {t(p.Nomenklatur)} n ON n.versi_id = v.id AND n.level = 'sub_kegiatan' "
        "AND n.kode LIKE o.bidang || '.%%' "
        f"LEFT JOIN {t(p.Nomenklatur)} n0 ON n0.kode = n.kode "
        f"AND n0.versi_id = (SELECT id FROM {t(p.VersiNomenklatur)} WHERE tahun = {first}) "
        f"LEFT JOIN {t(p.RenstraItem)} ri ON ri.renstra_id = rj.renstra_id AND ri.nomenklatur_id = n0.id "
        "ORDER BY rj.tahun, o.i, n.kode",
    )  # fmt: skip
    insert(
        cursor, p.Indikator,
        {"renja_sub_kegiatan_id": "s.id", "uraian": "n.indikator", "satuan": "n.satuan", "polaritas": "'naik'",
         "baseline": "0", "tahun_baseline": "s.tahun - 1"},
        f"FROM {t(p.RenjaSubKegiatan)} s JOIN {t(p.Nomenklatur)} n ON n.id = s.sub_kegiatan_id ORDER BY s.id",
    )  # fmt: skip
    insert(
        cursor, p.TargetIndikator,
        {"indikator_id": "i.id", "tahun": "s.tahun", "target": "(4 + floor(20 * bench_chain_r(i.uraian)))::numeric"},
        f"FROM {t(p.Indikator)} i JOIN {t(p.RenjaSubKegiatan)} s ON s.id = i.renja_sub_kegiatan_id",
    )  # fmt: skip
    insert(
        cursor, p.TargetIndikator,
        {"indikator_id": "i.id", "tahun": "y", "target": f"60 + 5 * (y - {first})"},
        f"FROM {t(p.Indikator)} i, unnest(%s::int[]) y WHERE i.sasaran_id IS NOT NULL",
        [list(YEARS)],
    )  # fmt: skip
    cursor.execute("DROP TABLE bench_opd")


def _sub_key() -> str:
    """A text key of a RenjaSubKegiatan `s` joined with its nomenklatur `n` and unit `u` (stable across runs)."""
    return "u.kode || '/' || n.kode || '/' || s.tahun"


def step_anggaran(cursor, tahun: int) -> None:
    """The murni round of `tahun`: approved RKA with rincian, anggaran kas, DPA lines, ceilings."""
    a, _k, _m, p, _r = _models()
    from terpadu.organisasi.models import UnitKerja

    adopted = dt.datetime(tahun - 1, 12, 20, 10, 0, tzinfo=dt.UTC).isoformat()
    cursor.execute(
        f"INSERT INTO {t(a.TahapAnggaran)} (tahun, jenis, urutan, nama, status, ditetapkan, dasar_hukum, dibuka) "
        "VALUES (%s, 'murni', 1, %s, 'ditetapkan', %s, %s, now())",
        [tahun, f"APBD Murni {tahun}", adopted, f"Perda APBD {tahun} (bench)"],
    )
    _check_columns(a.TahapAnggaran, {"tahun", "jenis", "urutan", "nama", "status", "ditetapkan", "dasar_hukum"})
    tahap = f"(SELECT id FROM {t(a.TahapAnggaran)} WHERE tahun = {int(tahun)} AND urutan = 1)"
    subs = (
        f"FROM {t(p.RenjaSubKegiatan)} s JOIN {t(p.Nomenklatur)} n ON n.id = s.sub_kegiatan_id "
        f"JOIN {t(UnitKerja)} u ON u.id = s.unit_id WHERE s.tahun = {int(tahun)}"
    )
    insert(
        cursor, a.Rka,
        {"tahap_id": tahap, "sub_kegiatan_id": "s.id", "unit_id": "s.unit_id", "tahun": "s.tahun",
         "status": "'disetujui'", "total": "0", "diajukan": f"'{adopted}'::timestamptz - interval '20 days'",
         "disetujui": f"'{adopted}'::timestamptz - interval '10 days'"},
        subs + " ORDER BY s.id",
    )  # fmt: skip
    # The sub kegiatan's 8 accounts: slot k → the (h + 5k) mod 40-th sub rincian objek of the year.
    cursor.execute(
        f"""
        CREATE TEMP TABLE bench_slot AS
        WITH rek AS (
            SELECT kr.id, kr.kode, row_number() OVER (ORDER BY kr.kode) - 1 AS nr
            FROM {t(a.KodeRekening)} kr JOIN {t(a.VersiRekening)} v ON v.id = kr.versi_id
            WHERE v.tahun = %s AND kr.level = 'sub_rincian_objek'
        ), sub AS (
            SELECT s.id AS sub_id, s.unit_id, {_sub_key()} AS key,
                   mod(abs(hashtext({_sub_key()})::bigint), (SELECT count(*) FROM rek)) AS h
            {subs}
        )
        SELECT sub.sub_id, sub.unit_id, sub.key, k AS slot, rek.id AS rekening_id, rek.kode AS kode_rekening
        FROM sub CROSS JOIN generate_series(0, %s) k
        JOIN rek ON rek.nr = mod(sub.h + 5 * k, (SELECT count(*) FROM rek))
        """,
        [tahun, REKENING_SLOTS - 1],
    )
    cursor.execute("CREATE INDEX ON bench_slot (sub_id, slot)")
    insert(
        cursor, a.RincianBelanja,
        {"rka_id": "rka.id", "rekening_id": "sl.rekening_id",
         "uraian": "'Belanja ' || (ARRAY['alat tulis','bahan cetak','makan minum rapat','honorarium narasumber',"
                   "'perjalanan dinas','pemeliharaan kendaraan','sewa gedung','peralatan kantor'])[sl.slot + 1]"
                   " || ' ' || g",
         "spesifikasi": "'Spesifikasi umum'",
         "volume": "(1 + floor(40 * bench_chain_r(sl.key || g)))::numeric",
         "satuan": "(ARRAY['paket','orang','kegiatan','unit','bulan','OK'])[1 + mod(g, 6)]",
         "harga_satuan": "round((50000 + 4950000 * bench_chain_r(sl.key || 'h' || g))::numeric, -3)",
         "jumlah": "(1 + floor(40 * bench_chain_r(sl.key || g)))::numeric "
                   "* round((50000 + 4950000 * bench_chain_r(sl.key || 'h' || g))::numeric, -3)",
         "justifikasi": "'Harga pasar setempat (bench)'", "sumber_dana": "'PAD'", "urutan": "g",
         "perlu_perbaikan": "false"},
        f"FROM {t(a.Rka)} rka CROSS JOIN generate_series(1, %s) g "
        "JOIN bench_slot sl ON sl.sub_id = rka.sub_kegiatan_id AND sl.slot = mod(g, %s) "
        f"WHERE rka.tahap_id = {tahap} ORDER BY rka.id, g",
        [RINCIAN_PER_RKA, REKENING_SLOTS],
    )  # fmt: skip
    cursor.execute(
        f"UPDATE {t(a.Rka)} rka SET total = x.s FROM (SELECT rka_id, sum(jumlah) s FROM {t(a.RincianBelanja)} rb "
        f"JOIN {t(a.Rka)} r ON r.id = rb.rka_id WHERE r.tahap_id = {tahap} GROUP BY rka_id) x WHERE rka.id = x.rka_id"
    )
    # Cash plan: back-loaded monthly weights (sum 100); December takes the rounding rest.
    weights = "(ARRAY[4,6,7,8,8,9,9,9,9,10,10,11])[m]"
    insert(
        cursor, a.AnggaranKas,
        {"rka_id": "rka.id", "bulan": "m", "nilai": f"round(rka.total * {weights} / 100, 2)"},
        f"FROM {t(a.Rka)} rka CROSS JOIN generate_series(1, 11) m WHERE rka.tahap_id = {tahap} ORDER BY rka.id, m",
    )  # fmt: skip
    insert(
        cursor, a.AnggaranKas,
        {"rka_id": "rka.id", "bulan": "12",
         "nilai": f"rka.total - (SELECT sum(k.nilai) FROM {t(a.AnggaranKas)} k WHERE k.rka_id = rka.id)"},
        f"FROM {t(a.Rka)} rka WHERE rka.tahap_id = {tahap} ORDER BY rka.id",
    )  # fmt: skip
    insert(
        cursor, a.DpaBaris,
        {"sub_kegiatan_id": "rka.sub_kegiatan_id", "unit_id": "rka.unit_id", "tahun": "rka.tahun",
         "rekening_id": "rb.rekening_id", "kode_rekening": "kr.kode", "pagu": "sum(rb.jumlah)",
         "pagu_murni": "sum(rb.jumlah)", "tahap_id": "rka.tahap_id"},
        f"FROM {t(a.RincianBelanja)} rb JOIN {t(a.Rka)} rka ON rka.id = rb.rka_id "
        f"JOIN {t(a.KodeRekening)} kr ON kr.id = rb.rekening_id WHERE rka.tahap_id = {tahap} "
        "GROUP BY rka.sub_kegiatan_id, rka.unit_id, rka.tahun, rb.rekening_id, kr.kode, rka.tahap_id "
        "ORDER BY rka.sub_kegiatan_id, kr.kode",
    )  # fmt: skip
    insert(
        cursor, a.Pagu,
        {"tahap_id": "rka.tahap_id", "unit_id": "rka.unit_id", "nilai": "round(sum(rka.total) * 1.02, -6)"},
        f"FROM {t(a.Rka)} rka WHERE rka.tahap_id = {tahap} GROUP BY rka.tahap_id, rka.unit_id",
    )  # fmt: skip
    cursor.execute("DROP TABLE bench_slot")


def _check_columns(model, given: set[str]) -> None:
    """A step that writes a hand-made INSERT: fail loudly when the model gained a NOT NULL column."""
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in given or field.null or field.has_default():
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        raise ValueError(f"{model.__name__}.{field.name} is NOT NULL without a default: give it in the step")


def last_month(tahun: int, today: dt.date) -> int:
    """Months with realisation: the whole year in the past, up to today's month in the current year."""
    if tahun < today.year:
        return 12
    if tahun > today.year:
        return 0
    return today.month


def step_realisasi(cursor, tahun: int, months: int) -> None:
    """Per sub kegiatan and month one SP2D paying 3 of its DPA lines; monthly cumulative physical progress."""
    a, _k, _m, p, r = _models()
    from terpadu.organisasi.models import UnitKerja

    if months < 1:
        return
    # Slot j of month m pays line (3m + j) mod 8: 4–5 payments per line a year, each 4–18 % of the line's
    # pagu times the sub kegiatan's pace (0.5–1.0, so some lag their cash plan): never above 90 % of a line.
    cursor.execute(
        f"""
        CREATE TEMP TABLE bench_real AS
        WITH line AS (
            SELECT d.id AS dpa_id, d.sub_kegiatan_id, d.unit_id, d.pagu, u.kode AS unit_kode, n.kode AS sub_kode,
                   row_number() OVER (PARTITION BY d.sub_kegiatan_id ORDER BY d.kode_rekening) - 1 AS slot
            FROM {t(a.DpaBaris)} d JOIN {t(p.RenjaSubKegiatan)} s ON s.id = d.sub_kegiatan_id
            JOIN {t(p.Nomenklatur)} n ON n.id = s.sub_kegiatan_id JOIN {t(UnitKerja)} u ON u.id = d.unit_id
            WHERE d.tahun = %s
        )
        SELECT line.dpa_id, line.sub_kegiatan_id, line.unit_id, line.unit_kode, line.sub_kode, m AS bulan,
               round(line.pagu * ((0.04 + 0.14 * bench_chain_r(line.unit_kode || line.sub_kode || m || '/' || j))
                     * (0.5 + 0.5 * bench_chain_r(line.unit_kode || line.sub_kode || 'pace')))::numeric, 2) AS nilai
        FROM line CROSS JOIN generate_series(1, %s) m CROSS JOIN generate_series(0, %s) j
        WHERE line.slot = mod(3 * m + j, %s)
        """,
        [tahun, months, SP2D_LINES - 1, REKENING_SLOTS],
    )
    cursor.execute("CREATE INDEX ON bench_real (sub_kegiatan_id, bulan)")
    nomor = f"'SP2D/' || r.unit_kode || '/' || r.sub_kode || '/' || lpad(r.bulan::text, 2, '0') || '/{int(tahun)}'"
    insert(
        cursor, r.Sp2d,
        {"tahun": str(int(tahun)), "unit_id": "r.unit_id", "nomor": nomor,
         "tanggal": f"make_date({int(tahun)}, r.bulan, 1) + (mod(abs(hashtext({nomor})::bigint), 25))::int",
         "jenis": "CASE WHEN mod(r.bulan, 3) = 0 THEN 'LS' ELSE 'GU' END",
         "uraian": "'Pembayaran ' || r.sub_kode || ' bulan ' || r.bulan", "nilai": "sum(r.nilai)",
         "sumber": "'impor'", "referensi": "''"},
        "FROM bench_real r GROUP BY r.unit_id, r.unit_kode, r.sub_kode, r.bulan "
        "ORDER BY r.bulan, r.unit_kode, r.sub_kode",
    )  # fmt: skip
    insert(
        cursor, r.Realisasi,
        {"sp2d_id": "sp.id", "dpa_baris_id": "r.dpa_id", "sub_kegiatan_id": "r.sub_kegiatan_id",
         "unit_id": "r.unit_id", "tahun": str(int(tahun)), "bulan": "r.bulan", "nilai": "r.nilai"},
        f"FROM bench_real r JOIN {t(r.Sp2d)} sp ON sp.tahun = {int(tahun)} AND sp.nomor = {nomor} "
        "ORDER BY sp.id, r.dpa_id",
    )  # fmt: skip
    insert(
        cursor, r.ProgresFisik,
        {"sub_kegiatan_id": "s.id", "unit_id": "s.unit_id", "tahun": "s.tahun", "bulan": "m",
         "persen": "least(100, round((100.0 * m / 12 * (0.6 + 0.45 * bench_chain_r(u.kode || n.kode || 'fisik')))"
                   "::numeric, 2))",
         "narasi": "'Pekerjaan berjalan sesuai jadwal (bench)'"},
        f"FROM {t(p.RenjaSubKegiatan)} s JOIN {t(p.Nomenklatur)} n ON n.id = s.sub_kegiatan_id "
        f"JOIN {t(UnitKerja)} u ON u.id = s.unit_id CROSS JOIN generate_series(1, %s) m "
        f"WHERE s.tahun = {int(tahun)} ORDER BY s.id, m",
        [months],
    )  # fmt: skip
    cursor.execute("DROP TABLE bench_real")


def step_kontrak(cursor, tahun: int) -> None:
    """3 packages per OPD (each on the largest DPA line of one sub kegiatan), a contract and two termin each."""
    a, k, _m, p, _r = _models()
    from terpadu.organisasi.models import UnitKerja

    if not k.Penyedia.objects.exists():
        insert(
            cursor, k.Penyedia,
            {"nama": "'CV Bench Mitra ' || g", "npwp": "lpad((100000000000000 + g * 7919)::text, 15, '0')",
             "alamat": "'Jl. Contoh No. ' || g || ', Sukamaju'", "kualifikasi": "'kecil'"},
            "FROM generate_series(1, 200) g",
        )  # fmt: skip
    cursor.execute(
        f"""
        CREATE TEMP TABLE bench_paket AS
        SELECT d.id AS dpa_id, d.unit_id, u.kode AS unit_kode, n.kode AS sub_kode, d.pagu,
               row_number() OVER (ORDER BY u.kode, n.kode) AS nr
        FROM (
            SELECT d.*, row_number() OVER (PARTITION BY d.unit_id ORDER BY d.pagu DESC, d.id) AS rk
            FROM {t(a.DpaBaris)} d WHERE d.tahun = %s
        ) d JOIN {t(p.RenjaSubKegiatan)} s ON s.id = d.sub_kegiatan_id
        JOIN {t(p.Nomenklatur)} n ON n.id = s.sub_kegiatan_id JOIN {t(UnitKerja)} u ON u.id = d.unit_id
        WHERE d.rk <= %s
        """,
        [tahun, PAKET_PER_OPD],
    )
    rup = f"'RUP-{int(tahun)}-' || lpad(b.nr::text, 6, '0')"
    insert(
        cursor, k.Paket,
        {"tahun": str(int(tahun)), "unit_id": "b.unit_id", "kode_rup": rup,
         "nama": "'Pengadaan ' || b.sub_kode || ' (bench)'", "metode": "'tender'", "jenis": "'barang'",
         "pagu": "round(b.pagu * 0.9, 2)", "sumber_dana": "'PAD'", "lokasi": "'Kota Sukamaju'"},
        "FROM bench_paket b ORDER BY b.nr",
    )  # fmt: skip
    paket = f"JOIN {t(k.Paket)} pk ON pk.tahun = {int(tahun)} AND pk.kode_rup = {rup}"
    insert(
        cursor, k.PaketDpa,
        {"paket_id": "pk.id", "dpa_baris_id": "b.dpa_id", "nilai": "pk.pagu"},
        f"FROM bench_paket b {paket}",
    )  # fmt: skip
    insert(
        cursor, k.Kontrak,
        {"paket_id": "pk.id", "unit_id": "b.unit_id", "tahun": str(int(tahun)),
         "nomor": f"'KTR/' || b.unit_kode || '/' || b.nr || '/{int(tahun)}'",
         "tanggal": f"make_date({int(tahun)}, 3, 1) + mod(b.nr::int, 60)",
         "penyedia_id": f"(SELECT min(id) FROM {t(k.Penyedia)}) + mod(b.nr::int, 200)",
         "jenis_kontrak": "'lumsum'", "hps": "pk.pagu", "nilai": "round(pk.pagu * 0.95, 2)",
         "nilai_awal": "round(pk.pagu * 0.95, 2)", "mulai": f"make_date({int(tahun)}, 3, 15) + mod(b.nr::int, 60)",
         "selesai": f"make_date({int(tahun)}, 11, 30)", "status": "'berjalan'",
         "lingkup": "'Pengadaan barang (bench)'"},
        f"FROM bench_paket b {paket} ORDER BY b.nr",
    )  # fmt: skip
    insert(
        cursor, k.Termin,
        {"kontrak_id": "kt.id", "urutan": "g", "jenis": "CASE g WHEN 1 THEN 'uang_muka' ELSE 'termin' END",
         "persen_fisik": "CASE g WHEN 1 THEN 0 ELSE 100 END",
         "nilai": "CASE g WHEN 1 THEN round(kt.nilai * 0.3, 2) ELSE kt.nilai - round(kt.nilai * 0.3, 2) END"},
        f"FROM {t(k.Kontrak)} kt CROSS JOIN generate_series(1, 2) g WHERE kt.tahun = {int(tahun)} ORDER BY kt.id, g",
    )  # fmt: skip
    cursor.execute("DROP TABLE bench_paket")


# -- driver --------------------------------------------------------------------------------------------------


def chain_tables() -> list[str]:
    """Every table of the five chain apps (emptied when the generator version changes)."""
    from django.apps import apps

    tables = []
    for label in ("perencanaan", "anggaran", "kontrak", "realisasi", "monev"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if not model._meta.proxy and model._meta.managed:
                tables.append(model._meta.db_table)
    return tables


def steps(today: dt.date) -> list[tuple[str, object]]:
    out = [("master", step_master), ("rencana", step_rencana)]
    for tahun in YEARS:
        out.append((f"anggaran_{tahun}", lambda c, _u, y=tahun: step_anggaran(c, y)))
    for tahun in YEARS:
        out.append((f"realisasi_{tahun}", lambda c, _u, y=tahun: step_realisasi(c, y, last_month(y, today))))
        out.append((f"kontrak_{tahun}", lambda c, _u, y=tahun: step_kontrak(c, y)))
    return out


def prepare(scale: int = 1, log=print, today: dt.date | None = None) -> dict:
    """Make sure the bench database (Django is set up on it) holds the chain; returns counts. `scale` is
    accepted for symmetry with the other generators: the chain is the issue's size at every scale."""
    from django.db import connection

    del scale
    today = today or dt.date.today()
    ensure_leader(log)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_chain_step (step text PRIMARY KEY, version integer)")
        cursor.execute("SELECT step FROM bench_chain_step WHERE version = %s", [VERSION])
        done = {row[0] for row in cursor.fetchall()}
    todo = [(name, fn) for name, fn in steps(today) if name not in done]
    if not todo:
        ensure_scales(log)
        counts = _counts()
        log(
            f"Reusing the chain: {counts['sub_kegiatan']:,} sub kegiatan, {counts['rincian']:,} rincian, "
            f"{counts['realisasi']:,} realisation rows (bench_chain_step, version {VERSION})."
        )
        return counts
    if not done:
        _clear(connection, log)
    units = opds()
    started = time.monotonic()
    log(f"Loading the chain ({len(todo)} step(s): 5 years × {OPD_COUNT} OPD × 75 sub kegiatan) …")
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
        cursor.execute("SET work_mem TO '64MB'")
        cursor.execute(RAND_FN)
    for name, fn in todo:
        began = time.monotonic()
        with raw.transaction(), raw.cursor() as cursor:
            fn(cursor, units)
            cursor.execute("INSERT INTO bench_chain_step (step, version) VALUES (%s, %s)", [name, VERSION])
        log(f"  {name}: {time.monotonic() - began:.0f} s")
    _finish(connection, log)
    ensure_scales(log)
    counts = _counts()
    counts["seconds"] = round(time.monotonic() - started)
    log(f"Loaded the chain in {counts['seconds']} s: {json.dumps(counts)}")
    return counts


def _clear(connection, log) -> None:
    tables = chain_tables()
    log(f"  emptying {len(tables)} chain tables (first run or generator version {VERSION})")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM bench_chain_step")
        # SPBE's rows (bench.generate_spbe) reference the chain's (sasaran, DPA lines): they go too, and its marker
        # with them, so that its generator loads them again.
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        cursor.execute("DROP TABLE IF EXISTS bench_spbe_step")


def _finish(connection, log) -> None:
    log("  analysing …")
    old = connection.connection.autocommit
    connection.connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(chain_tables())}")
    connection.connection.autocommit = old


def _counts() -> dict:
    a, k, _m, p, r = _models()
    return {
        "sub_kegiatan": p.RenjaSubKegiatan.objects.count(),
        "rka": a.Rka.objects.count(),
        "rincian": a.RincianBelanja.objects.count(),
        "dpa_baris": a.DpaBaris.objects.count(),
        "anggaran_kas": a.AnggaranKas.objects.count(),
        "sp2d": r.Sp2d.objects.count(),
        "realisasi": r.Realisasi.objects.count(),
        "progres_fisik": r.ProgresFisik.objects.count(),
        "kontrak": k.Kontrak.objects.count(),
    }


def check(today: dt.date | None = None) -> list[str]:
    """Invariants the services would enforce, checked on the generated rows (empty list: all hold)."""
    from django.db import connection

    a, _k, _m, _p, r = _models()
    problems = []
    queries = {
        "RKA total ≠ sum of its rincian": f"SELECT count(*) FROM {t(a.Rka)} rka WHERE rka.total <> "
        f"(SELECT coalesce(sum(jumlah), 0) FROM {t(a.RincianBelanja)} WHERE rka_id = rka.id)",
        "anggaran kas ≠ RKA total": f"SELECT count(*) FROM {t(a.Rka)} rka WHERE rka.total <> "
        f"(SELECT coalesce(sum(nilai), 0) FROM {t(a.AnggaranKas)} WHERE rka_id = rka.id)",
        "realisation above a DPA line": f"SELECT count(*) FROM {t(a.DpaBaris)} d WHERE d.pagu < "
        f"(SELECT coalesce(sum(nilai), 0) FROM {t(r.Realisasi)} WHERE dpa_baris_id = d.id)",
        "SP2D ≠ sum of its rows": f"SELECT count(*) FROM {t(r.Sp2d)} sp WHERE sp.nilai <> "
        f"(SELECT coalesce(sum(nilai), 0) FROM {t(r.Realisasi)} WHERE sp2d_id = sp.id)",
        "OPD RKA above its pagu": f"SELECT count(*) FROM {t(a.Pagu)} pg WHERE pg.nilai < "
        f"(SELECT coalesce(sum(total), 0) FROM {t(a.Rka)} WHERE tahap_id = pg.tahap_id AND unit_id = pg.unit_id)",
    }
    with connection.cursor() as cursor:
        for label, sql in queries.items():
            cursor.execute(sql)
            n = cursor.fetchone()[0]
            if n:
                problems.append(f"{label}: {n}")
    return problems


def main(argv: list[str] | None = None) -> None:
    from bench import generate

    parser = argparse.ArgumentParser(prog="python -m bench.generate_chain", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="the city's scale (the chain is the same size)")
    parser.add_argument("--database-url", help=f"default: {generate.DEFAULT_SERVER}/{generate.DB_PREFIX}[_sN]")
    parser.add_argument("--check", action="store_true", help="verify the services' invariants on the rows")
    args = parser.parse_args(argv)
    generate.prepare(args.database_url or generate.default_database_url(args.scale), args.scale)
    counts = prepare(args.scale)
    print(json.dumps(counts, indent=2, default=str))
    if args.check:
        problems = check()
        print("invariants: " + ("all hold" if not problems else "; ".join(problems)))


if __name__ == "__main__":
    main()
