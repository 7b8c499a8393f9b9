"""Master data of the planning chain: the nomenklatur editions (one per tahun anggaran), their codes and the
old → new mapping. The only code that changes these tables; every change is audited.

The same engine (`KodeTree` + the functions below) also runs the kode rekening editions of anggaran
(anggaran/services_master.py gives it its own tree): both are dotted code trees versioned per year.

Decisions the regulation leaves to us (documented in docs and tested):

- A code's parent is the code of the level above in the same edition, and the parent's code is the start
  of the child's code (2.16.03 → 2.16.03.2.02). The reference loader creates a missing parent as a
  placeholder (named "(induk tidak tercatat di referensi)", marked unconfirmed); imports and forms do not.
- Copying an edition copies its codes *in use* and writes the identity mapping old → new for each; retired
  codes stay behind (the worklist shows them until an administrator maps them or decides they end).
- Where the reference lists one code twice (a renamed program), the later row is the current name and the
  earlier name is kept in the code's `sumber` ("earlier name: …").
- map_forward follows the mapping edition by edition; where a code was split, the first target by code is
  returned (map_forward_all gives every target).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terpadu.core import audit, events
from terpadu.perencanaan.models import (
    EXAMPLE,
    KODE_PATTERN,
    LEVEL_ORDER,
    Keyakinan,
    Level,
    Nomenklatur,
    PemetaanNomenklatur,
    VersiNomenklatur,
)

DATA = Path(__file__).resolve().parent / "data"
PLACEHOLDER_NAME = "(induk tidak tercatat di referensi)"
EDITABLE = ("nama", "keyakinan", "sumber")


@dataclass(frozen=True)
class KodeTree:
    """A dotted code tree versioned per year (nomenklatur, kode rekening)."""

    key: str
    label: object  # lazy text, e.g. "nomenklatur"
    versi_model: type
    kode_model: type
    pemetaan_model: type
    levels: tuple[str, ...]
    level_labels: dict
    patterns: dict
    examples: dict
    module: str  # "perencanaan" / "anggaran": events and actions
    reference_csv: Path
    extra_fields: tuple[str, ...] = ()
    reference_name: str = ""
    lengths: dict = field(default_factory=dict)

    @property
    def leaf(self) -> str:
        return self.levels[-1]

    def parent_level(self, level: str) -> str | None:
        index = self.levels.index(level)
        return self.levels[index - 1] if index else None

    def level_of(self, kode: str) -> str | None:
        for level in self.levels:
            if re.match(self.patterns[level], kode or ""):
                return level
        return None

    def check(self, level: str, kode: str) -> None:
        if level not in self.levels:
            raise ValidationError(_("Unknown level %(value)s.") % {"value": level})
        if not re.match(self.patterns[level], kode or ""):
            raise ValidationError(
                _("%(kode)s is not a valid %(level)s code (expected the shape %(shape)s).")
                % {"kode": kode or "—", "level": self.level_labels[level], "shape": self.examples[level]}
            )

    def expected_parent(self, kode: str, level: str) -> str | None:
        """The code the parent must have: the longest start of `kode` that has the parent level's shape."""
        parent_level = self.parent_level(level)
        if parent_level is None:
            return None
        parts = kode.split(".")
        for end in range(len(parts) - 1, 0, -1):
            candidate = ".".join(parts[:end])
            if re.match(self.patterns[parent_level], candidate):
                return candidate
        return None

    def hierarchical_columns(self) -> list[str]:
        columns = []
        for level in self.levels:
            columns += [f"kode_{level}", f"nama_{level}"]
        return [*columns, *self.extra_fields]

    def flat_columns(self) -> list[str]:
        return ["level", "code", "name", "parent_code", *self.extra_fields, "confidence", "source", "aktif"]


