"""SPBE benchmarks (issue 5): the HTTP scenarios (registered here, run by `make bench`; data from
bench/generate_spbe.py, floors in bench/floor_views_spbe.py). Measurements that are not request/floor pairs (the
index engines of SPBE 2020 and PEMDI 2026, the what-if for all indicators, the flag rules) live in
bench/measure_spbe.py (`python -m bench.measure_spbe`).

- spbe_katalog: the application catalogue list (`/spbe/aplikasi/`, first page of 50 of 2,000 applications with
  their flags; 50,000 ICT spending lines in the database) as the pengelola SPBE (admin-spbe, whole pemda, TOTP);
  target p95 ≤ 2× the raw SQL floor.
- spbe_katalog_p20: the same list, page 20 (OFFSET 950).
"""

from __future__ import annotations

from bench.generate_spbe import PERSONA
from bench.scenarios import PERSONAS, Req, Scenario, register

PERSONAS[PERSONA] = True  # signs in with the password and a TOTP code (admin-spbe requires 2FA)

register(
    Scenario(
        name="spbe_katalog",
        description="the application catalogue list (first page of 50 of 2,000, with flags) as the pengelola SPBE",
        request=Req("GET", "/spbe/aplikasi/", persona=PERSONA),
        floor=Req("GET", f"/_bench/spbe/katalog/?user={PERSONA}"),
    )
)

register(
    Scenario(
        name="spbe_katalog_p20",
        description="the application catalogue list, page 20 (OFFSET 950)",
        request=Req("GET", "/spbe/aplikasi/?page=20", persona=PERSONA),
        floor=Req("GET", f"/_bench/spbe/katalog/?page=20&user={PERSONA}"),
    )
)
