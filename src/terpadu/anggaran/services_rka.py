"""Budgeting services (the "rka" part): budget rounds, ceilings, RKA and rincian belanja, TAPD verification,
the DPA lines, anggaran kas and the comparison of two rounds.

The only code that changes these tables. Every function validates first, writes in one transaction, appends
the audit event and publishes the domain events (`anggaran.rka_disetujui`, `anggaran.tahap_ditetapkan`).

Money: `jumlah = volume × harga satuan`, computed here (never taken from input) in Decimal and rounded to whole
rupiah, half up (0.5 → 1). The ceiling rule: the sum of an OPD's RKA totals in a round never exceeds its Pagu;
every change of a line locks that Pagu row first, so two concurrent changes are checked one after the other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from terpadu.anggaran import services_master
from terpadu.anggaran.models import (
    AnggaranKas,
    DpaBaris,
    KodeRekening,
    Pagu,
    RekeningLevel,
    RincianBelanja,
    Rka,
    StandarHarga,
    TahapAnggaran,
)
from terpadu.core import audit, events

RUPIAH = Decimal("1")
ZERO = Decimal("0")
BATCH = 5000
EDITABLE = (Rka.Status.DRAFT, Rka.Status.DIKEMBALIKAN)
LINE_FIELDS = [
    "rekening",
    "uraian",
    "spesifikasi",
    "volume",
    "satuan",
    "harga_satuan",
    "jumlah",
    "standar_harga",
    "justifikasi",
    "sumber_dana",
]


def rupiah(value) -> str:
    """Money for messages: whole rupiah with the active language's thousands separator."""
    return "Rp " + number_format(Decimal(value).quantize(RUPIAH, ROUND_HALF_UP), 0, force_grouping=True)


def hitung_jumlah(volume: Decimal, harga: Decimal) -> Decimal:
    """volume × harga satuan, in whole rupiah, rounded half up."""
    return (Decimal(volume) * Decimal(harga)).quantize(RUPIAH, rounding=ROUND_HALF_UP)


# -- master data lookups (the master part's services) ------------------------------------------------------


def rekening(tahun: int, kode: str) -> KodeRekening:
    """The budgetable (sub rincian objek, in use) kode rekening `kode` of `tahun`."""
    found = services_master.rekening(tahun, kode)
    if found.level != RekeningLevel.SUB_RINCIAN_OBJEK:
        raise ValidationError(
            _("Kode rekening %(kode)s is not a sub rincian objek: only that level may be budgeted.") % {"kode": kode}
        )
    return found


def standar_harga(tahun: int, kode: str) -> StandarHarga:
    return services_master.standar_harga(tahun, kode)


# -- approval checks registry ---------------------------------------------------------------------------

_approval_checks: list[Callable] = []


def register_approval_check(fn: Callable) -> Callable:
    """fn(rka) -> list[str] of blocking reasons, run when TAPD approves an RKA (usable as a decorator)."""
    if fn not in _approval_checks:
        _approval_checks.append(fn)
    return fn


def unregister_approval_check(fn: Callable) -> None:
    if fn in _approval_checks:
        _approval_checks.remove(fn)


def approval_blockers(rka: Rka) -> list[str]:
    reasons: list[str] = []
    for check in list(_approval_checks):
        reasons.extend(str(r) for r in (check(rka) or []))
    return reasons


# -- budget rounds -------------------------------------------------------------------------------------

ROUND_NAMES = {
    TahapAnggaran.Jenis.MURNI: "APBD Murni",
    TahapAnggaran.Jenis.PERGESERAN: "Pergeseran {n}",
    TahapAnggaran.Jenis.PERUBAHAN: "APBD Perubahan",
}


def tahap_aktif(tahun: int) -> TahapAnggaran | None:
    """The round of `tahun` being drafted, if any."""
    return TahapAnggaran.objects.filter(tahun=tahun, status=TahapAnggaran.Status.PENYUSUNAN).first()


def tahap_ditetapkan_terakhir(tahun: int) -> TahapAnggaran | None:
    return TahapAnggaran.objects.filter(tahun=tahun, status=TahapAnggaran.Status.DITETAPKAN).order_by("-urutan").first()