NOMENKLATUR = KodeTree(
    key="nomenklatur",
    label=gettext_lazy("nomenklatur"),
    versi_model=VersiNomenklatur,
    kode_model=Nomenklatur,
    pemetaan_model=PemetaanNomenklatur,
    levels=tuple(str(level) for level in LEVEL_ORDER),
    level_labels={str(level): level.label for level in LEVEL_ORDER},
    patterns={str(level): pattern for level, pattern in KODE_PATTERN.items()},
    examples={str(level): example for level, example in EXAMPLE.items()},
    module="perencanaan",
    reference_csv=DATA / "nomenklatur_perencanaan.csv",
    extra_fields=("kinerja", "indikator", "satuan"),
    reference_name="Permendagri 90/2019 (referensi)",
    lengths={"nama": 500, "kinerja": 500, "indikator": 500, "satuan": 60, "sumber": 500},
)


def kode_sort_key(kode: str) -> tuple:
    """'2.16.03' after '2.16.02', 'X.XX' after the numbered bidang; parents before their children."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in (kode or "").split("."))


# -- editions -------------------------------------------------------------------------------------------


def versi_of(tree: KodeTree, tahun) -> object | None:
    try:
        return tree.versi_model.objects.filter(tahun=int(tahun)).first()
    except (TypeError, ValueError):
        return None


def current_versi(tree: KodeTree):
    """The edition of this calendar year, else the latest one before it, else the latest one."""
    year = timezone.localdate().year
    editions = tree.versi_model.objects.all()
    return (
        editions.filter(tahun=year).first()
        or editions.filter(tahun__lt=year).order_by("-tahun").first()
        or editions.order_by("-tahun").first()
    )


def _next_tahun_error(tree, tahun):
    if tree.versi_model.objects.filter(tahun=tahun).exists():
        raise ValidationError({"tahun": _("An edition for %(tahun)s already exists.") % {"tahun": tahun}})


@transaction.atomic
def create_versi(tree: KodeTree, tahun: int, data: dict, copy_from=None):
    """A new edition for `tahun`: empty, or a copy of `copy_from`'s codes in use with the identity mapping."""
    _next_tahun_error(tree, tahun)
    if copy_from is not None and copy_from.tahun >= tahun:
        raise ValidationError(
            {"copy_from": _("Copy from an earlier year's edition (%(tahun)s is not before %(new)s).")
             % {"tahun": copy_from.tahun, "new": tahun}}
        )  # fmt: skip
    values = {"tahun": tahun, "nama": (data.get("nama") or "").strip(), "dasar_hukum": data.get("dasar_hukum", "")}
    if hasattr(tree.versi_model, "catatan"):
        values["catatan"] = data.get("catatan", "")
    versi = tree.versi_model(**values)
    versi.full_clean()
    versi.save()
    copied = _copy_codes(tree, copy_from, versi) if copy_from is not None else 0
    changes = audit.diff(None, audit.snapshot(versi))
    if copy_from is not None:
        changes["copied_from"] = [None, copy_from.tahun]
        changes["codes"] = [None, copied]
    audit.record(versi, "create", changes)
    events.publish(f"{tree.module}.{tree.key}_versi_dibuat", {"versi_id": versi.pk})
    return versi


def _copy_codes(tree: KodeTree, source, target) -> int:
    """Codes in use of `source` into `target`, top-down, each with its identity mapping (bulk: thousands)."""
    Model = tree.kode_model
    fields = ["level", "kode", "nama", "aktif", "keyakinan", "sumber", *tree.extra_fields]
    by_level: dict[str, list] = {level: [] for level in tree.levels}
    for code in Model.objects.filter(versi=source, aktif=True).select_related("parent"):
        by_level[code.level].append(code)
    new_by_old: dict[int, object] = {}
    for level in tree.levels:
        batch = []
        olds = []
        for old in by_level[level]:
            if old.parent_id is not None and old.parent_id not in new_by_old:
                continue  # its parent is retired: it stays behind with it (the worklist shows it)
            copy = Model(versi=target, **{f: getattr(old, f) for f in fields})
            copy.parent = new_by_old.get(old.parent_id)
            batch.append(copy)
            olds.append(old)
        created = Model.objects.bulk_create(batch)
        if any(c.pk is None for c in created):  # backends that do not return keys
            lookup = {c.kode: c for c in Model.objects.filter(versi=target, level=level)}
            created = [lookup[c.kode] for c in batch]
        for old, new in zip(olds, created, strict=True):
            new_by_old[old.pk] = new
    tree.pemetaan_model.objects.bulk_create(
        [tree.pemetaan_model(dari_id=old_pk, ke=new) for old_pk, new in new_by_old.items()]
    )
    return len(new_by_old)


