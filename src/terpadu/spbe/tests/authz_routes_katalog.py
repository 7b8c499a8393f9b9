"""Who may reach the spbe module's katalog routes (merged into tests/authz_expectations.py).

In the city, only pimpinan holds spbe.view (its own Dinas Alfa, through the automatic pimpinan role); no persona
holds spbe.manage or spbe.propose, so every changing route is NOBODY here — the allowed paths of the admin-spbe
and operator-opd roles are covered by test_katalog_pages.py."""

from __future__ import annotations

from tests.authz_expectations import ADMIN_ONLY, EVERYONE, NOBODY, PIMPINAN, SAME, SIGNED_IN, Expect, World, _pk  # noqa: F401

VIEWERS = frozenset({PIMPINAN})


def build(world: World) -> dict:
    """Objects the routes below act on, by name (reach them with _pk("name"))."""
    from terpadu.core.context import acting
    from terpadu.spbe import services_katalog
    from terpadu.spbe.models import AplikasiNasional

    city = world.city
    with acting(None, via="command"):
        services_katalog.load_national_apps()
        alfa = services_katalog.create_aplikasi(
            None, {"nama": "Walker Alfa", "jenis": "khusus", "unit": city.dinas_a, "fungsi_bisnis": "Uji"}
        )
        beta = services_katalog.create_aplikasi(
            None, {"nama": "Walker Beta", "jenis": "khusus", "unit": city.dinas_b, "fungsi_bisnis": "Uji"}
        )
        data = services_katalog.add_data(None, alfa, "Data uji", "terbuka")
        integrasi = services_katalog.add_integrasi(None, alfa, beta, "splp")
    return {
        "kt_alfa": alfa,
        "kt_beta": beta,
        "kt_data": data,
        "kt_integrasi": integrasi,
        "kt_nasional": AplikasiNasional.objects.get(nama="SRIKANDI"),
    }


EXPECTATIONS: dict = {
    "spbe:aplikasi_list": Expect(VIEWERS),
    "spbe:aplikasi_flags": Expect(VIEWERS),
    "spbe:aplikasi_map": Expect(VIEWERS),
    "spbe:aplikasi_export": Expect(VIEWERS, query={"format": "csv"}),
    "spbe:aplikasi_overlap": Expect(VIEWERS, query={"nama": "e-Office", "bidang": "Kearsipan Dinamis"}),
    "spbe:nasional_list": Expect(VIEWERS),
    "spbe:aplikasi_detail": Expect(VIEWERS, kwargs=_pk("kt_alfa")),
    "spbe:aplikasi_create": Expect(NOBODY),
    "spbe:aplikasi_import": Expect(NOBODY),
    "spbe:aplikasi_edit": Expect(NOBODY, kwargs=_pk("kt_alfa")),
    "spbe:aplikasi_status": Expect(NOBODY, kwargs=_pk("kt_alfa")),
    "spbe:aplikasi_delete": Expect(NOBODY, kwargs=_pk("kt_alfa")),
    "spbe:aplikasi_data_add": Expect(NOBODY, kwargs=_pk("kt_alfa"), post=True),
    "spbe:aplikasi_data_delete": Expect(NOBODY, kwargs=_pk("kt_data"), post=True),
    "spbe:aplikasi_integrasi_add": Expect(NOBODY, kwargs=_pk("kt_alfa"), post=True),
    "spbe:aplikasi_integrasi_delete": Expect(NOBODY, kwargs=_pk("kt_integrasi"), post=True),
    "api-spbe-aplikasi-list": Expect(VIEWERS),
    "api-spbe-aplikasi-detail": Expect(VIEWERS, kwargs=_pk("kt_alfa")),
    "api-spbe-aplikasi-flags": Expect(VIEWERS, kwargs=_pk("kt_alfa")),
    "api-spbe-aplikasi-temuan": Expect(VIEWERS),
    "api-spbe-aplikasi-nasional-list": Expect(VIEWERS),
    "api-spbe-aplikasi-nasional-detail": Expect(VIEWERS, kwargs=_pk("kt_nasional")),
}
