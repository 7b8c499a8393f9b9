"""ICT spending (belanja TIK): every line of a year linked to the architecture and the Peta Rencana.

Where the budget module has DPA lines the spending line IS the DPA line (BelanjaTik.dpa_baris; its amount is
read from the line, never retyped); otherwise lines are entered or imported. A line without an architecture
element or a Peta Rencana item is "tidak teridentifikasi / tidak linear dengan arsitektur" and listed for
Diskominfo; a line linked to a retired element is flagged too. Aggregates are SQL (constant queries per page).

Which DPA lines are proposed as ICT comes from data files (the city's own choice): data/belanja_rekening_tik.csv
(kode rekening prefixes) and data/belanja_sub_kegiatan_tik.csv (sub kegiatan code prefixes, e.g. 2.16).
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terpadu.core import audit, authz, events
from terpadu.spbe.models import Aplikasi, BelanjaTik, ElemenArsitektur, PetaRencanaItem

DATA = Path(__file__).resolve().parent / "data"
ZERO = Decimal("0")
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999999999.99")
RETIRED = ElemenArsitektur.Status.DIHENTIKAN
K = BelanjaTik.Kategori

FLAG_LABELS = {
    "tanpa_elemen": gettext_lazy("no architecture element"),
    "tanpa_rencana": gettext_lazy("no Peta Rencana item"),
    "elemen_dihentikan": gettext_lazy("linked to a retired element"),
    "rencana_batal": gettext_lazy("linked to a cancelled Peta Rencana item"),
}


# --- reference data ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrefixTik:
    prefix: str
    kategori: str
    uraian: str
    keyakinan: str
    catatan: str

    @property
    def unconfirmed(self) -> bool:
        return self.keyakinan in ("unconfirmed", "local", "demo")


def _read(name: str) -> tuple[PrefixTik, ...]:
    with open(DATA / name, encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if (r.get("prefix") or "").strip()]
    return tuple(
        PrefixTik(
            r["prefix"].strip(),
            (r.get("kategori") or K.JASA).strip(),
            r.get("uraian", ""),
            r.get("keyakinan", ""),
            r.get("catatan", ""),
        )  # fmt: skip
        for r in rows
    )


@functools.cache
def rekening_tik() -> tuple[PrefixTik, ...]:
    """Kode rekening prefixes the city treats as ICT spending (longest first)."""
    return tuple(sorted(_read("belanja_rekening_tik.csv"), key=lambda p: -len(p.prefix)))


@functools.cache
def sub_kegiatan_tik() -> tuple[PrefixTik, ...]:
    """Sub kegiatan code prefixes whose DPA lines are proposed as ICT spending (e.g. 2.16 urusan kominfo)."""
    return tuple(sorted(_read("belanja_sub_kegiatan_tik.csv"), key=lambda p: -len(p.prefix)))


def tebak_kategori(kode_rekening: str, kode_sub_kegiatan: str = "") -> str:
    for item in rekening_tik():
        if kode_rekening.startswith(item.prefix):
            return item.kategori
    for item in sub_kegiatan_tik():
        if kode_sub_kegiatan.startswith(item.prefix):
            return item.kategori
    return K.JASA


def alasan_saran(kode_rekening: str, kode_sub_kegiatan: str) -> str:
    for item in rekening_tik():
        if kode_rekening.startswith(item.prefix):
            return _("kode rekening %(p)s %(u)s") % {"p": item.prefix, "u": item.uraian}
    for item in sub_kegiatan_tik():
        if kode_sub_kegiatan.startswith(item.prefix):
            return _("sub kegiatan %(p)s.* %(u)s") % {"p": item.prefix, "u": item.uraian}
    return ""


# --- amounts and flags in SQL --------------------------------------------------------------------------------


def jumlah_expr():
    """The amount of a line in SQL: the DPA line's pagu when linked, else the entered value."""
    money = DecimalField(max_digits=20, decimal_places=2)
    return Case(
        When(dpa_baris__isnull=False, then=F("dpa_baris__pagu")),
        default=Coalesce(F("nilai"), Value(ZERO, output_field=money)),
        output_field=money,
    )