def buka_tahap(user, tahun: int, jenis: str, nama: str = "", dasar_hukum: str = "") -> TahapAnggaran:
    """Open a round. Murni: the first of the year. Pergeseran/perubahan: after the previous one is adopted;
    it copies every RKA (as draft), line (same kunci), cash plan and ceiling of the previous round."""
    if jenis not in TahapAnggaran.Jenis.values:
        raise ValidationError({"jenis": _("Unknown kind of round %(j)s.") % {"j": jenis}})
    with transaction.atomic():
        rounds = list(TahapAnggaran.objects.select_for_update().filter(tahun=tahun).order_by("urutan"))
        if jenis == TahapAnggaran.Jenis.MURNI and rounds:
            raise ValidationError({"jenis": _("%(tahun)s already has its murni round.") % {"tahun": tahun}})
        drafting = [t for t in rounds if t.status == TahapAnggaran.Status.PENYUSUNAN]
        if drafting:
            raise ValidationError(
                _("%(tahap)s is still being drafted: adopt it before opening another round of %(tahun)s.")
                % {"tahap": drafting[0].nama, "tahun": tahun}
            )
        if jenis == TahapAnggaran.Jenis.MURNI:
            sebelumnya = None
        else:
            if not rounds:
                raise ValidationError(
                    {"jenis": _("Open and adopt the murni round of %(tahun)s first.") % {"tahun": tahun}}
                )
            sebelumnya = rounds[-1]  # adopted (none is being drafted)
        urutan = (rounds[-1].urutan + 1) if rounds else 1
        if not nama:
            n = sum(1 for t in rounds if t.jenis == TahapAnggaran.Jenis.PERGESERAN) + 1
            nama = ROUND_NAMES[jenis].format(n=n)
        tahap = TahapAnggaran.objects.create(
            tahun=tahun,
            jenis=jenis,
            urutan=urutan,
            nama=nama[:100],
            dasar_hukum=dasar_hukum[:300],
            sebelumnya=sebelumnya,
        )
        copied = _salin_tahap(sebelumnya, tahap) if sebelumnya else {}
        audit.record(tahap, "open", {**audit.diff(None, audit.snapshot(tahap)), **copied})
    return tahap


def _salin_tahap(dari: TahapAnggaran, ke: TahapAnggaran) -> dict:
    """Copy the ceilings, RKA, lines and cash plans of `dari` into `ke` with bulk inserts."""
    Pagu.objects.bulk_create(
        [Pagu(tahap=ke, unit_id=u, nilai=n) for u, n in dari.pagu.values_list("unit_id", "nilai")], batch_size=BATCH
    )
    old_rka = list(dari.rka.values_list("pk", "sub_kegiatan_id", "unit_id", "tahun", "total"))
    new_rka = Rka.objects.bulk_create(
        [Rka(tahap=ke, sub_kegiatan_id=s, unit_id=u, tahun=t, total=total) for _pk, s, u, t, total in old_rka],
        batch_size=BATCH,
    )
    if any(r.pk is None for r in new_rka):  # a backend without RETURNING: read the ids back
        ids = dict(ke.rka.values_list("sub_kegiatan_id", "pk"))
        mapping = {old[0]: ids[old[1]] for old in old_rka}
    else:
        mapping = {old[0]: new.pk for old, new in zip(old_rka, new_rka, strict=True)}
    columns = [
        "rka_id",
        "kunci",
        "rekening_id",
        "uraian",
        "spesifikasi",
        "volume",
        "satuan",
        "harga_satuan",
        "jumlah",
        "standar_harga_id",
        "justifikasi",
        "sumber_dana",
        "urutan",
    ]
    lines = 0
    batch: list[RincianBelanja] = []
    source = RincianBelanja.objects.filter(rka__tahap=dari).order_by("pk").values_list(*columns)
    for row in source.iterator(chunk_size=BATCH):
        values = dict(zip(columns, row, strict=True))
        values["rka_id"] = mapping[values["rka_id"]]
        batch.append(RincianBelanja(**values))
        if len(batch) >= BATCH:
            RincianBelanja.objects.bulk_create(batch)
            lines += len(batch)
            batch = []
    if batch:
        RincianBelanja.objects.bulk_create(batch)
        lines += len(batch)
    kas = AnggaranKas.objects.filter(rka__tahap=dari).values_list("rka_id", "bulan", "nilai")
    AnggaranKas.objects.bulk_create(
        (AnggaranKas(rka_id=mapping[r], bulan=b, nilai=n) for r, b, n in kas.iterator(chunk_size=BATCH)),
        batch_size=BATCH,
    )
    return {"disalin_dari": [None, dari.pk], "rka": [None, len(old_rka)], "rincian": [None, lines]}


def pending_rka(tahap: TahapAnggaran):
    return tahap.rka.exclude(status=Rka.Status.DISETUJUI)


