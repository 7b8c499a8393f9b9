"""The only code that changes the realisasi tables: SP2D and their realisation rows, cancellation, monthly
physical progress and its photos. Every change is audited; other modules book spending through `book()`.

Decisions the regulation leaves to us (documented in docs and tested):

- Realisation can never exceed a DPA line: the DPA rows are locked (SELECT … FOR UPDATE, in pk order so two
  bookings never deadlock), what is already realised is summed under the lock and compared with the line's
  current `pagu`. Any failing line refuses the whole SP2D; nothing is written.
- An SP2D paying a contract termin must be LS, the termin's contract must be funded by that DPA line
  (kontrak.PaketDpa), the termin cannot be paid beyond its value and the contract not beyond its value.
  The contract row is locked as well, after the DPA rows.
- Cancellation (an SP2D entered by mistake) never deletes: the SP2D is marked cancelled (who, when, why) and
  one reversing Realisasi row (negative, same DPA line, month and termin, `membatalkan` = the original row)
  is written per original row. Every plain Sum(Realisasi.nilai) — ours, anggaran's "already realised" check,
  monev and the portal — therefore excludes a cancelled SP2D from the month it was booked in.
- Physical progress is cumulative (0–100 %). A figure lower than an earlier month's (or higher than a later
  month's, which would make that later month a drop) needs a reason (`alasan_koreksi`). A month in a locked
  monev quarter is refused; a month after the current one cannot be reported yet.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from terpadu.core import audit, events, files
from terpadu.core.uang import rupiah
from terpadu.realisasi.models import FotoProgres, ProgresFisik, Realisasi, Sp2d

ZERO = Decimal("0")
CENT = Decimal("0.01")
PHOTO_KINDS = {"jpg", "png"}


# -- queries for other modules --------------------------------------------------------------------


def _sum(queryset) -> Decimal:
    return queryset.aggregate(total=Sum("nilai"))["total"] or ZERO


def realisasi_baris(dpa_baris) -> Decimal:
    """What has been realised on one DPA line (cancelled SP2D excluded)."""
    return _sum(Realisasi.objects.filter(dpa_baris=dpa_baris))


def realisasi_kumulatif(sub_kegiatan, bulan: int) -> Decimal:
    """Realisation of an OPD sub kegiatan from January to the end of `bulan` (cancelled SP2D excluded)."""
    return _sum(Realisasi.objects.filter(sub_kegiatan=sub_kegiatan, bulan__lte=bulan))


def realisasi_per_bulan(sub_kegiatan) -> dict[int, Decimal]:
    """{1: …, …, 12: …}: realisation booked in each month (not cumulative)."""
    result = dict.fromkeys(range(1, 13), ZERO)
    rows = Realisasi.objects.filter(sub_kegiatan=sub_kegiatan).values("bulan").annotate(total=Sum("nilai"))
    for row in rows.order_by():
        result[row["bulan"]] = row["total"] or ZERO
    return result


def progres_fisik(sub_kegiatan, bulan: int) -> Decimal | None:
    """The cumulative physical progress reported for the latest month at or before `bulan` (None: none yet)."""
    row = ProgresFisik.objects.filter(sub_kegiatan=sub_kegiatan, bulan__lte=bulan).order_by("-bulan").first()
    return row.persen if row else None


def terbayar(termin) -> Decimal:
    """What has been paid on one contract termin."""
    return _sum(Realisasi.objects.filter(termin=termin))


def terbayar_kontrak(kontrak) -> Decimal:
    """What has been paid on a contract (all its termin)."""
    return _sum(Realisasi.objects.filter(termin__kontrak=kontrak))


# -- booking ----------------------------------------------------------------------------------------


def _money(value, label: str) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("%(what)s: %(v)s is not an amount.") % {"what": label, "v": value}) from exc
    if not amount.is_finite():
        raise ValidationError(_("%(what)s: %(v)s is not an amount.") % {"what": label, "v": value})
    if amount != amount.quantize(CENT):
        raise ValidationError(_("%(what)s: at most two decimals (sen).") % {"what": label})
    if amount <= 0:
        raise ValidationError(_("%(what)s: the amount must be greater than zero.") % {"what": label})
    if amount >= Decimal("1e18"):
        raise ValidationError(_("%(what)s: the amount is too large.") % {"what": label})
    return amount.quantize(CENT)


def book(
    *,
    dpa_baris,
    nilai,
    tanggal,
    nomor: str,
    uraian: str,
    jenis: str = Sp2d.Jenis.LS,
    sumber: str = Sp2d.Sumber.MODUL,
    referensi: str = "",
    termin=None,
    user=None,
) -> Sp2d:
    """The one way any module books realisation: one SP2D on one DPA line (and optionally a contract termin).

    Raises ValidationError (nothing written) when the line, the termin or the contract would be overspent."""
    data = {
        "nomor": nomor,
        "tanggal": tanggal,
        "jenis": jenis,
        "uraian": uraian,
        "sumber": sumber,
        "referensi": referensi,
        "unit": dpa_baris.unit,
    }
    return record_sp2d(data, [(dpa_baris, nilai, termin)], user)


def record_sp2d(data: dict, lines: list, user=None) -> Sp2d:
    """Record one SP2D split over DPA lines: `lines` = [(dpa_baris, nilai, termin or None), …].

    `data`: nomor, tanggal, jenis, uraian, and optionally unit (default: the first line's OPD), sumber
    (default "manual"), referensi. All rules are checked under row locks; any error writes nothing."""
    nomor = str(data.get("nomor") or "").strip()
    tanggal = data.get("tanggal")
    jenis = data.get("jenis") or Sp2d.Jenis.LS
    sumber = data.get("sumber") or Sp2d.Sumber.MANUAL
    uraian = str(data.get("uraian") or "").strip()
    errors: dict[str, list[str]] = {}
    if not nomor:
        errors.setdefault("nomor", []).append(_("The SP2D number is required."))
    elif len(nomor) > 100:
        errors.setdefault("nomor", []).append(_("The SP2D number is longer than 100 characters."))
    if not isinstance(tanggal, dt.date):
        errors.setdefault("tanggal", []).append(_("The SP2D date is required."))
    if jenis not in Sp2d.Jenis.values:
        errors.setdefault("jenis", []).append(
            _("Unknown SP2D kind %(v)s (one of %(all)s).") % {"v": jenis, "all": ", ".join(Sp2d.Jenis.values)}
        )
    if sumber not in Sp2d.Sumber.values:
        errors.setdefault("sumber", []).append(_("Unknown source %(v)s.") % {"v": sumber})
    if not uraian:
        errors.setdefault("uraian", []).append(_("A description is required."))
    if not lines:
        errors.setdefault("rincian", []).append(_("An SP2D needs at least one DPA line."))
    if errors:
        raise ValidationError(errors)
    clean_lines = []
    for index, (dpa_baris, nilai, termin) in enumerate(lines, start=1):
        label = _("Line %(n)d (%(kode)s)") % {"n": index, "kode": dpa_baris.kode}
        try:
            amount = _money(nilai, label)
        except ValidationError as exc:
            errors.setdefault("rincian", []).extend(exc.messages)
            continue
        clean_lines.append((dpa_baris, amount, termin))
    if errors:
        raise ValidationError(errors)
    unit = data.get("unit") or clean_lines[0][0].unit
    tahun = tanggal.year
    if Sp2d.objects.filter(tahun=tahun, nomor=nomor).exists():
        raise ValidationError(
            {"nomor": [_("SP2D %(nomor)s is already recorded for %(tahun)d.") % {"nomor": nomor, "tahun": tahun}]}
        )
    try:
        with transaction.atomic():
            sp2d = _write_sp2d(unit, tahun, nomor, tanggal, jenis, uraian, sumber, data, clean_lines, user)
    except IntegrityError as exc:  # a concurrent booking took the number between the check and the insert
        raise ValidationError(
            {"nomor": [_("SP2D %(nomor)s is already recorded for %(tahun)d.") % {"nomor": nomor, "tahun": tahun}]}
        ) from exc
    return sp2d


def _lock_lines(dpa_ids):
    from terpadu.anggaran.models import DpaBaris

    return {
        row.pk: row
        for row in DpaBaris.objects.select_for_update()
        .filter(pk__in=sorted(set(dpa_ids)))
        .order_by("pk")
        .select_related("sub_kegiatan__sub_kegiatan")
    }


def _lock_contracts(kontrak_ids):
    from terpadu.kontrak.models import Kontrak

    return {
        row.pk: row
        for row in Kontrak.objects.select_for_update().filter(pk__in=sorted(set(kontrak_ids))).order_by("pk")
    }


def _write_sp2d(unit, tahun, nomor, tanggal, jenis, uraian, sumber, data, clean_lines, user) -> Sp2d:
    locked = _lock_lines([line[0].pk for line in clean_lines])
    kontrak_ids = [termin.kontrak_id for _d, _n, termin in clean_lines if termin is not None]
    contracts = _lock_contracts(kontrak_ids) if kontrak_ids else {}
    problems = check_lines(unit, tahun, jenis, [(locked[d.pk], n, t) for d, n, t in clean_lines], contracts)
    if problems:
        raise ValidationError({"rincian": problems})
    total = sum((amount for _d, amount, _t in clean_lines), ZERO)
    sp2d = Sp2d.objects.create(
        tahun=tahun,
        unit=unit,
        nomor=nomor,
        tanggal=tanggal,
        jenis=jenis,
        uraian=uraian[:500],
        nilai=total,
        sumber=sumber,
        referensi=str(data.get("referensi") or "")[:100],
        dicatat_oleh=user if getattr(user, "is_authenticated", False) else None,
    )
    rows = Realisasi.objects.bulk_create(
        [
            Realisasi(
                sp2d=sp2d,
                dpa_baris=locked[dpa.pk],
                sub_kegiatan_id=locked[dpa.pk].sub_kegiatan_id,
                unit_id=locked[dpa.pk].unit_id,
                tahun=tahun,
                bulan=tanggal.month,
                nilai=amount,
                termin=termin,
            )
            for dpa, amount, termin in clean_lines
        ]
    )
    changes = audit.diff(None, audit.snapshot(sp2d))
    changes["rincian"] = [
        None,
        [
            {"dpa_baris": locked[dpa.pk].kode, "nilai": str(amount), "termin": termin.pk if termin else None}
            for dpa, amount, termin in clean_lines
        ],
    ]
    audit.record(sp2d, "realisasi.sp2d_dicatat", changes)
    events.publish("realisasi.sp2d_dicatat", {"sp2d_id": sp2d.pk, "realisasi_ids": [row.pk for row in rows]})
    return sp2d


def check_lines(unit, tahun: int, jenis: str, lines, contracts: dict | None = None, pending=None) -> list[str]:
    """Why these (dpa_baris, nilai, termin) lines cannot be booked together, as messages ([] = they can).

    Reads what is already realised from the database; `pending` (import) adds amounts not yet written:
    {"dpa": {dpa_pk: Decimal}, "termin": {termin_pk: Decimal}, "kontrak": {kontrak_pk: Decimal}}."""
    from terpadu.kontrak.models import PaketDpa

    pending = pending or {"dpa": {}, "termin": {}, "kontrak": {}}
    problems: list[str] = []
    per_line: dict[int, Decimal] = {}
    per_termin: dict[int, Decimal] = {}
    per_kontrak: dict[int, Decimal] = {}
    for dpa, amount, termin in lines:
        if dpa.unit_id != unit.pk:
            problems.append(
                _("DPA line %(kode)s belongs to another OPD (%(other)s), not to %(unit)s.")
                % {"kode": dpa.kode, "other": dpa.unit, "unit": unit}
            )
        if dpa.tahun != tahun:
            problems.append(
                _("DPA line %(kode)s is of the %(line)d budget; the SP2D is dated in %(tahun)d.")
                % {"kode": dpa.kode, "line": dpa.tahun, "tahun": tahun}
            )
        per_line[dpa.pk] = per_line.get(dpa.pk, ZERO) + amount
        if termin is not None:
            per_termin[termin.pk] = per_termin.get(termin.pk, ZERO) + amount
            per_kontrak[termin.kontrak_id] = per_kontrak.get(termin.kontrak_id, ZERO) + amount
            if jenis != Sp2d.Jenis.LS:
                problems.append(
                    _("A contract termin is paid by an LS SP2D, not %(jenis)s (%(termin)s).")
                    % {"jenis": jenis, "termin": termin}
                )
            if not PaketDpa.objects.filter(paket__kontrak__pk=termin.kontrak_id, dpa_baris_id=dpa.pk).exists():
                problems.append(
                    _("Contract %(kontrak)s is not funded by DPA line %(kode)s (no package allocation).")
                    % {"kontrak": termin.kontrak.nomor, "kode": dpa.kode}
                )
    seen = set()
    for dpa, _amount, _termin in lines:
        if dpa.pk in seen:
            continue
        seen.add(dpa.pk)
        already = realisasi_baris(dpa) + pending["dpa"].get(dpa.pk, ZERO)
        requested = per_line[dpa.pk]
        if already + requested > dpa.pagu:
            problems.append(
                _(
                    "DPA line %(kode)s: pagu %(pagu)s, already realised %(done)s, requested %(req)s — "
                    "%(over)s over the line."
                )
                % {
                    "kode": dpa.kode,
                    "pagu": rupiah(dpa.pagu),
                    "done": rupiah(already),
                    "req": rupiah(requested),
                    "over": rupiah(already + requested - dpa.pagu),
                }
            )
    termins = {t.pk: t for _d, _a, t in lines if t is not None}
    for pk, termin in termins.items():
        paid = terbayar(termin) + pending["termin"].get(pk, ZERO)
        if paid + per_termin[pk] > termin.nilai:
            problems.append(
                _("%(termin)s: value %(nilai)s, already paid %(paid)s, requested %(req)s.")
                % {"termin": termin, "nilai": rupiah(termin.nilai), "paid": rupiah(paid), "req": rupiah(per_termin[pk])}
            )
    for pk, amount in per_kontrak.items():
        kontrak = (contracts or {}).get(pk) or next(t.kontrak for t in termins.values() if t.kontrak_id == pk)
        paid = terbayar_kontrak(kontrak) + pending["kontrak"].get(pk, ZERO)
        if paid + amount > kontrak.nilai:
            problems.append(
                _("Contract %(nomor)s: value %(nilai)s, already paid %(paid)s, requested %(req)s.")
                % {"nomor": kontrak.nomor, "nilai": rupiah(kontrak.nilai), "paid": rupiah(paid), "req": rupiah(amount)}
            )
    return problems


def cancel_sp2d(sp2d: Sp2d, alasan: str, user=None) -> Sp2d:
    """Cancel an SP2D entered by mistake: mark it and reverse each of its rows (see the module docstring)."""
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": [_("Give the reason for the cancellation.")]})
    with transaction.atomic():
        locked = Sp2d.objects.select_for_update().get(pk=sp2d.pk)
        if locked.dibatalkan:
            raise ValidationError(_("SP2D %(nomor)s is already cancelled.") % {"nomor": locked.nomor})
        originals = list(locked.rincian.filter(membatalkan__isnull=True).order_by("pk"))
        Realisasi.objects.bulk_create(
            [
                Realisasi(
                    sp2d=locked,
                    dpa_baris_id=row.dpa_baris_id,
                    sub_kegiatan_id=row.sub_kegiatan_id,
                    unit_id=row.unit_id,
                    tahun=row.tahun,
                    bulan=row.bulan,
                    nilai=-row.nilai,
                    termin_id=row.termin_id,
                    membatalkan=row,
                )
                for row in originals
            ]
        )
        locked.dibatalkan = timezone.now()
        locked.dibatalkan_oleh = user if getattr(user, "is_authenticated", False) else None
        locked.alasan_batal = alasan
        locked.save(update_fields=["dibatalkan", "dibatalkan_oleh", "alasan_batal"])
        audit.record(
            locked,
            "realisasi.sp2d_dibatalkan",
            {
                "dibatalkan": [None, locked.dibatalkan],
                "alasan_batal": ["", alasan],
                "nilai_dibalik": [None, str(locked.nilai)],
            },
        )
        events.publish("realisasi.sp2d_dibatalkan", {"sp2d_id": locked.pk})
    return locked


# -- physical progress ----------------------------------------------------------------------------------


def periode_terkunci(tahun: int, bulan: int) -> bool:
    """Is the month in a locked monev quarter? Asks monev lazily; until its helper lands, nothing is locked."""
    try:
        from terpadu.monev import services_evaluasi

        check = services_evaluasi.periode_terkunci
    except (ImportError, AttributeError):
        return False
    return bool(check(tahun, bulan))


def lapor_progres(
    *, sub_kegiatan, bulan: int, persen, narasi: str = "", alasan_koreksi: str = "", user=None, foto=()
) -> ProgresFisik:
    """Report (or correct) the cumulative physical progress of an OPD sub kegiatan at the end of a month,
    with optional photos [(uploaded file, caption), …]. One row per sub kegiatan and month."""
    errors: dict[str, list[str]] = {}
    try:
        bulan = int(bulan)
    except (TypeError, ValueError):
        bulan = 0
    if not 1 <= bulan <= 12:
        errors["bulan"] = [_("The month must be 1 to 12.")]
    try:
        persen = Decimal(str(persen).strip().replace(",", "."))
        if not persen.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["persen"] = [_("The progress must be a number from 0 to 100.")]
    else:
        if not ZERO <= persen <= 100:
            errors["persen"] = [_("The progress must be from 0 to 100 percent.")]
        elif persen != persen.quantize(CENT):
            errors["persen"] = [_("At most two decimals.")]
    if errors:
        raise ValidationError(errors)
    tahun = sub_kegiatan.tahun
    today = timezone.localdate()
    if (tahun, bulan) > (today.year, today.month):
        raise ValidationError(
            {"bulan": [_("%(m)02d/%(y)d has not ended yet: progress is reported for past or current months.")
                       % {"m": bulan, "y": tahun}]}
        )  # fmt: skip
    if periode_terkunci(tahun, bulan):
        raise ValidationError(
            {"bulan": [_("The monev period of %(m)02d/%(y)d is locked: its progress can no longer be changed.")
                       % {"m": bulan, "y": tahun}]}
        )  # fmt: skip
    alasan_koreksi = (alasan_koreksi or "").strip()
    others = ProgresFisik.objects.filter(sub_kegiatan=sub_kegiatan).exclude(bulan=bulan)
    earlier = others.filter(bulan__lt=bulan).aggregate(m=Max("persen"))["m"]
    later = others.filter(bulan__gt=bulan).aggregate(m=Min("persen"))["m"]
    if earlier is not None and persen < earlier and not alasan_koreksi:
        raise ValidationError(
            {"alasan_koreksi": [_("%(p)s %% is lower than the %(e)s %% already reported for an earlier month: "
                                  "give the reason for the correction.")
                                % {"p": persen, "e": earlier}]}
        )  # fmt: skip
    if later is not None and persen > later and not alasan_koreksi:
        raise ValidationError(
            {"alasan_koreksi": [_("%(p)s %% is higher than the %(l)s %% already reported for a later month: "
                                  "give the reason for the correction.")
                                % {"p": persen, "l": later}]}
        )  # fmt: skip
    with transaction.atomic():
        progres = ProgresFisik.objects.select_for_update().filter(sub_kegiatan=sub_kegiatan, bulan=bulan).first()
        before = audit.snapshot(progres, ["persen", "narasi", "alasan_koreksi"]) if progres else None
        if progres is None:
            progres = ProgresFisik(sub_kegiatan=sub_kegiatan, unit_id=sub_kegiatan.unit_id, tahun=tahun, bulan=bulan)
        progres.persen = persen
        progres.narasi = (narasi or "").strip()
        progres.alasan_koreksi = alasan_koreksi
        progres.dilaporkan_oleh = user if getattr(user, "is_authenticated", False) else None
        progres.save()
        after = audit.snapshot(progres, ["persen", "narasi", "alasan_koreksi"])
        changes = audit.diff(before, after)
        if before is None:
            changes.update({"bulan": [None, bulan], "sub_kegiatan_id": [None, sub_kegiatan.pk]})
        audit.record(progres, "realisasi.progres_dilaporkan" if before is None else "realisasi.progres_diubah", changes)
        for uploaded, keterangan in foto:
            _add_photo(progres, uploaded, keterangan, user)
        events.publish("realisasi.progres_dilaporkan", {"progres_id": progres.pk})
    return progres


def tambah_foto(progres: ProgresFisik, uploaded, keterangan: str = "", user=None) -> FotoProgres:
    """Add one photo (JPEG or PNG, type sniffed from the content) to a month's progress."""
    if periode_terkunci(progres.tahun, progres.bulan):
        raise ValidationError(
            _("The monev period of %(m)02d/%(y)d is locked: its progress can no longer be changed.")
            % {"m": progres.bulan, "y": progres.tahun}
        )
    with transaction.atomic():
        return _add_photo(progres, uploaded, keterangan, user)


def _add_photo(progres, uploaded, keterangan, user) -> FotoProgres:
    try:
        stored = files.store(uploaded, PHOTO_KINDS, user)
    except files.UploadRejected as exc:
        raise ValidationError(
            {"foto": [_("Photo %(name)s: %(reason)s") % {"name": uploaded.name, "reason": exc}]}
        ) from exc
    with stored.file.open("rb") as handle:
        meta = photo_metadata(handle.read())
    foto = FotoProgres.objects.create(progres=progres, file=stored, keterangan=(keterangan or "")[:300], **meta)
    audit.record(
        foto,
        "realisasi.foto_ditambahkan",
        {"file": [None, stored.sha256], "keterangan": [None, foto.keterangan], "lat": [None, meta.get("lat")],
         "lon": [None, meta.get("lon")]},
    )  # fmt: skip
    return foto


def hapus_foto(foto: FotoProgres, user=None) -> None:
    """Remove a photo from a month's progress (the stored file stays, like every upload)."""
    progres = foto.progres
    if periode_terkunci(progres.tahun, progres.bulan):
        raise ValidationError(
            _("The monev period of %(m)02d/%(y)d is locked: its progress can no longer be changed.")
            % {"m": progres.bulan, "y": progres.tahun}
        )
    with transaction.atomic():
        audit.record(foto, "realisasi.foto_dihapus", {"file": [foto.file.sha256, None]})
        foto.delete()


def photo_metadata(data: bytes) -> dict:
    """lat/lon and taken-at from a photo's EXIF, when the camera wrote them (never an error)."""
    meta: dict = {}
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            if not exif:
                return meta
            taken = exif.get_ifd(0x8769).get(36867) or exif.get(306)  # DateTimeOriginal, else DateTime
            if taken:
                moment = dt.datetime.strptime(str(taken).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
                meta["diambil"] = timezone.make_aware(moment)
            gps = exif.get_ifd(0x8825)
            if gps and 2 in gps and 4 in gps:
                lat = _degrees(gps[2]) * (-1 if str(gps.get(1, "N")).upper().startswith("S") else 1)
                lon = _degrees(gps[4]) * (-1 if str(gps.get(3, "E")).upper().startswith("W") else 1)
                if -90 <= lat <= 90 and -180 <= lon <= 180:
                    meta["lat"] = lat.quantize(Decimal("0.000001"))
                    meta["lon"] = lon.quantize(Decimal("0.000001"))
    except Exception:  # a damaged or unusual EXIF block only loses the metadata  # noqa: BLE001
        return {k: v for k, v in meta.items() if k == "diambil"}
    return meta


def _degrees(value) -> Decimal:
    d, m, s = (Decimal(str(float(part))) for part in value)
    return d + m / 60 + s / 3600
