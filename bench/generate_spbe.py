"""Bulk-load the SPBE governance data into the bench database (issue 5): 2,000 catalogue applications, 50,000
ICT spending lines over 5 years, the city's architecture elements with their links, the Peta Rencana, and a
self-assessment per year under both evaluation frameworks.

    python -m bench.generate_spbe [--scale N] [--database-url …]

Runs after bench.generate built the city (it calls bench.generate.prepare first). Reference data goes through
the services (national applications, the reference architecture edition, the SPBE 2020 and PEMDI 2026
frameworks: small, and audited as in production); the bulk rows do not (no audit events): they are written
with COPY, ids given explicitly (deterministic: the same rows on every rebuild, `random.Random(SEED)`).

- 1,500 architecture elements (250 per domain) over the OPDs, linked to the level-2 national reference codes of
  their domain; ~1,500 links (layanan → proses bisnis → data → aplikasi → infrastruktur, keamanan → aplikasi).
- 1,400 Peta Rencana items (2022–2026 × 7 sections × 40), each linked to 1–2 elements.
- 2,000 applications across every OPD (2 % without an owner): 20 % aplikasi umum using a national
  application, the rest khusus, some duplicating an aplikasi umum's function (e-office, pengaduan …); lifecycle
  status with dates (some stopped within two years), hosting, TIME, security audits of varying age; 70 % serve
  1–3 layanan, 50 % hold 1–3 data items, ~1,500 integrations.
- 50,000 BelanjaTik (10,000 a year, 2022–2026): 20 % are DPA lines of the chain (anggaran.DpaBaris of the same
  year, when bench/generate_chain.py loaded them; amount read from the line, `nilai` empty), the rest entered or
  imported lines with an amount; 70 % linked to an application of their OPD, 60 % to an element, 50 % to a Peta
  Rencana item of their year (so some are unlinked and flagged).
- Self-assessments (jenis mandiri) under SPBE 2020 for 2022–2025 (locked, index stored) and PEMDI 2026 for 2026
  (being filled in), every indicator scored.

Idempotent: one marker row in bench_spbe_step (with VERSION); a rerun with the same VERSION reuses the rows;
another VERSION (or a first run) empties the spbe tables it fills and loads them again in one transaction.
Also makes the persona `spbe.kominfo` (role admin-spbe, whole pemda, TOTP) through the account services when the
bench city predates it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from decimal import Decimal

VERSION = 1  # bump when the generated rows change
SEED = 2026
YEARS = (2022, 2023, 2024, 2025, 2026)
APLIKASI = 2_000
BELANJA = 50_000
ELEMEN_PER_DOMAIN = 250
RENCANA_PER_SECTION = 40
DPA_SHARE = 0.2  # share of the spending lines that are DPA lines (when the chain is loaded)
PERSONA = "spbe.kominfo"  # pengelola SPBE (admin-spbe, whole pemda); bench/scenarios_spbe.py signs in as it
TODAY = dt.date(2026, 9, 30)  # the generated dates are relative to a fixed day: the same rows on every rebuild

DOMAINS = ("layanan", "proses_bisnis", "data", "aplikasi", "infrastruktur", "keamanan")
DOMAIN_MODEL = {"proses_bisnis": "RAB", "data": "RAD", "layanan": "RAL", "aplikasi": "RAA",
                "infrastruktur": "RAI", "keamanan": "RAK"}  # fmt: skip
MUATAN = ("tata_kelola", "manajemen", "layanan", "infrastruktur", "aplikasi", "keamanan", "audit_tik")
WORDS = (
    (
        "perizinan kependudukan kesehatan pendidikan pajak retribusi aset keuangan kepegawaian pengaduan arsip "
        "perpustakaan pariwisata pertanian perikanan perdagangan koperasi umkm transportasi parkir sampah "
        "lingkungan bencana kebakaran sosial bansos gizi posyandu puskesmas sekolah beasiswa statistik persandian "
        "jaringan pusat_data website portal dashboard absensi kinerja perencanaan anggaran pengadaan kontrak"
    )
    .replace("_", " ")
    .split()
)
# (name pattern, bidang, fungsi): khusus apps that duplicate an aplikasi umum's function (flagged)
DUPLICATES = (
    ("e-Office {u}", "", "Persuratan elektronik, naskah dinas dan disposisi internal."),
    ("e-Lapor {u}", "", "Kanal aduan masyarakat dan keluhan pelayanan."),
    ("SIMPEG {u}", "kepegawaian", "Data pegawai, mutasi dan kenaikan pangkat."),
)
TECH = ("PHP, MySQL", "Laravel, PostgreSQL", "Python, Django, PostgreSQL", "Java, Oracle", "Node.js, MongoDB",
        "WordPress", ".NET, SQL Server", "CodeIgniter, MySQL")  # fmt: skip
HOSTING = (("dc_kota", 45), ("cloud", 20), ("pdn", 15), ("pihak_ketiga", 10), ("nasional", 10))
STATUS = (("operasi", 65), ("pengembangan", 10), ("usulan", 8), ("dihentikan", 17))
TIME_CLASS = (("tolerate", 30), ("invest", 30), ("migrate", 15), ("eliminate", 10), ("", 15))
KATEGORI = ("perangkat_keras", "perangkat_lunak", "jasa", "konektivitas")
KLASIFIKASI = ("terbuka", "terbatas", "rahasia", "pribadi")
METODE = ("splp", "api", "sso", "berkas", "basis_data")

# The spbe tables this generator fills (emptied on a version change); reference data and frameworks stay.
TABLES = (
    "BelanjaTik", "IntegrasiAplikasi", "DataAplikasi", "UsulanAplikasi", "Aplikasi", "PetaRencanaItem",
    "Kebutuhan", "Kesenjangan", "RelasiElemen", "ElemenArsitektur", "BuktiDukung", "NilaiIndikator", "Penilaian",
)  # fmt: skip


def _weighted(rng: random.Random, pairs) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


# -- reference data and the persona (through the services) ------------------------------------------------------


def ensure_reference(log=print) -> None:
    from terpadu.core.context import acting
    from terpadu.spbe import services_arsitektur, services_evaluasi, services_katalog
    from terpadu.spbe.models import AplikasiNasional, Kerangka, VersiReferensi

    with acting(None, via="command"):
        if not AplikasiNasional.objects.exists():
            services_katalog.load_national_apps()
            log("  loaded the national applications")
        if not VersiReferensi.objects.exists():
            services_arsitektur.load_reference(2022)
            log("  loaded the national reference architecture (edition from 2022)")
        if not Kerangka.objects.filter(kode__in=("SPBE_2020", "PEMDI_2026")).count() == 2:
            services_evaluasi.muat_semua()
            log("  loaded the evaluation frameworks")


def ensure_persona(log=print) -> None:
    """The whole-pemda pengelola SPBE (role admin-spbe, 2FA), made through the account services."""
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role, User
    from terpadu.core.context import acting
    from terpadu.demo.accounts import DEMO_PASSWORD
    from terpadu.organisasi.models import Pegawai

    if User.objects.filter(username=PERSONA).exists():
        return
    with acting(None, via="command"), transaction.atomic():
        access.load_default_roles()
        pegawai = (
            Pegawai.objects.filter(jabatan__unit__kode="401.106.3", user__isnull=True).order_by("pk").first()
            or Pegawai.objects.filter(user__isnull=True).order_by("pk").first()
        )
        user = access.create_user(PERSONA, DEMO_PASSWORD, pegawai=pegawai)
        access.assign_role(user, Role.objects.get(code="admin-spbe"), None)
        TOTPDevice.objects.create(user=user, name="bench authenticator", confirmed=True)
    log(f"  made the persona {PERSONA} (admin-spbe, whole pemda, TOTP)")


# -- bulk rows -------------------------------------------------------------------------------------------------


def _model(name: str):
    from django.apps import apps

    return apps.get_model("spbe", name)


def _defaults(model) -> list[tuple[str, object]]:
    """(column, default value) for every concrete column; None for the ones a row must give."""
    from django.db import models
    from django.utils import timezone

    out = []
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = timezone.now()
        elif field.has_default():
            value = field.get_default()
        elif field.null or field.primary_key:
            value = None
        elif isinstance(field, models.CharField | models.TextField):
            value = ""
        else:
            value = None
        out.append((field.column, value))
    return out


def copy_rows(cursor, model, rows: list[dict]) -> int:
    """COPY rows (dicts by column name, id included) into the model's table; missing columns take the default."""
    from django.db import models as djm
    from psycopg.types.json import Jsonb

    columns = _defaults(model)
    json_columns = {f.column for f in model._meta.concrete_fields if isinstance(f, djm.JSONField)}
    names = [c for c, _ in columns]
    unknown = {k for row in rows for k in row} - set(names)
    if unknown:
        raise ValueError(f"{model.__name__} has no column(s) {', '.join(sorted(unknown))}")
    with cursor.copy(f"COPY {model._meta.db_table} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            values = []
            for column, default in columns:
                value = row.get(column, default)
                if column in json_columns:
                    value = Jsonb(value if value is not None else {})
                values.append(value)
            copy.write_row(values)
    return len(rows)


def copy_m2m(cursor, table: str, left: str, right: str, pairs) -> int:
    pairs = sorted(set(pairs))
    with cursor.copy(f"COPY {table} ({left}, {right}) FROM STDIN") as copy:
        for a, b in pairs:
            copy.write_row((a, b))
    return len(pairs)


def _opds() -> list[tuple[int, str]]:
    """Every current OPD (depth 1: dinas, badan, kecamatan, setda …), by code: (id, singkatan or nama)."""
    from terpadu.organisasi.models import UnitKerja

    return [
        (u.pk, u.singkatan or u.nama)
        for u in UnitKerja.objects.current().filter(depth=1).order_by("kode").only("pk", "singkatan", "nama")
    ]


def _date(rng: random.Random, months_back_min: int, months_back_max: int) -> dt.date:
    return TODAY - dt.timedelta(days=rng.randint(months_back_min * 30, months_back_max * 30))


def load(cursor, log=print) -> dict:
    rng = random.Random(SEED)
    opds = _opds()
    counts: dict[str, int] = {}

    # -- architecture elements and their links --
    from terpadu.spbe import services_arsitektur
    from terpadu.spbe.models import AplikasiNasional, ReferensiArsitektur

    versi = services_arsitektur.current_versi()
    refs: dict[str, list[int]] = {}
    if versi is not None:
        for pk, model in ReferensiArsitektur.objects.filter(versi=versi, level=2, aktif=True).values_list(
            "pk", "model"
        ):
            refs.setdefault(model, []).append(pk)
    elemen, by_domain = [], {d: [] for d in DOMAINS}
    pk = 0
    for domain in DOMAINS:
        for n in range(ELEMEN_PER_DOMAIN):
            pk += 1
            unit_id, unit_name = opds[n % len(opds)]
            word = WORDS[(n * 7 + len(domain)) % len(WORDS)]
            status = "target" if n % 9 == 0 else "keduanya" if n % 5 == 0 else "saat_ini"
            candidates = refs.get(DOMAIN_MODEL[domain], [])
            elemen.append(
                {
                    "id": pk, "domain": domain, "kode": f"{DOMAIN_MODEL[domain]}.K.{n + 1:04d}",
                    "nama": f"{domain.replace('_', ' ').title()} {word} {unit_name}"[:300],
                    "uraian": f"Elemen {domain} {word} milik {unit_name} (bench).", "unit_id": unit_id,
                    "referensi_id": candidates[n % len(candidates)] if candidates else None,
                    "status": status, "metadata": {"bench": True},
                    "kondisi_target": "Terintegrasi melalui SPLP" if status != "saat_ini" else "",
                }
            )  # fmt: skip
            by_domain[domain].append(pk)
    relasi = set()
    chain = (("layanan", "proses_bisnis"), ("proses_bisnis", "data"), ("data", "aplikasi"),
             ("aplikasi", "infrastruktur"), ("layanan", "aplikasi"), ("keamanan", "aplikasi"),
             ("keamanan", "infrastruktur"), ("proses_bisnis", "aplikasi"))  # fmt: skip
    for dari, ke in chain:
        for i, a in enumerate(by_domain[dari]):
            if i % 4 != 3:  # three in four elements have a link of this kind
                relasi.add((a, by_domain[ke][(i * 3 + 1) % ELEMEN_PER_DOMAIN]))

    # -- applications --
    nasional = list(AplikasiNasional.objects.order_by("pk").values_list("pk", "bidang"))
    aplikasi, app_units = [], {}
    for i in range(1, APLIKASI + 1):
        unit_id, unit_name = opds[(i * 13) % len(opds)]
        if i % 50 == 7:
            unit_id = None  # without an owner (flagged)
        status = _weighted(rng, STATUS)
        operasi = _date(rng, 6, 120) if status in ("operasi", "dihentikan") else None
        usulan = (operasi or TODAY) - dt.timedelta(days=rng.randint(60, 400))
        stopped = None
        if status == "dihentikan":
            stopped = operasi + dt.timedelta(days=rng.randint(120, 1500))
            stopped = min(stopped, TODAY)
        word = WORDS[i % len(WORDS)]
        row = {
            "id": i, "unit_id": unit_id, "status": status, "tanggal_usulan": usulan, "tanggal_operasi": operasi,
            "tanggal_dihentikan": stopped, "hosting": _weighted(rng, HOSTING), "time": _weighted(rng, TIME_CLASS),
            "teknologi": rng.choice(TECH), "pengguna": f"Pegawai {unit_name}, masyarakat",
            "url": f"https://{word.replace(' ', '')}{i}.sukamajukota.go.id",
            "audit_keamanan_terakhir": _date(rng, 1, 40) if rng.random() < 0.7 else None,
            "publik": i % 10 != 0,
        }  # fmt: skip
        if i % 5 == 0 and nasional:  # aplikasi umum in use
            nas_pk, nas_bidang = nasional[i // 5 % len(nasional)]
            row.update(jenis="umum", aplikasi_nasional_id=nas_pk, bidang=nas_bidang or "",
                       nama=f"Aplikasi umum {nas_pk} {unit_name} {i}"[:200],
                       fungsi_bisnis=f"Pemakaian aplikasi umum nasional untuk {nas_bidang or word}.")  # fmt: skip
        elif i % 17 == 3:  # a khusus duplicating an aplikasi umum's function
            pattern, bidang, fungsi = DUPLICATES[i % len(DUPLICATES)]
            row.update(jenis="khusus", nama=f"{pattern.format(u=unit_name)} {i}"[:200], bidang=bidang,
                       fungsi_bisnis=fungsi)  # fmt: skip
        else:
            row.update(
                jenis="khusus", nama=f"Sistem Informasi {word.title()} {unit_name} {i}"[:200],
                singkatan=f"SI{word[:4].upper()}{i}", fungsi_bisnis=f"Pengelolaan {word} pada {unit_name}.",
            )  # fmt: skip
        aplikasi.append(row)
        if unit_id is not None:
            app_units.setdefault(unit_id, []).append(i)
    layanan = set()
    for i in range(1, APLIKASI + 1):
        if rng.random() < 0.7:
            for _ in range(rng.randint(1, 3)):
                layanan.add((i, rng.choice(by_domain["layanan"])))
    data, data_pk = [], 0
    for i in range(1, APLIKASI + 1):
        if rng.random() < 0.5:
            for _ in range(rng.randint(1, 3)):
                data_pk += 1
                data.append({"id": data_pk, "aplikasi_id": i, "nama": f"Data {rng.choice(WORDS)} {data_pk}",
                             "klasifikasi": rng.choice(KLASIFIKASI),
                             "elemen_id": rng.choice(by_domain["data"]) if rng.random() < 0.5 else None})  # fmt: skip
    integrasi = set()
    while len(integrasi) < 1_500:
        a, b = rng.randint(1, APLIKASI), rng.randint(1, APLIKASI)
        if a != b:
            integrasi.add((a, b, rng.choice(METODE)))
    # the aplikasi-domain elements describe catalogue applications
    for n, pk in enumerate(by_domain["aplikasi"]):
        elemen[pk - 1]["aplikasi_id"] = n * 7 + 1

    # -- Peta Rencana --
    rencana, rencana_elemen, by_year = [], set(), {y: [] for y in YEARS}
    pk = 0
    for tahun in YEARS:
        for muatan in MUATAN:
            for n in range(RENCANA_PER_SECTION):
                pk += 1
                unit_id, unit_name = opds[(pk * 5) % len(opds)]
                done = tahun < TODAY.year
                rencana.append(
                    {
                        "id": pk, "muatan": muatan, "tahun": tahun, "unit_id": unit_id,
                        "nama": f"{muatan.replace('_', ' ').title()}: {WORDS[pk % len(WORDS)]} {unit_name}"[:300],
                        "target_keluaran": f"{n + 1} keluaran", "perkiraan_biaya": Decimal(rng.randint(5, 500)) * 10**6,
                        "status": ("selesai" if rng.random() < 0.7 else "batal") if done else
                                  rng.choice(("rencana", "berjalan")),
                        "tahun_selesai": tahun + (1 if n % 6 == 0 else 0),
                    }
                )  # fmt: skip
                by_year[tahun].append(pk)
                domain = DOMAINS[n % len(DOMAINS)]
                for k in range(1 + n % 2):
                    rencana_elemen.add((pk, by_domain[domain][(pk + k * 31) % ELEMEN_PER_DOMAIN]))

    # -- belanja TIK --
    from terpadu.anggaran.models import DpaBaris

    per_year = BELANJA // len(YEARS)
    belanja, pk = [], 0
    for tahun in YEARS:
        lines = DpaBaris.objects.filter(tahun=tahun).order_by("pk").values_list("pk", "unit_id")
        dpa = list(lines[: int(per_year * DPA_SHARE)])
        for n in range(per_year):
            pk += 1
            kategori = KATEGORI[n % len(KATEGORI)]
            if n < len(dpa):
                dpa_id, unit_id = dpa[n]
                row = {"dpa_baris_id": dpa_id, "unit_id": unit_id, "sumber": "dpa", "nilai": None}
            else:
                unit_id = opds[(n * 11 + tahun) % len(opds)][0]
                amount = Decimal(rng.randint(1_000, 900_000)) * 1_000
                row = {"unit_id": unit_id, "sumber": "impor" if n % 3 == 0 else "manual", "nilai": amount}
            apps = app_units.get(row["unit_id"])
            row.update(
                id=pk, tahun=tahun, kategori=kategori,
                uraian=f"Belanja {kategori.replace('_', ' ')} {WORDS[(n + tahun) % len(WORDS)]} {pk}",
                aplikasi_id=rng.choice(apps) if apps and rng.random() < 0.7 else None,
                elemen_id=rng.choice(by_domain[rng.choice(DOMAINS)]) if rng.random() < 0.6 else None,
                peta_rencana_id=rng.choice(by_year[tahun]) if rng.random() < 0.5 else None,
            )  # fmt: skip
            belanja.append(row)

    # -- write (elements first without their application, which comes after the applications) --
    elemen_apps = {row["id"]: row.pop("aplikasi_id") for row in elemen if "aplikasi_id" in row}
    counts["elemen"] = copy_rows(cursor, _model("ElemenArsitektur"), elemen)
    links = [{"id": n, "dari_id": a, "ke_id": b} for n, (a, b) in enumerate(sorted(relasi), 1)]
    counts["relasi"] = copy_rows(cursor, _model("RelasiElemen"), links)
    counts["aplikasi"] = copy_rows(cursor, _model("Aplikasi"), aplikasi)
    cursor.execute(
        "UPDATE spbe_elemenarsitektur e SET aplikasi_id = v.a FROM (SELECT unnest(%s::int[]) AS e, "
        "unnest(%s::int[]) AS a) v WHERE e.id = v.e",
        [list(elemen_apps), list(elemen_apps.values())],
    )
    counts["layanan"] = copy_m2m(cursor, "spbe_aplikasi_layanan", "aplikasi_id", "elemenarsitektur_id", layanan)
    counts["data"] = copy_rows(cursor, _model("DataAplikasi"), data)
    counts["integrasi"] = copy_rows(
        cursor, _model("IntegrasiAplikasi"),
        [{"id": n, "dari_id": a, "ke_id": b, "metode": m} for n, (a, b, m) in enumerate(sorted(integrasi), 1)],
    )  # fmt: skip
    counts["peta_rencana"] = copy_rows(cursor, _model("PetaRencanaItem"), rencana)
    counts["peta_rencana_elemen"] = copy_m2m(
        cursor, "spbe_petarencanaitem_elemen", "petarencanaitem_id", "elemenarsitektur_id", rencana_elemen
    )
    counts["belanja"] = copy_rows(cursor, _model("BelanjaTik"), belanja)
    counts["belanja_dpa"] = sum(1 for b in belanja if b.get("dpa_baris_id"))
    counts["penilaian"] = load_penilaian(cursor, rng)
    for name in ("ElemenArsitektur", "RelasiElemen", "Aplikasi", "DataAplikasi", "IntegrasiAplikasi",
                 "PetaRencanaItem", "BelanjaTik", "Penilaian", "NilaiIndikator"):  # fmt: skip
        table = _model(name)._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 1))"
        )
    for table in ("spbe_aplikasi_layanan", "spbe_petarencanaitem_elemen"):
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 1))"
        )
    return counts


