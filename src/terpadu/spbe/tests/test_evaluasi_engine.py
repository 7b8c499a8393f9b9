"""The index engine: formula, predikat boundaries read from the data files, scales, external conversion, gains."""

from __future__ import annotations

import csv
from decimal import Decimal as D
from pathlib import Path

import pytest

from terpadu.spbe import engine_evaluasi as engine
from terpadu.spbe import services_evaluasi as sv

DATA = Path(sv.__file__).resolve().parent / "data"


def spec(kode):
    return sv.baca_kerangka(kode)


def inds(kode):
    s = spec(kode)
    return s.struktur().indikator


def pita(kode):
    return spec(kode).pita()


@pytest.mark.parametrize("kode", ["SPBE_2020", "PEMDI_2026"])
@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_all_indicators_at_one_level_give_exactly_that_level(kode, level):
    indikator = inds(kode)
    scores = {i.nomor: D(level) for i in indikator}
    assert engine.index(indikator, scores) == D(level)
    assert set(engine.aspect_indices(indikator, scores).values()) == {D(level)}


def test_hand_computed_spbe2020_vector():
    # Levels: indicators 1-10 (w 1.30 each) at 2, 11-20 (w 2.50) at 3, 21-31 (w 1.50) at 1, 32-41 (w 2.75) at 4,
    # 42-47 (w 3.00) at 5.  Σ w·s = 10·1.30·2 + 10·2.50·3 + 11·1.50·1 + 10·2.75·4 + 6·3.00·5
    #                            = 26 + 75 + 16.5 + 110 + 90 = 317.5  →  IS = 3.175 (Baik; 3.18 shown)
    indikator = inds("SPBE_2020")
    level = {}
    for n in range(1, 48):
        level[n] = D(2) if n <= 10 else D(3) if n <= 20 else D(1) if n <= 31 else D(4) if n <= 41 else D(5)
    value = engine.index(indikator, level)
    assert value == D("3.175")
    assert engine.tampil(value) == D("3.18")
    assert engine.predikat(value, pita("SPBE_2020")).predikat == "Baik"
    # domain D2 (A2, A3, A4; weight 25) is all level 3; D3 = (12·1 + 4.5·1)/16.5 = 1
    domains = engine.domain_indices(indikator, level)
    assert domains["D2"] == D(3) and domains["D3"] == D(1)
    # Σ_d BD·ID / 100 equals the one weighted sum
    weights = {d: v["bobot"] for d, v in spec("SPBE_2020").domain.items()}
    assert sum(weights[d] * v for d, v in domains.items()) / 100 == value


def test_hand_computed_pemdi_vector_with_decimals():
    # All 1.00 except #19 (w 10) = 2.50 and #20 (w 15) = 3.26: Σ = (100 - 25)·1 + 10·2.5 + 15·3.26 = 75 + 25 + 48.9
    # = 148.9 → 1.489 (Kurang, below the 1.50 threshold; shown 1.49) and borderline? |1.489 - 1.5| = 0.011: no.
    indikator = inds("PEMDI_2026")
    scores = {i.nomor: D(1) for i in indikator}
    scores[19], scores[20] = D("2.50"), D("3.26")
    value = engine.index(indikator, scores)
    assert value == D("1.489")
    assert engine.predikat(value, pita("PEMDI_2026")).predikat == "Kurang"
    assert engine.borderline(value, pita("PEMDI_2026")) == []


def _thresholds(name):
    with open(DATA / name, encoding="utf-8") as handle:
        return [(r["predikat"], D(r["min_inclusive"])) for r in csv.DictReader(handle)]


@pytest.mark.parametrize(
    "kode,name", [("SPBE_2020", "spbe2020_predikat.csv"), ("PEMDI_2026", "pemdi2026_predikat.csv")]
)
def test_predikat_just_below_and_at_each_threshold(kode, name):
    bands = pita(kode)
    ordered = sorted(_thresholds(name), key=lambda t: t[1])
    for (lower_name, _low), (predikat, threshold) in zip(ordered, ordered[1:], strict=False):
        assert engine.predikat(threshold, bands).predikat == predikat
        assert engine.predikat(threshold - D("0.00000001"), bands).predikat == lower_name
        # 2.5999 would show as 2.60 but the predikat is taken from the unrounded value, and it is borderline
        just_below = threshold - D("0.001")
        assert engine.tampil(just_below) == threshold.quantize(D("0.01"))
        assert engine.predikat(just_below, bands).predikat == lower_name
        assert engine.borderline(just_below, bands) == [threshold]
    top = ordered[-1][0]
    assert engine.predikat(D(5), bands).predikat == top
    with pytest.raises(engine.EngineError):
        engine.predikat(D("5.01"), bands)


@pytest.mark.parametrize(
    "value,predikat",
    [("4.45", "Memuaskan"), ("3.57", "Sangat Baik"), ("3.35", "Baik"), ("2.59", "Cukup"), ("3.12", "Baik"),
     ("2.79", "Baik"), ("3.06", "Baik")],
)  # fmt: skip
def test_published_spbe_pairs(value, predikat):
    assert engine.predikat(D(value), pita("SPBE_2020")).predikat == predikat


