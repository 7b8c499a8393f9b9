"""Import and export of the whole structure (units, positions, employees) as CSV or XLSX.

Columns are the same in both directions, so an export can be edited and imported back. Units are
keyed by `kode`, positions by `kode`, employees by `nip`; existing rows are updated.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from terpadu.core import tabular
from terpadu.core.jobs import progress_alias
from terpadu.core.models import JobRecord, StoredFile
from terpadu.organisasi import reference, services
from terpadu.organisasi.models import Jabatan, Pegawai, UnitKerja
from terpadu.organisasi.nip import parse_nip

UNIT_COLUMNS = ["kode", "nama", "jenis", "parent_kode", "singkatan", "alamat", "telepon", "email", "valid_from"]
JABATAN_COLUMNS = ["kode", "nama", "jenis", "eselon", "unit_kode", "is_kepala_unit", "atasan_kode"]
PEGAWAI_COLUMNS = [
    "nip",
    "nama",
    "gelar_depan",
    "gelar_belakang",
    "status",
    "golongan",
    "email",
    "telepon",
    "jabatan_kode",
    "tmt_jabatan",
]
TRUE = {"1", "ya", "y", "yes", "true", "x"}


def _date(value: str, column: str, errors: list) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        errors.append((column, _("%(v)s is not a date (YYYY-MM-DD).") % {"v": value}))
        return None


class UnitImporter(tabular.Importer):
    sheet = "unit"
    required = ("kode", "nama", "jenis")

    def start(self):
        self.existing = {u.kode: u for u in UnitKerja.objects.current()}
        self.pending: set[str] = set()
        self.kinds = {code for code, _label in reference.jenis_unit_choices()}

    def clean_row(self, row, line):
        errors = []
        kode, parent = row.get("kode", ""), row.get("parent_kode", "")
        if not kode:
            errors.append(("kode", _("required")))
        if kode in self.pending:
            errors.append(("kode", _("appears twice in the file")))
        if not row.get("nama"):
            errors.append(("nama", _("required")))
        if row.get("jenis") not in self.kinds:
            errors.append(("jenis", _("unknown kind %(v)s") % {"v": row.get("jenis")}))
        if parent and parent not in self.existing and parent not in self.pending:
            errors.append(("parent_kode", _("no unit %(v)s above this row or in the database") % {"v": parent}))
        valid_from = _date(row.get("valid_from", ""), "valid_from", errors)
        self.pending.add(kode)
        return ({**{c: row.get(c, "") for c in UNIT_COLUMNS}, "valid_from": valid_from}, errors)

    def apply_row(self, cleaned):
        parent = (
            UnitKerja.objects.current().filter(kode=cleaned["parent_kode"]).first() if cleaned["parent_kode"] else None
        )
        data = {
            "nama": cleaned["nama"],
            "jenis": cleaned["jenis"],
            "parent": parent,
            "singkatan": cleaned["singkatan"],
            "alamat": cleaned["alamat"],
            "telepon": cleaned["telepon"],
            "email": cleaned["email"],
            "valid_from": cleaned["valid_from"],
        }
        unit = UnitKerja.objects.current().filter(kode=cleaned["kode"]).first()
        if unit:
            services.update_unit(unit, data)
            return False
        services.create_unit({"kode": cleaned["kode"], **data})
        return True


class JabatanImporter(tabular.Importer):
    sheet = "jabatan"
    required = ("kode", "nama", "jenis", "unit_kode")

    def start(self):
        self.units = set(UnitKerja.objects.current().values_list("kode", flat=True))
        self.existing = set(Jabatan.objects.current().exclude(kode="").values_list("kode", flat=True))
        self.pending: set[str] = set()
        self.eselon = {code for code, _label in reference.eselon_choices()}

    def clean_row(self, row, line):
        errors = []
        kode = row.get("kode", "")
        if not kode:
            errors.append(("kode", _("required")))
        if kode in self.pending:
            errors.append(("kode", _("appears twice in the file")))
        if row.get("jenis") not in Jabatan.Jenis.values:
            errors.append(("jenis", _("must be one of %(v)s") % {"v": ", ".join(Jabatan.Jenis.values)}))
        eselon = row.get("eselon", "")
        if row.get("jenis") == Jabatan.Jenis.STRUKTURAL and eselon not in self.eselon:
            errors.append(("eselon", _("a structural position needs a valid eselon")))
        if row.get("jenis") != Jabatan.Jenis.STRUKTURAL and eselon:
            errors.append(("eselon", _("only structural positions have an eselon")))
        unit_kode = row.get("unit_kode", "")
        if unit_kode not in self.units and unit_kode not in getattr(self, "new_units", set()):
            errors.append(("unit_kode", _("no unit %(v)s") % {"v": unit_kode}))
        atasan = row.get("atasan_kode", "")
        if atasan and atasan not in self.existing and atasan not in self.pending:
            errors.append(("atasan_kode", _("no position %(v)s above this row or in the database") % {"v": atasan}))
        self.pending.add(kode)
        return (
            {
                **{c: row.get(c, "") for c in JABATAN_COLUMNS},
                "is_kepala_unit": row.get("is_kepala_unit", "").lower() in TRUE,
            },
            errors,
        )

    def apply_row(self, cleaned):
        current = Jabatan.objects.current()
        data = {
            "nama": cleaned["nama"],
            "jenis": cleaned["jenis"],
            "eselon": cleaned["eselon"],
            "unit": UnitKerja.objects.current().get(kode=cleaned["unit_kode"]),
            "is_kepala_unit": cleaned["is_kepala_unit"],
            "atasan_override": current.filter(kode=cleaned["atasan_kode"]).first() if cleaned["atasan_kode"] else None,
        }
        jabatan = current.filter(kode=cleaned["kode"]).first()
        if jabatan:
            services.update_jabatan(jabatan, data)
            return False
        services.create_jabatan({"kode": cleaned["kode"], **data})
        return True


class PegawaiImporter(tabular.Importer):
    sheet = "pegawai"
    required = ("nip", "nama", "status")

    def start(self):
        self.jabatan = set(Jabatan.objects.current().exclude(kode="").values_list("kode", flat=True))
        self.pending: set[str] = set()
        self.golongan = {r["kode"]: r["jenis"] for r in reference.golongan()}

    def clean_row(self, row, line):
        errors = []
        nip = row.get("nip", "").replace(" ", "")
        try:
            info = parse_nip(nip)
        except ValidationError as exc:
            errors.append(("nip", " ".join(exc.messages)))
            info = None
        if nip in self.pending:
            errors.append(("nip", _("appears twice in the file")))
        status = row.get("status", "").upper()
        if status not in Pegawai.Status.values:
            errors.append(("status", _("must be PNS or PPPK")))
        elif info and info.is_pppk != (status == "PPPK"):
            errors.append(("status", _("does not match the NIP (digits 13–14 are 21 only for PPPK)")))
        golongan = row.get("golongan", "")
        if golongan and self.golongan.get(golongan) != status:
            errors.append(("golongan", _("rank %(g)s does not exist for %(s)s") % {"g": golongan, "s": status}))
        if not row.get("nama"):
            errors.append(("nama", _("required")))
        jabatan = row.get("jabatan_kode", "")
        if jabatan and jabatan not in self.jabatan and jabatan not in getattr(self, "new_jabatan", set()):
            errors.append(("jabatan_kode", _("no position %(v)s") % {"v": jabatan}))
        tmt = _date(row.get("tmt_jabatan", ""), "tmt_jabatan", errors)
        if jabatan and tmt is None:
            errors.append(("tmt_jabatan", _("required when a position is given")))
        self.pending.add(nip)
        return (
            {**{c: row.get(c, "") for c in PEGAWAI_COLUMNS}, "nip": nip, "status": status, "tmt_jabatan": tmt},
            errors,
        )

    def apply_row(self, cleaned):
        data = {
            k: cleaned[k] for k in ("nama", "gelar_depan", "gelar_belakang", "status", "golongan", "email", "telepon")
        }
        pegawai = Pegawai.objects.filter(nip=cleaned["nip"]).first()
        created = pegawai is None
        pegawai = (
            services.create_pegawai({"nip": cleaned["nip"], **data})
            if created
            else services.update_pegawai(pegawai, data)
        )
        if cleaned["jabatan_kode"]:
            jabatan = Jabatan.objects.current().get(kode=cleaned["jabatan_kode"])
            if pegawai.jabatan_id != jabatan.pk:
                services.assign_jabatan(pegawai, jabatan, cleaned["tmt_jabatan"])
        return created


def build_plan(kind: str, data: bytes) -> list[tuple[tabular.Importer, list[dict]]]:
    """The importers and rows for a file. Sheets of one workbook may refer to each other's new rows."""
    importers = {"unit": UnitImporter, "jabatan": JabatanImporter, "pegawai": PegawaiImporter}
    if kind == "xlsx":
        sheets = tabular.read_xlsx(data)
        missing = [name for name in importers if name not in sheets]
        if len(missing) == len(importers):
            raise tabular.TableError(_("The workbook needs at least one sheet named unit, jabatan or pegawai."))
        plan = [(importers[name](), sheets[name]) for name in importers if name in sheets]
    elif kind in importers:
        plan = [(importers[kind](), tabular.read_csv(data))]
    else:
        raise tabular.TableError(_("Unknown import kind."))
    _link_sheets(plan)
    return plan


