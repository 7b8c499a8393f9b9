"""What the public transparency portal and the open API publish (read-only queries; no state changes here).

Published: every OPD sub kegiatan of a year whose Renja is adopted or which has DPA lines (DPA lines exist only
after TAPD approval), rolled up to kegiatan, program and OPD. Never drafts, never an RKA under verification,
never TAPD notes: nothing here reads Rka or RincianBelanja.

- pagu: the sum of the DPA lines (DpaBaris.pagu) where the sub kegiatan has any; before that the Renja's
  pagu indikatif, flagged `sumber_pagu = "renja"` (roll-ups count how many of their sub kegiatan use it);
- realisasi: the sum of Realisasi.nilai (a cancelled SP2D is offset by reversing rows, so a plain sum is right);
- fisik: the latest ProgresFisik of each sub kegiatan; rolled up weighted by pagu (as in the monev forms);
- exceptions (PengecualianPublikasi): a program, kegiatan or sub kegiatan code, optionally for one OPD, hides
  every sub kegiatan under it from every list, page, API and CSV. The city headline total still includes them,
  with a line naming how many sub kegiatan are excepted and their pagu (so the total matches the Perda APBD).

Every list is one SQL query: per-sub measures are correlated subqueries (SUM … GROUP BY sub kegiatan), roll-ups
GROUP BY the level's codes.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from terpadu.perencanaan.models import Status as RencanaStatus

MONEY = DecimalField(max_digits=20, decimal_places=2)
PERCENT = DecimalField(max_digits=6, decimal_places=2)
WEIGHTED = DecimalField(max_digits=28, decimal_places=4)
ZERO = Decimal("0")
HUNDRED = Decimal("100")

SUMBER_DPA = "dpa"
SUMBER_RENJA = "renja"

# The group keys of each level (values() fields) and the names a row carries.
UNIT_FIELDS = ["unit_id", "unit__kode", "unit__nama", "unit__singkatan"]
PROGRAM_FIELDS = ["kode_program", "sub_kegiatan__parent__parent__nama"]
KEGIATAN_FIELDS = ["kode_kegiatan", "sub_kegiatan__parent__nama"]
LEVELS = {
    "opd": UNIT_FIELDS,
    "program": UNIT_FIELDS + PROGRAM_FIELDS,
    "kegiatan": UNIT_FIELDS + PROGRAM_FIELDS + KEGIATAN_FIELDS,
}


def _models():
    from terpadu.anggaran.models import DpaBaris
    from terpadu.perencanaan.models import RenjaSubKegiatan
    from terpadu.realisasi.models import ProgresFisik, Realisasi

    return RenjaSubKegiatan, DpaBaris, Realisasi, ProgresFisik


# -- which sub kegiatan are public -----------------------------------------------------------------------------


def _excepted_expr():
    """Exists(an exception of the sub kegiatan's year on its program, kegiatan or own code, for all OPDs or its OPD)."""
    from terpadu.monev.models import PengecualianPublikasi

    matches = PengecualianPublikasi.objects.filter(tahun=OuterRef("tahun")).filter(
        Q(unit__isnull=True) | Q(unit=OuterRef("unit"))
    )
    matches = matches.filter(
        Q(kode=OuterRef("kode_program")) | Q(kode=OuterRef("kode_kegiatan")) | Q(kode=OuterRef("sub_kegiatan__kode"))
    )
    return Exists(matches)


def adopted_subs(tahun: int) -> QuerySet:
    """Sub kegiatan of an adopted Renja or with DPA lines, exceptions included (for the headline only)."""
    RenjaSubKegiatan, DpaBaris, _r, _p = _models()
    has_dpa = Exists(DpaBaris.objects.filter(sub_kegiatan=OuterRef("pk")))
    return RenjaSubKegiatan.objects.filter(tahun=tahun).filter(Q(renja__status=RencanaStatus.DITETAPKAN) | Q(has_dpa))


def visible_subs(tahun: int) -> QuerySet:
    """What the public may see: adopted sub kegiatan minus every excepted one."""
    return adopted_subs(tahun).alias(dikecualikan=_excepted_expr()).filter(dikecualikan=False)


def excepted_subs(tahun: int) -> QuerySet:
    return adopted_subs(tahun).alias(dikecualikan=_excepted_expr()).filter(dikecualikan=True)


def is_visible(sub) -> bool:
    return visible_subs(sub.tahun).filter(pk=sub.pk).exists()


def filter_kode(queryset: QuerySet, kode: str) -> QuerySet:
    """Sub kegiatan under a program, kegiatan or sub kegiatan code (or any code prefix ending at a dot)."""
    kode = (kode or "").strip().rstrip(".")
    if not kode:
        return queryset
    return queryset.filter(Q(sub_kegiatan__kode=kode) | Q(sub_kegiatan__kode__startswith=kode + "."))


# -- measures --------------------------------------------------------------------------------------------------


def with_measures(queryset: QuerySet) -> QuerySet:
    """Annotate sub kegiatan with pagu (DPA or indicative), realisasi and the latest physical progress."""
    _s, DpaBaris, Realisasi, ProgresFisik = _models()
    dpa_sum = (
        DpaBaris.objects.filter(sub_kegiatan=OuterRef("pk"))
        .order_by()
        .values("sub_kegiatan")
        .annotate(s=Sum("pagu"))
        .values("s")
    )
    real_sum = (
        Realisasi.objects.filter(sub_kegiatan=OuterRef("pk"))
        .order_by()
        .values("sub_kegiatan")
        .annotate(s=Sum("nilai"))
        .values("s")
    )
    latest = ProgresFisik.objects.filter(sub_kegiatan=OuterRef("pk")).order_by("-bulan")
    return queryset.annotate(
        ada_dpa=Exists(DpaBaris.objects.filter(sub_kegiatan=OuterRef("pk"))),
        pagu_dpa=Coalesce(Subquery(dpa_sum, output_field=MONEY), Value(ZERO), output_field=MONEY),
        realisasi=Coalesce(Subquery(real_sum, output_field=MONEY), Value(ZERO), output_field=MONEY),
        fisik=Subquery(latest.values("persen")[:1], output_field=PERCENT),
        bulan_fisik=Subquery(latest.values("bulan")[:1], output_field=IntegerField()),
    ).annotate(
        pagu=Case(When(ada_dpa=True, then=F("pagu_dpa")), default=F("pagu_indikatif"), output_field=MONEY),
    )


def _percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * HUNDRED / Decimal(whole)).quantize(Decimal("0.01"))


