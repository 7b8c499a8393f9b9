"""Application catalogue (katalog): national applications from reference data, the city's applications with
their data, integrations and lifecycle, the computed flags and the overlap check used before a proposal.

Writes go through the functions below: they validate, write in one transaction, record the audit trail (data
and integration changes are recorded on the application, so its history shows them) and publish events.
The read helpers (flags, overlaps, summaries) change nothing.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.lookups import IsNull
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terpadu.core import audit, authz, events
from terpadu.perencanaan.models import Keyakinan
from terpadu.spbe.models import Aplikasi, AplikasiNasional, DataAplikasi, Domain, ElemenArsitektur, IntegrasiAplikasi

DATA_DIR = Path(__file__).resolve().parent / "data"
NATIONAL_CSV = DATA_DIR / "aplikasi_nasional.csv"
SYNONYMS_CSV = DATA_DIR / "sinonim_bidang.csv"
RULES_CSV = DATA_DIR / "aturan_katalog.csv"

STATUS_ORDER = [
    Aplikasi.Status.USULAN,
    Aplikasi.Status.PENGEMBANGAN,
    Aplikasi.Status.OPERASI,
    Aplikasi.Status.DIHENTIKAN,
]
# The date a status sets when an application enters it.
STATUS_DATE = {
    Aplikasi.Status.USULAN: "tanggal_usulan",
    Aplikasi.Status.OPERASI: "tanggal_operasi",
    Aplikasi.Status.DIHENTIKAN: "tanggal_dihentikan",
}
EDITABLE_FIELDS = [
    "nama", "singkatan", "jenis", "aplikasi_nasional", "unit", "fungsi_bisnis", "bidang", "pengguna", "hosting",
    "teknologi", "url", "status", "tanggal_usulan", "tanggal_operasi", "tanggal_dihentikan",
    "audit_keamanan_terakhir", "time", "publik",
]  # fmt: skip
TRUE_WORDS = {"1", "ya", "yes", "true", "y", "benar"}


# --- reference data ------------------------------------------------------------------------------------------


class FixedQuery:
    """The rows of a query that is the same on every call (no argument: no user, no date, no filter from the
    request), such as the reference rows every catalogue list reads: compiled to SQL once per process and
    database, then run on a cursor. Building and compiling a Django query cost these small ones more than running
    them. Plain columns only: the rows are what the cursor returns (no from_db_value converters)."""

    def __init__(self, build: Callable[[], QuerySet]):
        self._build = build
        self._compiled: dict[str, tuple[str, tuple]] = {}

    def rows(self, using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._build().query.get_compiler(using).as_sql()
        with connections[using].cursor() as cursor:
            cursor.execute(*compiled)
            return cursor.fetchall()


def _read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Aturan:
    """A period rule of the catalogue (data/aturan_katalog.csv)."""

    kode: str
    bulan: int
    keyakinan: str
    sumber: str


@lru_cache(maxsize=1)
def aturan() -> dict[str, Aturan]:
    return {
        row["kode"]: Aturan(row["kode"], int(row["bulan"]), row["keyakinan"], row["sumber"])
        for row in _read_csv(RULES_CSV)
    }


def audit_period(aplikasi) -> Aturan:
    return aturan()["audit_umum" if aplikasi.jenis == Aplikasi.Jenis.UMUM else "audit_khusus"]


def normalise(text: str) -> str:
    """Lower case, punctuation to spaces, single spaces (so 'e-Office' and 'e office' match)."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", (text or "").lower()).split())


@lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, ...]]:
    """normalised bidang -> normalised synonym phrases (data/sinonim_bidang.csv)."""
    result: dict[str, tuple[str, ...]] = {}
    for row in _read_csv(SYNONYMS_CSV):
        phrases = tuple(p for p in (normalise(s) for s in row["sinonim"].split(";")) if p)
        result[normalise(row["bidang"])] = tuple(sorted(set(phrases) | {normalise(row["bidang"])}))
    return result


def known_bidang() -> list[str]:
    """The bidang vocabulary offered in forms: national applications' bidang, the synonym file, the city's own."""
    values = {b for b in AplikasiNasional.objects.exclude(bidang="").values_list("bidang", flat=True)}
    values |= {row["bidang"] for row in _read_csv(SYNONYMS_CSV)}
    values |= set(Aplikasi.objects.exclude(bidang="").values_list("bidang", flat=True).distinct())
    seen, result = set(), []
    for value in sorted(values, key=str.lower):
        if normalise(value) not in seen:
            seen.add(normalise(value))
            result.append(value)
    return result


