"""SPBE / Pemdi evaluation: frameworks as data, the yearly self-assessment, official results, what-if and the
evidence-provider registry. The ONLY code of the evaluasi part that changes state; the arithmetic lives in
engine_evaluasi (pure functions).

Workflow of a self-assessment (Penilaian jenis=mandiri, one per framework × year):
  spbe.configure opens it (one NilaiIndikator per indicator) and assigns the responsible OPD and internal assessor
  per indicator → the OPD (spbe.assess in scope) fills in the score, justification and evidence, then submits the
  indicator → spbe.configure accepts it or returns it with a note (the OPD revises and submits again) → when every
  indicator is accepted spbe.configure locks the assessment: the index and predikat are stored at full precision
  and nothing can be edited any more.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from terpadu.core import audit, authz, events, tabular
from terpadu.spbe import engine_evaluasi as engine
from terpadu.spbe.models import (
    AspekEvaluasi,
    BuktiDukung,
    DomainEvaluasi,
    IndikatorEvaluasi,
    Kerangka,
    KonversiIndeksEksternal,
    LevelKapabilitas,
    NilaiIndikator,
    Penilaian,
    PredikatEvaluasi,
)

DATA = Path(__file__).resolve().parent / "data"
KEYAKINAN = {"official", "multi", "secondary", "unconfirmed", "local", "demo"}
EVIDENCE_KINDS = {"pdf", "png", "jpg", "xlsx", "csv"}


# == reading framework data ======================================================================================


def _csv(name: str) -> list[dict]:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        rows = []
        for line, row in enumerate(csv.DictReader(handle), start=2):
            row = tabular.Row({k.strip(): (v or "").strip() for k, v in row.items() if k})
            row.line = line
            rows.append(row)
        return rows


def _dec(text, column: str, errors: list, line: int, sheet: str, *, required=True) -> Decimal | None:
    if text in (None, ""):
        if required:
            errors.append(tabular.RowError(sheet, line, column, _("a number is required")))
        return None
    try:
        return engine.dec(text)
    except engine.EngineError:
        errors.append(tabular.RowError(sheet, line, column, _("%(value)s is not a number") % {"value": text}))
        return None


def _keyakinan(text: str) -> str:
    return text if text in KEYAKINAN else "unconfirmed"


def close_top(pita: list[engine.Pita], nilai_maks: Decimal) -> list[engine.Pita]:
    """A band without an upper bound ends at the scale maximum, inclusive (an index above it is an error)."""
    return [engine.Pita(p.predikat, p.bawah, nilai_maks, True, p.alias) if p.atas is None else p for p in pita]


@dataclass
class Spec:
    """A framework read from files (or an upload), before it is written."""

    kode: str
    nama: str
    skala: str
    nilai_min: Decimal
    nilai_maks: Decimal
    instrumen: str = ""
    tahun_mulai: int = 2000
    tahun_selesai: int | None = None
    keyakinan: str = "local"
    sumber: str = ""
    domain: dict[str, dict] = field(default_factory=dict)  # kode -> {nama, bobot}
    aspek: dict[str, dict] = field(default_factory=dict)  # kode -> {nama, bobot, domain}
    indikator: list[dict] = field(default_factory=list)
    level: list[dict] = field(default_factory=list)
    predikat: list[dict] = field(default_factory=list)
    konversi: list[dict] = field(default_factory=list)
    errors: list[tabular.RowError] = field(default_factory=list)

    def struktur(self) -> engine.Struktur:
        return engine.Struktur(
            indikator=[
                engine.Indikator(i["nomor"], i["bobot"], i["aspek"], self.aspek.get(i["aspek"], {}).get("domain"))
                for i in self.indikator
            ],
            bobot_aspek={k: a["bobot"] for k, a in self.aspek.items()},
            bobot_domain={k: d["bobot"] for k, d in self.domain.items()},
            aspek_domain={k: a.get("domain") for k, a in self.aspek.items()},
        )

    def pita(self) -> list[engine.Pita]:
        return close_top(
            [engine.Pita(p["predikat"], p["bawah"], p["atas"], p["atas_inklusif"]) for p in self.predikat],
            self.nilai_maks,
        )

    def skala_engine(self) -> engine.Skala:
        return engine.Skala(self.skala, self.nilai_min, self.nilai_maks)

    def problems(self) -> list[str]:
        """Every structural reason the framework cannot be loaded (weights, bands)."""
        if self.errors:
            return [f"{e.sheet} line {e.row}, {e.column}: {e.message}" for e in self.errors]
        problems = engine.validate_weights(self.struktur())
        problems += engine.validate_bands(self.pita(), self.skala_engine())
        if self.skala not in ("level", "desimal"):
            problems.append(f"unknown score scale {self.skala!r} (level or desimal)")
        if not self.nilai_min < self.nilai_maks:
            problems.append(f"the scale minimum {self.nilai_min} is not below its maximum {self.nilai_maks}")
        return problems


def parse_indikator(spec: Spec, rows: list[dict], sheet: str = "indicators") -> None:
    """Rows shaped like spbe2020_indicators.csv (domain_code … capability_scale) or pemdi2026_indicators.csv
    (aspect_no … external_index): indicators, aspects and, when present, domains."""
    errs = spec.errors
    for position, row in enumerate(rows, start=2):
        line = getattr(row, "line", None) or position
        try:
            nomor = int(row.get("number", ""))
        except ValueError:
            errs.append(tabular.RowError(sheet, line, "number", _("a whole indicator number is required")))
            continue
        aspek = row.get("aspect_code") or (f"A{row['aspect_no']}" if row.get("aspect_no") else "")
        if not aspek:
            errs.append(tabular.RowError(sheet, line, "aspect_code", _("the aspect is missing")))
            continue
        bobot = _dec(row.get("indicator_weight"), "indicator_weight", errs, line, sheet)
        bobot_aspek = _dec(row.get("aspect_weight"), "aspect_weight", errs, line, sheet)
        domain = row.get("domain_code") or None
        if domain:
            bobot_domain = _dec(row.get("domain_weight"), "domain_weight", errs, line, sheet)
            known = spec.domain.setdefault(domain, {"nama": row.get("domain_name", ""), "bobot": bobot_domain})
            if known["bobot"] != bobot_domain:
                errs.append(
                    tabular.RowError(
                        sheet, line, "domain_weight",
                        _("domain %(d)s has weight %(a)s here but %(b)s on an earlier row")
                        % {"d": domain, "a": bobot_domain, "b": known["bobot"]},
                    )
                )  # fmt: skip
        known = spec.aspek.setdefault(
            aspek, {"nama": row.get("aspect_name", ""), "bobot": bobot_aspek, "domain": domain}
        )
        if known["bobot"] != bobot_aspek:
            errs.append(
                tabular.RowError(
                    sheet, line, "aspect_weight",
                    _("aspect %(a)s has weight %(x)s here but %(y)s on an earlier row")
                    % {"a": aspek, "x": bobot_aspek, "y": known["bobot"]},
                )
            )  # fmt: skip
        if not row.get("indicator_name"):
            errs.append(tabular.RowError(sheet, line, "indicator_name", _("the indicator name is missing")))
        if bobot is None:
            continue
        spec.indikator.append(
            {
                "nomor": nomor,
                "nama": row.get("indicator_name", ""),
                "aspek": aspek,
                "bobot": bobot,
                "skala_kapabilitas": row.get("capability_scale", ""),
                "indeks_eksternal": row.get("external_index", ""),
                "penjelasan": row.get("note", ""),
                "keyakinan": _keyakinan(row.get("confidence", "")),
            }
        )


def parse_predikat(spec: Spec, rows: list[dict], sheet: str = "predikat") -> None:
    """Rows shaped like spbe2020_predikat.csv / pemdi2026_predikat.csv: [min_inclusive, max_exclusive); an empty
    max means up to the scale's maximum, inclusive."""
    for position, row in enumerate(rows, start=2):
        line = getattr(row, "line", None) or position
        if not row.get("predikat"):
            spec.errors.append(tabular.RowError(sheet, line, "predikat", _("the predikat is missing")))
            continue
        bawah = _dec(row.get("min_inclusive"), "min_inclusive", spec.errors, line, sheet)
        atas = _dec(row.get("max_exclusive"), "max_exclusive", spec.errors, line, sheet, required=False)
        spec.predikat.append(
            {
                "predikat": row["predikat"],
                "alias": row.get("alias", ""),
                "bawah": bawah,
                "atas": atas,
                "atas_inklusif": False,
                "keyakinan": _keyakinan(row.get("confidence", "")),
            }
        )
    spec.predikat.sort(key=lambda p: p["bawah"] if p["bawah"] is not None else Decimal("-1"))


