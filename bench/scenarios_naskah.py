"""Naskah benchmarks: the HTTP scenarios (registered here, run by `make bench`, floors in
bench/floor_views_naskah.py). Three measurements that are not request/floor pairs live in
bench/measure_naskah.py (`python -m bench.measure_naskah`):

- fts: the full-text search (the raw FTS query, and the search page's own queryset for the pimpinan) against
  an ILIKE '%word%' scan over hal/ringkasan/teks on the same rows; target: FTS ≥ 50× faster.
- numbering: 32 concurrent signers (threads, each with its own connection) allocate numbers through
  penomoran.allocate, some rolling back on purpose; target: 0 duplicate or skipped numbers, ≥ 200 allocations/s.
- sign: render + sign ms per naskah against pyHanko signing a pre-rendered PDF (needs
  naskah.rendering.render_pdf_with_layout and tte.services.sign_pdf; skipped with a note when missing).
"""

from __future__ import annotations

from bench.scenarios import PIMPINAN, Req, Scenario, register

SEARCH_WORD = "irigasi"  # a topic word: ~0.4 % of the generated naskah (bench/generate_naskah.py)

register(
    Scenario(
        name="naskah_inbox",
        description="the inbox (first page of 25: letters to my positions and dispositions) of a kepala dinas",
        request=Req("GET", "/naskah/masuk/", persona=PIMPINAN),
        floor=Req("GET", f"/_bench/naskah/inbox/?user={PIMPINAN}"),
    )
)

register(
    Scenario(
        name="naskah_search",
        description="the naskah search page (?q=, gate + secret rule, count + first 25) vs the raw FTS query",
        request=Req("GET", f"/naskah/cari/?q={SEARCH_WORD}", persona=PIMPINAN),
        floor=Req("GET", f"/_bench/naskah/fts/?q={SEARCH_WORD}&user={PIMPINAN}"),
    )
)

register(
    Scenario(
        name="naskah_search_api",
        description="the naskah search API (/api/v1/naskah/cari/?q=) vs the raw FTS query",
        request=Req("GET", f"/api/v1/naskah/cari/?q={SEARCH_WORD}", persona=PIMPINAN),
        floor=Req("GET", f"/_bench/naskah/fts/?q={SEARCH_WORD}&user={PIMPINAN}"),
    )
)
