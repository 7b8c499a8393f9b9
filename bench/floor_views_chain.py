"""Floors of the monev scenarios of the chain (issue 4; mounted by bench/floor_views.py under /_bench/chain/;
loopback only).

`/_bench/chain/monev/?tahun=&bulan=&level=kota|opd|program&parent=` answers what the monev dashboard shows at
that level — per row (OPD / program / kegiatan): pagu (DpaBaris), cumulative cash plan (AnggaranKas of each
sub kegiatan's latest adopted approved RKA), cumulative realisation (Realisasi), physical progress (latest
ProgresFisik at or before the month, weighted by pagu), the rating band of the realisation, and the monthly
cash plan / realisation series of the total — from hand-written SQL aggregates (GROUP BY per row and month,
DISTINCT ON for the latest progress), rendered as a bare HTML table with the series as JSON. No ORM, no gate,
no template engine, no session: what is left of the page when everything but its data is taken away.
"""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django.db import connection
from django.http import Http404, HttpResponse
from django.urls import path

from bench.floor_views import _user, loopback_only

PCT = Decimal("0.0001")
ZERO = Decimal(0)

# The SQL of the five queries. Per level the row key and its filter on a ledger table aliased `{a}`: the city
# groups by the unit the ledger rows carry (no join); an OPD by program and a program by kegiatan, codes
# denormalised on RenjaSubKegiatan (joined as s), after filtering on the unit the ledger rows carry.
LEVELS = {
    "kota": ("{a}.unit_id", "", ""),
    "opd": ("s.kode_program", "JOIN perencanaan_renjasubkegiatan s ON s.id = {a}.sub_kegiatan_id",
            "AND {a}.unit_id = %(unit)s"),
    "program": ("s.kode_kegiatan", "JOIN perencanaan_renjasubkegiatan s ON s.id = {a}.sub_kegiatan_id",
                "AND {a}.unit_id = %(unit)s AND s.kode_program = %(kode)s"),
}  # fmt: skip

# Per row: pagu, and progress weighted by each sub kegiatan's pagu (latest report at or before the month).
PAGU_FISIK = """
WITH pagu AS (
    SELECT d.sub_kegiatan_id, {key_d} AS k, sum(d.pagu) AS pagu FROM anggaran_dpabaris d {join_d}
    WHERE d.tahun = %(tahun)s {filter_d} GROUP BY 1, 2
), fisik AS (
    SELECT DISTINCT ON (f.sub_kegiatan_id) f.sub_kegiatan_id, f.persen FROM realisasi_progresfisik f
    WHERE f.tahun = %(tahun)s AND f.bulan <= %(bulan)s {unit_f} ORDER BY f.sub_kegiatan_id, f.bulan DESC
)
SELECT pagu.k, sum(pagu.pagu), sum(pagu.pagu * coalesce(fisik.persen, 0)), count(*)
FROM pagu LEFT JOIN fisik ON fisik.sub_kegiatan_id = pagu.sub_kegiatan_id GROUP BY 1
"""

# Per row and month: the cash plan of each sub kegiatan's latest adopted approved RKA.
KAS = """
WITH rka AS (
    SELECT DISTINCT ON (r.sub_kegiatan_id) r.id, {key_r} AS k FROM anggaran_rka r
    JOIN anggaran_tahapanggaran t ON t.id = r.tahap_id {join_r}
    WHERE r.tahun = %(tahun)s AND r.status = 'disetujui' AND t.status = 'ditetapkan' {filter_r}
    ORDER BY r.sub_kegiatan_id, t.urutan DESC
)
SELECT rka.k, k.bulan, sum(k.nilai) FROM anggaran_anggarankas k JOIN rka ON rka.id = k.rka_id GROUP BY 1, 2
"""

REALISASI = """
SELECT {key_x} AS k, x.bulan, sum(x.nilai) FROM realisasi_realisasi x {join_x}
WHERE x.tahun = %(tahun)s {filter_x} GROUP BY 1, 2
"""

NAMES = {
    "kota": "SELECT id, kode, nama FROM organisasi_unitkerja WHERE id = ANY(%(keys)s)",
    "opd": "SELECT n.kode, n.kode, n.nama FROM perencanaan_nomenklatur n JOIN perencanaan_versinomenklatur v "
    "ON v.id = n.versi_id WHERE v.tahun = %(tahun)s AND n.kode = ANY(%(keys)s)",
}
NAMES["program"] = NAMES["opd"]
PITA = (
    "SELECT p.kategori, p.batas_bawah, p.bawah_inklusif, p.batas_atas, p.atas_inklusif, p.warna "
    "FROM monev_pitarating p JOIN monev_skalarating s ON s.id = p.skala_id WHERE s.kode = %(skala)s ORDER BY p.urutan"
)