# -- codes ----------------------------------------------------------------------------------------------


def lookup(tree: KodeTree, tahun, kode: str, *, leaf_only: bool = False):
    """The code in the `tahun` edition, in use; a clear ValidationError otherwise."""
    kode = (kode or "").strip()
    versi = versi_of(tree, tahun)
    if versi is None:
        raise ValidationError(_("There is no %(label)s edition for %(tahun)s.") % {"label": tree.label, "tahun": tahun})
    code = tree.kode_model.objects.filter(versi=versi, kode=kode).first()
    if code is None or not code.aktif:
        raise ValidationError(
            _("%(kode)s is an unknown or retired code in the %(tahun)s edition of the %(label)s.")
            % {"kode": kode or "—", "tahun": versi.tahun, "label": tree.label}
        )
    if leaf_only and code.level != tree.leaf:
        raise ValidationError(
            _("%(kode)s is a %(level)s code: only %(leaf)s codes may be used here.")
            % {"kode": kode, "level": tree.level_labels[code.level], "leaf": tree.level_labels[tree.leaf]}
        )
    return code


def _validate(tree: KodeTree, code) -> None:
    errors: dict[str, list] = {}
    try:
        tree.check(code.level, code.kode)
    except ValidationError as exc:
        errors.setdefault("kode", []).extend(exc.messages)
    if not (code.nama or "").strip():
        errors.setdefault("nama", []).append(_("A name is required."))
    parent_level = tree.parent_level(code.level) if code.level in tree.levels else None
    parent = code.parent
    if "kode" not in errors:
        if parent_level is None and parent is not None:
            errors.setdefault("parent", []).append(_("A top-level code has no parent."))
        elif parent_level is not None and parent is None:
            errors.setdefault("parent", []).append(
                _("A %(level)s code needs its parent %(parent_level)s code %(expected)s in the same edition.")
                % {
                    "level": tree.level_labels[code.level],
                    "parent_level": tree.level_labels[parent_level],
                    "expected": tree.expected_parent(code.kode, code.level) or "—",
                }
            )
        elif parent is not None:
            if parent.versi_id != code.versi_id:
                errors.setdefault("parent", []).append(_("The parent belongs to another edition."))
            elif parent.level != parent_level:
                errors.setdefault("parent", []).append(
                    _("The parent of a %(level)s code must be a %(parent_level)s code, not a %(actual)s code.")
                    % {
                        "level": tree.level_labels[code.level],
                        "parent_level": tree.level_labels[parent_level],
                        "actual": tree.level_labels.get(parent.level, parent.level),
                    }
                )
            elif not code.kode.startswith(parent.kode + "."):
                errors.setdefault("kode", []).append(
                    _("The code %(kode)s must start with its parent's code %(parent)s.")
                    % {"kode": code.kode, "parent": parent.kode + "."}
                )
    if errors:
        raise ValidationError(errors)


def _resolve_parent(tree: KodeTree, versi, level: str, kode: str, data: dict):
    if data.get("parent") is not None:
        return data["parent"]
    parent_kode = (data.get("parent_kode") or "").strip() or tree.expected_parent(kode, level)
    if not parent_kode:
        return None
    return tree.kode_model.objects.filter(versi=versi, kode=parent_kode).first()


