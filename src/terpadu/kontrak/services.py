"""The only code that changes the kontrak tables: penyedia, paket pengadaan (RUP) and their DPA funding,
contracts with their termin and jaminan, status changes and the adendum history. Every change is audited.

Rules (each refused with a message naming the line or contract and the figures):

- A package takes money from DPA lines of its own OPD and year (PaketDpa). What a line has left for
  packages is `tersedia(dpa_baris)` = DPA pagu − what the other packages take. The DpaBaris rows are locked
  (SELECT … FOR UPDATE, in pk order) while a package's funding is checked and written, so two packages
  written at the same time cannot together take more than the line has.
- A package's pagu equals the sum of its funding lines.
- A contract's value never exceeds its package's pagu, and all contracts of a package together never
  exceed it (the package row is locked while checking). At signing the value may not exceed the HPS, and
  the HPS may not exceed the pagu.
- Value and dates of a contract change only by an adendum, which stores before/after and its reason, applies
  the change in the same transaction and is never edited or deleted. A value adendum meets the same pagu rule
  and may not fall below the termin already scheduled; a time adendum keeps selesai ≥ mulai.
- Termin: amounts add up to at most the contract value; required physical progress is 0–100 and does not
  fall from one stage to the next; a termin is never reduced below what was already paid on it.
- Status: berjalan → selesai | pemutusan | penghentian, with a date and a reason; one way. A contract that is
  no longer running takes no adendum and no new termin.

NPWP: the check digit algorithm is not published by DJP, so an NPWP is validated by shape and length only:
15 digits (old format, optionally written 99.999.999.9-999.999) or 16 digits (since 2024: the NIK for
resident individuals, 0 + the old NPWP for others). It is stored as digits only.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from terpadu.core import audit, events
from terpadu.core.uang import rupiah
from terpadu.kontrak.models import Adendum, Jaminan, Kontrak, Paket, PaketDpa, Penyedia, Termin

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
NPWP_FORMATTED_15 = re.compile(r"^\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}$")
NPWP_ALLOWED = re.compile(r"^[\d.\-\s]+$")


def money(value, field: str, *, allow_zero: bool = False, required: bool = True) -> Decimal | None:
    """A Decimal amount (never float), positive; a ValidationError naming the field otherwise."""
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("This amount is required.")})
        return None
    if isinstance(value, float):
        value = str(value)
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Not an amount: %(v)s.") % {"v": value}}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Not an amount: %(v)s.") % {"v": value}})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: _("The amount must be more than zero.")})
    if amount >= Decimal("1e18"):
        raise ValidationError({field: _("The amount is too large.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("At most two decimals (sen).")})
    return amount.quantize(CENT)


def today():
    return timezone.localdate()


# -- penyedia ----------------------------------------------------------------------------------


def normalise_npwp(value: str) -> str:
    """The NPWP as digits: 15 digits (optionally 99.999.999.9-999.999) or 16 digits. Shape and length only:
    the check digit algorithm is not public."""
    raw = (value or "").strip()
    if not raw:
        raise ValidationError({"npwp": _("The NPWP is required.")})
    if not NPWP_ALLOWED.match(raw):
        raise ValidationError({"npwp": _("An NPWP has only digits, dots, a dash and spaces.")})
    digits = re.sub(r"\D", "", raw)
    if len(digits) not in (15, 16):
        raise ValidationError(
            {
                "npwp": _(
                    "An NPWP has 15 digits (99.999.999.9-999.999) or 16 digits (the NIK-based format since "
                    "2024); this one has %(n)d."
                )
                % {"n": len(digits)}
            }
        )
    if len(digits) == 15 and raw != digits and not NPWP_FORMATTED_15.match(raw.replace(" ", "")):
        raise ValidationError({"npwp": _("A 15-digit NPWP is written 99.999.999.9-999.999 or as plain digits.")})
    if len(digits) == 16 and re.search(r"[.\-]", raw):
        raise ValidationError({"npwp": _("A 16-digit NPWP is written as plain digits.")})
    if set(digits) == {"0"}:
        raise ValidationError({"npwp": _("An NPWP of only zeros is a placeholder, not a supplier's NPWP.")})
    return digits


def format_npwp(digits: str) -> str:
    """99.999.999.9-999.999 for the 15-digit format; 16 digits as they are."""
    if len(digits) == 15:
        return f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}.{digits[8]}-{digits[9:12]}.{digits[12:]}"
    return digits


PENYEDIA_FIELDS = ("nama", "npwp", "alamat", "kualifikasi", "email", "telepon")


def _save_penyedia(penyedia: Penyedia, data: dict, before: dict | None) -> Penyedia:
    for name in PENYEDIA_FIELDS:
        if name in data:
            setattr(penyedia, name, (data[name] or "").strip() if isinstance(data[name], str) else data[name] or "")
    penyedia.npwp = normalise_npwp(penyedia.npwp)
    if not penyedia.nama:
        raise ValidationError({"nama": _("The name is required.")})
    clash = Penyedia.objects.filter(npwp=penyedia.npwp).exclude(pk=penyedia.pk).first()
    if clash is not None:
        raise ValidationError(
            {
                "npwp": _("NPWP %(npwp)s is already registered for %(nama)s.")
                % {"npwp": penyedia.npwp, "nama": clash.nama}
            }
        )
    penyedia.full_clean()
    penyedia.save()
    changes = audit.diff(before, audit.snapshot(penyedia))
    if before is None or changes:
        audit.record(penyedia, "create" if before is None else "update", changes)
    return penyedia


@transaction.atomic
def create_penyedia(data: dict, user=None) -> Penyedia:
    return _save_penyedia(Penyedia(), data, None)


@transaction.atomic
def update_penyedia(penyedia: Penyedia, data: dict, user=None) -> Penyedia:
    penyedia = Penyedia.objects.select_for_update().get(pk=penyedia.pk)
    return _save_penyedia(penyedia, data, audit.snapshot(penyedia))


# -- paket and its DPA funding --------------------------------------------------------------------


def tersedia(dpa_baris, exclude_paket=None) -> Decimal:
    """What a DPA line has left for packages: its pagu minus what (other) packages already take."""
    taken = PaketDpa.objects.filter(dpa_baris=dpa_baris)
    if exclude_paket is not None and getattr(exclude_paket, "pk", None):
        taken = taken.exclude(paket=exclude_paket)
    used = taken.aggregate(total=Sum("nilai"))["total"] or ZERO
    return dpa_baris.pagu - used


PAKET_FIELDS = ("kode_rup", "nama", "metode", "jenis", "sumber_dana", "lokasi")


def _clean_alokasi(paket: Paket, alokasi) -> list[tuple[object, Decimal]]:
    """[(DpaBaris, nilai)] → locked DpaBaris rows and amounts, checked against what each line has left."""
    from terpadu.anggaran.models import DpaBaris

    wanted: dict[int, Decimal] = {}
    for dpa, nilai in alokasi:
        dpa_pk = getattr(dpa, "pk", dpa)
        amount = money(nilai, "alokasi")
        if dpa_pk in wanted:
            raise ValidationError({"alokasi": _("A DPA line is listed twice.")})
        wanted[dpa_pk] = amount
    if not wanted:
        raise ValidationError({"alokasi": _("A package is funded by at least one DPA line.")})
    # Locked in pk order, so two packages over the same lines wait for each other instead of deadlocking.
    lines = list(DpaBaris.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
    if len(lines) != len(wanted):
        raise ValidationError({"alokasi": _("Unknown DPA line.")})
    errors = []
    result = []
    for line in lines:
        nilai = wanted[line.pk]
        if line.unit_id != paket.unit_id or line.tahun != paket.tahun:
            errors.append(_("DPA line %(line)s belongs to another OPD or year than the package.") % {"line": line.kode})
            continue
        left = tersedia(line, exclude_paket=paket)
        if nilai > left:
            errors.append(
                _(
                    "DPA line %(line)s has %(left)s left for packages (pagu %(pagu)s, taken by other packages "
                    "%(used)s); %(asked)s was asked."
                )
                % {
                    "line": line.kode,
                    "left": rupiah(left),
                    "pagu": rupiah(line.pagu),
                    "used": rupiah(line.pagu - left),
                    "asked": rupiah(nilai),
                }
            )
        result.append((line, nilai))
    if errors:
        raise ValidationError({"alokasi": errors})
    return result


def _write_alokasi(paket: Paket, lines: list[tuple[object, Decimal]]) -> dict:
    before = {str(a.dpa_baris_id): str(a.nilai) for a in paket.alokasi.all()}
    keep = {line.pk for line, _n in lines}
    paket.alokasi.exclude(dpa_baris_id__in=keep).delete()
    for line, nilai in lines:
        PaketDpa.objects.update_or_create(paket=paket, dpa_baris=line, defaults={"nilai": nilai})
    after = {str(line.pk): str(nilai) for line, nilai in lines}
    return {"alokasi": [before, after]} if before != after else {}


def _save_paket(paket: Paket, data: dict, alokasi, before: dict | None) -> Paket:
    for name in PAKET_FIELDS:
        if name in data:
            value = data[name]
            setattr(paket, name, value.strip() if isinstance(value, str) else (value or ""))
    if "pagu" in data:
        paket.pagu = money(data["pagu"], "pagu")
    if not paket.nama:
        raise ValidationError({"nama": _("The name is required.")})
    paket.full_clean(exclude=["unit"])
    lines = _clean_alokasi(paket, alokasi)
    total = sum((n for _l, n in lines), ZERO)
    if total != paket.pagu:
        raise ValidationError(
            {
                "pagu": _("The package pagu %(pagu)s must equal the sum of its DPA funding, %(sum)s.")
                % {"pagu": rupiah(paket.pagu), "sum": rupiah(total)}
            }
        )
    if paket.pk:
        contracted = paket.kontrak.aggregate(total=Sum("nilai"))["total"] or ZERO
        if paket.pagu < contracted:
            raise ValidationError(
                {
                    "pagu": _("The package's contracts already amount to %(sum)s; the pagu cannot be %(pagu)s.")
                    % {"sum": rupiah(contracted), "pagu": rupiah(paket.pagu)}
                }
            )
    paket.save()
    changes = audit.diff(before, audit.snapshot(paket))
    changes.update(_write_alokasi(paket, lines))
    if before is None or changes:
        audit.record(paket, "create" if before is None else "update", changes)
    return paket


@transaction.atomic
def create_paket(unit, tahun: int, data: dict, alokasi, user=None) -> Paket:
    """A package of `unit` (the OPD) in `tahun`, funded by `alokasi` = [(DpaBaris or pk, nilai), …]."""
    paket = Paket(unit=unit, tahun=tahun, pagu=ZERO)
    data = {"pagu": data.get("pagu", sum((money(n, "alokasi") for _d, n in alokasi), ZERO)), **data}
    return _save_paket(paket, data, alokasi, None)


@transaction.atomic
def update_paket(paket: Paket, data: dict, alokasi=None, user=None) -> Paket:
    """Change a package and (when given) replace its funding lines. The contracts' sum must still fit."""
    paket = Paket.objects.select_for_update().get(pk=paket.pk)
    before = audit.snapshot(paket)
    if alokasi is None:
        alokasi = [(a.dpa_baris_id, a.nilai) for a in paket.alokasi.all()]
    return _save_paket(paket, data, alokasi, before)


