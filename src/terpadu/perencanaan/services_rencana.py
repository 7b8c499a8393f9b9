"""The only code that changes the planning documents: RPJMD, Renstra PD, Renja PD (the RKPD is all Renja of a
year), their indicators and targets. Every change is validated, written in one transaction and audited.

Rules (decisions the regulation leaves to us are marked *):

- A document (RPJMD, Renstra, Renja) is edited while it is a draft. Adoption (ditetapkan) locks it and every
  element below it; a Bappeda planner (perencanaan.change) may reopen it with a reason, which is audited.
- Targets and pagu indikatif of an RPJMD/Renstra element must fall inside the RPJMD period; an indicator of a
  Renja sub kegiatan has a target for the Renja's year only.
- Renstra items nest program → kegiatan → sub kegiatan; a child's code starts with its parent's code and comes
  from the same nomenklatur edition; a retired or unknown code is refused.
- * Program codes (RPJMD priority programs) and Renstra items use the nomenklatur edition of the RPJMD's first
  year unless another year of the period is asked for.
- A Renja is drawn from the adopted Renstra: every sub kegiatan item, carried to the year's edition through the
  nomenklatur mapping; items that do not map are returned (and shown), never silently dropped.
- * Adding a sub kegiatan outside the Renstra, or removing one, needs a reason, kept in the audit trail.

Who may call what is decided by the views and the API through `rencana.may_edit` / `may_adopt` (the gate);
these functions only validate and write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from terpadu.core import audit, events
from terpadu.perencanaan.models import (
    Indikator,
    Level,
    Misi,
    Nomenklatur,
    PaguIndikatif,
    ProgramPrioritas,
    Renja,
    RenjaSubKegiatan,
    Renstra,
    RenstraItem,
    Rpjmd,
    Sasaran,
    SasaranPd,
    Status,
    TargetIndikator,
    Tujuan,
    TujuanPd,
)

CHILD_LEVEL = {None: Level.PROGRAM, Level.PROGRAM: Level.KEGIATAN, Level.KEGIATAN: Level.SUB_KEGIATAN}
INDIKATOR_OWNER_FIELD = {
    Sasaran: "sasaran",
    Tujuan: "tujuan",
    SasaranPd: "sasaran_pd",
    RenstraItem: "renstra_item",
    RenjaSubKegiatan: "renja_sub_kegiatan",
}
INDIKATOR_FIELDS = ("uraian", "satuan", "polaritas", "baseline", "tahun_baseline", "definisi")
SUB_FIELDS = ("pagu_indikatif", "prakiraan_maju", "lokasi", "sumber_dana", "pptk")


# -- nomenklatur (the master part's contract) ------------------------------------------------------------------


def nomenklatur(tahun: int, kode: str) -> Nomenklatur:
    """The code `kode` of the `tahun` edition, in use; ValidationError otherwise (the master part decides)."""
    from terpadu.perencanaan import services_master

    return services_master.nomenklatur(tahun, kode)


def map_forward(nom: Nomenklatur, tahun: int) -> Nomenklatur | None:
    """`nom` carried to the `tahun` edition through the mapping, or None when it has no continuation in use."""
    if nom.versi.tahun == tahun:
        return nom if nom.aktif else None
    from terpadu.perencanaan import services_master

    found = services_master.map_forward(nom, tahun)
    return found if found is not None and found.aktif else None


def _code(tahun: int, kode: str, level: str, field_name: str = "kode") -> Nomenklatur:
    try:
        nom = nomenklatur(tahun, kode)
    except ValidationError as exc:
        raise ValidationError({field_name: exc.messages}) from exc
    if nom.level != level:
        raise ValidationError(
            {
                field_name: _("%(kode)s is a %(is)s code; a %(want)s code is needed here.")
                % {"kode": nom.kode, "is": Level(nom.level).label, "want": Level(level).label}
            }
        )
    return nom


# -- documents, locks and helpers -----------------------------------------------------------------------------


def dokumen_of(obj):
    """The RPJMD, Renstra or Renja an element belongs to (its lock and its gate)."""
    if isinstance(obj, (Rpjmd, Renstra, Renja)):
        return obj
    if isinstance(obj, Misi):
        return obj.rpjmd
    if isinstance(obj, Tujuan):
        return obj.misi.rpjmd
    if isinstance(obj, Sasaran):
        return obj.tujuan.misi.rpjmd
    if isinstance(obj, ProgramPrioritas):
        return obj.sasaran.tujuan.misi.rpjmd
    if isinstance(obj, TujuanPd):
        return obj.renstra
    if isinstance(obj, SasaranPd):
        return obj.tujuan.renstra
    if isinstance(obj, RenstraItem):
        return obj.renstra
    if isinstance(obj, PaguIndikatif):
        return obj.item.renstra
    if isinstance(obj, RenjaSubKegiatan):
        return obj.renja
    if isinstance(obj, Indikator):
        return dokumen_of(obj.pemilik)
    if isinstance(obj, TargetIndikator):
        return dokumen_of(obj.indikator)
    raise TypeError(f"not a planning element: {type(obj).__name__}")


def periode_of(obj) -> list[int]:
    """The years an element's targets and pagu may name."""
    doc = dokumen_of(obj)
    if isinstance(doc, Rpjmd):
        return doc.tahun_list
    if isinstance(doc, Renstra):
        return doc.rpjmd.tahun_list
    return [doc.tahun]


