"""SP2D import from the finance system (SIPD penatausahaan / SIPKD export) as CSV or XLSX, and export.

One row per SP2D line: the rows sharing a `nomor_sp2d` make one SP2D split over several DPA lines.
Every row is checked first (unknown OPD, sub kegiatan or DPA line, over the line — also cumulatively within the
file —, termin rules); if any row is invalid nothing is written. An SP2D number already recorded for that year
is *skipped* (reported, not duplicated), so importing the same file twice is harmless; the same number with a
different OPD or total is an error (a conflicting record, to be cancelled first).

Amounts: "1234567.89", "1.234.567,89" and "1,234,567.89" are all read; a single dot followed by exactly three
digits ("1.500") is a thousands separator, as finance exports write it. Dates: YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from terpadu.core import tabular
from terpadu.core.jobs import progress_alias
from terpadu.core.models import JobRecord, StoredFile
from terpadu.realisasi import services
from terpadu.realisasi.models import Realisasi, Sp2d

COLUMNS = [
    "nomor_sp2d",
    "tanggal_sp2d",
    "jenis",
    "kode_skpd",
    "kode_sub_kegiatan",
    "kode_rekening",
    "nilai",
    "uraian",
    "nomor_kontrak",
    "termin",
]
EXPORT_COLUMNS = [*COLUMNS, "sumber", "dibatalkan", "alasan_batal"]
ZERO = Decimal("0")


def parse_amount(text: str) -> Decimal:
    value = re.sub(r"[\s]|^Rp\.?", "", str(text or ""), flags=re.IGNORECASE)
    if not value:
        raise ValueError("empty")
    if "," in value and "." in value:
        if value.rfind(",") > value.rfind("."):
            value = value.replace(".", "").replace(",", ".")
        else:
            value = value.replace(",", "")
    elif "," in value:
        head, _sep, tail = value.rpartition(",")
        value = value.replace(",", "") if value.count(",") > 1 or len(tail) == 3 else head + "." + tail
    elif value.count(".") > 1 or re.fullmatch(r"-?\d{1,3}\.\d{3}", value):
        value = value.replace(".", "")
    try:
        amount = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    if not amount.is_finite():
        raise ValueError(value)
    return amount


def parse_date(text: str) -> dt.date:
    value = str(text or "").strip()[:10]
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


class Sp2dImporter(tabular.Importer):
    sheet = "sp2d"
    required = ("nomor_sp2d", "tanggal_sp2d", "kode_sub_kegiatan", "kode_rekening", "nilai")

    def __init__(self, user=None, unit_scope=None):
        self.user = user
        self.unit_scope = unit_scope  # authz Scope of realisasi.record (None: no restriction)

    def start(self):
        from terpadu.anggaran.models import DpaBaris
        from terpadu.organisasi.models import UnitKerja

        self.units = {u.kode: u for u in UnitKerja.objects.all()}
        self.units.update({u.kode: u for u in UnitKerja.objects.current()})  # a current unit wins a reused code
        self.lines: dict[tuple, object] = {}
        for line in DpaBaris.objects.select_related("sub_kegiatan__sub_kegiatan", "unit"):
            key = (line.unit.kode, line.tahun, line.sub_kegiatan.sub_kegiatan.kode, line.kode_rekening)
            self.lines[key] = line
        self.existing = {
            (s.tahun, s.nomor): s for s in Sp2d.objects.select_related("unit")
        }  # recorded SP2D: skipped on re-import
        self.groups: dict[tuple, dict] = {}  # (tahun, nomor) -> {"header": …, "lines": [...], "first": line}
        self.skipped: dict[tuple, dict] = {}
        self.pending = {"dpa": {}, "termin": {}, "kontrak": {}}
        self.sp2d_created = 0

    def clean_row(self, row, line):
        errors: list[tuple[str, str]] = []
        nomor = row.get("nomor_sp2d", "").strip()
        if not nomor:
            errors.append(("nomor_sp2d", _("required")))
        elif len(nomor) > 100:
            errors.append(("nomor_sp2d", _("longer than 100 characters")))
        try:
            tanggal = parse_date(row.get("tanggal_sp2d", ""))
        except ValueError:
            tanggal = None
            errors.append(
                (
                    "tanggal_sp2d",
                    _("%(v)s is not a date (YYYY-MM-DD or DD/MM/YYYY)") % {"v": row.get("tanggal_sp2d") or "—"},
                )
            )
        jenis = (row.get("jenis", "") or "LS").strip().upper()
        if jenis not in Sp2d.Jenis.values:
            errors.append(("jenis", _("must be one of %(v)s") % {"v": ", ".join(Sp2d.Jenis.values)}))
        kode_unit = (row.get("kode_skpd", "") or row.get("kode_unit", "")).strip()
        unit = self.units.get(kode_unit)
        if not kode_unit:
            errors.append(("kode_skpd", _("required (kode_skpd or kode_unit)")))
        elif unit is None:
            errors.append(("kode_skpd", _("unknown OPD code %(v)s") % {"v": kode_unit}))
        elif self.unit_scope is not None and not self.unit_scope.covers_path(unit.path):
            errors.append(("kode_skpd", _("%(unit)s is outside your scope") % {"unit": unit}))
        try:
            nilai = parse_amount(row.get("nilai", ""))
            nilai = services._money(nilai, _("amount"))
        except ValueError:
            nilai = None
            errors.append(("nilai", _("%(v)s is not an amount") % {"v": row.get("nilai") or "—"}))
        except ValidationError as exc:
            nilai = None
            errors.append(("nilai", " ".join(exc.messages)))
        if errors:
            return None, errors
        key = (tanggal.year, nomor)
        if key in self.existing:
            return self._skip(key, unit, nilai, line)
        kode_sub, kode_rek = row.get("kode_sub_kegiatan", "").strip(), row.get("kode_rekening", "").strip()
        dpa = self.lines.get((unit.kode, tanggal.year, kode_sub, kode_rek))
        if dpa is None:
            errors.append(
                ("kode_rekening", _("no DPA line %(sub)s.%(rek)s of %(unit)s in %(tahun)d")
                 % {"sub": kode_sub or "—", "rek": kode_rek or "—", "unit": unit, "tahun": tanggal.year})
            )  # fmt: skip
            return None, errors
        termin, termin_errors = self._termin(row, unit, tanggal.year)
        errors.extend(termin_errors)
        if errors:
            return None, errors
        group = self.groups.get(key)
        if group is None:
            uraian = row.get("uraian", "").strip() or _("SP2D %(nomor)s") % {"nomor": nomor}
            header = {"nomor": nomor, "tanggal": tanggal, "jenis": jenis, "uraian": uraian, "unit": unit,
                      "sumber": Sp2d.Sumber.IMPOR}  # fmt: skip
            group = self.groups[key] = {"header": header, "lines": [], "first": line}
        else:
            header = group["header"]
            for column, value, expected in (
                ("tanggal_sp2d", tanggal, header["tanggal"]),
                ("jenis", jenis, header["jenis"]),
                ("kode_skpd", unit, header["unit"]),
            ):
                if value != expected:
                    errors.append((column, _("differs from row %(row)d of the same SP2D") % {"row": group["first"]}))
            if errors:
                return None, errors
        problems = services.check_lines(unit, tanggal.year, jenis, [(dpa, nilai, termin)], pending=self.pending)
        if problems:
            return None, [("nilai", p) for p in problems]
        self.pending["dpa"][dpa.pk] = self.pending["dpa"].get(dpa.pk, ZERO) + nilai
        if termin is not None:
            self.pending["termin"][termin.pk] = self.pending["termin"].get(termin.pk, ZERO) + nilai
            self.pending["kontrak"][termin.kontrak_id] = self.pending["kontrak"].get(termin.kontrak_id, ZERO) + nilai
        group["lines"].append((dpa, nilai, termin))
        return {"key": key, "line": line}, []

    def _skip(self, key, unit, nilai, line):
        """A number already recorded: skipped, unless the file says something else about it."""
        recorded = self.existing[key]
        seen = self.skipped.setdefault(key, {"nomor": key[1], "tahun": key[0], "total": ZERO, "rows": []})
        seen["total"] += nilai
        seen["rows"].append(line)
        if recorded.unit_id != unit.pk:
            return None, [("nomor_sp2d", _("SP2D %(nomor)s is already recorded for another OPD (%(unit)s)")
                           % {"nomor": key[1], "unit": recorded.unit})]  # fmt: skip
        if seen["total"] > recorded.nilai:
            return None, [("nilai", _("SP2D %(nomor)s is already recorded with a total of %(total)s; the file has more")
                           % {"nomor": key[1], "total": services.rupiah(recorded.nilai)})]  # fmt: skip
        return {"skip": key, "line": line}, []

    def _termin(self, row, unit, tahun):
        from terpadu.kontrak.models import Termin

        nomor_kontrak, urutan = row.get("nomor_kontrak", "").strip(), row.get("termin", "").strip()
        if not nomor_kontrak and not urutan:
            return None, []
        if not nomor_kontrak or not urutan.isdigit():
            return None, [("termin", _("give both nomor_kontrak and the termin number"))]
        candidates = Termin.objects.select_related("kontrak").filter(
            kontrak__unit=unit, kontrak__nomor=nomor_kontrak, urutan=int(urutan)
        )
        termin = candidates.filter(kontrak__tahun=tahun).first() or candidates.order_by("-kontrak__tahun").first()
        if termin is None:
            return None, [("termin", _("contract %(k)s of %(unit)s has no termin %(t)s")
                           % {"k": nomor_kontrak, "unit": unit, "t": urutan})]  # fmt: skip
        return termin, []

    def apply_row(self, cleaned):
        if "skip" in cleaned:
            return False
        group = self.groups[cleaned["key"]]
        if group["first"] != cleaned["line"]:
            return True  # written with the first row of its SP2D
        services.record_sp2d(group["header"], group["lines"], self.user)
        self.sp2d_created += 1
        return True


def build_plan(kind: str, data: bytes, user=None, unit_scope=None):
    if kind == "xlsx":
        sheets = tabular.read_xlsx(data)
        rows = sheets.get("sp2d") or next(iter(sheets.values()), [])
    elif kind == "csv":
        rows = tabular.read_csv(data)
    else:
        raise tabular.TableError(_("Unknown import kind."))
    for row in rows:  # kode_unit is accepted for kode_skpd
        if "kode_skpd" not in row and "kode_unit" in row:
            row["kode_skpd"] = row["kode_unit"]
    return [(Sp2dImporter(user, unit_scope), rows)]


def import_sp2d(kind: str, data: bytes, user=None, dry_run: bool = True, unit_scope=None, progress=None) -> dict:
    """Check (dry run) or import a file; returns the report as a dict (rows, errors, sp2d, skipped)."""
    plan = build_plan(kind, data, user, unit_scope)
    importer = plan[0][0]
    report = tabular.run_import(plan, dry_run=dry_run, progress=progress)
    result = report.as_dict()
    result["sp2d"] = importer.sp2d_created if not dry_run else len(importer.groups)
    result["skipped"] = sorted({nomor for _tahun, nomor in importer.skipped})
    return result


def run_import_job(job_id: int, file_id: int, kind: str, dry_run: bool, user_id: int | None = None) -> None:
    from terpadu.accounts.models import User
    from terpadu.core import authz
    from terpadu.core.context import acting

    job = JobRecord.objects.get(pk=job_id)
    if job.is_finished:
        return  # idempotent: a retried job does not import twice
    JobRecord.objects.filter(pk=job_id).update(status=JobRecord.Status.RUNNING, started=timezone.now())
    stored = StoredFile.objects.get(pk=file_id)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    with stored.file.open("rb") as handle:
        data = handle.read()

    def progress(done: int, total: int) -> None:
        JobRecord.objects.using(progress_alias()).filter(pk=job_id).update(progress_done=done, progress_total=total)

    scope = authz.scope(user, "realisasi.record") if user is not None else None
    try:
        with acting(user, via="job"):
            result = import_sp2d(kind, data, user, dry_run, scope, progress)
    except (tabular.TableError, ValidationError) as exc:
        _finish(job_id, JobRecord.Status.FAILED, " ".join(getattr(exc, "messages", [str(exc)])), {})
        return
    _finish(job_id, *outcome(result, dry_run))


def outcome(result: dict, dry_run: bool) -> tuple[str, str, dict]:
    skipped = len(result["skipped"])
    if result["ok"] and dry_run:
        message = ngettext(
            "Dry run: the %(n)d row is valid (%(s)d SP2D to record, %(k)d already recorded). Nothing was written.",
            "Dry run: all %(n)d rows are valid (%(s)d SP2D to record, %(k)d already recorded). Nothing was written.",
            result["rows"],
        ) % {"n": result["rows"], "s": result["sp2d"], "k": skipped}
    elif result["ok"]:
        message = _("Imported: %(s)d SP2D recorded, %(k)d already recorded and skipped.") % {
            "s": result["sp2d"],
            "k": skipped,
        }
    else:
        count = len(result["errors"])
        message = ngettext(
            "%(n)d problem found. Nothing was written.", "%(n)d problems found. Nothing was written.", count
        ) % {"n": count}
    status = JobRecord.Status.SUCCEEDED if result["ok"] else JobRecord.Status.FAILED
    return status, message, result


def _finish(job_id: int, status: str, message: str, result: dict) -> None:
    JobRecord.objects.filter(pk=job_id).update(status=status, message=message, result=result, finished=timezone.now())


@transaction.atomic
def start_import(user, stored: StoredFile, kind: str, dry_run: bool) -> JobRecord:
    from terpadu.core import jobs

    title = (_("Check SP2D import of %(f)s") if dry_run else _("SP2D import of %(f)s")) % {"f": stored.original_name}
    job = JobRecord.objects.create(kind="realisasi.import_sp2d", title=title, owner=user)
    jobs.defer("realisasi.import_sp2d", job_id=job.pk, file_id=stored.pk, kind=kind, dry_run=dry_run, user_id=user.pk)
    return job


def export_rows(queryset):
    """One row per original realisation row of the SP2D in `queryset` (the import's columns + status)."""
    rows = (
        Realisasi.objects.filter(sp2d__in=queryset, membatalkan__isnull=True)
        .select_related("sp2d", "unit", "dpa_baris", "sub_kegiatan__sub_kegiatan", "termin__kontrak")
        .order_by("sp2d__tahun", "sp2d__tanggal", "sp2d__nomor", "pk")
    )
    return EXPORT_COLUMNS, (
        [
            r.sp2d.nomor,
            r.sp2d.tanggal.isoformat(),
            r.sp2d.jenis,
            r.unit.kode,
            r.sub_kegiatan.sub_kegiatan.kode,
            r.dpa_baris.kode_rekening,
            r.nilai,
            r.sp2d.uraian,
            r.termin.kontrak.nomor if r.termin_id else "",
            r.termin.urutan if r.termin_id else "",
            r.sp2d.sumber,
            r.sp2d.dibatalkan.date().isoformat() if r.sp2d.dibatalkan else "",
            r.sp2d.alasan_batal,
        ]
        for r in rows.iterator(chunk_size=2000)
    )


def export_file(queryset, fmt: str) -> bytes:
    columns, rows = export_rows(queryset)
    if fmt == "xlsx":
        return tabular.write_xlsx({"sp2d": (columns, rows)})
    return tabular.write_csv(columns, rows)
