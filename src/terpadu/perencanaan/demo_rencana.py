"""Demo data of the rencana part, written through the services (see core/management/commands/demo.py).

Kota Sukamaju's RPJMD (today.year-1 … today.year+3, adopted) with three misi, their tujuan and sasaran with
indicators and yearly targets and a few priority programs; for every OPD with demo codes an adopted Renstra
(items in the edition of the RPJMD's first year) and an adopted Renja of today.year drawn from it (so the codes
are carried across the two nomenklatur editions through the mapping)."""

from __future__ import annotations

import random
import re
from decimal import Decimal

NAME = "RPJMD Kota Sukamaju"
MISI = [
    (
        1,
        "Mewujudkan tata kelola pemerintahan yang bersih, efektif dan berbasis digital",
        ("T1", "Meningkatkan kualitas tata kelola pemerintahan",
         ("Indeks Reformasi Birokrasi", "indeks", "naik", 62, 2)),
        [
            ("S1.1", "Meningkatnya akuntabilitas kinerja dan keuangan daerah", ("Nilai SAKIP", "nilai", "naik", 68, 2)),
            ("S1.2", "Meningkatnya kualitas penyelenggaraan SPBE", ("Indeks SPBE", "indeks", "naik", 2.6, 0.2)),
        ],
    ),
    (
        2,
        "Meningkatkan kualitas sumber daya manusia yang sehat, cerdas dan berbudaya",
        ("T2", "Meningkatkan kualitas hidup masyarakat", ("Indeks Pembangunan Manusia", "indeks", "naik", 78.1, 0.4)),
        [
            ("S2.1", "Meningkatnya derajat kesehatan masyarakat",
             ("Angka kematian bayi", "per 1.000 kelahiran hidup", "turun", 9.5, -0.5)),
            ("S2.2", "Meningkatnya kualitas dan pemerataan pendidikan",
             ("Rata-rata lama sekolah", "tahun", "naik", 10.9, 0.1)),
        ],
    ),
    (
        3,
        "Mewujudkan perekonomian yang tangguh dan infrastruktur kota yang berkelanjutan",
        ("T3", "Meningkatkan kesejahteraan dan kualitas lingkungan kota",
         ("PDRB per kapita", "juta rupiah", "naik", 58, 3)),
        [
            ("S3.1", "Meningkatnya pertumbuhan ekonomi daerah",
             ("Laju pertumbuhan ekonomi", "persen", "naik", 5.1, 0.1)),
            ("S3.2", "Meningkatnya kualitas infrastruktur dan lingkungan hidup",
             ("Persentase jalan dalam kondisi mantap", "persen", "naik", 82, 2)),
            ("S3.3", "Menurunnya angka kemiskinan", ("Persentase penduduk miskin", "persen", "turun", 4.9, -0.2)),
        ],
    ),
]  # fmt: skip
SASARAN_OPD = {
    "401.101": "S2.2",
    "401.102": "S2.1",
    "401.103": "S3.2",
    "401.104": "S3.2",
    "401.105": "S3.3",
    "401.106": "S1.2",
    "401.108": "S3.2",
    "401.109": "S3.2",
    "401.110": "S3.1",
    "401.111": "S3.1",
    "401.112": "S3.1",
    "401.113": "S3.3",
    "401.114": "S3.1",
    "401.116": "S3.3",
}
OPD_CODE = re.compile(r"^401\.[12]\d\d$")


def _targets(base, step, years, baseline_year) -> dict:
    return {t: Decimal(str(round(base + step * (t - baseline_year), 4))) for t in years}