def parse_level(spec: Spec, rows: list[dict]) -> None:
    for row in rows:
        spec.level.append(
            {
                "skala": row["scale"],
                "level": int(row["level"]),
                "nama": row["name"],
                "makna": row.get("meaning", ""),
                "keyakinan": _keyakinan(row.get("confidence", "")),
            }
        )


def parse_konversi(spec: Spec, rows: list[dict], sheet: str = "conversion") -> None:
    for position, row in enumerate(rows, start=2):
        line = getattr(row, "line", None) or position
        spec.konversi.append(
            {
                "indeks": row["external_index"],
                "level": int(row["level"]),
                "bawah": _dec(row.get("lower"), "lower", spec.errors, line, sheet, required=False),
                "atas": _dec(row.get("upper"), "upper", spec.errors, line, sheet, required=False),
                "keyakinan": _keyakinan(row.get("confidence", "")),
            }
        )


def _meta() -> dict[str, dict]:
    return {r["framework_code"]: r for r in _csv("spbe_frameworks.csv")}


def shipped_codes() -> list[str]:
    return [r["framework_code"] for r in _csv("kerangka_evaluasi.csv")]


def baca_kerangka(kode: str) -> Spec:
    """The shipped framework `kode` read from data/ (kerangka_evaluasi.csv names its files)."""
    files = {r["framework_code"]: r for r in _csv("kerangka_evaluasi.csv")}
    if kode not in files:
        raise ValidationError(_("No shipped framework %(kode)s (known: %(known)s).") % {
            "kode": kode, "known": ", ".join(sorted(files))})  # fmt: skip
    row, meta = files[kode], _meta().get(kode, {})
    spec = Spec(
        kode=kode,
        nama=row["nama"],
        skala=row["skala"],
        nilai_min=engine.dec(row["nilai_min"]),
        nilai_maks=engine.dec(row["nilai_maks"]),
        instrumen=meta.get("instrument", ""),
        tahun_mulai=int(meta.get("valid_from_year") or 2000),
        tahun_selesai=int(meta["valid_to_year"]) if meta.get("valid_to_year") else None,
        keyakinan=_keyakinan(meta.get("confidence", "")),
        sumber=(meta.get("source", "") or "")[:500],
    )
    parse_indikator(spec, _csv(row["indicator_file"]), row["indicator_file"])
    parse_predikat(spec, _csv(row["predikat_file"]), row["predikat_file"])
    if row.get("level_file"):
        parse_level(spec, _csv(row["level_file"]))
    if row.get("conversion_file"):
        parse_konversi(spec, _csv(row["conversion_file"]), row["conversion_file"])
    return spec


@functools.cache
def alias_eksternal() -> dict[tuple[str, str], str]:
    """(framework, index named by an indicator) -> the conversion table's name for it (data file)."""
    return {
        (r["framework_code"], r["external_index"]): r["conversion_table"] for r in _csv("indeks_eksternal_alias.csv")
    }


# == writing frameworks ==========================================================================================


