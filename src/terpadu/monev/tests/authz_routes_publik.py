"""Who may reach the monev module's publik routes (merged into tests/authz_expectations.py).

The transparency pages and the open API are public: everyone, anonymous included. Managing the exceptions
needs monev.manage, which only the `perencana` role (Bappeda) holds — none of the walker's personas."""

from __future__ import annotations

from tests.authz_expectations import ADMIN_ONLY, EVERYONE, NOBODY, PIMPINAN, SAME, SIGNED_IN, Expect, World, _pk  # noqa: F401


def _chain(world: World):
    """The test chain of 2026 (made here unless another table of the walk already made it)."""
    from terpadu.anggaran.models import DpaBaris

    existing = DpaBaris.objects.filter(tahun=2026).select_related("sub_kegiatan", "unit").order_by("pk").first()
    if existing is not None:
        return existing
    from tests.chain import build_chain

    chain = build_chain(world.city)
    return next(iter(chain.dpa.values()))


def build(world: World) -> dict:
    """Objects the routes below act on, by name (reach them with _pk("name"))."""
    from terpadu.monev.models import PengecualianPublikasi
    from terpadu.monev.tests.publik_fixtures import make_kontrak, make_progres

    baris = _chain(world)
    kontrak = make_kontrak(baris, baris.pagu / 2, penyedia="CV Walker", npwp="998877665544332")
    progres = make_progres(baris.sub_kegiatan, 1, 10, foto=True)
    exception = PengecualianPublikasi.objects.create(tahun=2025, kode="9.99.99", alasan="walker")
    return {
        "publik_tahun": baris.tahun,
        "publik_unit": baris.unit_id,
        "publik_sub": baris.sub_kegiatan,
        "publik_kontrak": kontrak,
        "publik_foto": progres.foto.first(),
        "publik_pengecualian": exception,
    }


def _year(world: World) -> dict:
    return {"tahun": world.extra["publik_tahun"]}


def _year_unit(world: World) -> dict:
    return {"tahun": world.extra["publik_tahun"], "unit": world.extra["publik_unit"]}


QUERY = {"tahun": "2026"}

EXPECTATIONS: dict = {
    "transparansi:index": Expect(EVERYONE),
    "transparansi:overview": Expect(EVERYONE, kwargs=_year),
    "transparansi:opd": Expect(EVERYONE, kwargs=_year_unit),
    "transparansi:sub_kegiatan_list": Expect(EVERYONE, kwargs=_year),
    "transparansi:kontrak_list": Expect(EVERYONE, kwargs=_year),
    "transparansi:pengecualian": Expect(EVERYONE, kwargs=_year),
    "transparansi:sub_kegiatan": Expect(EVERYONE, kwargs=_pk("publik_sub")),
    "transparansi:kontrak": Expect(EVERYONE, kwargs=_pk("publik_kontrak")),
    "transparansi:foto": Expect(EVERYONE, kwargs=_pk("publik_foto")),
    "transparansi:kelola_list": Expect(NOBODY, note="monev.manage: the perencana role only"),
    "transparansi:kelola_create": Expect(NOBODY, note="monev.manage: the perencana role only"),
    "transparansi:kelola_delete": Expect(
        NOBODY, kwargs=_pk("publik_pengecualian"), post=True, note="monev.manage: the perencana role only"
    ),
    "api-publik-anggaran-ringkasan": Expect(EVERYONE, query=QUERY),
}
for _name in ("opd", "program", "kegiatan", "sub-kegiatan", "kontrak", "pengecualian"):
    EXPECTATIONS[f"api-publik-anggaran-{_name}"] = Expect(EVERYONE, query=QUERY)
    EXPECTATIONS[f"api-publik-anggaran-{_name}-csv"] = Expect(EVERYONE, query=QUERY)