@transaction.atomic
def delete_paket(paket: Paket, user=None) -> None:
    paket = Paket.objects.select_for_update().get(pk=paket.pk)
    if paket.kontrak.exists():
        raise ValidationError(_("Package %(nama)s has contracts and cannot be deleted.") % {"nama": paket.nama})
    snapshot = audit.snapshot(paket)
    snapshot["alokasi"] = {str(a.dpa_baris_id): str(a.nilai) for a in paket.alokasi.all()}
    audit.record(paket, "delete", audit.diff(snapshot, None))
    paket.delete()


# -- kontrak -------------------------------------------------------------------------------------


KONTRAK_EDITABLE = ("nomor", "tanggal", "penyedia", "jenis_kontrak", "hps", "ppk", "nilai_pdn", "nilai_umk", "lingkup")


def _check_fits_pagu(paket: Paket, kontrak: Kontrak, nilai: Decimal) -> None:
    """nilai ≤ the package pagu, and with the package's other contracts ≤ the pagu. `paket` is locked."""
    label = kontrak.nomor or _("this contract")
    if nilai > paket.pagu:
        raise ValidationError(
            {
                "nilai": _("The value of %(k)s, %(nilai)s, exceeds the pagu of package %(paket)s, %(pagu)s.")
                % {"k": label, "nilai": rupiah(nilai), "paket": paket.nama, "pagu": rupiah(paket.pagu)}
            }
        )
    others = paket.kontrak.exclude(pk=kontrak.pk).aggregate(total=Sum("nilai"))["total"] or ZERO
    if others + nilai > paket.pagu:
        raise ValidationError(
            {
                "nilai": _(
                    "Package %(paket)s has a pagu of %(pagu)s and other contracts of %(others)s; %(k)s at "
                    "%(nilai)s would exceed it by %(over)s."
                )
                % {
                    "paket": paket.nama,
                    "pagu": rupiah(paket.pagu),
                    "others": rupiah(others),
                    "k": label,
                    "nilai": rupiah(nilai),
                    "over": rupiah(others + nilai - paket.pagu),
                }
            }
        )


