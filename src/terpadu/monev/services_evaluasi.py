"""Monev evaluasi: rating bands as configuration, quarterly periods and their lock, the quarterly evaluation of
every OPD sub kegiatan computed from the ledger, capaian per indicator, progress weighted by pagu and the early
warning. The only code of this part that changes state (each change in one transaction, audited).

Rules where the reference data is silent or inconsistent (documented here and on the scales page):

- **Contiguous bands.** Every scale covers every value: its lowest band is unbounded below, its highest band
  unbounded above (a capaian above 100 % stays "Sangat Tinggi"), and each band starts exactly where the band
  below ends, one side inclusive and the other exclusive. Saving a scale that breaks this is refused with the
  gap or overlap named.
- **Gap rule.** The reference writes some bands as integer ranges ("Sangat Rendah ≤ 50", "Rendah 51–65"), which
  leaves values such as 50.5 in no band. When a band's lower bound lies above the band below's upper bound by
  at most one point, the band starts right after the band below ends: Rendah is "> 50". The gap goes to the
  higher band (the benefit of the doubt); the band's note says what was adjusted. A larger gap is an error.
- **Capaian.** Higher is better: realisasi / target × 100. Lower is better: (2 × target − realisasi) / target ×
  100 (the practice of the Permendagri 86/2017 evaluation tables: at target 100 %, each point below target adds
  a point). A target of 0 gives no capaian (None): the indicator is shown without a rating.
- **Weights.** bobot = pagu of the sub kegiatan / pagu of the OPD; the OPD's physical progress is Σ bobot ×
  fisik (a sub kegiatan without a report counts 0 %); its financial progress Σ bobot × % keuangan, which equals
  Σ realisasi / Σ pagu. The city's progress weighs OPDs by their pagu the same way.
- **Cash plan.** The cumulative cash plan of a sub kegiatan is the sum of AnggaranKas up to the month of the
  latest *adopted* round in which its RKA was approved (the same definition as anggaran.services_rka
  .kas_kumulatif), computed in one aggregate for many sub kegiatan.
- **Early warning.** A sub kegiatan lags when (cash plan − realisation) / pagu × 100 exceeds the margin
  (settings.TERPADU_MONEV_MARGIN percentage points, default 10) at the end of a completed month.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from terpadu.core import audit, events
from terpadu.monev.models import (
    CapaianIndikator,
    EvaluasiSubKegiatan,
    PeringatanDini,
    PeriodeMonev,
    PitaRating,
    SkalaRating,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
BAND_FILE = DATA_DIR / "monev_rating_bands.csv"
QUARTER_FILE = DATA_DIR / "monev_quarter_bands.csv"
DEADLINE_FILE = DATA_DIR / "monev_reporting_deadlines.csv"
SKALA_CAPAIAN = "capaian"
HUNDRED = Decimal(100)
ZERO = Decimal(0)
PCT = Decimal("0.0001")
GAP_MAX = Decimal(1)  # gaps of at most one point are integer-range artefacts (see the gap rule)


def skala_kumulatif(triwulan: int) -> str:
    return f"kumulatif_tw{triwulan}"


def triwulan_of(bulan: int) -> int:
    if not 1 <= int(bulan) <= 12:
        raise ValidationError(_("Month %(bulan)s is not between 1 and 12.") % {"bulan": bulan})
    return (int(bulan) - 1) // 3 + 1


def akhir_bulan_triwulan(triwulan: int) -> int:
    return triwulan * 3


def persen(bagian, keseluruhan) -> Decimal | None:
    """bagian / keseluruhan × 100, 4 decimals; None when the base is 0."""
    bagian, keseluruhan = Decimal(bagian or 0), Decimal(keseluruhan or 0)
    if keseluruhan == 0:
        return None
    return (bagian / keseluruhan * HUNDRED).quantize(PCT, ROUND_HALF_UP)


# =============================================================================================================
# rating bands
# =============================================================================================================


@dataclass
class Pita:
    kategori: str
    batas_bawah: Decimal | None
    bawah_inklusif: bool
    batas_atas: Decimal | None
    atas_inklusif: bool
    label: str = ""
    warna: str = ""
    urutan: int = 0
    catatan: str = ""

    def memuat(self, nilai: Decimal) -> bool:
        if self.batas_bawah is not None and (
            nilai < self.batas_bawah or (nilai == self.batas_bawah and not self.bawah_inklusif)
        ):
            return False
        return not (
            self.batas_atas is not None
            and (nilai > self.batas_atas or (nilai == self.batas_atas and not self.atas_inklusif))
        )


def _dec(text) -> Decimal | None:
    text = ("" if text is None else str(text)).strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(_("%(value)s is not a number.") % {"value": text}) from exc


def _bool(text) -> bool:
    return str(text).strip().lower() in ("true", "1", "yes", "ya")


def _fmt(value: Decimal | None) -> str:
    return "∞" if value is None else f"{value.normalize():f}"


def urutkan(pita: list[Pita]) -> list[Pita]:
    """Lowest band first (an unbounded lower bound sorts first)."""
    return sorted(pita, key=lambda p: (p.batas_bawah is not None, p.batas_bawah or ZERO))


def rapikan(pita: list[Pita]) -> list[Pita]:
    """Apply the documented rules to bands read from the reference: open ends and the gap rule."""
    bands = urutkan(pita)
    if not bands:
        return bands
    top = bands[-1]
    if top.batas_atas is not None:
        top.catatan = _join(top.catatan, f"upper bound {_fmt(top.batas_atas)} removed: the highest band is open above")
        top.batas_atas, top.atas_inklusif = None, False
    bottom = bands[0]
    if bottom.batas_bawah is not None:
        bottom.catatan = _join(
            bottom.catatan, f"lower bound {_fmt(bottom.batas_bawah)} removed: the lowest band is open below"
        )
        bottom.batas_bawah, bottom.bawah_inklusif = None, True
    for lower, upper in zip(bands, bands[1:], strict=False):
        if lower.batas_atas is None or upper.batas_bawah is None:
            continue
        gap = upper.batas_bawah - lower.batas_atas
        if ZERO < gap <= GAP_MAX:
            was = f"{'≥' if upper.bawah_inklusif else '>'} {_fmt(upper.batas_bawah)}"
            upper.batas_bawah = lower.batas_atas
            upper.bawah_inklusif = not lower.atas_inklusif
            now = f"{'≥' if upper.bawah_inklusif else '>'} {_fmt(upper.batas_bawah)}"
            upper.catatan = _join(upper.catatan, f"gap rule: lower bound {was} became {now}")
    return bands


def _join(a: str, b: str) -> str:
    return f"{a}; {b}" if a else b


def validasi_pita(pita: list[Pita], kode: str = "") -> list[Pita]:
    """Refuse a scale whose bands are not contiguous and non-overlapping over all values; returns them sorted."""
    where = f"{kode}: " if kode else ""
    bands = urutkan(pita)
    if not bands:
        raise ValidationError(_("%(where)sa scale needs at least one band.") % {"where": where})
    names = [p.kategori.strip() for p in bands]
    if any(not n for n in names):
        raise ValidationError(_("%(where)severy band needs a category name.") % {"where": where})
    if len(set(names)) != len(names):
        raise ValidationError(_("%(where)sa category appears twice in the scale.") % {"where": where})
    if bands[0].batas_bawah is not None:
        raise ValidationError(
            _("%(where)svalues below %(x)s fall in no band: the lowest band (%(band)s) must have no lower bound.")
            % {"where": where, "x": _fmt(bands[0].batas_bawah), "band": bands[0].kategori}
        )
    if bands[-1].batas_atas is not None:
        raise ValidationError(
            _("%(where)svalues above %(x)s fall in no band: the highest band (%(band)s) must have no upper bound.")
            % {"where": where, "x": _fmt(bands[-1].batas_atas), "band": bands[-1].kategori}
        )
    for band in bands:
        if band.batas_bawah is not None and band.batas_atas is not None and band.batas_bawah >= band.batas_atas:
            raise ValidationError(
                _("%(where)sband %(band)s: the lower bound %(lo)s must be below the upper bound %(hi)s.")
                % {"where": where, "band": band.kategori, "lo": _fmt(band.batas_bawah), "hi": _fmt(band.batas_atas)}
            )
    for lower, upper in zip(bands, bands[1:], strict=False):
        params = {"where": where, "a": lower.kategori, "b": upper.kategori}
        if lower.batas_atas is None or upper.batas_bawah is None:
            raise ValidationError(_("%(where)sbands %(a)s and %(b)s overlap (an open bound in between).") % params)
        params.update(x=_fmt(lower.batas_atas), y=_fmt(upper.batas_bawah))
        if lower.batas_atas < upper.batas_bawah:
            raise ValidationError(
                _("%(where)svalues between %(x)s and %(y)s fall in no band (%(a)s / %(b)s).") % params
            )
        if lower.batas_atas > upper.batas_bawah:
            raise ValidationError(_("%(where)sbands %(a)s and %(b)s overlap between %(y)s and %(x)s.") % params)
        if lower.atas_inklusif and upper.bawah_inklusif:
            raise ValidationError(_("%(where)sthe value %(x)s is in both %(a)s and %(b)s.") % params)
        if not lower.atas_inklusif and not upper.bawah_inklusif:
            raise ValidationError(_("%(where)sthe value %(x)s falls in no band (%(a)s / %(b)s).") % params)
    return bands


def baca_skala() -> dict[str, dict]:
    """The scales of the reference files, after the documented rules: kode -> {nama, keyakinan, sumber, pita}."""
    scales: dict[str, dict] = {}
    annual: list[Pita] = []
    sources, confidence = [], set()
    with open(BAND_FILE, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            annual.append(
                Pita(
                    kategori=row["category"].strip(),
                    batas_bawah=_dec(row["min"]),
                    bawah_inklusif=_bool(row["min_inclusive"]),
                    batas_atas=_dec(row["max"]),
                    atas_inklusif=_bool(row["max_inclusive"]),
                    label=row.get("label_lkjip", "").strip(),
                    warna=row.get("colour_simonev21", "").strip(),
                )
            )
            sources.append(row.get("source", "").strip())
            confidence.add(row.get("confidence", "").strip())
    style = {p.kategori: (p.label, p.warna) for p in annual}
    scales[SKALA_CAPAIAN] = {
        "nama": "Capaian kinerja dan anggaran (tahunan, Permendagri 86/2017)",
        "keyakinan": _confidence(confidence),
        "sumber": _first(sources),
        "pita": rapikan(annual),
    }
    quarters: dict[int, list[Pita]] = defaultdict(list)
    qsources: dict[int, list[str]] = defaultdict(list)
    qconf: dict[int, set] = defaultdict(set)
    with open(QUARTER_FILE, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            tw = int(row["triwulan"])
            name = row["category"].strip()
            label, warna = style.get(name, ("", ""))
            lo = _dec(row["min_inclusive"])
            quarters[tw].append(Pita(name, lo, True, _dec(row["max_exclusive"]), False, label, warna))
            qsources[tw].append(row.get("source", "").strip())
            qconf[tw].add(row.get("confidence", "").strip())
    for tw in sorted(quarters):
        scales[skala_kumulatif(tw)] = {
            "nama": f"Realisasi kumulatif s.d. triwulan {tw}",
            "keyakinan": _confidence(qconf[tw]),
            "sumber": _first(qsources[tw]),
            "pita": rapikan(quarters[tw]),
        }
    return scales


def _confidence(values: set) -> str:
    order = ["unconfirmed", "secondary", "multi", "official", "local"]
    for value in order:  # the weakest claim wins
        if value in values:
            return value
    return "unconfirmed"


def _first(sources: list[str]) -> str:
    return next((s for s in sources if s), "")[:500]


def muat_skala() -> int:
    """Load (or reload) every scale from the reference files. Scales that did not change are left alone.
    Returns how many scales were written. Audited."""
    written = 0
    with transaction.atomic():
        for kode, spec in baca_skala().items():
            bands = validasi_pita(spec["pita"], kode)
            skala = SkalaRating.objects.filter(kode=kode).first()
            if skala is not None and _same(skala, spec, bands):
                continue
            before = _skala_snapshot(skala) if skala else None
            if skala is None:
                skala = SkalaRating(kode=kode)
            skala.nama, skala.keyakinan, skala.sumber = spec["nama"], spec["keyakinan"], spec["sumber"]
            skala.save()
            _write_bands(skala, bands)
            audit.record(skala, "monev.skala_dimuat", audit.diff(before, _skala_snapshot(skala)))
            written += 1
    return written


def _same(skala: SkalaRating, spec: dict, bands: list[Pita]) -> bool:
    if (skala.nama, skala.keyakinan, skala.sumber) != (spec["nama"], spec["keyakinan"], spec["sumber"]):
        return False
    current = [_pita_of(p) for p in skala.pita.all()]
    key = lambda p: (p.kategori, p.batas_bawah, p.bawah_inklusif, p.batas_atas, p.atas_inklusif)  # noqa: E731
    return sorted(map(key, current), key=str) == sorted(map(key, bands), key=str)


def _write_bands(skala: SkalaRating, bands: list[Pita]) -> None:
    skala.pita.all().delete()
    count = len(bands)
    PitaRating.objects.bulk_create(
        PitaRating(
            skala=skala,
            kategori=p.kategori.strip(),
            label=p.label,
            batas_bawah=p.batas_bawah,
            bawah_inklusif=p.bawah_inklusif,
            batas_atas=p.batas_atas,
            atas_inklusif=p.atas_inklusif,
            warna=p.warna,
            urutan=count - i,  # the highest band first on screen
            catatan=p.catatan,
        )
        for i, p in enumerate(urutkan(bands))
    )


def _skala_snapshot(skala: SkalaRating) -> dict:
    return {
        "nama": skala.nama,
        "keyakinan": skala.keyakinan,
        "pita": [
            f"{p.kategori}: {'[' if p.bawah_inklusif else '('}{_fmt(p.batas_bawah)}, "
            f"{_fmt(p.batas_atas)}{']' if p.atas_inklusif else ')'}"
            for p in skala.pita.order_by("-urutan")
        ],
    }


def _pita_of(p: PitaRating) -> Pita:
    return Pita(
        p.kategori, p.batas_bawah, p.bawah_inklusif, p.batas_atas, p.atas_inklusif, p.label, p.warna, p.urutan,
        p.catatan,
    )  # fmt: skip


def simpan_skala(skala: SkalaRating, pita: list[Pita], user=None) -> SkalaRating:
    """Replace a scale's bands (edited by Bappeda): validated, then written and audited; the scale becomes
    "set by the city" since it no longer is the reference's."""
    bands = validasi_pita(pita, skala.kode)
    with transaction.atomic():
        skala = SkalaRating.objects.select_for_update().get(pk=skala.pk)
        before = _skala_snapshot(skala)
        skala.keyakinan = "local"
        skala.save(update_fields=["keyakinan"])
        _write_bands(skala, bands)
        audit.record(skala, "monev.skala_diubah", audit.diff(before, _skala_snapshot(skala)))
    return skala


