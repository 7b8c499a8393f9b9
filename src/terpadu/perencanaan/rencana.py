"""Read-only questions about the planning documents: who may edit or adopt them (the gate), the pohon kinerja
(cascade) in both directions, and the RKPD totals and consistency report. Nothing here writes."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from terpadu.core import authz
from terpadu.perencanaan.models import (
    Indikator,
    Level,
    Nomenklatur,
    PaguIndikatif,
    Renja,
    RenjaSubKegiatan,
    RenstraItem,
    Rpjmd,
    Sasaran,
    Status,
)
from terpadu.perencanaan.services_rencana import dokumen_of

ZERO = Decimal(0)


def _label(kind: str) -> str:
    return {
        "rpjmd": _("RPJMD"),
        "misi": _("Misi"),
        "tujuan": _("Tujuan"),
        "sasaran": _("Sasaran"),
        "tujuan_pd": _("Tujuan PD"),
        "sasaran_pd": _("Sasaran PD"),
        "renstra_item": _("Renstra"),
        "program": _("Program"),
        "kegiatan": _("Kegiatan"),
        "sub_kegiatan": _("Sub kegiatan"),
    }[kind]


# -- the gate for the documents -------------------------------------------------------------------------------


def may_edit(user, obj) -> bool:
    """RPJMD elements: perencanaan.change (pemda-wide). Renstra/Renja elements: perencanaan.plan in the OPD's
    scope, or perencanaan.change. The draft/adopted lock is the services' business."""
    doc = dokumen_of(obj)
    if isinstance(doc, Rpjmd):
        return authz.can(user, "perencanaan.change")
    return authz.can(user, "perencanaan.change", doc) or authz.can(user, "perencanaan.plan", doc)


def may_adopt(user, obj) -> bool:
    """Adopting and reopening is Bappeda's (perencanaan.change)."""
    doc = dokumen_of(obj)
    return authz.can(user, "perencanaan.change", None if isinstance(doc, Rpjmd) else doc)


def is_draft(obj) -> bool:
    return dokumen_of(obj).status == Status.DRAFT


# -- pohon kinerja ----------------------------------------------------------------------------------------------


def dpa_per_sub(sub_ids) -> dict[int, Decimal]:
    """DPA pagu per RenjaSubKegiatan (empty when no budget exists yet)."""
    from terpadu.anggaran.models import DpaBaris

    rows = DpaBaris.objects.filter(sub_kegiatan_id__in=list(sub_ids)).values("sub_kegiatan_id").annotate(t=Sum("pagu"))
    return {row["sub_kegiatan_id"]: row["t"] or ZERO for row in rows}


def _names(tahun: int, codes) -> dict[str, str]:
    return dict(Nomenklatur.objects.filter(versi__tahun=tahun, kode__in=set(codes)).values_list("kode", "nama"))


def _indikator_list(indikators, tahun: int | None) -> list[dict]:
    result = []
    for ind in indikators:
        targets = {t.tahun: t.target for t in ind.target.all()}
        result.append(
            {
                "id": ind.pk,
                "uraian": ind.uraian,
                "satuan": ind.satuan,
                "polaritas": ind.polaritas,
                "baseline": ind.baseline,
                "target": targets.get(tahun) if tahun else None,
            }
        )
    return result


def _add(node: dict, pagu: Decimal, dpa: Decimal | None) -> None:
    node["pagu"] += pagu
    if dpa is not None:
        node["dpa"] = (node["dpa"] or ZERO) + dpa