def _lock_draft(obj):
    """Lock the element's document row and refuse the change when it is adopted."""
    doc = dokumen_of(obj)
    locked = type(doc).objects.select_for_update().get(pk=doc.pk)
    if locked.status != Status.DRAFT:
        raise ValidationError(
            _(
                "%(doc)s is adopted (ditetapkan) and locked: it must be reopened, with a reason, by Bappeda "
                "before it can be changed."
            )
            % {"doc": locked}
        )
    return locked


def _created(obj):
    audit.record(obj, "create", audit.diff(None, audit.snapshot(obj)))
    return obj


def _save(obj, before: dict | None = None):
    obj.full_clean()
    obj.save()
    if before is None:
        return _created(obj)
    changes = audit.diff(before, audit.snapshot(obj))
    if changes:
        audit.record(obj, "update", changes)
    return obj


def _delete(obj, extra: dict | None = None) -> None:
    changes = audit.diff(audit.snapshot(obj), None)
    changes.update(extra or {})
    label = str(obj)
    audit.record(obj, "delete", changes)
    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError as exc:
        users = sorted({str(o) for o in exc.protected_objects})[:5]
        raise ValidationError(
            _("%(obj)s cannot be removed: it is still used by %(users)s.") % {"obj": label, "users": "; ".join(users)}
        ) from exc


def _decimal(value, field_name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field_name: _("%(value)s is not a number.") % {"value": value}}) from exc
    if not result.is_finite():
        raise ValidationError({field_name: _("%(value)s is not a number.") % {"value": value}})
    return result


def _money(value, field_name: str) -> Decimal:
    result = _decimal(value, field_name) or Decimal(0)
    if result < 0:
        raise ValidationError({field_name: _("An amount cannot be negative.")})
    return result.quantize(Decimal("0.01"))


def _text(data: dict, name: str, required: bool = True) -> str:
    value = (data.get(name) or "").strip()
    if required and not value:
        raise ValidationError({name: _("This field is required.")})
    return value


def _transition(doc, status: str, action: str, alasan: str = ""):
    before = doc.status
    doc.status = status
    doc.save(update_fields=["status"])
    changes = {"status": [before, status]}
    if alasan:
        changes["alasan"] = [None, alasan]
    audit.record(doc, action, changes)
    return doc


# -- RPJMD ----------------------------------------------------------------------------------------------------


@transaction.atomic
def create_rpjmd(data: dict) -> Rpjmd:
    rpjmd = Rpjmd(
        nama=_text(data, "nama"),
        visi=_text(data, "visi"),
        dasar_hukum=_text(data, "dasar_hukum", required=False),
        tahun_awal=data.get("tahun_awal"),
        tahun_akhir=data.get("tahun_akhir"),
    )
    _check_period(rpjmd)
    return _save(rpjmd)


