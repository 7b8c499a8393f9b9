"""The only code that changes the organisation tables. Every change is audited.

Callers (views, API, importers, commands, jobs) pass plain values; these functions validate,
write inside one transaction, append the audit event and publish domain events.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from terpadu.core import audit, events
from terpadu.organisasi.models import (
    Jabatan,
    Pegawai,
    Pemda,
    PenugasanSementara,
    RiwayatJabatan,
    UnitKerja,
    today,
)
from terpadu.organisasi.nip import parse_nip

# -- helpers -------------------------------------------------------------------------------


def _save_audited(instance, action: str, before: dict | None, **extra) -> None:
    instance.full_clean(**extra)
    instance.save()
    changes = audit.diff(before, audit.snapshot(instance))
    if before is None or changes:
        audit.record(instance, action, changes)


def _apply(instance, data: dict) -> None:
    for key, value in data.items():
        setattr(instance, key, value)


# -- pemda ---------------------------------------------------------------------------------


def the_pemda() -> Pemda | None:
    return Pemda.objects.order_by("pk").first()


@transaction.atomic
def save_pemda(data: dict) -> Pemda:
    pemda = the_pemda()
    before = audit.snapshot(pemda) if pemda else None
    pemda = pemda or Pemda()
    _apply(pemda, data)
    _save_audited(pemda, "create" if before is None else "update", before)
    return pemda


# -- units ---------------------------------------------------------------------------------


def _path(unit: UnitKerja) -> str:
    prefix = unit.parent.path if unit.parent_id else ""
    return f"{prefix}{unit.pk:06d}."


@transaction.atomic
def create_unit(data: dict) -> UnitKerja:
    pemda = data.pop("pemda", None) or the_pemda()
    if pemda is None:
        raise ValidationError(_("Set up the pemda before adding units."))
    unit = UnitKerja(pemda=pemda, **data)
    _check_parent(unit)
    unit.path, unit.depth = "pending", 0
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = _path(unit)
    unit.depth = unit.path.count(".") - 1
    unit.save(update_fields=["path", "depth"])
    audit.record(unit, "create", audit.diff(None, audit.snapshot(unit)))
    events.publish("organisasi.unit_created", {"unit_id": unit.pk})
    return unit


def _check_parent(unit: UnitKerja) -> None:
    parent = unit.parent
    if parent is None:
        return
    if unit.pk and (parent.pk == unit.pk or parent.path.startswith(unit.path)):
        raise ValidationError({"parent": _("A unit cannot be placed under itself or its own sub-unit.")})
    if parent.valid_to is not None and parent.valid_to < (unit.valid_from or today()):
        raise ValidationError({"parent": _("The parent unit is closed.")})


@transaction.atomic
def update_unit(unit: UnitKerja, data: dict) -> UnitKerja:
    unit = UnitKerja.objects.select_for_update().get(pk=unit.pk)
    before = audit.snapshot(unit)
    old_path = unit.path
    _apply(unit, data)
    _check_parent(unit)
    unit.path = _path(unit)
    unit.depth = unit.path.count(".") - 1
    _save_audited(unit, "update", before)
    if unit.path != old_path:
        _repath_subtree(old_path, unit.path)
    return unit


def _repath_subtree(old: str, new: str) -> None:
    for child in UnitKerja.objects.filter(path__startswith=old).exclude(path=old).select_for_update():
        child.path = new + child.path[len(old) :]
        child.depth = child.path.count(".") - 1
        child.save(update_fields=["path", "depth"])


@transaction.atomic
def close_unit(unit: UnitKerja, valid_to: dt.date) -> UnitKerja:
    """Reorganisation: the unit ends on `valid_to`; its history stays. Open sub-units must close first."""
    open_children = UnitKerja.objects.filter(parent=unit).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_to))
    if open_children.exists():
        raise ValidationError(
            _("Close or move the sub-units first: %(names)s")
            % {"names": ", ".join(open_children.values_list("nama", flat=True)[:5])}
        )
    return update_unit(unit, {"valid_to": valid_to})


def subtree(unit: UnitKerja):
    return UnitKerja.objects.filter(path__startswith=unit.path)


def current_tree(on: dt.date | None = None) -> list[dict]:
    """The unit tree valid on a date, as nested dicts (one query)."""
    nodes: dict[int, dict] = {}
    roots: list[dict] = []
    heads = head_holders(on)
    for unit in UnitKerja.objects.current(on).order_by("path"):
        node = {"unit": unit, "children": [], "head": heads.get(unit.pk)}
        nodes[unit.pk] = node
        (nodes[unit.parent_id]["children"] if unit.parent_id in nodes else roots).append(node)
    return roots


def opd_list(on: dt.date | None = None):
    from terpadu.organisasi import reference

    return UnitKerja.objects.current(on).filter(jenis__in=reference.opd_kinds()).order_by("path")


# -- jabatan -------------------------------------------------------------------------------


@transaction.atomic
def create_jabatan(data: dict) -> Jabatan:
    jabatan = Jabatan(**data)
    _check_jabatan(jabatan)
    _save_audited(jabatan, "create", None)
    return jabatan


@transaction.atomic
def update_jabatan(jabatan: Jabatan, data: dict) -> Jabatan:
    jabatan = Jabatan.objects.select_for_update().get(pk=jabatan.pk)
    before = audit.snapshot(jabatan)
    _apply(jabatan, data)
    _check_jabatan(jabatan)
    _save_audited(jabatan, "update", before)
    return jabatan


def _check_jabatan(jabatan: Jabatan) -> None:
    if jabatan.jenis == Jabatan.Jenis.STRUKTURAL and not jabatan.eselon:
        raise ValidationError({"eselon": _("A structural position needs its eselon.")})
    if jabatan.jenis != Jabatan.Jenis.STRUKTURAL and jabatan.eselon:
        raise ValidationError({"eselon": _("Only structural positions have an eselon.")})
    if jabatan.atasan_override_id and jabatan.atasan_override_id == jabatan.pk:
        raise ValidationError({"atasan_override": _("A position cannot be its own superior.")})
    if jabatan.is_kepala_unit:
        clash = Jabatan.objects.filter(unit=jabatan.unit_id, is_kepala_unit=True, valid_to__isnull=True)
        if clash.exclude(pk=jabatan.pk).exists():
            raise ValidationError({"is_kepala_unit": _("This unit already has a head position.")})


def head_of(unit: UnitKerja, on: dt.date | None = None) -> Jabatan | None:
    return Jabatan.objects.current(on).filter(unit=unit, is_kepala_unit=True).first()


def atasan_of(jabatan: Jabatan, on: dt.date | None = None) -> Jabatan | None:
    """The superior position: the explicit override, else the head of the nearest unit above
    (the unit itself for staff, its parent for the unit's head)."""
    if jabatan.atasan_override_id:
        return jabatan.atasan_override
    unit_ids = [int(part) for part in jabatan.unit.path.rstrip(".").split(".")]
    heads = {j.unit_id: j for j in Jabatan.objects.current(on).filter(unit_id__in=unit_ids, is_kepala_unit=True)}
    for unit_id in reversed(unit_ids):
        head = heads.get(unit_id)
        if head is not None and head.pk != jabatan.pk:
            return head
    return None


# -- pegawai -------------------------------------------------------------------------------


def _check_nip(pegawai: Pegawai) -> None:
    try:
        info = parse_nip(pegawai.nip)
    except ValidationError as exc:
        raise ValidationError({"nip": exc.messages}) from exc
    if info.is_pppk != (pegawai.status == Pegawai.Status.PPPK):
        raise ValidationError(
            {
                "nip": _("This NIP belongs to a PPPK; the status must match.")
                if info.is_pppk
                else _("A PPPK NIP has 21 in digits 13–14; this one is a PNS NIP.")
            }
        )
    from terpadu.organisasi import reference

    kinds = {r["kode"] for r in reference.golongan(pegawai.status)}
    if pegawai.golongan and pegawai.golongan not in kinds:
        raise ValidationError(
            {"golongan": _("Rank %(g)s does not exist for %(s)s.") % {"g": pegawai.golongan, "s": pegawai.status}}
        )
    pegawai.tanggal_lahir, pegawai.jenis_kelamin = info.tanggal_lahir, info.jenis_kelamin


@transaction.atomic
def create_pegawai(data: dict) -> Pegawai:
    pegawai = Pegawai(**data)
    _check_nip(pegawai)
    _save_audited(pegawai, "create", None)
    events.publish("organisasi.pegawai_created", {"pegawai_id": pegawai.pk})
    return pegawai


@transaction.atomic
def update_pegawai(pegawai: Pegawai, data: dict) -> Pegawai:
    pegawai = Pegawai.objects.select_for_update().get(pk=pegawai.pk)
    before = audit.snapshot(pegawai)
    _apply(pegawai, data)
    _check_nip(pegawai)
    _save_audited(pegawai, "update", before)
    return pegawai


@transaction.atomic
def assign_jabatan(pegawai: Pegawai, jabatan: Jabatan, tmt_mulai: dt.date, nomor_sk: str = "") -> RiwayatJabatan:
    """Definitive appointment: closes the previous position the day before and records the new one."""
    if jabatan.valid_to and jabatan.valid_to < tmt_mulai:
        raise ValidationError({"jabatan": _("This position is closed on that date.")})
    previous = RiwayatJabatan.objects.filter(pegawai=pegawai, tmt_selesai__isnull=True).select_for_update()
    for riwayat in previous:
        if riwayat.tmt_mulai >= tmt_mulai:
            raise ValidationError(
                {"tmt_mulai": _("The new position must start after %(d)s.") % {"d": riwayat.tmt_mulai}}
            )
        before = audit.snapshot(riwayat)
        riwayat.tmt_selesai = tmt_mulai - dt.timedelta(days=1)
        _save_audited(riwayat, "close", before)
    riwayat = RiwayatJabatan(pegawai=pegawai, jabatan=jabatan, tmt_mulai=tmt_mulai, nomor_sk=nomor_sk)
    _save_audited(riwayat, "create", None)
    refresh_current_position(pegawai)
    events.publish("organisasi.jabatan_assigned", {"pegawai_id": pegawai.pk, "jabatan_id": jabatan.pk})
    return riwayat


def refresh_current_position(pegawai: Pegawai, on: dt.date | None = None) -> None:
    on = on or today()
    current = (
        RiwayatJabatan.objects.filter(pegawai=pegawai, tmt_mulai__lte=on)
        .filter(Q(tmt_selesai__isnull=True) | Q(tmt_selesai__gte=on))
        .select_related("jabatan")
        .order_by("-tmt_mulai")
        .first()
    )
    jabatan = current.jabatan if current else None
    unit_id = jabatan.unit_id if jabatan else None
    if (pegawai.jabatan_id, pegawai.unit_id) != (getattr(jabatan, "pk", None), unit_id):
        before = audit.snapshot(pegawai, ["jabatan", "unit"])
        Pegawai.objects.filter(pk=pegawai.pk).update(jabatan=jabatan, unit_id=unit_id)
        pegawai.jabatan, pegawai.unit_id = jabatan, unit_id
        audit.record(pegawai, "position_refreshed", audit.diff(before, audit.snapshot(pegawai, ["jabatan", "unit"])))


def holder_of(jabatan: Jabatan, on: dt.date | None = None) -> tuple[Pegawai | None, str]:
    """Who fills a position today: (pegawai, "" | "plt" | "plh"). Acting assignments count when
    the position has no definitive holder, or during a Plh. (the holder is away)."""
    on = on or today()
    acting = (
        PenugasanSementara.objects.filter(PenugasanSementara.active_q(on), jabatan=jabatan)
        .select_related("pegawai")
        .order_by("-mulai")
        .first()
    )
    if acting is not None:
        return acting.pegawai, acting.jenis
    definitive = (
        RiwayatJabatan.objects.filter(jabatan=jabatan, tmt_mulai__lte=on)
        .filter(Q(tmt_selesai__isnull=True) | Q(tmt_selesai__gte=on))
        .select_related("pegawai")
        .first()
    )
    return (definitive.pegawai, "") if definitive else (None, "")


def head_holders(on: dt.date | None = None) -> dict[int, dict]:
    """unit_id -> {jabatan, pegawai, acting} for every current head position (three queries)."""
    on = on or today()
    heads = {j.pk: j for j in Jabatan.objects.current(on).filter(is_kepala_unit=True)}
    holders = {
        r.jabatan_id: (r.pegawai, "")
        for r in RiwayatJabatan.objects.filter(jabatan_id__in=heads, tmt_mulai__lte=on)
        .filter(Q(tmt_selesai__isnull=True) | Q(tmt_selesai__gte=on))
        .select_related("pegawai")
    }
    for p in PenugasanSementara.objects.filter(PenugasanSementara.active_q(on), jabatan_id__in=heads).select_related(
        "pegawai"
    ):
        holders[p.jabatan_id] = (p.pegawai, p.jenis)
    result = {}
    for jabatan_id, jabatan in heads.items():
        pegawai, acting = holders.get(jabatan_id, (None, ""))
        result[jabatan.unit_id] = {"jabatan": jabatan, "pegawai": pegawai, "acting": acting}
    return result


def positions_held(pegawai: Pegawai, on: dt.date | None = None) -> list[tuple[Jabatan, str]]:
    """Every position whose rights the pegawai holds today: the definitive one and active Plt./Plh."""
    on = on or today()
    held = []
    if pegawai.jabatan_id:
        held.append((pegawai.jabatan, ""))
    for penugasan in PenugasanSementara.objects.filter(PenugasanSementara.active_q(on), pegawai=pegawai).select_related(
        "jabatan__unit"
    ):
        if penugasan.jabatan.valid_to is None or penugasan.jabatan.valid_to >= on:
            held.append((penugasan.jabatan, penugasan.jenis))
    return held


def position_label(jabatan: Jabatan, acting: str) -> str:
    prefix = {"plt": "Plt. ", "plh": "Plh. "}.get(acting, "")
    return f"{prefix}{jabatan.nama}"


# -- Plt. / Plh. -----------------------------------------------------------------------------


@transaction.atomic
def assign_acting(
    pegawai: Pegawai, jabatan: Jabatan, jenis: str, mulai: dt.date, selesai: dt.date, nomor_sk: str = ""
) -> PenugasanSementara:
    if selesai < mulai:
        raise ValidationError({"selesai": _("The end date is before the start date.")})
    if jenis not in PenugasanSementara.Jenis.values:
        raise ValidationError({"jenis": _("Choose Plt. or Plh.")})
    overlap = PenugasanSementara.objects.filter(
        jabatan=jabatan, dicabut__isnull=True, mulai__lte=selesai, selesai__gte=mulai
    )
    if overlap.exists():
        raise ValidationError(_("Another acting assignment for this position overlaps these dates."))
    if pegawai.jabatan_id == jabatan.pk:
        raise ValidationError(_("The pegawai already holds this position definitively."))
    penugasan = PenugasanSementara(
        pegawai=pegawai, jabatan=jabatan, jenis=jenis, mulai=mulai, selesai=selesai, nomor_sk=nomor_sk
    )
    _save_audited(penugasan, "create", None)
    events.publish("organisasi.acting_assigned", {"penugasan_id": penugasan.pk})
    return penugasan


@transaction.atomic
def revoke_acting(penugasan: PenugasanSementara, when) -> PenugasanSementara:
    before = audit.snapshot(penugasan)
    penugasan.dicabut = when
    _save_audited(penugasan, "revoke", before)
    return penugasan