def test_every_published_total_with_a_predikat_matches_the_bands():
    checked = 0
    for row in sv.benchmark():
        if row["kerangka"] == "SPBE_2020" and row["predikat"] and row["tahap"] == "final":
            assert engine.predikat(row["indeks"], pita("SPBE_2020")).predikat == row["predikat"], row
            checked += 1
    assert checked >= 6


def test_display_rounding_is_half_up():
    assert engine.tampil(D("3.125")) == D("3.13")
    assert engine.tampil(D("3.124999")) == D("3.12")
    assert engine.tampil(D("2.605")) == D("2.61")


def test_level_scale_errors():
    skala = engine.Skala("level", D(1), D(5))
    assert engine.check_score("3", skala, 7) == D(3)
    for bad, reason in (("0", "outside"), ("6", "outside"), ("2.5", "whole level"), ("abc", "not a number")):
        with pytest.raises(engine.EngineError, match=reason) as exc:
            engine.check_score(bad, skala, 7)
        assert "indicator 7" in str(exc.value)
    with pytest.raises(engine.EngineError, match="float"):
        engine.check_score(3.0, skala, 7)


def test_decimal_scale_errors():
    skala = engine.Skala("desimal", D(1), D(5))
    assert engine.check_score("2.75", skala, 3) == D("2.75")
    with pytest.raises(engine.EngineError, match="two decimals"):
        engine.check_score("2.755", skala, 3)
    with pytest.raises(engine.EngineError, match="outside"):
        engine.check_score("0.99", skala, 3)


def test_missing_score_is_an_error_in_the_engine():
    indikator = inds("PEMDI_2026")
    with pytest.raises(engine.EngineError, match="indicator 1 has no score"):
        engine.index(indikator, {})


def test_external_conversion_from_the_data():
    s = spec("PEMDI_2026")
    sdi = [engine.Konversi(k["level"], k["bawah"], k["atas"]) for k in s.konversi if k["indeks"] == "SDI"]
    assert engine.konversi_eksternal("10", sdi) == 1
    assert engine.konversi_eksternal("12.5", sdi) == 2  # [lower, upper): the boundary belongs to the higher level
    assert engine.konversi_eksternal("70", sdi) == 4
    assert engine.konversi_eksternal("100", sdi) == 5  # the top band includes its upper bound
    with pytest.raises(engine.EngineError, match="outside"):
        engine.konversi_eksternal("100.5", sdi, "SDI")


def test_gains_order_and_cap():
    indikator = inds("PEMDI_2026")
    scores = {i.nomor: D(1) for i in indikator}
    scores[20] = D(5)  # at the maximum: left out
    scores[19] = D("4.50")  # half a step left: 10 × 0.5 / 100 = 0.05
    result = engine.gains(indikator, scores, engine.Skala("desimal", D(1), D(5)))
    assert 20 not in [g.nomor for g in result]
    g19 = next(g for g in result if g.nomor == 19)
    assert g19.gain == D("0.05") and g19.langkah == D("0.50")
    gains = [g.gain for g in result]
    assert gains == sorted(gains, reverse=True)
    # weight-5 indicators come before weight-4 ones; among equal gains the lower current level first
    assert result[0].bobot == D(5)


def test_gain_ties_broken_by_current_level():
    indikator = [engine.Indikator(1, D(50), "A"), engine.Indikator(2, D(50), "A")]
    result = engine.gains(indikator, {1: D(3), 2: D(2)}, engine.Skala("level", D(1), D(5)))
    assert [g.nomor for g in result] == [2, 1]


def test_what_if_changes_only_the_targets():
    indikator = inds("SPBE_2020")
    scores = {i.nomor: D(2) for i in indikator}
    bands = pita("SPBE_2020")
    skala = engine.Skala("level", D(1), D(5))
    before, after = engine.what_if(indikator, scores, {11: 4, 12: "4"}, skala, bands)
    # +2 levels on two weight-2.50 indicators: +2·2.5·2/100 = +0.10
    assert before.indeks == D(2) and after.indeks == D("2.10")
    assert scores[11] == D(2)
    with pytest.raises(engine.EngineError, match="outside"):
        engine.what_if(indikator, scores, {11: 6}, skala, bands)


def test_weight_validation_names_the_aspect_and_figures():
    s = spec("SPBE_2020")
    s.indikator[0]["bobot"] = D("1.40")
    problems = s.problems()
    assert any("indicator weights sum to 100.10, not 100" in p for p in problems)
    assert any("aspect A1 has weight 13.00 but its indicators' weights sum to 13.10" in p for p in problems)


def test_domain_weight_validation():
    s = spec("SPBE_2020")
    s.domain["D3"]["bobot"] = D("13.00")
    assert any("domain D3 has weight 13.00 but its aspects' weights sum to 16.50" in p for p in s.problems())


def test_band_validation():
    s = spec("PEMDI_2026")
    s.predikat[1]["bawah"] = D("1.60")  # gap between Kurang (to 1.50) and Cukup
    assert any("gap between Kurang" in p for p in s.problems())
    s = spec("PEMDI_2026")
    s.predikat[0]["bawah"] = D("1.20")
    assert any("above the scale minimum" in p for p in s.problems())
