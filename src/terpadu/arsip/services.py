"""The only code that changes the arsip tables: classification and JRA, berkas and their items, the
retention clock and the berita acara that ends an archive's life. Every change is audited.

Decisions the regulation leaves to us (documented in docs and tested):

- Retention counts from the day a berkas is closed: aktif_sampai = ditutup + retensi aktif years,
  inaktif_sampai = aktif_sampai + retensi inaktif years. A berkas stays in a phase *on* its end date
  and moves on the day after (the clock compares with "<" today).
- A code whose parent is missing from the loaded data gets that parent created as a placeholder code
  (marked unconfirmed), so the tree stays whole and an administrator can rename it later.
- A new berkas proposed for a naskah is described by the naskah's activity hint (isi["kegiatan"]) when
  there is one, else by the classification's name.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from terpadu.arsip.models import (
    BeritaAcara,
    Berkas,
    IsiBerkas,
    Keyakinan,
    Klasifikasi,
    KlasifikasiVersi,
    NasibAkhir,
    UrutanBerkas,
)
from terpadu.core import audit, events, files

DATA = Path(__file__).resolve().parent / "data"
REFERENCE_CSV = DATA / "klasifikasi_arsip_pemda.csv"
JRA_DEFAULTS_CSV = DATA / "jra_bawaan.csv"
REFERENCE_EDITION = "Permendagri 83/2022 (referensi)"
PLACEHOLDER_NAME = "(induk tidak tercatat di referensi)"
KODE_PATTERN = re.compile(r"^\d{3}(\.\d{1,4})*$")
JRA_FIELDS = ("retensi_aktif", "retensi_inaktif", "nasib_akhir")
EDITABLE_FIELDS = (
    "nama",
    *JRA_FIELDS,
    "skkaad",
    "keterangan",
    "jra_keyakinan",
    "jra_sumber",
    "keyakinan",
    "sumber",
    "referensi",
    "catatan",
)
MAX_RETENTION_YEARS = 100


def today() -> dt.date:
    return timezone.localdate()


def kode_sort_key(kode: str) -> tuple:
    """'000.1.10' after '000.1.2': codes sort by their numeric segments."""
    return tuple(int(part) if part.isdigit() else 0 for part in kode.split("."))


def parent_kode_of(kode: str) -> str:
    return kode.rpartition(".")[0]


# -- editions and codes ------------------------------------------------------------------------


def current_versi() -> KlasifikasiVersi | None:
    return KlasifikasiVersi.objects.filter(aktif=True).order_by("-berlaku_mulai", "-pk").first()


def current_klasifikasi():
    """The active codes of the current edition (what new naskah and berkas choose from)."""
    versi = current_versi()
    return Klasifikasi.objects.filter(versi=versi, aktif=True) if versi else Klasifikasi.objects.none()


def klasifikasi_by_kode(kode: str, versi: KlasifikasiVersi | None = None) -> Klasifikasi | None:
    """The code in `versi` (default: the current edition), active or retired; None if unknown."""
    versi = versi or current_versi()
    if versi is None:
        return None
    return Klasifikasi.objects.filter(versi=versi, kode=(kode or "").strip()).first()


def incomplete_jra_count(versi: KlasifikasiVersi | None = None) -> int:
    versi = versi or current_versi()
    if versi is None:
        return 0
    missing = Q(retensi_aktif__isnull=True) | Q(retensi_inaktif__isnull=True) | Q(nasib_akhir="")
    return Klasifikasi.objects.filter(versi=versi, aktif=True).filter(missing).count()


@transaction.atomic
def create_versi(data: dict) -> KlasifikasiVersi:
    versi = KlasifikasiVersi(**{k: data.get(k, "") for k in ("nama", "dasar_hukum", "catatan")})
    versi.berlaku_mulai = data.get("berlaku_mulai") or today()
    versi.full_clean()
    versi.save()
    audit.record(versi, "create", audit.diff(None, audit.snapshot(versi)))
    return versi


@transaction.atomic
def activate_versi(versi: KlasifikasiVersi) -> KlasifikasiVersi:
    """Make `versi` the current edition. Naskah and berkas keep the codes of the edition they used."""
    if not versi.kode.filter(aktif=True).exists():
        raise ValidationError(_("This edition has no codes yet: import them before making it current."))
    previous = list(KlasifikasiVersi.objects.select_for_update().filter(aktif=True).exclude(pk=versi.pk))
    for old in previous:
        old.aktif = False
        old.save(update_fields=["aktif"])
        audit.record(old, "deactivate", {"aktif": [True, False]})
    if not versi.aktif:
        versi.aktif = True
        versi.save(update_fields=["aktif"])
        audit.record(versi, "activate", {"aktif": [False, True]})
    events.publish("arsip.klasifikasi_versi_aktif", {"versi_id": versi.pk})
    return versi


def _clean_code_fields(klasifikasi: Klasifikasi) -> None:
    errors = {}
    if not KODE_PATTERN.match(klasifikasi.kode or ""):
        errors["kode"] = _("A code is three digits followed by dot-separated numbers, e.g. 000.1.2.")
    parent = klasifikasi.parent
    if parent is not None:
        if parent.versi_id != klasifikasi.versi_id:
            errors["parent"] = _("The parent belongs to another edition.")
        elif not (klasifikasi.kode or "").startswith(parent.kode + "."):
            errors["kode"] = _("The code must start with its parent's code %(p)s.") % {"p": parent.kode + "."}
    for name in ("retensi_aktif", "retensi_inaktif"):
        value = getattr(klasifikasi, name)
        if value is not None and value > MAX_RETENTION_YEARS:
            errors[name] = _("At most %(n)d years.") % {"n": MAX_RETENTION_YEARS}
    if errors:
        raise ValidationError(errors)


def _save_code(klasifikasi: Klasifikasi, action: str, before: dict | None) -> Klasifikasi:
    _clean_code_fields(klasifikasi)
    klasifikasi.depth = klasifikasi.parent.depth + 1 if klasifikasi.parent else 0
    klasifikasi.full_clean(validate_unique=True)
    klasifikasi.save()
    changes = audit.diff(before, audit.snapshot(klasifikasi))
    if before is None or changes:
        audit.record(klasifikasi, action, changes)
    return klasifikasi


@transaction.atomic
def create_klasifikasi(versi: KlasifikasiVersi, data: dict) -> Klasifikasi:
    """A new code under `data["parent"]` (or at the top). Values the admin types are the city's own."""
    klasifikasi = Klasifikasi(versi=versi, kode=(data.get("kode") or "").strip(), parent=data.get("parent"))
    for name in EDITABLE_FIELDS:
        if name in data and data[name] is not None:
            setattr(klasifikasi, name, data[name])
    if not data.get("keyakinan"):
        klasifikasi.keyakinan = Keyakinan.LOCAL
    if any(getattr(klasifikasi, f) not in (None, "") for f in JRA_FIELDS) and not data.get("jra_keyakinan"):
        klasifikasi.jra_keyakinan = Keyakinan.LOCAL
    if klasifikasi.parent is not None and not klasifikasi.parent.aktif:
        raise ValidationError({"parent": _("The parent code is retired.")})
    return _save_code(klasifikasi, "create", None)