def _check_period(rpjmd: Rpjmd) -> None:
    if not rpjmd.tahun_awal or not rpjmd.tahun_akhir:
        raise ValidationError({"tahun_awal": _("The period needs a first and a last year.")})
    if rpjmd.tahun_akhir < rpjmd.tahun_awal or rpjmd.tahun_akhir - rpjmd.tahun_awal > 5:
        raise ValidationError(
            {"tahun_akhir": _("The last year must follow the first year within the RPJMD's five (or six) years.")}
        )


@transaction.atomic
def update_rpjmd(rpjmd: Rpjmd, data: dict) -> Rpjmd:
    rpjmd = _lock_draft(rpjmd)
    before = audit.snapshot(rpjmd)
    for name in ("nama", "visi"):
        if name in data:
            setattr(rpjmd, name, _text(data, name))
    if "dasar_hukum" in data:
        rpjmd.dasar_hukum = _text(data, "dasar_hukum", required=False)
    for name in ("tahun_awal", "tahun_akhir"):
        if data.get(name):
            setattr(rpjmd, name, data[name])
    _check_period(rpjmd)
    outside = TargetIndikator.objects.filter(
        indikator__sasaran__tujuan__misi__rpjmd=rpjmd
    ) | TargetIndikator.objects.filter(indikator__tujuan__misi__rpjmd=rpjmd)
    outside = outside.exclude(tahun__in=rpjmd.tahun_list)
    if outside.exists():
        raise ValidationError(
            {"tahun_awal": _("Targets exist for %(years)s, outside the new period: remove them first.")
             % {"years": ", ".join(str(t) for t in sorted(set(outside.values_list("tahun", flat=True))))}}
        )  # fmt: skip
    return _save(rpjmd, before)


@transaction.atomic
def adopt_rpjmd(rpjmd: Rpjmd) -> Rpjmd:
    rpjmd = _lock_draft(rpjmd)
    sasaran = Sasaran.objects.filter(tujuan__misi__rpjmd=rpjmd)
    if not sasaran.exists():
        raise ValidationError(_("An RPJMD needs at least one misi, tujuan and sasaran before it can be adopted."))
    missing = sasaran.filter(indikator__isnull=True)
    if missing.exists():
        raise ValidationError(
            _("Every sasaran needs an indicator before adoption; missing for: %(list)s.")
            % {"list": ", ".join(s.kode for s in missing[:10])}
        )
    _transition(rpjmd, Status.DITETAPKAN, "adopt")
    events.publish("perencanaan.rpjmd_ditetapkan", {"rpjmd_id": rpjmd.pk})
    return rpjmd


def _reopen(doc, alasan: str):
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": _("Say why the adopted document is reopened.")})
    doc = type(doc).objects.select_for_update().get(pk=doc.pk)
    if doc.status == Status.DRAFT:
        raise ValidationError(_("%(doc)s is already a draft.") % {"doc": doc})
    return _transition(doc, Status.DRAFT, "reopen", alasan)


@transaction.atomic
def reopen(doc, alasan: str):
    """Reopen an adopted RPJMD, Renstra or Renja (Bappeda only, checked by the caller); the reason is audited."""
    doc = _reopen(doc, alasan)
    events.publish(f"perencanaan.{type(doc).__name__.lower()}_dibuka", {"id": doc.pk})
    return doc


@transaction.atomic
def create_misi(rpjmd: Rpjmd, data: dict) -> Misi:
    _lock_draft(rpjmd)
    nomor = data.get("nomor")
    if Misi.objects.filter(rpjmd=rpjmd, nomor=nomor).exists():
        raise ValidationError({"nomor": _("Misi %(n)s already exists in this RPJMD.") % {"n": nomor}})
    return _save(Misi(rpjmd=rpjmd, nomor=nomor, uraian=_text(data, "uraian")))


@transaction.atomic
def create_tujuan(misi: Misi, data: dict) -> Tujuan:
    _lock_draft(misi)
    kode = _text(data, "kode")
    if Tujuan.objects.filter(misi__rpjmd=misi.rpjmd, kode=kode).exists():
        raise ValidationError({"kode": _("Tujuan %(kode)s already exists in this RPJMD.") % {"kode": kode}})
    return _save(Tujuan(misi=misi, kode=kode, uraian=_text(data, "uraian")))