def tetapkan_tahap(user, tahap: TahapAnggaran, dasar_hukum: str = "") -> TahapAnggaran:
    """Adopt a round: every RKA must be approved; then the round (and its DPA) is locked."""
    with transaction.atomic():
        tahap = TahapAnggaran.objects.select_for_update().get(pk=tahap.pk)
        if tahap.status == TahapAnggaran.Status.DITETAPKAN:
            raise ValidationError(_("%(tahap)s is already adopted.") % {"tahap": tahap})
        pending = list(pending_rka(tahap).select_related("sub_kegiatan__sub_kegiatan", "unit")[:11])
        if pending:
            count = pending_rka(tahap).count()
            names = "; ".join(
                f"{r.unit.singkatan or r.unit.nama} {r.sub_kegiatan.sub_kegiatan.kode} ({r.get_status_display()})"
                for r in pending[:10]
            )
            more = _(" and %(n)d more") % {"n": count - 10} if count > 10 else ""
            raise ValidationError(
                _("%(tahap)s cannot be adopted: %(n)d RKA are not approved yet: %(names)s%(more)s.")
                % {"tahap": tahap.nama, "n": count, "names": names, "more": more}
            )
        tahap.status = TahapAnggaran.Status.DITETAPKAN
        tahap.ditetapkan = timezone.now()
        if dasar_hukum:
            tahap.dasar_hukum = dasar_hukum[:300]
        tahap.save(update_fields=["status", "ditetapkan", "dasar_hukum"])
        audit.record(tahap, "adopt", {"status": [TahapAnggaran.Status.PENYUSUNAN, tahap.status]})
        events.publish("anggaran.tahap_ditetapkan", {"tahap_id": tahap.pk})
    return tahap


def _require_drafting(tahap: TahapAnggaran) -> None:
    if tahap.status != TahapAnggaran.Status.PENYUSUNAN:
        raise ValidationError(
            _("%(tahap)s is adopted and locked: its DPA cannot be changed. Open a pergeseran or perubahan round.")
            % {"tahap": tahap}
        )


# -- ceilings --------------------------------------------------------------------------------------------


def total_opd(tahap_id: int, unit_id: int, exclude_rka: int | None = None) -> Decimal:
    rows = Rka.objects.filter(tahap_id=tahap_id, unit_id=unit_id)
    if exclude_rka:
        rows = rows.exclude(pk=exclude_rka)
    return rows.aggregate(s=Sum("total"))["s"] or ZERO


def _over_pagu_message(pagu: Pagu, total: Decimal) -> str:
    return _(
        "The RKA of %(opd)s in %(tahap)s would total %(total)s, over its ceiling (pagu) of %(pagu)s by %(excess)s."
    ) % {
        "opd": pagu.unit.nama,
        "tahap": pagu.tahap.nama,
        "total": rupiah(total),
        "pagu": rupiah(pagu.nilai),
        "excess": rupiah(total - pagu.nilai),
    }


def _locked_pagu(tahap: TahapAnggaran, unit) -> Pagu:
    pagu = Pagu.objects.select_for_update().select_related("unit", "tahap").filter(tahap=tahap, unit=unit).first()
    if pagu is None:
        raise ValidationError(
            _("%(opd)s has no ceiling (pagu) in %(tahap)s yet: ask the budget administrator to set it.")
            % {"opd": unit.nama, "tahap": tahap.nama}
        )
    return pagu


def set_pagu(user, tahap: TahapAnggaran, unit, nilai) -> Pagu:
    nilai = _money(nilai, "nilai", _("ceiling"))
    with transaction.atomic():
        _require_drafting(tahap)
        pagu = Pagu.objects.select_for_update().filter(tahap=tahap, unit=unit).first()
        total = total_opd(tahap.pk, unit.pk)
        if nilai < total:
            raise ValidationError(
                {
                    "nilai": _(
                        "%(opd)s already budgets %(total)s in %(tahap)s: the ceiling cannot be %(nilai)s "
                        "(%(short)s short)."
                    )
                    % {
                        "opd": unit.nama,
                        "total": rupiah(total),
                        "tahap": tahap.nama,
                        "nilai": rupiah(nilai),
                        "short": rupiah(total - nilai),
                    }
                }
            )
        before = audit.snapshot(pagu) if pagu else None
        if pagu is None:
            pagu = Pagu.objects.create(tahap=tahap, unit=unit, nilai=nilai)
        else:
            pagu.nilai = nilai
            pagu.save(update_fields=["nilai"])
        audit.record(pagu, "set", audit.diff(before, audit.snapshot(pagu)))
    return pagu


# -- RKA and its lines -----------------------------------------------------------------------------------


def _money(value, field_name: str, label, allow_zero: bool = True) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(" ", "")) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError({field_name: _("%(label)s must be a number.") % {"label": label}})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field_name: _("%(label)s must be more than zero.") % {"label": label}})
    if amount >= Decimal("1e17"):
        raise ValidationError({field_name: _("%(label)s is too large.") % {"label": label}})
    return amount


