"""Arsitektur SPBE and Peta Rencana: the only code that changes the reference editions, the city's codes, the
architecture elements, their links, gaps, needs and roadmap items. Every change validates first, writes in one
transaction, is audited and published.

Decisions the regulation leaves to us (documented and tested):

- An edition of the national reference (VersiReferensi) is loaded from data/arsitektur_referensi.csv for the
  first year it is in force. The edition with the latest starting year is the current one; loading it closes
  the previous current edition (tahun_selesai = its year - 1) and carries the city's own codes in use over to
  it where their national parent code still exists (the rest are reported as left behind).
- The source does not give every national code (RAD level 2, RAI, RAK): such a code is assigned from its
  parent's code and its order (parent + ".NN") and marked unconfirmed, with a note in its source.
- City codes (level 3+) hang under a national level-2 code or a deeper city code: code = parent code + ".NN",
  level = parent level + 1. National codes cannot be edited or retired by the city.
- An element's reference code must be of its domain's model, of the current edition, and in use. A link
  between elements, or an element saved or linked later, whose reference code was retired is refused.
- A Peta Rencana item's estimated cost belongs to its (start) year in the totals.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from terpadu.core import audit, events, tabular
from terpadu.perencanaan.models import Keyakinan
from terpadu.spbe.models import (
    MODEL_OF_DOMAIN,
    Domain,
    ElemenArsitektur,
    Kebutuhan,
    Kesenjangan,
    ModelReferensi,
    Muatan,
    PetaRencanaItem,
    ReferensiArsitektur,
    RelasiElemen,
    VersiReferensi,
)

DATA = Path(__file__).resolve().parent / "data"
REFERENSI_CSV = DATA / "arsitektur_referensi.csv"
METADATA_CSV = DATA / "metadata_sia_spbe.csv"
RELASI_CSV = DATA / "relasi_domain.csv"
LEVEL_NASIONAL_MAKS = 2
ANY = "*"


def _err(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: [message]}) if field else ValidationError(message)


# -- reference data files -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MetaField:
    domain: str
    key: str
    label: str
    required: bool
    type: str  # text | choice | number | date
    choices: tuple[str, ...]
    model_field: str  # "" when kept in ElemenArsitektur.metadata
    keyakinan: str
    note: str


@lru_cache(maxsize=1)
def _metadata_spec() -> dict[str, tuple[MetaField, ...]]:
    spec: dict[str, list[MetaField]] = {}
    with METADATA_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            spec.setdefault(row["domain"], []).append(
                MetaField(
                    domain=row["domain"],
                    key=row["key"],
                    label=row["label"],
                    required=row["required"].strip() == "1",
                    type=row["type"].strip() or "text",
                    choices=tuple(c for c in row["choices"].split("|") if c),
                    model_field=row["model_field"].strip(),
                    keyakinan=row["confidence"].strip() or Keyakinan.LOCAL,
                    note=row["note"],
                )
            )
    return {domain: tuple(fields) for domain, fields in spec.items()}


def metadata_fields(domain: str) -> tuple[MetaField, ...]:
    """The SIA-SPBE fields kept in an element's `metadata` for `domain` (data/metadata_sia_spbe.csv)."""
    return tuple(f for f in _metadata_spec().get(str(domain), ()) if not f.model_field)


def sia_fields(domain: str) -> tuple[MetaField, ...]:
    """Every SIA-SPBE field of `domain`, including those stored in the element's own columns."""
    return _metadata_spec().get(str(domain), ())


def _required_model_fields(domain: str) -> set[str]:
    return {f.model_field for f in sia_fields(domain) if f.model_field and f.required}


@lru_cache(maxsize=1)
def allowed_pairs() -> frozenset[tuple[str, str]]:
    """(from domain, to domain) pairs a link may join (data/relasi_domain.csv; "*" = any domain)."""
    with RELASI_CSV.open(encoding="utf-8") as handle:
        return frozenset((row["dari"].strip(), row["ke"].strip()) for row in csv.DictReader(handle))


def link_allowed(dari: str, ke: str) -> bool:
    pairs = allowed_pairs()
    return (str(dari), str(ke)) in pairs or (str(dari), ANY) in pairs


# -- reference editions ---------------------------------------------------------------------------------------


def current_versi() -> VersiReferensi | None:
    return VersiReferensi.objects.filter(aktif=True).order_by("-tahun_mulai").first()


def versi_for(tahun: int | None) -> VersiReferensi | None:
    """The edition in force in `tahun` (the latest starting in or before it); the current one without a year."""
    if tahun is None:
        return current_versi()
    return VersiReferensi.objects.filter(tahun_mulai__lte=int(tahun)).order_by("-tahun_mulai").first()


def _read_reference(path: Path) -> list[dict]:
    try:
        with Path(path).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        message = _("Cannot read the reference file %(path)s: %(error)s") % {"path": path, "error": exc}
        raise ValidationError(message) from exc
    needed = {"reference_model", "level", "code", "name", "parent_code", "parent_name", "order", "confidence"}
    if not rows or not needed <= set(rows[0]):
        raise ValidationError(
            _("The reference file %(path)s lacks the columns %(columns)s.")
            % {"path": path, "columns": ", ".join(sorted(needed - set(rows[0] if rows else {})))}
        )
    return rows


