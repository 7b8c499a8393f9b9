"""Read side of monev evaluasi: the drill-down dashboard, the leader's page and the evaluation table rows.

Every figure comes from SQL aggregates (services_evaluasi.angka: GROUP BY over Realisasi, DpaBaris and
AnggaranKas), so a page costs a constant number of queries however many sub kegiatan and realisation rows the
year has. `dashboard_data(user, tahun, level, parent)` is what the pages, the API and the benchmark call.

Levels: "kota" (rows: OPD) → "opd" (parent: unit id; rows: program) → "program" (parent "unit:kode_program";
rows: kegiatan) → "kegiatan" (parent "unit:kode_kegiatan"; rows: sub kegiatan) → "sub" (parent: sub kegiatan
id; one row and its DPA lines).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from terpadu.core import audit, authz
from terpadu.monev import services_evaluasi as sv

LEVELS = ("kota", "opd", "program", "kegiatan", "sub")
NEXT = {"kota": "opd", "opd": "program", "program": "kegiatan", "kegiatan": "sub", "sub": None}
ACTION = "monev.view"


def bulan_default(tahun: int, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    if tahun < today.year:
        return 12
    if tahun > today.year:
        return 1
    return today.month


def unit_scope(user):
    """None for a whole-pemda viewer (no filter), else a queryset of the UnitKerja ids in scope."""
    from terpadu.organisasi.models import UnitKerja

    if authz.scope(user, ACTION).whole:
        return None
    return authz.restrict(UnitKerja.objects.all(), user, ACTION).values("pk")


def whole_pemda(user) -> bool:
    return authz.scope(user, ACTION).whole


def _row(key, kode, nama, a: sv.Angka, pita_tw, next_level, next_parent, **extra) -> dict:
    keu = a.persen_keuangan
    band = sv.cocokkan(pita_tw, keu if keu is not None else Decimal(0))
    return {
        "key": key,
        "kode": kode,
        "nama": nama,
        "pagu": a.pagu,
        "kas": a.kas,
        "realisasi": a.realisasi,
        "persen_keuangan": keu,
        "persen_kas": a.persen_kas,
        "deviasi": a.deviasi,
        "fisik": a.fisik,
        "kategori": band.kategori if band else "",
        "warna": band.warna if band else "",
        "next_level": next_level,
        "next_parent": next_parent,
        **extra,
    }


def _sum(items: list[sv.Angka]) -> sv.Angka:
    total = sv.Angka()
    weighted = Decimal(0)
    for a in items:
        total.pagu += a.pagu
        total.kas += a.kas
        total.realisasi += a.realisasi
        weighted += a.bobot_fisik if a.bobot_fisik is not None else a.pagu * (a.fisik or Decimal(0))
        for m, v in a.kas_bulanan.items():
            total.kas_bulanan[m] = total.kas_bulanan.get(m, Decimal(0)) + v
        for m, v in a.realisasi_bulanan.items():
            total.realisasi_bulanan[m] = total.realisasi_bulanan.get(m, Decimal(0)) + v
    total.fisik = (weighted / total.pagu).quantize(sv.PCT) if total.pagu else None
    return total


def _series(a: sv.Angka) -> dict:
    kas, real, ck, cr = [], [], Decimal(0), Decimal(0)
    for m in range(1, 13):
        ck += a.kas_bulanan.get(m, Decimal(0))
        cr += a.realisasi_bulanan.get(m, Decimal(0))
        kas.append(ck)
        real.append(cr)
    return {"bulan": list(range(1, 13)), "kas": kas, "realisasi": real}


def _split(parent: str) -> tuple[int, str]:
    try:
        unit, kode = str(parent).split(":", 1)
        return int(unit), kode
    except ValueError as exc:
        raise Http404 from exc


# Units and code names change only through audited services: every drill-down step reads them from here.
_units = audit.HeadCache()
_names = audit.HeadCache()


def _nomenklatur_names(tahun: int, kode: list[str]) -> dict[str, str]:
    from terpadu.perencanaan.models import Nomenklatur

    def read() -> dict[str, str]:
        found = Nomenklatur.objects.filter(versi__tahun=tahun, kode__in=kode).values_list("kode", "nama")
        return dict(found)

    return _names.get((tahun, tuple(sorted(kode))), read)


def dashboard_data(user, tahun: int, level: str = "kota", parent=None, bulan: int | None = None) -> dict:
    """The rows, totals and monthly series of one drill-down level, within the user's monev.view scope."""
    from terpadu.organisasi.models import UnitKerja
    from terpadu.perencanaan.models import RenjaSubKegiatan

    if not authz.has_action(user, ACTION):
        raise PermissionDenied(ACTION)
    if level not in LEVELS:
        raise ValidationError(_("Unknown level %(level)s.") % {"level": level})
    bulan = int(bulan or bulan_default(tahun))
    sv.triwulan_of(bulan)
    scope = unit_scope(user)
    pita_tw = sv.pita_skala(sv.skala_kumulatif(sv.triwulan_of(bulan)))
    crumbs = [{"label": _("City"), "level": "kota", "parent": ""}]
    rows: list[dict] = []
    figures: list[sv.Angka] = []

    def allowed_unit(unit_id: int) -> UnitKerja:
        unit = _units.get(unit_id, lambda: UnitKerja.objects.filter(pk=unit_id).first())
        if unit is None or not authz.can(user, ACTION, unit):
            raise Http404
        return unit

    if level == "kota":
        per_unit = sv.angka(tahun, bulan, kelompok="unit", bulanan=True, unit_ids=scope)
        names = {u.pk: u for u in UnitKerja.objects.filter(pk__in=list(per_unit))}
        for unit_id, a in per_unit.items():
            unit = names.get(unit_id)
            rows.append(_row(unit_id, unit.kode if unit else "", str(unit or unit_id), a, pita_tw, "opd", str(unit_id)))
            figures.append(a)
        rows.sort(key=lambda r: r["kode"] or "")
        judul = _("All OPD")
    else:
        if level == "sub":
            sub = RenjaSubKegiatan.objects.filter(pk=parent, tahun=tahun).select_related("unit", "sub_kegiatan").first()
            if sub is None or not authz.can(user, ACTION, sub):
                raise Http404
            unit, filters = sub.unit, {"sub_ids": [sub.pk]}
        elif level == "opd":
            unit, filters = allowed_unit(int(parent)), {}
        else:
            unit_id, kode = _split(parent)
            unit = allowed_unit(unit_id)
            filters = {"kode_program": kode} if level == "program" else {"kode_kegiatan": kode}
        crumbs.append({"label": str(unit.singkatan or unit.nama), "level": "opd", "parent": str(unit.pk)})
        if level in ("opd", "program"):
            # rows: the programs / kegiatan, grouped in SQL
            per_group = sv.angka(tahun, bulan, kelompok=NEXT[level], bulanan=True, unit_ids=[unit.pk], **filters)
            names = _nomenklatur_names(tahun, list(per_group))
            for kode, a in per_group.items():
                figures.append(a)
                rows.append(
                    _row(kode, kode, names.get(kode, kode), a, pita_tw, NEXT[level], f"{unit.pk}:{kode}",
                         jumlah_sub=a.jumlah_sub)
                )  # fmt: skip
        else:
            per_sub = sv.angka(tahun, bulan, bulanan=True, unit_ids=[unit.pk], **filters)
            subs = {
                s["pk"]: s
                for s in RenjaSubKegiatan.objects.filter(pk__in=list(per_sub)).values(
                    "pk", "sub_kegiatan__kode", "sub_kegiatan__nama"
                )
            }
            for sub_id, a in per_sub.items():
                s = subs[sub_id]
                figures.append(a)
                rows.append(
                    _row(sub_id, s["sub_kegiatan__kode"], s["sub_kegiatan__nama"], a, pita_tw, NEXT[level] and "sub",
                         str(sub_id))
                )  # fmt: skip
        rows.sort(key=lambda r: r["kode"])
        if level in ("program", "kegiatan", "sub"):
            kode_program = parent.split(":", 1)[1][:7] if level != "sub" else sub.kode_program
            crumbs.append({"label": kode_program, "level": "program", "parent": f"{unit.pk}:{kode_program}"})
        if level in ("kegiatan", "sub"):
            kode_kegiatan = parent.split(":", 1)[1] if level == "kegiatan" else sub.kode_kegiatan
            crumbs.append({"label": kode_kegiatan, "level": "kegiatan", "parent": f"{unit.pk}:{kode_kegiatan}"})
        judul = crumbs[-1]["label"] if level != "sub" else f"{sub.sub_kegiatan.kode} {sub.sub_kegiatan.nama}"
        if level == "sub":
            for r in rows:
                r["next_level"] = None
    total = _sum(figures)
    return {
        "tahun": tahun,
        "bulan": bulan,
        "triwulan": sv.triwulan_of(bulan),
        "level": level,
        "parent": "" if parent is None else str(parent),
        "judul": judul,
        "breadcrumb": crumbs,
        "rows": rows,
        "total": _row("total", "", _("Total"), total, pita_tw, None, None),
        "series": _series(total),
        "pita": pita_tw,
    }


