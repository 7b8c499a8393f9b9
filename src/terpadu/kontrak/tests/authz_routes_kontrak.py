"""Who may reach the kontrak module's kontrak routes (merged into tests/authz_expectations.py).

In the city no persona is a PPK: pimpinan (head of Dinas Alfa) has kontrak.view over Dinas Alfa; staff and
admin-sistem have no kontrak action. So the reading routes are open to pimpinan only and the writing routes to
nobody here (their allowed paths are covered by test_kontrak_pages.py with a PPK). The walker builds its own
small chain in 2037 so it cannot clash with another module's chain of 2026."""

from __future__ import annotations

from tests.authz_expectations import ADMIN_ONLY, EVERYONE, NOBODY, PIMPINAN, SAME, SIGNED_IN, Expect, World, _pk  # noqa: F401

VIEWERS = frozenset({PIMPINAN})
TAHUN = 2037


def build(world: World) -> dict:
    """Objects the routes below act on, by name (reach them with _pk("name"))."""
    import datetime as dt
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from tests.chain import build_chain

    from terpadu.core.context import acting
    from terpadu.core.models import StoredFile
    from terpadu.kontrak import services
    from terpadu.kontrak.tests.conftest import PDF

    chain = build_chain(world.city, tahun=TAHUN)
    stored = StoredFile(original_name="k.pdf", content_type="application/pdf", size=len(PDF), sha256="1" * 64)
    stored.file.save("walker-kontrak.pdf", ContentFile(PDF), save=False)
    stored.save()
    with acting(None, via="command"):
        penyedia = services.create_penyedia({"nama": "CV Walker", "npwp": "019876543210000"})
        paket = services.create_paket(
            chain.sub.unit, TAHUN, {"nama": "Paket walker", "metode": "tender", "jenis": "barang"},
            [(chain.dpa["5.2.02.10.02.0004"], Decimal("30000000"))],
        )  # fmt: skip
        kosong = services.create_paket(
            chain.sub.unit, TAHUN, {"nama": "Paket kosong", "metode": "tender", "jenis": "barang"},
            [(chain.dpa["5.1.02.01.01.0024"], Decimal("1000000"))],
        )  # fmt: skip
        kontrak = services.create_kontrak(
            paket,
            {
                "nomor": "W/1", "tanggal": dt.date(TAHUN, 2, 1), "penyedia": penyedia, "jenis_kontrak": "lumsum",
                "nilai": Decimal("25000000"), "mulai": dt.date(TAHUN, 2, 2), "selesai": dt.date(TAHUN, 6, 30),
                "dokumen": stored,
            },
        )  # fmt: skip
        termin = services.add_termin(kontrak, {"persen_fisik": 100, "nilai": Decimal("25000000")})
        jaminan = services.add_jaminan(
            kontrak, {"jenis": "pelaksanaan", "penerbit": "Bank", "nomor": "JW", "nilai": Decimal("1250000"),
                      "berlaku_sampai": dt.date(TAHUN, 7, 31)},
        )  # fmt: skip
        adendum = services.create_adendum(
            kontrak, "waktu", {"nomor": "W/1/A1", "tanggal": dt.date(TAHUN, 3, 1), "alasan": "Cuaca",
                               "selesai": dt.date(TAHUN, 7, 15), "dokumen": stored},
        )  # fmt: skip
    return {
        "kontrak_penyedia": penyedia,
        "kontrak_paket": paket,
        "kontrak_paket_kosong": kosong,
        "kontrak_kontrak": kontrak,
        "kontrak_termin": termin,
        "kontrak_jaminan": jaminan,
        "kontrak_adendum": adendum,
    }