@transaction.atomic
def update_klasifikasi(klasifikasi: Klasifikasi, data: dict) -> Klasifikasi:
    """Change name, JRA, access class or notes. A JRA edited without a new confidence becomes 'set by the city'."""
    klasifikasi = Klasifikasi.objects.select_for_update().get(pk=klasifikasi.pk)
    before = audit.snapshot(klasifikasi)
    for name in EDITABLE_FIELDS:
        if name in data:
            value = data[name]
            setattr(
                klasifikasi, name, "" if value is None and name not in ("retensi_aktif", "retensi_inaktif") else value
            )
    jra_changed = any(before[f] != getattr(klasifikasi, f) for f in JRA_FIELDS)
    if jra_changed and klasifikasi.jra_keyakinan == before["jra_keyakinan"]:
        klasifikasi.jra_keyakinan = Keyakinan.LOCAL
    return _save_code(klasifikasi, "update", before)


@transaction.atomic
def retire_klasifikasi(klasifikasi: Klasifikasi) -> Klasifikasi:
    """Stop offering a code. It stays for the naskah and berkas that already use it."""
    klasifikasi = Klasifikasi.objects.select_for_update().get(pk=klasifikasi.pk)
    if klasifikasi.children.filter(aktif=True).exists():
        raise ValidationError(_("Retire the codes under %(kode)s first.") % {"kode": klasifikasi.kode})
    if klasifikasi.aktif:
        klasifikasi.aktif = False
        klasifikasi.save(update_fields=["aktif"])
        audit.record(klasifikasi, "retire", {"aktif": [True, False]})
    return klasifikasi