def _link_sheets(plan) -> None:
    """Let jabatan rows refer to units, and pegawai rows to positions, created earlier in the same file."""
    new_units = {row.get("kode", "") for imp, rows in plan if isinstance(imp, UnitImporter) for row in rows}
    new_jabatan = {row.get("kode", "") for imp, rows in plan if isinstance(imp, JabatanImporter) for row in rows}
    for importer, _rows in plan:
        importer.new_units, importer.new_jabatan = new_units, new_jabatan


def run_import_job(job_id: int, file_id: int, kind: str, dry_run: bool) -> None:
    job = JobRecord.objects.get(pk=job_id)
    if job.is_finished:
        return  # idempotent: a retried job does not import twice
    JobRecord.objects.filter(pk=job_id).update(status=JobRecord.Status.RUNNING, started=timezone.now())
    stored = StoredFile.objects.get(pk=file_id)
    with stored.file.open("rb") as handle:
        data = handle.read()

    def progress(done: int, total: int) -> None:
        # Written outside the import's transaction so the progress bar moves while it runs.
        JobRecord.objects.using(progress_alias()).filter(pk=job_id).update(progress_done=done, progress_total=total)

    try:
        plan = build_plan(kind, data)
        JobRecord.objects.filter(pk=job_id).update(progress_total=sum(len(rows) for _i, rows in plan))
        report = tabular.run_import(plan, dry_run=dry_run, progress=progress)
    except (tabular.TableError, ValidationError) as exc:
        _finish(job_id, JobRecord.Status.FAILED, " ".join(getattr(exc, "messages", [str(exc)])), {})
        return
    if report.ok and dry_run:
        message = ngettext(
            "Dry run: the %(n)d row is valid. Nothing was written.",
            "Dry run: all %(n)d rows are valid. Nothing was written.",
            report.rows,
        )
        message %= {"n": report.rows}
    elif report.ok:
        message = _("Imported: %(c)d created, %(u)d updated.") % {"c": report.created, "u": report.updated}
    else:
        count = len(report.errors)
        message = ngettext(
            "%(n)d problem found. Nothing was written.", "%(n)d problems found. Nothing was written.", count
        ) % {"n": count}
    status = JobRecord.Status.SUCCEEDED if report.ok else JobRecord.Status.FAILED
    _finish(job_id, status, message, report.as_dict())