def _fingerprint(spec: Spec) -> tuple:
    return (
        spec.skala,
        spec.nilai_min,
        spec.nilai_maks,
        tuple(sorted((k, d["bobot"]) for k, d in spec.domain.items())),
        tuple(sorted((k, a["bobot"], a["domain"]) for k, a in spec.aspek.items())),
        tuple(sorted((i["nomor"], i["bobot"], i["aspek"]) for i in spec.indikator)),
        tuple((p["predikat"], p["bawah"], p["atas"]) for p in spec.predikat),
    )


def _fingerprint_db(kerangka: Kerangka) -> tuple:
    return (
        kerangka.skala,
        kerangka.nilai_min,
        kerangka.nilai_maks,
        tuple(sorted((d.kode, d.bobot) for d in kerangka.domain.all())),
        tuple(sorted((a.kode, a.bobot, a.domain.kode if a.domain_id else None) for a in kerangka.aspek.all())),
        tuple(sorted((i.nomor, i.bobot, i.aspek.kode) for i in kerangka.indikator.select_related("aspek"))),
        tuple(
            (p.predikat, p.batas_bawah, p.batas_atas)
            for p in sorted(kerangka.predikat.all(), key=lambda p: p.batas_bawah if p.batas_bawah is not None else -1)
        ),
    )


def _norm(values: tuple) -> tuple:
    """Compare Decimals by value (4.2 == 4.200) inside nested tuples."""
    return tuple(_norm(v) if isinstance(v, tuple) else (v.normalize() if isinstance(v, Decimal) else v) for v in values)


def simpan_kerangka(spec: Spec, user=None) -> tuple[Kerangka, str]:
    """Write a validated framework; returns (kerangka, "created" | "updated" | "unchanged").

    Nothing is written when the data is inconsistent (ValidationError listing every problem). A framework that
    evaluations already use keeps its weights: a changed framework must be loaded under a new code (versioned)."""
    problems = spec.problems()
    if problems:
        raise ValidationError(
            [
                _("Framework %(kode)s cannot be loaded: %(problem)s") % {"kode": spec.kode, "problem": p}
                for p in problems
            ]
        )
    with transaction.atomic():
        kerangka = Kerangka.objects.select_for_update().filter(kode=spec.kode).first()
        outcome = "created"
        if kerangka is not None:
            if _norm(_fingerprint_db(kerangka)) == _norm(_fingerprint(spec)):
                return kerangka, "unchanged"
            used = kerangka.penilaian.count()
            if used:
                raise ValidationError(
                    _(
                        "Framework %(kode)s is used by %(n)s evaluation(s); its weights and bands cannot change. "
                        "Load the changed framework under a new code."
                    )
                    % {"kode": spec.kode, "n": used}
                )
            before = {"fingerprint": str(_fingerprint_db(kerangka))}
            kerangka.indikator.all().delete()
            kerangka.aspek.all().delete()
            kerangka.domain.all().delete()
            kerangka.predikat.all().delete()
            kerangka.level.all().delete()
            kerangka.konversi.all().delete()
            outcome = "updated"
        else:
            kerangka = Kerangka(kode=spec.kode)
            before = None
        for attr in ("nama", "instrumen", "tahun_mulai", "tahun_selesai", "skala", "nilai_min", "nilai_maks",
                     "keyakinan", "sumber"):  # fmt: skip
            setattr(kerangka, attr, getattr(spec, attr))
        kerangka.full_clean()
        kerangka.save()
        domains = {
            k: DomainEvaluasi.objects.create(kerangka=kerangka, kode=k, nama=d["nama"], bobot=d["bobot"])
            for k, d in spec.domain.items()
        }
        aspects = {
            k: AspekEvaluasi.objects.create(
                kerangka=kerangka, kode=k, nama=a["nama"], bobot=a["bobot"], domain=domains.get(a["domain"])
            )
            for k, a in spec.aspek.items()
        }
        IndikatorEvaluasi.objects.bulk_create(
            IndikatorEvaluasi(
                kerangka=kerangka, aspek=aspects[i["aspek"]], nomor=i["nomor"], nama=i["nama"][:300], bobot=i["bobot"],
                skala_kapabilitas=i["skala_kapabilitas"][:20], indeks_eksternal=i["indeks_eksternal"][:20],
                penjelasan=i["penjelasan"], keyakinan=i["keyakinan"],
            )
            for i in spec.indikator
        )  # fmt: skip
        top = max(range(len(spec.predikat)), key=lambda n: spec.predikat[n]["bawah"])
        for n, p in enumerate(spec.predikat):
            PredikatEvaluasi.objects.create(
                kerangka=kerangka, urutan=n + 1, predikat=p["predikat"], alias=p["alias"][:100],
                batas_bawah=p["bawah"], batas_atas=p["atas"] if p["atas"] is not None else None,
                atas_inklusif=(n == top), keyakinan=p["keyakinan"],
            )  # fmt: skip
        LevelKapabilitas.objects.bulk_create(LevelKapabilitas(kerangka=kerangka, **lv) for lv in spec.level)
        KonversiIndeksEksternal.objects.bulk_create(
            KonversiIndeksEksternal(
                kerangka=kerangka, indeks=k["indeks"], level=k["level"], batas_bawah=k["bawah"], batas_atas=k["atas"],
                keyakinan=k["keyakinan"],
            )
            for k in spec.konversi
        )  # fmt: skip
        after = {
            "indikator": len(spec.indikator),
            "aspek": len(spec.aspek),
            "domain": len(spec.domain),
            "predikat": [p["predikat"] for p in spec.predikat],
        }
        audit.record(kerangka, f"spbe.kerangka_{'dimuat' if outcome == 'created' else 'diperbarui'}",
                     audit.diff(before, after) if before else {k: [None, v] for k, v in after.items()})  # fmt: skip
        events.publish("spbe.kerangka_dimuat", {"kerangka_id": kerangka.pk, "kode": kerangka.kode})
    return kerangka, outcome


def muat_kerangka(kode: str, user=None) -> tuple[Kerangka, str]:
    return simpan_kerangka(baca_kerangka(kode), user)