@transaction.atomic
def create_sasaran(tujuan: Tujuan, data: dict) -> Sasaran:
    _lock_draft(tujuan)
    kode = _text(data, "kode")
    if Sasaran.objects.filter(tujuan__misi__rpjmd=tujuan.misi.rpjmd, kode=kode).exists():
        raise ValidationError({"kode": _("Sasaran %(kode)s already exists in this RPJMD.") % {"kode": kode}})
    return _save(Sasaran(tujuan=tujuan, kode=kode, uraian=_text(data, "uraian")))


@transaction.atomic
def create_tujuan_pd(renstra: Renstra, data: dict) -> TujuanPd:
    _lock_draft(renstra)
    tujuan_rpjmd = data.get("tujuan_rpjmd")
    if tujuan_rpjmd is not None and tujuan_rpjmd.misi.rpjmd_id != renstra.rpjmd_id:
        raise ValidationError({"tujuan_rpjmd": _("The tujuan belongs to another RPJMD.")})
    kode = _text(data, "kode")
    if TujuanPd.objects.filter(renstra=renstra, kode=kode).exists():
        raise ValidationError({"kode": _("Tujuan PD %(kode)s already exists in this Renstra.") % {"kode": kode}})
    return _save(TujuanPd(renstra=renstra, tujuan_rpjmd=tujuan_rpjmd, kode=kode, uraian=_text(data, "uraian")))


@transaction.atomic
def create_sasaran_pd(tujuan: TujuanPd, data: dict) -> SasaranPd:
    _lock_draft(tujuan)
    sasaran_rpjmd = data.get("sasaran_rpjmd")
    if sasaran_rpjmd is None:
        raise ValidationError({"sasaran_rpjmd": _("A sasaran PD must serve a sasaran of the RPJMD.")})
    if sasaran_rpjmd.tujuan.misi.rpjmd_id != tujuan.renstra.rpjmd_id:
        raise ValidationError({"sasaran_rpjmd": _("The sasaran belongs to another RPJMD.")})
    kode = _text(data, "kode")
    if SasaranPd.objects.filter(tujuan__renstra=tujuan.renstra, kode=kode).exists():
        raise ValidationError({"kode": _("Sasaran PD %(kode)s already exists in this Renstra.") % {"kode": kode}})
    return _save(SasaranPd(tujuan=tujuan, sasaran_rpjmd=sasaran_rpjmd, kode=kode, uraian=_text(data, "uraian")))


EDITABLE = {
    Misi: ("nomor", "uraian"),
    Tujuan: ("kode", "uraian"),
    Sasaran: ("kode", "uraian"),
    TujuanPd: ("kode", "uraian", "tujuan_rpjmd"),
    SasaranPd: ("kode", "uraian", "sasaran_rpjmd"),
}


@transaction.atomic
def update_element(obj, data: dict):
    """Edit a misi, tujuan, sasaran, tujuan PD or sasaran PD of a draft document."""
    doc = _lock_draft(obj)
    obj = type(obj).objects.get(pk=obj.pk)
    before = audit.snapshot(obj)
    for name in EDITABLE[type(obj)]:
        if name not in data:
            continue
        value = data[name]
        if name in ("kode", "uraian"):
            value = _text(data, name)
        setattr(obj, name, value)
    if isinstance(obj, SasaranPd):
        if obj.sasaran_rpjmd_id is None:
            raise ValidationError({"sasaran_rpjmd": _("A sasaran PD must serve a sasaran of the RPJMD.")})
        if obj.sasaran_rpjmd.tujuan.misi.rpjmd_id != doc.rpjmd_id:
            raise ValidationError({"sasaran_rpjmd": _("The sasaran belongs to another RPJMD.")})
    if isinstance(obj, TujuanPd) and obj.tujuan_rpjmd_id and obj.tujuan_rpjmd.misi.rpjmd_id != doc.rpjmd_id:
        raise ValidationError({"tujuan_rpjmd": _("The tujuan belongs to another RPJMD.")})
    return _save(obj, before)


@transaction.atomic
def delete_element(obj, alasan: str = "") -> None:
    """Remove an element (and what hangs below it) from a draft document."""
    _lock_draft(obj)
    _delete(obj, {"alasan": [None, alasan]} if alasan else None)