def _resolve_reference_rows(rows: list[dict]) -> list[dict]:
    """Codes and parents for every row, top-down; missing codes assigned from the parent's code and the order."""
    resolved: list[dict] = []
    by_code: dict[str, dict] = {}
    by_name: dict[tuple[str, int, str], dict] = {}
    models = {m.value for m in ModelReferensi}
    for line, row in sorted(enumerate(rows, start=2), key=lambda pair: int(pair[1]["level"] or 0)):
        model = row["reference_model"].strip()
        if model not in models:
            raise ValidationError(
                _("Line %(line)s: unknown reference model %(model)s.") % {"line": line, "model": model}
            )
        try:
            level = int(row["level"])
        except ValueError:
            raise ValidationError(_("Line %(line)s: the level must be a number.") % {"line": line}) from None
        if level > LEVEL_NASIONAL_MAKS:
            raise ValidationError(
                _("Line %(line)s: national reference levels are 0-2; levels 3+ are the city's own.") % {"line": line}
            )
        parent = None
        if level > 0:
            parent_code = row["parent_code"].strip()
            parent = by_code.get(parent_code) if parent_code else by_name.get((model, level - 1, row["parent_name"]))
            if parent is None:
                raise ValidationError(
                    _("Line %(line)s: the parent %(parent)s is not in the file.")
                    % {"line": line, "parent": parent_code or row["parent_name"]}
                )
        code = row["code"].strip()
        generated = not code
        if generated:
            try:
                order = int(row["order"])
            except ValueError:
                raise ValidationError(
                    _("Line %(line)s: a row without a code needs an order to assign one.") % {"line": line}
                ) from None
            code = f"{parent['kode']}.{order:02d}"
        if code in by_code:
            raise ValidationError(_("Line %(line)s: the code %(code)s appears twice.") % {"line": line, "code": code})
        keyakinan = row["confidence"].strip() or Keyakinan.SECONDARY
        if keyakinan not in Keyakinan.values:
            keyakinan = Keyakinan.UNCONFIRMED
        source = row.get("source", "").strip()
        if row.get("note", "").strip():
            source = f"{source} — {row['note'].strip()}" if source else row["note"].strip()
        if generated:
            keyakinan = Keyakinan.UNCONFIRMED
            source = f"[code assigned by Terpadu from the parent code and the order] {source}"
        item = {"model": model, "level": level, "kode": code, "nama": row["name"].strip(), "parent": parent,
                "keyakinan": keyakinan, "sumber": source[:500], "generated": generated}  # fmt: skip
        resolved.append(item)
        by_code[code] = item
        by_name[(model, level, item["nama"])] = item
    return resolved


@transaction.atomic
def load_reference(tahun: int, path: str | Path | None = None, nama: str = "", dasar_hukum: str = "") -> dict:
    """A new national edition in force from `tahun`; the latest starting year becomes the current edition."""
    try:
        tahun = int(tahun)
    except (TypeError, ValueError):
        raise _err("tahun", _("The year must be a number.")) from None
    if not 2000 <= tahun <= 2100:
        raise _err("tahun", _("The year %(tahun)s is outside 2000-2100.") % {"tahun": tahun})
    if VersiReferensi.objects.filter(tahun_mulai=tahun).exists():
        raise _err("tahun", _("A reference edition in force from %(tahun)s already exists.") % {"tahun": tahun})
    rows = _resolve_reference_rows(_read_reference(Path(path) if path else REFERENSI_CSV))
    if not dasar_hukum:
        notes = [r["sumber"] for r in rows if r["level"] == 0]
        dasar_hukum = notes[0].rpartition(" — ")[2][:300] if notes else ""
    previous = current_versi()
    versi = VersiReferensi(
        nama=(nama or _("National reference architecture (from %(tahun)s)") % {"tahun": tahun})[:200],
        dasar_hukum=dasar_hukum,
        tahun_mulai=tahun,
    )
    versi.full_clean()
    versi.save()
    created: dict[str, ReferensiArsitektur] = {}
    for row in rows:  # top-down: a parent is saved before its children
        created[row["kode"]] = ReferensiArsitektur.objects.create(
            versi=versi, model=row["model"], level=row["level"], kode=row["kode"], nama=row["nama"][:300],
            parent=created[row["parent"]["kode"]] if row["parent"] else None, nasional=True, aktif=True,
            keyakinan=row["keyakinan"], sumber=row["sumber"],
        )  # fmt: skip
    newest = VersiReferensi.objects.order_by("-tahun_mulai").first()
    carried, left_behind = 0, []
    if newest == versi:
        VersiReferensi.objects.exclude(pk=versi.pk).filter(aktif=True).update(aktif=False)
        versi.aktif = True
        versi.save(update_fields=["aktif"])
        if previous is not None:
            if previous.tahun_selesai is None or previous.tahun_selesai >= tahun:
                previous.tahun_selesai = tahun - 1
                previous.save(update_fields=["tahun_selesai"])
            carried, left_behind = _carry_city_codes(previous, versi, created)
    else:  # an edition for an earlier year than the current one: kept for history, not current
        versi.tahun_selesai = min(v.tahun_mulai for v in VersiReferensi.objects.filter(tahun_mulai__gt=tahun)) - 1
        versi.save(update_fields=["tahun_selesai"])
    generated = sum(1 for r in rows if r["generated"])
    audit.record(
        versi,
        "create",
        {**audit.diff(None, audit.snapshot(versi)), "codes": [None, len(rows)], "generated_codes": [None, generated],
         "city_codes_carried": [None, carried], "city_codes_left_behind": [None, left_behind]},
    )  # fmt: skip
    events.publish("spbe.referensi_dimuat", {"versi_id": versi.pk, "tahun": tahun})
    return {"versi": versi, "codes": len(rows), "generated": generated, "carried": carried,
            "left_behind": left_behind, "current": current_versi()}  # fmt: skip


def _carry_city_codes(old: VersiReferensi, new: VersiReferensi, created: dict) -> tuple[int, list[str]]:
    carried, left = 0, []
    codes = dict(created)
    city = ReferensiArsitektur.objects.filter(versi=old, nasional=False, aktif=True).select_related("parent")
    for code in sorted(city, key=lambda c: (c.level, c.kode)):
        parent = codes.get(code.parent.kode) if code.parent else None
        if parent is None or not parent.aktif:
            left.append(code.kode)
            continue
        codes[code.kode] = ReferensiArsitektur.objects.create(
            versi=new, model=code.model, level=code.level, kode=code.kode, nama=code.nama, parent=parent,
            nasional=False, aktif=True, keyakinan=code.keyakinan, sumber=code.sumber,
        )  # fmt: skip
        carried += 1
    return carried, left