def _check_parts(kontrak: Kontrak) -> None:
    errors = {}
    if kontrak.hps is not None and kontrak.hps > kontrak.paket.pagu:
        errors["hps"] = _("The HPS %(hps)s exceeds the package pagu %(pagu)s.") % {
            "hps": rupiah(kontrak.hps),
            "pagu": rupiah(kontrak.paket.pagu),
        }
    for name in ("nilai_pdn", "nilai_umk"):
        value = getattr(kontrak, name)
        if value is not None and value > kontrak.nilai:
            errors[name] = _("%(what)s cannot exceed the contract value %(nilai)s.") % {
                "what": Kontrak._meta.get_field(name).verbose_name,
                "nilai": rupiah(kontrak.nilai),
            }
    if kontrak.mulai and kontrak.selesai and kontrak.selesai < kontrak.mulai:
        errors["selesai"] = _("The end date %(s)s is before the start date %(m)s.") % {
            "s": kontrak.selesai,
            "m": kontrak.mulai,
        }
    if errors:
        raise ValidationError(errors)


def _apply_kontrak_fields(kontrak: Kontrak, data: dict, names) -> None:
    for name in names:
        if name not in data:
            continue
        value = data[name]
        if name in ("hps", "nilai_pdn", "nilai_umk"):
            value = money(value, name, allow_zero=name != "hps", required=False)
        elif isinstance(value, str):
            value = value.strip()
        setattr(kontrak, name, value)