def _ensure_code(versi, kode: str, known: dict[str, Klasifikasi]) -> Klasifikasi:
    """The code `kode` of this edition; a missing one is created as an unconfirmed placeholder (with its
    own missing ancestors), so that codes whose parent the data lacks still load in their place."""
    if kode in known:
        return known[kode]
    parent_kode = parent_kode_of(kode)
    placeholder = Klasifikasi(
        versi=versi,
        kode=kode,
        nama=PLACEHOLDER_NAME,
        parent=_ensure_code(versi, parent_kode, known) if parent_kode else None,
        keyakinan=Keyakinan.UNCONFIRMED,
        sumber=_("Created by the loader: a code below it names it as parent but it is not in the data."),
    )
    known[kode] = _save_code(placeholder, "create", None)
    return known[kode]


def upsert_code(versi: KlasifikasiVersi, row: dict, known: dict[str, Klasifikasi], update: bool = True) -> bool:
    """Create or (if `update`) update one code from a cleaned row; True if created. Call inside a transaction.

    `row` has kode, nama, parent_kode and any of the editable fields; `known` maps kode -> Klasifikasi
    of this edition and is kept up to date (placeholders for missing parents are added to it)."""
    parent_kode = row.get("parent_kode") or parent_kode_of(row["kode"])
    parent = _ensure_code(versi, parent_kode, known) if parent_kode else None
    existing = known.get(row["kode"])
    values = {name: row[name] for name in EDITABLE_FIELDS if name in row}
    if existing is None:
        code = Klasifikasi(versi=versi, kode=row["kode"], parent=parent, **values)
        known[row["kode"]] = _save_code(code, "create", None)
        return True
    if update or existing.nama == PLACEHOLDER_NAME:
        before = audit.snapshot(existing)
        for name, value in values.items():
            setattr(existing, name, value)
        existing.parent = parent
        _save_code(existing, "update", before)
    return False


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def reference_rows() -> list[dict]:
    """The shipped reference codes as cleaned rows (parents before children)."""
    rows = []
    for raw in _read_csv(REFERENCE_CSV):
        rows.append(
            {
                "kode": raw["code"].strip(),
                "nama": raw["name"].strip(),
                "parent_kode": raw["parent_code"].strip(),
                "keyakinan": raw.get("confidence", "").strip() or Keyakinan.UNCONFIRMED,
                "sumber": raw.get("source", "").strip()[:500],
                "referensi": raw.get("report_ref", "").strip()[:100],
                "catatan": raw.get("note", "").strip(),
            }
        )
    return sorted(rows, key=lambda r: kode_sort_key(r["kode"]))


def jra_defaults() -> list[dict]:
    """Default JRA/SKKAAD per code prefix (all unconfirmed), longest prefix first."""
    rows = _read_csv(JRA_DEFAULTS_CSV)
    return sorted(rows, key=lambda r: -len(r["prefix"]))


def default_jra_for(kode: str, defaults: list[dict] | None = None) -> dict | None:
    for row in defaults if defaults is not None else jra_defaults():
        prefix = row["prefix"]
        if kode == prefix or kode.startswith(prefix + "."):
            return row
    return None


def apply_jra_defaults(versi: KlasifikasiVersi) -> int:
    """Fill the JRA of codes that have none from data/jra_bawaan.csv; never overwrites a value. Returns the count."""
    defaults, filled = jra_defaults(), 0
    empty = Q(retensi_aktif__isnull=True, retensi_inaktif__isnull=True, nasib_akhir="")
    for code in Klasifikasi.objects.filter(versi=versi).filter(empty):
        row = default_jra_for(code.kode, defaults)
        if row is None:
            continue
        code.retensi_aktif, code.retensi_inaktif = int(row["retensi_aktif"]), int(row["retensi_inaktif"])
        code.nasib_akhir, code.skkaad = row["nasib_akhir"], row["skkaad"] or code.skkaad
        code.jra_keyakinan, code.jra_sumber = row["confidence"], row["source"][:500]
        code.keterangan = row["note"][:255]
        code.save(update_fields=[*JRA_FIELDS, "skkaad", "jra_keyakinan", "jra_sumber", "keterangan"])
        filled += 1
    return filled


