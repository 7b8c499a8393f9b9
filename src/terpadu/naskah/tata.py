"""Tata naskah: kinds of naskah, their admin-editable templates and the disposition instructions.

The only code that changes JenisNaskah, TemplateNaskah and InstruksiDisposisi. Reference data lives in
`naskah/data/` (jenis_naskah.csv, instruksi_disposisi.csv, templates/<kode>.html + .json) and is loaded by
`load_reference()`; values the regulation does not confirm carry `keyakinan=unconfirmed` there.

A template body is HTML with `{{ field }}` placeholders, rendered by a sandboxed Django engine: a small
allow-list of tags, no template loading, autoescape on, and a context of plain values only, so an edited
template can lay data out but can reach neither the database nor the file system.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Lexer, TokenType
from django.utils.translation import gettext as _

from terpadu.core import audit, events
from terpadu.naskah.models import InstruksiDisposisi, JenisNaskah, TemplateNaskah

DATA_DIR = Path(__file__).resolve().parent / "data"
TEMPLATE_DIR = DATA_DIR / "templates"

# Tags an edited body may use (with their inner and closing words). Everything else — load, include,
# extends, ssi, debug, url, csrf_token, templatetag, filter … — is refused at save time.
ALLOWED_TAGS = frozenset(
    {
        "if",
        "elif",
        "else",
        "endif",
        "for",
        "empty",
        "endfor",
        "with",
        "endwith",
        "firstof",
        "now",
        "spaceless",
        "endspaceless",
        "comment",
        "endcomment",
        "autoescape",
        "endautoescape",
    }
)
# Filters that would let a drafter's values through unescaped, or pad a value to any size.
UNSAFE_FILTER = re.compile(r"\|\s*(safe|safeseq|center|ljust|rjust)\b")
FIELD_TYPES = ("text", "textarea", "date", "number")
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_FIELDS = 40
MAX_BODY = 100_000
PAPER_SIZES = {"A4": "210mm 297mm", "F4": "215mm 330mm"}  # F4 (folio) as used by many pemda
PAPER_MARK = re.compile(r"^/\* kertas: (A4|F4) \*/\n?")

# Names the renderer puts in every body's context (a field may not reuse them).
CONTEXT_NAMES = frozenset(
    {
        "nomor",
        "tanggal",
        "tempat",
        "tempat_tanggal",
        "hal",
        "sifat",
        "urgensi",
        "lampiran",
        "lampiran_jumlah",
        "tujuan",
        "tujuan_tempat",
        "tembusan",
        "ringkasan",
        "paragraf",
        "pengirim",
        "penandatangan_pucuk",
        "unit",
        "pemda",
        "kepala_daerah",
        "jenis",
        "isi",
        "asal",
        "diterima",
        "nomor_agenda",
        "instruksi",
    }
)


# -- the sandboxed engine --------------------------------------------------------------------


@cache
def body_engine() -> Engine:
    """No loaders, no libraries, no loader tags (include/extends/block): only the default tags and filters."""
    return Engine(
        dirs=[],
        loaders=[],
        libraries={},
        builtins=["django.template.defaulttags", "django.template.defaultfilters"],
        autoescape=True,
        debug=True,  # so syntax errors carry their line
        string_if_invalid="",
    )


def validate_body(body: str) -> None:
    """Refuse forbidden tags, unescaping filters and syntax errors, naming the line."""
    if len(body) > MAX_BODY:
        raise ValidationError({"isi": _("The body is too long (at most %(max)d characters).") % {"max": MAX_BODY}})
    errors = []
    for token in Lexer(body).tokenize():
        if token.token_type == TokenType.BLOCK:
            bits = token.split_contents() or [""]
            if bits[0] not in ALLOWED_TAGS:
                errors.append(
                    _("Line %(line)d: the tag {%% %(tag)s %%} is not allowed in a template.")
                    % {"line": token.lineno, "tag": bits[0]}
                )
            elif bits[0] == "autoescape" and bits[1:] != ["on"]:
                errors.append(_("Line %(line)d: autoescaping cannot be switched off.") % {"line": token.lineno})
        unsafe = UNSAFE_FILTER.search(token.contents) if token.token_type in (TokenType.BLOCK, TokenType.VAR) else None
        if unsafe:
            errors.append(
                _("Line %(line)d: the filter '%(filter)s' is not allowed.")
                % {"line": token.lineno, "filter": unsafe[1]}
            )
    if errors:
        raise ValidationError({"isi": errors})
    try:
        body_engine().from_string(body)
    except TemplateSyntaxError as exc:
        line = getattr(exc, "template_debug", {}).get("line", "?")
        raise ValidationError({"isi": [_("Line %(line)s: %(error)s") % {"line": line, "error": exc}]}) from exc


def plain(value):
    """A context value reduced to str/int/float/bool/date/list/dict, so templates cannot reach objects."""
    if value is None or isinstance(value, bool | int | float | str | dt.date):
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value)


def render_body(body: str, context: dict) -> str:
    """Render a validated body with plain values (autoescaped)."""
    return body_engine().from_string(body).render(Context(plain(context), autoescape=True))


# -- fields, css and paper ---------------------------------------------------------------------


def validate_fields(fields) -> list[dict]:
    """The fields list cleaned: [{"name", "label", "type", "required"}], or a ValidationError."""
    if not isinstance(fields, list) or len(fields) > MAX_FIELDS:
        raise ValidationError({"fields": _("Give at most %(max)d fields.") % {"max": MAX_FIELDS}})
    cleaned, seen = [], set()
    for number, field in enumerate(fields, start=1):
        if not isinstance(field, dict):
            raise ValidationError({"fields": _("Field %(n)d is not an object.") % {"n": number}})
        name = str(field.get("name", "")).strip()
        label = str(field.get("label", "")).strip()[:200]
        kind = str(field.get("type", "text")).strip() or "text"
        if not FIELD_NAME.match(name):
            message = _("Field %(n)d: the name must be lowercase letters, digits and _ (starting with a letter).")
            raise ValidationError({"fields": message % {"n": number}})
        if name in CONTEXT_NAMES or name in seen:
            raise ValidationError(
                {"fields": _("Field %(n)d: the name '%(name)s' is taken.") % {"n": number, "name": name}}
            )
        if kind not in FIELD_TYPES:
            message = _("Field %(n)d: the type must be one of %(types)s.")
            raise ValidationError({"fields": message % {"n": number, "types": ", ".join(FIELD_TYPES)}})
        seen.add(name)
        cleaned.append({"name": name, "label": label or name, "type": kind, "required": bool(field.get("required"))})
    return cleaned


def validate_css(css: str) -> None:
    if len(css) > 20_000:
        raise ValidationError({"css": _("The style is too long.")})
    if "@import" in css.lower():
        raise ValidationError({"css": _("@import is not allowed: the renderer fetches nothing from outside.")})


def paper_of(template: TemplateNaskah | None) -> str:
    """A4 or F4: kept as a marker line at the top of the template's css (the model has no paper field)."""
    match = PAPER_MARK.match(template.css if template else "")
    return match.group(1) if match else "A4"


