"""Demo data of the realisasi part, written through the services (see core/management/commands/demo.py).

Deterministic (random.Random seeded by the year): for every month up to today's, one SP2D per OPD sub kegiatan
following its cash plan (anggaran kas) — a few sub kegiatan deliberately lag at about half of it —, contract
termin paid by LS SP2D every other month from the contract's start, and monthly physical progress with a few
generated photos. Nothing happens when there is no DPA for the year or the year already has SP2D.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import ROUND_DOWN, Decimal

ZERO = Decimal("0")
THOUSAND = Decimal("1000")
LAG_SHARE = 0.15  # share of sub kegiatan left lagging their cash plan (early-warning material for monev)


def _round(value: Decimal) -> Decimal:
    return (value / THOUSAND).quantize(Decimal("1"), rounding=ROUND_DOWN) * THOUSAND


def _photo(rng: random.Random, label: str):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 360), (rng.randint(90, 200), rng.randint(90, 200), rng.randint(90, 200)))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 200, 440, 330), fill=(120, 110, 100))
    draw.text((48, 40), label[:40], fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return SimpleUploadedFile("progres.jpg", out.getvalue(), content_type="image/jpeg")


def seed(today) -> None:
    from terpadu.anggaran.models import DpaBaris
    from terpadu.kontrak.models import Kontrak, PaketDpa
    from terpadu.realisasi import services
    from terpadu.realisasi.models import Sp2d
    from terpadu.realisasi.views import kas_kumulatif

    tahun = today.year
    lines = list(
        DpaBaris.objects.filter(tahun=tahun).select_related("sub_kegiatan__sub_kegiatan", "unit").order_by("pk")
    )
    if not lines or Sp2d.objects.filter(tahun=tahun).exists():
        return
    rng = random.Random(tahun * 1000 + 6)
    package_lines = set(PaketDpa.objects.filter(dpa_baris__tahun=tahun).values_list("dpa_baris_id", flat=True))
    subs: dict[int, list] = {}
    for line in lines:
        subs.setdefault(line.sub_kegiatan_id, []).append(line)
    factor = {pk: (rng.uniform(0.35, 0.6) if rng.random() < LAG_SHARE else rng.uniform(0.85, 1.0)) for pk in subs}
    booked = dict.fromkeys(subs, ZERO)
    remaining = {line.pk: line.pagu for line in lines}
    counter = [0]

    def number(unit) -> str:
        counter[0] += 1
        return f"{counter[0]:05d}/SP2D/{unit.kode}/{tahun}"

    def day_in(month: int) -> dt.date:
        last = today.day if month == today.month else 28
        return dt.date(tahun, month, rng.randint(1, max(1, last)))

    contracts = list(
        Kontrak.objects.filter(tahun=tahun).prefetch_related("termin", "paket__alokasi__dpa_baris").order_by("pk")
    )
    for bulan in range(1, today.month + 1):
        for kontrak in contracts:
            _pay_termin(services, kontrak, bulan, today, remaining, booked, number, day_in, rng)
        for sub_pk, sub_lines in subs.items():
            plan = kas_kumulatif(sub_lines[0].sub_kegiatan, bulan)
            if not plan:
                continue
            delta = _round(plan * Decimal(str(round(factor[sub_pk], 3))) - booked[sub_pk])
            spendable = [line for line in sub_lines if line.pk not in package_lines and remaining[line.pk] > 0]
            if delta <= 0 or not spendable:
                continue
            rng.shuffle(spendable)
            parts = []
            for line in spendable:
                take = min(delta, _round(remaining[line.pk]))
                if take > 0:
                    parts.append((line, take, None))
                    delta -= take
                if delta <= 0 or len(parts) == 3:
                    break
            if not parts:
                continue
            unit = sub_lines[0].unit
            data = {
                "nomor": number(unit),
                "tanggal": day_in(bulan),
                "jenis": rng.choice(["GU", "LS", "LS", "TU"]),
                "uraian": f"Belanja {sub_lines[0].sub_kegiatan.sub_kegiatan.nama}"[:500],
                "unit": unit,
                "sumber": rng.choice([Sp2d.Sumber.IMPOR, Sp2d.Sumber.IMPOR, Sp2d.Sumber.MANUAL]),
            }
            services.record_sp2d(data, parts)
            for line, amount, _termin in parts:
                remaining[line.pk] -= amount
                booked[sub_pk] += amount
    _progress(services, subs, factor, today, rng)


def _pay_termin(services, kontrak, bulan, today, remaining, booked, number, day_in, rng) -> None:
    from django.core.exceptions import ValidationError

    start = kontrak.mulai.month if kontrak.mulai.year == today.year else 1
    for termin in kontrak.termin.all():
        due = start + 2 * termin.urutan - 1
        if due != bulan:
            continue
        funding = [a.dpa_baris for a in kontrak.paket.alokasi.all() if a.dpa_baris.tahun == today.year]
        line = next((d for d in funding if remaining.get(d.pk, ZERO) >= termin.nilai), None)
        if line is None:
            return
        try:
            services.book(
                dpa_baris=line,
                nilai=termin.nilai,
                tanggal=day_in(bulan),
                nomor=number(line.unit),
                uraian=f"Pembayaran {termin} ({kontrak.penyedia.nama})"[:500],
                jenis="LS",
                sumber="impor",
                termin=termin,
            )
        except ValidationError:
            return  # the contract or termin is already paid up (e.g. an adendum lowered it)
        remaining[line.pk] -= termin.nilai
        booked[line.sub_kegiatan_id] = booked.get(line.sub_kegiatan_id, ZERO) + termin.nilai


def _progress(services, subs, factor, today, rng) -> None:
    from django.db.models import Sum

    from terpadu.realisasi.models import Realisasi

    photos_left = 6
    for sub_pk, sub_lines in subs.items():
        sub = sub_lines[0].sub_kegiatan
        pagu = sum((line.pagu for line in sub_lines), ZERO)
        if not pagu:
            continue
        persen = ZERO
        for bulan in range(1, today.month + 1):
            done = Realisasi.objects.filter(sub_kegiatan=sub, bulan__lte=bulan).aggregate(t=Sum("nilai"))["t"] or ZERO
            target = min(Decimal(100), done * 100 / pagu * Decimal(str(round(rng.uniform(0.9, 1.15), 2))))
            persen = max(persen, target.quantize(Decimal("0.01")))
            foto = []
            if bulan == today.month and photos_left and factor[sub_pk] > 0.8:
                photos_left -= 1
                foto = [(_photo(rng, sub.sub_kegiatan.nama), f"Kondisi lapangan bulan {bulan}")]
            services.lapor_progres(
                sub_kegiatan=sub,
                bulan=bulan,
                persen=persen,
                narasi=f"Pelaksanaan {sub.sub_kegiatan.nama} sesuai jadwal."
                if factor[sub_pk] > 0.8
                else f"Pelaksanaan {sub.sub_kegiatan.nama} terlambat: menunggu proses pengadaan.",
                foto=foto,
            )