def q_unlinked() -> Q:
    return Q(elemen__isnull=True) | Q(peta_rencana__isnull=True)


def q_flagged() -> Q:
    return q_unlinked() | Q(elemen__status=RETIRED) | Q(peta_rencana__status=PetaRencanaItem.Status.BATAL)


def with_amount(queryset):
    return queryset.annotate(jumlah_nilai=jumlah_expr())


def flags(belanja: BelanjaTik) -> list[str]:
    """Flag codes of one line (see FLAG_LABELS)."""
    found = []
    if belanja.elemen_id is None:
        found.append("tanpa_elemen")
    elif belanja.elemen.status == RETIRED:
        found.append("elemen_dihentikan")
    if belanja.peta_rencana_id is None:
        found.append("tanpa_rencana")
    elif belanja.peta_rencana.status == PetaRencanaItem.Status.BATAL:
        found.append("rencana_batal")
    return found


def flag_labels(codes) -> list[str]:
    return [str(FLAG_LABELS[c]) for c in codes]


def visible(user, action: str = "spbe.view"):
    return authz.restrict(BelanjaTik.objects.all(), user, action)


def unlinked(tahun: int | None, user):
    """Lines of `tahun` the user may see that are not linked to both an element and a Peta Rencana item, or are
    linked to a retired element / cancelled item (the list for Diskominfo)."""
    queryset = visible(user).filter(q_flagged())
    if tahun:
        queryset = queryset.filter(tahun=tahun)
    return queryset


DIMENSIONS = {
    "domain": ("elemen__domain",),
    "unit": ("unit_id", "unit__kode", "unit__nama"),
    "aplikasi": ("aplikasi_id", "aplikasi__nama"),
    "tahun": ("tahun",),
    "kategori": ("kategori",),
}


def _cents(value) -> Decimal:
    """SQL sums as Decimal with two places (SQLite drops the scale)."""
    return Decimal(value or 0).quantize(CENT)


def rekap(queryset, by: str) -> list[dict]:
    """Totals by one dimension (domain of the linked element, OPD, application, year, category), one query."""
    fields = DIMENSIONS[by]
    rows = (
        queryset.order_by()
        .values(*fields)
        .annotate(total=Sum(jumlah_expr()), n=Count("pk"), tidak_linear=Count("pk", filter=q_unlinked()))
        .order_by(*fields)
    )
    return [dict(r, total=_cents(r["total"])) for r in rows]


def ringkasan(queryset) -> dict:
    """Totals, linked share (by amount and by count) in one query."""
    linked = ~q_unlinked() & ~Q(elemen__status=RETIRED)
    money = DecimalField(max_digits=20, decimal_places=2)
    row = queryset.order_by().aggregate(
        total=Coalesce(Sum(jumlah_expr()), Value(ZERO, output_field=money)),
        n=Count("pk"),
        total_linear=Coalesce(Sum(jumlah_expr(), filter=linked), Value(ZERO, output_field=money)),
        n_linear=Count("pk", filter=linked),
    )
    row["total"], row["total_linear"] = _cents(row["total"]), _cents(row["total_linear"])
    row["persen"] = (row["total_linear"] * 100 / row["total"]).quantize(CENT) if row["total"] else None
    row["n_tidak_linear"] = row["n"] - row["n_linear"]
    return row


# --- permissions ---------------------------------------------------------------------------------------------


def may_change(user, belanja: BelanjaTik) -> bool:
    """Diskominfo (spbe.manage) anywhere; an OPD (spbe.propose) its own lines."""
    return authz.can(user, "spbe.manage", belanja) or authz.can(user, "spbe.propose", belanja)


