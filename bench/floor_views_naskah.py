"""Floors of the naskah scenarios (mounted by bench/floor_views.py under /_bench/naskah/; loopback only).

- inbox: what naskah.views_masuk.inbox computes (the first page of 25 and the bounded counters), as JSON.
- fts: the raw full-text query with no gate, no ORM and no template: count and the 25 best-ranked rows of
  `search_vector @@ websearch_to_tsquery('indonesian', q)` over every naskah.
- ilike: the same count and first page by an ILIKE '%word%' scan over hal, ringkasan and teks (the
  comparison run; slow on purpose).
"""

from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.urls import path

from bench.floor_views import _user, loopback_only

PAGE = 25
FTS_COUNT = "SELECT count(*) FROM naskah_naskah WHERE search_vector @@ websearch_to_tsquery('indonesian', %s)"
FTS_PAGE = (
    "SELECT id, nomor, hal, tanggal, unit_id, sifat FROM naskah_naskah, websearch_to_tsquery('indonesian', %s) q "
    "WHERE search_vector @@ q ORDER BY ts_rank(search_vector, q) DESC, id DESC LIMIT 25"
)
ILIKE_WHERE = "hal ILIKE %s OR ringkasan ILIKE %s OR teks ILIKE %s"
ILIKE_COUNT = f"SELECT count(*) FROM naskah_naskah WHERE {ILIKE_WHERE}"
ILIKE_PAGE = (
    f"SELECT id, nomor, hal, tanggal, unit_id, sifat FROM naskah_naskah WHERE {ILIKE_WHERE} "
    "ORDER BY dibuat DESC, id DESC LIMIT 25"
)


def raw_fts(query: str) -> tuple[int, list]:
    with connection.cursor() as cursor:
        cursor.execute(FTS_COUNT, [query])
        count = cursor.fetchone()[0]
        cursor.execute(FTS_PAGE, [query])
        return count, cursor.fetchall()


def raw_ilike(word: str) -> tuple[int, list]:
    pattern = f"%{word}%"
    with connection.cursor() as cursor:
        cursor.execute(ILIKE_COUNT, [pattern] * 3)
        count = cursor.fetchone()[0]
        cursor.execute(ILIKE_PAGE, [pattern] * 3)
        return count, cursor.fetchall()


@loopback_only
def inbox_floor(request):
    from terpadu.naskah import masuk

    user = _user(request)
    items, has_more = masuk.inbox_page(user, 1, PAGE)
    counts = masuk.incoming_counters(user)
    return JsonResponse({"items": len(items), "more": has_more, "unread": counts.get("inbox_unread")})


@loopback_only
def fts_floor(request):
    _user(request)  # as the authentication middleware would (one query), like every floor
    count, rows = raw_fts(request.GET.get("q", ""))
    return JsonResponse({"count": count, "rows": len(rows)})


@loopback_only
def ilike_floor(request):
    _user(request)
    count, rows = raw_ilike(request.GET.get("q", ""))
    return JsonResponse({"count": count, "rows": len(rows)})


urlpatterns = [
    path("inbox/", inbox_floor, name="bench_naskah_inbox"),
    path("fts/", fts_floor, name="bench_naskah_fts"),
    path("ilike/", ilike_floor, name="bench_naskah_ilike"),
]