def buat_rka(user, tahap: TahapAnggaran, sub_kegiatan) -> Rka:
    """Start the RKA of one OPD sub kegiatan (from the Renja) in a round being drafted."""
    with transaction.atomic():
        _require_drafting(tahap)
        if sub_kegiatan.tahun != tahap.tahun:
            raise ValidationError(
                _("The sub kegiatan belongs to the %(a)s Renja, the round to %(b)s.")
                % {"a": sub_kegiatan.tahun, "b": tahap.tahun}
            )
        if Rka.objects.filter(tahap=tahap, sub_kegiatan=sub_kegiatan).exists():
            raise ValidationError(_("This sub kegiatan already has an RKA in %(tahap)s.") % {"tahap": tahap.nama})
        rka = Rka.objects.create(
            tahap=tahap, sub_kegiatan=sub_kegiatan, unit_id=sub_kegiatan.unit_id, tahun=tahap.tahun
        )
        audit.record(rka, "create", audit.diff(None, audit.snapshot(rka)))
    return rka


def _require_editable(rka: Rka) -> None:
    _require_drafting(rka.tahap)
    if rka.status not in EDITABLE:
        raise ValidationError(
            _("This RKA is %(status)s: it can only be changed while draft or returned with notes.")
            % {"status": rka.get_status_display().lower()}
        )


@dataclass
class LineInput:
    kode_rekening: str
    uraian: str
    volume: Decimal
    satuan: str = ""
    harga_satuan: Decimal | None = None
    spesifikasi: str = ""
    kode_ssh: str = ""
    justifikasi: str = ""
    sumber_dana: str = ""
    extra: dict = field(default_factory=dict)


def clean_line(tahun: int, data: dict, *, rekening_of=None, ssh_of=None) -> dict:
    """Validate one line's input; returns the model values (jumlah computed here). Lookups may be batched by
    passing `rekening_of(kode)` / `ssh_of(kode)` (the import does)."""
    errors: dict[str, list[str]] = {}
    rekening_of = rekening_of or (lambda kode: rekening(tahun, kode))
    ssh_of = ssh_of or (lambda kode: standar_harga(tahun, kode))

    def fail(name, exc_or_msg):
        messages = exc_or_msg.messages if isinstance(exc_or_msg, ValidationError) else [str(exc_or_msg)]
        errors.setdefault(name, []).extend(messages)

    kode = str(data.get("kode_rekening") or getattr(data.get("rekening"), "kode", "") or "").strip()
    rek = None
    if not kode:
        fail("kode_rekening", _("Choose a kode rekening."))
    else:
        try:
            rek = rekening_of(kode)
        except ValidationError as exc:
            fail("kode_rekening", exc)
    uraian = str(data.get("uraian") or "").strip()
    if not uraian:
        fail("uraian", _("Describe the item (uraian)."))
    try:
        volume = _money(data.get("volume"), "volume", _("Volume"), allow_zero=False)
        if volume != volume.quantize(Decimal("0.0001")):
            raise ValidationError({"volume": _("Volume has at most four decimals.")})
    except ValidationError as exc:
        fail("volume", exc.message_dict.get("volume", exc.messages)[0])
        volume = None
    harga_input = data.get("harga_satuan")
    harga = None
    if harga_input not in (None, ""):
        try:
            harga = _money(harga_input, "harga_satuan", _("Unit price"), allow_zero=False)
        except ValidationError as exc:
            fail("harga_satuan", exc.message_dict["harga_satuan"][0])
    kode_ssh = str(data.get("kode_ssh") or getattr(data.get("standar_harga"), "kode", "") or "").strip()
    satuan = str(data.get("satuan") or "").strip()
    justifikasi = str(data.get("justifikasi") or "").strip()
    item = None
    if kode_ssh:
        try:
            item = ssh_of(kode_ssh)
        except ValidationError as exc:
            fail("kode_ssh", exc)
    if item is not None:
        satuan = item.satuan
        if harga is None:
            harga = item.harga
        elif harga > item.harga:
            fail(
                "harga_satuan",
                _("%(harga)s is above the standard price of %(item)s (%(ssh)s per %(satuan)s).")
                % {"harga": rupiah(harga), "item": item.kode, "ssh": rupiah(item.harga), "satuan": item.satuan},
            )
        if rek is not None:
            allowed = _ssh_rekening(item)
            if rek.pk not in allowed:
                fail(
                    "kode_rekening",
                    _("The standard price item %(item)s may not be budgeted on %(kode)s.")
                    % {"item": item.kode, "kode": rek.kode},
                )
    elif not kode_ssh:
        if not justifikasi:
            fail("justifikasi", _("Without a standard price (SSH/SBU) item a justification is required."))
        if not satuan:
            fail("satuan", _("Give the unit (satuan)."))
        if harga is None and "harga_satuan" not in errors:
            fail("harga_satuan", _("Give the unit price."))
    if errors:
        raise ValidationError(errors)
    return {
        "rekening": rek,
        "uraian": uraian[:300],
        "spesifikasi": str(data.get("spesifikasi") or "").strip()[:500] or (item.spesifikasi[:500] if item else ""),
        "volume": volume,
        "satuan": satuan[:60],
        "harga_satuan": harga,
        "jumlah": hitung_jumlah(volume, harga),
        "standar_harga": item,
        "justifikasi": justifikasi,
        "sumber_dana": str(data.get("sumber_dana") or "").strip()[:60],
    }


