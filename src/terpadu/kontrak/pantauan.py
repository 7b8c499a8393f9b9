"""Read-only views of contracts: paid amount per termin (from realisasi), warning flags, the OCDS-like release.
Nothing here changes state (that is services.py).

Flags (computed, never stored):
- `bayar_melebihi_progres`: an SP2D paid a termin whose required physical progress is above the progress the
  OPD had reported for the sub kegiatan at the month of payment (the latest ProgresFisik at or before it;
  no report counts as 0%).
- `lewat_waktu`: the contract is still running after its end date.
- `jaminan_kedaluwarsa`: a guarantee's validity ended while the contract is running (a maintenance bond also
  after completion, since it covers the maintenance period).
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db.models import Exists, OuterRef, Sum
from django.utils.translation import gettext as _

from terpadu.kontrak.models import Jaminan, Kontrak, Termin
from terpadu.kontrak.services import ZERO, format_npwp, today


@dataclass
class Flag:
    code: str
    message: str


def progres_pada(sub_kegiatan_id: int, bulan: int) -> Decimal | None:
    """The latest reported cumulative physical progress of a sub kegiatan at or before `bulan`."""
    from terpadu.realisasi.models import ProgresFisik

    row = ProgresFisik.objects.filter(sub_kegiatan_id=sub_kegiatan_id, bulan__lte=bulan).order_by("-bulan").first()
    return row.persen if row else None


def termin_rows(kontrak: Kontrak) -> list[Termin]:
    """The contract's termin with `.dibayar` (sum of SP2D realisation), `.sisa`, `.progres` (reported progress
    at the latest payment) and `.melebihi_progres`."""
    from terpadu.realisasi.models import Realisasi

    rows = list(kontrak.termin.order_by("urutan"))
    payments: dict[int, list] = {}
    for row in Realisasi.objects.filter(termin__in=rows).values("termin_id", "sub_kegiatan_id", "bulan", "nilai"):
        payments.setdefault(row["termin_id"], []).append(row)
    for termin in rows:
        paid_rows = payments.get(termin.pk, [])
        termin.dibayar = sum((r["nilai"] for r in paid_rows), ZERO)
        termin.sisa = termin.nilai - termin.dibayar
        termin.progres = None
        termin.melebihi_progres = False
        for r in paid_rows:
            reported = progres_pada(r["sub_kegiatan_id"], r["bulan"])
            termin.progres = reported if termin.progres is None or reported is None else min(termin.progres, reported)
            if termin.persen_fisik > (reported if reported is not None else ZERO):
                termin.melebihi_progres = True
    return rows


def jaminan_kedaluwarsa(jaminan: Jaminan, on=None) -> bool:
    on = on or today()
    if jaminan.berlaku_sampai >= on:
        return False
    running = jaminan.kontrak.status == Kontrak.Status.BERJALAN
    return running or jaminan.jenis == Jaminan.Jenis.PEMELIHARAAN and jaminan.kontrak.status == Kontrak.Status.SELESAI


def flags(kontrak: Kontrak, rows: list[Termin] | None = None, on=None) -> list[Flag]:
    on = on or today()
    rows = termin_rows(kontrak) if rows is None else rows
    result = []
    for termin in rows:
        if termin.melebihi_progres:
            result.append(
                Flag(
                    "bayar_melebihi_progres",
                    _("Termin %(n)d (requires %(req)s%% physical progress) was paid while %(got)s%% was reported.")
                    % {
                        "n": termin.urutan,
                        "req": termin.persen_fisik,
                        "got": termin.progres if termin.progres is not None else 0,
                    },
                )
            )
    if kontrak.status == Kontrak.Status.BERJALAN and kontrak.selesai < on:
        result.append(
            Flag("lewat_waktu", _("The contract ended on %(d)s and is not completed.") % {"d": kontrak.selesai})
        )
    for jaminan in kontrak.jaminan.all():
        if jaminan_kedaluwarsa(jaminan, on):
            result.append(
                Flag(
                    "jaminan_kedaluwarsa",
                    _("%(j)s %(n)s expired on %(d)s.")
                    % {"j": jaminan.get_jenis_display(), "n": jaminan.nomor, "d": jaminan.berlaku_sampai},
                )
            )
    return result


def annotate_flags(queryset):
    """For lists: `j_berjalan` / `j_pemeliharaan` (some guarantee ended before today); see list_flags()."""
    on = today()
    expired = Jaminan.objects.filter(kontrak=OuterRef("pk"), berlaku_sampai__lt=on)
    return queryset.annotate(
        j_lewat=Exists(expired), j_pemeliharaan=Exists(expired.filter(jenis=Jaminan.Jenis.PEMELIHARAAN))
    )


def list_flags(kontrak: Kontrak) -> list[str]:
    """The cheap flags of an annotated list row (paid-beyond-progress is shown on the detail page)."""
    on = today()
    result = []
    running = kontrak.status == Kontrak.Status.BERJALAN
    if running and kontrak.selesai < on:
        result.append("lewat_waktu")
    if (running and kontrak.j_lewat) or (kontrak.status == Kontrak.Status.SELESAI and kontrak.j_pemeliharaan):
        result.append("jaminan_kedaluwarsa")
    return result


def dibayar_kontrak(kontrak: Kontrak) -> Decimal:
    from terpadu.realisasi.models import Realisasi

    return Realisasi.objects.filter(termin__kontrak=kontrak).aggregate(total=Sum("nilai"))["total"] or ZERO


def ocds_release(kontrak: Kontrak) -> dict:
    """An OCDS-like release (1.1 field names) of one contract: planning budget, award, contract, amendments
    and the payments (implementation.transactions) booked on its termin."""
    from terpadu.core.audit import json_safe
    from terpadu.kontrak.services import riwayat
    from terpadu.realisasi.models import Realisasi

    paket = kontrak.paket
    ocid = f"ocds-terpadu-{kontrak.unit.kode}-{kontrak.tahun}-{kontrak.pk}"
    supplier = {"id": f"ID-NPWP-{kontrak.penyedia.npwp}", "name": kontrak.penyedia.nama}
    transactions = [
        {
            "id": f"sp2d-{r.sp2d_id}-{r.pk}",
            "date": r.sp2d.tanggal.isoformat(),
            "value": {"amount": json_safe(r.nilai), "currency": "IDR"},
            "payee": supplier,
            "milestone": f"termin-{r.termin.urutan}",
        }
        for r in Realisasi.objects.filter(termin__kontrak=kontrak).select_related("sp2d", "termin").order_by("pk")
    ]
    return {
        "ocid": ocid,
        "id": f"{ocid}-{kontrak.adendum.count()}",
        "date": kontrak.tanggal.isoformat(),
        "tag": ["contract", *(["contractAmendment"] if kontrak.adendum.exists() else [])],
        "language": "id",
        "buyer": {"id": kontrak.unit.kode, "name": kontrak.unit.nama},
        "parties": [
            {"id": kontrak.unit.kode, "name": kontrak.unit.nama, "roles": ["buyer", "procuringEntity"]},
            {
                **supplier,
                "roles": ["supplier"],
                "identifier": {"scheme": "ID-NPWP", "id": format_npwp(kontrak.penyedia.npwp)},
            },
        ],
        "planning": {
            "budget": {
                "amount": {"amount": json_safe(paket.pagu), "currency": "IDR"},
                "description": paket.sumber_dana,
                "budgetBreakdown": [
                    {
                        "id": a.dpa_baris.kode,
                        "amount": {"amount": json_safe(a.nilai), "currency": "IDR"},
                    }
                    for a in paket.alokasi.select_related("dpa_baris__sub_kegiatan__sub_kegiatan")
                ],
            },
            "rupCode": paket.kode_rup,
        },
        "tender": {
            "id": paket.kode_rup or f"paket-{paket.pk}",
            "title": paket.nama,
            "procurementMethodDetails": paket.get_metode_display(),
            "mainProcurementCategory": paket.jenis,
            "value": {"amount": json_safe(kontrak.hps), "currency": "IDR"} if kontrak.hps is not None else None,
        },
        "awards": [
            {
                "id": f"award-{kontrak.pk}",
                "suppliers": [supplier],
                "value": {"amount": json_safe(kontrak.nilai_awal), "currency": "IDR"},
            }
        ],
        "contracts": [
            {
                "id": kontrak.nomor,
                "awardID": f"award-{kontrak.pk}",
                "status": {"berjalan": "active", "selesai": "terminated"}.get(kontrak.status, "cancelled"),
                "statusDetails": kontrak.get_status_display(),
                "dateSigned": kontrak.tanggal.isoformat(),
                "period": {"startDate": kontrak.mulai.isoformat(), "endDate": kontrak.selesai.isoformat()},
                "value": {"amount": json_safe(kontrak.nilai), "currency": "IDR"},
                "milestones": [
                    {
                        "id": f"termin-{t.urutan}",
                        "title": t.get_jenis_display(),
                        "type": "financing",
                        "value": {"amount": json_safe(t.nilai), "currency": "IDR"},
                        "description": f"{t.persen_fisik}%",
                    }
                    for t in kontrak.termin.order_by("urutan")
                ],
                "amendments": [
                    {
                        "id": str(a["urutan"]),
                        "date": a["tanggal"],
                        "rationale": a["alasan"],
                        "description": a["jenis_label"],
                        "changes": [
                            {"property": c["field"], "former_value": c["sebelum"], "new_value": c["sesudah"]}
                            for c in a["perubahan"]
                        ],
                    }
                    for a in riwayat(kontrak)
                ],
                "implementation": {"transactions": transactions},
            }
        ],
    }


ENUM_CSV = Path(__file__).resolve().parent / "data" / "kontrak_enum.csv"


@functools.cache
def keyakinan() -> dict[tuple[str, str], str]:
    """(enum, code) -> confidence of the reference row (data/kontrak_enum.csv, from the shared reference)."""
    with ENUM_CSV.open(encoding="utf-8") as handle:
        return {(row["enum"], row["code"]): row["confidence"] for row in csv.DictReader(handle)}


def unconfirmed(enum: str, code: str) -> bool:
    return keyakinan().get((enum, code), "unconfirmed") not in ("official", "local", "secondary")