@transaction.atomic
def create_kontrak(paket: Paket, data: dict, user=None) -> Kontrak:
    """A contract on `paket`. data: nomor, tanggal, penyedia, jenis_kontrak, nilai, mulai, selesai, and optional
    hps, ppk, nilai_pdn, nilai_umk, lingkup, dokumen (a StoredFile)."""
    paket = Paket.objects.select_for_update().get(pk=paket.pk)
    nilai = money(data.get("nilai"), "nilai")
    kontrak = Kontrak(paket=paket, unit_id=paket.unit_id, tahun=paket.tahun, nilai=nilai, nilai_awal=nilai)
    _apply_kontrak_fields(kontrak, data, (*KONTRAK_EDITABLE, "mulai", "selesai", "dokumen"))
    missing = {f: _("This field is required.") for f in ("nomor", "tanggal", "mulai", "selesai") if not data.get(f)}
    if not data.get("penyedia"):
        missing["penyedia"] = _("This field is required.")
    if missing:
        raise ValidationError(missing)
    _check_parts(kontrak)
    if kontrak.hps is not None and nilai > kontrak.hps:
        raise ValidationError(
            {
                "nilai": _("The contract value %(nilai)s exceeds the HPS %(hps)s.")
                % {"nilai": rupiah(nilai), "hps": rupiah(kontrak.hps)}
            }
        )
    _check_fits_pagu(paket, kontrak, nilai)
    if Kontrak.objects.filter(unit_id=kontrak.unit_id, tahun=kontrak.tahun, nomor=kontrak.nomor).exists():
        raise ValidationError(
            {"nomor": _("Contract number %(n)s is already used in this OPD and year.") % {"n": kontrak.nomor}}
        )
    kontrak.full_clean()
    kontrak.save()
    audit.record(kontrak, "create", audit.diff(None, audit.snapshot(kontrak)))
    events.publish("kontrak.kontrak_dibuat", {"kontrak_id": kontrak.pk})
    return kontrak