EXPECTATIONS: dict = {
    # kontrak.view over Dinas Alfa (pimpinan)
    "kontrak:paket_list": Expect(VIEWERS),
    "kontrak:paket_detail": Expect(VIEWERS, kwargs=_pk("kontrak_paket")),
    "kontrak:kontrak_list": Expect(VIEWERS),
    "kontrak:kontrak_export": Expect(VIEWERS, query={"format": "csv"}),
    "kontrak:kontrak_detail": Expect(VIEWERS, kwargs=_pk("kontrak_kontrak")),
    "kontrak:kontrak_riwayat": Expect(VIEWERS, kwargs=_pk("kontrak_kontrak")),
    "kontrak:kontrak_ocds": Expect(VIEWERS, kwargs=_pk("kontrak_kontrak")),
    "kontrak:kontrak_dokumen": Expect(VIEWERS, kwargs=_pk("kontrak_kontrak")),
    "kontrak:adendum_dokumen": Expect(VIEWERS, kwargs=_pk("kontrak_adendum")),
    # penyedia: any holder of kontrak.view
    "kontrak:penyedia_list": Expect(VIEWERS),
    "kontrak:penyedia_detail": Expect(VIEWERS, kwargs=_pk("kontrak_penyedia")),
    # kontrak.manage (ppk): no persona of the walk
    "kontrak:paket_create": Expect(NOBODY),
    "kontrak:paket_edit": Expect(NOBODY, kwargs=_pk("kontrak_paket")),
    "kontrak:paket_delete": Expect(NOBODY, kwargs=_pk("kontrak_paket_kosong"), post=True),
    "kontrak:kontrak_create": Expect(NOBODY, kwargs=_pk("kontrak_paket")),
    "kontrak:kontrak_edit": Expect(NOBODY, kwargs=_pk("kontrak_kontrak")),
    "kontrak:kontrak_status": Expect(NOBODY, kwargs=_pk("kontrak_kontrak")),
    "kontrak:adendum_create": Expect(NOBODY, kwargs=_pk("kontrak_kontrak")),
    "kontrak:termin_create": Expect(NOBODY, kwargs=_pk("kontrak_kontrak")),
    "kontrak:termin_edit": Expect(NOBODY, kwargs=_pk("kontrak_termin")),
    "kontrak:termin_delete": Expect(NOBODY, kwargs=_pk("kontrak_termin"), post=True),
    "kontrak:jaminan_create": Expect(NOBODY, kwargs=_pk("kontrak_kontrak")),
    "kontrak:jaminan_edit": Expect(NOBODY, kwargs=_pk("kontrak_jaminan")),
    "kontrak:penyedia_create": Expect(NOBODY),
    "kontrak:penyedia_edit": Expect(NOBODY, kwargs=_pk("kontrak_penyedia")),
    # API
    "api-kontrak-paket-list": Expect(VIEWERS),
    "api-kontrak-paket-detail": Expect(VIEWERS, kwargs=_pk("kontrak_paket")),
    "api-kontrak-kontrak-list": Expect(VIEWERS),
    "api-kontrak-kontrak-detail": Expect(VIEWERS, kwargs=_pk("kontrak_kontrak")),
    "api-kontrak-kontrak-riwayat": Expect(VIEWERS, kwargs=_pk("kontrak_kontrak")),
    "api-kontrak-kontrak-ocds": Expect(VIEWERS, kwargs=_pk("kontrak_kontrak")),
    "api-kontrak-kontrak-status": Expect(NOBODY, kwargs=_pk("kontrak_kontrak"), post=True),
    "api-kontrak-kontrak-adendum": Expect(NOBODY, kwargs=_pk("kontrak_kontrak"), post=True),
    "api-kontrak-termin-list": Expect(VIEWERS),
    "api-kontrak-termin-detail": Expect(VIEWERS, kwargs=_pk("kontrak_termin")),
    "api-kontrak-jaminan-list": Expect(VIEWERS),
    "api-kontrak-jaminan-detail": Expect(VIEWERS, kwargs=_pk("kontrak_jaminan")),
    "api-kontrak-adendum-list": Expect(VIEWERS),
    "api-kontrak-adendum-detail": Expect(VIEWERS, kwargs=_pk("kontrak_adendum")),
    "api-kontrak-penyedia-list": Expect(VIEWERS),
    "api-kontrak-penyedia-detail": Expect(VIEWERS, kwargs=_pk("kontrak_penyedia")),
}