def _ssh_rekening(item: StandarHarga) -> set[int]:
    cached = getattr(item, "_rekening_ids", None)
    if cached is None:
        cached = set(item.rekening.values_list("pk", flat=True))
        item._rekening_ids = cached
    return cached


def _check_pagu(rka: Rka, new_total: Decimal) -> None:
    """Lock the OPD's Pagu row, then check the round's sum with the RKA at `new_total`."""
    pagu = _locked_pagu(rka.tahap, rka.unit)
    total = total_opd(rka.tahap_id, rka.unit_id, exclude_rka=rka.pk) + new_total
    if total > pagu.nilai:
        raise ValidationError(_over_pagu_message(pagu, total))


def _refresh_total(rka: Rka) -> Decimal:
    total = rka.rincian.aggregate(s=Sum("jumlah"))["s"] or ZERO
    if total != rka.total:
        Rka.objects.filter(pk=rka.pk).update(total=total)
        rka.total = total
    return total


def _locked_rka(rka: Rka) -> Rka:
    return Rka.objects.select_for_update().select_related("tahap", "unit").get(pk=rka.pk)


def tambah_rincian(user, rka: Rka, data: dict) -> RincianBelanja:
    """Add a line: validated, amount computed, the OPD's ceiling checked under its Pagu row lock."""
    with transaction.atomic():
        rka = _locked_rka(rka)
        _require_editable(rka)
        values = clean_line(rka.tahun, data)
        pagu_lock = _locked_pagu(rka.tahap, rka.unit)  # lock first: concurrent additions wait here
        current = rka.rincian.aggregate(s=Sum("jumlah"))["s"] or ZERO
        total = total_opd(rka.tahap_id, rka.unit_id, exclude_rka=rka.pk) + current + values["jumlah"]
        if total > pagu_lock.nilai:
            raise ValidationError(_over_pagu_message(pagu_lock, total))
        last = rka.rincian.order_by("-urutan").values_list("urutan", flat=True).first() or 0
        line = RincianBelanja.objects.create(rka=rka, urutan=last + 1, **values)
        _refresh_total(rka)
        audit.record(line, "create", audit.diff(None, audit.snapshot(line)))
    return line


def ubah_rincian(user, line: RincianBelanja, data: dict) -> RincianBelanja:
    with transaction.atomic():
        rka = _locked_rka(line.rka)
        _require_editable(rka)
        line = RincianBelanja.objects.select_for_update().get(pk=line.pk)
        merged = {
            "kode_rekening": line.rekening.kode,
            "uraian": line.uraian,
            "spesifikasi": line.spesifikasi,
            "volume": line.volume,
            "satuan": line.satuan,
            "harga_satuan": line.harga_satuan,
            "kode_ssh": line.standar_harga.kode if line.standar_harga_id else "",
            "justifikasi": line.justifikasi,
            "sumber_dana": line.sumber_dana,
        }
        merged.update({k: v for k, v in data.items() if k in merged or k in ("rekening", "standar_harga")})
        if "rekening" in data:
            merged["kode_rekening"] = getattr(data["rekening"], "kode", data["rekening"])
        if "standar_harga" in data:
            merged["kode_ssh"] = getattr(data["standar_harga"], "kode", data["standar_harga"] or "")
        values = clean_line(rka.tahun, merged)
        before = audit.snapshot(line)
        _check_pagu(rka, rka.total - line.jumlah + values["jumlah"])
        for name, value in values.items():
            setattr(line, name, value)
        line.perlu_perbaikan = False  # corrected; TAPD's note stays for the record
        line.save()
        _refresh_total(rka)
        audit.record(line, "update", audit.diff(before, audit.snapshot(line)))
    return line


def hapus_rincian(user, line: RincianBelanja) -> None:
    with transaction.atomic():
        rka = _locked_rka(line.rka)
        _require_editable(rka)
        line = RincianBelanja.objects.get(pk=line.pk)
        before = audit.snapshot(line)
        audit.record(line, "delete", audit.diff(before, None))
        line.delete()
        _refresh_total(rka)


# -- anggaran kas ----------------------------------------------------------------------------------------