def rollup(queryset: QuerySet, level: str | None) -> QuerySet:
    """GROUP BY the level's fields (None: the whole queryset as one row via aggregate())."""
    measures = with_measures(queryset.order_by())
    aggregates = {
        "pagu_total": Sum("pagu"),
        "realisasi_total": Sum("realisasi"),
        "fisik_bobot": Sum(
            ExpressionWrapper(F("pagu") * Coalesce(F("fisik"), Value(ZERO)), output_field=WEIGHTED),
            output_field=WEIGHTED,
        ),
        "jumlah_sub_kegiatan": Count("pk"),
        "jumlah_pagu_indikatif": Count("pk", filter=Q(ada_dpa=False)),
    }
    if level is None:
        return measures.aggregate(**aggregates)
    fields = LEVELS[level]
    order = ["unit__kode", *[f for f in fields if f.startswith("kode")]]
    return measures.values(*fields).annotate(**aggregates).order_by(*order)


def _unit_part(row: dict) -> dict:
    return {
        "unit_id": row["unit_id"],
        "unit_kode": row["unit__kode"],
        "unit_nama": row["unit__nama"],
        "unit_singkatan": row["unit__singkatan"] or "",
    }


def _measure_part(row: dict) -> dict:
    pagu = row.get("pagu_total") or ZERO
    realisasi = row.get("realisasi_total") or ZERO
    fisik = None
    if pagu:
        fisik = (Decimal(row.get("fisik_bobot") or 0) / Decimal(pagu)).quantize(Decimal("0.01"))
    return {
        "pagu": Decimal(pagu).quantize(Decimal("0.01")),
        "realisasi": Decimal(realisasi).quantize(Decimal("0.01")),
        "persen_realisasi": _percent(realisasi, pagu),
        "persen_fisik": fisik,
        "jumlah_sub_kegiatan": row.get("jumlah_sub_kegiatan") or 0,
        "jumlah_pagu_indikatif": row.get("jumlah_pagu_indikatif") or 0,
    }


