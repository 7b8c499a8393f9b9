"""The SPBE / Pemdi index engine: pure functions over plain data (no database, no float).

PermenPANRB 59/2020 (SPBE 2020) and 8/2026 (PEMDI 2026) compute the index as a cascade of weighted averages
whose weights nest exactly (indicator weights are % of the index; an aspect's weight is the sum of its
indicators', a domain's the sum of its aspects'):

    IA_a = Σ_{i∈a} w_i·s_i / Σ_{i∈a} w_i            aspect index
    ID_d = Σ_{a∈d} W_a·IA_a / Σ_{a∈d} W_a           domain index (SPBE 2020 only)
    IS   = Σ_i w_i·s_i / 100                        the index (the cascade collapses to this sum)

Rules (research report C §2.4):
- every figure is a Decimal at full precision; rounding happens only for display (2 d.p., ROUND_HALF_UP);
- the index is computed from the one weighted sum (exact: weights and scores have few decimals), never from the
  rounded or repeating aspect indices; aspect/domain indices are computed in a 60-digit context;
- the predikat is taken from the UNROUNDED index; an index within 0.005 of a band threshold is flagged as
  borderline (the rounding mode and whether KemenPANRB uses the rounded value are unconfirmed);
- a level framework takes whole levels within [nilai_min, nilai_maks]; a decimal framework takes scores with at
  most two decimals within the same range; anything else is a clear error naming the indicator;
- an indicator scored from another institution's index (SDI, SJIG, EPSS/IPS, IKASANDI …) converts that value to a
  level with the framework's conversion table; a missing external value counts as 1 — what the 2026 external
  assessors did ("Asumsi nilai dari indikator yang menggunakan indeks lain = 1", report C §3.2).
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
BORDERLINE = Decimal("0.005")
EXTERNAL_MISSING = Decimal(1)  # the assessors' rule for a missing external index value
_CONTEXT = decimal.Context(prec=60, rounding=ROUND_HALF_UP)


class EngineError(ValueError):
    """Bad input to the engine; `nomor` names the indicator when there is one."""

    def __init__(self, message: str, nomor: int | None = None):
        super().__init__(message)
        self.nomor = nomor


@dataclass(frozen=True)
class Indikator:
    nomor: int
    bobot: Decimal
    aspek: str
    domain: str | None = None
    nama: str = ""
    eksternal: str = ""


@dataclass(frozen=True)
class Skala:
    jenis: str  # "level" | "desimal"
    nilai_min: Decimal = Decimal(1)
    nilai_maks: Decimal = Decimal(5)


@dataclass(frozen=True)
class Pita:
    """A predikat band [bawah, atas); atas None = up to the scale's maximum (inclusive)."""

    predikat: str
    bawah: Decimal | None
    atas: Decimal | None
    atas_inklusif: bool = False
    alias: str = ""

    def memuat(self, nilai: Decimal) -> bool:
        if self.bawah is not None and nilai < self.bawah:
            return False
        if self.atas is None:
            return True
        return nilai <= self.atas if self.atas_inklusif else nilai < self.atas


@dataclass(frozen=True)
class Konversi:
    level: int
    bawah: Decimal | None
    atas: Decimal | None