def ratakan(total: Decimal, months: int = 12) -> list[Decimal]:
    """Spread `total` evenly over the months in whole rupiah; the remainder goes to the last month."""
    total = Decimal(total)
    each = (total / months).quantize(RUPIAH, rounding=ROUND_HALF_UP)
    if each * (months - 1) > total:
        each = (total / months).quantize(RUPIAH, rounding="ROUND_DOWN")
    return [each] * (months - 1) + [total - each * (months - 1)]


def _kas_mismatch(rka: Rka, jumlah: Decimal) -> str:
    return _("The cash plan of %(rka)s sums to %(kas)s but the RKA totals %(total)s (difference %(diff)s).") % {
        "rka": rka.sub_kegiatan.sub_kegiatan.kode,
        "kas": rupiah(jumlah),
        "total": rupiah(rka.total),
        "diff": rupiah(jumlah - rka.total),
    }


def simpan_kas(user, rka: Rka, nilai: Iterable) -> list[AnggaranKas]:
    """Replace the twelve months of the cash plan; they must sum to the RKA total."""
    values = list(nilai)
    if len(values) != 12:
        raise ValidationError(_("The cash plan has twelve months."))
    amounts = []
    errors = {}
    for bulan, value in enumerate(values, start=1):
        try:
            amounts.append(_money(value if value not in (None, "") else 0, f"bulan_{bulan}", _("Month %d") % bulan))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rka = _locked_rka(rka)
        _require_editable(rka)
        jumlah = sum(amounts, ZERO)
        if jumlah != rka.total:
            raise ValidationError(_kas_mismatch(rka, jumlah))
        before = {k.bulan: str(k.nilai) for k in rka.anggaran_kas.all()}
        rka.anggaran_kas.all().delete()
        rows = AnggaranKas.objects.bulk_create(
            [AnggaranKas(rka=rka, bulan=b, nilai=v) for b, v in enumerate(amounts, start=1)]
        )
        after = {b: str(v) for b, v in enumerate(amounts, start=1)}
        changes = {f"bulan_{b}": [before.get(b), after[b]] for b in after if before.get(b) != after[b]}
        audit.record(rka, "cash_plan", changes)
    return rows


def kas_sum(rka: Rka) -> Decimal:
    return rka.anggaran_kas.aggregate(s=Sum("nilai"))["s"] or ZERO


def kas_kumulatif(sub_kegiatan, bulan: int) -> Decimal:
    """Cumulative cash plan to month `bulan` of the latest adopted round that budgets this sub kegiatan."""
    rka = (
        Rka.objects.filter(sub_kegiatan=sub_kegiatan, tahap__status=TahapAnggaran.Status.DITETAPKAN)
        .order_by("-tahap__urutan")
        .first()
    )
    if rka is None:
        return ZERO
    return rka.anggaran_kas.filter(bulan__lte=bulan).aggregate(s=Sum("nilai"))["s"] or ZERO


# -- verification ----------------------------------------------------------------------------------------


def ajukan(user, rka: Rka) -> Rka:
    """OPD submits the RKA to TAPD: it needs lines and a cash plan that sums to its total."""
    with transaction.atomic():
        rka = _locked_rka(rka)
        _require_editable(rka)
        if not rka.rincian.exists():
            raise ValidationError(_("An RKA without budget lines cannot be submitted."))
        jumlah = kas_sum(rka)
        if jumlah != rka.total:
            raise ValidationError(_kas_mismatch(rka, jumlah))
        before = rka.status
        rka.status = Rka.Status.DIAJUKAN
        rka.diajukan = timezone.now()
        rka.save(update_fields=["status", "diajukan"])
        audit.record(rka, "submit", {"status": [before, rka.status]})
    return rka


def kembalikan(user, rka: Rka, catatan: str = "", catatan_baris: dict | None = None) -> Rka:
    """TAPD returns a submitted RKA with an overall note and/or notes per line (line id -> note)."""
    catatan_baris = {int(k): str(v).strip() for k, v in (catatan_baris or {}).items() if str(v or "").strip()}
    catatan = (catatan or "").strip()
    if not catatan and not catatan_baris:
        raise ValidationError(_("Say what must be corrected: an overall note or a note on at least one line."))
    with transaction.atomic():
        rka = _locked_rka(rka)
        _require_drafting(rka.tahap)
        if rka.status != Rka.Status.DIAJUKAN:
            raise ValidationError(_("Only a submitted RKA can be returned."))
        lines = {r.pk: r for r in rka.rincian.all()}
        unknown = set(catatan_baris) - set(lines)
        if unknown:
            raise ValidationError(_("Lines %(ids)s are not lines of this RKA.") % {"ids": sorted(unknown)})
        changed = []
        for pk, line in lines.items():
            note = catatan_baris.get(pk, "")
            if line.catatan_verifikasi != note or line.perlu_perbaikan != bool(note):
                line.catatan_verifikasi, line.perlu_perbaikan = note, bool(note)
                changed.append(line)
        RincianBelanja.objects.bulk_update(changed, ["catatan_verifikasi", "perlu_perbaikan"])
        rka.status = Rka.Status.DIKEMBALIKAN
        rka.catatan_verifikasi = catatan
        rka.save(update_fields=["status", "catatan_verifikasi"])
        audit.record(
            rka,
            "return",
            {
                "status": [Rka.Status.DIAJUKAN, rka.status],
                "catatan_verifikasi": [None, catatan],
                "catatan_baris": [None, {str(k): v for k, v in catatan_baris.items()}],
            },
        )
    return rka


