"""Master data of the budget: kode rekening editions per tahun anggaran (A.K.JJ.OO.RR.SSSS, with the old → new
mapping) and the standar harga (SSH/SBU/HSPK/ASB) of each year with the accounts each item may be budgeted
on. The only code that changes these tables; every change is audited.

The kode rekening editions run on the same engine as the nomenklatur (perencanaan/services_master.py):
create an edition (empty or copied with the identity mapping), validated codes per level whose parent is the
level above and the start of the code, rename, retire, mapping and the worklist of unmapped codes.
Only sub rincian objek codes are budgeted (`rekening(tahun, kode)` refuses the others).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terpadu.anggaran.models import KodeRekening, PemetaanRekening, RekeningLevel, StandarHarga, VersiRekening
from terpadu.core import audit, events
from terpadu.perencanaan import services_master as engine

DATA = Path(__file__).resolve().parent / "data"

REKENING = engine.KodeTree(
    key="rekening",
    label=gettext_lazy("kode rekening"),
    versi_model=VersiRekening,
    kode_model=KodeRekening,
    pemetaan_model=PemetaanRekening,
    levels=tuple(level.value for level in RekeningLevel),
    level_labels={level.value: level.label for level in RekeningLevel},
    # A . K . JJ . OO . RR . SSSS (kode_format.csv: the sub rincian objek regex ^\d(\.\d)(\.\d{2}){3}\.\d{4}$).
    patterns={
        RekeningLevel.AKUN: r"^\d$",
        RekeningLevel.KELOMPOK: r"^\d\.\d$",
        RekeningLevel.JENIS: r"^\d\.\d\.\d{2}$",
        RekeningLevel.OBJEK: r"^\d\.\d(\.\d{2}){2}$",
        RekeningLevel.RINCIAN_OBJEK: r"^\d\.\d(\.\d{2}){3}$",
        RekeningLevel.SUB_RINCIAN_OBJEK: r"^\d\.\d(\.\d{2}){3}\.\d{4}$",
    },
    examples={
        RekeningLevel.AKUN: "5",
        RekeningLevel.KELOMPOK: "5.1",
        RekeningLevel.JENIS: "5.1.02",
        RekeningLevel.OBJEK: "5.1.02.01",
        RekeningLevel.RINCIAN_OBJEK: "5.1.02.01.01",
        RekeningLevel.SUB_RINCIAN_OBJEK: "5.1.02.01.01.0024",
    },
    module="anggaran",
    reference_csv=DATA / "kode_rekening.csv",
    reference_name="Permendagri 90/2019 kode rekening (referensi)",
    lengths={"nama": 300, "sumber": 500},
)


def rekening(tahun, kode: str) -> KodeRekening:
    """The sub rincian objek `kode` of the `tahun` edition, in use; ValidationError otherwise ("unknown or
    retired code …", or "only sub rincian objek codes may be used")."""
    return engine.lookup(REKENING, tahun, kode, leaf_only=True)


def current_rekening():
    """Budgetable codes (sub rincian objek in use) of the current edition: what the rekening picker offers."""
    versi = engine.current_versi(REKENING)
    if versi is None:
        return KodeRekening.objects.none()
    return KodeRekening.objects.filter(versi=versi, level=REKENING.leaf, aktif=True)


# -- standar harga ----------------------------------------------------------------------------------------


def standar_harga(tahun, kode: str) -> StandarHarga:
    """The item `kode` of the `tahun` price list, in use; ValidationError otherwise."""
    kode = (kode or "").strip()
    item = StandarHarga.objects.filter(tahun=tahun, kode=kode).first()
    if item is None or not item.aktif:
        raise ValidationError(
            _("%(kode)s is an unknown or retired standard price item in the %(tahun)s list.")
            % {"kode": kode or "—", "tahun": tahun}
        )
    return item


def standar_harga_tahun() -> int | None:
    """The year the pickers offer: this calendar year's list, else the latest one before it, else the latest."""
    year = timezone.localdate().year
    years = StandarHarga.objects.values_list("tahun", flat=True).distinct()
    if year in years:
        return year
    earlier = [y for y in years if y < year]
    return max(earlier) if earlier else (max(years) if years else None)


def current_standar_harga():
    tahun = standar_harga_tahun()
    return StandarHarga.objects.filter(tahun=tahun, aktif=True) if tahun else StandarHarga.objects.none()


def parse_harga(value) -> Decimal:
    """'125000', '125000.50' (or a number): a non-negative amount with at most two decimals."""
    if isinstance(value, Decimal):
        amount = value
    else:
        text = str(value or "").strip().replace(" ", "")
        try:
            amount = Decimal(text)
        except InvalidOperation as exc:
            raise ValidationError(
                _("%(v)s is not an amount (write it like 125000 or 125000.50).") % {"v": text or "—"}
            ) from exc
    if not amount.is_finite() or amount < 0:
        raise ValidationError(_("A price cannot be negative."))
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("A price has at most two decimals."))
    if amount >= Decimal("1e18"):
        raise ValidationError(_("The price is too large."))
    return amount.quantize(Decimal("0.01"))


def resolve_rekening(tahun, codes) -> list[KodeRekening]:
    """The budgetable accounts of `tahun` named in `codes` (a list, or a text separated by commas/semicolons)."""
    if isinstance(codes, str):
        codes = [c for c in codes.replace(";", ",").split(",")]
    codes = [c.strip() for c in codes if c and c.strip()]
    if not codes:
        raise ValidationError(_("Name at least one kode rekening the item may be budgeted on."))
    result, errors = [], []
    for kode in dict.fromkeys(codes):
        try:
            result.append(rekening(tahun, kode))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return result


FIELDS = ("jenis", "uraian", "spesifikasi", "satuan", "harga", "aktif")


@transaction.atomic
def save_standar_harga(tahun: int, data: dict) -> tuple[StandarHarga, bool]:
    """Create or update the item `data["kode"]` of the `tahun` list; (item, created)."""
    kode = (data.get("kode") or "").strip()
    if not kode:
        raise ValidationError({"kode": _("A code is required.")})
    accounts = resolve_rekening(tahun, data.get("rekening") or [])
    item = StandarHarga.objects.select_for_update().filter(tahun=tahun, kode=kode).first()
    created = item is None
    if created:
        item = StandarHarga(tahun=tahun, kode=kode)
        before = None
        before_rekening = []
    else:
        before = audit.snapshot(item)
        before_rekening = sorted(item.rekening.values_list("kode", flat=True))
    for name in FIELDS:
        if name in data and data[name] is not None:
            value = data[name]
            setattr(
                item,
                name,
                parse_harga(value) if name == "harga" else value.strip() if isinstance(value, str) else value,
            )
    if not item.jenis:
        item.jenis = StandarHarga.Jenis.SSH
    item.full_clean(exclude=["rekening"], validate_unique=False)
    item.save()
    item.rekening.set(accounts)
    changes = audit.diff(before, audit.snapshot(item))
    after_rekening = sorted(a.kode for a in accounts)
    if after_rekening != before_rekening:
        changes["rekening"] = [before_rekening or None, after_rekening]
    if created or changes:
        audit.record(item, "create" if created else "update", changes)
        events.publish("anggaran.standar_harga_diubah", {"standar_harga_id": item.pk})
    return item, created


@transaction.atomic
def retire_standar_harga(item: StandarHarga) -> StandarHarga:
    item = StandarHarga.objects.select_for_update().get(pk=item.pk)
    if item.aktif:
        item.aktif = False
        item.save(update_fields=["aktif"])
        audit.record(item, "retire", {"aktif": [True, False]})
    return item