def css_without_paper(css: str) -> str:
    return PAPER_MARK.sub("", css or "", count=1)


def css_with_paper(css: str, paper: str) -> str:
    paper = paper if paper in PAPER_SIZES else "A4"
    return f"/* kertas: {paper} */\n{css_without_paper(css)}"


# -- templates ----------------------------------------------------------------------------------


@transaction.atomic
def save_template(template: TemplateNaskah | None, data: dict) -> TemplateNaskah:
    """Create or change a template. Each change of an existing one bumps `versi`; the audit diff keeps the old body.

    data: jenis, unit (None = pemda-wide), nama, isi, fields, css, paper ("A4"/"F4"), aktif.
    """
    validate_body(data.get("isi", template.isi if template else ""))
    fields = validate_fields(data.get("fields", template.fields if template else []))
    css = data.get("css", css_without_paper(template.css) if template else "")
    validate_css(css)
    paper = data.get("paper") or paper_of(template)
    before = audit.snapshot(template) if template else None
    template = template or TemplateNaskah()
    for name in ("jenis", "unit", "nama", "isi", "aktif"):
        if name in data:
            setattr(template, name, data[name])
    template.fields, template.css = fields, css_with_paper(css, paper)
    _check_unique(template)
    if before is not None:
        template.versi = (template.versi or 1) + 1
    template.full_clean()
    template.save()
    changes = audit.diff(before, audit.snapshot(template))
    if before is None or changes:
        audit.record(template, "create" if before is None else "update", changes)
    events.publish("naskah.template_changed", {"template_id": template.pk, "versi": template.versi})
    return template