@transaction.atomic
def load_reference(update: bool = False) -> dict:
    """Load the shipped classification and default JRA. Idempotent: a second run changes nothing.

    update=True also refreshes names/sources of existing codes from the file (never the JRA)."""
    versi, created = KlasifikasiVersi.objects.get_or_create(
        nama=REFERENCE_EDITION,
        defaults={
            "dasar_hukum": "Permendagri 83/2022",
            "berlaku_mulai": dt.date(2022, 12, 1),
            "catatan": _("Codes collected from secondary sources; check against the Lampiran."),
        },
    )
    if created:
        audit.record(versi, "create", audit.diff(None, audit.snapshot(versi)))
    known = {code.kode: code for code in versi.kode.all()}
    before_count = len(known)
    for row in reference_rows():
        upsert_code(versi, row, known, update=update)
    filled = apply_jra_defaults(versi)
    result = {"versi": versi.pk, "codes": len(known), "created": len(known) - before_count, "jra_defaults": filled}
    if result["created"] or filled:
        audit.record(versi, "load_reference", {"created": [0, result["created"]], "jra_defaults": [0, filled]})
    if current_versi() is None:
        activate_versi(versi)
    return result


# -- berkas ----------------------------------------------------------------------------------


def _next_nomor(unit, tahun: int) -> int:
    """The next berkas number of a unit and year. The counter row is locked (PostgreSQL) while taken."""
    counter, _created = UrutanBerkas.objects.get_or_create(unit=unit, tahun=tahun)
    counter = UrutanBerkas.objects.select_for_update().get(pk=counter.pk)
    counter.terakhir += 1
    counter.save(update_fields=["terakhir"])
    return counter.terakhir


def _new_berkas(unit, klasifikasi, tahun: int, uraian: str, user=None, **extra) -> Berkas:
    berkas = Berkas(unit=unit, klasifikasi=klasifikasi, tahun=tahun, uraian=uraian[:500], **extra)
    berkas.dibuat_oleh = user if user is not None and getattr(user, "is_authenticated", False) else None
    berkas.nomor = _next_nomor(unit, tahun)
    berkas.full_clean()
    berkas.save()
    audit.record(berkas, "create", audit.diff(None, audit.snapshot(berkas)))
    return berkas


@transaction.atomic
def create_berkas(user, data: dict) -> Berkas:
    klasifikasi = data["klasifikasi"]
    if not klasifikasi.aktif:
        raise ValidationError({"klasifikasi": _("This classification code is retired.")})
    if not (data.get("uraian") or "").strip():
        raise ValidationError({"uraian": _("Describe the activity of the file.")})
    extra = {k: data[k] for k in ("lokasi", "kurun_mulai", "kurun_selesai") if data.get(k) not in (None, "")}
    tahun = data.get("tahun") or today().year
    return _new_berkas(data["unit"], klasifikasi, tahun, data["uraian"].strip(), user, **extra)


@transaction.atomic
def update_berkas(berkas: Berkas, data: dict) -> Berkas:
    """Description, location and period may change; the classification only while the berkas is open."""
    berkas = Berkas.objects.select_for_update().get(pk=berkas.pk)
    before = audit.snapshot(berkas)
    for name in ("uraian", "lokasi", "kurun_mulai", "kurun_selesai"):
        if name in data:
            setattr(berkas, name, data[name] if data[name] is not None or name.startswith("kurun") else "")
    if "klasifikasi" in data and data["klasifikasi"].pk != berkas.klasifikasi_id:
        if berkas.status != Berkas.Status.TERBUKA:
            raise ValidationError({"klasifikasi": _("The classification of a closed file cannot change.")})
        berkas.klasifikasi = data["klasifikasi"]
    berkas.full_clean()
    berkas.save()
    changes = audit.diff(before, audit.snapshot(berkas))
    if changes:
        audit.record(berkas, "update", changes)
    return berkas


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def retention_dates(klasifikasi: Klasifikasi, closed_on: dt.date) -> tuple[dt.date, dt.date]:
    aktif_sampai = add_years(closed_on, klasifikasi.retensi_aktif)
    return aktif_sampai, add_years(aktif_sampai, klasifikasi.retensi_inaktif)