def pohon_turun(sasaran: Sasaran, tahun: int, subs=None) -> dict:
    """From a city sasaran down: sasaran PD (per OPD) → program → kegiatan → sub kegiatan of `tahun`, with the
    Renja pagu indikatif and, where the budget exists, the DPA pagu, summed upwards. `subs` narrows the
    RenjaSubKegiatan considered (e.g. to what the user may see)."""
    queryset = subs if subs is not None else RenjaSubKegiatan.objects.all()
    queryset = (
        queryset.filter(tahun=tahun, renstra_item__sasaran_pd__sasaran_rpjmd=sasaran)
        .select_related("sub_kegiatan", "unit", "renstra_item__sasaran_pd__tujuan__renstra__unit")
        .prefetch_related("indikator__target")
        .order_by("unit__path", "sub_kegiatan__kode")
    )
    subs = list(queryset)
    dpa = dpa_per_sub(s.pk for s in subs)
    names = _names(tahun, [s.kode_program for s in subs] + [s.kode_kegiatan for s in subs])
    root = {
        "type": "sasaran",
        "id": sasaran.pk,
        "kode": sasaran.kode,
        "nama": sasaran.uraian,
        "url": sasaran.get_absolute_url(),
        "indikator": _indikator_list(sasaran.indikator.prefetch_related("target"), tahun),
        "pagu": ZERO,
        "dpa": None,
        "children": [],
    }
    by_sasaran_pd: dict[int, dict] = {}
    sasaran_pd_all = sasaran.sasaran_pd.select_related("tujuan__renstra__unit").prefetch_related("indikator__target")
    for spd in sasaran_pd_all.order_by("tujuan__renstra__unit__path", "kode"):
        unit = spd.tujuan.renstra.unit
        node = {
            "type": "sasaran_pd",
            "id": spd.pk,
            "kode": spd.kode,
            "nama": spd.uraian,
            "unit": unit.singkatan or unit.nama,
            "unit_id": unit.pk,
            "url": spd.tujuan.renstra.get_absolute_url(),
            "indikator": _indikator_list(spd.indikator.all(), tahun),
            "pagu": ZERO,
            "dpa": None,
            "children": [],
            "_index": {},
        }
        by_sasaran_pd[spd.pk] = node
        root["children"].append(node)
    for sub in subs:
        spd_node = by_sasaran_pd[sub.renstra_item.sasaran_pd_id]
        dpa_value = dpa.get(sub.pk)
        program = spd_node["_index"].get(sub.kode_program)
        if program is None:
            program = _group("program", sub.kode_program, names)
            spd_node["_index"][sub.kode_program] = program
            spd_node["children"].append(program)
        kegiatan = program["_index"].get(sub.kode_kegiatan)
        if kegiatan is None:
            kegiatan = _group("kegiatan", sub.kode_kegiatan, names)
            program["_index"][sub.kode_kegiatan] = kegiatan
            program["children"].append(kegiatan)
        kegiatan["children"].append(
            {
                "type": "sub_kegiatan",
                "id": sub.pk,
                "kode": sub.sub_kegiatan.kode,
                "nama": sub.sub_kegiatan.nama,
                "unit": sub.unit.singkatan or sub.unit.nama,
                "url": sub.get_absolute_url(),
                "indikator": _indikator_list(sub.indikator.all(), tahun),
                "pagu": sub.pagu_indikatif,
                "dpa": dpa_value,
                "children": [],
            }
        )
        for node in (kegiatan, program, spd_node, root):
            _add(node, sub.pagu_indikatif, dpa_value)
    _strip(root)
    return root


def _labelled(chain: list[dict]) -> list[dict]:
    for node in chain:
        node["label"] = _label(node["type"])
    return chain


def _group(kind: str, kode: str, names: dict) -> dict:
    return {"type": kind, "kode": kode, "nama": names.get(kode, ""), "pagu": ZERO, "dpa": None, "children": [],
            "_index": {}}  # fmt: skip


def _strip(node: dict) -> None:
    node.pop("_index", None)
    for child in node["children"]:
        _strip(child)