def referensi(kode: str, tahun: int | None = None) -> ReferensiArsitektur:
    """The reference code `kode` of the edition in force in `tahun` (default: the current edition), in use.
    A clear ValidationError naming the code when it is unknown or retired."""
    kode = (kode or "").strip()
    versi = versi_for(tahun)
    if versi is None:
        raise ValidationError(
            _("No reference architecture edition is loaded (for %(tahun)s): load one with "
              "'terpadu spbe load-reference --tahun N'.") % {"tahun": tahun or _("the current year")}
        )  # fmt: skip
    code = ReferensiArsitektur.objects.filter(versi=versi, kode=kode).select_related("versi").first()
    if code is None:
        raise ValidationError(
            _("%(kode)s is not a code of the reference architecture edition %(versi)s.")
            % {"kode": kode or "—", "versi": versi.nama}
        )
    if not code.aktif:
        raise ValidationError(
            _("%(kode)s is a retired reference code (%(versi)s): it cannot be linked; choose a code in use.")
            % {"kode": kode, "versi": versi.nama}
        )
    return code


def _check_reference_usable(ref: ReferensiArsitektur, field: str = "referensi") -> None:
    """A reference code an element may point at now: of the current edition and in use."""
    current = current_versi()
    if not ref.aktif:
        raise _err(
            field,
            _("%(kode)s is a retired reference code: it cannot be linked; choose a code in use.") % {"kode": ref.kode},
        )
    if current is None or ref.versi_id != current.pk:
        raise _err(
            field,
            _("%(kode)s belongs to the edition %(versi)s, which is not the current reference edition: choose the code "
              "of the current edition.") % {"kode": ref.kode, "versi": ref.versi.nama},
        )  # fmt: skip


def next_city_code(parent: ReferensiArsitektur) -> str:
    used = set(ReferensiArsitektur.objects.filter(versi=parent.versi, parent=parent).values_list("kode", flat=True))
    number = 1
    while f"{parent.kode}.{number:02d}" in used:
        number += 1
    return f"{parent.kode}.{number:02d}"


@transaction.atomic
def tambah_kode_kota(parent: ReferensiArsitektur | str, nama: str, kode: str = "") -> ReferensiArsitektur:
    """A city code (level 3+) under a national level-2 code or a deeper city code of the current edition."""
    if isinstance(parent, str):
        try:
            parent = referensi(parent)
        except ValidationError as exc:
            raise _err("parent", " ".join(exc.messages)) from None
    parent = ReferensiArsitektur.objects.select_related("versi").get(pk=parent.pk)
    _check_reference_usable(parent, "parent")
    if parent.level < LEVEL_NASIONAL_MAKS:
        raise _err(
            "parent",
            _("%(kode)s is a level-%(level)s code: the city adds its codes under national level-2 codes (or its own "
              "deeper codes).") % {"kode": parent.kode, "level": parent.level},
        )  # fmt: skip
    nama = (nama or "").strip()
    if not nama:
        raise _err("nama", _("A name is required."))
    kode = (kode or "").strip() or next_city_code(parent)
    if not re.fullmatch(re.escape(parent.kode) + r"\.\d{2}", kode):
        raise _err(
            "kode",
            _("%(kode)s is not a valid code under %(parent)s (expected %(parent)s.NN, e.g. %(example)s).")
            % {"kode": kode, "parent": parent.kode, "example": next_city_code(parent)},
        )
    if ReferensiArsitektur.objects.filter(versi=parent.versi, kode=kode).exists():
        raise _err("kode", _("The code %(kode)s already exists in this edition.") % {"kode": kode})
    code = ReferensiArsitektur(
        versi=parent.versi, model=parent.model, level=parent.level + 1, kode=kode, nama=nama[:300], parent=parent,
        nasional=False, aktif=True, keyakinan=Keyakinan.LOCAL, sumber=_("set by the city"),
    )  # fmt: skip
    code.full_clean()
    code.save()
    audit.record(code, "create", audit.diff(None, audit.snapshot(code)))
    events.publish("spbe.referensi_kota_dibuat", {"referensi_id": code.pk})
    return code


def _check_city_code(code: ReferensiArsitektur) -> None:
    if code.nasional:
        raise ValidationError(
            _("%(kode)s is a national reference code: it is fixed and cannot be changed by the city.")
            % {"kode": code.kode}
        )


@transaction.atomic
def ubah_kode_kota(code: ReferensiArsitektur, nama: str) -> ReferensiArsitektur:
    code = ReferensiArsitektur.objects.select_for_update().get(pk=code.pk)
    _check_city_code(code)
    if not (nama or "").strip():
        raise _err("nama", _("A name is required."))
    before = audit.snapshot(code)
    code.nama = nama.strip()[:300]
    code.save(update_fields=["nama"])
    audit.record(code, "update", audit.diff(before, audit.snapshot(code)))
    return code


@transaction.atomic
def pensiunkan_kode(code: ReferensiArsitektur) -> ReferensiArsitektur:
    """Retire a city code (no longer linkable). Its city sub-codes in use must be retired first."""
    code = ReferensiArsitektur.objects.select_for_update().get(pk=code.pk)
    _check_city_code(code)
    if not code.aktif:
        raise ValidationError(_("%(kode)s is already retired.") % {"kode": code.kode})
    children = list(code.children.filter(aktif=True).values_list("kode", flat=True))
    if children:
        raise ValidationError(
            _("Retire the sub-codes of %(kode)s first: %(children)s.")
            % {"kode": code.kode, "children": ", ".join(children)}
        )
    before = audit.snapshot(code)
    code.aktif = False
    code.save(update_fields=["aktif"])
    audit.record(code, "retire", audit.diff(before, audit.snapshot(code)))
    events.publish("spbe.referensi_kota_dipensiunkan", {"referensi_id": code.pk})
    return code