def _locked(kontrak: Kontrak) -> Kontrak:
    return Kontrak.objects.select_for_update().select_related("paket").get(pk=kontrak.pk)


@transaction.atomic
def update_kontrak(kontrak: Kontrak, data: dict, user=None) -> Kontrak:
    """Correct the contract's particulars. Its value and dates change only by an adendum."""
    kontrak = _locked(kontrak)
    before = audit.snapshot(kontrak)
    refused = [f for f in ("nilai", "mulai", "selesai") if f in data and not _same(data[f], getattr(kontrak, f))]
    if refused:
        raise ValidationError({f: _("The value and dates of a contract change only by an adendum.") for f in refused})
    _apply_kontrak_fields(kontrak, data, (*KONTRAK_EDITABLE, "dokumen"))
    _check_parts(kontrak)
    if (
        Kontrak.objects.filter(unit_id=kontrak.unit_id, tahun=kontrak.tahun, nomor=kontrak.nomor)
        .exclude(pk=kontrak.pk)
        .exists()
    ):
        raise ValidationError(
            {"nomor": _("Contract number %(n)s is already used in this OPD and year.") % {"n": kontrak.nomor}}
        )
    kontrak.full_clean()
    kontrak.save()
    changes = audit.diff(before, audit.snapshot(kontrak))
    if changes:
        audit.record(kontrak, "update", changes)
    return kontrak


def _same(value, current) -> bool:
    if isinstance(current, Decimal):
        try:
            return Decimal(str(value)) == current
        except (InvalidOperation, ValueError):
            return False
    return value == current or str(value) == str(current)


FINAL_STATUSES = (Kontrak.Status.SELESAI, Kontrak.Status.PEMUTUSAN, Kontrak.Status.PENGHENTIAN)


@transaction.atomic
def set_status(kontrak: Kontrak, status: str, alasan: str, tanggal=None, user=None) -> Kontrak:
    """berjalan → selesai / pemutusan / penghentian, with a date and a reason. One way."""
    kontrak = _locked(kontrak)
    alasan = (alasan or "").strip()
    if status not in FINAL_STATUSES:
        raise ValidationError({"status": _("A contract can be completed, terminated or stopped.")})
    if kontrak.status != Kontrak.Status.BERJALAN:
        raise ValidationError(
            {"status": _("Contract %(k)s is already %(s)s.") % {"k": kontrak.nomor, "s": kontrak.get_status_display()}}
        )
    if not alasan:
        raise ValidationError({"alasan": _("Give the reason for the status change.")})
    tanggal = tanggal or today()
    if tanggal < kontrak.tanggal:
        raise ValidationError({"tanggal": _("The date is before the contract date %(d)s.") % {"d": kontrak.tanggal}})
    before = audit.snapshot(kontrak, ["status", "status_tanggal", "status_alasan"])
    kontrak.status, kontrak.status_tanggal, kontrak.status_alasan = status, tanggal, alasan
    kontrak.save(update_fields=["status", "status_tanggal", "status_alasan"])
    audit.record(
        kontrak, "status", audit.diff(before, audit.snapshot(kontrak, ["status", "status_tanggal", "status_alasan"]))
    )
    events.publish("kontrak.status_diubah", {"kontrak_id": kontrak.pk, "status": status})
    return kontrak


def _require_running(kontrak: Kontrak, what: str) -> None:
    if kontrak.status != Kontrak.Status.BERJALAN:
        raise ValidationError(
            _("Contract %(k)s is %(s)s: %(what)s is no longer possible.")
            % {"k": kontrak.nomor, "s": kontrak.get_status_display(), "what": what}
        )


