"""Full-text search over naskah: the text of their PDFs and the stored search vector.

`index_naskah(naskah)` is called by the naskah services after a naskah is created, changed, signed or
registered: it fills `teks` (from the document of record, else from the template's field values) and, on
PostgreSQL, recomputes `search_vector` in one UPDATE (GIN-indexed, migrations/0002_search_gin.py). It is
cheap and idempotent: the PDF is read only when `teks` is still empty. The job `naskah.reindex` does the
same in bulk (one UPDATE per batch). Searching goes through `core.search` with the stored vector
(`SEARCH_SPEC`), after the gate has restricted the queryset ("naskah.view" carries the secret rule).
"""

from __future__ import annotations

import io
import logging
import re

from django.db import connection
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from terpadu.core import jobs, search
from terpadu.naskah.models import Naskah

logger = logging.getLogger("terpadu.naskah")

MAX_TEXT_CHARS = 200_000  # enough for a long naskah; keeps one row's vector far below tsvector's 1 MB limit
MAX_PAGES = 200
BATCH = 2000

# One statement for the vector: codes with the simple configuration (slashes split into tokens, so that
# "000.1.5/12/400.1/2026" is found by its parts), prose with the indonesian one (stemmed).
VECTOR_SQL = """
    setweight(to_tsvector('simple', coalesce(nomor, '') || ' ' || translate(coalesce(nomor, ''), '/', ' ')
        || ' ' || coalesce(asal_instansi, '')), 'A')
    || setweight(to_tsvector('indonesian', coalesce(hal, '')), 'A')
    || setweight(to_tsvector('indonesian', coalesce(ringkasan, '')), 'B')
    || setweight(to_tsvector('indonesian', {teks}), 'C')
"""

SEARCH_SPEC = search.SearchSpec(
    key="naskah",
    label=_("Naskah"),
    model=Naskah,
    text_fields=("hal", "ringkasan", "teks"),
    code_fields=("nomor",),
    action="naskah.view",
    url=lambda naskah: naskah.get_absolute_url(),
    select_related=("unit", "jenis"),
    vector_field="search_vector",
)


# -- text ---------------------------------------------------------------------------------------------


def extract_text(pdf_bytes: bytes, max_chars: int = MAX_TEXT_CHARS) -> str:
    """The text layer of a PDF (scans without OCR have none): '' for a broken or encrypted file."""
    if not pdf_bytes:
        return ""
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(pdf_bytes), strict=False)
        if reader.is_encrypted:
            return ""
        parts, size = [], 0
        for page in reader.pages[:MAX_PAGES]:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size >= max_chars:
                break
    except Exception as exc:  # pypdf raises many kinds for damaged files; search must not fail on them
        logger.info("no text from a PDF: %s", exc)
        return ""
    return _clean(" ".join(parts))[:max_chars].rstrip()


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\x00", " ")).strip()


def text_of(naskah) -> str:
    """What `teks` should hold: the document's text, else the template's field values."""
    if naskah.konten_dimusnahkan:
        return ""
    if naskah.dokumen_id:
        try:
            with naskah.dokumen.file.open("rb") as handle:
                return extract_text(handle.read())
        except OSError as exc:
            logger.warning("document of naskah %s unreadable: %s", naskah.pk, exc)
            return ""
    values = [strip_tags(str(v)) for v in (naskah.isi or {}).values() if isinstance(v, str | int | float)]
    return _clean(" ".join(values))[:MAX_TEXT_CHARS]


# -- index ---------------------------------------------------------------------------------------------


def index_naskah(naskah, *, refresh_text: bool = False) -> None:
    """Update `teks` (when empty, or asked to) and the stored search vector of one naskah: one UPDATE."""
    teks = naskah.teks
    if refresh_text or not teks or naskah.konten_dimusnahkan:
        teks = text_of(naskah)
    naskah.teks = teks
    if connection.vendor != "postgresql":
        Naskah.objects.filter(pk=naskah.pk).update(teks=teks)
        return
    with connection.cursor() as cursor:
        sql = f"UPDATE naskah_naskah SET teks = %s, search_vector = {VECTOR_SQL.format(teks='%s')} WHERE id = %s"  # noqa: S608 (constant SQL)
        cursor.execute(sql, [teks, teks, naskah.pk])


def reindex_vectors(ids: list[int] | None = None) -> int:
    """Recompute the stored vectors from the stored columns (no PDF reading), in batches; returns rows."""
    if connection.vendor != "postgresql":
        return 0
    vector = VECTOR_SQL.format(teks="coalesce(teks, %s)")
    sql = f"UPDATE naskah_naskah SET search_vector = {vector} WHERE id = ANY(%s)"  # noqa: S608 (constant SQL)
    queryset = Naskah.objects.order_by("pk").values_list("pk", flat=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    done, last = 0, 0
    while True:
        batch = list(queryset.filter(pk__gt=last)[:BATCH])
        if not batch:
            return done
        with connection.cursor() as cursor:
            cursor.execute(sql, ["", batch])
        done, last = done + len(batch), batch[-1]


@jobs.task("naskah.reindex", max_attempts=3)
def reindex(ids: list[int] | None = None, refresh_text: bool = False) -> None:
    """Bulk reindex (after an import, a configuration change, or to backfill): idempotent."""
    if refresh_text:
        queryset = Naskah.objects.select_related("dokumen").order_by("pk")
        for naskah in (queryset.filter(pk__in=ids) if ids is not None else queryset).iterator(chunk_size=500):
            index_naskah(naskah, refresh_text=True)
        return
    reindex_vectors(ids)


# -- searching -----------------------------------------------------------------------------------------


def search_queryset(queryset, query: str):
    """Apply the full-text query to an already restricted queryset (best first when there is a query)."""
    return search.filter_queryset(queryset, SEARCH_SPEC, query)


def register() -> None:
    search.register_search(SEARCH_SPEC)