@transaction.atomic
def close_berkas(berkas: Berkas, on: dt.date | None = None) -> Berkas:
    """Close an open berkas: its retention clock starts on the close date (see the module docstring)."""
    berkas = Berkas.objects.select_for_update().select_related("klasifikasi").get(pk=berkas.pk)
    if berkas.status != Berkas.Status.TERBUKA:
        raise ValidationError(_("Only an open file can be closed."))
    pending = berkas.isi.filter(status=IsiBerkas.Status.USULAN).count()
    if pending:
        raise ValidationError(_("Confirm or reject the %(n)d proposed items first.") % {"n": pending})
    if not berkas.klasifikasi.jra_lengkap:
        raise ValidationError(
            _("The classification %(kode)s has no complete retention schedule (JRA).")
            % {"kode": berkas.klasifikasi.kode}
        )
    before = audit.snapshot(berkas)
    berkas.ditutup = on or today()
    berkas.aktif_sampai, berkas.inaktif_sampai = retention_dates(berkas.klasifikasi, berkas.ditutup)
    dates = [
        d
        for d in berkas.isi.filter(status=IsiBerkas.Status.DIKONFIRMASI).values_list("naskah__tanggal", flat=True)
        if d
    ]
    berkas.kurun_mulai = berkas.kurun_mulai or (min(dates) if dates else None)
    berkas.kurun_selesai = berkas.kurun_selesai or (max(dates) if dates else berkas.ditutup)
    berkas.status = Berkas.Status.AKTIF
    berkas.save()
    audit.record(berkas, "close", audit.diff(before, audit.snapshot(berkas)))
    events.publish("arsip.berkas_ditutup", {"berkas_id": berkas.pk})
    return berkas


# -- proposals -------------------------------------------------------------------------------


@transaction.atomic
def propose_for(naskah, unit) -> IsiBerkas:
    """Propose the berkas of `unit` for `naskah` (status "usulan"); called by naskah services in their transaction.

    Idempotent per (naskah, unit): an existing item of that unit (proposed, confirmed or rejected) is
    returned as it is. Otherwise the open berkas of the unit with the naskah's classification and year is
    used (the one whose uraian equals isi["kegiatan"] if any, else the most recent), or a new one opened."""
    existing = IsiBerkas.objects.filter(naskah=naskah, berkas__unit=unit).select_related("berkas").order_by("-pk")
    if existing.exists():
        return existing.first()
    tahun = (naskah.tanggal or today()).year
    hint = str((naskah.isi or {}).get("kegiatan") or "").strip()
    candidates = Berkas.objects.filter(
        unit=unit, klasifikasi_id=naskah.klasifikasi_id, tahun=tahun, status=Berkas.Status.TERBUKA
    ).order_by("-nomor")
    berkas = (candidates.filter(uraian__iexact=hint).first() if hint else None) or candidates.first()
    if berkas is None:
        berkas = _new_berkas(unit, naskah.klasifikasi, tahun, hint or naskah.klasifikasi.nama)
    item = IsiBerkas.objects.create(berkas=berkas, naskah=naskah)
    audit.record(item, "propose", {"berkas_id": [None, berkas.pk], "naskah_id": [None, naskah.pk]})
    return item


def _decide(user, item: IsiBerkas, status: str, action: str) -> IsiBerkas:
    if item.status != IsiBerkas.Status.USULAN:
        raise ValidationError(_("%(item)s was already decided.") % {"item": item.naskah})
    if item.berkas.status != Berkas.Status.TERBUKA:
        raise ValidationError(_("The file %(b)s is closed.") % {"b": item.berkas.label})
    item.status, item.diputuskan, item.diputuskan_oleh = status, timezone.now(), _user_or_none(user)
    item.save(update_fields=["status", "diputuskan", "diputuskan_oleh"])
    audit.record(item, action, {"status": [IsiBerkas.Status.USULAN, status]})
    return item