def _sql(template: str, level: str) -> str:
    key, join, where = LEVELS[level]
    parts = {}
    for alias in "drx":
        parts[f"key_{alias}"] = key.format(a=alias)
        parts[f"join_{alias}"] = join.format(a=alias)
        parts[f"filter_{alias}"] = where.format(a=alias)
    parts["unit_f"] = "" if level == "kota" else "AND f.unit_id = %(unit)s"
    return template.format(**parts)


def _persen(part, whole) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(PCT, ROUND_HALF_UP) if whole else None


def _band(pita, value):
    for kategori, low, low_in, high, high_in, warna in pita:
        if low is not None and (value < low or (value == low and not low_in)):
            continue
        if high is not None and (value > high or (value == high and not high_in)):
            continue
        return kategori, warna
    return "", ""


def monev_rows(tahun: int, bulan: int, level: str, unit: int | None = None, kode: str | None = None) -> dict:
    """The figures of one dashboard level from five raw SQL queries (pagu+progress, cash plan, realisation,
    row names, rating bands)."""
    params = {"tahun": tahun, "bulan": bulan, "unit": unit, "kode": kode}
    rows: dict = {}
    kas_bulan: dict[int, Decimal] = defaultdict(Decimal)
    real_bulan: dict[int, Decimal] = defaultdict(Decimal)
    with connection.cursor() as cursor:
        cursor.execute(_sql(PAGU_FISIK, level), params)
        for k, pagu, weighted, subs in cursor.fetchall():
            rows[k] = {"pagu": pagu, "fisik_w": weighted, "subs": subs, "kas": ZERO, "realisasi": ZERO}
        cursor.execute(_sql(KAS, level), params)
        for k, month, total in cursor.fetchall():
            kas_bulan[month] += total
            if month <= bulan and k in rows:
                rows[k]["kas"] += total
        cursor.execute(_sql(REALISASI, level), params)
        for k, month, total in cursor.fetchall():
            real_bulan[month] += total
            if month <= bulan and k in rows:
                rows[k]["realisasi"] += total
        cursor.execute(NAMES[level], {**params, "keys": list(rows)})
        names = {k: (kode_, nama) for k, kode_, nama in cursor.fetchall()}
        cursor.execute(PITA, {"skala": f"kumulatif_tw{(bulan - 1) // 3 + 1}"})
        pita = cursor.fetchall()
    out = []
    for k, r in rows.items():
        persen = _persen(r["realisasi"], r["pagu"])
        kategori, warna = _band(pita, persen or ZERO)
        kode_, nama = names.get(k, (k, k))
        fisik = (r["fisik_w"] / r["pagu"]).quantize(PCT, ROUND_HALF_UP) if r["pagu"] else None
        out.append((kode_, nama, r["pagu"], r["kas"], r["realisasi"], persen, _persen(r["realisasi"], r["kas"]),
                    fisik, kategori, warna, k))  # fmt: skip
    out.sort()
    series, ck, cr = [], ZERO, ZERO
    for month in range(1, 13):
        ck += kas_bulan.get(month, ZERO)
        cr += real_bulan.get(month, ZERO)
        series.append((str(ck), str(cr) if month <= bulan else None))
    return {"rows": out, "series": series}


@loopback_only
def monev_floor(request):
    _user(request)  # as the authentication middleware would (one query), like every floor
    try:
        tahun, bulan = int(request.GET["tahun"]), int(request.GET["bulan"])
        level = request.GET.get("level", "kota")
        parent = request.GET.get("parent", "")
        unit, _sep, kode = parent.partition(":")
        data = monev_rows(tahun, bulan, level, int(unit) if unit else None, kode or None)
    except (KeyError, ValueError) as exc:
        raise Http404 from exc
    cells = "".join(
        f"<tr><td>{escape(str(r[0]))}</td><td><a href='?level=x&parent={escape(str(r[10]))}'>{escape(r[1])}</a></td>"
        + "".join(f"<td>{v}</td>" for v in r[2:8])
        + f"<td style='background:{escape(r[9])}'>{escape(r[8])}</td></tr>"
        for r in data["rows"]
    )
    body = f"<table>{cells}</table><script>{json.dumps(data['series'])}</script>"
    return HttpResponse(f"<!doctype html><title>monev</title>{body}")


urlpatterns = [
    path("monev/", monev_floor, name="bench_chain_monev"),
]