def pimpinan_data(user, tahun: int, bulan: int | None = None, top: int = 10) -> dict:
    """The leader's page (Wali Kota, Sekda): whole-pemda monev.view only."""
    from terpadu.monev.models import PeringatanDini
    from terpadu.perencanaan.models import RenjaSubKegiatan

    if not whole_pemda(user):
        raise PermissionDenied(ACTION)
    data = dashboard_data(user, tahun, "kota", None, bulan)
    bulan = data["bulan"]
    ranking = sorted(
        data["rows"],
        key=lambda r: (-(r["fisik"] or 0), -(r["persen_keuangan"] or 0), r["kode"]),
    )
    for i, r in enumerate(ranking, start=1):
        r["peringkat"] = i
    per_sub = sv.angka(tahun, bulan)
    lagging = sorted(
        ((sub_id, a) for sub_id, a in per_sub.items() if a.pagu and a.deviasi is not None and a.deviasi > 0),
        key=lambda item: -item[1].deviasi,
    )[:top]
    info = {
        s.pk: s
        for s in RenjaSubKegiatan.objects.filter(pk__in=[pk for pk, _a in lagging]).select_related(
            "unit", "sub_kegiatan"
        )
    }
    worst = [
        {
            "sub": info[pk],
            "pagu": a.pagu,
            "kas": a.kas,
            "realisasi": a.realisasi,
            "deviasi": a.deviasi,
            "fisik": a.fisik,
        }
        for pk, a in lagging
        if pk in info
    ]
    warnings = list(
        PeringatanDini.objects.filter(tahun=tahun).select_related("unit", "sub_kegiatan__sub_kegiatan")[:top]
    )
    series = data["series"]
    trend = []
    for tw in range(1, 5):
        m = tw * 3
        trend.append(
            {
                "triwulan": tw,
                "kas": series["kas"][m - 1],
                "realisasi": series["realisasi"][m - 1] if m <= bulan else None,
                "persen_kas": sv.persen(series["kas"][m - 1], data["total"]["pagu"]),
                "persen_realisasi": sv.persen(series["realisasi"][m - 1], data["total"]["pagu"])
                if m <= bulan
                else None,
            }
        )
    return {
        **data,
        "ranking": ranking,
        "worst": worst,
        "warnings": warnings,
        "warning_count": PeringatanDini.objects.filter(tahun=tahun).count(),
        "trend": trend,
    }


