"""Import and export of a classification edition (codes, JRA, SKKAAD) as CSV or XLSX.

The columns are those of the shipped reference file (code, name, parent_code, confidence, source,
report_ref, note) plus the JRA columns, in both directions: an export can be edited and imported back.
Codes are keyed by `code` within the chosen edition; existing codes are updated. A code whose parent is
neither in the edition nor in the file gets the parent created as an unconfirmed placeholder.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from terpadu.arsip import services
from terpadu.arsip.models import Keyakinan, Klasifikasi, KlasifikasiVersi, NasibAkhir, Skkaad
from terpadu.core import tabular
from terpadu.core.jobs import progress_alias
from terpadu.core.models import JobRecord, StoredFile

COLUMNS = [
    "code",
    "name",
    "parent_code",
    "confidence",
    "source",
    "report_ref",
    "note",
    "retensi_aktif",
    "retensi_inaktif",
    "nasib_akhir",
    "skkaad",
    "jra_confidence",
    "jra_source",
    "keterangan",
    "aktif",
]
# column -> model field, for the plain text columns
TEXT_FIELDS = {
    "source": ("sumber", 500),
    "report_ref": ("referensi", 100),
    "note": ("catatan", 5000),
    "jra_source": ("jra_sumber", 500),
    "keterangan": ("keterangan", 255),
}


class KlasifikasiImporter(tabular.Importer):
    sheet = "klasifikasi"
    required = ("code", "name")

    def __init__(self, versi: KlasifikasiVersi):
        self.versi = versi

    def start(self):
        self.known: dict[str, Klasifikasi] = {}
        self.pending: set[str] = set()

    def clean_row(self, row, line):
        errors: list[tuple[str, str]] = []
        kode, nama = row.get("code", "").strip(), row.get("name", "").strip()
        if not services.KODE_PATTERN.match(kode):
            errors.append(("code", _("%(v)s is not a classification code (e.g. 000.1.2).") % {"v": kode or "—"}))
        elif kode in self.pending:
            errors.append(("code", _("appears twice in the file")))
        if not nama:
            errors.append(("name", _("required")))
        parent = row.get("parent_code", "").strip()
        if parent and kode and not kode.startswith(parent + "."):
            errors.append(("parent_code", _("%(p)s is not the start of the code %(k)s") % {"p": parent, "k": kode}))
        cleaned = {"kode": kode, "nama": nama[:255], "parent_kode": parent}
        cleaned.update(self._choices(row, errors))
        cleaned.update(self._retention(row, errors))
        for column, (name, length) in TEXT_FIELDS.items():
            if column in row:
                cleaned[name] = row[column].strip()[:length]
        self.pending.add(kode)
        return cleaned, errors

    @staticmethod
    def _choices(row, errors) -> dict:
        cleaned = {}
        for column, name, choices, default in (
            ("confidence", "keyakinan", Keyakinan.values, Keyakinan.UNCONFIRMED),
            ("jra_confidence", "jra_keyakinan", Keyakinan.values, ""),
            ("nasib_akhir", "nasib_akhir", NasibAkhir.values, ""),
            ("skkaad", "skkaad", Skkaad.values, Skkaad.BIASA),
        ):
            if column not in row:
                continue
            value = row[column].strip().lower()
            if value and value not in choices:
                errors.append((column, _("must be one of %(v)s") % {"v": ", ".join(choices)}))
            cleaned[name] = value or default
        if "aktif" in row:
            cleaned["aktif"] = row["aktif"].strip().lower() not in ("0", "tidak", "no", "false")
        return cleaned

    @staticmethod
    def _retention(row, errors) -> dict:
        cleaned = {}
        for column in ("retensi_aktif", "retensi_inaktif"):
            if column not in row:
                continue
            value = row[column].strip()
            if not value:
                cleaned[column] = None
            elif not value.isdigit() or int(value) > services.MAX_RETENTION_YEARS:
                errors.append(
                    (column, _("a whole number of years from 0 to %(n)d") % {"n": services.MAX_RETENTION_YEARS})
                )
            else:
                cleaned[column] = int(value)
        return cleaned

    def apply_row(self, cleaned):
        if not self.known:
            self.known = {code.kode: code for code in self.versi.kode.all()}
        aktif = cleaned.pop("aktif", None)
        created = services.upsert_code(self.versi, cleaned, self.known, update=True)
        if aktif is not None and self.known[cleaned["kode"]].aktif != aktif:
            code = self.known[cleaned["kode"]]
            code.aktif = aktif
            code.save(update_fields=["aktif"])
        return created


def build_plan(versi: KlasifikasiVersi, kind: str, data: bytes):
    if kind == "xlsx":
        sheets = tabular.read_xlsx(data)
        rows = sheets.get("klasifikasi") or next(iter(sheets.values()), [])
    elif kind == "csv":
        rows = tabular.read_csv(data)
    else:
        raise tabular.TableError(_("Unknown import kind."))
    # Parents first, so the tree is built top-down (a child before its parent would still work).
    rows.sort(key=lambda r: services.kode_sort_key(r.get("code", "")))
    return [(KlasifikasiImporter(versi), rows)]


def run_import_job(job_id: int, file_id: int, kind: str, versi_id: int, dry_run: bool) -> None:
    job = JobRecord.objects.get(pk=job_id)
    if job.is_finished:
        return  # idempotent: a retried job does not import twice
    JobRecord.objects.filter(pk=job_id).update(status=JobRecord.Status.RUNNING, started=timezone.now())
    stored = StoredFile.objects.get(pk=file_id)
    versi = KlasifikasiVersi.objects.get(pk=versi_id)
    with stored.file.open("rb") as handle:
        data = handle.read()

    def progress(done: int, total: int) -> None:
        JobRecord.objects.using(progress_alias()).filter(pk=job_id).update(progress_done=done, progress_total=total)

    try:
        plan = build_plan(versi, kind, data)
        JobRecord.objects.filter(pk=job_id).update(progress_total=sum(len(rows) for _i, rows in plan))
        report = tabular.run_import(plan, dry_run=dry_run, progress=progress)
    except (tabular.TableError, ValidationError) as exc:
        _finish(job_id, JobRecord.Status.FAILED, " ".join(getattr(exc, "messages", [str(exc)])), {})
        return
    _finish(job_id, *_outcome(report, dry_run))


def _outcome(report: tabular.ImportReport, dry_run: bool) -> tuple[str, str, dict]:
    if report.ok and dry_run:
        message = ngettext(
            "Dry run: the %(n)d row is valid. Nothing was written.",
            "Dry run: all %(n)d rows are valid. Nothing was written.",
            report.rows,
        ) % {"n": report.rows}
    elif report.ok:
        message = _("Imported: %(c)d created, %(u)d updated.") % {"c": report.created, "u": report.updated}
    else:
        count = len(report.errors)
        message = ngettext(
            "%(n)d problem found. Nothing was written.", "%(n)d problems found. Nothing was written.", count
        ) % {"n": count}
    status = JobRecord.Status.SUCCEEDED if report.ok else JobRecord.Status.FAILED
    return status, message, report.as_dict()


def _finish(job_id: int, status: str, message: str, result: dict) -> None:
    JobRecord.objects.filter(pk=job_id).update(status=status, message=message, result=result, finished=timezone.now())


@transaction.atomic
def start_import(user, stored: StoredFile, kind: str, versi: KlasifikasiVersi, dry_run: bool) -> JobRecord:
    from terpadu.core import jobs

    title = (_("Check import of %(f)s") if dry_run else _("Import of %(f)s")) % {"f": stored.original_name}
    job = JobRecord.objects.create(kind="arsip.import_klasifikasi", title=title, owner=user)
    jobs.defer(
        "arsip.import_klasifikasi", job_id=job.pk, file_id=stored.pk, kind=kind, versi_id=versi.pk, dry_run=dry_run
    )
    return job


def export_rows(versi: KlasifikasiVersi):
    codes = sorted(versi.kode.select_related("parent"), key=lambda k: services.kode_sort_key(k.kode))
    return COLUMNS, (
        [
            k.kode,
            k.nama,
            k.parent.kode if k.parent else "",
            k.keyakinan,
            k.sumber,
            k.referensi,
            k.catatan,
            k.retensi_aktif,
            k.retensi_inaktif,
            k.nasib_akhir,
            k.skkaad,
            k.jra_keyakinan,
            k.jra_sumber,
            k.keterangan,
            "1" if k.aktif else "0",
        ]
        for k in codes
    )


def export_file(versi: KlasifikasiVersi, fmt: str) -> bytes:
    columns, rows = export_rows(versi)
    if fmt == "xlsx":
        return tabular.write_xlsx({"klasifikasi": (columns, rows)})
    return tabular.write_csv(columns, rows)