def dec(value) -> Decimal:
    """A Decimal from a Decimal, int or numeric string; floats are refused (they carry binary noise)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or isinstance(value, float):
        raise EngineError(f"{value!r}: pass a Decimal, an int or a numeric string, never a float")
    try:
        result = Decimal(str(value).strip().replace(",", "."))
    except decimal.InvalidOperation as exc:
        raise EngineError(f"{value!r} is not a number") from exc
    if not result.is_finite():
        raise EngineError(f"{value!r} is not a finite number")
    return result


def dec_or_none(value) -> Decimal | None:
    try:
        return dec(value)
    except EngineError:
        return None


# -- scores --------------------------------------------------------------------------------------------------------


def check_score(value, skala: Skala, nomor: int | None = None) -> Decimal:
    """The score as a Decimal, or EngineError with a reason naming the indicator and the scale."""
    where = f"indicator {nomor}: " if nomor is not None else ""
    try:
        score = dec(value)
    except EngineError as exc:
        raise EngineError(f"{where}{exc}", nomor) from exc
    low, high = skala.nilai_min, skala.nilai_maks
    if skala.jenis == "level":
        if score != score.to_integral_value():
            raise EngineError(f"{where}level {score} is not a whole level (the scale is {low:f}–{high:f})", nomor)
        if not low <= score <= high:
            raise EngineError(f"{where}level {score} is outside the scale {low:f}–{high:f}", nomor)
        return Decimal(int(score))
    if score.as_tuple().exponent < -2:
        raise EngineError(f"{where}score {score} has more than two decimals", nomor)
    if not low <= score <= high:
        raise EngineError(f"{where}score {score} is outside the scale {low:.2f}–{high:.2f}", nomor)
    return score


def _scores_for(indikator: Iterable[Indikator], scores: Mapping[int, Decimal]) -> list[tuple[Indikator, Decimal]]:
    pairs = []
    for ind in indikator:
        if scores.get(ind.nomor) is None:
            raise EngineError(f"indicator {ind.nomor} has no score", ind.nomor)
        pairs.append((ind, dec(scores[ind.nomor])))
    return pairs


def weighted_sum(indikator: Iterable[Indikator], scores: Mapping[int, Decimal]) -> Decimal:
    """Σ w_i·s_i (exact: products and sums of short decimals)."""
    total = Decimal(0)
    for ind, score in _scores_for(indikator, scores):
        total = _CONTEXT.add(total, _CONTEXT.multiply(ind.bobot, score))
    return total


def index(indikator: Iterable[Indikator], scores: Mapping[int, Decimal]) -> Decimal:
    """IS = Σ w_i·s_i / 100 at full precision (weights are % of the index and sum to 100)."""
    return _CONTEXT.divide(weighted_sum(indikator, scores), HUNDRED)


def _group_index(pairs: list[tuple[Indikator, Decimal]], key) -> dict[str, Decimal]:
    sums: dict[str, list[Decimal]] = {}
    for ind, score in pairs:
        k = key(ind)
        if k is None:
            continue
        acc = sums.setdefault(k, [Decimal(0), Decimal(0)])
        acc[0] = _CONTEXT.add(acc[0], _CONTEXT.multiply(ind.bobot, score))
        acc[1] = _CONTEXT.add(acc[1], ind.bobot)
    return {k: _CONTEXT.divide(ws, w) for k, (ws, w) in sums.items() if w}


def aspect_indices(indikator: Iterable[Indikator], scores: Mapping[int, Decimal]) -> dict[str, Decimal]:
    """IA_a = Σ w·s / Σ w per aspect (60 significant digits: e.g. three 1.5-weights give thirds)."""
    return _group_index(_scores_for(indikator, scores), lambda i: i.aspek)


def domain_indices(indikator: Iterable[Indikator], scores: Mapping[int, Decimal]) -> dict[str, Decimal]:
    """ID_d per domain; Σ_a W_a·IA_a / Σ W_a equals Σ_{i∈d} w·s / Σ_{i∈d} w because the weights nest."""
    return _group_index(_scores_for(indikator, scores), lambda i: i.domain)


# -- predikat and display --------------------------------------------------------------------------------------------


def predikat(nilai, pita: Iterable[Pita]) -> Pita:
    """The band holding the UNROUNDED value."""
    value = dec(nilai)
    for band in pita:
        if band.memuat(value):
            return band
    raise EngineError(f"the index {value} is outside every predikat band")


def thresholds(pita: Iterable[Pita]) -> list[Decimal]:
    """The inner band boundaries (where the predikat changes)."""
    pita = list(pita)
    return sorted({p.bawah for p in pita if p.bawah is not None} - {min_bound(pita)})


def min_bound(pita: Iterable[Pita]) -> Decimal | None:
    lows = [p.bawah for p in pita if p.bawah is not None]
    return min(lows) if lows else None


def borderline(nilai, pita: Iterable[Pita]) -> list[Decimal]:
    """Thresholds within 0.005 of the value: there rounding first could change the predikat."""
    value = dec(nilai)
    pita = list(pita)
    return [t for t in thresholds(pita) if abs(value - t) < BORDERLINE]


def tampil(nilai) -> Decimal:
    """Display rounding: two decimals, ROUND_HALF_UP."""
    return dec(nilai).quantize(CENT, rounding=ROUND_HALF_UP)


# -- validation of a framework -----------------------------------------------------------------------------------------


@dataclass
class Struktur:
    """A framework's weights as loaded: indicators, aspect weights, domain weights (may be empty)."""

    indikator: list[Indikator]
    bobot_aspek: dict[str, Decimal]
    bobot_domain: dict[str, Decimal] = field(default_factory=dict)
    aspek_domain: dict[str, str | None] = field(default_factory=dict)


def validate_weights(s: Struktur) -> list[str]:
    """Every reason the weights do not nest; empty when they do."""
    errors = []
    total = sum((i.bobot for i in s.indikator), Decimal(0))
    if total != HUNDRED:
        errors.append(f"indicator weights sum to {total:f}, not 100")
    numbers = [i.nomor for i in s.indikator]
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        errors.append(f"indicator numbers appear more than once: {', '.join(map(str, duplicates))}")
    for ind in s.indikator:
        if ind.bobot <= 0:
            errors.append(f"indicator {ind.nomor} has weight {ind.bobot:f}; weights must be positive")
    per_aspect: dict[str, Decimal] = {}
    for ind in s.indikator:
        per_aspect[ind.aspek] = per_aspect.get(ind.aspek, Decimal(0)) + ind.bobot
    for aspek, bobot in s.bobot_aspek.items():
        got = per_aspect.get(aspek, Decimal(0))
        if got != bobot:
            errors.append(f"aspect {aspek} has weight {bobot:f} but its indicators' weights sum to {got:f}")
    for aspek in sorted(set(per_aspect) - set(s.bobot_aspek)):
        errors.append(f"aspect {aspek} of some indicators is not defined")
    if s.bobot_domain:
        per_domain: dict[str, Decimal] = {}
        for aspek, bobot in s.bobot_aspek.items():
            domain = s.aspek_domain.get(aspek)
            if domain is None:
                errors.append(f"aspect {aspek} has no domain")
                continue
            per_domain[domain] = per_domain.get(domain, Decimal(0)) + bobot
        for domain, bobot in s.bobot_domain.items():
            got = per_domain.get(domain, Decimal(0))
            if got != bobot:
                errors.append(f"domain {domain} has weight {bobot:f} but its aspects' weights sum to {got:f}")
    return errors