def _check_unique(template: TemplateNaskah) -> None:
    """One active template per jenis and unit (the model has no constraint for it)."""
    if not template.aktif:
        return
    clash = TemplateNaskah.objects.filter(jenis=template.jenis_id, unit=template.unit_id, aktif=True)
    if template.pk:
        clash = clash.exclude(pk=template.pk)
    if clash.exists():
        raise ValidationError(_("This kind already has an active template for this unit; edit that one instead."))


def template_for(jenis: JenisNaskah, unit=None) -> TemplateNaskah | None:
    """The active template of `jenis` for `unit`: the unit's own, else the nearest ancestor's, else the pemda one."""
    candidates = {t.unit_id: t for t in TemplateNaskah.objects.filter(jenis=jenis, aktif=True).select_related("unit")}
    node = unit
    while node is not None:
        if node.pk in candidates:
            return candidates[node.pk]
        node = node.parent
    return candidates.get(None)


def sample_values(template: TemplateNaskah) -> dict:
    """Example values for a preview: each field's label in brackets (dates: today; numbers: 1)."""
    values = {}
    for field in template.fields or []:
        if field.get("type") == "date":
            values[field["name"]] = dt.date.today().isoformat()
        elif field.get("type") == "number":
            values[field["name"]] = 1
        else:
            values[field["name"]] = f"[{field.get('label') or field['name']}]"
    return values


# -- kinds ---------------------------------------------------------------------------------------


@transaction.atomic
def set_jenis_active(jenis: JenisNaskah, aktif: bool) -> JenisNaskah:
    before = audit.snapshot(jenis)
    jenis.aktif = aktif
    jenis.save(update_fields=["aktif"])
    audit.record(jenis, "update", audit.diff(before, audit.snapshot(jenis)))
    return jenis


# -- disposition instructions -------------------------------------------------------------------


@transaction.atomic
def save_instruksi(instruksi: InstruksiDisposisi | None, data: dict) -> InstruksiDisposisi:
    """Add or rename an instruction. data: teks, (kode for a new one; derived from teks when empty), urutan, aktif."""
    before = audit.snapshot(instruksi) if instruksi else None
    if instruksi is None:
        instruksi = InstruksiDisposisi(kode=data.get("kode") or _unique_kode(data.get("teks", "")))
        last = InstruksiDisposisi.objects.order_by("-urutan").values_list("urutan", flat=True).first() or 0
        instruksi.urutan = data.get("urutan", last + 10)
    for name in ("teks", "urutan", "aktif"):
        if name in data:
            setattr(instruksi, name, data[name].strip() if name == "teks" else data[name])
    if not instruksi.teks:
        raise ValidationError({"teks": _("Give the instruction's text.")})
    instruksi.full_clean()
    instruksi.save()
    changes = audit.diff(before, audit.snapshot(instruksi))
    if before is None or changes:
        audit.record(instruksi, "create" if before is None else "update", changes)
    return instruksi


def _unique_kode(teks: str) -> str:
    from django.utils.text import slugify

    base = (slugify(teks) or "instruksi")[:34]
    kode, n = base, 1
    while InstruksiDisposisi.objects.filter(kode=kode).exists():
        n += 1
        kode = f"{base}-{n}"
    return kode


@transaction.atomic
def move_instruksi(instruksi: InstruksiDisposisi, step: int) -> None:
    """Move one place up (step=-1) or down (+1); the whole list is renumbered 10, 20, … and audited."""
    items = list(InstruksiDisposisi.objects.select_for_update().order_by("urutan", "teks"))
    index = next(i for i, item in enumerate(items) if item.pk == instruksi.pk)
    target = max(0, min(len(items) - 1, index + step))
    items.insert(target, items.pop(index))
    for position, item in enumerate(items, start=1):
        if item.urutan != position * 10:
            before = audit.snapshot(item)
            item.urutan = position * 10
            item.save(update_fields=["urutan"])
            audit.record(item, "update", audit.diff(before, audit.snapshot(item)))