# -- elements -------------------------------------------------------------------------------------------------


def validate_metadata(domain: str, metadata) -> dict:
    """The element metadata of `domain` cleaned (stripped, blanks dropped); ValidationError naming each problem:
    unknown keys, missing required fields, values outside the choices, numbers and dates that do not parse."""
    if metadata in (None, ""):
        metadata = {}
    if not isinstance(metadata, dict):
        raise _err("metadata", _("The SIA-SPBE metadata must be an object of field: value."))
    fields = {f.key: f for f in metadata_fields(domain)}
    errors: list[str] = []
    unknown = sorted(str(k) for k in metadata if k not in fields)
    if unknown:
        errors.append(
            _("Unknown SIA-SPBE fields for the %(domain)s domain: %(keys)s (allowed: %(allowed)s).")
            % {"domain": domain, "keys": ", ".join(unknown), "allowed": ", ".join(fields) or "—"}
        )
    clean: dict[str, str] = {}
    for key, spec in fields.items():
        value = metadata.get(key)
        if isinstance(value, (list, dict)):
            errors.append(_("%(label)s must be a single value.") % {"label": spec.label})
            continue
        text = "" if value is None else str(value).strip()
        if not text:
            if spec.required:
                errors.append(
                    _("%(label)s is required for the %(domain)s domain.") % {"label": spec.label, "domain": domain}
                )
            continue
        if spec.type == "choice" and text not in spec.choices:
            errors.append(
                _("%(value)s is not a valid %(label)s (choose one of %(choices)s).")
                % {"value": text, "label": spec.label, "choices": ", ".join(spec.choices)}
            )
            continue
        if spec.type == "number":
            try:
                number = Decimal(text.replace(",", "."))
                if not number.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                errors.append(_("%(label)s must be a number (got %(value)s).") % {"label": spec.label, "value": text})
                continue
            text = str(number)
        if spec.type == "date":
            try:
                text = dt.date.fromisoformat(text).isoformat()
            except ValueError:
                errors.append(
                    _("%(label)s must be a date YYYY-MM-DD (got %(value)s).") % {"label": spec.label, "value": text}
                )
                continue
        clean[key] = text[:2000]
    if errors:
        raise ValidationError({"metadata": errors})
    return clean


def _resolve(model, value, field: str, label: str):
    if value in (None, ""):
        return None
    if isinstance(value, model):
        value = value.pk  # read again: the caller's copy may be stale (e.g. retired since)
    try:
        return model.objects.get(pk=int(value))
    except (TypeError, ValueError, ObjectDoesNotExist):
        raise _err(field, _("Unknown %(label)s: %(value)s.") % {"label": label, "value": value}) from None


ELEMEN_FIELDS = ("domain", "kode", "nama", "uraian", "unit", "referensi", "metadata", "status", "kondisi_saat_ini",
                 "kondisi_target", "sasaran", "sub_kegiatan", "aplikasi")  # fmt: skip


def _clean_elemen(data: dict, elemen: ElemenArsitektur | None) -> dict:
    from terpadu.organisasi.models import UnitKerja
    from terpadu.perencanaan.models import RenjaSubKegiatan, Sasaran
    from terpadu.spbe.models import Aplikasi

    values = {f: getattr(elemen, f) for f in ELEMEN_FIELDS} if elemen else {}
    values.update({k: v for k, v in data.items() if k in ELEMEN_FIELDS})
    errors: dict[str, list[str]] = {}

    def add(exc: ValidationError):
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)

    domain = str(values.get("domain") or "")
    if domain not in Domain.values:
        raise _err("domain", _("Unknown domain %(domain)s (choose one of %(choices)s).")
                   % {"domain": domain or "—", "choices": ", ".join(Domain.values)})  # fmt: skip
    if elemen is not None and domain != elemen.domain:
        raise _err("domain", _("The domain of an element cannot change: retire it and create a new element."))
    values["domain"] = domain
    for name in ("kode", "nama", "uraian", "kondisi_saat_ini", "kondisi_target"):
        values[name] = str(values.get(name) or "").strip()
    if not values["kode"]:
        errors.setdefault("kode", []).append(_("A code (SIA-SPBE ID) is required."))
    if not values["nama"]:
        errors.setdefault("nama", []).append(_("A name is required."))
    if "uraian" in _required_model_fields(domain) and not values["uraian"]:
        errors.setdefault("uraian", []).append(_("A description (uraian) is required for the %(domain)s domain.")
                                              % {"domain": domain})  # fmt: skip
    status = str(values.get("status") or ElemenArsitektur.Status.SAAT_INI)
    if status not in ElemenArsitektur.Status.values:
        errors.setdefault("status", []).append(_("Unknown state %(status)s.") % {"status": status})
    values["status"] = status
    try:
        values["unit"] = _resolve(UnitKerja, values.get("unit"), "unit", _("OPD"))
        values["sasaran"] = _resolve(Sasaran, values.get("sasaran"), "sasaran", _("RPJMD target"))
        values["sub_kegiatan"] = _resolve(RenjaSubKegiatan, values.get("sub_kegiatan"), "sub_kegiatan",
                                          _("sub kegiatan"))  # fmt: skip
        values["aplikasi"] = _resolve(Aplikasi, values.get("aplikasi"), "aplikasi", _("catalogue application"))
    except ValidationError as exc:
        add(exc)
    if values.get("aplikasi") is not None and domain != Domain.APLIKASI:
        errors.setdefault("aplikasi", []).append(_("Only elements of the application domain point at a catalogue "
                                                   "application."))  # fmt: skip
    ref = values.get("referensi")
    try:
        if isinstance(ref, str) and not ref.isdigit():
            try:
                ref = referensi(ref)
            except ValidationError as exc:
                raise _err("referensi", " ".join(exc.messages)) from None
        else:
            ref = _resolve(ReferensiArsitektur, ref, "referensi", _("reference code"))
        if ref is None:
            if "referensi" in _required_model_fields(domain):
                raise _err("referensi", _("A reference code of %(model)s is required for the %(domain)s domain.")
                           % {"model": MODEL_OF_DOMAIN[domain], "domain": domain})  # fmt: skip
        else:
            changed = elemen is None or elemen.referensi_id != ref.pk or "referensi" in data
            if ref.model != MODEL_OF_DOMAIN[domain]:
                raise _err("referensi", _("%(kode)s is a %(model)s code: an element of the %(domain)s domain needs a "
                                          "%(expected)s code.") % {"kode": ref.kode, "model": ref.model,
                                                                   "domain": domain,
                                                                   "expected": MODEL_OF_DOMAIN[domain]})  # fmt: skip
            if changed:
                _check_reference_usable(ref)
        values["referensi"] = ref
    except ValidationError as exc:
        add(exc)
    try:
        values["metadata"] = validate_metadata(domain, values.get("metadata"))
    except ValidationError as exc:
        add(exc)
    if values["kode"]:
        clash = ElemenArsitektur.objects.filter(domain=domain, kode=values["kode"])
        if elemen is not None:
            clash = clash.exclude(pk=elemen.pk)
        if clash.exists():
            errors.setdefault("kode", []).append(_("The code %(kode)s is already used in the %(domain)s domain.")
                                                 % {"kode": values["kode"], "domain": domain})  # fmt: skip
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def simpan_elemen(data: dict, elemen: ElemenArsitektur | None = None) -> ElemenArsitektur:
    """Create (elemen=None) or update an architecture element; `data` holds ELEMEN_FIELDS (objects or pks;
    `referensi` may also be a code string of the current edition)."""
    if elemen is not None:
        elemen = ElemenArsitektur.objects.select_for_update().get(pk=elemen.pk)
        if elemen.status == ElemenArsitektur.Status.DIHENTIKAN:
            raise ValidationError(_("%(elemen)s is retired and can no longer be changed.") % {"elemen": elemen})
    values = _clean_elemen(data, elemen)
    before = audit.snapshot(elemen) if elemen else None
    target = elemen or ElemenArsitektur()
    for name, value in values.items():
        setattr(target, name, value)
    target.full_clean(validate_unique=False, validate_constraints=False)
    target.save()
    audit.record(target, "update" if elemen else "create", audit.diff(before, audit.snapshot(target)))
    events.publish("spbe.elemen_disimpan", {"elemen_id": target.pk, "baru": elemen is None})
    return target


