"""End to end through the services, as the personas would: planning → budget → contract → realisation → monev →
the public page, on one database.

Bappeda loads the year's codes and adopts an RPJMD with a sasaran, its indicator and target; Dinas Alfa's Renstra
links its sasaran PD to it, plans program → kegiatan → sub kegiatan with pagu indikatif, Bappeda adopts it; the
Renja is drawn from it. The budget administrator opens the murni round and sets the OPD's ceiling; the OPD
operator writes the RKA (one line from the SSH, others with a justification) and its cash plan; TAPD returns a
line with a note, the operator corrects it, TAPD approves: the DPA lines exist and the round is adopted. The PPK
makes a package on a DPA line and a contract with termin; the BUD books SP2D (one paying a termin); the operator
reports physical progress; the quarter's evaluation rates the sub kegiatan; anyone sees it on the portal.

The expected rating is looked up by hand in the committed band files (monev/data/*.csv) for the percentage the
test computes from its own amounts. Three bad inputs (RKA over the ceiling, contract over the package, SP2D over
the DPA line) are refused with a message naming the figures, and nothing is written (not even an audit event).
The audit chain verifies at the end.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from conftest import make_pegawai
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

import terpadu.monev
from terpadu.core import audit, authz
from terpadu.core.context import acting
from terpadu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

TAHUN = 2025  # a past year: physical progress can be reported for every month of it
KODE_SUB = "2.16.03.2.02.0023"
ATK, MAMIN, SWITCH = "5.1.02.01.01.0024", "5.1.02.01.01.0052", "5.2.02.10.02.0004"
PAGU_OPD = Decimal("500000000")
PENYEDIA = "CV Jaringan Andal Sukamaju"
BANDS = Path(terpadu.monev.__file__).resolve().parent / "data"
M = 1_000_000


# -- helpers ---------------------------------------------------------------------------------------------------


def persona(username: str, role: str, unit=None):
    """A signed-in employee holding `role` (over `unit`, or the whole pemda)."""
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.organisasi import services as org

    with acting(None, via="command"):
        user = access.create_user(username, "Rahasia-Uji-12345", pegawai=make_pegawai(org, username.title()))
        access.assign_role(user, Role.objects.get(code=role), unit)
    authz.forget(user)
    return user


def give(user, role: str, unit=None):
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role

    with acting(None, via="command"):
        access.assign_role(user, Role.objects.get(code=role), unit)
    authz.forget(user)
    return user


def as_(user, action: str, obj=None):
    """Act as `user` (the web does the same), after checking the gate gives them `action` (on `obj`)."""
    assert authz.can(user, action, obj), f"{user} may not {action} {obj!r}"
    return acting(user, via="web")


def refused(fn, *args, must_name: list[str], **kwargs) -> str:
    """Call a service that must refuse: a ValidationError whose text names every figure in `must_name`, and not a
    row nor an audit event written."""
    from terpadu.anggaran.models import DpaBaris, RincianBelanja
    from terpadu.kontrak.models import Kontrak
    from terpadu.realisasi.models import Realisasi, Sp2d

    def counts():
        models = (RincianBelanja, DpaBaris, Kontrak, Sp2d, Realisasi, AuditEvent)
        return {m.__name__: m.objects.count() for m in models}

    before = counts()
    with pytest.raises(ValidationError) as caught:
        fn(*args, **kwargs)
    text = " ".join(caught.value.messages)
    for figure in must_name:
        assert figure in text, f"{figure!r} missing from the refusal: {text}"
    assert counts() == before, "a refused change wrote something"
    return text


def rp(value) -> str:
    """How the services' messages print money (whole rupiah, the active language's grouping; tests run in en)."""
    return "Rp " + f"{Decimal(value).quantize(Decimal('1')):,}"


def quarter_band(triwulan: int, pct: Decimal) -> str:
    """The category of monev_quarter_bands.csv holding `pct` for the quarter (min inclusive, max exclusive)."""
    with open(BANDS / "monev_quarter_bands.csv", newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if int(r["triwulan"]) == triwulan]
    found = [
        r["category"]
        for r in rows
        if (not r["min_inclusive"] or pct >= Decimal(r["min_inclusive"]))
        and (not r["max_exclusive"] or pct < Decimal(r["max_exclusive"]))
    ]
    assert len(found) == 1, f"{pct} should sit inside exactly one TW{triwulan} band of the file, not {found}"
    return found[0]


def annual_band(pct: Decimal) -> str:
    """The category of monev_rating_bands.csv holding `pct`, honouring its inclusive flags."""
    found = []
    with open(BANDS / "monev_rating_bands.csv", newline="", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            low_ok = not r["min"] or (
                pct >= Decimal(r["min"]) if r["min_inclusive"] == "true" else pct > Decimal(r["min"])
            )
            high_ok = not r["max"] or (
                pct <= Decimal(r["max"]) if r["max_inclusive"] == "true" else pct < Decimal(r["max"])
            )
            if low_ok and high_ok:
                found.append(r["category"])
    assert len(found) == 1, f"{pct} should sit inside exactly one band of the file, not {found}"
    return found[0]


def digits(html: str, element_id: str) -> int:
    """The amount shown in the element with that id, whatever the grouping of the language."""
    match = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    assert match, f"no #{element_id} on the page"
    return int(re.sub(r"\D", "", match.group(1)))


# -- the chain ---------------------------------------------------------------------------------------------------


def test_rpjmd_indicator_to_public_page_through_the_services(city):
    from terpadu.anggaran import services_master as anggaran_master
    from terpadu.anggaran import services_rka as rka_svc
    from terpadu.anggaran.models import DpaBaris, RincianBelanja, Rka, TahapAnggaran
    from terpadu.kontrak import services as kontrak_svc
    from terpadu.monev import services_evaluasi as monev
    from terpadu.monev.models import EvaluasiSubKegiatan
    from terpadu.perencanaan import services_master as perencanaan_master
    from terpadu.perencanaan import services_rencana as rencana
    from terpadu.perencanaan.models import Level, Status
    from terpadu.realisasi import services as realisasi
    from terpadu.realisasi.models import ProgresFisik

    bappeda = persona("bappeda", "perencana")
    bkad = persona("bkad", "admin-anggaran")
    tapd = persona("tapd", "tapd")
    bud = persona("bud", "bud")
    ppk = persona("ppk.alfa", "ppk", city.dinas_a)
    operator = give(city.staff_same, "operator-opd", city.dinas_a)
    pimpinan = city.pimpinan  # head of Dinas Alfa: monev.evaluate over it

    # 1. master data of the year, from the shipped reference files (the services' own loaders)
    with acting(None, via="command"):
        perencanaan_master.load_reference(perencanaan_master.NOMENKLATUR, TAHUN)
        perencanaan_master.load_reference(anggaran_master.REKENING, TAHUN)
        ssh, _created = anggaran_master.save_standar_harga(
            TAHUN,
            {"kode": "SSH.E2E.001", "jenis": "ssh", "uraian": "Kertas HVS A4", "spesifikasi": "80 gram",
             "satuan": "rim", "harga": "55000", "rekening": [ATK]},
        )  # fmt: skip
        monev.muat_skala()
    assert perencanaan_master.nomenklatur(TAHUN, KODE_SUB).level == Level.SUB_KEGIATAN
    assert anggaran_master.rekening(TAHUN, SWITCH).kode == SWITCH

    # 2. RPJMD with a sasaran and its indicator and target, adopted by Bappeda
    with as_(bappeda, "perencanaan.change"):
        rpjmd = rencana.create_rpjmd(
            {"nama": "RPJMD Kota Uji", "visi": "Kota cerdas", "tahun_awal": TAHUN - 1, "tahun_akhir": TAHUN + 3}
        )
        misi = rencana.create_misi(rpjmd, {"nomor": 1, "uraian": "Tata kelola pemerintahan digital"})
        tujuan = rencana.create_tujuan(misi, {"kode": "T1", "uraian": "Pemerintahan yang efektif"})
        sasaran = rencana.create_sasaran(tujuan, {"kode": "S1.1", "uraian": "Meningkatnya kualitas SPBE"})
        indeks = rencana.add_indikator(
            sasaran,
            {"uraian": "Indeks SPBE", "satuan": "indeks", "polaritas": "naik", "baseline": "2.5",
             "tahun_baseline": TAHUN - 2},
            targets={TAHUN: "3.2"},
        )  # fmt: skip
        rencana.adopt_rpjmd(rpjmd)
    rpjmd.refresh_from_db()
    assert rpjmd.status == Status.DITETAPKAN

    # 3. Renstra of Dinas Alfa: its sasaran PD serves the city sasaran; program → kegiatan → sub kegiatan
    with as_(bappeda, "perencanaan.change"):
        renstra = rencana.create_renstra(rpjmd, city.dinas_a)
    assert authz.can(operator, "perencanaan.plan", renstra)
    with acting(operator, via="web"):
        tujuan_pd = rencana.create_tujuan_pd(
            renstra, {"kode": "TPD1", "uraian": "SPBE terpadu", "tujuan_rpjmd": tujuan}
        )
        sasaran_pd = rencana.create_sasaran_pd(
            tujuan_pd, {"kode": "SPD1", "uraian": "Layanan terintegrasi", "sasaran_rpjmd": sasaran}
        )
        program = rencana.add_item(renstra, {"kode": "2.16.03", "sasaran_pd": sasaran_pd, "tahun": TAHUN})
        kegiatan = rencana.add_item(renstra, {"kode": "2.16.03.2.02", "parent": program})
        item = rencana.add_item(
            renstra, {"kode": KODE_SUB, "parent": kegiatan, "pagu": {TAHUN: "80000000", TAHUN + 1: "90000000"}}
        )
        rencana.add_indikator(
            item, {"uraian": "Layanan terintegrasi", "satuan": "layanan", "baseline": "4", "tahun_baseline": TAHUN - 1},
            targets={TAHUN: "10"},
        )  # fmt: skip
    with as_(bappeda, "perencanaan.change", renstra):
        rencana.adopt_renstra(renstra)

    # 4. the Renja drawn from the Renstra, adopted
    with acting(operator, via="web"):
        drawn = rencana.draw_renja(city.dinas_a, TAHUN)
    assert not drawn.unmapped and len(drawn.created) == 1
    sub = drawn.created[0]
    assert (sub.sub_kegiatan.kode, sub.renstra_item_id, sub.pagu_indikatif) == (KODE_SUB, item.pk, 80 * M)
    assert sub.renstra_item.sasaran_pd.sasaran_rpjmd == sasaran  # the cascade, upwards
    assert sub.indikator.get().target.get(tahun=TAHUN).target == 10
    with as_(bappeda, "perencanaan.change", drawn.renja):
        rencana.adopt_renja(drawn.renja)

    # 5. the murni round and the OPD's ceiling (budget administrator)
    with as_(bkad, "anggaran.configure"):
        tahap = rka_svc.buka_tahap(bkad, TAHUN, TahapAnggaran.Jenis.MURNI)
        rka_svc.set_pagu(bkad, tahap, city.dinas_a, PAGU_OPD)

    # 6. the OPD operator writes the RKA: an SSH line, lines with a justification, the cash plan; and submits
    with as_(operator, "anggaran.draft", sub):
        rka = rka_svc.buat_rka(operator, tahap, sub)
        kertas = rka_svc.tambah_rincian(operator, rka, {"kode_rekening": ATK, "uraian": "Kertas HVS A4 80 gram",
                                                        "volume": "100", "kode_ssh": ssh.kode})  # fmt: skip
        mamin = rka_svc.tambah_rincian(
            operator, rka, {"kode_rekening": MAMIN, "uraian": "Makan minum rapat koordinasi", "volume": "400",
                            "satuan": "kotak", "harga_satuan": "40000",
                            "justifikasi": "Rapat koordinasi kota cerdas; belum ada di SSH"},
        )  # fmt: skip
        switch = rka_svc.tambah_rincian(
            operator, rka, {"kode_rekening": SWITCH, "uraian": "Switch jaringan 24 port", "volume": "4",
                            "satuan": "unit", "harga_satuan": "12500000",
                            "justifikasi": "Spesifikasi khusus, tidak ada di SSH"},
        )  # fmt: skip
    assert kertas.standar_harga == ssh and (kertas.satuan, kertas.harga_satuan, kertas.jumlah) == (
        "rim",
        55000,
        5_500_000,
    )
    assert mamin.jumlah == 16 * M and switch.jumlah == 50 * M
    rka.refresh_from_db()
    assert rka.total == Decimal("71500000")

    # bad input 1: a line taking the OPD over its ceiling names the excess, and writes nothing
    over = Decimal(1000) * Decimal(500000)  # 500,000,000 more on top of 71,500,000
    with acting(operator, via="web"):
        refused(
            rka_svc.tambah_rincian, operator, rka,
            {"kode_rekening": ATK, "uraian": "Terlalu banyak", "volume": "1000", "satuan": "paket",
             "harga_satuan": "500000", "justifikasi": "uji"},
            must_name=[city.dinas_a.nama, rp(PAGU_OPD), rp(rka.total + over - PAGU_OPD)],
        )  # fmt: skip

    kas = [0, 0, 0, 5, 10, 20, 10, 10, 5, 5, Decimal("2.5"), 4]  # millions; 71.5 in all
    with acting(operator, via="web"):
        rka_svc.simpan_kas(operator, rka, [Decimal(v) * M for v in kas])
        rka_svc.ajukan(operator, rka)

    # 7. TAPD returns the switch line with a note; the operator corrects it; TAPD approves
    note = "Harga satuan switch di atas harga pasar: sesuaikan."
    with as_(tapd, "anggaran.verify", rka):
        rka_svc.kembalikan(tapd, rka, "", {switch.pk: note})
    switch.refresh_from_db()
    rka.refresh_from_db()
    assert rka.status == Rka.Status.DIKEMBALIKAN
    assert (switch.perlu_perbaikan, switch.catatan_verifikasi) == (True, note)
    with as_(operator, "anggaran.draft", rka):
        switch = rka_svc.ubah_rincian(operator, switch, {"harga_satuan": "12000000"})
        kas[-1] = 2  # the plan follows the corrected total
        rka_svc.simpan_kas(operator, rka, [Decimal(v) * M for v in kas])
        rka_svc.ajukan(operator, rka)
    assert switch.jumlah == 48 * M and not switch.perlu_perbaikan and switch.catatan_verifikasi == note
    with as_(tapd, "anggaran.verify", rka):
        rka_svc.setujui(tapd, rka)
    rka.refresh_from_db()
    total = Decimal(5_500_000 + 16 * M + 48 * M)
    assert rka.status == Rka.Status.DISETUJUI and rka.total == total and rka.disetujui_oleh == tapd

    # 8. the DPA lines exist, one per kode rekening, at the approved amounts; the round is adopted
    dpa = {d.kode_rekening: d for d in DpaBaris.objects.filter(sub_kegiatan=sub)}
    assert {k: d.pagu for k, d in dpa.items()} == {ATK: 5_500_000, MAMIN: 16 * M, SWITCH: 48 * M}
    assert all(d.pagu_murni == d.pagu and d.tahap == tahap and d.unit == city.dinas_a for d in dpa.values())
    with as_(bkad, "anggaran.configure"):
        rka_svc.tetapkan_tahap(bkad, tahap)
    tahap.refresh_from_db()
    assert tahap.status == TahapAnggaran.Status.DITETAPKAN
    assert rka_svc.kas_kumulatif(sub, 6) == 35 * M

    # 9. the PPK: a package on the switch line, the supplier, a contract with two termin
    with as_(ppk, "kontrak.manage", dpa[SWITCH]):
        paket = kontrak_svc.create_paket(
            city.dinas_a, TAHUN,
            {"nama": "Pengadaan switch jaringan", "kode_rup": "RUP-E2E-1", "metode": "pengadaan_langsung",
             "jenis": "barang"},
            [(dpa[SWITCH], 48 * M)],
        )  # fmt: skip
        penyedia = kontrak_svc.create_penyedia({"nama": PENYEDIA, "npwp": "01.234.567.8-901.000"})
    assert paket.pagu == 48 * M and kontrak_svc.tersedia(dpa[SWITCH]) == 0

    kontrak_data = {
        "nomor": "027/KTR-SW/2025", "tanggal": dt.date(TAHUN, 4, 10), "penyedia": penyedia,
        "jenis_kontrak": "lumsum", "mulai": dt.date(TAHUN, 4, 14), "selesai": dt.date(TAHUN, 8, 31),
    }  # fmt: skip
    # bad input 2: a contract above the package's pagu
    with acting(ppk, via="web"):
        refused(
            kontrak_svc.create_kontrak, paket, {**kontrak_data, "nilai": "48000001"},
            must_name=[paket.nama, kontrak_svc.rupiah(48 * M), kontrak_svc.rupiah(48 * M + 1)],
        )  # fmt: skip
    with as_(ppk, "kontrak.manage", paket):
        kontrak = kontrak_svc.create_kontrak(paket, {**kontrak_data, "nilai": "45000000"})
        termin1 = kontrak_svc.add_termin(kontrak, {"jenis": "termin", "persen_fisik": "30", "nilai": "20000000"})
        kontrak_svc.add_termin(kontrak, {"jenis": "termin", "persen_fisik": "100", "nilai": "25000000"})

    # 10. the BUD books SP2D: one paying termin 1 of the contract, others on the other lines; one in July
    with as_(bud, "realisasi.record", dpa[SWITCH]):
        paid = realisasi.book(
            dpa_baris=dpa[SWITCH], nilai=Decimal(20 * M), tanggal=dt.date(TAHUN, 5, 20), nomor="SP2D/0415/LS/2025",
            uraian="Pembayaran termin 1 switch jaringan", termin=termin1, user=bud,
        )  # fmt: skip
        realisasi.record_sp2d(
            {"nomor": "SP2D/0311/GU/2025", "tanggal": dt.date(TAHUN, 4, 8), "jenis": "GU", "uraian": "GU ATK",
             "unit": city.dinas_a},
            [(dpa[ATK], Decimal(2 * M), None)], bud,
        )  # fmt: skip
        realisasi.record_sp2d(
            {"nomor": "SP2D/0588/LS/2025", "tanggal": dt.date(TAHUN, 6, 12), "jenis": "LS",
             "uraian": "Makan minum rapat TW II"},
            [(dpa[MAMIN], Decimal(6 * M), None)], bud,
        )  # fmt: skip
        realisasi.book(
            dpa_baris=dpa[MAMIN], nilai=Decimal(3 * M), tanggal=dt.date(TAHUN, 7, 3), nomor="SP2D/0702/LS/2025",
            uraian="Makan minum rapat Juli", user=bud,
        )  # fmt: skip
    assert paid.rincian.get().termin == termin1 and realisasi.terbayar(termin1) == 20 * M

    # bad input 3: an SP2D over what the ATK line has left names the line, its pagu, realised and requested
    with acting(bud, via="web"):
        refused(
            realisasi.book, dpa_baris=dpa[ATK], nilai=Decimal(3_500_001), tanggal=dt.date(TAHUN, 6, 30),
            nomor="SP2D/0600/LS/2025", uraian="Lebih dari pagu", user=bud,
            must_name=[dpa[ATK].kode, realisasi.rupiah(5_500_000), realisasi.rupiah(2 * M),
                       realisasi.rupiah(3_500_001)],
        )  # fmt: skip

    # 11. the operator reports physical progress for the months of the quarter
    progress = {4: "15", 5: "30", 6: "45"}
    with as_(operator, "realisasi.progress", sub):
        for bulan, persen in progress.items():
            realisasi.lapor_progres(
                sub_kegiatan=sub, bulan=bulan, persen=persen, narasi=f"Pemasangan switch bulan {bulan}", user=operator
            )
    assert ProgresFisik.objects.filter(sub_kegiatan=sub).count() == 3
    assert realisasi.progres_fisik(sub, 6) == 45

    # 12. the quarterly evaluation (TW II) computed from the ledger, and the indicator's capaian
    realised_tw2 = Decimal(20 * M + 2 * M + 6 * M)  # the July SP2D is after the quarter
    kas_tw2 = Decimal(35 * M)
    pct = (realised_tw2 / total * 100).quantize(Decimal("0.0001"), ROUND_HALF_UP)  # 40.2878
    with acting(None, via="command"):
        periods = monev.pastikan_periode(TAHUN)
    tw2 = periods[1]
    assert (tw2.tahun, tw2.triwulan) == (TAHUN, 2)
    with as_(pimpinan, "monev.evaluate", sub):
        monev.siapkan_evaluasi(tw2, pimpinan, unit_ids=[city.dinas_a.pk])
        capaian = monev.simpan_capaian(tw2, indeks, "3.0", pimpinan)
    evaluasi = EvaluasiSubKegiatan.objects.get(periode=tw2, sub_kegiatan=sub)
    assert (evaluasi.pagu, evaluasi.realisasi_keuangan, evaluasi.target_kas) == (total, realised_tw2, kas_tw2)
    assert evaluasi.persen_keuangan == pct and evaluasi.realisasi_fisik == 45
    assert evaluasi.kategori == quarter_band(2, pct)
    pct_kas = (realised_tw2 / kas_tw2 * 100).quantize(Decimal("0.0001"))  # 80
    assert evaluasi.kategori_capaian == annual_band(pct_kas)
    capaian_pct = Decimal("3.0") / Decimal("3.2") * 100  # 93.75, higher is better
    assert capaian.capaian == capaian_pct and capaian.kategori == annual_band(capaian_pct)
    anonymous = Client()
    anonymous.cookies["terpadu_language"] = "en"
    draft_page = anonymous.get(reverse("transparansi:sub_kegiatan", args=[sub.pk])).content.decode()
    assert "evaluasi-kategori" not in draft_page  # a draft evaluation is not published
    with as_(operator, "monev.evaluate", evaluasi):
        monev.simpan_evaluasi(
            evaluasi, {"faktor_pendorong": "Kontrak switch tepat waktu", "tindak_lanjut": "Percepat termin 2"}, operator
        )
        monev.kirim_evaluasi(evaluasi, operator)
    evaluasi.refresh_from_db()
    assert evaluasi.status == EvaluasiSubKegiatan.Status.DIKIRIM and evaluasi.kategori == quarter_band(2, pct)

    # 13. the public page and the open API show the pagu, realisation, contract, progress and rating (no sign-in)
    anonymous.cookies["terpadu_language"] = "en"
    realised_all = realised_tw2 + 3 * M
    page = anonymous.get(reverse("transparansi:sub_kegiatan", args=[sub.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert digits(html, "pagu") == total and digits(html, "realisasi") == realised_all
    assert PENYEDIA in html and "Pengadaan switch jaringan" in html
    shown = re.search(re.escape(PENYEDIA) + r" · Rp ([\d.,]+)", html)
    assert shown and int(re.sub(r"\D", "", shown.group(1))) == 45 * M
    assert re.search(r'aria-label="Physical progress" aria-valuenow="45\.0"', html)
    rating = re.search(r'class="badge[^"]*evaluasi-kategori">([^<]*)<', html)
    assert rating and rating.group(1) == quarter_band(2, pct)

    api = anonymous.get("/api/v1/publik/anggaran/sub-kegiatan/", {"tahun": TAHUN, "kode": KODE_SUB})
    assert api.status_code == 200, api.content
    (row,) = api.json()["results"]
    assert (row["id"], row["unit_id"], row["sumber_pagu"]) == (sub.pk, city.dinas_a.pk, "dpa")
    assert Decimal(row["pagu"]) == total and Decimal(row["realisasi"]) == realised_all
    assert Decimal(row["persen_fisik"]) == 45 and row["bulan_fisik"] == 6
    contracts = anonymous.get("/api/v1/publik/anggaran/kontrak/", {"tahun": TAHUN}).json()["results"]
    (published,) = [c for c in contracts if c["id"] == kontrak.pk]
    assert published["penyedia"].startswith(PENYEDIA)
    assert Decimal(published["nilai"]) == 45 * M and Decimal(published["dibayar"]) == 20 * M

    # 14. every step left its audit event, and the chain verifies
    assert RincianBelanja.objects.filter(rka=rka).count() == 3
    for obj, action in ((rka, "approve"), (kontrak, "create"), (paid, "realisasi.sp2d_dicatat")):
        assert audit.history(obj).filter(action=action).exists(), (obj, action)
    result = audit.verify()
    assert result.ok, result