def dpa_sums(rka: Rka) -> dict[int, tuple[KodeRekening, Decimal]]:
    sums: dict[int, list] = {}
    for line in rka.rincian.select_related("rekening"):
        entry = sums.setdefault(line.rekening_id, [line.rekening, ZERO])
        entry[1] += line.jumlah
    return {k: (v[0], v[1]) for k, v in sums.items()}


def terpakai(dpa_ids: Iterable[int]) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """(realised, committed to packages) per DpaBaris id."""
    from terpadu.kontrak.models import PaketDpa
    from terpadu.realisasi.models import Realisasi

    ids = list(dpa_ids)
    realised = dict(
        Realisasi.objects.filter(dpa_baris_id__in=ids, sp2d__dibatalkan__isnull=True)
        .values("dpa_baris_id")
        .annotate(s=Sum("nilai"))
        .values_list("dpa_baris_id", "s")
    )
    committed = dict(
        PaketDpa.objects.filter(dpa_baris_id__in=ids)
        .values("dpa_baris_id")
        .annotate(s=Sum("nilai"))
        .values_list("dpa_baris_id", "s")
    )
    return realised, committed


def setujui(user, rka: Rka) -> Rka:
    """TAPD approves: registered checks, a cash plan summing to the total, then the DPA lines are written."""
    with transaction.atomic():
        rka = _locked_rka(rka)
        _require_drafting(rka.tahap)
        if rka.status != Rka.Status.DIAJUKAN:
            raise ValidationError(_("Only a submitted RKA can be approved."))
        reasons = approval_blockers(rka)
        if reasons:
            raise ValidationError([_("The RKA cannot be approved:")] + reasons)
        jumlah = kas_sum(rka)
        if jumlah != rka.total:
            raise ValidationError(_kas_mismatch(rka, jumlah))
        changes = _tulis_dpa(rka)
        rka.status = Rka.Status.DISETUJUI
        rka.disetujui = timezone.now()
        rka.disetujui_oleh = user if getattr(user, "is_authenticated", False) else None
        rka.save(update_fields=["status", "disetujui", "disetujui_oleh"])
        audit.record(rka, "approve", {"status": [Rka.Status.DIAJUKAN, rka.status], "dpa": [None, changes]})
        events.publish("anggaran.rka_disetujui", {"rka_id": rka.pk})
    return rka


def _tulis_dpa(rka: Rka) -> dict:
    sums = dpa_sums(rka)
    existing = {
        d.kode_rekening: d
        for d in DpaBaris.objects.select_for_update().filter(sub_kegiatan_id=rka.sub_kegiatan_id).order_by("pk")
    }
    realised, committed = terpakai(d.pk for d in existing.values())
    errors = []
    new_amounts = {rek.kode: (rek, value) for rek, value in sums.values()}
    for kode, dpa in existing.items():
        amount = new_amounts.get(kode, (None, ZERO))[1]
        r, c = realised.get(dpa.pk) or ZERO, committed.get(dpa.pk) or ZERO
        if amount < r or amount < c:
            errors.append(
                _(
                    "DPA line %(line)s would drop to %(amount)s, below what is already realised (%(r)s) "
                    "or committed to procurement packages (%(c)s)."
                )
                % {"line": dpa.kode, "amount": rupiah(amount), "r": rupiah(r), "c": rupiah(c)}
            )
    if errors:
        raise ValidationError(errors)
    changes = {}
    for kode, (rek, amount) in new_amounts.items():
        dpa = existing.get(kode)
        if dpa is None:
            DpaBaris.objects.create(
                sub_kegiatan_id=rka.sub_kegiatan_id,
                unit_id=rka.unit_id,
                tahun=rka.tahun,
                rekening=rek,
                kode_rekening=kode,
                pagu=amount,
                pagu_murni=amount,
                tahap=rka.tahap,
            )
            changes[kode] = [None, str(amount)]
        elif dpa.pagu != amount or dpa.tahap_id != rka.tahap_id:
            changes[kode] = [str(dpa.pagu), str(amount)]
            dpa.pagu, dpa.tahap, dpa.rekening = amount, rka.tahap, rek
            dpa.save(update_fields=["pagu", "tahap", "rekening"])
    for kode, dpa in existing.items():
        if kode in new_amounts:
            continue
        changes[kode] = [str(dpa.pagu), "0"]
        try:  # nothing points at it: the line goes; else it stays with pagu 0
            dpa.delete()
        except ProtectedError:
            dpa.pagu, dpa.tahap = ZERO, rka.tahap
            dpa.save(update_fields=["pagu", "tahap"])
    return changes