@transaction.atomic
def pensiunkan_elemen(elemen: ElemenArsitektur, alasan: str = "") -> ElemenArsitektur:
    """Retire an element: it stays (history, links) but cannot be linked again; roadmap items on it are flagged."""
    elemen = ElemenArsitektur.objects.select_for_update().get(pk=elemen.pk)
    if elemen.status == ElemenArsitektur.Status.DIHENTIKAN:
        raise ValidationError(_("%(elemen)s is already retired.") % {"elemen": elemen})
    before = audit.snapshot(elemen)
    elemen.status = ElemenArsitektur.Status.DIHENTIKAN
    elemen.save(update_fields=["status"])
    changes = audit.diff(before, audit.snapshot(elemen))
    if alasan:
        changes["alasan"] = [None, alasan[:500]]
    audit.record(elemen, "retire", changes)
    events.publish("spbe.elemen_dihentikan", {"elemen_id": elemen.pk})
    return elemen


@transaction.atomic
def hapus_elemen(elemen: ElemenArsitektur) -> None:
    """Delete an element recorded by mistake: only while nothing refers to it (otherwise retire it)."""
    elemen = ElemenArsitektur.objects.select_for_update().get(pk=elemen.pk)
    used = []
    if elemen.relasi_keluar.exists() or elemen.relasi_masuk.exists():
        used.append(_("links"))
    if elemen.kesenjangan.exists():
        used.append(_("gaps"))
    if elemen.peta_rencana.exists():
        used.append(_("Peta Rencana items"))
    if used:
        raise ValidationError(
            _("%(elemen)s is used by %(what)s: retire it instead of deleting it.")
            % {"elemen": elemen, "what": ", ".join(str(u) for u in used)}
        )
    snapshot = audit.snapshot(elemen)
    pk, text = elemen.pk, str(elemen)
    elemen.delete()
    audit.record(None, "delete", audit.diff(snapshot, None), object_type="spbe.elemenarsitektur", object_id=str(pk),
                 object_repr=text)  # fmt: skip
    events.publish("spbe.elemen_dihapus", {"elemen_id": pk})


def _check_linkable(elemen: ElemenArsitektur, field: str) -> None:
    if elemen.status == ElemenArsitektur.Status.DIHENTIKAN:
        raise _err(field, _("%(elemen)s is retired: it cannot be linked.") % {"elemen": elemen})
    if elemen.referensi_id is not None and not elemen.referensi.aktif:
        raise _err(
            field,
            _(
                "%(elemen)s uses %(kode)s, a retired reference code: it cannot be linked until it is given a code "
                "in use."
            )
            % {"elemen": elemen, "kode": elemen.referensi.kode},
        )


