"""Import and export of a code edition (nomenklatur here; kode rekening reuses it) as CSV or XLSX.

Two shapes are read, chosen by the header:

- the shape of a SIPD export: one row per leaf code with every ancestor's code and name in its own
  columns (kode_urusan, nama_urusan, … kode_sub_kegiatan, nama_sub_kegiatan, kinerja, indikator, satuan);
  the ancestors are implied by the row. A row may stop at a higher level (its deepest filled code);
- the flat shape of the reference CSV: level, code, name, parent_code (+ confidence, source, aktif …).

Every row is checked first (shape per level, the parent is the level above and the start of the code,
the parent exists in the edition or in the file and is in use, one name per code in the file); if any row
is wrong nothing is written and each problem names its line and column. Existing codes are renamed/updated;
`aktif` changes only through the flat shape's `aktif` column.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from terpadu.core import tabular
from terpadu.perencanaan import services_master as engine
from terpadu.perencanaan.models import Keyakinan

FALSE_WORDS = ("0", "tidak", "no", "false", "n")


class _TreeImporter(tabular.Importer):
    def __init__(self, tree: engine.KodeTree, versi):
        self.tree = tree
        self.versi = versi

    def start(self):
        self.known = {code.kode: code for code in self.tree.kode_model.objects.filter(versi=self.versi)}
        self.pending: dict[str, dict] = {}  # kode -> {"level", "nama", "line"} as first seen in the file
        self.applied: set[str] = set()

    # -- checks shared by both shapes -----------------------------------------------------------------

    def _entry(self, level, kode, nama, line, column, errors, *, parent_kode=None, extra=None, is_row=False):
        tree = self.tree
        try:
            tree.check(level, kode)
        except ValidationError as exc:
            errors.append((column, " ".join(exc.messages)))
            return None
        existing = self.known.get(kode)
        if existing is not None and existing.level != level:
            errors.append(
                (column, _("%(kode)s is a %(level)s code in this edition.")
                 % {"kode": kode, "level": tree.level_labels[existing.level]})
            )  # fmt: skip
            return None
        seen = self.pending.get(kode)
        if seen is not None and nama and seen["nama"] and seen["nama"] != nama:
            errors.append(
                (column.replace("kode_", "nama_") if column.startswith("kode_") else "name",
                 _("%(kode)s is named differently on line %(line)s (%(nama)s).")
                 % {"kode": kode, "line": seen["line"], "nama": seen["nama"]})
            )  # fmt: skip
        if not nama and existing is None and seen is None:
            errors.append(
                (column.replace("kode_", "nama_") if column.startswith("kode_") else "name",
                 _("a name is required for the new code %(kode)s") % {"kode": kode})
            )  # fmt: skip
        expected = tree.expected_parent(kode, level)
        if parent_kode is not None and parent_kode != (expected or ""):
            if expected is None:
                errors.append(("parent_code", _("a top-level code has no parent")))
            else:
                errors.append(
                    ("parent_code", _("the parent of %(kode)s must be the %(level)s code %(expected)s")
                     % {"kode": kode, "level": tree.level_labels[tree.parent_level(level)], "expected": expected})
                )  # fmt: skip
            return None
        return {"level": level, "kode": kode, "nama": nama, "parent_kode": expected, "extra": extra or {}}

    def _check_parent(self, entry, column, errors, in_row: set[str]):
        parent_kode = entry["parent_kode"]
        if not parent_kode or parent_kode in in_row:
            return
        parent = self.known.get(parent_kode)
        if parent is None and parent_kode not in self.pending:
            errors.append(
                (column, _("the parent code %(p)s is neither in the %(tahun)s edition nor in the file")
                 % {"p": parent_kode, "tahun": self.versi.tahun})
            )  # fmt: skip
        elif parent is not None and not parent.aktif:
            errors.append((column, _("the parent code %(p)s is retired") % {"p": parent_kode}))

    def _remember(self, entries, line):
        for entry in entries:
            if entry["kode"] not in self.pending:
                self.pending[entry["kode"]] = {"level": entry["level"], "nama": entry["nama"], "line": line}
            elif entry["nama"] and not self.pending[entry["kode"]]["nama"]:
                self.pending[entry["kode"]]["nama"] = entry["nama"]

    # -- writing ---------------------------------------------------------------------------------------

    def _write(self, entry) -> bool:
        """Create or update one code; True when created."""
        kode = entry["kode"]
        if kode in self.applied:
            return False
        self.applied.add(kode)
        data = {name: value for name, value in entry["extra"].items() if name != "aktif"}
        if entry["nama"]:
            data["nama"] = entry["nama"]
        existing = self.known.get(kode)
        if existing is None:
            data.update(level=entry["level"], kode=kode)
            data["parent"] = self.known.get(entry["parent_kode"]) if entry["parent_kode"] else None
            data.setdefault("keyakinan", Keyakinan.LOCAL)
            code = engine.create_kode(self.tree, self.versi, data)
            created = True
        else:
            code = engine.update_kode(self.tree, existing, data) if data else existing
            created = False
        aktif = entry["extra"].get("aktif")
        if aktif is False and code.aktif:
            code = engine.retire_kode(self.tree, code)
        elif aktif is True and not code.aktif:
            code = engine.reactivate_kode(self.tree, code)
        self.known[kode] = code
        return created


class HierarchicalImporter(_TreeImporter):
    """The shape of a SIPD export: kode_<level>/nama_<level> columns, one row per leaf."""

    def __init__(self, tree, versi):
        super().__init__(tree, versi)
        self.sheet = tree.key
        self.required = (f"kode_{tree.leaf}",)

    def clean_row(self, row, line):
        errors: list[tuple[str, str]] = []
        entries = []
        in_row: set[str] = set()
        previous = None
        filled = [level for level in self.tree.levels if (row.get(f"kode_{level}") or "").strip()]
        if not filled:
            return None, [(f"kode_{self.tree.leaf}", _("no code in this row"))]
        deepest = filled[-1]
        for level in self.tree.levels:
            column = f"kode_{level}"
            kode = (row.get(column) or "").strip()
            if not kode:
                continue
            nama = (row.get(f"nama_{level}") or "").strip()
            extra = self._extra(row, errors) if level == deepest else {}
            entry = self._entry(level, kode, nama, line, column, errors, extra=extra)
            if entry is None:
                continue
            if (
                previous is not None
                and entry["parent_kode"] != previous["kode"]
                and (self.tree.parent_level(level) == previous["level"])
            ):
                errors.append(
                    (column, _("%(kode)s does not start with %(parent)s (column %(col)s)")
                     % {"kode": kode, "parent": previous["kode"], "col": f"kode_{previous['level']}"})
                )  # fmt: skip
            self._check_parent(entry, column, errors, in_row)
            in_row.add(kode)
            entries.append(entry)
            previous = entry
        if errors:
            return None, errors
        self._remember(entries, line)
        return {"entries": entries}, []

    def _extra(self, row, errors) -> dict:
        extra = {}
        for name in self.tree.extra_fields:
            if name in row and row[name].strip():
                extra[name] = row[name].strip()[: self.tree.lengths.get(name, 500)]
        return extra

    def apply_row(self, cleaned):
        created = False
        for entry in cleaned["entries"]:
            created = self._write(entry)
        return created


class FlatImporter(_TreeImporter):
    """The reference shape: level, code, name, parent_code (+ the tree's extra columns, confidence, source,
    aktif)."""

    required = ("level", "code", "name")

    def __init__(self, tree, versi):
        super().__init__(tree, versi)
        self.sheet = tree.key

    def clean_row(self, row, line):
        errors: list[tuple[str, str]] = []
        level = (row.get("level") or "").strip().lower()
        kode = (row.get("code") or "").strip()
        nama = (row.get("name") or "").strip()
        if level not in self.tree.levels:
            return None, [("level", _("must be one of %(v)s") % {"v": ", ".join(self.tree.levels)})]
        if kode in self.pending:
            return None, [("code", _("appears twice in the file (line %(n)s)") % {"n": self.pending[kode]["line"]})]
        extra = {}
        for name in self.tree.extra_fields:
            if name in row and row[name].strip():
                extra[name] = row[name].strip()[: self.tree.lengths.get(name, 500)]
        if "confidence" in row and row["confidence"].strip():
            value = row["confidence"].strip().lower()
            if value not in Keyakinan.values:
                errors.append(("confidence", _("must be one of %(v)s") % {"v": ", ".join(Keyakinan.values)}))
            extra["keyakinan"] = value
        if "source" in row and row["source"].strip():
            extra["sumber"] = row["source"].strip()[:500]
        if "aktif" in row and row["aktif"].strip():
            extra["aktif"] = row["aktif"].strip().lower() not in FALSE_WORDS
        parent_kode = (row.get("parent_code") or "").strip() if "parent_code" in row else None
        entry = self._entry(level, kode, nama, line, "code", errors, parent_kode=parent_kode, extra=extra)
        if entry is not None:
            self._check_parent(entry, "parent_code", errors, set())
        if errors or entry is None:
            return None, errors
        self._remember([entry], line)
        return {"entries": [entry]}, []

    def apply_row(self, cleaned):
        return self._write(cleaned["entries"][0])


def read_rows(kind: str, data: bytes, sheet: str) -> list:
    if kind == "xlsx":
        sheets = tabular.read_xlsx(data)
        return sheets.get(sheet) or next(iter(sheets.values()), [])
    if kind == "csv":
        return tabular.read_csv(data)
    raise tabular.TableError(_("Unknown import kind."))


def build_plan(tree: engine.KodeTree, versi, kind: str, data: bytes):
    rows = read_rows(kind, data, tree.key)
    header = set(rows[0]) if rows else set()
    if any(column.startswith("kode_") for column in header):
        return [(HierarchicalImporter(tree, versi), rows)]
    # Parents first, so the tree is built top-down; each row keeps its own line number.
    rows.sort(key=lambda r: engine.kode_sort_key(r.get("code", "")))
    return [(FlatImporter(tree, versi), rows)]


def run(tree: engine.KodeTree, versi, kind: str, data: bytes, dry_run: bool) -> tabular.ImportReport:
    """Check (and unless dry_run, write) a file; TableError for an unreadable file."""
    plan = build_plan(tree, versi, kind, data)
    return tabular.run_import(plan, dry_run=dry_run)


# -- export -----------------------------------------------------------------------------------------------


def export_rows(tree: engine.KodeTree, versi, shape: str = "sipd"):
    codes = sorted(
        tree.kode_model.objects.filter(versi=versi).select_related("parent"), key=lambda c: engine.kode_sort_key(c.kode)
    )
    if shape == "flat":
        columns = tree.flat_columns()
        rows = (
            [c.level, c.kode, c.nama, c.parent.kode if c.parent else ""]
            + [getattr(c, name) for name in tree.extra_fields]
            + [c.keyakinan, c.sumber, "1" if c.aktif else "0"]
            for c in codes
        )
        return columns, rows
    by_pk = {c.pk: c for c in codes}
    with_children = {c.parent_id for c in codes if c.parent_id}
    columns = tree.hierarchical_columns()
    index = {level: i for i, level in enumerate(tree.levels)}

    def row_of(code):
        cells = [""] * (2 * len(tree.levels))
        node = code
        while node is not None:
            position = 2 * index[node.level]
            cells[position], cells[position + 1] = node.kode, node.nama
            node = by_pk.get(node.parent_id)
        return cells + [getattr(code, name) for name in tree.extra_fields]

    # One row per leaf (a code without children: normally the deepest level), as SIPD exports them.
    return columns, (row_of(c) for c in codes if c.pk not in with_children)


def export_file(tree: engine.KodeTree, versi, fmt: str, shape: str = "sipd") -> bytes:
    columns, rows = export_rows(tree, versi, shape)
    if fmt == "xlsx":
        return tabular.write_xlsx({tree.key: (columns, rows)})
    return tabular.write_csv(columns, rows)
