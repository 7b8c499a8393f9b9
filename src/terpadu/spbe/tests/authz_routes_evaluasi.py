"""Who may reach the spbe module's evaluasi routes (merged into tests/authz_expectations.py).

In the walker city only pimpinan (head of Dinas Alfa) holds spbe.view (unit scope: Dinas Alfa); nobody holds
spbe.assess or spbe.configure (admin-spbe is not given to a walker persona). Framework and assessment pages check
has_action(spbe.view); the indicator rows are unit-scoped (the walked one belongs to Dinas Alfa)."""

from __future__ import annotations

from tests.authz_expectations import ADMIN_ONLY, EVERYONE, NOBODY, PIMPINAN, SAME, SIGNED_IN, Expect, World, _pk  # noqa: F401

VIEWERS = frozenset({PIMPINAN})


def build(world: World) -> dict:
    from terpadu.core.context import acting
    from terpadu.spbe import services_evaluasi as sv

    with acting(None, via="command"):
        kerangka, _outcome = sv.muat_kerangka("PEMDI_2026")
        penilaian = sv.buat_penilaian(kerangka, 2039)
        nilai = penilaian.nilai.get(indikator__nomor=1)
        sv.tetapkan(nilai, unit=world.city.dinas_a)
        bukti = _evidence(nilai)
    return {"spbe_kerangka": kerangka, "spbe_penilaian": penilaian, "spbe_nilai": nilai, "spbe_bukti": bukti}


def _evidence(nilai):
    from django.core.files.base import ContentFile

    from terpadu.arsip.tests.conftest import PDF
    from terpadu.core.models import StoredFile
    from terpadu.spbe.models import BuktiDukung

    stored = StoredFile(original_name="bukti.pdf", content_type="application/pdf", size=len(PDF), sha256="0" * 64)
    stored.file.save("walker-bukti.pdf", ContentFile(PDF), save=False)
    stored.save()
    return BuktiDukung.objects.create(nilai=nilai, file=stored, keterangan="Perwali arsitektur")


EXPECTATIONS: dict = {
    "spbe:kerangka_list": Expect(VIEWERS),
    "spbe:kerangka_detail": Expect(VIEWERS, kwargs=_pk("spbe_kerangka")),
    "spbe:kerangka_muat": Expect(NOBODY, post=True),
    "spbe:kerangka_unggah": Expect(NOBODY),
    "spbe:penilaian_list": Expect(VIEWERS),
    "spbe:penilaian_buat": Expect(NOBODY, post=True),
    "spbe:hasil_resmi": Expect(NOBODY, post=True),
    "spbe:perbandingan": Expect(VIEWERS),
    "spbe:penilaian_detail": Expect(VIEWERS, kwargs=_pk("spbe_penilaian")),
    "spbe:penilaian_review": Expect(NOBODY, kwargs=_pk("spbe_penilaian"), post=True),
    "spbe:penilaian_kunci": Expect(NOBODY, kwargs=_pk("spbe_penilaian"), post=True),
    "spbe:penilaian_whatif": Expect(VIEWERS, kwargs=_pk("spbe_penilaian")),
    "spbe:penilaian_gains": Expect(VIEWERS, kwargs=_pk("spbe_penilaian")),
    "spbe:penilaian_ekspor": Expect(VIEWERS, kwargs=_pk("spbe_penilaian"), query={"format": "xlsx"}),
    "spbe:nilai_detail": Expect(VIEWERS, kwargs=_pk("spbe_nilai")),
    "spbe:nilai_isi": Expect(NOBODY, kwargs=_pk("spbe_nilai"), post=True),
    "spbe:nilai_kirim": Expect(NOBODY, kwargs=_pk("spbe_nilai"), post=True),
    "spbe:nilai_bukti": Expect(NOBODY, kwargs=_pk("spbe_nilai"), post=True),
    "spbe:bukti_file": Expect(
        VIEWERS, kwargs=lambda w: {"pk": w.extra["spbe_nilai"].pk, "bukti": w.extra["spbe_bukti"].pk}
    ),
    "spbe:nilai_usulan_terima": Expect(NOBODY, kwargs=_pk("spbe_nilai"), post=True),
    "spbe:nilai_tinjau": Expect(NOBODY, kwargs=_pk("spbe_nilai"), post=True),
    "spbe:nilai_tetapkan": Expect(NOBODY, kwargs=_pk("spbe_nilai"), post=True),
    "api-spbe-kerangka-list": Expect(VIEWERS),
    "api-spbe-kerangka-detail": Expect(VIEWERS, kwargs=_pk("spbe_kerangka")),
    "api-spbe-penilaian-list": Expect(VIEWERS),
    "api-spbe-penilaian-detail": Expect(VIEWERS, kwargs=_pk("spbe_penilaian")),
    "api-spbe-penilaian-what-if": Expect(
        VIEWERS,
        kwargs=_pk("spbe_penilaian"),
        post=True,
        allowed_when=lambda r: r.status_code in (200, 400),
        note="an empty POST is answered 400 with the reason: allowed, not denied",
    ),
    "api-spbe-nilai-list": Expect(VIEWERS),
    "api-spbe-nilai-detail": Expect(VIEWERS, kwargs=_pk("spbe_nilai")),
    "api-spbe-nilai-kirim": Expect(NOBODY, kwargs=_pk("spbe_nilai"), post=True),
}