def _require(user, belanja: BelanjaTik) -> None:
    if user is not None and not may_change(user, belanja):
        raise PermissionDenied(_("You may not change ICT spending of this OPD."))


# --- validation ----------------------------------------------------------------------------------------------


def _money(value, field: str = "nilai") -> Decimal:
    if value in (None, ""):
        raise ValidationError({field: _("The amount is required for a line that is not a DPA line.")})
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(" ", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("The amount %(v)s is not a number.") % {"v": value}}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: _("The amount must be more than zero.")})
    if amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("The amount must have at most two decimals and fit the budget.")})
    return amount


def _check_links(data: dict, tahun: int | None, current: BelanjaTik | None = None) -> dict:
    errors: dict[str, str] = {}
    elemen = data.get("elemen")
    if elemen is not None and elemen.status == RETIRED and (current is None or current.elemen_id != elemen.pk):
        errors["elemen"] = _("The architecture element %(e)s is retired: link a current element.") % {"e": elemen}
    rencana = data.get("peta_rencana")
    if rencana is not None and (current is None or current.peta_rencana_id != rencana.pk):
        if rencana.status == PetaRencanaItem.Status.BATAL:
            errors["peta_rencana"] = _("The Peta Rencana item %(r)s was cancelled.") % {"r": rencana}
        elif tahun and not (rencana.tahun <= tahun <= (rencana.tahun_selesai or rencana.tahun)):
            errors["peta_rencana"] = _("The Peta Rencana item %(r)s does not cover %(t)s.") % {"r": rencana, "t": tahun}
    if "kategori" in data and data["kategori"] not in K.values:
        errors["kategori"] = _("Choose hardware, software, services or connectivity.")
    aplikasi = data.get("aplikasi")
    if aplikasi is not None and not isinstance(aplikasi, Aplikasi):
        errors["aplikasi"] = _("Unknown application.")
    if errors:
        raise ValidationError(errors)
    return data


LINK_FIELDS = ("elemen", "peta_rencana", "aplikasi")


# --- DPA lines -----------------------------------------------------------------------------------------------


def saran_dpa_all(tahun: int):
    """Every unregistered DPA line of `tahun` that looks like ICT spending (the system's view: demo, commands)."""
    return _saran(tahun)


def _saran(tahun: int):
    from terpadu.anggaran.models import DpaBaris

    match = Q(pk__in=[])
    for item in rekening_tik():
        match |= Q(kode_rekening__startswith=item.prefix)
    for item in sub_kegiatan_tik():
        match |= Q(sub_kegiatan__sub_kegiatan__kode__startswith=item.prefix)
    registered = BelanjaTik.objects.filter(dpa_baris__isnull=False).values("dpa_baris_id")
    return (
        DpaBaris.objects.filter(tahun=tahun)
        .filter(match)
        .exclude(pk__in=registered)
        .select_related("unit", "rekening", "sub_kegiatan__sub_kegiatan")
        .order_by("unit__path", "sub_kegiatan__sub_kegiatan__kode", "kode_rekening")
    )


def saran_dpa(user, tahun: int):
    """DPA lines of `tahun` not yet registered as ICT spending that look like ICT (by kode rekening or sub
    kegiatan prefix), in the user's scope (spbe.manage or spbe.propose)."""
    scope = authz.scope(user, "spbe.manage").union(authz.scope(user, "spbe.propose"))
    return _saran(tahun).filter(scope.q("unit__path"))


def _dpa_line_uraian(dpa) -> str:
    """The budget lines' descriptions behind a DPA line (its kode rekening name when there are none)."""
    from terpadu.anggaran.models import RincianBelanja

    texts = list(
        RincianBelanja.objects.filter(
            rka__sub_kegiatan_id=dpa.sub_kegiatan_id, rka__tahap_id=dpa.tahap_id, rekening__kode=dpa.kode_rekening
        )
        .order_by("urutan", "pk")
        .values_list("uraian", flat=True)[:5]
    )
    return ("; ".join(t for t in texts if t) or dpa.rekening.nama)[:300]