def shape(row: dict, level: str, tahun: int) -> dict:
    """A roll-up row in the published shape (the JSON object and the CSV line have the same keys)."""
    out = {"tahun": tahun, **_unit_part(row)}
    if level in ("program", "kegiatan"):
        out["kode_program"] = row["kode_program"]
        out["nama_program"] = row["sub_kegiatan__parent__parent__nama"]
    if level == "kegiatan":
        out["kode_kegiatan"] = row["kode_kegiatan"]
        out["nama_kegiatan"] = row["sub_kegiatan__parent__nama"]
    out.update(_measure_part(row))
    return out


def sub_rows(queryset: QuerySet) -> QuerySet:
    """Sub kegiatan with their measures and the names of their program and kegiatan (one query)."""
    return (
        with_measures(queryset)
        .select_related("unit", "sub_kegiatan__parent__parent")
        .order_by("unit__kode", "sub_kegiatan__kode")
    )


def shape_sub(sub, tahun: int | None = None) -> dict:
    pagu = sub.pagu or ZERO
    return {
        "id": sub.pk,
        "tahun": sub.tahun,
        "unit_id": sub.unit_id,
        "unit_kode": sub.unit.kode,
        "unit_nama": sub.unit.nama,
        "unit_singkatan": sub.unit.singkatan or "",
        "kode_program": sub.kode_program,
        "nama_program": sub.sub_kegiatan.parent.parent.nama if sub.sub_kegiatan.parent_id else "",
        "kode_kegiatan": sub.kode_kegiatan,
        "nama_kegiatan": sub.sub_kegiatan.parent.nama if sub.sub_kegiatan.parent_id else "",
        "kode_sub_kegiatan": sub.sub_kegiatan.kode,
        "nama_sub_kegiatan": sub.sub_kegiatan.nama,
        "sumber_pagu": SUMBER_DPA if sub.ada_dpa else SUMBER_RENJA,
        "pagu": Decimal(pagu).quantize(Decimal("0.01")),
        "realisasi": Decimal(sub.realisasi or 0).quantize(Decimal("0.01")),
        "persen_realisasi": _percent(sub.realisasi, pagu),
        "persen_fisik": sub.fisik,
        "bulan_fisik": sub.bulan_fisik,
        "lokasi": sub.lokasi,
        "sumber_dana": sub.sumber_dana,
    }


# -- the year ------------------------------------------------------------------------------------------------


def years() -> list[int]:
    """Years with anything published, newest first."""
    RenjaSubKegiatan, DpaBaris, _r, _p = _models()
    adopted = RenjaSubKegiatan.objects.filter(renja__status=RencanaStatus.DITETAPKAN).values_list("tahun", flat=True)
    with_dpa = DpaBaris.objects.values_list("tahun", flat=True)
    return sorted(set(adopted.distinct()) | set(with_dpa.distinct()), reverse=True)


def default_year(available: list[int] | None = None) -> int:
    """This year when published, else the newest published year not after next year, else this year."""
    today = timezone.localdate().year
    available = years() if available is None else available
    if today in available:
        return today
    earlier = [y for y in available if y <= today + 1]
    return earlier[0] if earlier else (available[0] if available else today)