def muat_semua(user=None) -> list[tuple[Kerangka, str]]:
    """Load every shipped framework (`terpadu spbe load-frameworks`); all or nothing."""
    with transaction.atomic():
        return [muat_kerangka(kode, user) for kode in shipped_codes()]


def _rows_of_upload(uploaded, sheet: str) -> list[dict]:
    data = uploaded.read()
    name = (uploaded.name or "").lower()
    try:
        if name.endswith(".xlsx"):
            sheets = tabular.read_xlsx(data)
            return next(iter(sheets.values()), [])
        return tabular.read_csv(data)
    except tabular.TableError as exc:
        raise ValidationError(f"{sheet}: {exc}") from exc


def unggah_kerangka(meta: dict, indikator_file, predikat_file, *, dry_run: bool, user=None) -> dict:
    """A new framework from uploaded CSV/XLSX files shaped like the shipped ones (indicators + predikat bands).

    Returns {"ok", "dry_run", "problems": [...], "indikator": n, "aspek": n, "domain": n, "kerangka": obj|None}.
    A dry run (or any problem) writes nothing."""
    spec = Spec(
        kode=meta["kode"].strip().upper(),
        nama=meta["nama"],
        skala=meta["skala"],
        nilai_min=engine.dec(meta.get("nilai_min", 1)),
        nilai_maks=engine.dec(meta.get("nilai_maks", 5)),
        instrumen=meta.get("instrumen", ""),
        tahun_mulai=int(meta["tahun_mulai"]),
        tahun_selesai=meta.get("tahun_selesai") or None,
        keyakinan="local",
        sumber=meta.get("sumber", ""),
    )
    parse_indikator(spec, _rows_of_upload(indikator_file, "indicators"), "indicators")
    parse_predikat(spec, _rows_of_upload(predikat_file, "predikat"), "predikat")
    problems = spec.problems()
    if not problems and Kerangka.objects.filter(kode=spec.kode).exists():
        problems.append(_("a framework with code %(kode)s already exists; choose a new code") % {"kode": spec.kode})
    report = {
        "ok": not problems,
        "dry_run": dry_run,
        "problems": problems,
        "indikator": len(spec.indikator),
        "aspek": len(spec.aspek),
        "domain": len(spec.domain),
        "kerangka": None,
    }
    if problems or dry_run:
        return report
    report["kerangka"], _outcome = simpan_kerangka(spec, user)
    return report


# == the framework as engine input ===============================================================================


@dataclass
class Model:
    """A framework from the database, ready for the engine."""

    kerangka: Kerangka
    indikator: list[engine.Indikator]
    skala: engine.Skala
    pita: list[engine.Pita]
    aspek: dict[str, AspekEvaluasi]
    domain: dict[str, DomainEvaluasi]
    by_nomor: dict[int, IndikatorEvaluasi]
    konversi: dict[str, list[engine.Konversi]]


def model_of(kerangka: Kerangka) -> Model:
    rows = list(kerangka.indikator.select_related("aspek__domain").order_by("nomor"))
    aspek = {a.kode: a for a in kerangka.aspek.select_related("domain").order_by("kode")}
    domain = {d.kode: d for d in kerangka.domain.order_by("kode")}
    konversi: dict[str, list[engine.Konversi]] = {}
    for k in kerangka.konversi.all():
        konversi.setdefault(k.indeks, []).append(engine.Konversi(k.level, k.batas_bawah, k.batas_atas))
    return Model(
        kerangka=kerangka,
        indikator=[
            engine.Indikator(
                i.nomor,
                i.bobot,
                i.aspek.kode,
                i.aspek.domain.kode if i.aspek.domain_id else None,
                i.nama,
                i.indeks_eksternal,
            )
            for i in rows
        ],  # fmt: skip
        skala=engine.Skala(kerangka.skala, kerangka.nilai_min, kerangka.nilai_maks),
        pita=close_top(
            [
                engine.Pita(p.predikat, p.batas_bawah, p.batas_atas, p.atas_inklusif, p.alias)
                for p in kerangka.predikat.order_by("urutan")
            ],
            kerangka.nilai_maks,
        ),
        aspek=aspek,
        domain=domain,
        by_nomor={i.nomor: i for i in rows},
        konversi=konversi,
    )


def tabel_konversi(model: Model, indeks: str) -> list[engine.Konversi]:
    name = alias_eksternal().get((model.kerangka.kode, indeks), indeks)
    return model.konversi.get(name) or model.konversi.get(indeks) or []


def skor_untuk_hitung(model: Model, penilaian: Penilaian, nilai_rows=None) -> tuple[dict[int, Decimal], dict]:
    """Scores for the engine: an external-index indicator without a value counts as 1 (the assessors' rule);
    any other unfilled indicator also counts as the scale minimum, and is reported as missing (provisional)."""
    rows = nilai_rows if nilai_rows is not None else penilaian.nilai.select_related("indikator")
    scores, eksternal_default, missing = {}, [], []
    for n in rows:
        if n.nilai is not None:
            scores[n.indikator.nomor] = n.nilai
        elif n.indikator.indeks_eksternal:
            scores[n.indikator.nomor] = engine.EXTERNAL_MISSING
            eksternal_default.append(n.indikator.nomor)
        else:
            scores[n.indikator.nomor] = model.skala.nilai_min
            missing.append(n.indikator.nomor)
    for ind in model.indikator:  # an indicator with no NilaiIndikator row at all (should not happen)
        if ind.nomor not in scores:
            scores[ind.nomor] = model.skala.nilai_min
            missing.append(ind.nomor)
    return scores, {"eksternal_default": sorted(eksternal_default), "missing": sorted(missing)}