# -- program prioritas ---------------------------------------------------------------------------------------


@transaction.atomic
def add_program_prioritas(sasaran: Sasaran, data: dict) -> ProgramPrioritas:
    """A priority program by program code of the RPJMD's first-year edition, with the responsible OPD."""
    rpjmd = _lock_draft(sasaran)
    program = _code(rpjmd.tahun_awal, _text(data, "kode"), Level.PROGRAM)
    if ProgramPrioritas.objects.filter(sasaran=sasaran, program=program).exists():
        raise ValidationError({"kode": _("%(kode)s is already a priority program of this sasaran.")
                               % {"kode": program.kode}})  # fmt: skip
    pp = ProgramPrioritas(
        sasaran=sasaran,
        program=program,
        unit=data.get("unit"),
        pagu_indikatif=_money(data.get("pagu_indikatif"), "pagu_indikatif"),
    )
    return _save(pp)


# -- indicators and targets -----------------------------------------------------------------------------------


def _check_indikator(ind: Indikator, periode: list[int]) -> None:
    if ind.tahun_baseline and ind.tahun_baseline > periode[-1]:
        raise ValidationError({"tahun_baseline": _("The baseline year cannot be after the plan's last year.")})
    if ind.baseline is not None and ind.tahun_baseline is None:
        raise ValidationError({"tahun_baseline": _("Say which year the baseline was measured in.")})


@transaction.atomic
def add_indikator(owner, data: dict, targets: dict | None = None) -> Indikator:
    """An indicator of a sasaran/tujuan RPJMD, sasaran PD, Renstra item or Renja sub kegiatan, with targets."""
    _lock_draft(owner)
    field_name = INDIKATOR_OWNER_FIELD.get(type(owner))
    if field_name is None:
        raise ValidationError(_("This element does not carry indicators."))
    ind = Indikator(**{field_name: owner})
    for name in INDIKATOR_FIELDS:
        if name in data:
            setattr(ind, name, data[name] if data[name] is not None else ("" if name == "definisi" else None))
    ind.uraian, ind.satuan = _text(data, "uraian"), _text(data, "satuan")
    ind.baseline = _decimal(data.get("baseline"), "baseline")
    _check_indikator(ind, periode_of(owner))
    _save(ind)
    if targets:
        _set_targets(ind, targets)
    return ind


@transaction.atomic
def update_indikator(ind: Indikator, data: dict, targets: dict | None = None) -> Indikator:
    _lock_draft(ind)
    ind = Indikator.objects.get(pk=ind.pk)
    before = audit.snapshot(ind)
    for name in INDIKATOR_FIELDS:
        if name in data:
            setattr(ind, name, data[name] if data[name] is not None else ("" if name == "definisi" else None))
    ind.uraian, ind.satuan = _text(data, "uraian"), _text(data, "satuan")
    ind.baseline = _decimal(data.get("baseline"), "baseline")
    _check_indikator(ind, periode_of(ind))
    _save(ind, before)
    if targets is not None:
        _set_targets(ind, targets)
    return ind


@transaction.atomic
def set_targets(ind: Indikator, targets: dict) -> Indikator:
    """{tahun: value or None}: None removes that year's target. Every year must lie in the plan's period."""
    _lock_draft(ind)
    _set_targets(ind, targets)
    return ind


def _set_targets(ind: Indikator, targets: dict) -> None:
    periode = periode_of(ind)
    for tahun, value in sorted(targets.items()):
        tahun = int(tahun)
        if tahun not in periode:
            raise ValidationError(
                {f"target_{tahun}": _("%(tahun)s is outside the period %(awal)s–%(akhir)s of this plan.")
                 % {"tahun": tahun, "awal": periode[0], "akhir": periode[-1]}}
            )  # fmt: skip
        value = _decimal(value, f"target_{tahun}")
        existing = TargetIndikator.objects.filter(indikator=ind, tahun=tahun).first()
        if value is None:
            if existing is not None:
                _delete(existing)
        elif existing is None:
            _save(TargetIndikator(indikator=ind, tahun=tahun, target=value))
        elif existing.target != value:
            before = audit.snapshot(existing)
            existing.target = value
            _save(existing, before)