_pita_cache = audit.HeadCache()


def pita_skala(kode: str) -> list[PitaRating]:
    """The bands of a scale (read on every monev page and row; cached until an audited change)."""
    bands = _pita_cache.get(kode, lambda: list(PitaRating.objects.filter(skala__kode=kode).select_related("skala")))
    return list(bands)  # the caller's own list (the bands are shared, read only)


def cocokkan(pita: list[PitaRating], nilai) -> PitaRating | None:
    if nilai is None:
        return None
    nilai = Decimal(nilai)
    for band in pita:
        if _pita_of(band).memuat(nilai):
            return band
    return None


def kategori(skala_kode: str, nilai) -> PitaRating:
    """The band of `skala_kode` holding `nilai` (a percentage)."""
    pita = pita_skala(skala_kode)
    if not pita:
        raise ValidationError(
            _("There is no rating scale %(kode)s: load the scales (monev bands page) first.") % {"kode": skala_kode}
        )
    band = cocokkan(pita, nilai)
    if band is None:  # only possible if the stored bands were written around the validation
        raise ValidationError(_("%(nilai)s falls in no band of scale %(kode)s.") % {"nilai": nilai, "kode": skala_kode})
    return band


# =============================================================================================================
# periods and locking
# =============================================================================================================


def batas_hari_kerja() -> int:
    """Working days after quarter end for the Kepala SKPD/OPD report (monev_reporting_deadlines.csv)."""
    with open(DEADLINE_FILE, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["reporter"].strip().startswith("Kepala SKPD") and row["limit_unit"].strip() == "hari_kerja":
                return int(row["limit_value"])
    raise ValidationError(
        _("The deadline of the Kepala SKPD report is missing from %(file)s.") % {"file": DEADLINE_FILE}
    )


def akhir_triwulan(tahun: int, triwulan: int) -> dt.date:
    bulan = akhir_bulan_triwulan(triwulan)
    return dt.date(tahun, bulan, calendar.monthrange(tahun, bulan)[1])


def hitung_batas_waktu(tahun: int, triwulan: int) -> dt.date:
    from terpadu.core import kalender

    return kalender.add_working_days(akhir_triwulan(tahun, triwulan), batas_hari_kerja())


def pastikan_periode(tahun: int) -> list[PeriodeMonev]:
    """The four periods of a year, created when missing (with their deadline). Audited."""
    if not 2000 <= int(tahun) <= 2100:
        raise ValidationError(_("Year %(tahun)s is out of range.") % {"tahun": tahun})
    with transaction.atomic():
        existing = {p.triwulan: p for p in PeriodeMonev.objects.filter(tahun=tahun)}
        for tw in range(1, 5):
            if tw not in existing:
                periode = PeriodeMonev.objects.create(
                    tahun=tahun, triwulan=tw, batas_waktu=hitung_batas_waktu(tahun, tw)
                )
                audit.record(periode, "monev.periode_dibuat", {"batas_waktu": [None, str(periode.batas_waktu)]})
                existing[tw] = periode
    return [existing[tw] for tw in range(1, 5)]


def kunci_periode(periode: PeriodeMonev, alasan: str, user=None, *, otomatis: bool = False) -> PeriodeMonev:
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": _("Give the reason for locking %(p)s.") % {"p": periode}})
    with transaction.atomic():
        periode = PeriodeMonev.objects.select_for_update().get(pk=periode.pk)
        if periode.status == PeriodeMonev.Status.DIKUNCI:
            raise ValidationError(_("%(p)s is already locked.") % {"p": periode})
        periode.status = PeriodeMonev.Status.DIKUNCI
        periode.dikunci = timezone.now()
        periode.save(update_fields=["status", "dikunci"])
        audit.record(
            periode,
            "monev.periode_dikunci_otomatis" if otomatis else "monev.periode_dikunci",
            {"status": ["terbuka", "dikunci"], "alasan": [None, alasan]},
        )
        events.publish("monev.periode_dikunci", {"periode_id": periode.pk})
    return periode


def buka_periode(periode: PeriodeMonev, alasan: str, user=None) -> PeriodeMonev:
    """Unlock by hand (Bappeda), with a reason. The automatic lock does not lock it again: a period unlocked
    by hand stays open until it is locked by hand."""
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": _("Give the reason for unlocking %(p)s.") % {"p": periode}})
    with transaction.atomic():
        periode = PeriodeMonev.objects.select_for_update().get(pk=periode.pk)
        if periode.status != PeriodeMonev.Status.DIKUNCI:
            raise ValidationError(_("%(p)s is not locked.") % {"p": periode})
        periode.status = PeriodeMonev.Status.TERBUKA
        periode.save(update_fields=["status"])  # `dikunci` stays: it was locked once (no automatic re-lock)
        audit.record(periode, "monev.periode_dibuka", {"status": ["dikunci", "terbuka"], "alasan": [None, alasan]})
    return periode


def kunci_jatuh_tempo(today: dt.date | None = None) -> int:
    """Lock every open period whose deadline has passed and that was never locked (idempotent). Makes sure the
    periods of this year exist first, so `periode_terkunci` has rows to answer from."""
    today = today or timezone.localdate()
    pastikan_periode(today.year)
    locked = 0
    due = PeriodeMonev.objects.filter(status=PeriodeMonev.Status.TERBUKA, dikunci__isnull=True, batas_waktu__lt=today)
    for periode in due:
        kunci_periode(
            periode,
            _("Deadline %(d)s passed (Kepala OPD report: %(n)s working days after quarter end).")
            % {"d": periode.batas_waktu.isoformat(), "n": batas_hari_kerja()},
            otomatis=True,
        )
        locked += 1
    return locked


def periode_terkunci(tahun: int, bulan: int) -> bool:
    """Is the quarter holding this month locked? (realisasi refuses physical progress for a locked quarter)."""
    return PeriodeMonev.objects.filter(
        tahun=tahun, triwulan=triwulan_of(bulan), status=PeriodeMonev.Status.DIKUNCI
    ).exists()


def _cek_terbuka(periode: PeriodeMonev) -> None:
    if periode.status == PeriodeMonev.Status.DIKUNCI:
        raise ValidationError(
            _(
                "%(p)s is locked (deadline %(d)s): its evaluation can no longer be changed. "
                "Bappeda (monev.manage) can unlock it with a reason."
            )
            % {"p": periode, "d": periode.batas_waktu.isoformat()}
        )


# =============================================================================================================
# figures from the ledger (aggregates: a constant number of queries for any number of sub kegiatan)
# =============================================================================================================


@dataclass
class Angka:
    pagu: Decimal = ZERO
    kas: Decimal = ZERO
    # The whole year's cash plan of the latest adopted round (= that round's pagu: a cash plan must equal its
    # RKA). While a pergeseran is being approved, DPA lines already carry its new pagu, the cash plan not yet.
    kas_tahun: Decimal = ZERO
    realisasi: Decimal = ZERO
    fisik: Decimal | None = None
    kas_bulanan: dict = field(default_factory=dict)
    realisasi_bulanan: dict = field(default_factory=dict)
    # A group of sub kegiatan (kelompok program/kegiatan): how many, and Σ pagu × fisik unrounded (so that sums
    # over groups weigh exactly as sums over their sub kegiatan).
    jumlah_sub: int = 0
    bobot_fisik: Decimal | None = None

    @property
    def persen_keuangan(self) -> Decimal | None:
        return persen(self.realisasi, self.pagu)

    @property
    def persen_kas(self) -> Decimal | None:
        return persen(self.realisasi, self.kas)

    @property
    def deviasi(self) -> Decimal | None:
        """How many points of pagu the realisation lags the cash plan (negative: ahead). The pagu is the one of
        the round the cash plan belongs to, so both figures come from the same adopted round."""
        return persen(self.kas - self.realisasi, self.kas_tahun or self.pagu)


def kas_terpakai(tahun: int):
    """AnggaranKas rows of each sub kegiatan's latest adopted approved RKA (one queryset, NOT EXISTS)."""
    from terpadu.anggaran.models import AnggaranKas, Rka, TahapAnggaran

    later = Rka.objects.filter(
        sub_kegiatan=OuterRef("rka__sub_kegiatan"),
        status=Rka.Status.DISETUJUI,
        tahap__status=TahapAnggaran.Status.DITETAPKAN,
        tahap__urutan__gt=OuterRef("rka__tahap__urutan"),
    )
    return AnggaranKas.objects.filter(
        rka__tahun=tahun, rka__status=Rka.Status.DISETUJUI, rka__tahap__status=TahapAnggaran.Status.DITETAPKAN
    ).filter(~Exists(later))


def fisik_terakhir(tahun: int, bulan: int):
    """ProgresFisik rows: the latest report of each sub kegiatan at or before `bulan` (one query: a window
    numbers each sub kegiatan's reports from the latest month down, and the first is kept). Further filters
    narrow the rows before the window is computed."""
    from terpadu.realisasi.models import ProgresFisik

    return (
        ProgresFisik.objects.filter(tahun=tahun, bulan__lte=bulan)
        .annotate(_urut=Window(RowNumber(), partition_by=[F("sub_kegiatan")], order_by=F("bulan").desc()))
        .filter(_urut=1)
    )


# -- the figures of the dashboards, in SQL ----------------------------------------------------------------------
#
# `angka` is read by every monev page and the public transparency page, at every drill-down step. It is written in
# SQL rather than the ORM: its four grouped queries cost ~1 ms each to run but took ~1.5 ms each to build as
# querysets. The SQL is plain (GROUP BY, NOT EXISTS, ROW_NUMBER) and runs on PostgreSQL and SQLite alike; the
# tables and columns come from the models' metadata.

# kelompok -> the row key, as a column of the ledger row (alias x) or of its sub kegiatan (alias s)
KELOMPOK = {
    "sub": "{x}.sub_kegiatan_id",
    "unit": "{x}.unit_id",
    "program": "s.kode_program",
    "kegiatan": "s.kode_kegiatan",
}


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _in(column: str, values) -> tuple[str, list]:
    """`column IN (…)` for a list of ids or a queryset of one column (compiled as a subquery)."""
    if hasattr(values, "query"):
        sql, params = values.query.sql_with_params()
        return f"{column} IN ({sql})", list(params)
    values = list(values)
    if not values:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def _ledger_where(x: str, tahun, unit_ids, sub_ids, kode_program, kode_kegiatan, with_sub: bool) -> tuple[str, list]:
    """The filters on a ledger row `x` (it carries its sub kegiatan's unit and year) and its sub kegiatan `s`."""
    parts, params = [], []
    if unit_ids is not None:
        sql, more = _in(f"{x}.unit_id", unit_ids)
        parts.append(sql)
        params += more
    if sub_ids is not None:
        sql, more = _in(f"{x}.sub_kegiatan_id", sub_ids)
        parts.append(sql)
        params += more
    if with_sub:
        # Repeating the ledger's year and unit on the sub kegiatan changes no figure; it lets PostgreSQL join the
        # few sub kegiatan of the unit instead of hashing every year's.
        parts.append("s.tahun = %s")
        params.append(tahun)
        if unit_ids is not None:
            sql, more = _in("s.unit_id", unit_ids)
            parts.append(sql)
            params += more
    if kode_program:
        parts.append("s.kode_program = %s")
        params.append(kode_program)
    if kode_kegiatan:
        parts.append("s.kode_kegiatan = %s")
        params.append(kode_kegiatan)
    return "".join(f" AND {part}" for part in parts), params


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _uang(value) -> Decimal:
    """A SUM as Decimal: PostgreSQL answers Decimal, SQLite a float or an int (rounded to the column's cents)."""
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def angka(
    tahun: int,
    bulan: int,
    *,
    kelompok: str = "sub",
    bulanan: bool = False,
    unit_ids=None,
    sub_ids=None,
    kode_program: str | None = None,
    kode_kegiatan: str | None = None,
) -> dict:
    """Figures per sub kegiatan id (kelompok="sub"), per OPD id ("unit"), per program or kegiatan code of the
    sub kegiatan ("program", "kegiatan"; with jumlah_sub): pagu, cumulative cash plan and realisation to
    `bulan` (and per month with `bulanan`), physical progress (of a group: weighted by the pagu of its sub
    kegiatan). Four aggregate queries whatever the number of rows, grouped by the row key in SQL;
    `unit_ids`/`sub_ids` may be lists of ids or querysets of one id column."""
    from terpadu.anggaran.models import AnggaranKas, DpaBaris, Rka, TahapAnggaran
    from terpadu.perencanaan.models import RenjaSubKegiatan
    from terpadu.realisasi.models import ProgresFisik, Realisasi

    if kelompok not in KELOMPOK:
        raise ValueError(kelompok)
    per_sub = kelompok == "sub"
    with_sub = kelompok in ("program", "kegiatan") or bool(kode_program or kode_kegiatan)
    filters = (tahun, unit_ids, sub_ids, kode_program, kode_kegiatan, with_sub)
    sub_table = _table(RenjaSubKegiatan)

    def join(x: str) -> str:
        return f" JOIN {sub_table} s ON s.id = {x}.sub_kegiatan_id" if with_sub else ""

    out: dict = defaultdict(Angka)
    pagu_sub: dict[int, tuple] = {}  # sub kegiatan id -> (row key, pagu)
    key = KELOMPOK["unit" if per_sub else kelompok].format(x="x")
    where, params = _ledger_where("x", *filters)
    for sub_id, row_id, total in _rows(
        f"SELECT x.sub_kegiatan_id, {key}, SUM(x.pagu) FROM {_table(DpaBaris)} x{join('x')}"  # noqa: S608 (names from the models; values are parameters)
        f" WHERE x.tahun = %s{where} GROUP BY x.sub_kegiatan_id, {key}",
        [tahun, *params],
    ):
        row_id = sub_id if per_sub else row_id
        pagu_sub[sub_id] = (row_id, _uang(total))
        out[row_id].pagu += _uang(total)

    # The cash plan of each sub kegiatan's latest adopted round: its approved RKA with no approved RKA in a later
    # adopted round.
    key = KELOMPOK[kelompok].format(x="r")
    where, params = _ledger_where("r", *filters)
    approved, adopted = Rka.Status.DISETUJUI, TahapAnggaran.Status.DITETAPKAN
    rka, tahap = _table(Rka), _table(TahapAnggaran)
    kas = _rows(
        f"SELECT {key}, k.bulan, SUM(k.nilai) FROM {_table(AnggaranKas)} k JOIN {rka} r ON r.id = k.rka_id"  # noqa: S608 (names from the models; values are parameters)
        f" JOIN {tahap} t ON t.id = r.tahap_id{join('r')}"
        f" WHERE r.tahun = %s AND r.status = %s AND t.status = %s{where} AND NOT EXISTS ("
        f"SELECT 1 FROM {rka} r2 JOIN {tahap} t2 ON t2.id = r2.tahap_id WHERE r2.sub_kegiatan_id = r.sub_kegiatan_id"
        f" AND r2.status = %s AND t2.status = %s AND t2.urutan > t.urutan) GROUP BY {key}, k.bulan",
        [tahun, approved, adopted, *params, approved, adopted],
    )
    for row_id, month, total in kas:
        out[row_id].kas_tahun += _uang(total)
        if bulanan:
            out[row_id].kas_bulanan[month] = out[row_id].kas_bulanan.get(month, ZERO) + _uang(total)
        if month <= bulan:
            out[row_id].kas += _uang(total)

    key = KELOMPOK[kelompok].format(x="x")
    where, params = _ledger_where("x", *filters)
    if not bulanan:
        where, params = f" AND x.bulan <= %s{where}", [bulan, *params]
    real = _rows(
        f"SELECT {key}, x.bulan, SUM(x.nilai) FROM {_table(Realisasi)} x{join('x')}"  # noqa: S608 (names from the models; values are parameters)
        f" WHERE x.tahun = %s{where} GROUP BY {key}, x.bulan",
        [tahun, *params],
    )
    for row_id, month, total in real:
        if bulanan:
            out[row_id].realisasi_bulanan[month] = out[row_id].realisasi_bulanan.get(month, ZERO) + _uang(total)
        if month <= bulan:
            out[row_id].realisasi += _uang(total)

    # The latest physical progress report of each sub kegiatan at or before `bulan`.
    where, params = _ledger_where("x", *filters)
    fisik = [
        (sub_id, row_id, _uang(value) if value is not None else None)
        for sub_id, row_id, value in _rows(
            f"SELECT sub_id, row_id, persen FROM (SELECT x.sub_kegiatan_id AS sub_id, {key} AS row_id, x.persen,"  # noqa: S608 (names from the models; values are parameters)
            f" ROW_NUMBER() OVER (PARTITION BY x.sub_kegiatan_id ORDER BY x.bulan DESC) AS urut"
            f" FROM {_table(ProgresFisik)} x{join('x')} WHERE x.tahun = %s AND x.bulan <= %s{where}) latest"
            f" WHERE urut = 1",
            [tahun, bulan, *params],
        )
    ]
    if per_sub:
        for sub_id, _row_id, value in fisik:
            out[sub_id].fisik = value
        return dict(out)
    weighted: dict = defaultdict(Decimal)
    if kelompok == "unit":
        fisik = {sub_id: value for sub_id, _row_id, value in fisik}
        for sub_id, (unit_id, pagu) in pagu_sub.items():
            weighted[unit_id] += pagu * (fisik.get(sub_id) or ZERO)
        for unit_id, total in weighted.items():
            a = out[unit_id]
            a.fisik = (total / a.pagu).quantize(PCT, ROUND_HALF_UP) if a.pagu else None
        return dict(out)
    # a program / kegiatan: its sub kegiatan are those with a DPA line or a progress report
    members: dict = defaultdict(set)
    for sub_id, (row_id, _pagu) in pagu_sub.items():
        members[row_id].add(sub_id)
    for sub_id, row_id, value in fisik:
        members[row_id].add(sub_id)
        if sub_id in pagu_sub:
            weighted[row_id] += pagu_sub[sub_id][1] * (value or ZERO)
    for row_id, a in out.items():
        a.jumlah_sub = len(members.get(row_id, ()))
        a.bobot_fisik = weighted.get(row_id, ZERO)
        a.fisik = (a.bobot_fisik / a.pagu).quantize(PCT) if a.pagu else None
    return dict(out)


def progres_tertimbang(angka: list[Angka]) -> dict:
    """Weighted by pagu: bobot_i = pagu_i / Σ pagu; fisik = Σ bobot_i × fisik_i; keuangan = Σ bobot_i × %_i."""
    total = sum((a.pagu for a in angka), ZERO)
    if total == 0:
        return {"pagu": ZERO, "fisik": None, "keuangan": None}
    fisik = sum(((a.pagu / total) * (a.fisik or ZERO) for a in angka), ZERO)
    keuangan = sum(((a.pagu / total) * (a.persen_keuangan or ZERO) for a in angka), ZERO)
    return {
        "pagu": total,
        "fisik": fisik.quantize(PCT, ROUND_HALF_UP),
        "keuangan": keuangan.quantize(PCT, ROUND_HALF_UP),
    }


def progres_kota(per_opd: dict[int, dict]) -> dict:
    """The city's progress: each OPD weighted by its pagu (per_opd: unit id -> progres_tertimbang result)."""
    total = sum((v["pagu"] for v in per_opd.values()), ZERO)
    if total == 0:
        return {"pagu": ZERO, "fisik": None, "keuangan": None}
    fisik = sum(((v["pagu"] / total) * (v["fisik"] or ZERO) for v in per_opd.values()), ZERO)
    keuangan = sum(((v["pagu"] / total) * (v["keuangan"] or ZERO) for v in per_opd.values()), ZERO)
    return {
        "pagu": total,
        "fisik": fisik.quantize(PCT, ROUND_HALF_UP),
        "keuangan": keuangan.quantize(PCT, ROUND_HALF_UP),
    }


# =============================================================================================================
# the quarterly evaluation
# =============================================================================================================

EDITABLE = ("faktor_pendorong", "faktor_penghambat", "tindak_lanjut")


def _nilai_evaluasi(periode: PeriodeMonev, angka: Angka, pita_tw, pita_capaian) -> dict:
    keu = angka.persen_keuangan
    kas = angka.persen_kas
    band = cocokkan(pita_tw, keu if keu is not None else ZERO)
    band_capaian = cocokkan(pita_capaian, kas) if kas is not None else None
    return {
        "pagu": angka.pagu,
        "target_kas": angka.kas,
        "realisasi_keuangan": angka.realisasi,
        "realisasi_fisik": angka.fisik or ZERO,
        "persen_keuangan": keu or ZERO,
        "persen_kas": kas,
        "kategori": band.kategori if band else "",
        "kategori_capaian": band_capaian.kategori if band_capaian else "",
    }


def siapkan_evaluasi(periode: PeriodeMonev, user=None, unit_ids=None) -> int:
    """Create the evaluation rows of a period for every sub kegiatan with a DPA (of the OPDs `unit_ids`, a list
    or queryset of UnitKerja ids; None = all), and refresh the figures of drafts from the ledger. Refused on a
    locked period."""
    from terpadu.anggaran.models import DpaBaris
    from terpadu.perencanaan.models import RenjaSubKegiatan

    _cek_terbuka(periode)
    bulan = akhir_bulan_triwulan(periode.triwulan)
    subs = RenjaSubKegiatan.objects.filter(tahun=periode.tahun).filter(
        Exists(DpaBaris.objects.filter(sub_kegiatan=OuterRef("pk")))
    )
    if unit_ids is not None:
        subs = subs.filter(unit__in=unit_ids)
    sub_rows = list(subs.values_list("pk", "unit_id"))
    figures = angka(periode.tahun, bulan, sub_ids=[pk for pk, _u in sub_rows]) if sub_rows else {}
    pita_tw, pita_capaian = pita_skala(skala_kumulatif(periode.triwulan)), pita_skala(SKALA_CAPAIAN)
    if not pita_tw or not pita_capaian:
        raise ValidationError(_("The rating scales are not loaded yet: load them on the rating bands page."))
    changed = 0
    with transaction.atomic():
        periode = PeriodeMonev.objects.select_for_update().get(pk=periode.pk)
        _cek_terbuka(periode)
        existing = {e.sub_kegiatan_id: e for e in EvaluasiSubKegiatan.objects.filter(periode=periode)}
        for sub_id, unit_id in sub_rows:
            values = _nilai_evaluasi(periode, figures.get(sub_id, Angka()), pita_tw, pita_capaian)
            current = existing.get(sub_id)
            if current is None:
                current = EvaluasiSubKegiatan.objects.create(
                    periode=periode, sub_kegiatan_id=sub_id, unit_id=unit_id, diperbarui_oleh=user, **values
                )
                audit.record(current, "monev.evaluasi_dibuat", {k: [None, v] for k, v in values.items()})
                changed += 1
            elif current.status == EvaluasiSubKegiatan.Status.DRAFT:
                before = {k: getattr(current, k) for k in values}
                diff = audit.diff(before, values)
                if diff:
                    for k, v in values.items():
                        setattr(current, k, v)
                    current.diperbarui_oleh = user
                    current.save()
                    audit.record(current, "monev.evaluasi_dihitung", diff)
                    changed += 1
    return changed


def simpan_evaluasi(evaluasi: EvaluasiSubKegiatan, data: dict, user=None) -> EvaluasiSubKegiatan:
    """The OPD's narrative: faktor pendorong/penghambat and tindak lanjut. Refused on a locked period."""
    with transaction.atomic():
        evaluasi = EvaluasiSubKegiatan.objects.select_for_update().select_related("periode").get(pk=evaluasi.pk)
        _cek_terbuka(evaluasi.periode)
        before = {k: getattr(evaluasi, k) for k in EDITABLE}
        after = {k: (data.get(k) if data.get(k) is not None else before[k]).strip() for k in EDITABLE}
        for k, v in after.items():
            setattr(evaluasi, k, v)
        evaluasi.diperbarui_oleh = user
        evaluasi.save()
        audit.record(evaluasi, "monev.evaluasi_diisi", audit.diff(before, after))
    return evaluasi


def kirim_evaluasi(evaluasi: EvaluasiSubKegiatan, user=None) -> EvaluasiSubKegiatan:
    """Submit: the figures are recomputed one last time and kept (the locked quarter stays reproducible).
    A rating in the lowest two bands needs a tindak lanjut."""
    with transaction.atomic():
        evaluasi = EvaluasiSubKegiatan.objects.select_for_update().select_related("periode").get(pk=evaluasi.pk)
        periode = evaluasi.periode
        _cek_terbuka(periode)
        if evaluasi.status == EvaluasiSubKegiatan.Status.DIKIRIM:
            raise ValidationError(_("This evaluation was already submitted."))
        figures = angka(periode.tahun, akhir_bulan_triwulan(periode.triwulan), sub_ids=[evaluasi.sub_kegiatan_id])
        pita_tw = pita_skala(skala_kumulatif(periode.triwulan))
        values = _nilai_evaluasi(
            periode, figures.get(evaluasi.sub_kegiatan_id, Angka()), pita_tw, pita_skala(SKALA_CAPAIAN)
        )
        lowest = {p.kategori for p in sorted(pita_tw, key=lambda p: p.urutan)[-2:]}  # urutan 1 = highest band
        if values["kategori"] in lowest and not evaluasi.tindak_lanjut.strip():
            raise ValidationError(
                {"tindak_lanjut": _("The rating is %(k)s: say what follow-up (tindak lanjut) is planned.")
                 % {"k": values["kategori"]}}
            )  # fmt: skip
        before = {k: getattr(evaluasi, k) for k in values} | {"status": evaluasi.status}
        for k, v in values.items():
            setattr(evaluasi, k, v)
        evaluasi.status = EvaluasiSubKegiatan.Status.DIKIRIM
        evaluasi.diperbarui_oleh = user
        evaluasi.save()
        audit.record(evaluasi, "monev.evaluasi_dikirim", audit.diff(before, values | {"status": evaluasi.status}))
    return evaluasi


def kembalikan_evaluasi(evaluasi: EvaluasiSubKegiatan, alasan: str, user=None) -> EvaluasiSubKegiatan:
    """Bappeda returns a submitted evaluation to draft (with a reason) while the period is open."""
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": _("Give the reason for returning the evaluation.")})
    with transaction.atomic():
        evaluasi = EvaluasiSubKegiatan.objects.select_for_update().select_related("periode").get(pk=evaluasi.pk)
        _cek_terbuka(evaluasi.periode)
        if evaluasi.status != EvaluasiSubKegiatan.Status.DIKIRIM:
            raise ValidationError(_("Only a submitted evaluation can be returned."))
        evaluasi.status = EvaluasiSubKegiatan.Status.DRAFT
        evaluasi.save(update_fields=["status", "diperbarui"])
        audit.record(
            evaluasi, "monev.evaluasi_dikembalikan", {"status": ["dikirim", "draft"], "alasan": [None, alasan]}
        )
    return evaluasi


# --- capaian per indicator -----------------------------------------------------------------------------------


def hitung_capaian(target, realisasi, polaritas: str = "naik") -> Decimal | None:
    """Higher is better: R / T × 100. Lower is better: (2T − R) / T × 100. Target 0 (or missing): None."""
    if target is None or realisasi is None:
        return None
    target, realisasi = Decimal(target), Decimal(realisasi)
    if target == 0:
        return None
    if polaritas == "turun":
        value = (2 * target - realisasi) / target * HUNDRED
    else:
        value = realisasi / target * HUNDRED
    return value.quantize(PCT, ROUND_HALF_UP)


def unit_indikator(indikator):
    """The OPD an indicator belongs to (sub kegiatan or sasaran PD / Renstra item), or None (city level)."""
    if indikator.renja_sub_kegiatan_id:
        return indikator.renja_sub_kegiatan.unit
    if indikator.sasaran_pd_id:
        return indikator.sasaran_pd.tujuan.renstra.unit
    if indikator.renstra_item_id:
        return indikator.renstra_item.renstra.unit
    return None


def indikator_opd(tahun: int, unit_ids=None):
    """Indicators evaluated by OPDs in a year: their Renja sub kegiatan's and their sasaran PD's."""
    from terpadu.perencanaan.models import Indikator

    sub = Q(renja_sub_kegiatan__tahun=tahun)
    sasaran = Q(sasaran_pd__tujuan__renstra__renja__tahun=tahun)
    if unit_ids is not None:
        sub &= Q(renja_sub_kegiatan__unit__in=unit_ids)
        sasaran &= Q(sasaran_pd__tujuan__renstra__unit__in=unit_ids)
    return (
        Indikator.objects.filter(sub | sasaran)
        .distinct()
        .select_related("renja_sub_kegiatan__sub_kegiatan", "sasaran_pd")
        .order_by("renja_sub_kegiatan__sub_kegiatan__kode", "pk")
    )


def simpan_capaian(periode: PeriodeMonev, indikator, realisasi, user=None, catatan: str = "") -> CapaianIndikator:
    """Record an indicator's realisation for a quarter (cumulative, against the year's target) and its capaian."""
    from terpadu.perencanaan.models import TargetIndikator

    _cek_terbuka(periode)
    try:
        realisasi = Decimal(str(realisasi).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"realisasi": _("%(v)s is not a number.") % {"v": realisasi}}) from exc
    target = (
        TargetIndikator.objects.filter(indikator=indikator, tahun=periode.tahun)
        .values_list("target", flat=True)
        .first()
    )
    nilai = hitung_capaian(target, realisasi, indikator.polaritas)
    band = cocokkan(pita_skala(SKALA_CAPAIAN), nilai) if nilai is not None else None
    values = {
        "unit": unit_indikator(indikator),
        "target": target,
        "realisasi": realisasi,
        "capaian": nilai,
        "kategori": band.kategori if band else "",
        "catatan": (catatan or "").strip(),
        "diperbarui_oleh": user,
    }
    with transaction.atomic():
        periode = PeriodeMonev.objects.select_for_update().get(pk=periode.pk)
        _cek_terbuka(periode)
        current = CapaianIndikator.objects.filter(periode=periode, indikator=indikator).first()
        before = (
            {k: getattr(current, k) for k in ("target", "realisasi", "capaian", "kategori", "catatan")}
            if current
            else None
        )
        if current is None:
            current = CapaianIndikator.objects.create(periode=periode, indikator=indikator, **values)
        else:
            for k, v in values.items():
                setattr(current, k, v)
            current.save()
        after = {k: getattr(current, k) for k in ("target", "realisasi", "capaian", "kategori", "catatan")}
        audit.record(current, "monev.capaian_dicatat", audit.diff(before, after))
    return current