def tabel_evaluasi_renja(unit, tahun: int) -> dict:
    """Rows of the Permendagri 86/2017 evaluation of a Renja PD (program / kegiatan / sub kegiatan with their
    indicator, target, realisation per quarter (K and Rp), capaian and rating). One query per table."""
    return _tabel_per_unit([unit], tahun)[unit.pk]


def tabel_evaluasi_rkpd(user, tahun: int) -> dict:
    """The city's evaluation of the RKPD (Permendagri 86/2017): the Renja PD table of every OPD with a Renja in
    `tahun`, each under a row of the OPD (the perangkat daerah responsible), and the city's total. Whole-pemda
    monev.view only (the leader's and Bappeda's table). The same queries as one OPD's table, over all OPDs."""
    from terpadu.organisasi.models import Pemda, UnitKerja
    from terpadu.perencanaan.models import RenjaSubKegiatan

    if not whole_pemda(user):
        raise PermissionDenied(ACTION)
    unit_ids = RenjaSubKegiatan.objects.filter(tahun=tahun).values_list("unit", flat=True).distinct()
    units = list(UnitKerja.objects.filter(pk__in=unit_ids).order_by("kode", "nama"))
    tables = _tabel_per_unit(units, tahun)
    rows: list[dict] = []
    for unit in units:
        tabel = tables[unit.pk]
        rows += [{**tabel["total"], "level": "opd", "kode": unit.kode, "nama": unit.nama}, *tabel["rows"]]
    pemda = Pemda.objects.first()
    totals = [tables[unit.pk]["total"] for unit in units]
    return {"unit": pemda or "", "tahun": tahun, "rows": rows, "total": _total_of(totals), "rkpd": True}


