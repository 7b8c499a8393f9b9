"""Who may reach the realisasi module's realisasi routes (merged into tests/authz_expectations.py).

In the city only pimpinan (head of Dinas Alfa) has realisasi.view (over Dinas Alfa); nobody is bud
(realisasi.record) or operator-opd (realisasi.progress), so recording, import, cancellation and progress entry
are denied to every persona here (their allowed paths are covered by the module's own tests)."""

from __future__ import annotations

from tests.authz_expectations import ADMIN_ONLY, EVERYONE, NOBODY, PIMPINAN, SAME, SIGNED_IN, Expect, World, _pk  # noqa: F401

VIEWERS = frozenset({PIMPINAN})


def build(world: World) -> dict:
    """The chain of 2026 (made here unless another table already made it), an SP2D, progress with a photo."""
    import datetime as dt

    from django.core.files.base import ContentFile

    from terpadu.anggaran.models import DpaBaris
    from terpadu.core.context import acting
    from terpadu.core.models import StoredFile
    from terpadu.realisasi import services
    from terpadu.realisasi.models import FotoProgres, ProgresFisik
    from terpadu.realisasi.tests.conftest import image_bytes

    lines = DpaBaris.objects.filter(tahun=2026, unit=world.city.dinas_a).order_by("pk")
    if not lines.exists():
        from tests.chain import build_chain

        build_chain(world.city)
    line = lines.first()
    with acting(None, via="command"):
        sp2d = services.book(
            dpa_baris=line, nilai=1000, tanggal=dt.date(2026, 2, 3), nomor="WALK/SP2D/1", uraian="Walker"
        )
    progres = ProgresFisik.objects.create(
        sub_kegiatan=line.sub_kegiatan, unit=line.unit, tahun=2026, bulan=2, persen=10, narasi="Walker"
    )
    data = image_bytes()
    stored = StoredFile(original_name="walker.png", content_type="image/png", size=len(data), sha256="2" * 64)
    stored.file.save("walker-foto.png", ContentFile(data), save=False)
    stored.save()
    foto = FotoProgres.objects.create(progres=progres, file=stored, keterangan="Walker")
    return {"realisasi_sp2d": sp2d, "realisasi_sub": line.sub_kegiatan, "realisasi_foto": foto,
            "realisasi_dpa": line, "realisasi_progres": progres}  # fmt: skip


EXPECTATIONS: dict = {
    # realisasi.view (pimpinan over Dinas Alfa)
    "realisasi:sp2d_list": Expect(VIEWERS),
    "realisasi:sp2d_detail": Expect(VIEWERS, kwargs=_pk("realisasi_sp2d")),
    "realisasi:sp2d_export": Expect(VIEWERS, query={"format": "csv"}),
    "realisasi:lra": Expect(VIEWERS),
    "realisasi:lra_export": Expect(VIEWERS, query={"format": "xlsx"}),
    "realisasi:progres_entry": Expect(VIEWERS, kwargs=_pk("realisasi_sub")),
    "realisasi:panel": Expect(VIEWERS, kwargs=_pk("realisasi_sub")),
    "realisasi:foto_file": Expect(VIEWERS, kwargs=_pk("realisasi_foto")),
    "api-realisasi-sp2d-list": Expect(VIEWERS),
    "api-realisasi-sp2d-detail": Expect(VIEWERS, kwargs=_pk("realisasi_sp2d")),
    "api-realisasi-sp2d-ekspor": Expect(VIEWERS),
    "api-realisasi-per-baris-list": Expect(VIEWERS),
    "api-realisasi-per-baris-detail": Expect(VIEWERS, kwargs=_pk("realisasi_dpa")),
    "api-realisasi-progres-list": Expect(VIEWERS),
    "api-realisasi-progres-detail": Expect(VIEWERS, kwargs=_pk("realisasi_progres")),
    # realisasi.record (bud, pemda-wide) and realisasi.progress (operator-opd): no persona of the city
    "realisasi:sp2d_create": Expect(NOBODY),
    "realisasi:dpa_options": Expect(NOBODY),
    "realisasi:sp2d_import": Expect(NOBODY),
    "realisasi:sp2d_cancel": Expect(NOBODY, kwargs=_pk("realisasi_sp2d"), post=True, data=lambda w: {"alasan": "x"}),
    "realisasi:progres_saya": Expect(NOBODY),
    "realisasi:foto_delete": Expect(NOBODY, kwargs=_pk("realisasi_foto"), post=True),
    "api-realisasi-sp2d-batal": Expect(NOBODY, kwargs=_pk("realisasi_sp2d"), post=True, data=lambda w: {"alasan": "x"}),
}