# =============================================================================================================
# early warning
# =============================================================================================================


def margin() -> Decimal:
    return Decimal(str(getattr(settings, "TERPADU_MONEV_MARGIN", 10)))


def bulan_tinjauan(today: dt.date) -> tuple[int, int]:
    """The last completed month (year, month) the warning looks at (December of last year in January)."""
    first = today.replace(day=1)
    last = first - dt.timedelta(days=1)
    return last.year, last.month


def periksa_peringatan(tahun: int, bulan: int, user=None) -> list[PeringatanDini]:
    """Flag every sub kegiatan whose cumulative realisation lags its cumulative cash plan by more than the
    margin at the end of `bulan`. Idempotent per sub kegiatan × month; each new warning is told once to the
    head of its OPD and to Bappeda (holders of monev.manage)."""
    from terpadu.perencanaan.models import RenjaSubKegiatan

    triwulan_of(bulan)
    limit = margin()
    figures = angka(tahun, bulan)
    already = set(PeringatanDini.objects.filter(tahun=tahun, bulan=bulan).values_list("sub_kegiatan_id", flat=True))
    lagging = {
        sub_id: a
        for sub_id, a in figures.items()
        if sub_id not in already and a.pagu > 0 and a.deviasi is not None and a.deviasi > limit
    }
    if not lagging:
        return []
    units = dict(RenjaSubKegiatan.objects.filter(pk__in=list(lagging)).values_list("pk", "unit_id"))
    created: list[PeringatanDini] = []
    with transaction.atomic():
        for sub_id, a in sorted(lagging.items()):
            warning, made = PeringatanDini.objects.get_or_create(
                sub_kegiatan_id=sub_id,
                bulan=bulan,
                defaults={
                    "unit_id": units[sub_id],
                    "tahun": tahun,
                    "target_kas": a.kas,
                    "realisasi": a.realisasi,
                    "deviasi": a.deviasi,
                },
            )
            if made:
                audit.record(
                    warning,
                    "monev.peringatan_dibuat",
                    {"target_kas": [None, a.kas], "realisasi": [None, a.realisasi], "deviasi": [None, a.deviasi],
                     "margin": [None, limit]},
                )  # fmt: skip
                created.append(warning)
        if created:
            _beri_tahu(created, tahun, bulan, limit)
            events.publish("monev.peringatan_dibuat", {"ids": [w.pk for w in created]})
    return created