def pohon_naik(sub: RenjaSubKegiatan) -> list[dict]:
    """From a sub kegiatan up: sub kegiatan → kegiatan → program → sasaran PD → (tujuan PD) → sasaran RPJMD →
    tujuan → misi → RPJMD, nearest first. A sub kegiatan outside the Renstra stops at its program."""
    names = _names(sub.tahun, [sub.kode_program, sub.kode_kegiatan])
    chain = [
        {"type": "sub_kegiatan", "kode": sub.sub_kegiatan.kode, "nama": sub.sub_kegiatan.nama,
         "url": sub.get_absolute_url()},
        {"type": "kegiatan", "kode": sub.kode_kegiatan, "nama": names.get(sub.kode_kegiatan, ""), "url": ""},
        {"type": "program", "kode": sub.kode_program, "nama": names.get(sub.kode_program, ""), "url": ""},
    ]  # fmt: skip
    item = sub.renstra_item
    if item is None:
        return _labelled(chain)
    spd = item.sasaran_pd
    renstra = item.renstra
    sasaran = spd.sasaran_rpjmd
    tujuan = sasaran.tujuan
    misi = tujuan.misi
    rpjmd = misi.rpjmd
    chain += [
        {"type": "renstra_item", "kode": item.nomenklatur.kode, "nama": item.nomenklatur.nama,
         "url": renstra.get_absolute_url(), "edisi": item.nomenklatur.versi.tahun},
        {"type": "sasaran_pd", "kode": spd.kode, "nama": spd.uraian, "url": renstra.get_absolute_url()},
        {"type": "tujuan_pd", "kode": spd.tujuan.kode, "nama": spd.tujuan.uraian, "url": renstra.get_absolute_url()},
        {"type": "sasaran", "kode": sasaran.kode, "nama": sasaran.uraian, "url": sasaran.get_absolute_url()},
        {"type": "tujuan", "kode": tujuan.kode, "nama": tujuan.uraian, "url": rpjmd.get_absolute_url()},
        {"type": "misi", "kode": str(misi.nomor), "nama": misi.uraian, "url": rpjmd.get_absolute_url()},
        {"type": "rpjmd", "kode": f"{rpjmd.tahun_awal}–{rpjmd.tahun_akhir}", "nama": rpjmd.visi,
         "url": rpjmd.get_absolute_url()},
    ]  # fmt: skip
    return _labelled(chain)


# -- RKPD -------------------------------------------------------------------------------------------------------


def rkpd(tahun: int, subs=None) -> dict:
    """All Renja of `tahun`: totals per OPD and per program (with DPA pagu where it exists)."""
    subs = subs if subs is not None else RenjaSubKegiatan.objects.all()
    subs = subs.filter(tahun=tahun)
    per_opd = list(
        subs.values("unit_id", "unit__nama", "unit__singkatan", "renja_id", "renja__status")
        .annotate(jumlah=Count("id"), pagu=Sum("pagu_indikatif"), maju=Sum("prakiraan_maju"))
        .order_by("unit__path")
    )
    per_program = list(
        subs.values("kode_program").annotate(jumlah=Count("id"), opd=Count("unit", distinct=True),
                                             pagu=Sum("pagu_indikatif")).order_by("kode_program")
    )  # fmt: skip
    names = _names(tahun, [row["kode_program"] for row in per_program])
    for row in per_program:
        row["nama"] = names.get(row["kode_program"], "")
    total = sum((row["pagu"] or ZERO for row in per_opd), ZERO)
    return {"tahun": tahun, "per_opd": per_opd, "per_program": per_program, "total": total}