def _tabel_per_unit(units: list, tahun: int) -> dict[int, dict]:
    """The Renja PD evaluation table of each unit (by pk), from one query per table for all of them."""
    from terpadu.monev.models import CapaianIndikator
    from terpadu.perencanaan.models import Indikator, Nomenklatur, RenjaSubKegiatan, TargetIndikator
    from terpadu.realisasi.models import Realisasi

    unit_ids = [u.pk for u in units]
    subs = list(
        RenjaSubKegiatan.objects.filter(unit__in=unit_ids, tahun=tahun)
        .select_related("sub_kegiatan")
        .order_by("sub_kegiatan__kode")
    )
    per_sub = sv.angka(tahun, 12, unit_ids=unit_ids)
    tw_real: dict[tuple[int, int], Decimal] = {}
    for sub_id, month, total in (
        Realisasi.objects.filter(tahun=tahun, unit__in=unit_ids)
        .order_by()
        .values_list("sub_kegiatan", "bulan")
        .annotate(s=Sum("nilai"))
    ):
        key = (sub_id, sv.triwulan_of(month))
        tw_real[key] = tw_real.get(key, Decimal(0)) + (total or Decimal(0))
    indikator: dict[int, list] = {}
    for ind in Indikator.objects.filter(renja_sub_kegiatan__in=[s.pk for s in subs]).order_by("pk"):
        indikator.setdefault(ind.renja_sub_kegiatan_id, []).append(ind)
    ind_ids = [i.pk for items in indikator.values() for i in items]
    targets = dict(
        TargetIndikator.objects.filter(indikator__in=ind_ids, tahun=tahun).values_list("indikator", "target")
    )
    capaian: dict[tuple[int, int], CapaianIndikator] = {
        (c.indikator_id, c.periode.triwulan): c
        for c in CapaianIndikator.objects.filter(indikator__in=ind_ids, periode__tahun=tahun).select_related("periode")
    }
    codes = {s.kode_program for s in subs} | {s.kode_kegiatan for s in subs}
    names = dict(Nomenklatur.objects.filter(versi__tahun=tahun, kode__in=codes).values_list("kode", "nama"))
    pita = sv.pita_skala(sv.SKALA_CAPAIAN)
    subs_of: dict[int, list] = {pk: [] for pk in unit_ids}
    for s in subs:
        subs_of[s.unit_id].append(s)

    def table(unit) -> dict:
        rows: list[dict] = []
        grouped: dict[str, dict[str, list]] = {}
        for s in subs_of[unit.pk]:
            grouped.setdefault(s.kode_program, {}).setdefault(s.kode_kegiatan, []).append(s)
        for prog, kegiatan in grouped.items():
            prog_subs = [s for items in kegiatan.values() for s in items]
            rows.append(_agg_row("program", prog, names.get(prog, prog), prog_subs, per_sub, tw_real, pita))
            for keg, items in kegiatan.items():
                rows.append(_agg_row("kegiatan", keg, names.get(keg, keg), items, per_sub, tw_real, pita))
                for s in items:
                    rows += _sub_rows(s, indikator.get(s.pk) or [None], targets, capaian, per_sub, tw_real, pita)
        total = _agg_row("total", "", _("Total"), subs_of[unit.pk], per_sub, tw_real, pita)
        return {"unit": unit, "tahun": tahun, "rows": rows, "total": total}

    return {unit.pk: table(unit) for unit in units}


