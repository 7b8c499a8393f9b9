"""The public SPBE pages (/transparansi/spbe/, no login) and the per-OPD page (/spbe/opd/, spbe.view).

The public pages read only through terpadu.spbe.publik (final assessments, public catalogue fields). The OPD page
reads every section through authz.restrict(…, user, "spbe.view"), narrowed to one OPD of the user's scope.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from terpadu.core import authz
from terpadu.organisasi import services as org
from terpadu.spbe import publik
from terpadu.spbe.api_publik import AplikasiPublikSerializer, csv_response
from terpadu.spbe.filters_publik import KatalogPublikFilterSet
from terpadu.spbe.models import Aplikasi, BelanjaTik, NilaiIndikator, Penilaian, UsulanAplikasi

VIEW = "spbe.view"


def _base(title: str) -> dict:
    return {"page_title": title, "pemda": org.the_pemda()}


# -- public ----------------------------------------------------------------------------------------------------


def index(request):
    series = publik.riwayat()
    context = _base(_("SPBE index"))
    context.update(
        {
            "series": series,
            "chart": publik.chart(series),
            "rincian": publik.rincian_terakhir(),
            "terbaru": publik.terbaru(),
            "katalog": publik.ringkasan_katalog(),
        }
    )
    return render(request, "spbe/publik/index.html", context)


def _katalog_filter(request):
    filterset = KatalogPublikFilterSet(request.GET or None, queryset=publik.visible_aplikasi())
    filterset.form.fields["unit"].queryset = org.opd_list()
    valid = not filterset.is_bound or filterset.is_valid()
    return filterset, (filterset.qs if filterset.is_bound and valid else publik.visible_aplikasi())


def aplikasi_list(request):
    filterset, rows = _katalog_filter(request)
    if request.GET.get("format") == "csv":
        columns = list(AplikasiPublikSerializer().fields)
        return csv_response(columns, [publik.csv_row(publik.shape_aplikasi(a)) for a in rows], "aplikasi.csv")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = _base(_("Application catalogue"))
    context.update(
        {
            "filter": filterset,
            "page": page,
            "rows": [publik.shape_aplikasi(a) for a in page.object_list],
            "query": query.urlencode(),
            "katalog": publik.ringkasan_katalog(),
        }
    )
    return render(request, "spbe/publik/aplikasi_list.html", context)


def aplikasi_detail(request, pk: int):
    aplikasi = publik.visible_aplikasi().filter(pk=pk).first()
    if aplikasi is None:
        raise Http404
    row = publik.shape_aplikasi(aplikasi)
    context = _base(row["nama"])
    context["a"] = row
    return render(request, "spbe/publik/aplikasi_detail.html", context)


# -- per OPD (signed in) ---------------------------------------------------------------------------------------


def _url(name: str, *args) -> str:
    """The internal page of an item when its part's route exists (the parts are built separately)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def opd_choices(user) -> list:
    """The OPDs the user may look at with spbe.view: every OPD for a whole-pemda grant, else each OPD that is in
    (or contains) a unit of the user's scope."""
    scope = authz.scope(user, VIEW)
    opds = list(org.opd_list())
    if scope.whole:
        return opds
    return [u for u in opds if scope.covers_path(u.path) or any(p.startswith(u.path) for p in scope.paths)]


def _own_opd(user, choices: list):
    pegawai = getattr(user, "pegawai", None)
    if pegawai is None:
        return None
    paths = [jabatan.unit.path for jabatan, _acting in org.positions_held(pegawai)]
    for unit in choices:
        if any(p.startswith(unit.path) for p in paths):
            return unit
    return None


def link_status(belanja: BelanjaTik) -> tuple[str, str]:
    """(code, label): linked to both an architecture element and a Peta Rencana item, to one of them, or none."""
    if belanja.elemen_id and belanja.peta_rencana_id:
        return "tertaut", _("Linked")
    if belanja.elemen_id or belanja.peta_rencana_id:
        missing = _("no roadmap item") if belanja.elemen_id else _("no architecture element")
        return "sebagian", _("Partly linked: %(m)s") % {"m": missing}
    return "belum", _("Not linked")


def _flags(queryset) -> dict:
    try:
        from terpadu.spbe import services_katalog
    except ImportError:  # the katalog part is built separately
        return {}
    if not hasattr(services_katalog, "flags_by_pk"):
        return {}
    return services_katalog.flags_by_pk(queryset)


OPEN_PENILAIAN = [Penilaian.Status.DRAFT, Penilaian.Status.REVIEW]
OPEN_USULAN = [
    UsulanAplikasi.Status.DRAFT,
    UsulanAplikasi.Status.DIAJUKAN,
    UsulanAplikasi.Status.DIKEMBALIKAN,
    UsulanAplikasi.Status.DIREKOMENDASIKAN,
    UsulanAplikasi.Status.DIKIRIM,
]


