"""Import and export of rincian belanja in a SIPD-like shape (CSV or XLSX), all-or-nothing with a dry run.

Columns (header row, any order; `kode_unit` may replace `kode_skpd`, `volume` may replace `koefisien`):
tahun, tahap, kode_skpd, kode_sub_kegiatan, kode_rekening, uraian, spesifikasi, koefisien, satuan,
harga_satuan, kode_ssh, justifikasi, sumber_dana. The lines are added to the RKA of each sub kegiatan in the
chosen round (the RKA is started when missing). Built for ~100,000 lines: every lookup is one query up front,
the lines are written with bulk inserts, and the ceiling is checked once per OPD (under its Pagu row lock).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from terpadu.anggaran import services_rka as svc
from terpadu.anggaran.models import KodeRekening, Pagu, RekeningLevel, RincianBelanja, Rka, StandarHarga, TahapAnggaran
from terpadu.core import audit, jobs, tabular
from terpadu.core.models import JobRecord, StoredFile

SHEET = "rincian"
COLUMNS = [
    "tahun",
    "tahap",
    "kode_skpd",
    "kode_sub_kegiatan",
    "kode_rekening",
    "uraian",
    "spesifikasi",
    "koefisien",
    "satuan",
    "harga_satuan",
    "kode_ssh",
    "justifikasi",
    "sumber_dana",
]
REQUIRED = ("kode_sub_kegiatan", "kode_rekening", "uraian")
ALIASES = {"kode_unit": "kode_skpd", "volume": "koefisien", "kode_standar_harga": "kode_ssh"}


def _normalise(rows: list[dict]) -> list[dict]:
    for row in rows:
        for alias, name in ALIASES.items():
            if alias in row and not row.get(name):
                row[name] = row.pop(alias)
    return rows


def read_rows(kind: str, data: bytes) -> list[dict]:
    if kind == "xlsx":
        sheets = tabular.read_xlsx(data)
        rows = sheets.get(SHEET) or next(iter(sheets.values()), [])
    elif kind == "csv":
        rows = tabular.read_csv(data)
    else:
        raise tabular.TableError(_("Unknown import kind."))
    return _normalise(rows)


class _Lookups:
    """Everything the rows refer to, loaded once."""

    def __init__(self, tahap: TahapAnggaran, user):
        from terpadu.organisasi.models import UnitKerja
        from terpadu.perencanaan.models import RenjaSubKegiatan

        self.tahap = tahap
        tahun = tahap.tahun
        self.units = {u.kode: u for u in UnitKerja.objects.current()}
        self.scope = None
        if user is not None:
            from terpadu.core import authz

            self.scope = authz.scope(user, "anggaran.draft")
        self.subs = {
            (unit_id, kode): pk
            for pk, unit_id, kode in RenjaSubKegiatan.objects.filter(tahun=tahun).values_list(
                "pk", "unit_id", "sub_kegiatan__kode"
            )
        }
        self.rekening = {
            r.kode: r
            for r in KodeRekening.objects.filter(versi__tahun=tahun, level=RekeningLevel.SUB_RINCIAN_OBJEK, aktif=True)
        }
        self.ssh = {s.kode: s for s in StandarHarga.objects.filter(tahun=tahun, aktif=True)}
        allowed = defaultdict(set)
        for item_id, rek_id in StandarHarga.rekening.through.objects.filter(standarharga__tahun=tahun).values_list(
            "standarharga_id", "koderekening_id"
        ):
            allowed[item_id].add(rek_id)
        for item in self.ssh.values():
            item._rekening_ids = allowed[item.pk]
        self.rka = {s: (pk, status) for pk, s, status in tahap.rka.values_list("pk", "sub_kegiatan_id", "status")}

    def rekening_of(self, kode):
        found = self.rekening.get(kode)
        if found is None:
            raise ValidationError(
                _("Unknown, retired or non-budgetable kode rekening %(kode)s in the %(tahun)s edition.")
                % {"kode": kode, "tahun": self.tahap.tahun}
            )
        return found

    def ssh_of(self, kode):
        found = self.ssh.get(kode)
        if found is None:
            raise ValidationError(
                _("Unknown or retired standard price item %(kode)s in %(tahun)s.")
                % {"kode": kode, "tahun": self.tahap.tahun}
            )
        return found


def _tahap_matches(tahap: TahapAnggaran, value: str) -> bool:
    value = value.strip().lower()
    return not value or value in (str(tahap.urutan), tahap.jenis, tahap.nama.lower())


def validate(tahap: TahapAnggaran, rows: list[dict], user=None):
    """(report, cleaned lines, per-OPD first row) — nothing written."""
    report = tabular.ImportReport(dry_run=True, rows=len(rows))
    present = set(rows[0]) if rows else set()
    missing = [c for c in REQUIRED if c not in present]
    if "kode_skpd" not in present:
        missing.append("kode_skpd")
    if missing:
        report.errors.extend(tabular.RowError(SHEET, 1, c, _("required column is missing")) for c in missing)
        return report, [], {}
    if tahap.status != TahapAnggaran.Status.PENYUSUNAN:
        report.errors.append(tabular.RowError(SHEET, 1, "tahap", _("%(t)s is adopted and locked.") % {"t": tahap}))
        return report, [], {}
    look = _Lookups(tahap, user)
    cleaned: list[tuple[int, int, dict]] = []  # (unit_id, sub_kegiatan_id, values)
    first_row: dict[int, int] = {}
    added: dict[int, Decimal] = defaultdict(Decimal)
    for position, row in enumerate(rows, start=2):
        line_no = getattr(row, "line", None) or position
        errors: list[tuple[str, str]] = []
        tahun = row.get("tahun", "").strip()
        if tahun and tahun != str(tahap.tahun):
            errors.append(("tahun", _("%(v)s is not the year of %(t)s") % {"v": tahun, "t": tahap}))
        if not _tahap_matches(tahap, row.get("tahap", "")):
            errors.append(("tahap", _("%(v)s is not the chosen round %(t)s") % {"v": row["tahap"], "t": tahap.nama}))
        unit = look.units.get(row.get("kode_skpd", "").strip())
        sub_id = None
        if unit is None:
            errors.append(("kode_skpd", _("unknown unit code %(v)s") % {"v": row.get("kode_skpd") or "—"}))
        elif look.scope is not None and not look.scope.covers_path(unit.path):
            errors.append(("kode_skpd", _("you may not draft the budget of %(u)s") % {"u": unit.nama}))
        else:
            kode_sub = row.get("kode_sub_kegiatan", "").strip()
            sub_id = look.subs.get((unit.pk, kode_sub))
            if sub_id is None:
                errors.append(
                    (
                        "kode_sub_kegiatan",
                        _("%(k)s is not in the %(t)s Renja of %(u)s")
                        % {"k": kode_sub or "—", "t": tahap.tahun, "u": unit.nama},
                    )
                )
            elif sub_id in look.rka and look.rka[sub_id][1] not in svc.EDITABLE:
                errors.append(("kode_sub_kegiatan", _("its RKA is submitted or approved: it cannot be changed")))
        data = {
            "kode_rekening": row.get("kode_rekening", "").strip(),
            "uraian": row.get("uraian", ""),
            "spesifikasi": row.get("spesifikasi", ""),
            "volume": row.get("koefisien", ""),
            "satuan": row.get("satuan", ""),
            "harga_satuan": row.get("harga_satuan", ""),
            "kode_ssh": row.get("kode_ssh", ""),
            "justifikasi": row.get("justifikasi", ""),
            "sumber_dana": row.get("sumber_dana", ""),
        }
        values = None
        try:
            values = svc.clean_line(tahap.tahun, data, rekening_of=look.rekening_of, ssh_of=look.ssh_of)
        except ValidationError as exc:
            column = {"volume": "koefisien"}
            for name, messages in exc.message_dict.items():
                errors.extend((column.get(name, name), m) for m in messages)
        if errors:
            report.errors.extend(tabular.RowError(SHEET, line_no, c, m) for c, m in errors)
            continue
        cleaned.append((unit.pk, sub_id, values))
        first_row.setdefault(unit.pk, line_no)
        added[unit.pk] += values["jumlah"]
    if not report.errors:
        report.errors.extend(_pagu_errors(tahap, added, first_row, lock=False))
    return report, cleaned, first_row


def _pagu_errors(tahap, added: dict, first_row: dict, lock: bool) -> list[tabular.RowError]:
    pagu_rows = Pagu.objects.filter(tahap=tahap, unit_id__in=list(added)).select_related("unit", "tahap")
    if lock:
        pagu_rows = pagu_rows.select_for_update().order_by("pk")
    pagu = {p.unit_id: p for p in pagu_rows}
    used = dict(
        Rka.objects.filter(tahap=tahap, unit_id__in=list(added))
        .values("unit_id")
        .annotate(s=Sum("total"))
        .values_list("unit_id", "s")
    )
    errors = []
    from terpadu.organisasi.models import UnitKerja

    names = dict(UnitKerja.objects.filter(pk__in=list(added)).values_list("pk", "nama"))
    for unit_id, amount in added.items():
        ceiling = pagu.get(unit_id)
        if ceiling is None:
            errors.append(
                tabular.RowError(
                    SHEET,
                    first_row[unit_id],
                    "kode_skpd",
                    _("%(opd)s has no ceiling (pagu) in %(t)s") % {"opd": names[unit_id], "t": tahap.nama},
                )
            )
            continue
        total = (used.get(unit_id) or Decimal(0)) + amount
        if total > ceiling.nilai:
            errors.append(
                tabular.RowError(SHEET, first_row[unit_id], "kode_skpd", svc._over_pagu_message(ceiling, total))
            )
    return errors


def import_rincian(tahap: TahapAnggaran, rows: list[dict], dry_run: bool, user=None, progress=None):
    report, cleaned, first_row = validate(tahap, rows, user)
    report.dry_run = dry_run
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        tahap = TahapAnggaran.objects.select_for_update().get(pk=tahap.pk)
        if tahap.status != TahapAnggaran.Status.PENYUSUNAN:
            report.errors.append(tabular.RowError(SHEET, 1, "tahap", _("%(t)s is adopted and locked.") % {"t": tahap}))
            return report
        added: dict[int, Decimal] = defaultdict(Decimal)
        for unit_id, _sub, values in cleaned:
            added[unit_id] += values["jumlah"]
        errors = _pagu_errors(tahap, added, first_row, lock=True)
        if errors:
            report.errors.extend(errors)
            return report
        existing = {
            s: (pk, status)
            for pk, s, status in Rka.objects.select_for_update()
            .filter(tahap=tahap)
            .values_list("pk", "sub_kegiatan_id", "status")
        }
        for sub_id in {s for _u, s, _v in cleaned}:
            if sub_id in existing and existing[sub_id][1] not in svc.EDITABLE:
                report.errors.append(
                    tabular.RowError(SHEET, 1, "kode_sub_kegiatan", _("an RKA was submitted meanwhile"))
                )
                return report
        units = {}
        for unit_id, sub_id, _values in cleaned:
            units.setdefault(sub_id, unit_id)
        new_rka = [
            Rka(tahap=tahap, sub_kegiatan_id=s, unit_id=u, tahun=tahap.tahun)
            for s, u in units.items()
            if s not in existing
        ]
        Rka.objects.bulk_create(new_rka, batch_size=svc.BATCH)
        rka_of = dict(tahap.rka.values_list("sub_kegiatan_id", "pk"))
        before = dict(Rka.objects.filter(pk__in=rka_of.values()).values_list("pk", "total"))
        urutan = defaultdict(
            int,
            RincianBelanja.objects.filter(rka__tahap=tahap)
            .values("rka_id")
            .annotate(m=Max("urutan"))
            .values_list("rka_id", "m"),
        )
        batch, done, total = [], 0, len(cleaned)
        counts: dict[int, int] = defaultdict(int)
        for _unit, sub_id, values in cleaned:
            rka_id = rka_of[sub_id]
            urutan[rka_id] += 1
            counts[rka_id] += 1
            batch.append(RincianBelanja(rka_id=rka_id, urutan=urutan[rka_id], **values))
            if len(batch) >= svc.BATCH:
                RincianBelanja.objects.bulk_create(batch)
                done += len(batch)
                batch = []
                if progress:
                    progress(done, total)
        if batch:
            RincianBelanja.objects.bulk_create(batch)
            done += len(batch)
        totals = dict(
            RincianBelanja.objects.filter(rka_id__in=list(counts))
            .values("rka_id")
            .annotate(s=Sum("jumlah"))
            .values_list("rka_id", "s")
        )
        changed = []
        for rka in Rka.objects.filter(pk__in=list(counts)).select_related("sub_kegiatan__sub_kegiatan", "tahap"):
            rka.total = totals.get(rka.pk) or Decimal(0)
            changed.append(rka)
        Rka.objects.bulk_update(changed, ["total"], batch_size=svc.BATCH)
        for rka in changed:
            audit.record(
                rka,
                "import",
                {"rincian": [None, counts[rka.pk]], "total": [str(before.get(rka.pk, "0")), str(rka.total)]},
            )
        report.created = done
        if progress:
            progress(done, total)
    return report


# -- the job --------------------------------------------------------------------------------------------


@jobs.task("anggaran.import_rincian", max_attempts=1)
def import_rincian_job(job_id: int, file_id: int, kind: str, tahap_id: int, dry_run: bool, user_id=None) -> None:
    from django.contrib.auth import get_user_model

    from terpadu.core.context import acting
    from terpadu.core.jobs import progress_alias

    job = JobRecord.objects.get(pk=job_id)
    if job.is_finished:
        return
    JobRecord.objects.filter(pk=job_id).update(status=JobRecord.Status.RUNNING, started=timezone.now())
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    stored = StoredFile.objects.get(pk=file_id)
    with stored.file.open("rb") as handle:
        data = handle.read()

    def progress(done: int, total: int) -> None:
        JobRecord.objects.using(progress_alias()).filter(pk=job_id).update(progress_done=done, progress_total=total)

    try:
        rows = read_rows(kind, data)
        JobRecord.objects.filter(pk=job_id).update(progress_total=len(rows))
        with acting(user, via="job"):
            report = import_rincian(TahapAnggaran.objects.get(pk=tahap_id), rows, dry_run, user, progress)
    except (tabular.TableError, ValidationError) as exc:
        _finish(job_id, JobRecord.Status.FAILED, " ".join(getattr(exc, "messages", [str(exc)])), {})
        return
    _finish(job_id, *outcome(report))


def outcome(report: tabular.ImportReport) -> tuple[str, str, dict]:
    if report.ok and report.dry_run:
        message = ngettext(
            "Dry run: the %(n)d line is valid. Nothing was written.",
            "Dry run: all %(n)d lines are valid. Nothing was written.",
            report.rows,
        ) % {"n": report.rows}
    elif report.ok:
        message = _("Imported: %(c)d budget lines.") % {"c": report.created}
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
def start_import(user, stored: StoredFile, kind: str, tahap: TahapAnggaran, dry_run: bool) -> JobRecord:
    title = (_("Check import of %(f)s") if dry_run else _("Import of %(f)s")) % {"f": stored.original_name}
    job = JobRecord.objects.create(kind="anggaran.import_rincian", title=title, owner=user)
    jobs.defer(
        "anggaran.import_rincian",
        job_id=job.pk,
        file_id=stored.pk,
        kind=kind,
        tahap_id=tahap.pk,
        dry_run=dry_run,
        user_id=user.pk if user else None,
    )
    return job


# -- export ---------------------------------------------------------------------------------------------


def export_rows(tahap: TahapAnggaran, rka_scope):
    lines = (
        RincianBelanja.objects.filter(rka__in=rka_scope.filter(tahap=tahap).values("pk"))
        .order_by("rka__unit__path", "rka__sub_kegiatan__sub_kegiatan__kode", "rekening__kode", "urutan", "pk")
        .values_list(
            "rka__unit__kode",
            "rka__sub_kegiatan__sub_kegiatan__kode",
            "rekening__kode",
            "uraian",
            "spesifikasi",
            "volume",
            "satuan",
            "harga_satuan",
            "standar_harga__kode",
            "justifikasi",
            "sumber_dana",
        )
    )
    for unit, sub, rek, uraian, spek, volume, satuan, harga, ssh, just, dana in lines.iterator(chunk_size=svc.BATCH):
        yield [
            tahap.tahun,
            tahap.urutan,
            unit,
            sub,
            rek,
            uraian,
            spek,
            format(volume.normalize(), "f"),
            satuan,
            harga,
            ssh or "",
            just,
            dana,
        ]


def export_file(tahap: TahapAnggaran, rka_scope, fmt: str) -> bytes:
    rows = export_rows(tahap, rka_scope)
    if fmt == "xlsx":
        return tabular.write_xlsx({SHEET: (COLUMNS, rows)})
    return tabular.write_csv(COLUMNS, rows)