def hitung(penilaian: Penilaian, model: Model | None = None) -> dict:
    """Index, predikat, aspect and domain indices of an assessment (official results: the stored index only)."""
    model = model or model_of(penilaian.kerangka)
    if penilaian.jenis == Penilaian.Jenis.RESMI:
        value = penilaian.indeks
        return {
            "indeks": value,
            "tampil": engine.tampil(value) if value is not None else None,
            "predikat": penilaian.predikat,
            "borderline": engine.borderline(value, model.pita) if value is not None else [],
            "aspek": [],
            "domain": [],
            "provisional": False,
            "missing": [],
            "eksternal_default": [],
        }
    scores, info = skor_untuk_hitung(model, penilaian)
    result = engine.hasil(model.indikator, scores, model.pita)
    ia = engine.aspect_indices(model.indikator, scores)
    idom = engine.domain_indices(model.indikator, scores)
    return {
        "indeks": result.indeks,
        "tampil": result.tampil,
        "predikat": result.predikat,
        "borderline": result.borderline,
        "aspek": [
            {
                "kode": k,
                "nama": a.nama,
                "bobot": a.bobot,
                "indeks": ia[k],
                "tampil": engine.tampil(ia[k]),
                "domain": a.domain.kode if a.domain_id else None,
            }
            for k, a in model.aspek.items()
            if k in ia
        ],  # fmt: skip
        "domain": [
            {"kode": k, "nama": d.nama, "bobot": d.bobot, "indeks": idom[k], "tampil": engine.tampil(idom[k])}
            for k, d in model.domain.items()
            if k in idom
        ],
        "provisional": bool(info["missing"]),
        **info,
        "scores": scores,
    }


# == official results ============================================================================================


def catat_hasil_resmi(kerangka: Kerangka, tahun: int, indeks, *, keputusan: str = "", sumber: str = "",
                      predikat: str = "", user=None) -> Penilaian:  # fmt: skip
    """Record KemenPANRB's published result (jenis=resmi). The predikat is derived from the bands (unrounded);
    a published predikat that disagrees with the bands is refused with both named."""
    model = model_of(kerangka)
    try:
        value = engine.dec(indeks)
        band = engine.predikat(value, model.pita)
    except engine.EngineError as exc:
        raise ValidationError({"indeks": str(exc)}) from exc
    if predikat and predikat != band.predikat:
        raise ValidationError(
            {"predikat": _("The bands of %(k)s give %(b)s for %(v)s, not %(p)s.")
             % {"k": kerangka.kode, "b": band.predikat, "v": value, "p": predikat}}
        )  # fmt: skip
    with transaction.atomic():
        obj, created = Penilaian.objects.select_for_update().get_or_create(
            kerangka=kerangka, tahun=tahun, jenis=Penilaian.Jenis.RESMI,
            defaults={"status": Penilaian.Status.TERKUNCI},
        )  # fmt: skip
        before = audit.snapshot(obj) if not created else None
        obj.indeks, obj.predikat, obj.keputusan, obj.sumber = value, band.predikat, keputusan[:200], sumber[:500]
        obj.status, obj.dikunci = Penilaian.Status.TERKUNCI, obj.dikunci or timezone.now()
        obj.save()
        audit.record(obj, "spbe.hasil_resmi_dicatat", audit.diff(before, audit.snapshot(obj)))
        events.publish("spbe.hasil_resmi_dicatat", {"penilaian_id": obj.pk})
    return obj


@functools.cache
def benchmark() -> list[dict]:
    """Other entities' published totals (data/spbe_published_totals.csv), shown for comparison; never stored as
    the city's own evaluations."""
    rows = []
    for r in _csv("spbe_published_totals.csv"):
        rows.append(
            {
                "entitas": r["entity"],
                "tahun": int(r["year"]),
                "kerangka": r["framework"],
                "indeks": engine.dec(r["index"]),
                "predikat": r["predikat"],
                "tahap": r["stage"],
                "keputusan": r["result_decree"],
                "keyakinan": _keyakinan(r["confidence"]),
                "sumber": r["source"],
                "catatan": r["note"],
            }
        )
    return rows


# == the self-assessment =========================================================================================


def _assert_open(penilaian: Penilaian) -> None:
    if penilaian.jenis != Penilaian.Jenis.MANDIRI:
        raise ValidationError(_("An official result cannot be edited as a self-assessment."))
    if penilaian.status == Penilaian.Status.TERKUNCI:
        raise ValidationError(_("The %(p)s assessment is locked; its scores cannot change.") % {"p": penilaian})


def buat_penilaian(kerangka: Kerangka, tahun: int, user=None, *, unit_default=None) -> Penilaian:
    """Open the self-assessment of `tahun` under `kerangka`, with one score row per indicator."""
    if tahun < kerangka.tahun_mulai or (kerangka.tahun_selesai and tahun > kerangka.tahun_selesai):
        raise ValidationError(
            {"tahun": _("%(k)s applies to %(a)s–%(b)s, not to %(t)s.")
             % {"k": kerangka.kode, "a": kerangka.tahun_mulai, "b": kerangka.tahun_selesai or "…", "t": tahun}}
        )  # fmt: skip
    if Penilaian.objects.filter(kerangka=kerangka, tahun=tahun, jenis=Penilaian.Jenis.MANDIRI).exists():
        raise ValidationError({"tahun": _("The %(k)s self-assessment of %(t)s already exists.") % {
            "k": kerangka.kode, "t": tahun}})  # fmt: skip
    with transaction.atomic():
        penilaian = Penilaian.objects.create(kerangka=kerangka, tahun=tahun, jenis=Penilaian.Jenis.MANDIRI)
        NilaiIndikator.objects.bulk_create(
            NilaiIndikator(penilaian=penilaian, indikator=i, unit=unit_default)
            for i in kerangka.indikator.order_by("nomor")
        )
        audit.record(penilaian, "spbe.penilaian_dibuka", {"kerangka": [None, kerangka.kode], "tahun": [None, tahun]})
        events.publish("spbe.penilaian_dibuka", {"penilaian_id": penilaian.pk})
    return penilaian


