"""Import and export of the kode rekening (the engine of perencanaan/importing_master.py: the SIPD shape
kode_akun, nama_akun, … kode_sub_rincian_objek, nama_sub_rincian_objek, or the flat level/code/name/parent_code)
and of a year's standar harga (kode, uraian, spesifikasi, satuan, harga, kode_rekening — a comma-separated
list of budgetable accounts of that year —, jenis, aktif). All-or-nothing, row errors name line and column."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from terpadu.anggaran import services_master
from terpadu.anggaran.models import KodeRekening, StandarHarga
from terpadu.core import tabular
from terpadu.perencanaan import importing_master as tree_io

SSH_COLUMNS = ["kode", "uraian", "spesifikasi", "satuan", "harga", "kode_rekening", "jenis", "aktif"]


def run_rekening(versi, kind: str, data: bytes, dry_run: bool) -> tabular.ImportReport:
    return tree_io.run(services_master.REKENING, versi, kind, data, dry_run)


def export_rekening(versi, fmt: str, shape: str = "sipd") -> bytes:
    return tree_io.export_file(services_master.REKENING, versi, fmt, shape)


class StandarHargaImporter(tabular.Importer):
    sheet = "standar_harga"
    required = ("kode", "uraian", "satuan", "harga", "kode_rekening")
    optional = ("spesifikasi", "jenis", "aktif")

    def __init__(self, tahun: int):
        self.tahun = tahun

    def start(self):
        versi = services_master.engine.versi_of(services_master.REKENING, self.tahun)
        self.rekening = {
            k.kode: k for k in (KodeRekening.objects.filter(versi=versi) if versi else KodeRekening.objects.none())
        }
        self.existing = set(StandarHarga.objects.filter(tahun=self.tahun).values_list("kode", flat=True))
        self.seen: dict[str, int] = {}

    def clean_row(self, row, line):
        errors: list[tuple[str, str]] = []
        kode = row.get("kode", "").strip()
        if not kode:
            errors.append(("kode", _("required")))
        elif kode in self.seen:
            errors.append(("kode", _("appears twice in the file (line %(n)s)") % {"n": self.seen[kode]}))
        for column in ("uraian", "satuan"):
            if not row.get(column, "").strip():
                errors.append((column, _("required")))
        try:
            harga = services_master.parse_harga(row.get("harga", ""))
        except ValidationError as exc:
            errors.append(("harga", " ".join(exc.messages)))
            harga = None
        codes = [c.strip() for c in row.get("kode_rekening", "").replace(";", ",").split(",") if c.strip()]
        if not codes:
            errors.append(("kode_rekening", _("name at least one kode rekening")))
        for code in codes:
            account = self.rekening.get(code)
            if account is None or not account.aktif:
                message = _("%(kode)s is an unknown or retired code in the %(tahun)s edition of the kode rekening.")
                errors.append(("kode_rekening", message % {"kode": code, "tahun": self.tahun}))
            elif account.level != services_master.REKENING.leaf:
                message = _("%(kode)s is not a sub rincian objek: only those may be budgeted.")
                errors.append(("kode_rekening", message % {"kode": code}))
        jenis = row.get("jenis", "").strip().lower() or StandarHarga.Jenis.SSH
        if jenis not in StandarHarga.Jenis.values:
            errors.append(("jenis", _("must be one of %(v)s") % {"v": ", ".join(StandarHarga.Jenis.values)}))
        self.seen.setdefault(kode, line)
        cleaned = {
            "kode": kode,
            "uraian": row.get("uraian", "").strip()[:300],
            "spesifikasi": row.get("spesifikasi", "").strip()[:500],
            "satuan": row.get("satuan", "").strip()[:40],
            "harga": harga,
            "rekening": codes,
            "jenis": jenis,
        }
        if row.get("aktif", "").strip():
            cleaned["aktif"] = row["aktif"].strip().lower() not in tree_io.FALSE_WORDS
        return cleaned, errors

    def apply_row(self, cleaned):
        _item, created = services_master.save_standar_harga(self.tahun, cleaned)
        return created


def run_standar_harga(tahun: int, kind: str, data: bytes, dry_run: bool) -> tabular.ImportReport:
    rows = tree_io.read_rows(kind, data, "standar_harga")
    return tabular.run_import([(StandarHargaImporter(tahun), rows)], dry_run=dry_run)


def export_standar_harga(queryset, fmt: str) -> bytes:
    items = queryset.prefetch_related("rekening").order_by("tahun", "kode")
    rows = (
        [
            i.kode,
            i.uraian,
            i.spesifikasi,
            i.satuan,
            f"{i.harga:.2f}",
            ",".join(sorted(r.kode for r in i.rekening.all())),
            i.jenis,
            "1" if i.aktif else "0",
        ]
        for i in items
    )
    if fmt == "xlsx":
        return tabular.write_xlsx({"standar_harga": (SSH_COLUMNS, rows)})
    return tabular.write_csv(SSH_COLUMNS, rows)