def daftarkan_dpa(user, dpa_list, kategori: str | None = None, links: dict | None = None) -> list[BelanjaTik]:
    """Register DPA lines as ICT spending (all or nothing). The amount stays the DPA line's; a DPA line is
    registered at most once. `kategori` None: guessed from the data files."""
    from terpadu.anggaran.models import DpaBaris

    ids = sorted({d.pk if hasattr(d, "pk") else int(d) for d in dpa_list})
    if not ids:
        raise ValidationError(_("Choose at least one DPA line."))
    links = _check_links(dict(links or {}), None)
    if kategori is not None and kategori not in K.values:
        raise ValidationError({"kategori": _("Choose hardware, software, services or connectivity.")})
    created = []
    try:
        with transaction.atomic():
            lines = list(
                DpaBaris.objects.select_for_update(of=("self",))
                .filter(pk__in=ids)
                .select_related("unit", "rekening", "sub_kegiatan__sub_kegiatan")
                .order_by("pk")
            )
            missing = set(ids) - {d.pk for d in lines}
            if missing:
                raise ValidationError(_("Unknown DPA lines: %(ids)s.") % {"ids": sorted(missing)})
            taken = dict(BelanjaTik.objects.filter(dpa_baris_id__in=ids).values_list("dpa_baris_id", "pk"))
            if taken:
                codes = ", ".join(d.kode for d in lines if d.pk in taken)
                raise ValidationError(
                    _("Already registered as ICT spending: DPA line %(codes)s.") % {"codes": codes}, code="unique"
                )
            for dpa in lines:
                belanja = BelanjaTik(
                    tahun=dpa.tahun,
                    unit=dpa.unit,
                    dpa_baris=dpa,
                    uraian=_dpa_line_uraian(dpa),
                    kategori=kategori or tebak_kategori(dpa.kode_rekening, dpa.sub_kegiatan.sub_kegiatan.kode),
                    nilai=None,
                    sumber=BelanjaTik.Sumber.DPA,
                    **{k: links.get(k) for k in LINK_FIELDS},
                )
                _require(user, belanja)
                if links.get("peta_rencana") is not None:
                    _check_links({"peta_rencana": links["peta_rencana"]}, dpa.tahun)
                belanja.save()
                audit.record(belanja, "create", audit.diff(None, audit.snapshot(belanja)))
                created.append(belanja)
            events.publish("spbe.belanja_didaftarkan", {"belanja_ids": [b.pk for b in created]})
    except IntegrityError:  # a concurrent registration of the same line won
        raise ValidationError(_("Another user registered one of these DPA lines meanwhile."), code="unique") from None
    return created


# --- entered lines -------------------------------------------------------------------------------------------


def buat(user, data: dict, sumber: str = BelanjaTik.Sumber.MANUAL) -> BelanjaTik:
    """An entered (or imported) line: tahun, unit, uraian, kategori, nilai, and optional links."""
    errors = {}
    for name, message in (
        ("tahun", _("The year is required.")),
        ("unit", _("Choose the OPD.")),
        ("uraian", _("Describe the spending.")),
        ("kategori", _("Choose hardware, software, services or connectivity.")),
    ):
        if not data.get(name) or (isinstance(data.get(name), str) and not data[name].strip()):
            errors[name] = message
    if errors:
        raise ValidationError(errors)
    nilai = _money(data.get("nilai"))
    if data.get("dpa_baris") is not None:
        raise ValidationError({"dpa_baris": _("Register DPA lines from the DPA list: their amount is not typed.")})
    _check_links(data, int(data["tahun"]))
    belanja = BelanjaTik(
        tahun=int(data["tahun"]),
        unit=data["unit"],
        uraian=data["uraian"].strip()[:300],
        kategori=data["kategori"],
        nilai=nilai,
        sumber=sumber,
        **{k: data.get(k) for k in LINK_FIELDS},
    )
    _require(user, belanja)
    with transaction.atomic():
        belanja.save()
        audit.record(belanja, "create", audit.diff(None, audit.snapshot(belanja)))
        events.publish("spbe.belanja_dibuat", {"belanja_id": belanja.pk})
    return belanja