def tetapkan(nilai: NilaiIndikator, *, unit=None, asesor=None, user=None) -> NilaiIndikator:
    """Assign the responsible OPD and internal assessor of one indicator (spbe.configure)."""
    _assert_open(nilai.penilaian)
    with transaction.atomic():
        nilai = NilaiIndikator.objects.select_for_update().get(pk=nilai.pk)
        before = audit.snapshot(nilai, ["unit", "asesor"])
        nilai.unit, nilai.asesor = unit, asesor
        nilai.save(update_fields=["unit", "asesor", "diperbarui"])
        audit.record(nilai, "spbe.nilai_ditetapkan", audit.diff(before, audit.snapshot(nilai, ["unit", "asesor"])))
    return nilai


EDITABLE = (NilaiIndikator.Status.DRAFT, NilaiIndikator.Status.REVISI)
FIELDS = ["nilai", "nilai_eksternal", "justifikasi", "status"]


def _check_assess(user, nilai: NilaiIndikator) -> None:
    if user is not None and not authz.can(user, "spbe.assess", nilai):
        raise PermissionDenied(_("You may not fill in indicator %(n)s.") % {"n": nilai.indikator.nomor})


def isi_nilai(nilai: NilaiIndikator, user=None, *, skor=None, justifikasi: str | None = None,
              nilai_eksternal=None) -> NilaiIndikator:  # fmt: skip
    """Fill in one indicator: the level/score (or, for an external-index indicator, the external value that converts
    to it) and the justification. Only while the indicator is draft or returned and the assessment is open."""
    _check_assess(user, nilai)
    with transaction.atomic():
        nilai = (
            NilaiIndikator.objects.select_for_update()
            .select_related("indikator", "penilaian__kerangka")
            .get(pk=nilai.pk)
        )
        _assert_open(nilai.penilaian)
        if nilai.status not in EDITABLE:
            raise ValidationError(
                _("Indicator %(n)s is %(s)s; it can be changed only while draft or returned.")
                % {"n": nilai.indikator.nomor, "s": nilai.get_status_display()}
            )
        kerangka, ind = nilai.penilaian.kerangka, nilai.indikator
        skala = engine.Skala(kerangka.skala, kerangka.nilai_min, kerangka.nilai_maks)
        before = audit.snapshot(nilai, FIELDS)
        if nilai_eksternal not in (None, ""):
            if not ind.indeks_eksternal:
                raise ValidationError(
                    {"nilai_eksternal": _("Indicator %(n)s is not scored from an external index.") % {"n": ind.nomor}}
                )
            model = model_of(kerangka)
            tabel = tabel_konversi(model, ind.indeks_eksternal)
            if tabel:
                try:
                    level = engine.konversi_eksternal(nilai_eksternal, tabel, ind.indeks_eksternal)
                except engine.EngineError as exc:
                    raise ValidationError({"nilai_eksternal": f"indicator {ind.nomor}: {exc}"}) from exc
                if skor not in (None, "") and engine.dec(skor) != level:
                    raise ValidationError(
                        {"nilai": _("Indicator %(n)s: %(i)s %(v)s converts to level %(l)s, not %(s)s.")
                         % {"n": ind.nomor, "i": ind.indeks_eksternal, "v": nilai_eksternal, "l": level, "s": skor}}
                    )  # fmt: skip
                skor = level
            nilai.nilai_eksternal = engine.dec(nilai_eksternal)
        if skor not in (None, ""):
            try:
                nilai.nilai = engine.check_score(skor, skala, ind.nomor)
            except engine.EngineError as exc:
                raise ValidationError({"nilai": str(exc)}) from exc
        if justifikasi is not None:
            nilai.justifikasi = justifikasi
        nilai.save()
        audit.record(nilai, "spbe.nilai_diisi", audit.diff(before, audit.snapshot(nilai, FIELDS)))
        events.publish("spbe.nilai_diisi", {"nilai_id": nilai.pk, "penilaian_id": nilai.penilaian_id})
    return nilai


def kirim_nilai(nilai: NilaiIndikator, user=None) -> NilaiIndikator:
    """The OPD submits its indicator for review (needs a score and a justification)."""
    _check_assess(user, nilai)
    with transaction.atomic():
        nilai = NilaiIndikator.objects.select_for_update().select_related("indikator", "penilaian").get(pk=nilai.pk)
        _assert_open(nilai.penilaian)
        if nilai.status not in EDITABLE:
            raise ValidationError(_("Indicator %(n)s was already submitted.") % {"n": nilai.indikator.nomor})
        missing = []
        if nilai.nilai is None and not nilai.indikator.indeks_eksternal:
            missing.append(_("a level / score"))
        if not nilai.justifikasi.strip():
            missing.append(_("a justification"))
        if missing:
            raise ValidationError(
                _("Indicator %(n)s cannot be submitted without %(what)s.")
                % {"n": nilai.indikator.nomor, "what": _(" and ").join(str(m) for m in missing)}
            )
        before = nilai.status
        nilai.status = NilaiIndikator.Status.DIAJUKAN
        nilai.save(update_fields=["status", "diperbarui"])
        audit.record(nilai, "spbe.nilai_diajukan", {"status": [before, nilai.status]})
        events.publish("spbe.nilai_diajukan", {"nilai_id": nilai.pk, "penilaian_id": nilai.penilaian_id})
    return nilai


def tinjau_nilai(nilai: NilaiIndikator, terima: bool, catatan: str = "", user=None) -> NilaiIndikator:
    """Review one submitted indicator (spbe.configure): accept, or return with a note (required)."""
    with transaction.atomic():
        nilai = NilaiIndikator.objects.select_for_update().select_related("indikator", "penilaian").get(pk=nilai.pk)
        _assert_open(nilai.penilaian)
        if nilai.status != NilaiIndikator.Status.DIAJUKAN:
            raise ValidationError(
                _("Indicator %(n)s is %(s)s; only a submitted indicator can be reviewed.")
                % {"n": nilai.indikator.nomor, "s": nilai.get_status_display()}
            )
        if not terima and not catatan.strip():
            raise ValidationError({"catatan": _("Say what must be revised when returning an indicator.")})
        before = audit.snapshot(nilai, ["status", "catatan_review"])
        nilai.status = NilaiIndikator.Status.DITERIMA if terima else NilaiIndikator.Status.REVISI
        nilai.catatan_review = catatan
        nilai.save(update_fields=["status", "catatan_review", "diperbarui"])
        if terima:
            nilai.bukti.filter(status=BuktiDukung.Status.DRAFT).update(status=BuktiDukung.Status.DITERIMA)
        audit.record(
            nilai, "spbe.nilai_diterima" if terima else "spbe.nilai_dikembalikan",
            audit.diff(before, audit.snapshot(nilai, ["status", "catatan_review"])),
        )  # fmt: skip
        events.publish("spbe.nilai_ditinjau", {"nilai_id": nilai.pk, "diterima": terima})
    return nilai