@lru_cache(maxsize=1)
def _padded_synonyms() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """synonyms() with each (non-empty) phrase between spaces: a phrase occurs in a text when it does as whole
    words, i.e. ' phrase ' within ' text '."""
    return tuple((bidang, tuple(f" {p} " for p in phrases if p)) for bidang, phrases in synonyms().items())


def matching_bidang(*texts: str) -> set[str]:
    """The (normalised) bidang whose synonyms occur in the texts (name, business function …)."""
    haystack = f" {normalise(' '.join(texts))} "
    return {bidang for bidang, phrases in _padded_synonyms() if any(p in haystack for p in phrases)}


def _umum_of(row: dict) -> tuple[bool, str]:
    """The catalogue's decision for one national row: columns aplikasi_umum / keyakinan_umum when present,
    else the status text (aplikasi_umum → umum; 'decree not verified' → umum but unconfirmed)."""
    decided = (row.get("aplikasi_umum") or "").strip().lower()
    status = (row.get("status") or "").strip().lower()
    umum = decided in TRUE_WORDS if decided else status.startswith("aplikasi_umum")
    keyakinan = (row.get("keyakinan_umum") or row.get("confidence") or "").strip() or Keyakinan.UNCONFIRMED
    if not decided and "not verified" in status:
        keyakinan = Keyakinan.UNCONFIRMED
    if keyakinan not in Keyakinan.values:
        raise ValidationError(
            _("Unknown confidence %(value)s for the national application %(name)s.")
            % {"value": keyakinan, "name": row.get("name")}
        )
    return umum, keyakinan


def load_national_apps(path: Path | str | None = None) -> dict:
    """Create or update the national applications from the reference CSV (by name). Idempotent."""
    rows = _read_csv(Path(path) if path else NATIONAL_CSV)
    missing = [c for c in ("name", "bidang", "owner", "status", "decree", "source") if rows and c not in rows[0]]
    if not rows or missing:
        raise ValidationError(_("The national application file lacks columns: %(c)s") % {"c": ", ".join(missing)})
    created = updated = 0
    with transaction.atomic():
        for number, row in enumerate(rows, start=2):
            nama = (row.get("name") or "").strip()
            if not nama:
                raise ValidationError(_("Line %(n)s: the name is empty.") % {"n": number})
            umum, keyakinan = _umum_of(row)
            values = {
                "bidang": row["bidang"].strip(),
                "pemilik": row["owner"].strip()[:200],
                "status": row["status"].strip()[:200],
                "aplikasi_umum": umum,
                "keputusan": row["decree"].strip()[:200],
                "keyakinan": keyakinan,
                "sumber": " — ".join(x for x in (row["source"].strip(), row.get("keputusan_katalog", "").strip()) if x)[
                    :500
                ],
            }
            item = AplikasiNasional.objects.filter(nama=nama).first()
            if item is None:
                item = AplikasiNasional.objects.create(nama=nama, **values)
                audit.record(item, "create", audit.diff(None, audit.snapshot(item)))
                created += 1
                continue
            before = audit.snapshot(item)
            for key, value in values.items():
                setattr(item, key, value)
            changes = audit.diff(before, audit.snapshot(item))
            if changes:
                item.save()
                audit.record(item, "update", changes)
                updated += 1
    return {"created": created, "updated": updated, "total": len(rows)}


# --- permissions ---------------------------------------------------------------------------------------------


def may_edit(user, aplikasi) -> bool:
    """Diskominfo (spbe.manage) anywhere; an OPD (spbe.propose) its own entries."""
    return authz.can(user, "spbe.manage", aplikasi) or (
        aplikasi.unit_id is not None and authz.can(user, "spbe.propose", aplikasi)
    )


def may_create(user) -> bool:
    return authz.has_action(user, "spbe.manage") or authz.has_action(user, "spbe.propose")


def may_own(user, unit) -> bool:
    """May the user file an application under `unit` (None = without an owner: Diskominfo only)?"""
    if unit is None:
        return authz.scope(user, "spbe.manage").whole
    return authz.can(user, "spbe.manage", unit) or authz.can(user, "spbe.propose", unit)


def _check(user, aplikasi=None, unit=None, unit_changes: bool = True) -> None:
    if user is None:  # commands, imports run by the system, demo
        return
    if aplikasi is not None and not may_edit(user, aplikasi):
        raise PermissionDenied(_("You may not change this application."))
    if unit_changes and not may_own(user, unit):
        raise ValidationError({"unit": [_("You may not register applications for this OPD.")]})


