"""Floors of the SPBE scenarios (issue 5; mounted by bench/floor_views.py under /_bench/spbe/; loopback only).

`/_bench/spbe/katalog/?user=&page=` answers what the application catalogue list (`spbe:aplikasi_list`, the first
page of 50 by name) shows for a whole-pemda viewer — from hand-written SQL, not the katalog services:

1. the number of applications (the paginator's count);
2. the page: each application with its owner OPD (singkatan/nama), its national application (aplikasi umum in
   use), the fields the flags are computed from, and whether it serves any layanan (EXISTS on the M2M table);
3. the aplikasi umum by bidang (what the duplicate flag compares against);
4. the filter form's owner-OPD choices (the SQL of the FilterSet's own unit queryset: today every unit, by path).

rendered as a bare HTML table with the unit choices as a <select>. No ORM, no gate, no flag rules, no template
engine, no session: what is left of the page when everything but its data is taken away. The ratio page/floor
is what the page adds on top of its data (session, middleware, authorization, the FilterSet, the flag rules, the
template); the flag rules alone are timed by `python -m bench.measure_spbe --only flags`.
"""

from __future__ import annotations

from html import escape

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from bench.floor_views import _user, loopback_only

PAGE = 50
COUNT = "SELECT count(*) FROM spbe_aplikasi"
ROWS = """
SELECT a.id, a.nama, a.singkatan, a.jenis, a.bidang, a.fungsi_bisnis, a.status, a.hosting, a.time,
       a.tanggal_operasi, a.tanggal_dihentikan, a.audit_keamanan_terakhir,
       u.id, u.nama, u.singkatan, n.id, n.nama,
       EXISTS (SELECT 1 FROM spbe_aplikasi_layanan l WHERE l.aplikasi_id = a.id) AS ada_layanan
FROM spbe_aplikasi a
LEFT JOIN organisasi_unitkerja u ON u.id = a.unit_id
LEFT JOIN spbe_aplikasinasional n ON n.id = a.aplikasi_nasional_id
ORDER BY a.nama, a.id
LIMIT %s OFFSET %s
"""
UMUM = "SELECT id, nama, bidang, keyakinan FROM spbe_aplikasinasional WHERE aplikasi_umum AND bidang <> ''"
UNITS = "SELECT id, nama FROM organisasi_unitkerja ORDER BY path"  # when the form's choices depend on the request


def units_sql() -> tuple[str, tuple]:
    """The owner-OPD choices the filter form renders: the SQL of the FilterSet's own queryset (so the floor
    follows the page when the choices change), run through a bare cursor; UNITS when it is a callable."""
    from django.db.models import QuerySet

    from terpadu.spbe.filters_katalog import AplikasiFilterSet

    queryset = getattr(AplikasiFilterSet.base_filters["unit"], "queryset", None)
    if callable(queryset) and not isinstance(queryset, QuerySet):
        try:
            queryset = queryset(None)  # a queryset callable takes the request; the choices must not depend on it
        except Exception:  # noqa: BLE001 (it does depend on the request: fall back to every unit)
            queryset = None
    if not isinstance(queryset, QuerySet):
        return UNITS, ()
    return queryset.values_list("id", "nama").query.sql_with_params()


def katalog_rows(page: int = 1) -> tuple[int, list, list, list]:
    """(count, page rows, aplikasi umum, unit choices): the catalogue list's data in four queries."""
    with connection.cursor() as cursor:
        cursor.execute(COUNT)
        count = cursor.fetchone()[0]
        cursor.execute(ROWS, [PAGE, (max(page, 1) - 1) * PAGE])
        rows = cursor.fetchall()
        cursor.execute(UMUM)
        umum = cursor.fetchall()
        cursor.execute(*units_sql())
        units = cursor.fetchall()
    return count, rows, umum, units


def _cell(value) -> str:
    return f"<td>{escape(str(value)) if value not in (None, '') else '—'}</td>"


@loopback_only
def katalog_floor(request):
    _user(request)  # as the authentication middleware would (one query), like every floor
    try:
        page = int(request.GET.get("page", 1))
    except ValueError:
        page = 1
    count, rows, umum, units = katalog_rows(page)
    out = [f"<p>{count}</p><select name='unit'><option value=''>---------</option>"]
    out += [f"<option value='{pk}'>{escape(nama)}</option>" for pk, nama in units]
    out.append("</select><table>")
    for r in rows:
        unit = r[14] or r[13]
        out.append(
            f"<tr><td><a href='/spbe/aplikasi/{r[0]}/'>{escape(r[1])}</a> {escape(r[4])}</td>"
            + "".join(_cell(v) for v in (r[3], r[16], unit, r[6], r[7], r[8], "layanan" if r[17] else ""))
            + "</tr>"
        )
    out.append(f"</table><!-- {len(umum)} aplikasi umum -->")
    return HttpResponse("".join(out))


urlpatterns = [
    path("katalog/", katalog_floor, name="bench_spbe_katalog"),
]