def validate_bands(pita: list[Pita], skala: Skala) -> list[str]:
    """Bands must follow each other without gap or overlap and cover [nilai_min, nilai_maks]."""
    if not pita:
        return ["no predikat bands"]
    errors = []
    ordered = sorted(pita, key=lambda p: (p.bawah is not None, p.bawah or Decimal(0)))
    first, last = ordered[0], ordered[-1]
    if first.bawah is not None and first.bawah > skala.nilai_min:
        errors.append(
            f"the lowest band ({first.predikat}) starts at {first.bawah:f}, above the scale minimum {skala.nilai_min:f}"
        )
    for lower, upper in zip(ordered, ordered[1:], strict=False):
        if lower.atas is None:
            errors.append(f"band {lower.predikat} has no upper bound but band {upper.predikat} follows it")
        elif upper.bawah != lower.atas:
            kind = "gap" if upper.bawah is None or upper.bawah > lower.atas else "overlap"
            errors.append(
                f"{kind} between {lower.predikat} (up to {lower.atas:f}) and {upper.predikat} "
                f"(from {upper.bawah if upper.bawah is None else format(upper.bawah, 'f')})"
            )
    if last.atas is not None and (
        last.atas < skala.nilai_maks or (last.atas == skala.nilai_maks and not last.atas_inklusif)
    ):
        errors.append(
            f"the highest band ({last.predikat}) ends at {last.atas:f} and does not reach {skala.nilai_maks:f}"
        )
    return errors


# -- external indices ------------------------------------------------------------------------------------------------


def konversi_eksternal(nilai, tabel: list[Konversi], indeks: str = "") -> int:
    """The level of an external index value: bands [bawah, atas), the highest band's upper bound included.

    Boundary inclusivity is not stated in the sources (reference file note); this is the convention of the
    predikat bands. A value below the lowest bound or above the highest is an error naming the index."""
    if not tabel:
        raise EngineError(f"no conversion table for the external index {indeks}")
    value = dec(nilai)
    ordered = sorted(tabel, key=lambda k: k.level)
    top = ordered[-1]
    for k in ordered:
        if k.bawah is not None and value < k.bawah:
            continue
        if k.atas is None or value < k.atas or (k is top and value == k.atas):
            return k.level
    raise EngineError(f"{indeks} value {value} is outside the conversion table")


# -- what-if and gains -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hasil:
    indeks: Decimal
    predikat: str
    tampil: Decimal
    borderline: list[Decimal]


def hasil(indikator: list[Indikator], scores: Mapping[int, Decimal], pita: list[Pita]) -> Hasil:
    value = index(indikator, scores)
    return Hasil(value, predikat(value, pita).predikat, tampil(value), borderline(value, pita))


def what_if(
    indikator: list[Indikator], scores: Mapping[int, Decimal], targets: Mapping[int, object], skala: Skala,
    pita: list[Pita],
) -> tuple[Hasil, Hasil]:  # fmt: skip
    """(before, after) with the target scores replacing the current ones; nothing else changes."""
    known = {i.nomor for i in indikator}
    changed = dict(scores)
    for nomor, target in targets.items():
        if nomor not in known:
            raise EngineError(f"indicator {nomor} is not in this framework", nomor)
        changed[nomor] = check_score(target, skala, nomor)
    return hasil(indikator, scores, pita), hasil(indikator, changed, pita)


@dataclass(frozen=True)
class Gain:
    nomor: int
    nama: str
    bobot: Decimal
    nilai: Decimal
    langkah: Decimal  # how far one step goes (1, or less when near the maximum)
    gain: Decimal  # index gain of that step = bobot / 100 × langkah


def gains(indikator: list[Indikator], scores: Mapping[int, Decimal], skala: Skala) -> list[Gain]:
    """Indicators by the index gain of raising them one level (weight/100 per step, capped at the maximum);
    indicators already at the maximum are left out; ties: the lower current level first, then the number."""
    result = []
    for ind, score in _scores_for(indikator, scores):
        step = min(Decimal(1), skala.nilai_maks - score)
        if step <= 0:
            continue
        result.append(Gain(ind.nomor, ind.nama, ind.bobot, score, step, _CONTEXT.divide(ind.bobot * step, HUNDRED)))
    result.sort(key=lambda g: (-g.gain, g.nilai, g.nomor))
    return result