def ubah(user, belanja: BelanjaTik, data: dict) -> BelanjaTik:
    """Change the description, category, links (and the amount of a line that is not a DPA line)."""
    _require(user, belanja)
    with transaction.atomic():
        locked = (
            BelanjaTik.objects.select_for_update(of=("self",))
            .select_related("elemen", "peta_rencana")
            .get(pk=belanja.pk)
        )
        if locked.dpa_baris_id and "nilai" in data and data["nilai"] not in (None, ""):
            raise ValidationError({"nilai": _("The amount of a DPA line comes from the DPA: it is not typed.")})
        if "unit" in data and data["unit"] is not None and data["unit"].pk != locked.unit_id:
            if locked.dpa_baris_id:
                raise ValidationError({"unit": _("A DPA line belongs to its OPD.")})
            _require(user, BelanjaTik(unit=data["unit"]))
        _check_links(data, locked.tahun, locked)
        before = audit.snapshot(locked)
        for name in ("uraian", "kategori", *LINK_FIELDS, "unit"):
            if name in data and (name in LINK_FIELDS or data[name] not in (None, "")):
                setattr(locked, name, data[name].strip()[:300] if name == "uraian" else data[name])
        if not locked.dpa_baris_id and "nilai" in data:
            locked.nilai = _money(data["nilai"])
        if not (locked.uraian or "").strip():
            raise ValidationError({"uraian": _("Describe the spending.")})
        locked.save()
        changes = audit.diff(before, audit.snapshot(locked))
        if changes:
            audit.record(locked, "update", changes)
            events.publish("spbe.belanja_diubah", {"belanja_id": locked.pk})
    return locked


def hapus(user, belanja: BelanjaTik) -> None:
    """Remove a line from the ICT spending (a DPA line itself stays in the budget)."""
    _require(user, belanja)
    with transaction.atomic():
        locked = BelanjaTik.objects.select_for_update().get(pk=belanja.pk)
        audit.record(locked, "delete", audit.diff(audit.snapshot(locked), None))
        locked.delete()


# --- evidence for the SPBE evaluation ------------------------------------------------------------------------


def bukti_keterpaduan(penilaian, indikator) -> list:
    """SPBE 2020 #13 Keterpaduan Rencana dan Anggaran SPBE: the share of the year's ICT spending linked to the
    architecture and the Peta Rencana."""
    from terpadu.spbe.services_evaluasi import Proposal

    queryset = BelanjaTik.objects.filter(tahun=penilaian.tahun)
    summary = ringkasan(queryset)
    if not summary["n"]:
        return []
    rows = [
        {
            "opd": r["unit__nama"],
            "jumlah_baris": r["n"],
            "total": str(r["total"]),
            "baris_tidak_linear": r["tidak_linear"],
        }
        for r in rekap(queryset, "unit")
    ]
    return [
        Proposal(
            keterangan=_(
                "ICT spending %(tahun)s: %(persen)s%% of %(total)s linked to the architecture and the Peta Rencana "
                "(%(n_lin)s of %(n)s lines)"
            )
            % {
                "tahun": penilaian.tahun,
                "persen": summary["persen"],
                "total": f"{summary['total']:,.2f}",
                "n_lin": summary["n_linear"],
                "n": summary["n"],
            },
            detail=_("Lines not linked to both an architecture element and a Peta Rencana item: %(n)s.")
            % {"n": summary["n_tidak_linear"]},
            rows=rows,
        )
    ]