def ringkasan(tahun: int) -> dict:
    """The city headline: published figures, the excepted part (count and pagu), and the total of both."""
    published = _measure_part(rollup(visible_subs(tahun), None))
    excepted = _measure_part(rollup(excepted_subs(tahun), None))
    total_pagu = published["pagu"] + excepted["pagu"]
    total_realisasi = published["realisasi"] + excepted["realisasi"]
    return {
        "tahun": tahun,
        "dipublikasikan": published,
        "dikecualikan": {
            "jumlah_sub_kegiatan": excepted["jumlah_sub_kegiatan"],
            "pagu": excepted["pagu"],
            "realisasi": excepted["realisasi"],
        },
        "total": {
            "pagu": total_pagu,
            "realisasi": total_realisasi,
            "persen_realisasi": _percent(total_realisasi, total_pagu),
        },
    }


# -- one sub kegiatan ------------------------------------------------------------------------------------------


def monthly(sub) -> list[dict]:
    """Realisation per month (and cumulative) with the month's physical progress, January … December."""
    _s, _d, Realisasi, ProgresFisik = _models()
    paid = dict(
        Realisasi.objects.filter(sub_kegiatan=sub)
        .order_by()
        .values("bulan")
        .annotate(s=Sum("nilai"))
        .values_list("bulan", "s")
    )
    progress = {p.bulan: p for p in ProgresFisik.objects.filter(sub_kegiatan=sub).prefetch_related("foto")}
    rows, cumulative = [], ZERO
    for bulan in range(1, 13):
        cumulative += paid.get(bulan) or ZERO
        p = progress.get(bulan)
        rows.append(
            {
                "bulan": bulan,
                "realisasi": paid.get(bulan) or ZERO,
                "kumulatif": cumulative,
                "fisik": p.persen if p else None,
                "narasi": p.narasi if p else "",
                "foto": list(p.foto.all()) if p else [],
            }
        )
    return rows


def dpa_lines(sub) -> QuerySet:
    from terpadu.anggaran.models import DpaBaris

    _s, _d, Realisasi, _p = _models()
    paid = Realisasi.objects.filter(dpa_baris=OuterRef("pk")).order_by().values("dpa_baris").annotate(s=Sum("nilai"))
    return (
        DpaBaris.objects.filter(sub_kegiatan=sub)
        .select_related("rekening")
        .annotate(terealisasi=Coalesce(Subquery(paid.values("s"), output_field=MONEY), Value(ZERO), output_field=MONEY))
        .order_by("kode_rekening")
    )


def indicators(sub) -> list[dict]:
    from terpadu.perencanaan.models import TargetIndikator

    out = []
    targets = {
        t.indikator_id: t.target
        for t in TargetIndikator.objects.filter(indikator__renja_sub_kegiatan=sub, tahun=sub.tahun)
    }
    for ind in sub.indikator.all():
        out.append({"indikator": ind, "target": targets.get(ind.pk)})
    return out


def evaluations(sub) -> QuerySet:
    """Submitted quarterly evaluations of the sub kegiatan (never drafts)."""
    from terpadu.monev.models import EvaluasiSubKegiatan

    return (
        EvaluasiSubKegiatan.objects.filter(sub_kegiatan=sub, status=EvaluasiSubKegiatan.Status.DIKIRIM)
        .select_related("periode")
        .order_by("periode__triwulan")
    )


# -- contracts -----------------------------------------------------------------------------------------------


def contracts(subs: QuerySet, tahun: int) -> QuerySet:
    """Contracts funded by DPA lines of `subs` (visible sub kegiatan), never one that also funds an excepted item."""
    from terpadu.kontrak.models import Kontrak, PaketDpa

    _s, _d, Realisasi, _p = _models()
    linked = PaketDpa.objects.filter(dpa_baris__sub_kegiatan__in=subs.values("pk")).values("paket_id")
    blocked = PaketDpa.objects.filter(dpa_baris__sub_kegiatan__in=excepted_subs(tahun).values("pk")).values("paket_id")
    from terpadu.kontrak.models import Adendum

    adendum_count = (
        Adendum.objects.filter(kontrak=OuterRef("pk")).order_by().values("kontrak").annotate(n=Count("pk")).values("n")
    )
    paid = (
        Realisasi.objects.filter(termin__kontrak=OuterRef("pk"))
        .order_by()
        .values("termin__kontrak")
        .annotate(s=Sum("nilai"))
        .values("s")
    )
    return (
        Kontrak.objects.filter(paket_id__in=linked)
        .exclude(paket_id__in=blocked)
        .select_related("penyedia", "paket", "unit")
        .annotate(
            jumlah_adendum=Coalesce(Subquery(adendum_count, output_field=IntegerField()), Value(0)),
            dibayar=Coalesce(Subquery(paid, output_field=MONEY), Value(ZERO), output_field=MONEY),
        )
        .order_by("unit__kode", "-tanggal", "nomor")
    )