@transaction.atomic
def create_kode(tree: KodeTree, versi, data: dict):
    """A new code in `versi`. The level follows from the code's shape when not given; the parent from
    `parent` or `parent_kode`, else the code's own start (2.16.03 for 2.16.03.2.02)."""
    kode = (data.get("kode") or "").strip()
    level = data.get("level") or tree.level_of(kode) or tree.levels[0]
    if tree.kode_model.objects.filter(versi=versi, kode=kode).exists():
        raise ValidationError(
            {"kode": _("%(kode)s already exists in the %(tahun)s edition.") % {"kode": kode, "tahun": versi.tahun}}
        )
    parent = _resolve_parent(tree, versi, level, kode, data)
    code = tree.kode_model(versi=versi, level=level, kode=kode, parent=parent)
    for name in (*EDITABLE, *tree.extra_fields):
        if data.get(name) not in (None, ""):
            value = data[name]
            setattr(code, name, value[: tree.lengths[name]] if name in tree.lengths else value)
    if not data.get("keyakinan"):
        code.keyakinan = Keyakinan.LOCAL
    if parent is not None and not parent.aktif:
        raise ValidationError({"parent": _("The parent code %(kode)s is retired.") % {"kode": parent.kode}})
    _validate(tree, code)
    code.full_clean(exclude=["parent"])
    code.save()
    audit.record(code, "create", audit.diff(None, audit.snapshot(code)))
    return code


@transaction.atomic
def update_kode(tree: KodeTree, code, data: dict):
    """Rename, or change the performance statement, confidence or source. The code itself never changes:
    a renumbering is a new code with a mapping."""
    code = tree.kode_model.objects.select_for_update().get(pk=code.pk)
    before = audit.snapshot(code)
    for name in (*EDITABLE, *tree.extra_fields):
        if name in data and data[name] is not None:
            value = data[name].strip() if isinstance(data[name], str) else data[name]
            setattr(code, name, value[: tree.lengths[name]] if name in tree.lengths else value)
    _validate(tree, code)
    code.full_clean(exclude=["parent"])
    code.save()
    changes = audit.diff(before, audit.snapshot(code))
    if changes:
        audit.record(code, "rename" if set(changes) == {"nama"} else "update", changes)
    return code


def rename_kode(tree: KodeTree, code, nama: str):
    return update_kode(tree, code, {"nama": nama})


@transaction.atomic
def retire_kode(tree: KodeTree, code):
    """Stop the code being used anew. Plans and budgets that already use it keep it."""
    code = tree.kode_model.objects.select_for_update().get(pk=code.pk)
    if code.children.filter(aktif=True).exists():
        raise ValidationError(_("Retire the codes under %(kode)s first.") % {"kode": code.kode})
    if code.aktif:
        code.aktif = False
        code.save(update_fields=["aktif"])
        audit.record(code, "retire", {"aktif": [True, False]})
        events.publish(f"{tree.module}.{tree.key}_dipensiunkan", {"kode_id": code.pk})
    return code


@transaction.atomic
def reactivate_kode(tree: KodeTree, code):
    code = tree.kode_model.objects.select_for_update().get(pk=code.pk)
    if code.parent is not None and not code.parent.aktif:
        raise ValidationError(_("The parent code %(kode)s is retired.") % {"kode": code.parent.kode})
    if not code.aktif:
        code.aktif = True
        code.save(update_fields=["aktif"])
        audit.record(code, "reactivate", {"aktif": [False, True]})
    return code


# -- mapping --------------------------------------------------------------------------------------------


@transaction.atomic
def add_mapping(tree: KodeTree, dari, ke, catatan: str = ""):
    """dari (an earlier edition's code) continues as ke (a later edition's code, same level)."""
    if dari.versi.tahun >= ke.versi.tahun:
        raise ValidationError(
            _("A mapping goes from an earlier edition to a later one (%(a)s is not before %(b)s).")
            % {"a": dari.versi.tahun, "b": ke.versi.tahun}
        )
    if dari.level != ke.level:
        raise ValidationError(
            _("%(dari)s is a %(a)s code and %(ke)s a %(b)s code: a mapping keeps the level.")
            % {"dari": dari.kode, "ke": ke.kode, "a": tree.level_labels[dari.level], "b": tree.level_labels[ke.level]}
        )
    if tree.pemetaan_model.objects.filter(dari=dari, ke=ke).exists():
        raise ValidationError(_("%(dari)s is already mapped to %(ke)s.") % {"dari": dari.kode, "ke": ke.kode})
    pemetaan = tree.pemetaan_model.objects.create(dari=dari, ke=ke, catatan=(catatan or "")[:300])
    audit.record(pemetaan, "create", audit.diff(None, audit.snapshot(pemetaan)))
    return pemetaan


