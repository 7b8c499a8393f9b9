"""Demo data of the belanja part, written through the services (see core/management/commands/demo.py): the ICT
DPA lines of Diskominfo and a few other OPDs (suggested by the data files) registered as ICT spending, some linked
to the architecture and the Peta Rencana, some not (the unlinked list has work); entered lines for a past year.
Idempotent: registered DPA lines are no longer suggested, entered lines are matched by description."""

from __future__ import annotations

import logging
from decimal import Decimal

from terpadu.core.context import acting

logger = logging.getLogger("terpadu.demo")
KOMINFO = "401.106"
MANUAL = [  # (uraian, kategori, nilai) entered for the year before the budget module
    ("Langganan internet kantor (dedicated 100 Mbps)", "konektivitas", "180000000"),
    ("Pengadaan 25 unit komputer PC", "perangkat_keras", "312500000"),
    ("Lisensi perangkat lunak perkantoran", "perangkat_lunak", "95000000"),
    ("Jasa pengembangan portal layanan publik", "jasa", "150000000"),
]


def seed(today) -> None:
    from terpadu.anggaran.models import DpaBaris
    from terpadu.organisasi.models import UnitKerja
    from terpadu.spbe import services_belanja as svc
    from terpadu.spbe.models import BelanjaTik, ElemenArsitektur, PetaRencanaItem

    kominfo = UnitKerja.objects.current().filter(kode=KOMINFO).first()
    if kominfo is None:
        logger.warning("demo_belanja: no Diskominfo (%s) in the demo city; nothing seeded", KOMINFO)
        return
    elemen = list(
        ElemenArsitektur.objects.exclude(status="dihentikan").filter(domain__in=["aplikasi", "infrastruktur"])[:4]
    )
    with acting(None, via="command"):
        years = sorted(set(DpaBaris.objects.values_list("tahun", flat=True)))
        for tahun in years[-1:]:
            saran = list(svc.saran_dpa_all(tahun)[:40])
            for n, dpa in enumerate(saran):
                links = {}
                if n % 3 != 2 and elemen:  # two of three linked, the rest left for Diskominfo's list
                    links["elemen"] = elemen[n % len(elemen)]
                    rencana = (
                        PetaRencanaItem.objects.filter(tahun__lte=tahun).exclude(status="batal").order_by("-tahun")
                    )
                    rencana = [r for r in rencana[:20] if tahun <= (r.tahun_selesai or r.tahun)]
                    if rencana and n % 3 == 0:
                        links["peta_rencana"] = rencana[n % len(rencana)]
                svc.daftarkan_dpa(None, [dpa], links=links)
        past = (years[0] if years else today.year) - 1
        for uraian, kategori, nilai in MANUAL:
            if BelanjaTik.objects.filter(tahun=past, unit=kominfo, uraian=uraian).exists():
                continue
            data = {"tahun": past, "unit": kominfo, "uraian": uraian, "kategori": kategori, "nilai": Decimal(nilai)}
            if elemen and kategori != "jasa":
                data["elemen"] = elemen[0]
            svc.buat(None, data)
