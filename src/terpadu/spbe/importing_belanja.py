"""Import of entered ICT spending lines (years or spending without DPA lines), CSV or XLSX, all-or-nothing with a
dry run (core.tabular). Columns: tahun, kode_unit, uraian, kategori, nilai, and optionally domain + kode_elemen,
peta_rencana (id or exact name), aplikasi (exact name). Every lookup is one query up front."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from terpadu.core import audit, authz, tabular
from terpadu.spbe import services_belanja as svc
from terpadu.spbe.models import Aplikasi, BelanjaTik, ElemenArsitektur, PetaRencanaItem

SHEET = "belanja_tik"
COLUMNS = ["tahun", "kode_unit", "uraian", "kategori", "nilai", "domain", "kode_elemen", "peta_rencana", "aplikasi"]


def read_rows(name: str, data: bytes) -> list[dict]:
    if name.lower().endswith(".xlsx"):
        sheets = tabular.read_xlsx(data)
        return sheets.get(SHEET) or next(iter(sheets.values()), [])
    if name.lower().endswith(".csv"):
        return tabular.read_csv(data)
    raise tabular.TableError(_("Upload a .csv or .xlsx file."))


class BelanjaImporter(tabular.Importer):
    sheet = SHEET
    required = ("tahun", "kode_unit", "uraian", "kategori", "nilai")
    optional = ("domain", "kode_elemen", "peta_rencana", "aplikasi")

    def __init__(self, user):
        self.user = user

    def start(self) -> None:
        from terpadu.organisasi.models import UnitKerja

        self.units = {u.kode: u for u in UnitKerja.objects.current()}
        if self.user is None:  # the system (demo, commands)
            self.scope = authz.EVERYTHING
        else:
            self.scope = authz.scope(self.user, "spbe.manage").union(authz.scope(self.user, "spbe.propose"))
        self.elemen: dict = {}
        for e in ElemenArsitektur.objects.all():
            self.elemen.setdefault(e.kode, []).append(e)
        self.rencana = {str(r.pk): r for r in PetaRencanaItem.objects.all()}
        self.rencana_nama: dict = {}
        for r in self.rencana.values():
            self.rencana_nama.setdefault(r.nama.strip().lower(), []).append(r)
        self.aplikasi: dict = {}
        for a in Aplikasi.objects.all():
            self.aplikasi.setdefault(a.nama.strip().lower(), []).append(a)

    def clean_row(self, row: dict, line: int):
        errors: list[tuple[str, str]] = []
        data: dict = {}
        try:
            data["tahun"] = int(row.get("tahun", ""))
        except ValueError:
            errors.append(("tahun", _("not a year: %(v)s") % {"v": row.get("tahun")}))
        unit = self.units.get(row.get("kode_unit", ""))
        if unit is None:
            errors.append(("kode_unit", _("unknown unit code %(v)s") % {"v": row.get("kode_unit")}))
        elif not self.scope.covers_path(unit.path):
            errors.append(("kode_unit", _("you may not enter ICT spending of %(u)s") % {"u": unit.nama}))
        data["unit"] = unit
        data["uraian"] = row.get("uraian", "")
        data["kategori"] = row.get("kategori", "")
        try:
            data["nilai"] = svc._money(row.get("nilai", ""))
        except ValidationError as exc:
            errors.append(("nilai", " ".join(exc.messages)))
        kode = row.get("kode_elemen", "")
        if kode:
            found = [e for e in self.elemen.get(kode, []) if not row.get("domain") or e.domain == row.get("domain")]
            if len(found) != 1:
                errors.append(("kode_elemen", _("no single architecture element %(v)s") % {"v": kode}))
            else:
                data["elemen"] = found[0]
        ref = row.get("peta_rencana", "")
        if ref:
            found = [self.rencana[ref]] if ref in self.rencana else self.rencana_nama.get(ref.strip().lower(), [])
            if len(found) != 1:
                errors.append(("peta_rencana", _("no single Peta Rencana item %(v)s") % {"v": ref}))
            else:
                data["peta_rencana"] = found[0]
        name = row.get("aplikasi", "")
        if name:
            found = self.aplikasi.get(name.strip().lower(), [])
            if len(found) != 1:
                errors.append(("aplikasi", _("no single application named %(v)s") % {"v": name}))
            else:
                data["aplikasi"] = found[0]
        if not errors:
            if not data["uraian"].strip():
                errors.append(("uraian", _("describe the spending")))
            if data["kategori"] not in BelanjaTik.Kategori.values:
                errors.append(("kategori", _("one of %(v)s") % {"v": ", ".join(BelanjaTik.Kategori.values)}))
        if not errors:
            try:
                svc._check_links(data, data["tahun"])
            except ValidationError as exc:
                errors.extend((k, " ".join(v)) for k, v in exc.message_dict.items())
        return (None if errors else data), errors

    def apply_row(self, cleaned: dict) -> bool:
        belanja = BelanjaTik.objects.create(
            tahun=cleaned["tahun"],
            unit=cleaned["unit"],
            uraian=cleaned["uraian"].strip()[:300],
            kategori=cleaned["kategori"],
            nilai=cleaned["nilai"],
            sumber=BelanjaTik.Sumber.IMPOR,
            elemen=cleaned.get("elemen"),
            peta_rencana=cleaned.get("peta_rencana"),
            aplikasi=cleaned.get("aplikasi"),
        )
        audit.record(belanja, "import", audit.diff(None, audit.snapshot(belanja)))
        return True


def run(user, name: str, data: bytes, dry_run: bool) -> tabular.ImportReport:
    rows = read_rows(name, data)
    return tabular.run_import([(BelanjaImporter(user), rows)], dry_run)