@transaction.atomic
def remove_mapping(tree: KodeTree, pemetaan) -> None:
    audit.record(pemetaan, "delete", audit.diff(audit.snapshot(pemetaan), None))
    pemetaan.delete()


def worklist(tree: KodeTree, dari_versi, ke_versi):
    """Codes in use of the older edition with no mapping to any code of the newer one."""
    return (
        tree.kode_model.objects.filter(versi=dari_versi, aktif=True)
        .exclude(pemetaan_ke__ke__versi=ke_versi)
        .order_by("kode")
    )


def map_all(tree: KodeTree, code, tahun: int) -> list:
    """Every code `code` continues as in the `tahun` edition (following the mapping year by year, both ways)."""
    tahun = int(tahun)
    if code.versi.tahun == tahun:
        return [code]
    forward = tahun > code.versi.tahun
    frontier, seen, found = [code], {code.pk}, []
    while frontier:
        if forward:
            nxt = tree.kode_model.objects.filter(pemetaan_dari__dari__in=frontier).select_related("versi")
        else:
            nxt = tree.kode_model.objects.filter(pemetaan_ke__ke__in=frontier).select_related("versi")
        frontier = []
        for candidate in nxt.distinct():
            if candidate.pk in seen:
                continue
            seen.add(candidate.pk)
            if candidate.versi.tahun == tahun:
                found.append(candidate)
            elif (candidate.versi.tahun < tahun) == forward:
                frontier.append(candidate)
    return sorted(found, key=lambda c: kode_sort_key(c.kode))


def map_forward_all(nomenklatur, tahun: int) -> list[Nomenklatur]:
    return map_all(NOMENKLATUR, nomenklatur, tahun)


def map_forward(nomenklatur, tahun: int) -> Nomenklatur | None:
    """The code `nomenklatur` continues as in the `tahun` edition, or None (split: the first by code)."""
    found = map_all(NOMENKLATUR, nomenklatur, tahun)
    return found[0] if found else None


def nomenklatur(tahun, kode: str) -> Nomenklatur:
    """The code in the `tahun` edition, in use; ValidationError "unknown or retired code …" otherwise."""
    return lookup(NOMENKLATUR, tahun, kode)


def current_sub_kegiatan():
    """Sub kegiatan in use of the current edition (what the sub_kegiatan picker offers)."""
    versi = current_versi(NOMENKLATUR)
    if versi is None:
        return Nomenklatur.objects.none()
    return Nomenklatur.objects.filter(versi=versi, level=Level.SUB_KEGIATAN, aktif=True)


# -- reference ------------------------------------------------------------------------------------------


def _confidence(value: str) -> str:
    value = (value or "").strip().lower()
    return value if value in Keyakinan.values else Keyakinan.UNCONFIRMED


def read_reference(tree: KodeTree, path: Path | None = None) -> tuple[list[dict], list[dict]]:
    """Rows of a reference CSV (level, code, name, parent_code, confidence, source, note …), one per code:
    (rows, skipped). A code listed twice keeps its later name; the earlier one goes into `sumber`."""
    with open(path or tree.reference_csv, encoding="utf-8-sig", newline="") as handle:
        raw = list(csv.DictReader(handle))
    by_code: dict[str, dict] = {}
    skipped = []
    for line, row in enumerate(raw, start=2):
        level, kode = (row.get("level") or "").strip(), (row.get("code") or "").strip()
        try:
            tree.check(level, kode)
        except ValidationError as exc:
            skipped.append({"line": line, "code": kode, "reason": " ".join(exc.messages)})
            continue
        source = (row.get("source") or "").strip()
        note = (row.get("note") or "").strip()
        entry = {
            "level": level,
            "kode": kode,
            "nama": (row.get("name") or "").strip(),
            "parent_kode": (row.get("parent_code") or "").strip(),
            "keyakinan": _confidence(row.get("confidence")),
            "sumber": f"{source} — {note}" if note else source,
        }
        previous = by_code.get(kode)
        if previous is not None and previous["nama"] != entry["nama"]:
            entry["sumber"] = _("earlier name: %(nama)s (%(source)s); current: %(now)s") % {
                "nama": previous["nama"],
                "source": previous["sumber"].split(" — ")[0],
                "now": entry["sumber"],
            }
            entry["nama_lama"] = previous["nama"]
        by_code[kode] = entry
    rows = sorted(by_code.values(), key=lambda r: kode_sort_key(r["kode"]))
    return rows, skipped