def konsistensi(tahun: int, units=None) -> dict:
    """The RKPD consistency report for `tahun` (optionally only `units`):

    - pagu: Renja sub kegiatan whose pagu indikatif differs from its Renstra item's pagu indikatif for the year,
      and per OPD the Renja total against the Renstra total of the year;
    - tanpa_indikator / tanpa_target: Renja sub kegiatan without an indicator, or with one lacking the year's target;
    - tanpa_renja: Renstra sub kegiatan items (of Renstra covering the year) with no Renja sub kegiatan that year.
    """
    subs = RenjaSubKegiatan.objects.filter(tahun=tahun).select_related("sub_kegiatan", "unit", "renstra_item")
    items = RenstraItem.objects.filter(
        level=Level.SUB_KEGIATAN, renstra__rpjmd__tahun_awal__lte=tahun, renstra__rpjmd__tahun_akhir__gte=tahun
    ).select_related("nomenklatur", "renstra__unit")
    if units is not None:
        subs = subs.filter(unit__in=units)
        items = items.filter(renstra__unit__in=units)
    pagu_item = dict(PaguIndikatif.objects.filter(tahun=tahun, item__in=items).values_list("item_id", "nilai"))

    selisih = []
    for sub in subs.exclude(renstra_item=None).order_by("unit__path", "sub_kegiatan__kode"):
        renstra_pagu = pagu_item.get(sub.renstra_item_id, ZERO)
        if renstra_pagu != sub.pagu_indikatif:
            selisih.append({"sub": sub, "renja": sub.pagu_indikatif, "renstra": renstra_pagu,
                            "selisih": sub.pagu_indikatif - renstra_pagu})  # fmt: skip

    per_opd: dict[int, dict] = defaultdict(lambda: {"unit": None, "renja": ZERO, "renstra": ZERO})
    for sub in subs:
        row = per_opd[sub.unit_id]
        row["unit"] = sub.unit
        row["renja"] += sub.pagu_indikatif
    for item in items:
        row = per_opd[item.renstra.unit_id]
        row["unit"] = item.renstra.unit
        row["renstra"] += pagu_item.get(item.pk, ZERO)
    opd = sorted(per_opd.values(), key=lambda r: r["unit"].path)
    for row in opd:
        row["selisih"] = row["renja"] - row["renstra"]

    with_target = Indikator.objects.filter(renja_sub_kegiatan__in=subs, target__tahun=tahun).values(
        "renja_sub_kegiatan_id"
    )
    tanpa_indikator = list(subs.filter(indikator__isnull=True).order_by("unit__path", "sub_kegiatan__kode"))
    tanpa_target = list(
        subs.filter(indikator__isnull=False)
        .exclude(pk__in=with_target)
        .distinct()
        .order_by("unit__path", "sub_kegiatan__kode")
    )
    drawn = RenjaSubKegiatan.objects.filter(tahun=tahun).exclude(renstra_item=None).values("renstra_item_id")
    tanpa_renja = list(items.exclude(pk__in=drawn).order_by("renstra__unit__path", "nomenklatur__kode"))
    for item in tanpa_renja:
        item.pagu_tahun = pagu_item.get(item.pk)
    return {
        "tahun": tahun,
        "pagu": selisih,
        "per_opd": [row for row in opd if row["selisih"]],
        "tanpa_indikator": tanpa_indikator,
        "tanpa_target": tanpa_target,
        "tanpa_renja": tanpa_renja,
        "jumlah_masalah": len(selisih) + len(tanpa_indikator) + len(tanpa_target) + len(tanpa_renja),
    }


def renja_years() -> list[int]:
    return sorted(set(Renja.objects.values_list("tahun", flat=True)), reverse=True)


def sub_kegiatan_visible(user, action: str = "perencanaan.view"):
    return authz.restrict(RenjaSubKegiatan.objects.all(), user, action)


def sasaran_of(rpjmd: Rpjmd):
    return (
        Sasaran.objects.filter(tujuan__misi__rpjmd=rpjmd)
        .select_related("tujuan__misi")
        .order_by("tujuan__misi__nomor", "tujuan__kode", "kode")
    )


def missing_targets(rpjmd: Rpjmd) -> int:
    """Indicators of the RPJMD's sasaran/tujuan lacking a target for some year of the period."""
    inds = Indikator.objects.filter(Q(sasaran__tujuan__misi__rpjmd=rpjmd) | Q(tujuan__misi__rpjmd=rpjmd)).annotate(
        n=Count("target")
    )
    return sum(1 for ind in inds if ind.n < len(rpjmd.tahun_list))