# -- termin -----------------------------------------------------------------------------------


def dibayar(termin: Termin) -> Decimal:
    """What SP2D paid on this termin (realisasi.Realisasi rows)."""
    from terpadu.realisasi.models import Realisasi

    return Realisasi.objects.filter(termin=termin).aggregate(total=Sum("nilai"))["total"] or ZERO


def _check_termin_set(kontrak: Kontrak, changed: Termin | None, removed: Termin | None = None) -> None:
    """The termin of `kontrak` with `changed` in place (or `removed` gone): sum ≤ nilai, progress rising."""
    rows = [t for t in kontrak.termin.all() if t.pk not in {getattr(changed, "pk", None), getattr(removed, "pk", None)}]
    if changed is not None:
        rows.append(changed)
    rows.sort(key=lambda t: t.urutan)
    total = sum((t.nilai for t in rows), ZERO)
    if total > kontrak.nilai:
        raise ValidationError(
            {
                "nilai": _("The termin of %(k)s would add up to %(sum)s, more than the contract value %(nilai)s.")
                % {"k": kontrak.nomor, "sum": rupiah(total), "nilai": rupiah(kontrak.nilai)}
            }
        )
    for previous, current in zip(rows, rows[1:], strict=False):
        if current.persen_fisik < previous.persen_fisik:
            raise ValidationError(
                {
                    "persen_fisik": _(
                        "Termin %(b)d requires %(pb)s%% physical progress, less than termin %(a)d before it (%(pa)s%%)."
                    )
                    % {
                        "a": previous.urutan,
                        "pa": previous.persen_fisik,
                        "b": current.urutan,
                        "pb": current.persen_fisik,
                    }
                }
            )


def _apply_termin(termin: Termin, data: dict) -> None:
    for name in ("jenis", "bap_nomor", "bap_tanggal"):
        if name in data:
            setattr(termin, name, data[name] if data[name] is not None or name == "bap_tanggal" else "")
    if "nilai" in data:
        termin.nilai = money(data["nilai"], "nilai")
    if "persen_fisik" in data:
        persen = money(data["persen_fisik"], "persen_fisik", allow_zero=True)
        if persen > 100:
            raise ValidationError({"persen_fisik": _("Physical progress is between 0 and 100%.")})
        termin.persen_fisik = persen
    if "urutan" in data and data["urutan"]:
        termin.urutan = int(data["urutan"])


@transaction.atomic
def add_termin(kontrak: Kontrak, data: dict, user=None) -> Termin:
    kontrak = _locked(kontrak)
    _require_running(kontrak, _("adding a termin"))
    last = kontrak.termin.order_by("-urutan").values_list("urutan", flat=True).first() or 0
    termin = Termin(kontrak=kontrak, urutan=last + 1)
    if "nilai" not in data:
        raise ValidationError({"nilai": _("This amount is required.")})
    _apply_termin(termin, data)
    if kontrak.termin.filter(urutan=termin.urutan).exists():
        raise ValidationError({"urutan": _("Termin %(n)d already exists.") % {"n": termin.urutan}})
    _check_termin_set(kontrak, termin)
    termin.full_clean()
    termin.save()
    audit.record(termin, "create", audit.diff(None, audit.snapshot(termin)))
    return termin


@transaction.atomic
def update_termin(termin: Termin, data: dict, user=None) -> Termin:
    kontrak = _locked(termin.kontrak)
    termin = Termin.objects.select_for_update().get(pk=termin.pk)
    before = audit.snapshot(termin)
    _apply_termin(termin, data)
    paid = dibayar(termin)
    if termin.nilai < paid:
        raise ValidationError(
            {
                "nilai": _("Termin %(n)d was already paid %(paid)s; it cannot be reduced to %(nilai)s.")
                % {"n": termin.urutan, "paid": rupiah(paid), "nilai": rupiah(termin.nilai)}
            }
        )
    if termin.urutan != before["urutan"] and kontrak.termin.filter(urutan=termin.urutan).exclude(pk=termin.pk).exists():
        raise ValidationError({"urutan": _("Termin %(n)d already exists.") % {"n": termin.urutan}})
    _check_termin_set(kontrak, termin)
    termin.full_clean()
    termin.save()
    changes = audit.diff(before, audit.snapshot(termin))
    if changes:
        audit.record(termin, "update", changes)
    return termin