def contract_visible(kontrak) -> bool:
    return contracts(visible_subs(kontrak.tahun), kontrak.tahun).filter(pk=kontrak.pk).exists()


def shape_contract(k) -> dict:
    return {
        "id": k.pk,
        "tahun": k.tahun,
        "unit_id": k.unit_id,
        "unit_kode": k.unit.kode,
        "unit_nama": k.unit.nama,
        "nomor": k.nomor,
        "tanggal": k.tanggal,
        "paket": k.paket.nama,
        "kode_rup": k.paket.kode_rup,
        "metode": k.paket.metode,
        "jenis_pengadaan": k.paket.jenis,
        "penyedia": k.penyedia.nama,
        "jenis_kontrak": k.jenis_kontrak,
        "nilai": k.nilai,
        "nilai_awal": k.nilai_awal,
        "mulai": k.mulai,
        "selesai": k.selesai,
        "status": k.status,
        "status_label": str(k.get_status_display()),
        "jumlah_adendum": k.jumlah_adendum,
        "dibayar": k.dibayar,
    }


def contract_subs(kontrak) -> QuerySet:
    """The (visible) sub kegiatan a contract is funded from."""
    from terpadu.kontrak.models import PaketDpa

    funded = PaketDpa.objects.filter(paket=kontrak.paket_id).values("dpa_baris__sub_kegiatan")
    return visible_subs(kontrak.tahun).filter(pk__in=funded).select_related("sub_kegiatan", "unit")


def adendum_history(kontrak) -> list[dict]:
    """The contract's addenda, oldest first: kontrak.services.riwayat (the public diff) when that part provides
    it, else read from kontrak.Adendum in the same shape."""
    try:
        from terpadu.kontrak.services import riwayat
    except ImportError:  # the kontrak part's services have not landed
        riwayat = None
    if riwayat is not None:
        return list(riwayat(kontrak))
    return [
        {
            "urutan": a.urutan,
            "nomor": a.nomor,
            "tanggal": a.tanggal.isoformat(),
            "jenis": a.jenis,
            "jenis_label": str(a.get_jenis_display()),
            "alasan": a.alasan,
            "perubahan": [
                {"field": k, "label": k, "sebelum": a.sebelum.get(k), "sesudah": v} for k, v in a.sesudah.items()
            ],
        }
        for a in kontrak.adendum.order_by("urutan")
    ]


# -- exceptions (public view: how many and why, never what) -----------------------------------------------------


def exception_summary(tahun: int) -> list[dict]:
    """Per exception of the year: its level, how many published sub kegiatan it hides, its reason, its date."""
    from terpadu.monev.models import PengecualianPublikasi
    from terpadu.perencanaan.models import level_of

    hidden = list(excepted_subs(tahun).values("unit_id", "kode_program", "kode_kegiatan", "sub_kegiatan__kode"))
    rows = []
    for e in PengecualianPublikasi.objects.filter(tahun=tahun).order_by("dibuat", "pk"):
        n = sum(
            1
            for h in hidden
            if (e.unit_id is None or e.unit_id == h["unit_id"])
            and e.kode in (h["kode_program"], h["kode_kegiatan"], h["sub_kegiatan__kode"])
        )
        level = level_of(e.kode)
        rows.append(
            {
                "level": str(level.label) if level else "",
                "jumlah_sub_kegiatan": n,
                "alasan": e.alasan,
                "tanggal": e.dibuat.date() if e.dibuat else None,
            }
        )
    return rows