# --- validation ----------------------------------------------------------------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def validate(values: dict, instance: Aplikasi | None = None) -> dict[str, list[str]]:
    """Errors by field for the application as it would be after applying `values` (nothing is written)."""
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str):
        errors.setdefault(field, []).append(message)

    def get(name):
        if name in values:
            return values[name]
        return getattr(instance, name) if instance is not None else None

    if not (get("nama") or "").strip():
        err("nama", _("The name is required."))
    if not (get("fungsi_bisnis") or "").strip():
        err("fungsi_bisnis", _("Describe the business function."))
    jenis = get("jenis")
    if jenis not in Aplikasi.Jenis.values:
        err("jenis", _("Choose aplikasi umum or aplikasi khusus."))
    nasional = get("aplikasi_nasional")
    if jenis == Aplikasi.Jenis.UMUM and nasional is None:
        err("aplikasi_nasional", _("An aplikasi umum in use must name the national application it is."))
    if jenis == Aplikasi.Jenis.KHUSUS and nasional is not None:
        err("aplikasi_nasional", _("An aplikasi khusus is the city's own: it is not a national application."))
    for field, choices in (("hosting", Aplikasi.Hosting), ("time", Aplikasi.Time)):
        if (get(field) or "") and get(field) not in choices.values:
            err(field, _("Unknown value %(v)s.") % {"v": get(field)})
    status = get("status") or Aplikasi.Status.USULAN
    if status not in Aplikasi.Status.values:
        err("status", _("Unknown lifecycle status %(v)s.") % {"v": status})
    usulan, operasi, berhenti = get("tanggal_usulan"), get("tanggal_operasi"), get("tanggal_dihentikan")
    if operasi and usulan and operasi < usulan:
        err("tanggal_operasi", _("The date it went live cannot be before the date it was proposed."))
    if berhenti and operasi and berhenti < operasi:
        err("tanggal_dihentikan", _("The date it was stopped cannot be before the date it went live."))
    if berhenti and usulan and berhenti < usulan:
        err("tanggal_dihentikan", _("The date it was stopped cannot be before the date it was proposed."))
    if status == Aplikasi.Status.OPERASI and not operasi:
        err("tanggal_operasi", _("An application in operation needs the date it went live."))
    if status == Aplikasi.Status.DIHENTIKAN and not berhenti:
        err("tanggal_dihentikan", _("A stopped application needs the date it was stopped."))
    if status in (Aplikasi.Status.USULAN, Aplikasi.Status.PENGEMBANGAN) and (operasi or berhenti):
        err("status", _("An application that is not yet live cannot have a go-live or stop date."))
    if status == Aplikasi.Status.OPERASI and berhenti:
        err("tanggal_dihentikan", _("An application in operation cannot have a stop date."))
    today = timezone.localdate()
    for field in ("tanggal_operasi", "tanggal_dihentikan", "audit_keamanan_terakhir"):
        if get(field) and get(field) > today:
            err(field, _("This date is in the future."))
    url = get("url") or ""
    if url and not re.match(r"^https?://", url):
        err("url", _("The URL must start with http:// or https://."))
    return errors


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _clean(values: dict) -> dict:
    cleaned = {k: v for k, v in values.items() if k in EDITABLE_FIELDS}
    for key in ("nama", "singkatan", "fungsi_bisnis", "bidang", "pengguna", "teknologi", "url"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    for key in ("hosting", "time"):
        if key in cleaned:
            cleaned[key] = cleaned[key] or ""
    return cleaned


def _set_layanan(aplikasi: Aplikasi, layanan) -> dict:
    wanted = list(layanan)
    wrong = [e for e in wanted if e.domain != Domain.LAYANAN]
    if wrong:
        raise ValidationError({"layanan": [_("%(e)s is not a layanan element of the architecture.") % {"e": wrong[0]}]})
    retired = [e for e in wanted if e.status == ElemenArsitektur.Status.DIHENTIKAN]
    if retired:
        raise ValidationError({"layanan": [_("%(e)s is a retired layanan element.") % {"e": retired[0]}]})
    before = sorted(aplikasi.layanan.values_list("pk", flat=True)) if aplikasi.pk else []
    aplikasi.layanan.set(wanted)
    after = sorted(e.pk for e in wanted)
    return {"layanan": [before, after]} if before != after else {}


# --- applications --------------------------------------------------------------------------------------------


def create_aplikasi(user, values: dict, layanan=None) -> Aplikasi:
    cleaned = _clean(values)
    cleaned.setdefault("status", Aplikasi.Status.USULAN)
    date_field = STATUS_DATE.get(cleaned["status"])
    if date_field and not cleaned.get(date_field) and cleaned["status"] == Aplikasi.Status.USULAN:
        cleaned[date_field] = timezone.localdate()  # a new proposal is dated today unless told otherwise
    _raise(validate(cleaned))
    _check(user, unit=cleaned.get("unit"))
    with transaction.atomic():
        aplikasi = Aplikasi.objects.create(**cleaned)
        changes = audit.diff(None, audit.snapshot(aplikasi))
        if layanan is not None:
            changes.update(_set_layanan(aplikasi, layanan))
        audit.record(aplikasi, "create", changes)
        events.publish("spbe.aplikasi_dibuat", {"aplikasi_id": aplikasi.pk})
    return aplikasi


def update_aplikasi(user, aplikasi: Aplikasi, values: dict, layanan=None, alasan: str = "") -> Aplikasi:
    """Change fields (and the layanan, when given). A status change follows the lifecycle rules of
    change_status: its date is set when missing, and going back needs `alasan`."""
    aplikasi = Aplikasi.objects.select_related("unit").get(pk=aplikasi.pk)  # the stored state, not a form's copy
    cleaned = _clean(values)
    new_status = cleaned.get("status", aplikasi.status)
    if new_status != aplikasi.status:
        cleaned.update(_status_dates(aplikasi, new_status, cleaned, alasan))
    errors = validate(cleaned, aplikasi)
    _raise(errors)
    unit_changes = "unit" in cleaned and cleaned["unit"] != aplikasi.unit
    _check(user, aplikasi, cleaned.get("unit", aplikasi.unit), unit_changes=unit_changes)
    with transaction.atomic():
        locked = Aplikasi.objects.select_for_update().get(pk=aplikasi.pk)
        before = audit.snapshot(locked)
        for key, value in cleaned.items():
            setattr(locked, key, value)
        locked.save()
        changes = audit.diff(before, audit.snapshot(locked))
        if layanan is not None:
            changes.update(_set_layanan(locked, layanan))
        if alasan and new_status != before.get("status"):
            changes["alasan"] = [None, alasan]
        if changes:
            audit.record(locked, "update", changes)
            events.publish("spbe.aplikasi_diubah", {"aplikasi_id": locked.pk})
    return locked


def _status_dates(aplikasi: Aplikasi, status: str, given: dict, alasan: str) -> dict:
    """Dates implied by moving `aplikasi` to `status`: its own date (given or today); going back clears the
    dates of the later stages and needs a reason."""
    if status not in Aplikasi.Status.values:
        raise ValidationError({"status": [_("Unknown lifecycle status %(v)s.") % {"v": status}]})
    result = {}
    old, new = STATUS_ORDER.index(aplikasi.status), STATUS_ORDER.index(status)
    if new < old:
        if not (alasan or "").strip():
            raise ValidationError(
                {"alasan": [_("Going back from %(a)s to %(b)s needs a reason.") % {
                    "a": aplikasi.get_status_display(), "b": Aplikasi.Status(status).label}]}
            )  # fmt: skip
        for later in STATUS_ORDER[new + 1 :]:
            if later in STATUS_DATE:
                result[STATUS_DATE[later]] = None
    field = STATUS_DATE.get(status)
    if field:
        result[field] = given.get(field) or (getattr(aplikasi, field) if new < old else None) or timezone.localdate()
    return result


def change_status(user, aplikasi: Aplikasi, status: str, tanggal: dt.date | None = None, alasan: str = ""):
    """Move along the lifecycle usulan → pengembangan → operasi → dihentikan. The new status sets its date
    (`tanggal`, default today); going back needs a reason (recorded in the audit trail)."""
    field = STATUS_DATE.get(status)
    values = {"status": status}
    if field and tanggal:
        values[field] = tanggal
    return update_aplikasi(user, aplikasi, values, alasan=alasan)


def delete_aplikasi(user, aplikasi: Aplikasi) -> None:
    """Only an entry nothing refers to (no spending line, no proposal): otherwise stop it instead."""
    _check(user, aplikasi, aplikasi.unit, unit_changes=False)
    if aplikasi.belanja.exists() or aplikasi.usulan.exists():
        raise ValidationError(
            _("%(a)s has spending lines or proposals linked to it: set it to stopped instead of deleting it.")
            % {"a": aplikasi}
        )
    with transaction.atomic():
        snapshot = audit.snapshot(aplikasi)
        pk, text = aplikasi.pk, str(aplikasi)
        audit.record(aplikasi, "delete", {k: [v, None] for k, v in snapshot.items()})
        aplikasi.delete()
        events.publish("spbe.aplikasi_dihapus", {"aplikasi_id": pk, "nama": text})


def add_data(user, aplikasi: Aplikasi, nama: str, klasifikasi: str, elemen=None) -> DataAplikasi:
    _check(user, aplikasi, aplikasi.unit, unit_changes=False)
    nama = (nama or "").strip()
    errors = {}
    if not nama:
        errors["nama"] = [_("Name the data.")]
    if klasifikasi not in DataAplikasi.Klasifikasi.values:
        errors["klasifikasi"] = [_("Choose a classification.")]
    if elemen is not None and elemen.domain != Domain.DATA:
        errors["elemen"] = [_("%(e)s is not a data element of the architecture.") % {"e": elemen}]
    if not errors and aplikasi.data.filter(nama__iexact=nama).exists():
        errors["nama"] = [_("%(a)s already lists the data %(d)s.") % {"a": aplikasi, "d": nama}]
    _raise(errors)
    with transaction.atomic():
        item = DataAplikasi.objects.create(aplikasi=aplikasi, nama=nama, klasifikasi=klasifikasi, elemen=elemen)
        audit.record(aplikasi, "data_ditambah", {"data": [None, f"{nama} ({klasifikasi})"]})
    return item


def remove_data(user, item: DataAplikasi) -> None:
    aplikasi = item.aplikasi
    _check(user, aplikasi, aplikasi.unit, unit_changes=False)
    with transaction.atomic():
        audit.record(aplikasi, "data_dihapus", {"data": [f"{item.nama} ({item.klasifikasi})", None]})
        item.delete()


def add_integrasi(user, dari: Aplikasi, ke: Aplikasi, metode: str, keterangan: str = "") -> IntegrasiAplikasi:
    """An integration is kept by the application it goes out from (its owner or Diskominfo records it)."""
    _check(user, dari, dari.unit, unit_changes=False)
    errors = {}
    if ke is None:
        errors["ke"] = [_("Choose the application it integrates with.")]
    elif ke.pk == dari.pk:
        errors["ke"] = [_("An application cannot integrate with itself.")]
    if metode not in IntegrasiAplikasi.Metode.values:
        errors["metode"] = [_("Choose the integration method.")]
    if not errors and IntegrasiAplikasi.objects.filter(dari=dari, ke=ke, metode=metode).exists():
        errors["ke"] = [_("This integration is already recorded.")]
    _raise(errors)
    with transaction.atomic():
        item = IntegrasiAplikasi.objects.create(dari=dari, ke=ke, metode=metode, keterangan=(keterangan or "")[:300])
        audit.record(dari, "integrasi_ditambah", {"integrasi": [None, f"→ {ke} ({metode})"]})
    return item


def remove_integrasi(user, item: IntegrasiAplikasi) -> None:
    _check(user, item.dari, item.dari.unit, unit_changes=False)
    with transaction.atomic():
        audit.record(item.dari, "integrasi_dihapus", {"integrasi": [f"→ {item.ke} ({item.metode})", None]})
        item.delete()


# --- flags ---------------------------------------------------------------------------------------------------


class Severity:
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class Flag:
    code: str
    message: str
    severity: str
    unconfirmed: bool = False  # the rule behind it rests on unconfirmed reference data


FLAG_CODES = {
    "duplikasi_umum": gettext_lazy("Duplicates an aplikasi umum"),
    "tanpa_pemilik": gettext_lazy("No owner OPD"),
    "tanpa_layanan": gettext_lazy("Serves no layanan"),
    "umur_pendek": gettext_lazy("Stopped within two years of going live"),
    "audit_kedaluwarsa": gettext_lazy("No security audit within its period"),
    "time_eliminate": gettext_lazy("In operation although classified Eliminate"),
}


def flag_labels() -> dict[str, str]:
    return {code: str(label) for code, label in FLAG_CODES.items()}


class _Umum(NamedTuple):
    """A national aplikasi umum as the duplicate rule reads it."""

    pk: int
    nama: str
    keyakinan: str


@dataclass
class _Context:
    today: dt.date
    umum_by_bidang: dict[str, list[_Umum]]


_UMUM = FixedQuery(
    lambda: (
        AplikasiNasional.objects.filter(aplikasi_umum=True)
        .exclude(bidang="")
        .values_list("pk", "nama", "keyakinan", "bidang")
    )
)


def _context(today: dt.date | None = None) -> _Context:
    by_bidang: dict[str, list[_Umum]] = {}
    for pk, nama, keyakinan, bidang in _UMUM.rows():
        by_bidang.setdefault(normalise(bidang), []).append(_Umum(pk, nama, keyakinan))
    return _Context(today or timezone.localdate(), by_bidang)


def flags(aplikasi: Aplikasi, today: dt.date | None = None, context: _Context | None = None) -> list[Flag]:
    """What Diskominfo should look at for one application (computed, never stored)."""
    ctx = context or _context(today)
    result: list[Flag] = []
    live = aplikasi.status != Aplikasi.Status.DIHENTIKAN
    if aplikasi.jenis == Aplikasi.Jenis.KHUSUS and live:
        duplicated = _duplicated_umum(aplikasi, ctx)
        if duplicated:
            names = ", ".join(sorted({n.nama for n in duplicated}))
            result.append(
                Flag(
                    "duplikasi_umum",
                    _("An aplikasi khusus with the function of the aplikasi umum %(n)s: use it or justify the "
                      "local application.") % {"n": names},
                    Severity.HIGH,
                    any(n.keyakinan == Keyakinan.UNCONFIRMED for n in duplicated),
                )
            )  # fmt: skip
    if aplikasi.unit_id is None:
        result.append(Flag("tanpa_pemilik", _("No owner OPD is responsible for this application."), Severity.HIGH))
    if live and not _has_layanan(aplikasi):
        result.append(Flag("tanpa_layanan", _("The application is not linked to any layanan."), Severity.MEDIUM))
    minimum = aturan()["umur_minimum"]
    if (
        aplikasi.tanggal_operasi
        and aplikasi.tanggal_dihentikan
        and aplikasi.tanggal_dihentikan < _add_months(aplikasi.tanggal_operasi, minimum.bulan)
    ):
        months = _months_between(aplikasi.tanggal_operasi, aplikasi.tanggal_dihentikan)
        result.append(
            Flag(
                "umur_pendek",
                _("Stopped %(m)s months after going live (less than %(n)s).") % {"m": months, "n": minimum.bulan},
                Severity.MEDIUM,
            )
        )
    if aplikasi.status == Aplikasi.Status.OPERASI and aplikasi.hosting != Aplikasi.Hosting.NASIONAL:
        period = audit_period(aplikasi)
        last = aplikasi.audit_keamanan_terakhir
        if last is None or ctx.today > _add_months(last, period.bulan):
            message = (
                _("Never audited for security (due every %(n)s months).") % {"n": period.bulan}
                if last is None
                else _("Last security audit on %(d)s: older than %(n)s months.") % {"d": last, "n": period.bulan}
            )
            result.append(Flag("audit_kedaluwarsa", message, Severity.HIGH, period.keyakinan == Keyakinan.UNCONFIRMED))
    if aplikasi.status == Aplikasi.Status.OPERASI and aplikasi.time == Aplikasi.Time.ELIMINATE:
        result.append(Flag("time_eliminate", _("Classified Eliminate (TIME) but still in operation."), Severity.LOW))
    return result


def _has_layanan(aplikasi: Aplikasi) -> bool:
    known = getattr(aplikasi, "ada_layanan", None)  # a ListRow, or annotated with with_ada_layanan()
    if known is not None:
        return bool(known)
    cache = getattr(aplikasi, "_prefetched_objects_cache", {})
    if "layanan" in cache:
        return bool(cache["layanan"])
    return aplikasi.layanan.exists()


def _duplicated_umum(aplikasi: Aplikasi, ctx: _Context) -> list[_Umum]:
    found = list(ctx.umum_by_bidang.get(normalise(aplikasi.bidang), [])) if aplikasi.bidang else []
    for bidang in matching_bidang(aplikasi.nama, aplikasi.singkatan, aplikasi.fungsi_bisnis):
        found.extend(ctx.umum_by_bidang.get(bidang, []))
    return list({n.pk: n for n in found}.values())


def _months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def flagged_applications(queryset, today: dt.date | None = None) -> list[tuple[Aplikasi, list[Flag]]]:
    """(application, flags) for every application of the queryset that has at least one flag."""
    ctx = _context(today)
    result = []
    for aplikasi in queryset.select_related("unit", "aplikasi_nasional").prefetch_related("layanan"):
        found = flags(aplikasi, context=ctx)
        if found:
            result.append((aplikasi, found))
    return result


def flags_by_pk(queryset, today: dt.date | None = None) -> dict[int, list[Flag]]:
    return {a.pk: f for a, f in flagged_applications(queryset, today)}


def with_ada_layanan(queryset):
    """The queryset annotated with whether each application serves any layanan (what the flag rules read),
    instead of prefetching the layanan themselves."""
    through = Aplikasi.layanan.through
    return queryset.annotate(ada_layanan=Exists(through.objects.filter(aplikasi_id=OuterRef("pk"))))


class ListRow(NamedTuple):
    """One application as the catalogue list shows it and the flag rules read it: its own columns, the owner's
    and the national application's names, and whether it serves a layanan. A plain row from values_list(), not
    three model instances (Aplikasi, UnitKerja, AplikasiNasional) per application: the list loads only these
    columns (the full rows, with every column of the owner unit and the national application, made its query
    twice as slow)."""

    pk: int
    nama: str
    singkatan: str
    jenis: str
    bidang: str
    fungsi_bisnis: str
    status: str
    hosting: str
    time: str
    tanggal_operasi: dt.date | None
    tanggal_dihentikan: dt.date | None
    audit_keamanan_terakhir: dt.date | None
    unit_id: int | None
    unit_nama: str | None
    unit_singkatan: str | None
    aplikasi_nasional_id: int | None
    aplikasi_nasional_nama: str | None
    ada_layanan: bool


# ListRow's fields as values_list() names them (ada_layanan, the last, is an expression: see list_rows).
LIST_COLUMNS = (
    "pk", "nama", "singkatan", "jenis", "bidang", "fungsi_bisnis", "status", "hosting", "time", "tanggal_operasi",
    "tanggal_dihentikan", "audit_keamanan_terakhir", "unit_id", "unit__nama", "unit__singkatan",
    "aplikasi_nasional_id", "aplikasi_nasional__nama",
)  # fmt: skip


def _serves_layanan() -> IsNull:
    """Whether the application serves a layanan, as one probe of the link table's index per row: for a page of
    rows cheaper than EXISTS, which PostgreSQL answers by hashing the whole link table."""
    through = Aplikasi.layanan.through
    return IsNull(Subquery(through.objects.filter(aplikasi_id=OuterRef("pk")).values("pk")[:1]), False)


def list_rows(queryset) -> list[ListRow]:
    """The applications of an Aplikasi queryset as ListRow, in one query: owner and national application joined,
    whether each serves a layanan (an index probe per row: meant for a page, not the whole catalogue), so that
    flags_for() sends no query per row.

    For one page (an ordered, sliced queryset: Paginator's object_list) the database first orders and cuts the
    bare applications and only then joins the page's rows (a deferred join): joining every application before
    sorting them, with all the columns shown, took twice as long."""
    query = queryset.query
    if query.order_by and query.is_sliced and connections[queryset.db].features.allow_sliced_subqueries_with_in:
        page = queryset.values("pk")
        rows = _list_columns().using(queryset.db).filter(pk__in=page).order_by(*query.order_by)
    else:
        rows = queryset.values_list(*LIST_COLUMNS, _serves_layanan())
    return list(map(ListRow._make, rows))


@lru_cache(maxsize=1)
def _list_columns():
    """Every application as ListRow's columns: built once per process (resolving the columns and joins cost more
    than running the query of a page); list_rows() filters a copy of it, it is never evaluated itself."""
    return Aplikasi.objects.values_list(*LIST_COLUMNS, _serves_layanan())


def flags_for(applications, today: dt.date | None = None) -> dict[int, list[Flag]]:
    """The flags of applications already loaded (e.g. one list page), with one shared context and no query per
    application when they come from list_rows() or with_ada_layanan() or prefetch the layanan."""
    ctx = _context(today)
    return {a.pk: found for a in applications if (found := flags(a, context=ctx))}


# --- overlaps ------------------------------------------------------------------------------------------------

STOPWORDS = {"dan", "atau", "untuk", "yang", "di", "ke", "dari", "sistem", "informasi", "aplikasi", "layanan",
             "data", "kota", "the", "of", "and", "for", "e", "online", "pengelolaan", "manajemen"}  # fmt: skip


def _words(text: str) -> set[str]:
    return {w for w in normalise(text).split() if len(w) > 2 and w not in STOPWORDS}


def _core_name(text: str) -> str:
    """The distinctive part of a name ('Sistem Informasi Pajak' → 'pajak')."""
    return " ".join(w for w in normalise(text).split() if w not in STOPWORDS)


@dataclass
class Overlap:
    objek: object  # Aplikasi | AplikasiNasional
    skor: float
    alasan: list[str]

    def as_dict(self) -> dict:
        nasional = isinstance(self.objek, AplikasiNasional)
        return {
            "jenis": "nasional" if nasional else "kota",
            "id": self.objek.pk,
            "nama": self.objek.nama,
            "bidang": self.objek.bidang,
            "skor": round(self.skor, 3),
            "alasan": self.alasan,
        }


def overlap_details(bidang: str, nama: str, fungsi: str, limit: int = 20) -> list[Overlap]:
    """National aplikasi umum and the city's applications in operation that overlap a planned application,
    best first: the same bidang, the same bidang found through the synonyms, similar names, shared words."""
    wanted_bidang = normalise(bidang)
    text_bidang = matching_bidang(nama, fungsi)
    if wanted_bidang:
        text_bidang.add(wanted_bidang)
    name_norm = _core_name(nama)
    words = _words(f"{nama} {fungsi}")
    candidates = list(AplikasiNasional.objects.filter(aplikasi_umum=True)) + list(
        Aplikasi.objects.filter(status=Aplikasi.Status.OPERASI).select_related("unit")
    )
    results: list[Overlap] = []
    for item in candidates:
        score, reasons = 0.0, []
        item_bidang = normalise(item.bidang)
        if wanted_bidang and item_bidang == wanted_bidang:
            score += 3
            reasons.append(_("same bidang (%(b)s)") % {"b": item.bidang})
        own = matching_bidang(item.nama, getattr(item, "fungsi_bisnis", ""), getattr(item, "singkatan", ""))
        if item_bidang:
            own.add(item_bidang)
        shared = (own & text_bidang) - ({wanted_bidang} if wanted_bidang == item_bidang else set())
        if shared:
            score += 2
            reasons.append(_("similar function (%(b)s)") % {"b": ", ".join(sorted(shared))})
        ratio = SequenceMatcher(None, name_norm, _core_name(item.nama)).ratio() if name_norm else 0
        if ratio >= 0.6:
            score += ratio
            reasons.append(_("similar name"))
        common = words & _words(f"{item.nama} {getattr(item, 'fungsi_bisnis', '')}")
        if common:
            score += min(len(common), 4) * 0.25
            reasons.append(_("shared words: %(w)s") % {"w": ", ".join(sorted(common))})
        if score >= 0.5:
            if isinstance(item, AplikasiNasional):
                score += 0.1  # on a tie the national aplikasi umum comes first: it is the one to use
            results.append(Overlap(item, score, reasons))
    results.sort(key=lambda o: (-o.skor, o.objek.nama))
    return results[:limit]


def overlaps(bidang: str, nama: str, fungsi: str) -> list:
    """The overlapping national aplikasi umum and city applications (ranked; each carries .skor and .alasan)."""
    found = []
    for overlap in overlap_details(bidang, nama, fungsi):
        overlap.objek.skor = overlap.skor
        overlap.objek.alasan = overlap.alasan
        found.append(overlap.objek)
    return found


# --- summaries (evidence, dashboards) ------------------------------------------------------------------------


def ringkasan(queryset=None, today: dt.date | None = None) -> dict:
    """Catalogue figures for evaluation evidence: umum vs khusus, in operation, audited within period,
    integrated through the SPLP, flagged."""
    today = today or timezone.localdate()
    queryset = Aplikasi.objects.all() if queryset is None else queryset
    items = list(queryset.prefetch_related("layanan", "integrasi_keluar", "integrasi_masuk").select_related("unit"))
    operasi = [a for a in items if a.status == Aplikasi.Status.OPERASI]
    audited = [
        a
        for a in operasi
        if a.audit_keamanan_terakhir and today <= _add_months(a.audit_keamanan_terakhir, audit_period(a).bulan)
    ]
    splp = {
        a.pk
        for a in items
        for i in list(a.integrasi_keluar.all()) + list(a.integrasi_masuk.all())
        if i.metode == IntegrasiAplikasi.Metode.SPLP
    }
    ctx = _context(today)
    return {
        "tanggal": today.isoformat(),
        "jumlah": len(items),
        "umum": sum(a.jenis == Aplikasi.Jenis.UMUM for a in items),
        "khusus": sum(a.jenis == Aplikasi.Jenis.KHUSUS for a in items),
        "operasi": len(operasi),
        "operasi_umum": sum(a.jenis == Aplikasi.Jenis.UMUM for a in operasi),
        "operasi_khusus": sum(a.jenis == Aplikasi.Jenis.KHUSUS for a in operasi),
        "diaudit_dalam_periode": len(audited),
        "terintegrasi_splp": len(splp),
        "operasi_terintegrasi_splp": sum(a.pk in splp for a in operasi),
        "di_pdn_atau_dc_kota": sum(a.hosting in (Aplikasi.Hosting.PDN, Aplikasi.Hosting.DC_KOTA) for a in operasi),
        "bertemuan": sum(bool(flags(a, context=ctx)) for a in items),
    }
