"""Import and export of the application catalogue (CSV/XLSX through core.tabular: validate every row first,
then write all or nothing). An application is matched by name and owner OPD code: a known one is updated.

Columns: nama, jenis, unit (OPD code, empty = without an owner), fungsi_bisnis (required), then singkatan,
aplikasi_nasional (name), bidang, pengguna, hosting, teknologi, url, status, tanggal_usulan, tanggal_operasi,
tanggal_dihentikan, audit_keamanan_terakhir, time, layanan (codes of layanan elements, comma separated), publik.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from terpadu.core import tabular
from terpadu.organisasi.models import UnitKerja
from terpadu.spbe import services_katalog
from terpadu.spbe.models import Aplikasi, AplikasiNasional, Domain, ElemenArsitektur

REQUIRED = ("nama", "jenis", "unit", "fungsi_bisnis")
OPTIONAL = (
    "singkatan", "aplikasi_nasional", "bidang", "pengguna", "hosting", "teknologi", "url", "status",
    "tanggal_usulan", "tanggal_operasi", "tanggal_dihentikan", "audit_keamanan_terakhir", "time", "layanan",
    "publik",
)  # fmt: skip
COLUMNS = [*REQUIRED, *OPTIONAL]
DATES = ("tanggal_usulan", "tanggal_operasi", "tanggal_dihentikan", "audit_keamanan_terakhir")
TEXT = ("singkatan", "bidang", "pengguna", "teknologi", "url")


class AplikasiImporter(tabular.Importer):
    sheet = "aplikasi"
    required = REQUIRED
    optional = OPTIONAL

    def __init__(self, user):
        self.user = user

    def start(self):
        self.units = {u.kode: u for u in UnitKerja.objects.all()}
        self.nasional = {n.nama.lower(): n for n in AplikasiNasional.objects.all()}
        self.layanan = {
            e.kode: e
            for e in ElemenArsitektur.objects.filter(domain=Domain.LAYANAN).exclude(
                status=ElemenArsitektur.Status.DIHENTIKAN
            )
        }
        self.existing = {(a.nama.lower(), a.unit_id): a for a in Aplikasi.objects.select_related("unit")}
        self.seen: dict[tuple, int] = {}

    def clean_row(self, row, line):
        errors: list[tuple[str, str]] = []
        values: dict = {}
        nama = row.get("nama", "").strip()
        values["nama"] = nama[:200]
        values["fungsi_bisnis"] = row.get("fungsi_bisnis", "").strip()
        values["jenis"] = row.get("jenis", "").strip().lower()
        kode_unit = row.get("unit", "").strip()
        unit = self.units.get(kode_unit) if kode_unit else None
        if kode_unit and unit is None:
            errors.append(("unit", _("%(k)s is not a known unit code.") % {"k": kode_unit}))
        values["unit"] = unit
        for column in TEXT:
            values[column] = row.get(column, "").strip()[:300]
        nasional_name = row.get("aplikasi_nasional", "").strip()
        values["aplikasi_nasional"] = self.nasional.get(nasional_name.lower()) if nasional_name else None
        if nasional_name and values["aplikasi_nasional"] is None:
            errors.append(("aplikasi_nasional", _("%(n)s is not a known national application.") % {"n": nasional_name}))
        for column, choices in (("hosting", Aplikasi.Hosting), ("time", Aplikasi.Time), ("status", Aplikasi.Status)):
            value = row.get(column, "").strip().lower()
            if value and value not in choices.values:
                errors.append((column, _("must be one of %(v)s") % {"v": ", ".join(choices.values)}))
            values[column] = value
        for column in DATES:
            text = row.get(column, "").strip()
            try:
                values[column] = dt.date.fromisoformat(text) if text else None
            except ValueError:
                errors.append((column, _("%(v)s is not a date (YYYY-MM-DD).") % {"v": text}))
                values[column] = None
        publik = row.get("publik", "").strip().lower()
        values["publik"] = publik in services_katalog.TRUE_WORDS if publik else True
        layanan = []
        for code in [c.strip() for c in row.get("layanan", "").replace(";", ",").split(",") if c.strip()]:
            if code not in self.layanan:
                errors.append(("layanan", _("%(k)s is not a layanan element in use.") % {"k": code}))
            else:
                layanan.append(self.layanan[code])
        key = (nama.lower(), unit.pk if unit else None)
        if nama and key in self.seen:
            errors.append(("nama", _("appears twice in the file (line %(n)s)") % {"n": self.seen[key]}))
        self.seen.setdefault(key, line)
        instance = self.existing.get(key)
        values["status"] = values["status"] or (instance.status if instance else Aplikasi.Status.USULAN)
        if self.user is not None:
            if instance is not None and not services_katalog.may_edit(self.user, instance):
                errors.append(("nama", _("You may not change this application.")))
            elif not services_katalog.may_own(self.user, unit):
                errors.append(("unit", _("You may not register applications for this OPD.")))
        if instance is not None and values["status"] != instance.status:
            errors.append(("status", _("Change the lifecycle status of an existing application on its page.")))
        for field, messages in services_katalog.validate(values, instance).items():
            errors.extend((field, m) for m in messages)
        return {"values": values, "layanan": layanan, "instance": instance}, errors

    def apply_row(self, cleaned):
        instance = cleaned["instance"]
        try:
            if instance is None:
                services_katalog.create_aplikasi(self.user, cleaned["values"], cleaned["layanan"])
                return True
            services_katalog.update_aplikasi(self.user, instance, cleaned["values"], cleaned["layanan"])
            return False
        except PermissionDenied as exc:  # validated above; kept as a guard
            raise ValidationError(str(exc)) from exc


def read_rows(kind: str, data: bytes) -> list[dict]:
    if kind == "xlsx":
        sheets = tabular.read_xlsx(data)
        return sheets.get("aplikasi") or (next(iter(sheets.values())) if sheets else [])
    return tabular.read_csv(data)


def run(user, kind: str, data: bytes, dry_run: bool) -> tabular.ImportReport:
    rows = read_rows(kind, data)
    return tabular.run_import([(AplikasiImporter(user), rows)], dry_run=dry_run)


def export_rows(queryset):
    items = queryset.select_related("unit", "aplikasi_nasional").prefetch_related("layanan").order_by("nama", "pk")
    for a in items:
        yield [
            a.nama, a.jenis, a.unit.kode if a.unit else "", a.fungsi_bisnis, a.singkatan,
            a.aplikasi_nasional.nama if a.aplikasi_nasional else "", a.bidang, a.pengguna, a.hosting, a.teknologi,
            a.url, a.status, *(getattr(a, d).isoformat() if getattr(a, d) else "" for d in DATES), a.time,
            ",".join(sorted(e.kode for e in a.layanan.all())), "1" if a.publik else "0",
        ]  # fmt: skip


def export_file(queryset, fmt: str) -> bytes:
    if fmt == "xlsx":
        return tabular.write_xlsx({"aplikasi": (COLUMNS, export_rows(queryset))})
    return tabular.write_csv(COLUMNS, export_rows(queryset))
