"""Publication exceptions: the only state the publik part changes (validated, one transaction, audited).

`dikecualikan(tahun, kode, unit)` is the cross-part contract: is an item (program, kegiatan or sub kegiatan
code, optionally of one OPD) kept off the public portal and the open API? An exception on a code covers
every code under it (by prefix at a dot).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from terpadu.core import audit, events
from terpadu.monev.models import PengecualianPublikasi
from terpadu.perencanaan.models import Level, level_of

LEVELS_ALLOWED = (Level.PROGRAM, Level.KEGIATAN, Level.SUB_KEGIATAN)


def _covers(exception_kode: str, kode: str) -> bool:
    return kode == exception_kode or kode.startswith(exception_kode + ".")


def dikecualikan(tahun: int, kode: str, unit=None) -> bool:
    """True when an exception of `tahun` on `kode` or a code above it applies to all OPDs or to `unit`."""
    kode = (kode or "").strip()
    if not kode:
        return False
    unit_id = getattr(unit, "pk", unit)
    for e_kode, e_unit in PengecualianPublikasi.objects.filter(tahun=tahun).values_list("kode", "unit_id"):
        if _covers(e_kode, kode) and (e_unit is None or e_unit == unit_id):
            return True
    return False


def _validate(tahun, kode: str, unit, alasan: str) -> None:
    from terpadu.perencanaan.models import Nomenklatur

    errors: dict[str, list[str]] = {}
    if not isinstance(tahun, int) or not 2000 <= tahun <= 2100:
        errors["tahun"] = [_("Give a budget year between 2000 and 2100.")]
    level = level_of(kode)
    if level not in LEVELS_ALLOWED:
        errors["kode"] = [
            _(
                "%(kode)s is not a program, kegiatan or sub kegiatan code "
                "(e.g. 2.16.03, 2.16.03.2.02 or 2.16.03.2.02.0023)."
            )
            % {"kode": kode or "—"}
        ]
    elif "tahun" not in errors and not Nomenklatur.objects.filter(versi__tahun=tahun, kode=kode).exists():
        errors["kode"] = [
            _("Unknown code %(kode)s in the %(tahun)s nomenklatur edition.") % {"kode": kode, "tahun": tahun}
        ]
    if not alasan:
        errors["alasan"] = [_("The reason is required: it is published in the list of exceptions.")]
    if not errors and PengecualianPublikasi.objects.filter(tahun=tahun, kode=kode, unit=unit).exists():
        errors["kode"] = [
            _("%(kode)s is already excepted for %(tahun)s%(unit)s.")
            % {"kode": kode, "tahun": tahun, "unit": f" ({unit})" if unit else ""}
        ]
    if errors:
        raise ValidationError(errors)


def kecualikan(user, *, tahun: int, kode: str, alasan: str, unit=None) -> PengecualianPublikasi:
    """Except a program / kegiatan / sub kegiatan (and everything under it) from publication."""
    kode = (kode or "").strip().rstrip(".")
    alasan = (alasan or "").strip()
    _validate(tahun, kode, unit, alasan)
    with transaction.atomic():
        item = PengecualianPublikasi.objects.create(
            tahun=tahun, kode=kode, unit=unit, alasan=alasan, dibuat_oleh=user if user and user.pk else None
        )
        audit.record(item, "create", audit.diff(None, audit.snapshot(item)))
        events.publish(
            "monev.pengecualian_diubah", {"tahun": tahun, "kode": kode, "unit_id": getattr(unit, "pk", None)}
        )
    return item


def hapus_pengecualian(user, item: PengecualianPublikasi) -> None:
    """Publish the item again (the exception row is deleted; the audit trail keeps what it was and why)."""
    with transaction.atomic():
        item = PengecualianPublikasi.objects.select_for_update().get(pk=item.pk)
        before = audit.snapshot(item)
        audit.record(item, "delete", audit.diff(before, None))
        tahun, kode, unit_id = item.tahun, item.kode, item.unit_id
        item.delete()
        events.publish("monev.pengecualian_diubah", {"tahun": tahun, "kode": kode, "unit_id": unit_id})