@transaction.atomic
def delete_termin(termin: Termin, user=None) -> None:
    _locked(termin.kontrak)
    termin = Termin.objects.select_for_update().get(pk=termin.pk)
    if termin.realisasi.exists():
        raise ValidationError(_("Termin %(n)d has payments (SP2D) and cannot be deleted.") % {"n": termin.urutan})
    audit.record(termin, "delete", audit.diff(audit.snapshot(termin), None))
    termin.delete()


# -- jaminan ------------------------------------------------------------------------------------


def _apply_jaminan(jaminan: Jaminan, data: dict) -> None:
    for name in ("jenis", "penerbit", "nomor", "berlaku_sampai"):
        if name in data:
            value = data[name]
            setattr(jaminan, name, value.strip() if isinstance(value, str) else value)
    if "nilai" in data:
        jaminan.nilai = money(data["nilai"], "nilai")
    if jaminan.berlaku_sampai and jaminan.kontrak.tanggal and jaminan.berlaku_sampai < jaminan.kontrak.tanggal:
        raise ValidationError({"berlaku_sampai": _("The guarantee ends before the contract date.")})


@transaction.atomic
def add_jaminan(kontrak: Kontrak, data: dict, user=None) -> Jaminan:
    kontrak = _locked(kontrak)
    jaminan = Jaminan(kontrak=kontrak)
    _apply_jaminan(jaminan, data)
    jaminan.full_clean()
    jaminan.save()
    audit.record(jaminan, "create", audit.diff(None, audit.snapshot(jaminan)))
    return jaminan


@transaction.atomic
def update_jaminan(jaminan: Jaminan, data: dict, user=None) -> Jaminan:
    _locked(jaminan.kontrak)
    jaminan = Jaminan.objects.select_for_update().select_related("kontrak").get(pk=jaminan.pk)
    before = audit.snapshot(jaminan)
    _apply_jaminan(jaminan, data)
    jaminan.full_clean()
    jaminan.save()
    changes = audit.diff(before, audit.snapshot(jaminan))
    if changes:
        audit.record(jaminan, "update", changes)
    return jaminan


# -- adendum ----------------------------------------------------------------------------------


ADENDUM_FIELDS = {
    Adendum.Jenis.NILAI: ("nilai",),
    Adendum.Jenis.WAKTU: ("mulai", "selesai"),
    Adendum.Jenis.LINGKUP: ("lingkup",),
}