def load_penilaian(cursor, rng: random.Random) -> int:
    """SPBE 2020 self-assessments 2022–2025 (locked, index stored) and PEMDI 2026 for 2026 (draft), all scored."""
    from terpadu.spbe.models import Kerangka

    rows, nilai, pk, nilai_pk = [], [], 0, 0
    frameworks = [(Kerangka.objects.get(kode="SPBE_2020"), y) for y in YEARS[:-1]]
    frameworks.append((Kerangka.objects.get(kode="PEMDI_2026"), YEARS[-1]))
    for kerangka, tahun in frameworks:
        pk += 1
        locked = tahun < TODAY.year
        rows.append({"id": pk, "kerangka_id": kerangka.pk, "tahun": tahun, "jenis": "mandiri",
                     "status": "terkunci" if locked else "draft"})  # fmt: skip
        for ind in kerangka.indikator.order_by("nomor"):
            nilai_pk += 1
            if kerangka.skala == "level":
                score = Decimal(min(5, max(1, rng.randint(1, 4) + (tahun - YEARS[0]) // 2)))
            else:
                score = Decimal(rng.randint(100, 450)) / 100
            nilai.append({"id": nilai_pk, "penilaian_id": pk, "indikator_id": ind.pk, "nilai": score,
                          "justifikasi": f"Bench: indikator {ind.nomor} pada tahun {tahun}.",
                          "status": "diterima" if locked else "draft"})  # fmt: skip
    copy_rows(cursor, _model("Penilaian"), rows)
    copy_rows(cursor, _model("NilaiIndikator"), nilai)
    return len(rows)


def store_indices() -> None:
    """The locked assessments keep their index at full precision (as services_evaluasi.kunci stores it)."""
    from django.utils import timezone

    from terpadu.spbe import services_evaluasi
    from terpadu.spbe.models import Penilaian

    for penilaian in Penilaian.objects.filter(status="terkunci", indeks__isnull=True).select_related("kerangka"):
        result = services_evaluasi.hitung(penilaian)
        Penilaian.objects.filter(pk=penilaian.pk).update(
            indeks=result["indeks"], predikat=result["predikat"], dikunci=timezone.now()
        )


# -- driver --------------------------------------------------------------------------------------------------


def _tables() -> list[str]:
    tables = [_model(name)._meta.db_table for name in TABLES]
    return [*tables, "spbe_aplikasi_layanan", "spbe_petarencanaitem_elemen"]


def counts() -> dict:
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for name in ("Aplikasi", "BelanjaTik", "ElemenArsitektur", "PetaRencanaItem", "Penilaian"):
            cursor.execute(f"SELECT count(*) FROM {_model(name)._meta.db_table}")  # noqa: S608
            out[name] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM spbe_belanjatik WHERE dpa_baris_id IS NOT NULL")
        out["BelanjaTik (DPA lines)"] = cursor.fetchone()[0]
    return out


def prepare(scale: int = 1, log=print) -> dict:
    """Make sure the bench database (Django is set up on it) holds the SPBE rows; returns counts. `scale` is
    accepted for symmetry: the issue's sizes (2,000 applications, 50,000 spending lines) at every scale."""
    from django.db import connection, transaction

    del scale
    ensure_persona(log)
    ensure_reference(log)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_spbe_step (step text PRIMARY KEY, version integer)")
        cursor.execute("SELECT 1 FROM bench_spbe_step WHERE step = 'data' AND version = %s", [VERSION])
        done = cursor.fetchone() is not None
    if done:
        found = counts()
        log(
            f"Reusing the SPBE rows: {found['Aplikasi']:,} applications, {found['BelanjaTik']:,} ICT spending lines "
            f"({found['BelanjaTik (DPA lines)']:,} DPA lines) (bench_spbe_step, version {VERSION})."
        )
        return found
    started = time.monotonic()
    log(f"Loading the SPBE rows ({APLIKASI:,} applications, {BELANJA:,} ICT spending lines) …")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(f"TRUNCATE {', '.join(_tables())} RESTART IDENTITY")
        cursor.execute("DELETE FROM bench_spbe_step")
        made = load(cursor, log)
        cursor.execute("INSERT INTO bench_spbe_step (step, version) VALUES ('data', %s)", [VERSION])
    store_indices()
    old = connection.connection.autocommit
    connection.connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(_tables())}")
    connection.connection.autocommit = old
    made["seconds"] = round(time.monotonic() - started, 1)
    log(f"Loaded the SPBE rows in {made['seconds']} s: {json.dumps(made)}")
    return counts()


def main(argv: list[str] | None = None) -> None:
    from bench import generate

    parser = argparse.ArgumentParser(prog="python -m bench.generate_spbe", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="the city's scale (the SPBE rows are the same size)")
    parser.add_argument("--database-url", help=f"default: {generate.DEFAULT_SERVER}/{generate.DB_PREFIX}[_sN]")
    args = parser.parse_args(argv)
    generate.prepare(args.database_url or generate.default_database_url(args.scale), args.scale)
    print(json.dumps(prepare(args.scale), indent=2, default=str))


if __name__ == "__main__":
    main()