def seed(today) -> None:
    from terpadu.organisasi import reference
    from terpadu.organisasi.models import UnitKerja
    from terpadu.perencanaan import demo_master
    from terpadu.perencanaan import services_rencana as services
    from terpadu.perencanaan.models import Rpjmd

    if Rpjmd.objects.filter(nama=NAME).exists():
        return
    tahun = today.year
    rpjmd = services.create_rpjmd(
        {
            "nama": NAME,
            "tahun_awal": tahun - 1,
            "tahun_akhir": tahun + 3,
            "visi": "Sukamaju Kota Cerdas, Sejahtera dan Berkelanjutan",
            "dasar_hukum": f"Perda Kota Sukamaju Nomor 3 Tahun {tahun - 1} (demo)",
        }
    )
    years, baseline_year = rpjmd.tahun_list, tahun - 2
    sasaran = {}
    for nomor, uraian, (t_kode, t_uraian, t_ind), daftar in MISI:
        misi = services.create_misi(rpjmd, {"nomor": nomor, "uraian": uraian})
        tujuan = services.create_tujuan(misi, {"kode": t_kode, "uraian": t_uraian})
        _indikator(services, tujuan, t_ind, years, baseline_year)
        for s_kode, s_uraian, s_ind in daftar:
            sasaran[s_kode] = services.create_sasaran(tujuan, {"kode": s_kode, "uraian": s_uraian})
            _indikator(services, sasaran[s_kode], s_ind, years, baseline_year)

    units = [
        u
        for u in UnitKerja.objects.current().filter(jenis__in=reference.opd_kinds()).order_by("kode")
        if OPD_CODE.match(u.kode or "")
    ]
    plans = []
    for unit in units:
        edition = tahun - 1
        codes = demo_master.codes_for_unit(unit, edition)
        if not codes:
            edition, codes = tahun, demo_master.codes_for_unit(unit, tahun)
        if codes:
            plans.append((unit, edition, codes))
    priority = 0
    for unit, edition, codes in plans:
        target = sasaran[SASARAN_OPD.get(unit.kode, "S1.1")]
        program = codes[0].parent.parent if codes[0].parent_id and codes[0].parent.parent_id else None
        if program is not None and edition == rpjmd.tahun_awal and priority < 6 and not program.kode.startswith("X"):
            rng = random.Random(f"pp-{unit.kode}")  # noqa: S311 - demo data
            services.add_program_prioritas(
                target,
                {"kode": program.kode, "unit": unit, "pagu_indikatif": Decimal(rng.randint(20, 80)) * 100_000_000},
            )
            priority += 1
    services.adopt_rpjmd(rpjmd)

    for index, (unit, edition, codes) in enumerate(plans):
        _renstra(services, rpjmd, unit, edition, codes, sasaran[SASARAN_OPD.get(unit.kode, "S1.1")], index)
        result = services.draw_renja(unit, tahun)
        if result.renja.sub_kegiatan.exists():
            services.adopt_renja(result.renja)


def _indikator(services, owner, spec, years, baseline_year):
    uraian, satuan, polaritas, base, step = spec
    services.add_indikator(
        owner,
        {"uraian": uraian, "satuan": satuan, "polaritas": polaritas, "baseline": Decimal(str(base)),
         "tahun_baseline": baseline_year},
        _targets(base, step, years, baseline_year),
    )  # fmt: skip


def _renstra(services, rpjmd, unit, edition, codes, sasaran, index):
    rng = random.Random(f"renstra-{unit.kode}")  # noqa: S311 - demo data
    years = rpjmd.tahun_list
    renstra = services.create_renstra(rpjmd, unit)
    tujuan_pd = services.create_tujuan_pd(
        renstra, {"kode": "T1", "uraian": f"Meningkatkan kinerja layanan {unit.nama}", "tujuan_rpjmd": sasaran.tujuan}
    )
    sasaran_pd = services.create_sasaran_pd(
        tujuan_pd, {"kode": "S1", "uraian": f"Meningkatnya kualitas layanan {unit.nama}", "sasaran_rpjmd": sasaran}
    )
    _indikator(services, sasaran_pd, ("Indeks kepuasan masyarakat", "indeks", "naik", 78 + index % 5, 1.5), years,
               years[0] - 1)  # fmt: skip
    kegiatan_nom = codes[0].parent
    program_nom = kegiatan_nom.parent
    program = services.add_item(renstra, {"kode": program_nom.kode, "sasaran_pd": sasaran_pd, "tahun": edition})
    kegiatan = services.add_item(renstra, {"kode": kegiatan_nom.kode, "parent": program})
    for code in codes:
        base = Decimal(rng.randint(15, 150)) * 10_000_000
        pagu = {t: (base * Decimal(str(1 + 0.05 * (t - years[0])))).quantize(Decimal("1000000")) for t in years}
        item = services.add_item(renstra, {"kode": code.kode, "parent": kegiatan, "pagu": pagu})
        start = rng.randint(2, 8)
        _indikator(
            services,
            item,
            (
                code.indikator or f"Jumlah keluaran {code.nama[:120]}",
                code.satuan or "dokumen",
                "naik",
                start,
                1 + start // 3,
            ),
            years,
            years[0] - 1,
        )
    services.adopt_renstra(renstra)
    return renstra