@transaction.atomic
def load_reference(tree: KodeTree, tahun: int, *, update: bool = False, path: Path | None = None) -> dict:
    """Load the shipped reference codes into the `tahun` edition (created when missing). Existing codes
    are kept (with update=True their name, confidence and source are refreshed)."""
    versi = versi_of(tree, tahun) or create_versi(
        tree, int(tahun), {"nama": f"{tree.reference_name} {tahun}", "dasar_hukum": tree.reference_name}
    )
    rows, skipped = read_reference(tree, path)
    result = load_rows(tree, versi, rows, update=update)
    result["skipped"] = skipped
    return result


@transaction.atomic
def load_rows(tree: KodeTree, versi, rows: list[dict], *, update: bool = False) -> dict:
    """Codes (dicts: level, kode, nama, parent_kode, keyakinan, sumber [, extra fields]) into `versi`, parents
    first. A missing parent becomes a placeholder; a placeholder named by a later load gets that name."""
    known = {code.kode: code for code in tree.kode_model.objects.filter(versi=versi)}
    created = placeholders = 0
    fields = ("nama", "keyakinan", "sumber", *tree.extra_fields)
    for row in sorted(rows, key=lambda r: kode_sort_key(r["kode"])):
        existing = known.get(row["kode"])
        if existing is not None:
            if update or existing.nama == PLACEHOLDER_NAME:
                known[row["kode"]] = update_kode(tree, existing, {k: row[k] for k in fields if k in row})
            continue
        parent_kode = row.get("parent_kode") or tree.expected_parent(row["kode"], row["level"])
        placeholders += _ensure_parent(tree, versi, row["level"], parent_kode, known)
        data = {k: row[k] for k in ("level", "kode", *fields) if k in row}
        data["parent"] = known.get(parent_kode) if parent_kode else None
        known[row["kode"]] = create_kode(tree, versi, data)
        created += 1
    return {"versi": versi, "codes": len(known), "created": created, "placeholders": placeholders, "skipped": []}


def _ensure_parent(tree: KodeTree, versi, level: str, parent_kode: str | None, known: dict) -> int:
    """Create a missing parent (and its own missing parents) as an unconfirmed placeholder."""
    parent_level = tree.parent_level(level)
    if parent_level is None or not parent_kode or parent_kode in known:
        return 0
    made = _ensure_parent(tree, versi, parent_level, tree.expected_parent(parent_kode, parent_level), known)
    known[parent_kode] = create_kode(
        tree,
        versi,
        {
            "level": parent_level,
            "kode": parent_kode,
            "nama": PLACEHOLDER_NAME,
            "keyakinan": Keyakinan.UNCONFIRMED,
            "sumber": _("placeholder: a child in the reference names this parent, the reference does not list it"),
            "parent": known.get(tree.expected_parent(parent_kode, parent_level) or ""),
        },
    )
    return made + 1


# -- thin wrappers for the nomenklatur (what views, importers and other parts call) ----------------------


def create_versi_nomenklatur(tahun: int, data: dict, copy_from=None) -> VersiNomenklatur:
    return create_versi(NOMENKLATUR, tahun, data, copy_from)


def create_nomenklatur(versi: VersiNomenklatur, data: dict) -> Nomenklatur:
    return create_kode(NOMENKLATUR, versi, data)


def update_nomenklatur(code: Nomenklatur, data: dict) -> Nomenklatur:
    return update_kode(NOMENKLATUR, code, data)


def retire_nomenklatur(code: Nomenklatur) -> Nomenklatur:
    return retire_kode(NOMENKLATUR, code)