def mulai_review(penilaian: Penilaian, user=None) -> Penilaian:
    """Close the filling-in: from now on only reviews (and revisions of returned indicators)."""
    with transaction.atomic():
        penilaian = Penilaian.objects.select_for_update().get(pk=penilaian.pk)
        _assert_open(penilaian)
        if penilaian.status != Penilaian.Status.DRAFT:
            raise ValidationError(_("The assessment is already under review."))
        open_ = list(
            penilaian.nilai.filter(status__in=EDITABLE)
            .values_list("indikator__nomor", flat=True)
            .order_by("indikator__nomor")
        )
        if open_:
            raise ValidationError(_("Indicators not yet submitted: %(n)s.") % {"n": ", ".join(map(str, open_))})
        penilaian.status = Penilaian.Status.REVIEW
        penilaian.save(update_fields=["status"])
        audit.record(penilaian, "spbe.penilaian_direview", {"status": ["draft", "review"]})
        events.publish("spbe.penilaian_direview", {"penilaian_id": penilaian.pk})
    return penilaian


def kunci(penilaian: Penilaian, user=None) -> Penilaian:
    """Lock: every indicator accepted; the index and predikat are stored at full precision."""
    with transaction.atomic():
        penilaian = Penilaian.objects.select_for_update().select_related("kerangka").get(pk=penilaian.pk)
        _assert_open(penilaian)
        pending = list(
            penilaian.nilai.exclude(status=NilaiIndikator.Status.DITERIMA)
            .values_list("indikator__nomor", flat=True)
            .order_by("indikator__nomor")
        )
        if pending:
            raise ValidationError(
                _("Every indicator must be accepted before locking; not yet accepted: %(n)s.")
                % {"n": ", ".join(map(str, pending))}
            )
        result = hitung(penilaian)
        before = audit.snapshot(penilaian, ["status", "indeks", "predikat", "dikunci"])
        penilaian.indeks, penilaian.predikat = result["indeks"], result["predikat"]
        penilaian.status, penilaian.dikunci = Penilaian.Status.TERKUNCI, timezone.now()
        penilaian.save(update_fields=["indeks", "predikat", "status", "dikunci"])
        audit.record(
            penilaian, "spbe.penilaian_dikunci",
            audit.diff(before, audit.snapshot(penilaian, ["status", "indeks", "predikat", "dikunci"])),
        )  # fmt: skip
        events.publish("spbe.penilaian_dikunci", {"penilaian_id": penilaian.pk, "indeks": str(penilaian.indeks)})
    return penilaian


def tambah_bukti(nilai: NilaiIndikator, uploaded, keterangan: str, user=None, *, penyedia: str = "") -> BuktiDukung:
    """Attach an evidence file (type sniffed and checked by core.files) to an indicator."""
    from terpadu.core import files

    _check_assess(user, nilai)
    _assert_open(nilai.penilaian)
    if nilai.status not in EDITABLE:
        raise ValidationError(
            _("Indicator %(n)s is %(s)s; evidence can be added only while draft or returned.")
            % {"n": nilai.indikator.nomor, "s": nilai.get_status_display()}
        )
    if not keterangan.strip():
        raise ValidationError({"keterangan": _("Describe the evidence.")})
    with transaction.atomic():
        try:
            stored = files.store(uploaded, EVIDENCE_KINDS, user=user)
        except files.UploadRejected as exc:
            raise ValidationError({"file": str(exc)}) from exc
        bukti = BuktiDukung.objects.create(nilai=nilai, file=stored, keterangan=keterangan[:500], penyedia=penyedia)
        audit.record(
            bukti, "spbe.bukti_ditambahkan",
            {"nilai": [None, nilai.pk], "file": [None, stored.sha256], "penyedia": [None, penyedia]},
        )  # fmt: skip
        events.publish("spbe.bukti_ditambahkan", {"bukti_id": bukti.pk, "nilai_id": nilai.pk})
    return bukti


# == what-if, gains, comparison ==================================================================================


def what_if(penilaian: Penilaian, targets: dict) -> dict:
    """New index and predikat if the given indicators reached the given levels. Writes nothing."""
    model = model_of(penilaian.kerangka)
    scores, info = skor_untuk_hitung(model, penilaian)
    parsed = {}
    for key, value in targets.items():
        try:
            parsed[int(key)] = value
        except (TypeError, ValueError) as exc:
            raise ValidationError({"targets": _("%(k)s is not an indicator number.") % {"k": key}}) from exc
    try:
        before, after = engine.what_if(model.indikator, scores, parsed, model.skala, model.pita)
    except engine.EngineError as exc:
        raise ValidationError({"targets": str(exc)}) from exc
    return {"sebelum": before, "sesudah": after, "selisih": after.indeks - before.indeks, "targets": parsed, **info}


def gains(penilaian: Penilaian) -> list[engine.Gain]:
    model = model_of(penilaian.kerangka)
    scores, _info = skor_untuk_hitung(model, penilaian)
    return engine.gains(model.indikator, scores, model.skala)