def opd_sections(user, unit, tahun: int) -> dict:
    """Everything of one OPD the user may see with spbe.view (each section restricted on its own)."""
    under = {"unit__path__startswith": unit.path}
    aplikasi_qs = authz.restrict(Aplikasi.objects.filter(**under), user, VIEW).select_related("unit")
    flags = _flags(aplikasi_qs)
    aplikasi = [
        {"obj": a, "flags": flags.get(a.pk, []), "url": _url("spbe:aplikasi_detail", a.pk)}
        for a in aplikasi_qs.order_by("nama", "pk")
    ]
    belanja_qs = (
        authz.restrict(BelanjaTik.objects.filter(tahun=tahun, **under), user, VIEW)
        .select_related("dpa_baris", "elemen", "peta_rencana", "aplikasi")
        .order_by("uraian", "pk")
    )
    belanja = []
    total = 0
    for b in belanja_qs:
        code, label = link_status(b)
        belanja.append({"obj": b, "jumlah": b.jumlah, "status": code, "status_label": label})
        total += b.jumlah or 0
    usulan = [
        {"obj": u, "url": _url("spbe:usulan_detail", u.pk)}
        for u in authz.restrict(UsulanAplikasi.objects.filter(**under), user, VIEW).order_by("-dibuat", "-pk")
    ]
    nilai = [
        {"obj": n, "url": _url("spbe:nilai_detail", n.pk)}
        for n in authz.restrict(
            NilaiIndikator.objects.filter(
                penilaian__jenis=Penilaian.Jenis.MANDIRI, penilaian__status__in=OPEN_PENILAIAN, **under
            ),
            user,
            VIEW,
        )
        .select_related("indikator", "penilaian__kerangka")
        .order_by("penilaian__tahun", "indikator__nomor")
    ]
    tahun_belanja = sorted(
        set(authz.restrict(BelanjaTik.objects.filter(**under), user, VIEW).values_list("tahun", flat=True)) | {tahun},
        reverse=True,
    )
    return {
        "aplikasi": aplikasi,
        "flagged": sum(1 for a in aplikasi if a["flags"]),
        "belanja": belanja,
        "belanja_total": total,
        "belanja_unlinked": sum(1 for b in belanja if b["status"] != "tertaut"),
        "tahun_belanja": tahun_belanja,
        "usulan": usulan,
        "nilai": nilai,
    }


def _tahun(request) -> int:
    value = (request.GET.get("tahun") or "").strip()
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return timezone.localdate().year


@login_required
def opd(request):
    if not authz.has_action(request.user, VIEW):
        raise PermissionDenied
    choices = opd_choices(request.user)
    unit = None
    wanted = (request.GET.get("unit") or "").strip()
    if wanted:
        unit = next((u for u in choices if str(u.pk) == wanted), None)
        if unit is None:
            raise Http404
    unit = unit or _own_opd(request.user, choices) or (choices[0] if choices else None)
    tahun = _tahun(request)
    context = {"page_title": _("My OPD: SPBE"), "choices": choices, "unit": unit, "tahun": tahun}
    if unit is not None:
        context.update(opd_sections(request.user, unit, tahun))
    return render(request, "spbe/publik/opd.html", context)


def card_context(user):
    """Counts of the user's OPD scope for the home dashboard; None hides the card (no spbe.view)."""
    if not authz.has_action(user, VIEW):
        return None
    tahun = timezone.localdate().year
    aplikasi = authz.restrict(Aplikasi.objects.exclude(status=Aplikasi.Status.DIHENTIKAN), user, VIEW)
    belanja = authz.restrict(BelanjaTik.objects.filter(tahun=tahun), user, VIEW).aggregate(
        n=Count("pk"), belum=Count("pk", filter=Q(elemen__isnull=True) | Q(peta_rencana__isnull=True))
    )
    usulan = authz.restrict(UsulanAplikasi.objects.filter(status__in=OPEN_USULAN), user, VIEW).count()
    nilai = authz.restrict(
        NilaiIndikator.objects.filter(
            penilaian__jenis=Penilaian.Jenis.MANDIRI, penilaian__status__in=OPEN_PENILAIAN
        ).exclude(status=NilaiIndikator.Status.DITERIMA),
        user,
        VIEW,
    ).count()
    return {
        "tahun": tahun,
        "aplikasi": aplikasi.count(),
        "belanja": belanja["n"],
        "belanja_belum": belanja["belum"],
        "usulan": usulan,
        "nilai": nilai,
        "opd_url": _url("spbe:opd"),
        "publik_url": _url("spbe_publik:index"),
    }