def _user_or_none(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _locked_items(items) -> list[IsiBerkas]:
    ids = [item.pk if isinstance(item, IsiBerkas) else int(item) for item in items]
    return list(IsiBerkas.objects.select_for_update().select_related("berkas", "naskah").filter(pk__in=ids))


@transaction.atomic
def confirm_items(user, items) -> int:
    """Confirm proposed items (one or many): all or nothing."""
    locked = _locked_items(items)
    for item in locked:
        _decide(user, item, IsiBerkas.Status.DIKONFIRMASI, "confirm")
    return len(locked)


@transaction.atomic
def reject_items(user, items) -> int:
    locked = _locked_items(items)
    for item in locked:
        _decide(user, item, IsiBerkas.Status.DITOLAK, "reject")
    return len(locked)


@transaction.atomic
def move_item(user, item: IsiBerkas, target: Berkas) -> IsiBerkas:
    """Put an item into another open berkas of the same unit; moving confirms it."""
    item = _locked_items([item])[0]
    if target.pk == item.berkas_id:
        raise ValidationError({"berkas": _("The item is already in this file.")})
    if target.unit_id != item.berkas.unit_id:
        raise ValidationError({"berkas": _("The file belongs to another unit.")})
    if target.status != Berkas.Status.TERBUKA or item.berkas.status != Berkas.Status.TERBUKA:
        raise ValidationError({"berkas": _("Items move only between open files.")})
    if IsiBerkas.objects.filter(berkas=target, naskah_id=item.naskah_id).exists():
        raise ValidationError({"berkas": _("This naskah is already in that file.")})
    before = {"berkas_id": item.berkas_id, "status": item.status}
    item.berkas, item.status = target, IsiBerkas.Status.DIKONFIRMASI
    item.diputuskan, item.diputuskan_oleh = timezone.now(), _user_or_none(user)
    item.save(update_fields=["berkas", "status", "diputuskan", "diputuskan_oleh"])
    audit.record(item, "move", audit.diff(before, {"berkas_id": target.pk, "status": item.status}))
    return item


# -- retention clock ---------------------------------------------------------------------------

FINAL_STATUS = {
    NasibAkhir.MUSNAH: Berkas.Status.USUL_MUSNAH,
    NasibAkhir.PERMANEN: Berkas.Status.USUL_SERAH,
    NasibAkhir.DINILAI_KEMBALI: Berkas.Status.DINILAI_KEMBALI,
}
RETENTION_STATUSES = (
    Berkas.Status.AKTIF,
    Berkas.Status.INAKTIF,
    Berkas.Status.USUL_MUSNAH,
    Berkas.Status.USUL_SERAH,
    Berkas.Status.DINILAI_KEMBALI,
    Berkas.Status.MUSNAH,
    Berkas.Status.DISERAHKAN,
)


def _move_status(berkas: Berkas, status: str) -> None:
    old = berkas.status
    berkas.status = status
    berkas.save(update_fields=["status"])
    audit.record(berkas, "retention", {"status": [old, status]})


@transaction.atomic
def run_retention_clock(on: dt.date | None = None) -> dict:
    """Move closed berkas whose active / inactive period has passed. Idempotent: run it any number of times."""
    on = on or today()
    counts = {"inaktif": 0, "final": 0}
    for berkas in Berkas.objects.select_for_update().filter(status=Berkas.Status.AKTIF, aktif_sampai__lt=on):
        _move_status(berkas, Berkas.Status.INAKTIF)
        counts["inaktif"] += 1
    due = Berkas.objects.select_for_update().select_related("klasifikasi")
    for berkas in due.filter(status=Berkas.Status.INAKTIF, inaktif_sampai__lt=on):
        final = FINAL_STATUS.get(berkas.klasifikasi.nasib_akhir, Berkas.Status.DINILAI_KEMBALI)
        _move_status(berkas, final)
        counts["final"] += 1
    return counts


# -- destruction and transfer ----------------------------------------------------------------

BA_SOURCE_STATUS = {
    BeritaAcara.Jenis.PEMUSNAHAN: Berkas.Status.USUL_MUSNAH,
    BeritaAcara.Jenis.PENYERAHAN: Berkas.Status.USUL_SERAH,
}
BA_TARGET_STATUS = {
    BeritaAcara.Jenis.PEMUSNAHAN: Berkas.Status.MUSNAH,
    BeritaAcara.Jenis.PENYERAHAN: Berkas.Status.DISERAHKAN,
}


def _common_unit(berkas_list: list[Berkas]):
    """The deepest unit that contains every berkas's unit (the berita acara's unit)."""
    paths = [b.unit.path for b in berkas_list]
    common = paths[0]
    for path in paths[1:]:
        while not path.startswith(common):
            common = common[: common.rstrip(".").rfind(".") + 1]
    from terpadu.organisasi.models import UnitKerja

    unit = UnitKerja.objects.filter(path=common).first()
    return unit or berkas_list[0].unit


def naskah_held_elsewhere(berkas_list: list[Berkas]) -> list[tuple]:
    """(naskah, other berkas) pairs: a naskah of these berkas also filed in a berkas that is not being destroyed."""
    ids = [b.pk for b in berkas_list]
    naskah_ids = IsiBerkas.objects.filter(berkas_id__in=ids).exclude(status=IsiBerkas.Status.DITOLAK)
    others = (
        IsiBerkas.objects.filter(naskah_id__in=naskah_ids.values("naskah_id"))
        .exclude(berkas_id__in=ids)
        .exclude(status=IsiBerkas.Status.DITOLAK)
        .exclude(berkas__status=Berkas.Status.MUSNAH)
        .select_related("naskah", "berkas__klasifikasi")
    )
    return [(item.naskah, item.berkas) for item in others]


def _check_disposal(jenis: str, berkas_list: list[Berkas], data: dict) -> None:
    errors = {}
    if jenis not in BA_SOURCE_STATUS:
        errors["jenis"] = _("Unknown kind of berita acara.")
    elif not berkas_list:
        errors["berkas"] = _("Choose at least one file.")
    else:
        wrong = [b.label for b in berkas_list if b.status != BA_SOURCE_STATUS[jenis]]
        if wrong:
            errors["berkas"] = _("Not on the proposal list: %(files)s.") % {"files": "; ".join(wrong)}
        elif jenis == BeritaAcara.Jenis.PEMUSNAHAN:
            held = naskah_held_elsewhere(berkas_list)
            if held:
                names = "; ".join(f"{n.nomor or n.hal} ({b.label})" for n, b in held[:5])
                errors["berkas"] = _("Some naskah are also filed in files that are not being destroyed: %(n)s.") % {
                    "n": names
                }
    if not (data.get("nomor") or "").strip():
        errors["nomor"] = _("The berita acara needs its number.")
    if not data.get("tanggal"):
        errors["tanggal"] = _("The berita acara needs its date.")
    elif data["tanggal"] > today():
        errors["tanggal"] = _("The date cannot be in the future.")
    if data.get("dokumen") is None:
        errors["dokumen"] = _("Upload the signed berita acara (PDF).")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_disposal(user, jenis: str, berkas_ids, data: dict) -> BeritaAcara:
    """Record a berita acara (pemusnahan or penyerahan) for berkas on the matching proposal list and apply it.

    data: nomor, tanggal, dasar, dokumen (an uploaded file: stored as a checked PDF). For pemusnahan the
    content of every naskah of the berkas is destroyed through naskah.pemusnahan.destroy_content; the
    metadata, the berita acara and the audit trail stay. All or nothing."""
    berkas_list = list(
        Berkas.objects.select_for_update().select_related("unit", "klasifikasi").filter(pk__in=list(berkas_ids))
    )
    _check_disposal(jenis, berkas_list, data)
    try:
        stored = files.store(data["dokumen"], {"pdf"}, user)
    except files.UploadRejected as exc:
        raise ValidationError({"dokumen": str(exc)}) from exc
    berita_acara = BeritaAcara.objects.create(
        jenis=jenis,
        nomor=data["nomor"].strip(),
        tanggal=data["tanggal"],
        dasar=data.get("dasar", ""),
        unit=_common_unit(berkas_list),
        dokumen=stored,
        dibuat_oleh=_user_or_none(user),
    )
    berita_acara.berkas.set(berkas_list)
    audit.record(
        berita_acara,
        "create",
        {
            **audit.diff(None, audit.snapshot(berita_acara)),
            "berkas": [None, [b.pk for b in berkas_list]],
            "dokumen_sha256": [None, stored.sha256],
        },
    )
    for berkas in berkas_list:
        _move_status(berkas, BA_TARGET_STATUS[jenis])
        if jenis == BeritaAcara.Jenis.PEMUSNAHAN:
            _destroy_berkas_content(berkas, berita_acara)
    events.publish("arsip.berita_acara", {"berita_acara_id": berita_acara.pk, "jenis": jenis})
    return berita_acara


def _destroy_berkas_content(berkas: Berkas, berita_acara: BeritaAcara) -> None:
    from terpadu.naskah.pemusnahan import destroy_content

    items = berkas.isi.exclude(status=IsiBerkas.Status.DITOLAK).select_related("naskah")
    for item in items:
        destroy_content(item.naskah, berita_acara)