# -- reference data -------------------------------------------------------------------------------


def _read_csv(name: str) -> list[dict]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


@cache
def jenis_reference() -> dict[str, dict]:
    """kode -> the row of jenis_naskah.csv (with sumber, keyakinan, catatan for the UI)."""
    return {row["kode"]: row for row in _read_csv("jenis_naskah.csv")}


@cache
def instruksi_reference() -> dict[str, dict]:
    return {row["kode"]: row for row in _read_csv("instruksi_disposisi.csv")}


def shipped_template(kode: str) -> dict | None:
    """The default template of a kind from data/templates/<kode>.html + .json, or None."""
    body = TEMPLATE_DIR / f"{kode}.html"
    if not body.exists():
        return None
    meta_path = TEMPLATE_DIR / f"{kode}.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    return {
        "nama": meta.get("nama") or kode.replace("_", " ").title(),
        "isi": body.read_text(encoding="utf-8"),
        "fields": meta.get("fields", []),
        "css": meta.get("css", ""),
        "paper": meta.get("kertas", "A4"),
    }


def _jenis_values(row: dict) -> dict:
    return {
        "nama": row["nama"],
        "singkatan": row["singkatan"],
        "keluar": row["keluar"].lower() in ("ya", "yes", "1", "true"),
        "klasifikasi_bawaan": row["klasifikasi_bawaan"],
        "urutan": int(row["urutan"] or 0),
    }


@transaction.atomic
def load_reference(update: bool = False) -> dict[str, int]:
    """Load kinds, one pemda-wide default template per kind and the disposition instructions.

    Idempotent: existing rows are left alone unless `update=True`, which rewrites them from the data files
    (a template only when its body, fields or style differ, bumping its version). Returns counts.
    """
    counts = {"jenis": 0, "template": 0, "instruksi": 0}
    for kode, row in jenis_reference().items():
        jenis = JenisNaskah.objects.filter(kode=kode).first()
        counts["jenis"] += _load_jenis(jenis, kode, row, update)
        jenis = jenis or JenisNaskah.objects.get(kode=kode)
        counts["template"] += _load_template(jenis, update)
    for kode, row in instruksi_reference().items():
        counts["instruksi"] += _load_instruksi(kode, row, update)
    return counts


def _load_jenis(jenis, kode: str, row: dict, update: bool) -> int:
    values = _jenis_values(row)
    if jenis is None:
        jenis = JenisNaskah(kode=kode, **values)
        jenis.full_clean()
        jenis.save()
        audit.record(jenis, "create", audit.diff(None, audit.snapshot(jenis)))
        return 1
    if not update:
        return 0
    before = audit.snapshot(jenis)
    for name, value in values.items():
        setattr(jenis, name, value)
    changes = audit.diff(before, audit.snapshot(jenis))
    if changes:
        jenis.save()
        audit.record(jenis, "update", changes)
    return int(bool(changes))


def _load_template(jenis: JenisNaskah, update: bool) -> int:
    shipped = shipped_template(jenis.kode)
    if shipped is None:
        return 0
    current = TemplateNaskah.objects.filter(jenis=jenis, unit__isnull=True).order_by("-aktif", "pk").first()
    if current is None:
        save_template(None, {"jenis": jenis, "unit": None, "aktif": True, **shipped})
        return 1
    same = (
        current.isi == shipped["isi"]
        and current.fields == validate_fields(shipped["fields"])
        and current.css == css_with_paper(shipped["css"], shipped["paper"])
    )
    if not update or same:
        return 0
    save_template(current, {k: v for k, v in shipped.items() if k != "nama"})
    return 1


def _load_instruksi(kode: str, row: dict, update: bool) -> int:
    instruksi = InstruksiDisposisi.objects.filter(kode=kode).first()
    values = {"teks": row["teks"], "urutan": int(row["urutan"] or 0)}
    if instruksi is None:
        save_instruksi(None, {"kode": kode, **values})
        return 1
    if update and (instruksi.teks, instruksi.urutan) != (values["teks"], values["urutan"]):
        save_instruksi(instruksi, values)
        return 1
    return 0