def _beri_tahu(warnings: list[PeringatanDini], tahun: int, bulan: int, limit: Decimal) -> None:
    from django.urls import reverse

    from terpadu.core import notifications
    from terpadu.organisasi.models import UnitKerja

    url = reverse("monev:peringatan_list") + f"?tahun={tahun}&bulan={bulan}"
    per_unit: dict[int, list] = defaultdict(list)
    for w in warnings:
        per_unit[w.unit_id].append(w)
    sent: set[int] = set()
    for unit in UnitKerja.objects.filter(pk__in=list(per_unit)):
        head = kepala_opd(unit)
        if head is not None and head.pk not in sent:
            items = per_unit[unit.pk]
            notifications.notify(
                head,
                "monev.peringatan_dini",
                _("Early warning: %(n)s sub kegiatan of %(unit)s lag their cash plan")
                % {"n": len(items), "unit": unit},
                _("At the end of %(y)s-%(m)02d, realisation lags the anggaran kas by more than %(margin)s points.")
                % {"y": tahun, "m": bulan, "margin": limit},
                url,
            )
            sent.add(head.pk)
    for user in pemegang_manage():
        if user.pk in sent:
            continue
        notifications.notify(
            user,
            "monev.peringatan_dini",
            _("Early warning: %(n)s sub kegiatan lag their cash plan (%(y)s-%(m)02d)")
            % {"n": len(warnings), "y": tahun, "m": bulan},
            _("%(opd)s OPD concerned; margin %(margin)s points.") % {"opd": len(per_unit), "margin": limit},
            url,
        )
        sent.add(user.pk)


def kepala_opd(unit):
    """The user who heads the OPD today (definitive holder, or Plt./Plh.), or None."""
    from terpadu.organisasi import services as org

    jabatan = org.head_of(unit)
    if jabatan is None:
        return None
    pegawai, _acting = org.holder_of(jabatan)
    return getattr(pegawai, "user", None) if pegawai is not None else None


def pemegang_manage() -> list:
    """Users holding monev.manage (Bappeda), by role assignment, confirmed through the gate."""
    from terpadu.accounts.models import Role, RoleAssignment
    from terpadu.core import authz

    roles = [r.pk for r in Role.objects.all() if "monev.manage" in (r.actions or [])]
    today = timezone.localdate()
    assignments = (
        RoleAssignment.objects.filter(role_id__in=roles)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("user")
    )
    users = {a.user.pk: a.user for a in assignments if a.user.is_active}
    return [u for _pk, u in sorted(users.items()) if authz.has_action(u, "monev.manage")]


# --- jobs' entry points -------------------------------------------------------------------------------------


def jalankan_peringatan(today: dt.date | None = None) -> int:
    tahun, bulan = bulan_tinjauan(today or timezone.localdate())
    return len(periksa_peringatan(tahun, bulan))