def _finish(job_id: int, status: str, message: str, result: dict) -> None:
    JobRecord.objects.filter(pk=job_id).update(status=status, message=message, result=result, finished=timezone.now())


@transaction.atomic
def start_import(user, stored: StoredFile, kind: str, dry_run: bool) -> JobRecord:
    from terpadu.core import jobs

    title = (_("Check import of %(f)s") if dry_run else _("Import of %(f)s")) % {"f": stored.original_name}
    job = JobRecord.objects.create(kind="organisasi.import", title=title, owner=user)
    jobs.defer("organisasi.import_structure", job_id=job.pk, file_id=stored.pk, kind=kind, dry_run=dry_run)
    return job


def export_rows(user, kind: str):
    from terpadu.core import authz

    if kind == "unit":
        units = authz.restrict(UnitKerja.objects.current().select_related("parent"), user, "organisasi.export")
        return UNIT_COLUMNS, (
            [
                u.kode,
                u.nama,
                u.jenis,
                u.parent.kode if u.parent else "",
                u.singkatan,
                u.alamat,
                u.telepon,
                u.email,
                u.valid_from or "",
            ]
            for u in units.order_by("path")
        )
    if kind == "jabatan":
        jabatan = authz.restrict(
            Jabatan.objects.current().select_related("unit", "atasan_override"), user, "organisasi.export"
        )
        return JABATAN_COLUMNS, (
            [
                j.kode,
                j.nama,
                j.jenis,
                j.eselon,
                j.unit.kode,
                "1" if j.is_kepala_unit else "",
                j.atasan_override.kode if j.atasan_override else "",
            ]
            for j in jabatan
        )
    pegawai = authz.restrict(Pegawai.objects.select_related("jabatan"), user, "organisasi.export").prefetch_related(
        "riwayat_jabatan"
    )
    return PEGAWAI_COLUMNS, (
        [
            p.nip,
            p.nama,
            p.gelar_depan,
            p.gelar_belakang,
            p.status,
            p.golongan,
            p.email,
            p.telepon,
            p.jabatan.kode if p.jabatan else "",
            _tmt(p),
        ]
        for p in pegawai
    )


def _tmt(pegawai: Pegawai) -> str:
    current = [r for r in pegawai.riwayat_jabatan.all() if r.tmt_selesai is None]
    return current[0].tmt_mulai.isoformat() if current else ""


def export_file(user, kind: str, fmt: str) -> bytes:
    if fmt == "xlsx":
        return tabular.write_xlsx({name: export_rows(user, name) for name in ("unit", "jabatan", "pegawai")})
    columns, rows = export_rows(user, kind)
    return tabular.write_csv(columns, rows)