# -- Renstra --------------------------------------------------------------------------------------------------


@transaction.atomic
def create_renstra(rpjmd: Rpjmd, unit) -> Renstra:
    if Renstra.objects.filter(rpjmd=rpjmd, unit=unit).exists():
        raise ValidationError({"unit": _("%(unit)s already has a Renstra under this RPJMD.") % {"unit": unit}})
    return _save(Renstra(rpjmd=rpjmd, unit=unit))


@transaction.atomic
def add_item(renstra: Renstra, data: dict) -> RenstraItem:
    """A program (no parent), kegiatan (under a program) or sub kegiatan (under a kegiatan) of the Renstra.

    data: kode, parent (RenstraItem|None), sasaran_pd (defaults to the parent's), tahun (edition; defaults to
    the parent's edition, else the RPJMD's first year), pagu ({tahun: nilai}) optional."""
    renstra = _lock_draft(renstra)
    parent = data.get("parent")
    if parent is not None and parent.renstra_id != renstra.pk:
        raise ValidationError({"parent": _("The parent item belongs to another Renstra.")})
    level = CHILD_LEVEL.get(parent.level if parent else None)
    if level is None:
        raise ValidationError({"parent": _("Nothing can be planned below a sub kegiatan.")})
    tahun = parent.nomenklatur.versi.tahun if parent else int(data.get("tahun") or renstra.rpjmd.tahun_awal)
    if tahun not in renstra.rpjmd.tahun_list:
        raise ValidationError({"tahun": _("The edition year must lie in the RPJMD period.")})
    kode = _text(data, "kode")
    nom = _code(tahun, kode, level)
    if parent is not None and not nom.kode.startswith(parent.nomenklatur.kode + "."):
        raise ValidationError(
            {"kode": _("%(kode)s does not belong under %(parent)s: a %(level)s code must start with %(prefix)s.")
             % {"kode": nom.kode, "parent": parent.nomenklatur.kode, "level": Level(level).label,
                "prefix": parent.nomenklatur.kode + "."}}
        )  # fmt: skip
    sasaran_pd = data.get("sasaran_pd") or (parent.sasaran_pd if parent else None)
    if sasaran_pd is None:
        raise ValidationError({"sasaran_pd": _("Say which sasaran PD this program serves.")})
    if sasaran_pd.tujuan.renstra_id != renstra.pk:
        raise ValidationError({"sasaran_pd": _("The sasaran PD belongs to another Renstra.")})
    if RenstraItem.objects.filter(renstra=renstra, nomenklatur=nom).exists():
        raise ValidationError({"kode": _("%(kode)s is already in this Renstra.") % {"kode": nom.kode}})
    item = _save(RenstraItem(renstra=renstra, sasaran_pd=sasaran_pd, parent=parent, nomenklatur=nom, level=level))
    if data.get("pagu"):
        _set_pagu(item, data["pagu"])
    return item


@transaction.atomic
def set_pagu(item: RenstraItem, pagu: dict) -> RenstraItem:
    """{tahun: nilai or None} of the indicative ceiling; every year must lie in the RPJMD period."""
    _lock_draft(item)
    _set_pagu(item, pagu)
    return item


def _set_pagu(item: RenstraItem, pagu: dict) -> None:
    periode = item.renstra.rpjmd.tahun_list
    for tahun, value in sorted(pagu.items()):
        tahun = int(tahun)
        if tahun not in periode:
            raise ValidationError(
                {f"pagu_{tahun}": _("%(tahun)s is outside the period %(awal)s–%(akhir)s of this plan.")
                 % {"tahun": tahun, "awal": periode[0], "akhir": periode[-1]}}
            )  # fmt: skip
        existing = PaguIndikatif.objects.filter(item=item, tahun=tahun).first()
        if value in (None, ""):
            if existing is not None:
                _delete(existing)
            continue
        value = _money(value, f"pagu_{tahun}")
        if existing is None:
            _save(PaguIndikatif(item=item, tahun=tahun, nilai=value))
        elif existing.nilai != value:
            before = audit.snapshot(existing)
            existing.nilai = value
            _save(existing, before)