@transaction.atomic
def tambah_relasi(dari: ElemenArsitektur, ke: ElemenArsitektur, keterangan: str = "") -> RelasiElemen:
    """Link two elements along an allowed domain pair (data/relasi_domain.csv); no self-links, no duplicates."""
    if dari.pk == ke.pk:
        raise _err("ke", _("An element cannot be linked to itself."))
    dari = ElemenArsitektur.objects.select_related("referensi").get(pk=dari.pk)
    ke = ElemenArsitektur.objects.select_related("referensi").get(pk=ke.pk)
    if not link_allowed(dari.domain, ke.domain):
        allowed = sorted(k for d, k in allowed_pairs() if d == dari.domain)
        raise _err(
            "ke",
            _("A %(dari)s element cannot be linked to a %(ke)s element (allowed from %(dari)s: %(allowed)s).")
            % {"dari": dari.domain, "ke": ke.domain, "allowed": ", ".join(allowed) or "—"},
        )
    _check_linkable(dari, "dari")
    _check_linkable(ke, "ke")
    if RelasiElemen.objects.filter(dari=dari, ke=ke).exists():
        raise _err("ke", _("%(dari)s is already linked to %(ke)s.") % {"dari": dari, "ke": ke})
    relasi = RelasiElemen.objects.create(dari=dari, ke=ke, keterangan=(keterangan or "").strip()[:300])
    audit.record(relasi, "create", audit.diff(None, audit.snapshot(relasi)))
    events.publish("spbe.relasi_dibuat", {"relasi_id": relasi.pk})
    return relasi


@transaction.atomic
def hapus_relasi(relasi: RelasiElemen) -> None:
    snapshot, pk, text = audit.snapshot(relasi), relasi.pk, str(relasi)
    relasi.delete()
    audit.record(None, "delete", audit.diff(snapshot, None), object_type="spbe.relasielemen", object_id=str(pk),
                 object_repr=text)  # fmt: skip
    events.publish("spbe.relasi_dihapus", {"relasi_id": pk})


# -- gaps and needs -------------------------------------------------------------------------------------------


@transaction.atomic
def catat_kesenjangan(elemen: ElemenArsitektur, data: dict) -> Kesenjangan:
    """A gap between an element's current and target state (defaults: the element's own states)."""
    if elemen.status == ElemenArsitektur.Status.DIHENTIKAN:
        raise _err("elemen", _("%(elemen)s is retired: record no gap on it.") % {"elemen": elemen})
    uraian = str(data.get("uraian") or "").strip()
    if not uraian:
        raise _err("uraian", _("Describe the gap."))
    gap = Kesenjangan.objects.create(
        elemen=elemen,
        uraian=uraian,
        kondisi_saat_ini=str(data.get("kondisi_saat_ini") or elemen.kondisi_saat_ini or "").strip(),
        kondisi_target=str(data.get("kondisi_target") or elemen.kondisi_target or "").strip(),
    )
    audit.record(gap, "create", audit.diff(None, audit.snapshot(gap)))
    events.publish("spbe.kesenjangan_dicatat", {"kesenjangan_id": gap.pk, "elemen_id": elemen.pk})
    return gap


def _tahun(value, field: str, required: bool = True) -> int | None:
    if value in (None, ""):
        if required:
            raise _err(field, _("A year is required."))
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise _err(field, _("%(value)s is not a year.") % {"value": value}) from None
    if not 2000 <= year <= 2100:
        raise _err(field, _("The year %(value)s is outside 2000-2100.") % {"value": year})
    return year


@transaction.atomic
def catat_kebutuhan(kesenjangan: Kesenjangan, data: dict) -> Kebutuhan:
    """A need derived from a gap, with the responsible OPD and the target year."""
    from terpadu.organisasi.models import UnitKerja

    errors: dict[str, list[str]] = {}
    uraian = str(data.get("uraian") or "").strip()
    if not uraian:
        errors["uraian"] = [_("Describe the need.")]
    unit = None
    try:
        unit = _resolve(UnitKerja, data.get("unit"), "unit", _("OPD"))
        if unit is None:
            raise _err("unit", _("The responsible OPD is required."))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    tahun = None
    try:
        tahun = _tahun(data.get("tahun_target"), "tahun_target")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    need = Kebutuhan.objects.create(kesenjangan=kesenjangan, uraian=uraian, unit=unit, tahun_target=tahun)
    audit.record(need, "create", audit.diff(None, audit.snapshot(need)))
    events.publish("spbe.kebutuhan_dicatat", {"kebutuhan_id": need.pk, "kesenjangan_id": kesenjangan.pk})
    return need


def has_target(elemen: ElemenArsitektur) -> bool:
    return elemen.status in (ElemenArsitektur.Status.TARGET, ElemenArsitektur.Status.KEDUANYA) or bool(
        (elemen.kondisi_target or "").strip()
    )


def to_analyse(elemen_qs):
    """Elements with a target state and no gap recorded yet (the gap analysis worklist)."""
    return (
        elemen_qs.exclude(status=ElemenArsitektur.Status.DIHENTIKAN)
        .filter(
            Q(status__in=[ElemenArsitektur.Status.TARGET, ElemenArsitektur.Status.KEDUANYA]) | ~Q(kondisi_target="")
        )
        .filter(kesenjangan__isnull=True)
        .distinct()
    )


# -- Peta Rencana ---------------------------------------------------------------------------------------------

RENCANA_FIELDS = ("muatan", "nama", "uraian", "tahun", "tahun_selesai", "unit", "target_keluaran", "perkiraan_biaya",
                  "status", "kebutuhan")  # fmt: skip


def _money(value, field: str) -> Decimal:
    if value in (None, ""):
        return Decimal("0")
    if isinstance(value, float):
        raise _err(field, _("Give the amount as text or a whole number, not a floating-point value."))
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise _err(field, _("%(value)s is not an amount.") % {"value": value}) from None
    if not amount.is_finite() or amount < 0:
        raise _err(field, _("The estimated cost must be zero or more."))
    if amount != amount.quantize(Decimal("0.01")):
        raise _err(field, _("The estimated cost has at most two decimals."))
    if amount >= Decimal(10) ** 18:
        raise _err(field, _("The estimated cost is too large."))
    return amount