def perbandingan() -> list[dict]:
    """Year-over-year per framework (separate series; never converted between frameworks): every locked or open
    self-assessment and official result with its index, aspects and domains, and per-indicator deltas between
    consecutive self-assessments of the same framework."""
    series = []
    for kerangka in Kerangka.objects.filter(penilaian__isnull=False).distinct().order_by("tahun_mulai"):
        model = model_of(kerangka)
        points = []
        previous_scores = None
        for p in kerangka.penilaian.order_by("tahun", "jenis"):
            result = hitung(p, model)
            deltas = []
            if p.jenis == Penilaian.Jenis.MANDIRI:
                scores = result.get("scores", {})
                if previous_scores is not None:
                    deltas = [
                        {"nomor": n, "sebelum": previous_scores.get(n), "sesudah": s,
                         "selisih": s - previous_scores[n] if previous_scores.get(n) is not None else None}
                        for n, s in sorted(scores.items()) if previous_scores.get(n) != s
                    ]  # fmt: skip
                previous_scores = scores
            points.append({"penilaian": p, "hasil": result, "delta": deltas})
        series.append({"kerangka": kerangka, "model": model, "points": points})
    return series


# == evidence providers ==========================================================================================


@dataclass
class Proposal:
    """A piece of evidence a module proposes from its own data: a one-line description, a detail text, and the
    data rows (dicts, or lists with `columns`) that go into the generated summary file."""

    keterangan: str
    detail: str = ""
    rows: list = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    def table(self) -> tuple[list[str], list[list]]:
        if self.rows and isinstance(self.rows[0], dict):
            columns = self.columns or list(self.rows[0])
            return columns, [[r.get(c, "") for c in columns] for r in self.rows]
        return self.columns, [list(r) for r in self.rows]


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    match: Callable[[IndikatorEvaluasi], bool]
    fn: Callable[[Penilaian, IndikatorEvaluasi], list[Proposal]]


PROVIDERS: dict[str, Provider] = {}


def _matcher(indikator_match) -> Callable[[IndikatorEvaluasi], bool]:
    """A predicate, {framework code: [numbers]} or an iterable of (framework code, number)."""
    if callable(indikator_match):
        return indikator_match
    if isinstance(indikator_match, dict):
        wanted = {(k, int(n)) for k, numbers in indikator_match.items() for n in numbers}
    else:
        wanted = {(k, int(n)) for k, n in indikator_match}
    return lambda ind: (ind.kerangka.kode, ind.nomor) in wanted


def register_evidence_provider(key: str, *args, label: str | None = None) -> None:
    """register_evidence_provider(key, label, indikator_match, fn) or (key, indikator_match, fn, label=…).

    indikator_match selects indicators (a predicate on IndikatorEvaluasi, {"SPBE_2020": [1, 11]}, or pairs);
    fn(penilaian, indikator) -> list[Proposal]. Registering a key again replaces it."""
    if len(args) == 3:
        label, indikator_match, fn = args
    elif len(args) == 2:
        indikator_match, fn = args
    else:
        raise TypeError("register_evidence_provider(key, [label,] indikator_match, fn)")
    PROVIDERS[key] = Provider(key, label or key, _matcher(indikator_match), fn)


def providers_for(indikator: IndikatorEvaluasi) -> list[Provider]:
    return [p for p in PROVIDERS.values() if p.match(indikator)]


def usulan_bukti(penilaian: Penilaian, indikator: IndikatorEvaluasi) -> list[tuple[Provider, int, Proposal]]:
    """Every proposal of every matching provider: (provider, position, proposal). A failing provider is skipped
    (its data belongs to another module; the assessment page must still open)."""
    import logging

    result = []
    for provider in providers_for(indikator):
        try:
            proposals = provider.fn(penilaian, indikator) or []
        except Exception:  # noqa: BLE001 — another module's provider must not break the page
            logging.getLogger("terpadu.spbe").exception("evidence provider %s failed", provider.key)
            continue
        result.extend((provider, n, p) for n, p in enumerate(proposals))
    return result


def _summary_csv(penilaian: Penilaian, indikator: IndikatorEvaluasi, provider: Provider, proposal: Proposal) -> bytes:
    columns, rows = proposal.table()
    head = [
        ["# " + proposal.keterangan],
        [f"# {penilaian.kerangka.kode} {penilaian.tahun}, indikator {indikator.nomor}: {indikator.nama}"],
        [f"# penyedia: {provider.key} ({provider.label}); dibuat {timezone.now():%Y-%m-%d %H:%M}"],
    ]
    if proposal.detail:
        head.append(["# " + proposal.detail.replace("\n", " ")])
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(head)
    if columns:
        writer.writerow(columns)
    writer.writerows([["" if v is None else v for v in r] for r in rows])
    return buffer.getvalue().encode("utf-8")


def terima_usulan(nilai: NilaiIndikator, key: str, posisi: int, user=None) -> BuktiDukung:
    """Accept a provider's proposal: its summary becomes a CSV evidence file (penyedia = the provider's key)."""
    provider = PROVIDERS.get(key)
    if provider is None:
        raise ValidationError(_("No evidence provider %(k)s.") % {"k": key})
    if not provider.match(nilai.indikator):
        raise ValidationError(
            _("Provider %(k)s proposes nothing for indicator %(n)s.") % {"k": key, "n": nilai.indikator.nomor}
        )
    proposals = provider.fn(nilai.penilaian, nilai.indikator) or []
    if not 0 <= posisi < len(proposals):
        raise ValidationError(_("That proposal is no longer offered; reload the page."))
    proposal = proposals[posisi]
    data = _summary_csv(nilai.penilaian, nilai.indikator, provider, proposal)
    name = f"bukti-{nilai.penilaian.kerangka.kode}-{nilai.penilaian.tahun}-{nilai.indikator.nomor}-{key}.csv"
    upload = SimpleUploadedFile(name, data, content_type="text/csv")
    return tambah_bukti(nilai, upload, proposal.keterangan, user, penyedia=key)


def nilai_in_scope(user, action: str, queryset: Iterable[NilaiIndikator] | None = None):
    """The score rows `user` may `action` (unit scope of the responsible OPD)."""
    qs = queryset if queryset is not None else NilaiIndikator.objects.all()
    return authz.restrict(qs, user, action)