@transaction.atomic
def adopt_renstra(renstra: Renstra) -> Renstra:
    renstra = _lock_draft(renstra)
    if renstra.rpjmd.status != Status.DITETAPKAN:
        raise ValidationError(_("Adopt the RPJMD before the Renstra that follows it."))
    if not renstra.items.filter(level=Level.SUB_KEGIATAN).exists():
        raise ValidationError(_("A Renstra needs at least one sub kegiatan before it can be adopted."))
    _transition(renstra, Status.DITETAPKAN, "adopt")
    events.publish("perencanaan.renstra_ditetapkan", {"renstra_id": renstra.pk})
    return renstra


# -- Renja ----------------------------------------------------------------------------------------------------


@dataclass
class DrawResult:
    renja: Renja
    created: list = field(default_factory=list)  # RenjaSubKegiatan
    existing: list = field(default_factory=list)  # RenstraItem already in the Renja
    unmapped: list = field(default_factory=list)  # (RenstraItem, reason)


def renstra_for(unit, tahun: int) -> Renstra | None:
    return (
        Renstra.objects.select_related("rpjmd")
        .filter(unit=unit, rpjmd__tahun_awal__lte=tahun, rpjmd__tahun_akhir__gte=tahun)
        .order_by("-rpjmd__tahun_awal")
        .first()
    )


def _program_kegiatan(nom: Nomenklatur) -> tuple[str, str]:
    kegiatan = nom.parent if nom.parent_id and nom.parent.level == Level.KEGIATAN else None
    program = kegiatan.parent if kegiatan and kegiatan.parent_id else None
    parts = nom.kode.split(".")
    return (
        program.kode if program else ".".join(parts[:3]),
        kegiatan.kode if kegiatan else ".".join(parts[:5]),
    )


@transaction.atomic
def draw_renja(unit, tahun: int) -> DrawResult:
    """Create (or complete) the unit's Renja of `tahun` from its adopted Renstra: each sub kegiatan item carried
    to the year's edition, with the year's pagu indikatif (next year's as prakiraan maju) and its indicators with
    the year's target. Items already drawn are left as they are; items whose code does not map are returned."""
    renstra = renstra_for(unit, tahun)
    if renstra is None:
        raise ValidationError(_("%(unit)s has no Renstra covering %(tahun)s.") % {"unit": unit, "tahun": tahun})
    if renstra.status != Status.DITETAPKAN:
        raise ValidationError(_("The Renstra of %(unit)s is not adopted yet: adopt it first.") % {"unit": unit})
    renja = Renja.objects.select_for_update().filter(unit=unit, tahun=tahun).first()
    if renja is None:
        renja = _save(Renja(unit=unit, tahun=tahun, renstra=renstra))
    else:
        renja = _lock_draft(renja)
        if renja.renstra_id is None:
            before = audit.snapshot(renja)
            renja.renstra = renstra
            _save(renja, before)
    result = DrawResult(renja)
    drawn = set(renja.sub_kegiatan.exclude(renstra_item=None).values_list("renstra_item_id", flat=True))
    taken = set(renja.sub_kegiatan.values_list("sub_kegiatan_id", flat=True))
    items = renstra.items.filter(level=Level.SUB_KEGIATAN).select_related("nomenklatur__versi")
    for item in items.order_by("nomenklatur__kode"):
        if item.pk in drawn:
            result.existing.append(item)
            continue
        nom = map_forward(item.nomenklatur, tahun)
        if nom is None:
            result.unmapped.append(
                (item, _("%(kode)s has no continuation in the %(tahun)s edition (retired or not mapped).")
                 % {"kode": item.nomenklatur.kode, "tahun": tahun})
            )  # fmt: skip
            continue
        if nom.level != Level.SUB_KEGIATAN or nom.pk in taken:
            reason = (
                _("%(kode)s maps to %(new)s, which is already in the Renja.")
                if nom.pk in taken
                else _("%(kode)s maps to %(new)s, which is not a sub kegiatan.")
            )
            result.unmapped.append((item, reason % {"kode": item.nomenklatur.kode, "new": nom.kode}))
            continue
        pagu = dict(item.pagu.filter(tahun__in=(tahun, tahun + 1)).values_list("tahun", "nilai"))
        kode_program, kode_kegiatan = _program_kegiatan(nom)
        sub = _save(
            RenjaSubKegiatan(
                renja=renja,
                unit=unit,
                tahun=tahun,
                sub_kegiatan=nom,
                renstra_item=item,
                kode_program=kode_program,
                kode_kegiatan=kode_kegiatan,
                pagu_indikatif=pagu.get(tahun, Decimal(0)),
                prakiraan_maju=pagu.get(tahun + 1, Decimal(0)),
            )
        )
        taken.add(nom.pk)
        for source in item.indikator.prefetch_related("target"):
            copy = _save(
                Indikator(
                    renja_sub_kegiatan=sub,
                    **{name: getattr(source, name) for name in INDIKATOR_FIELDS},
                )
            )
            for target in source.target.all():
                if target.tahun == tahun:
                    _save(TargetIndikator(indikator=copy, tahun=tahun, target=target.target))
        result.created.append(sub)
    audit.record(
        renja,
        "draw",
        {
            "dari_renstra": [None, renstra.pk],
            "ditambahkan": [None, [s.sub_kegiatan.kode for s in result.created]],
            "tidak_terpetakan": [None, [i.nomenklatur.kode for i, _r in result.unmapped]],
        },
    )
    events.publish("perencanaan.renja_ditarik", {"renja_id": renja.pk, "created": len(result.created)})
    return result


