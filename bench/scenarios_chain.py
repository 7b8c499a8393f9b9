"""Monev benchmarks of the planning → budget → realisation chain (issue 4): the HTTP scenarios (registered here,
run by `make bench`; data from bench/generate_chain.py, floors in bench/floor_views_chain.py). Measurements
that are not request/floor pairs (the rincian import, dashboard_data called directly) live in
bench/measure_chain.py (`python -m bench.measure_chain`).

- chain_monev_city: the city monev dashboard (`/monev/`, level kota: 40 OPD rows, totals, chart series) as the
  Sekda (role pimpinan-daerah, whole pemda); target p95 ≤ 3× the raw SQL aggregate floor.
- chain_monev_opd: one drill-down step, an OPD's programs (level opd); target ≤ 2×.
- chain_monev_program: the next step, a program's kegiatan (level program); target ≤ 2×.
"""

from __future__ import annotations

from bench.generate_chain import LEADER, YEARS
from bench.scenarios import PERSONAS, Req, Scenario, register

PERSONAS[LEADER] = True  # signs in with the password and a TOTP code (pimpinan-daerah requires 2FA)

TAHUN = YEARS[-1]
BULAN = 9  # the end of TW III: a fixed month, so the figures do not move with the day the bench runs
OPD_KODE = "401.106"  # Diskominfo: 75 sub kegiatan in 5 programs


def _drill_targets() -> tuple[int, str]:
    """Diskominfo's unit id and its first program code in TAHUN (read from the generated chain)."""
    try:
        from terpadu.organisasi.models import UnitKerja
        from terpadu.perencanaan.models import RenjaSubKegiatan

        unit = UnitKerja.objects.current().get(kode=OPD_KODE)
        kode = (
            RenjaSubKegiatan.objects.filter(unit=unit, tahun=TAHUN)
            .order_by("kode_program")
            .values_list("kode_program", flat=True)
            .first()
        )
        return unit.pk, kode or "0.00.00"
    except Exception:  # noqa: BLE001 (no Django/database yet: `--only` other scenarios still load this module)
        return 0, "0.00.00"


UNIT, PROGRAM = _drill_targets()
QUERY = f"tahun={TAHUN}&bulan={BULAN}"

register(
    Scenario(
        name="chain_monev_city",
        description="the city monev dashboard (40 OPD, totals, monthly series) as the Sekda (whole pemda)",
        request=Req("GET", f"/monev/?{QUERY}", persona=LEADER),
        floor=Req("GET", f"/_bench/chain/monev/?{QUERY}&level=kota&user={LEADER}"),
        target=3.0,
    )
)

register(
    Scenario(
        name="chain_monev_opd",
        description="drill-down: one OPD's programs (75 sub kegiatan grouped in 5 programs)",
        request=Req("GET", f"/monev/?{QUERY}&level=opd&parent={UNIT}", persona=LEADER),
        floor=Req("GET", f"/_bench/chain/monev/?{QUERY}&level=opd&parent={UNIT}&user={LEADER}"),
    )
)

register(
    Scenario(
        name="chain_monev_program",
        description="drill-down: one program's kegiatan (15 sub kegiatan in 3 kegiatan)",
        request=Req("GET", f"/monev/?{QUERY}&level=program&parent={UNIT}:{PROGRAM}", persona=LEADER),
        floor=Req("GET", f"/_bench/chain/monev/?{QUERY}&level=program&parent={UNIT}:{PROGRAM}&user={LEADER}"),
    )
)
