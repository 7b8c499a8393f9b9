# ruff: noqa: F811  (pytest fixtures imported from conftest_evaluasi)
"""Rating bands: loaded from the reference files, the gap rule, contiguity validation and boundaries generated
from the data (just below, at and just above every threshold of every scale)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from terpadu.monev import services_evaluasi as sv
from terpadu.monev.models import PitaRating, SkalaRating
from terpadu.monev.tests.conftest_evaluasi import as_system, city, skala  # noqa: F401

EPS = Decimal("0.0001")


def test_every_scale_is_loaded_with_its_confidence_and_source(skala):
    codes = set(SkalaRating.objects.values_list("kode", flat=True))
    assert codes == {"capaian", "kumulatif_tw1", "kumulatif_tw2", "kumulatif_tw3", "kumulatif_tw4"}
    for s in SkalaRating.objects.all():
        assert s.sumber
        assert s.keyakinan in ("multi", "secondary")
        assert s.pita.count() == 5
    assert as_system(sv.muat_skala) == 0  # idempotent


def _boundaries():
    out = []
    for kode, spec in sv.baca_skala().items():
        bands = sv.urutkan(spec["pita"])
        for lower, upper in zip(bands, bands[1:], strict=False):
            out.append((kode, lower.batas_atas, lower.kategori, upper.kategori, lower.atas_inklusif))
    return out


@pytest.mark.parametrize(("kode", "t", "below", "above", "at_is_below"), _boundaries())
def test_boundaries_from_the_data(skala, kode, t, below, above, at_is_below):
    assert sv.kategori(kode, t - EPS).kategori == below
    assert sv.kategori(kode, t + EPS).kategori == above
    assert sv.kategori(kode, t).kategori == (below if at_is_below else above)


def test_every_value_has_exactly_one_band(skala):
    for s in SkalaRating.objects.all():
        pita = list(s.pita.all())
        for value in [Decimal(x) / 4 for x in range(-40, 520)]:
            matches = [p for p in pita if sv._pita_of(p).memuat(value)]
            assert len(matches) == 1, (s.kode, value, matches)


def test_gap_rule_rendah_starts_after_50(skala):
    assert sv.kategori("capaian", Decimal("50")).kategori == "Sangat Rendah"
    assert sv.kategori("capaian", Decimal("50.5")).kategori == "Rendah"
    rendah = PitaRating.objects.get(skala__kode="capaian", kategori="Rendah")
    assert rendah.batas_bawah == Decimal(50) and not rendah.bawah_inklusif
    assert "gap rule" in rendah.catatan
    # capaian above 100 % stays in the highest band
    assert sv.kategori("capaian", Decimal("135")).kategori == "Sangat Tinggi"


def _p(k, lo, lo_inc, hi, hi_inc):
    return sv.Pita(k, None if lo is None else Decimal(lo), lo_inc, None if hi is None else Decimal(hi), hi_inc)


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([_p("A", None, True, 50, True), _p("B", 51, True, None, False)], "fall in no band"),
        ([_p("A", None, True, 50, True), _p("B", 40, True, None, False)], "overlap"),
        ([_p("A", None, True, 50, True), _p("B", 50, True, None, False)], "in both"),
        ([_p("A", None, True, 50, False), _p("B", 50, False, None, False)], "falls in no band"),
        ([_p("A", 0, True, 50, False), _p("B", 50, True, None, False)], "lowest band"),
        ([_p("A", None, True, 50, False), _p("B", 50, True, 100, True)], "highest band"),
        ([_p("A", None, True, 50, False), _p("A", 50, True, None, False)], "twice"),
    ],
)
def test_validation_refuses_gaps_and_overlaps(bands, message):
    with pytest.raises(ValidationError) as err:
        sv.validasi_pita(bands, "uji")
    assert message in " ".join(err.value.messages)


def test_edit_is_validated_and_audited(skala):
    from terpadu.core.models import AuditEvent

    s = SkalaRating.objects.get(kode="capaian")
    with pytest.raises(ValidationError):
        as_system(sv.simpan_skala, s, [_p("A", None, True, 50, True), _p("B", 60, True, None, False)])
    assert s.pita.count() == 5  # nothing half-written
    assert sv.kategori("capaian", 59).kategori != "Kurang"  # read (and cached) before the edit
    as_system(sv.simpan_skala, s, [_p("Kurang", None, True, 60, False), _p("Baik", 60, True, None, False)])
    assert sv.kategori("capaian", 59).kategori == "Kurang"
    assert sv.kategori("capaian", 60).kategori == "Baik"
    s.refresh_from_db()
    assert s.keyakinan == "local"
    assert AuditEvent.objects.filter(action="monev.skala_diubah", object_id=str(s.pk)).exists()


def test_scales_page_shows_badges_and_edit_is_gated(client, login, city, skala):
    from terpadu.monev.tests.conftest_evaluasi import give_role

    login(client, city.pimpinan)
    response = client.get("/monev/skala/")
    assert response.status_code == 200
    assert b"not confirmed against the regulation" in response.content
    s = SkalaRating.objects.get(kode="kumulatif_tw1")
    assert client.get(f"/monev/skala/{s.pk}/ubah/").status_code == 403
    give_role(city.staff_other, "perencana")
    login(client, city.staff_other)
    data = {"pita-TOTAL_FORMS": "2", "pita-INITIAL_FORMS": "0", "pita-0-kategori": "A", "pita-0-batas_atas": "10",
            "pita-1-kategori": "B", "pita-1-batas_bawah": "12", "pita-1-bawah_inklusif": "on"}  # fmt: skip
    response = client.post(f"/monev/skala/{s.pk}/ubah/", data)
    assert response.status_code == 400
    assert b"fall in no band" in response.content
    data["pita-1-batas_bawah"] = "10"
    response = client.post(f"/monev/skala/{s.pk}/ubah/", data)
    assert response.status_code == 302
    assert sv.kategori("kumulatif_tw1", 10).kategori == "B"