@transaction.atomic
def add_sub_kegiatan(renja: Renja, data: dict) -> RenjaSubKegiatan:
    """A sub kegiatan outside the Renstra (data: kode, alasan, and any of pagu_indikatif, prakiraan_maju, lokasi,
    sumber_dana, pptk). The reason is required and kept in the audit trail."""
    renja = _lock_draft(renja)
    alasan = _text(data, "alasan")
    nom = _code(renja.tahun, _text(data, "kode"), Level.SUB_KEGIATAN)
    if renja.sub_kegiatan.filter(sub_kegiatan=nom).exists():
        raise ValidationError({"kode": _("%(kode)s is already in this Renja.") % {"kode": nom.kode}})
    kode_program, kode_kegiatan = _program_kegiatan(nom)
    sub = RenjaSubKegiatan(
        renja=renja, unit=renja.unit, tahun=renja.tahun, sub_kegiatan=nom, renstra_item=None,
        kode_program=kode_program, kode_kegiatan=kode_kegiatan,
    )  # fmt: skip
    _apply_sub_fields(sub, data)
    sub.full_clean()
    sub.save()
    changes = audit.diff(None, audit.snapshot(sub))
    changes["alasan"] = [None, alasan]
    audit.record(sub, "create", changes)
    return sub


def _apply_sub_fields(sub: RenjaSubKegiatan, data: dict) -> None:
    for name in SUB_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in ("pagu_indikatif", "prakiraan_maju"):
            value = _money(value, name)
        elif name != "pptk":
            value = (value or "").strip()
        setattr(sub, name, value)


@transaction.atomic
def update_sub_kegiatan(sub: RenjaSubKegiatan, data: dict) -> RenjaSubKegiatan:
    _lock_draft(sub)
    sub = RenjaSubKegiatan.objects.get(pk=sub.pk)
    before = audit.snapshot(sub)
    _apply_sub_fields(sub, data)
    return _save(sub, before)


@transaction.atomic
def remove_sub_kegiatan(sub: RenjaSubKegiatan, alasan: str) -> None:
    """Take a sub kegiatan out of a draft Renja (refused once the budget uses it); the reason is audited."""
    _lock_draft(sub)
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": _("Say why the sub kegiatan is removed from the Renja.")})
    _delete(sub, {"alasan": [None, alasan]})


@transaction.atomic
def adopt_renja(renja: Renja) -> Renja:
    renja = _lock_draft(renja)
    if not renja.sub_kegiatan.exists():
        raise ValidationError(_("A Renja needs at least one sub kegiatan before it can be adopted."))
    _transition(renja, Status.DITETAPKAN, "adopt")
    events.publish("perencanaan.renja_ditetapkan", {"renja_id": renja.pk, "tahun": renja.tahun})
    return renja