# -- comparison ------------------------------------------------------------------------------------------


@dataclass
class BarisBanding:
    kunci: str
    status: str  # added / removed / changed / same
    unit: str
    sub_kegiatan: str
    kode_rekening: str
    uraian: str
    volume: tuple
    harga: tuple
    jumlah: tuple

    @property
    def selisih(self) -> Decimal:
        return (self.jumlah[1] or ZERO) - (self.jumlah[0] or ZERO)


@dataclass
class Perbandingan:
    a: TahapAnggaran
    b: TahapAnggaran
    baris: list[BarisBanding]
    per_sub: list[dict]
    per_opd: list[dict]
    total: tuple


def bandingkan(a: TahapAnggaran, b: TahapAnggaran, rka_scope=None, only_changes: bool = True) -> Perbandingan:
    """Compare two rounds line by line (by kunci). `rka_scope`: an Rka queryset the reader may see."""
    scope = rka_scope if rka_scope is not None else Rka.objects.all()
    columns = (
        "kunci",
        "rka__unit__nama",
        "rka__sub_kegiatan__sub_kegiatan__kode",
        "rekening__kode",
        "uraian",
        "volume",
        "harga_satuan",
        "jumlah",
    )

    def lines(tahap):
        rows = RincianBelanja.objects.filter(rka__tahap=tahap, rka__in=scope.filter(tahap=tahap).values("pk"))
        return {str(r[0]): r for r in rows.values_list(*columns).iterator(chunk_size=BATCH)}

    old, new = lines(a), lines(b)
    result = []
    per_sub: dict = defaultdict(lambda: [ZERO, ZERO])
    per_opd: dict = defaultdict(lambda: [ZERO, ZERO])
    for kunci in list(old) + [k for k in new if k not in old]:
        o, n = old.get(kunci), new.get(kunci)
        ref = n or o
        if o is None:
            status = "added"
        elif n is None:
            status = "removed"
        elif (o[3], o[4], o[5], o[6], o[7]) != (n[3], n[4], n[5], n[6], n[7]):
            status = "changed"
        else:
            status = "same"
        per_sub[(ref[1], ref[2])][0] += o[7] if o else ZERO
        per_sub[(ref[1], ref[2])][1] += n[7] if n else ZERO
        per_opd[ref[1]][0] += o[7] if o else ZERO
        per_opd[ref[1]][1] += n[7] if n else ZERO
        if only_changes and status == "same":
            continue
        result.append(
            BarisBanding(
                kunci,
                status,
                ref[1],
                ref[2],
                ref[3],
                ref[4],
                (o[5] if o else None, n[5] if n else None),
                (o[6] if o else None, n[6] if n else None),
                (o[7] if o else None, n[7] if n else None),
            )
        )
    result.sort(key=lambda r: (r.unit, r.sub_kegiatan, r.kode_rekening, r.uraian))
    subs = [
        {"unit": u, "sub_kegiatan": s, "sebelum": v[0], "sesudah": v[1], "selisih": v[1] - v[0]}
        for (u, s), v in sorted(per_sub.items())
    ]
    opds = [{"unit": u, "sebelum": v[0], "sesudah": v[1], "selisih": v[1] - v[0]} for u, v in sorted(per_opd.items())]
    total = (sum((v[0] for v in per_opd.values()), ZERO), sum((v[1] for v in per_opd.values()), ZERO))
    return Perbandingan(a, b, result, subs, opds, total)


COMPARE_COLUMNS = [
    "status",
    "unit",
    "kode_sub_kegiatan",
    "kode_rekening",
    "uraian",
    "volume_sebelum",
    "volume_sesudah",
    "harga_sebelum",
    "harga_sesudah",
    "jumlah_sebelum",
    "jumlah_sesudah",
    "selisih",
    "kunci",
]


def compare_rows(p: Perbandingan):
    for r in p.baris:
        yield [
            r.status,
            r.unit,
            r.sub_kegiatan,
            r.kode_rekening,
            r.uraian,
            r.volume[0],
            r.volume[1],
            r.harga[0],
            r.harga[1],
            r.jumlah[0],
            r.jumlah[1],
            r.selisih,
            r.kunci,
        ]