def _clean_rencana(data: dict, item: PetaRencanaItem | None) -> tuple[dict, list | None]:
    from terpadu.organisasi.models import UnitKerja

    values = {f: getattr(item, f) for f in RENCANA_FIELDS} if item else {}
    values.update({k: v for k, v in data.items() if k in RENCANA_FIELDS})
    errors: dict[str, list[str]] = {}

    def guard(name, fn):
        try:
            values[name] = fn()
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)

    if str(values.get("muatan") or "") not in Muatan.values:
        errors["muatan"] = [_("Unknown section %(value)s (choose one of %(choices)s).")
                            % {"value": values.get("muatan") or "—", "choices": ", ".join(Muatan.values)}]  # fmt: skip
    for name in ("nama", "target_keluaran"):
        values[name] = str(values.get(name) or "").strip()
    values["uraian"] = str(values.get("uraian") or "").strip()
    if not values["nama"]:
        errors["nama"] = [_("A programme / activity name is required.")]
    if not values["target_keluaran"]:
        errors["target_keluaran"] = [_("An output target is required.")]
    status = str(values.get("status") or PetaRencanaItem.Status.RENCANA)
    if status not in PetaRencanaItem.Status.values:
        errors["status"] = [_("Unknown status %(value)s.") % {"value": status}]
    values["status"] = status
    guard("tahun", lambda: _tahun(values.get("tahun"), "tahun"))
    guard("tahun_selesai", lambda: _tahun(values.get("tahun_selesai"), "tahun_selesai", required=False))
    if isinstance(values.get("tahun"), int) and isinstance(values.get("tahun_selesai"), int):
        if values["tahun_selesai"] < values["tahun"]:
            errors.setdefault("tahun_selesai", []).append(_("The end year is before the start year."))
    guard("perkiraan_biaya", lambda: _money(values.get("perkiraan_biaya"), "perkiraan_biaya"))

    def unit():
        found = _resolve(UnitKerja, values.get("unit"), "unit", _("OPD"))
        if found is None:
            raise _err("unit", _("The owner OPD is required."))
        return found

    guard("unit", unit)
    guard("kebutuhan", lambda: _resolve(Kebutuhan, values.get("kebutuhan"), "kebutuhan", _("need")))
    elemen = None
    if "elemen" in data:
        elemen = []
        for value in data.get("elemen") or []:
            try:
                found = _resolve(ElemenArsitektur, value, "elemen", _("architecture element"))
                existing = item is not None and item.elemen.filter(pk=found.pk).exists()
                if not existing:
                    _check_linkable(found, "elemen")
                elemen.append(found)
            except ValidationError as exc:
                errors.setdefault("elemen", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return values, elemen


@transaction.atomic
def simpan_rencana(data: dict, item: PetaRencanaItem | None = None) -> PetaRencanaItem:
    """Create or update a Peta Rencana item; `data["elemen"]` (objects or pks), when given, replaces its links."""
    if item is not None:
        item = PetaRencanaItem.objects.select_for_update().get(pk=item.pk)
    values, elemen = _clean_rencana(data, item)
    before = audit.snapshot(item) if item else None
    before_elemen = sorted(item.elemen.values_list("pk", flat=True)) if item else []
    target = item or PetaRencanaItem()
    for name, value in values.items():
        setattr(target, name, value)
    target.full_clean(exclude=["elemen"])
    target.save()
    if elemen is not None:
        target.elemen.set(elemen)
    changes = audit.diff(before, audit.snapshot(target))
    after_elemen = sorted(target.elemen.values_list("pk", flat=True))
    if after_elemen != before_elemen:
        changes["elemen"] = [before_elemen, after_elemen]
    audit.record(target, "update" if item else "create", changes)
    events.publish("spbe.rencana_disimpan", {"rencana_id": target.pk, "baru": item is None})
    return target


@transaction.atomic
def hapus_rencana(item: PetaRencanaItem) -> None:
    snapshot, pk, text = audit.snapshot(item), item.pk, str(item)
    snapshot["elemen"] = sorted(item.elemen.values_list("pk", flat=True))
    item.delete()
    audit.record(None, "delete", audit.diff(snapshot, None), object_type="spbe.petarencanaitem", object_id=str(pk),
                 object_repr=text)  # fmt: skip
    events.publish("spbe.rencana_dihapus", {"rencana_id": pk})


def rencana_flags(item: PetaRencanaItem) -> list[str]:
    """Why a roadmap item needs attention: linked elements retired or on a retired reference code."""
    flags = []
    for elemen in item.elemen.all():
        if elemen.status == ElemenArsitektur.Status.DIHENTIKAN:
            flags.append(_("Linked element %(elemen)s is retired.") % {"elemen": elemen})
        elif elemen.referensi_id is not None and not elemen.referensi.aktif:
            flags.append(_("Linked element %(elemen)s uses the retired reference code %(kode)s.")
                         % {"elemen": elemen, "kode": elemen.referensi.kode})  # fmt: skip
    return flags


def flagged_rencana(queryset):
    """Items linked to a retired element or to an element on a retired reference code."""
    return queryset.filter(
        Q(elemen__status=ElemenArsitektur.Status.DIHENTIKAN) | Q(elemen__referensi__aktif=False)
    ).distinct()


def timeline(queryset) -> dict:
    """Years across, the seven sections down; each item a bar from tahun to tahun_selesai (grid columns), with
    totals of the estimated cost per year and section (an item's cost belongs to its start year)."""
    items = list(queryset.select_related("unit").prefetch_related("elemen__referensi").order_by("tahun", "nama"))
    if not items:
        return {"years": [], "sections": [], "totals": {}, "year_totals": [], "grand_total": Decimal("0")}
    first = min(i.tahun for i in items)
    last = max(max(i.tahun, i.tahun_selesai or i.tahun) for i in items)
    years = list(range(first, last + 1))
    ids = [i.pk for i in items]
    flagged = set(flagged_rencana(queryset.model.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    sections = []
    totals: dict[str, dict[int, Decimal]] = {}
    for muatan in Muatan:
        rows = []
        per_year = {year: Decimal("0") for year in years}
        for item in (i for i in items if i.muatan == muatan.value):
            end = item.tahun_selesai or item.tahun
            rows.append({"item": item, "start": item.tahun - first + 2, "end": end - first + 3,
                         "span": end - item.tahun + 1, "flagged": item.pk in flagged})  # fmt: skip
            per_year[item.tahun] += item.perkiraan_biaya
        totals[muatan.value] = per_year
        sections.append({"muatan": muatan.value, "label": muatan.label, "rows": rows,
                         "totals": [per_year[y] for y in years],
                         "total": sum(per_year.values(), Decimal("0"))})  # fmt: skip
    year_totals = [sum((totals[m][y] for m in totals), Decimal("0")) for y in years]
    return {"years": years, "sections": sections, "totals": totals, "year_totals": year_totals,
            "grand_total": sum(year_totals, Decimal("0"))}  # fmt: skip


RENCANA_COLUMNS = ["id", "muatan", "nama", "tahun", "tahun_selesai", "opd_kode", "opd", "target_keluaran",
                   "perkiraan_biaya", "status", "elemen", "kebutuhan", "flag"]  # fmt: skip


def rencana_rows(queryset):
    for item in queryset.select_related("unit", "kebutuhan").prefetch_related("elemen__referensi"):
        yield [item.pk, item.muatan, item.nama, item.tahun, item.tahun_selesai or "", item.unit.kode, item.unit.nama,
               item.target_keluaran, item.perkiraan_biaya, item.status,
               "; ".join(f"{e.domain}:{e.kode}" for e in item.elemen.all()),
               item.kebutuhan.uraian[:200] if item.kebutuhan_id else "", " ".join(rencana_flags(item))]  # fmt: skip


def export_rencana(queryset, fmt: str) -> bytes:
    if fmt == "xlsx":
        return tabular.write_xlsx({"peta_rencana": (RENCANA_COLUMNS, list(rencana_rows(queryset)))})
    return tabular.write_csv(RENCANA_COLUMNS, rencana_rows(queryset))


# -- reading helpers (no state change) -------------------------------------------------------------------------


def neighbourhood(elemen: ElemenArsitektur, visible, depth: int = 6) -> dict:
    """The element's chain up (what leads to it) and down (what it leads to), as nested lists, limited to the
    elements `visible` (a restricted queryset) and to `depth` steps; each element appears once per direction."""
    visible_ids = set(visible.values_list("pk", flat=True))

    def walk(start, direction: str) -> list:
        seen = {start.pk}
        frontier = [(start, [])]
        root: list = frontier[0][1]
        for _step in range(depth):
            next_frontier = []
            for node, children in frontier:
                if direction == "down":
                    links = RelasiElemen.objects.filter(dari=node).select_related("ke__unit", "ke__referensi")
                    others = [(link.ke, link) for link in links]
                else:
                    links = RelasiElemen.objects.filter(ke=node).select_related("dari__unit", "dari__referensi")
                    others = [(link.dari, link) for link in links]
                for other, link in sorted(others, key=lambda pair: (pair[0].domain, pair[0].kode)):
                    if other.pk in seen or other.pk not in visible_ids:
                        continue
                    seen.add(other.pk)
                    entry = {"elemen": other, "relasi": link, "children": []}
                    children.append(entry)
                    next_frontier.append((other, entry["children"]))
            frontier = next_frontier
        return root

    return {"up": walk(elemen, "up"), "down": walk(elemen, "down")}


def matrix(elemen_qs) -> dict:
    """Counts of elements in use per OPD (rows) and domain (columns)."""
    from django.db.models import Count

    counts = (
        elemen_qs.exclude(status=ElemenArsitektur.Status.DIHENTIKAN)
        .values("unit_id", "unit__kode", "unit__nama", "domain")
        .annotate(n=Count("pk"))
        .order_by("unit__kode")
    )
    rows: dict = {}
    for row in counts:
        entry = rows.setdefault(row["unit_id"], {"unit_id": row["unit_id"], "kode": row["unit__kode"] or "",
                                                 "nama": row["unit__nama"] or _("(no owner)"),
                                                 "cells": {d: 0 for d in Domain.values}, "total": 0})  # fmt: skip
        entry["cells"][row["domain"]] += row["n"]
        entry["total"] += row["n"]
    ordered = sorted(rows.values(), key=lambda r: (r["unit_id"] is None, r["kode"]))
    for entry in ordered:
        entry["cell_list"] = [entry["cells"][d] for d in Domain.values]
    column_totals = [sum(r["cells"][d] for r in ordered) for d in Domain.values]
    return {"domains": list(Domain.choices), "rows": ordered, "column_totals": column_totals}


def sia_columns(domain: str) -> list[str]:
    return ["ID", "Nama", "Uraian", f"{MODEL_OF_DOMAIN[domain]} (kode)", f"{MODEL_OF_DOMAIN[domain]} (nama)", "OPD",
            "Status", *[f.label for f in metadata_fields(domain)]]  # fmt: skip


def sia_rows(domain: str, queryset):
    keys = [f.key for f in metadata_fields(domain)]
    for elemen in queryset.filter(domain=domain).select_related("unit", "referensi"):
        yield [elemen.kode, elemen.nama, elemen.uraian, elemen.referensi.kode if elemen.referensi_id else "",
               elemen.referensi.nama if elemen.referensi_id else "", elemen.unit.nama if elemen.unit_id else "",
               elemen.get_status_display(), *[(elemen.metadata or {}).get(k, "") for k in keys]]  # fmt: skip


def export_sia(domain: str, queryset) -> bytes:
    """The elements of one domain as a CSV shaped like the SIA-SPBE fields (for manual upload)."""
    if domain not in Domain.values:
        raise _err("domain", _("Unknown domain %(domain)s.") % {"domain": domain or "—"})
    return tabular.write_csv(sia_columns(domain), sia_rows(domain, queryset))