@transaction.atomic
def create_adendum(kontrak: Kontrak, jenis: str, data: dict, user=None) -> Adendum:
    """Record an adendum and apply it to the contract in one transaction.

    data: nomor, tanggal, alasan, optional dokumen, and the new values: `nilai` (value), `selesai` and
    optionally `mulai` (time), `lingkup` (scope)."""
    kontrak = _locked(kontrak)
    if jenis not in ADENDUM_FIELDS:
        raise ValidationError({"jenis": _("An adendum changes the value, the time or the scope.")})
    _require_running(kontrak, _("an adendum"))
    errors = {}
    nomor, alasan, tanggal = (data.get("nomor") or "").strip(), (data.get("alasan") or "").strip(), data.get("tanggal")
    if not nomor:
        errors["nomor"] = _("This field is required.")
    if not alasan:
        errors["alasan"] = _("Give the reason for the adendum.")
    if not tanggal:
        errors["tanggal"] = _("This field is required.")
    elif tanggal < kontrak.tanggal:
        errors["tanggal"] = _("The adendum is dated before the contract (%(d)s).") % {"d": kontrak.tanggal}
    if errors:
        raise ValidationError(errors)
    sebelum, sesudah = {}, {}
    if jenis == Adendum.Jenis.NILAI:
        nilai = money(data.get("nilai"), "nilai")
        if nilai == kontrak.nilai:
            raise ValidationError({"nilai": _("The new value is the same as the current one.")})
        paket = Paket.objects.select_for_update().get(pk=kontrak.paket_id)
        _check_fits_pagu(paket, kontrak, nilai)
        scheduled = kontrak.termin.aggregate(total=Sum("nilai"))["total"] or ZERO
        if nilai < scheduled:
            raise ValidationError(
                {
                    "nilai": _(
                        "The termin of %(k)s add up to %(sum)s; reduce them before lowering the value to %(nilai)s."
                    )
                    % {"k": kontrak.nomor, "sum": rupiah(scheduled), "nilai": rupiah(nilai)}
                }
            )
        for name in ("nilai_pdn", "nilai_umk"):
            value = getattr(kontrak, name)
            if value is not None and value > nilai:
                raise ValidationError(
                    {"nilai": _("%(what)s (%(v)s) is more than the new value.") % {"what": name, "v": rupiah(value)}}
                )
        sebelum["nilai"], sesudah["nilai"] = str(kontrak.nilai), str(nilai)
        kontrak.nilai = nilai
    elif jenis == Adendum.Jenis.WAKTU:
        mulai = data.get("mulai") or kontrak.mulai
        selesai = data.get("selesai")
        if not selesai:
            raise ValidationError({"selesai": _("This field is required.")})
        if selesai < mulai:
            raise ValidationError(
                {"selesai": _("The end date %(s)s is before the start date %(m)s.") % {"s": selesai, "m": mulai}}
            )
        if (mulai, selesai) == (kontrak.mulai, kontrak.selesai):
            raise ValidationError({"selesai": _("The dates are the same as the current ones.")})
        for name, value in (("mulai", mulai), ("selesai", selesai)):
            if value != getattr(kontrak, name):
                sebelum[name], sesudah[name] = getattr(kontrak, name).isoformat(), value.isoformat()
                setattr(kontrak, name, value)
    else:
        lingkup = (data.get("lingkup") or "").strip()
        if not lingkup:
            raise ValidationError({"lingkup": _("Describe the new scope of work.")})
        if lingkup == kontrak.lingkup:
            raise ValidationError({"lingkup": _("The scope is the same as the current one.")})
        sebelum["lingkup"], sesudah["lingkup"] = kontrak.lingkup, lingkup
        kontrak.lingkup = lingkup
    urutan = (kontrak.adendum.order_by("-urutan").values_list("urutan", flat=True).first() or 0) + 1
    adendum = Adendum(
        kontrak=kontrak,
        urutan=urutan,
        nomor=nomor,
        tanggal=tanggal,
        jenis=jenis,
        sebelum=sebelum,
        sesudah=sesudah,
        alasan=alasan,
        dokumen=data.get("dokumen"),
        dibuat_oleh=user if getattr(user, "is_authenticated", False) else None,
    )
    adendum.full_clean(exclude=["dibuat_oleh", "dokumen"])
    kontrak.save(update_fields=list(sesudah))
    adendum.save()
    audit.record(kontrak, "adendum", {name: [sebelum[name], sesudah[name]] for name in sesudah})
    audit.record(adendum, "create", audit.diff(None, audit.snapshot(adendum)))
    events.publish("kontrak.adendum_dibuat", {"adendum_id": adendum.pk})
    return adendum


def riwayat(kontrak: Kontrak) -> list[dict]:
    """Every adendum of the contract in order, with what each field was and became (the public diff)."""
    result = []
    for adendum in kontrak.adendum.order_by("urutan"):
        result.append(
            {
                "urutan": adendum.urutan,
                "nomor": adendum.nomor,
                "tanggal": adendum.tanggal.isoformat(),
                "jenis": adendum.jenis,
                "jenis_label": str(adendum.get_jenis_display()),
                "alasan": adendum.alasan,
                "perubahan": [
                    {
                        "field": name,
                        "label": str(Kontrak._meta.get_field(name).verbose_name),
                        "sebelum": adendum.sebelum.get(name),
                        "sesudah": adendum.sesudah.get(name),
                    }
                    for name in ADENDUM_FIELDS.get(adendum.jenis, ())
                    if name in adendum.sesudah
                ],
                "dokumen_sha256": adendum.dokumen.sha256 if adendum.dokumen_id else None,
            }
        )
    return result