def _sub_rows(s, inds, targets, capaian, per_sub, tw_real, pita) -> list[dict]:
    """A sub kegiatan's row with its first indicator, then a row per further indicator."""
    row = _agg_row("sub_kegiatan", s.sub_kegiatan.kode, s.sub_kegiatan.nama, [s], per_sub, tw_real, pita)
    rows = []
    for i, ind in enumerate(inds):
        r = dict(row) if i == 0 else {"level": "indikator", "kode": "", "nama": "", "anggaran": None}
        if ind is not None:
            ks = [capaian.get((ind.pk, tw)) for tw in range(1, 5)]
            last = next((c for c in reversed(ks) if c is not None), None)
            r.update(
                indikator=ind.uraian,
                satuan=ind.satuan,
                polaritas=ind.get_polaritas_display(),
                target_k=targets.get(ind.pk),
                k_tw=[c.realisasi if c else None for c in ks],
                k_akhir=last.realisasi if last else None,
                capaian_k=last.capaian if last else None,
                kategori_k=last.kategori if last else "",
            )
        rows.append(r)
    return rows


def _total_of(totals: list[dict]) -> dict:
    """The city's total row from the OPD totals (money adds up; capaian and rating are recomputed)."""
    pita = sv.pita_skala(sv.SKALA_CAPAIAN)
    anggaran = sum((t["anggaran"] or Decimal(0) for t in totals), Decimal(0))
    rp_akhir = sum((t["rp_akhir"] or Decimal(0) for t in totals), Decimal(0))
    weighted = sum(((t["anggaran"] or 0) * (t["fisik"] or 0) for t in totals), Decimal(0))
    capaian_rp = sv.persen(rp_akhir, anggaran)
    band = sv.cocokkan(pita, capaian_rp) if capaian_rp is not None else None
    return {
        "level": "total",
        "kode": "",
        "nama": _("Total"),
        "anggaran": anggaran,
        "rp_tw": [sum((t["rp_tw"][tw] for t in totals), Decimal(0)) for tw in range(4)],
        "rp_akhir": rp_akhir,
        "capaian_rp": capaian_rp,
        "kategori_rp": band.kategori if band else "",
        "fisik": (weighted / anggaran).quantize(sv.PCT) if anggaran else None,
        **_no_indicator(),
    }


def _no_indicator() -> dict:
    """The kinerja (K) columns of a row that carries money only (a group or a total)."""
    return {
        "indikator": "",
        "satuan": "",
        "target_k": None,
        "k_tw": [None] * 4,
        "k_akhir": None,
        "capaian_k": None,
        "kategori_k": "",
    }


def _agg_row(level, kode, nama, subs, per_sub, tw_real, pita) -> dict:
    items = [per_sub.get(s.pk, sv.Angka()) for s in subs]
    a = _sum(items)
    rp_tw = [sum((tw_real.get((s.pk, tw), Decimal(0)) for s in subs), Decimal(0)) for tw in range(1, 5)]
    capaian_rp = sv.persen(a.realisasi, a.pagu)
    band = sv.cocokkan(pita, capaian_rp) if capaian_rp is not None else None
    return {
        "level": level,
        "kode": kode,
        "nama": nama,
        "anggaran": a.pagu,
        "rp_tw": rp_tw,
        "rp_akhir": a.realisasi,
        "capaian_rp": capaian_rp,
        "kategori_rp": band.kategori if band else "",
        "fisik": a.fisik,
        **_no_indicator(),
    }
