"""What the public SPBE pages and the open API may read (no login), in one place.

Index history: only assessments that are final — a locked self-assessment (labelled as such, never passed off as
the official result) or an official result recorded from KemenPANRB (jenis=resmi) — one series per framework:
SPBE 2020 and PEMDI 2026 scores are never joined into one line. Nothing of a draft or under-review assessment, and
never the justifications, evidence files or assessors of any assessment.

Application catalogue: applications marked `publik` that are in operation, plus those in development (labelled,
and without their URL: a development address is not a service yet and only tells an attacker where to look).
Proposed and stopped applications are not listed. Only the PUBLIC_FIELDS below ever leave this module: no
technology stack (versions help attackers), no security audit dates, no data classification, no TIME class or
other internal flags.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from terpadu.perencanaan.models import Keyakinan
from terpadu.spbe.models import Aplikasi, Domain, ElemenArsitektur, Kerangka, Penilaian

# -- index history ---------------------------------------------------------------------------------------------

UNCONFIRMED = {Keyakinan.UNCONFIRMED, Keyakinan.SECONDARY, Keyakinan.DEMO}


def visible_penilaian():
    """Final assessments only: a self-assessment once locked, an official result (recorded locked). Never a draft
    or one under review, whatever its kind."""
    return (
        Penilaian.objects.filter(status=Penilaian.Status.TERKUNCI, indeks__isnull=False)
        .select_related("kerangka")
        .order_by("kerangka__tahun_mulai", "kerangka__kode", "tahun", "jenis")
    )


def tampil(value) -> Decimal | None:
    """Display rounding (two decimals, half up); the stored index keeps full precision."""
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


def shape_penilaian(p: Penilaian) -> dict:
    """The public fields of one final assessment (the JSON object, the CSV row and the table row)."""
    resmi = p.jenis == Penilaian.Jenis.RESMI
    return {
        "id": p.pk,
        "kerangka": p.kerangka.kode,
        "kerangka_nama": p.kerangka.nama,
        "tahun": p.tahun,
        "jenis": p.jenis,
        "jenis_label": str(p.get_jenis_display()),
        "indeks": tampil(p.indeks),
        "predikat": p.predikat,
        "keputusan": p.keputusan if resmi else "",
        "sumber": p.sumber if resmi else "",
        "dikunci": p.dikunci.date() if p.dikunci else None,
    }


def riwayat() -> list[dict]:
    """One entry per framework (oldest first) with its final assessments, self-assessment and official result of
    a year side by side."""
    series: dict[int, dict] = {}
    for p in visible_penilaian():
        k = p.kerangka
        entry = series.setdefault(
            k.pk,
            {
                "kerangka": k,
                "kode": k.kode,
                "nama": k.nama,
                "instrumen": k.instrumen,
                "unconfirmed": k.keyakinan in UNCONFIRMED,
                "keyakinan": str(k.get_keyakinan_display()),
                "rows": [],
            },
        )
        entry["rows"].append(shape_penilaian(p))
    return list(series.values())


def chart(series: list[dict]) -> dict:
    """ECharts data: one shared axis of years, and per framework one line per kind (self-assessment dashed,
    official solid). A line only has values in its own framework's years (null elsewhere, not connected), and
    the boundary between two frameworks is marked, so the two scales are never read as one line."""
    years = sorted({row["tahun"] for s in series for row in s["rows"]})
    lines = []
    boundaries = []
    for position, s in enumerate(series):
        by_kind: dict[str, dict[int, float]] = {}
        for row in s["rows"]:
            by_kind.setdefault(row["jenis"], {})[row["tahun"]] = float(row["indeks"])  # display only
        for jenis, values in sorted(by_kind.items(), key=lambda item: item[0] != Penilaian.Jenis.RESMI):
            label = _("Official") if jenis == Penilaian.Jenis.RESMI else _("Self-assessment")
            lines.append(
                {
                    "name": f"{s['kode']} — {label}",
                    "kerangka": s["kode"],
                    "resmi": jenis == Penilaian.Jenis.RESMI,
                    "data": [values.get(y) for y in years],
                }
            )
        if position:
            first = min(row["tahun"] for row in s["rows"])
            boundaries.append({"tahun": first, "label": s["kode"]})
    return {"years": [str(y) for y in years], "lines": lines, "boundaries": boundaries}


def rincian_terakhir() -> dict | None:
    """Aspect and domain breakdown of the latest locked self-assessment (official results carry the index only)."""
    p = (
        Penilaian.objects.filter(jenis=Penilaian.Jenis.MANDIRI, status=Penilaian.Status.TERKUNCI)
        .select_related("kerangka")
        .order_by("-tahun", "-kerangka__tahun_mulai")
        .first()
    )
    if p is None:
        return None
    from terpadu.spbe import services_evaluasi

    hasil = services_evaluasi.hitung(p)
    keep = ("kode", "nama", "bobot", "tampil", "domain")
    return {
        "penilaian": shape_penilaian(p),
        "aspek": [{k: a.get(k) for k in keep} for a in hasil.get("aspek", [])],
        "domain": [{k: d.get(k) for k in keep if k != "domain"} for d in hasil.get("domain", [])],
    }


def terbaru() -> dict | None:
    """The latest final result for the landing page: the newest year; its official result over a self-assessment."""
    rows = [shape_penilaian(p) for p in visible_penilaian()]
    if not rows:
        return None
    return max(rows, key=lambda r: (r["tahun"], r["jenis"] == Penilaian.Jenis.RESMI))


# -- application catalogue -------------------------------------------------------------------------------------

SHOWN_STATUS = (Aplikasi.Status.OPERASI, Aplikasi.Status.PENGEMBANGAN)

# Exactly what the public sees of an application (JSON keys = CSV columns = what the templates read).
PUBLIC_FIELDS = [
    "id",
    "nama",
    "singkatan",
    "jenis",
    "jenis_label",
    "unit_id",
    "unit_nama",
    "fungsi_bisnis",
    "layanan",
    "url",
    "hosting",
    "hosting_label",
    "status",
    "status_label",
    "sejak",
]


def visible_aplikasi():
    layanan = ElemenArsitektur.objects.filter(domain=Domain.LAYANAN).only("pk", "nama").order_by("nama")
    return (
        Aplikasi.objects.filter(publik=True, status__in=SHOWN_STATUS)
        .select_related("unit")
        .only(
            "pk",
            "nama",
            "singkatan",
            "jenis",
            "unit__nama",
            "unit__path",
            "fungsi_bisnis",
            "url",
            "hosting",
            "status",
            "tanggal_operasi",
        )  # fmt: skip
        .prefetch_related(Prefetch("layanan", queryset=layanan))
        .order_by("nama", "pk")
    )


def shape_aplikasi(a: Aplikasi) -> dict:
    operasi = a.status == Aplikasi.Status.OPERASI
    return {
        "id": a.pk,
        "nama": a.nama,
        "singkatan": a.singkatan,
        "jenis": a.jenis,
        "jenis_label": str(a.get_jenis_display()),
        "unit_id": a.unit_id,
        "unit_nama": a.unit.nama if a.unit_id else "",
        "fungsi_bisnis": a.fungsi_bisnis,
        "layanan": [e.nama for e in a.layanan.all()],
        "url": a.url if operasi else "",
        "hosting": a.hosting,
        "hosting_label": str(a.get_hosting_display()) if a.hosting else "",
        "status": a.status,
        "status_label": str(a.get_status_display()),
        "sejak": a.tanggal_operasi if operasi else None,
    }


def csv_row(row: dict) -> dict:
    """The CSV has the JSON's columns; the list of layanan becomes one cell separated by semicolons."""
    return {**row, "layanan": "; ".join(row["layanan"])}


def ringkasan_katalog() -> dict:
    qs = Aplikasi.objects.filter(publik=True, status__in=SHOWN_STATUS)
    return {
        "jumlah": qs.count(),
        "operasi": qs.filter(status=Aplikasi.Status.OPERASI).count(),
        "pengembangan": qs.filter(status=Aplikasi.Status.PENGEMBANGAN).count(),
    }


def kerangka_list():
    return Kerangka.objects.order_by("tahun_mulai")
