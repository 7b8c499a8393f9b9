"""Monev evaluasi pages: dashboard and drill-down, the leader's page, rating scales, periods, the quarterly
evaluation, capaian per indicator, early warnings and exports. Every query goes through the gate; every change
through services_evaluasi."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.core import authz, kalender, tabular
from terpadu.core.views import history_for
from terpadu.monev import evaluasi as baca
from terpadu.monev import exports_evaluasi as exports
from terpadu.monev import services_evaluasi as sv
from terpadu.monev.filters_evaluasi import EvaluasiFilterSet, PeringatanFilterSet
from terpadu.monev.forms_evaluasi import (
    KEYAKINAN_BADGE,
    AlasanForm,
    CapaianForm,
    EvaluasiForm,
    PeriksaForm,
    PitaFormSet,
)
from terpadu.monev.models import CapaianIndikator, EvaluasiSubKegiatan, PeringatanDini, PeriodeMonev, SkalaRating
from terpadu.organisasi.models import UnitKerja

VIEW, EVALUATE, MANAGE = "monev.view", "monev.evaluate", "monev.manage"


def _require(request, action: str, obj=None) -> None:
    if not authz.can(request.user, action, obj):
        raise PermissionDenied


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _tahun(request) -> int:
    tahun = _int(request.GET.get("tahun"), timezone.localdate().year)
    if not 2000 <= tahun <= 2100:
        raise Http404
    return tahun


# -- dashboard -------------------------------------------------------------------------------------------------


def _dashboard_args(request):
    level = request.GET.get("level") or "kota"
    if level not in baca.LEVELS:
        raise Http404
    parent = request.GET.get("parent") or None
    if level != "kota" and not parent:
        raise Http404
    bulan = _int(request.GET.get("bulan"))
    if bulan is not None and not 1 <= bulan <= 12:
        raise Http404
    return _tahun(request), level, parent, bulan


def _drill_url(base: str, data: dict, row: dict) -> str | None:
    """The dashboard one level down from `row` (None at the bottom): the table's link, for a click on its bar."""
    if not row.get("next_level"):
        return None
    query = urlencode(
        {"tahun": data["tahun"], "bulan": data["bulan"], "level": row["next_level"], "parent": row["next_parent"]}
    )
    return f"{base}?{query}"


def _chart(data: dict) -> dict:
    series = data["series"]
    base = reverse("monev:dashboard")
    return {
        "bulan": series["bulan"],
        "kas": [str(v) for v in series["kas"]],
        "realisasi": [str(v) if i < data["bulan"] else None for i, v in enumerate(series["realisasi"])],
        "labels": {"kas": _("Cash plan (cumulative)"), "realisasi": _("Realisation (cumulative)")},
        "rows": [
            {
                "nama": f"{r['kode']} {r['nama']}"[:60],
                "keuangan": str(r["persen_keuangan"] or 0),
                "fisik": str(r["fisik"] or 0),
                "url": _drill_url(base, data, r),
            }
            for r in data["rows"][:40]
        ],
        "row_labels": {"keuangan": _("Financial %"), "fisik": _("Physical %")},
    }


def _options(choices, chosen) -> str:
    """<option>s of a small select written in Python (one translated label per page, not per option)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((v, mark_safe(" selected") if v == chosen else "", label) for v, label in choices),
    )


def _period_options(tahun: int, bulan: int) -> dict:
    up_to = _("up to %(month)s")
    return {
        "year_options": _options(((y, y) for y in range(tahun - 4, tahun + 2)), tahun),
        "month_options": _options(((m, up_to % {"month": MONTHS[m]}) for m in range(1, 13)), bulan),
    }


@login_required
def dashboard(request):
    _require(request, VIEW)
    tahun, level, parent, bulan = _dashboard_args(request)
    try:
        data = baca.dashboard_data(request.user, tahun, level, parent, bulan)
    except (ValueError, ValidationError) as exc:
        raise Http404 from exc
    return render(
        request,
        "monev/evaluasi/dashboard.html",
        {
            "page_title": _("Monev dashboard"),
            "data": data,
            "chart": _chart(data),
            **_period_options(data["tahun"], data["bulan"]),
            "leader": baca.whole_pemda(request.user),
        },
    )


@login_required
def dashboard_export(request):
    _require(request, VIEW)
    tahun, level, parent, bulan = _dashboard_args(request)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    data = baca.dashboard_data(request.user, tahun, level, parent, bulan)
    columns = [
        "kode",
        "nama",
        "pagu",
        "anggaran_kas",
        "realisasi",
        "persen_keuangan",
        "persen_kas",
        "fisik",
        "kategori",
    ]
    rows = [
        [r["kode"], r["nama"], r["pagu"], r["kas"], r["realisasi"], r["persen_keuangan"], r["persen_kas"], r["fisik"],
         r["kategori"]]
        for r in [*data["rows"], data["total"]]
    ]  # fmt: skip
    name = f"monev-{tahun}-{level}-{data['bulan']:02d}"
    if fmt == "csv":
        body, ctype = tabular.write_csv(columns, rows), "text/csv"
    else:
        body = tabular.write_xlsx({"monev": (columns, rows)})
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _require_whole_pemda(request) -> None:
    """The leader's pages (Wali Kota, Sekda, Bappeda): monev.view over the whole pemda."""
    _require(request, VIEW)
    if not baca.whole_pemda(request.user):
        raise PermissionDenied


@login_required
def pimpinan(request):
    _require_whole_pemda(request)
    tahun = _tahun(request)
    bulan = _int(request.GET.get("bulan"))
    if bulan is not None and not 1 <= bulan <= 12:
        raise Http404
    data = baca.pimpinan_data(request.user, tahun, bulan)
    return render(
        request,
        "monev/evaluasi/pimpinan.html",
        {"page_title": _("Leader's view"), "data": data, "chart": _chart(data), "years": range(tahun - 4, tahun + 2)},
    )


# -- rating scales ------------------------------------------------------------------------------------------------


@login_required
def skala_list(request):
    _require(request, VIEW)
    scales = list(SkalaRating.objects.prefetch_related("pita"))
    for s in scales:
        s.badge = KEYAKINAN_BADGE.get(s.keyakinan, "bg-secondary-lt")
        s.unconfirmed = s.keyakinan not in ("official", "local")
        s.bands = sorted(s.pita.all(), key=lambda p: p.urutan)
    return render(
        request,
        "monev/evaluasi/skala_list.html",
        {"page_title": _("Rating scales"), "scales": scales, "can_manage": authz.has_action(request.user, MANAGE)},
    )


@login_required
def skala_edit(request, pk: int):
    _require(request, MANAGE)
    skala = get_object_or_404(SkalaRating, pk=pk)
    bands = sorted(skala.pita.all(), key=lambda p: p.urutan)
    initial = [
        {
            f: getattr(p, f)
            for f in ("kategori", "label", "batas_bawah", "bawah_inklusif", "batas_atas", "atas_inklusif", "warna")
        }
        for p in bands
    ]
    formset = PitaFormSet(request.POST or None, initial=initial, prefix="pita")
    error = None
    if request.method == "POST" and formset.is_valid():
        pita = [
            sv.Pita(
                kategori=f.cleaned_data["kategori"],
                batas_bawah=f.cleaned_data.get("batas_bawah"),
                bawah_inklusif=bool(f.cleaned_data.get("bawah_inklusif")),
                batas_atas=f.cleaned_data.get("batas_atas"),
                atas_inklusif=bool(f.cleaned_data.get("atas_inklusif")),
                label=f.cleaned_data.get("label") or "",
                warna=f.cleaned_data.get("warna") or "",
            )
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("kategori")
        ]
        try:
            sv.simpan_skala(skala, pita, request.user)
        except ValidationError as exc:
            error = _errors(exc)
        else:
            messages.success(request, _("Scale %(s)s saved.") % {"s": skala.nama})
            return redirect("monev:skala_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "monev/evaluasi/skala_edit.html",
        {
            "page_title": skala.nama,
            "skala": skala,
            "formset": formset,
            "error": error,
            "history": history_for(request.user, skala),
        },
        status=status,
    )


@login_required
@require_POST
def skala_muat(request):
    _require(request, MANAGE)
    try:
        n = sv.muat_skala()
    except (ValidationError, ValueError) as exc:
        messages.error(request, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, _("%(n)s scales loaded from the reference files.") % {"n": n})
    return redirect("monev:skala_list")


# -- periods ---------------------------------------------------------------------------------------------------


@login_required
def periode_list(request):
    _require(request, VIEW)
    periods = list(PeriodeMonev.objects.annotate(n=Count("evaluasi")).order_by("-tahun", "-triwulan")[:40])
    return render(
        request,
        "monev/evaluasi/periode_list.html",
        {
            "page_title": _("Monitoring periods"),
            "periods": periods,
            # a deadline in Q4 falls in the next year: both years' holidays count
            "no_holidays": kalender.years_without_holidays({y for p in periods for y in (p.tahun, p.batas_waktu.year)}),
            "can_manage": authz.has_action(request.user, MANAGE),
            "this_year": timezone.localdate().year,
        },
    )


@login_required
@require_POST
def periode_buat(request):
    _require(request, MANAGE)
    tahun = _int(request.POST.get("tahun"))
    try:
        sv.pastikan_periode(tahun if tahun is not None else -1)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Periods of %(t)s are ready.") % {"t": tahun})
    return redirect("monev:periode_list")


@login_required
def periode_detail(request, pk: int):
    _require(request, VIEW)
    periode = get_object_or_404(PeriodeMonev, pk=pk)
    qs = authz.restrict(EvaluasiSubKegiatan.objects.filter(periode=periode), request.user, VIEW).select_related(
        "unit", "sub_kegiatan__sub_kegiatan"
    )
    filterset = EvaluasiFilterSet(request.GET, queryset=qs.order_by("unit__path", "sub_kegiatan__sub_kegiatan__kode"))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    pita = {p.kategori: p.warna for p in sv.pita_skala(sv.skala_kumulatif(periode.triwulan))}
    for e in page:
        e.warna = pita.get(e.kategori, "")
    can_evaluate = authz.has_action(request.user, EVALUATE)
    indikator, capaian = [], {}
    if can_evaluate:
        units = (
            None
            if authz.scope(request.user, EVALUATE).whole
            else authz.restrict(UnitKerja.objects.all(), request.user, EVALUATE).values("pk")
        )
        indikator = list(sv.indikator_opd(periode.tahun, units)[:200])
        capaian = {c.indikator_id: c for c in CapaianIndikator.objects.filter(periode=periode, indikator__in=indikator)}
        for ind in indikator:
            ind.hasil = capaian.get(ind.pk)
    return render(
        request,
        "monev/evaluasi/periode_detail.html",
        {
            "page_title": str(periode),
            "periode": periode,
            "page": page,
            "filter": filterset,
            "can_evaluate": can_evaluate,
            "can_manage": authz.has_action(request.user, MANAGE),
            "indikator": indikator,
            "alasan_form": AlasanForm(),
            "history": history_for(request.user, periode),
        },
    )


@login_required
@require_POST
def periode_kunci(request, pk: int):
    _require(request, MANAGE)
    periode = get_object_or_404(PeriodeMonev, pk=pk)
    try:
        sv.kunci_periode(periode, request.POST.get("alasan", ""), request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("%(p)s locked.") % {"p": periode})
    return redirect(periode)


@login_required
@require_POST
def periode_buka(request, pk: int):
    _require(request, MANAGE)
    periode = get_object_or_404(PeriodeMonev, pk=pk)
    try:
        sv.buka_periode(periode, request.POST.get("alasan", ""), request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("%(p)s unlocked.") % {"p": periode})
    return redirect(periode)


@login_required
@require_POST
def periode_siapkan(request, pk: int):
    _require(request, EVALUATE)
    periode = get_object_or_404(PeriodeMonev, pk=pk)
    units = (
        None
        if authz.scope(request.user, EVALUATE).whole
        else authz.restrict(UnitKerja.objects.all(), request.user, EVALUATE).values("pk")
    )
    try:
        n = sv.siapkan_evaluasi(periode, request.user, units)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("%(n)s evaluations created or recomputed from the ledger.") % {"n": n})
    return redirect(periode)


# -- one evaluation --------------------------------------------------------------------------------------------


def _evaluasi(request, pk: int) -> EvaluasiSubKegiatan:
    obj = get_object_or_404(
        EvaluasiSubKegiatan.objects.select_related("periode", "unit", "sub_kegiatan__sub_kegiatan"), pk=pk
    )
    if not authz.can(request.user, VIEW, obj):
        raise Http404
    return obj


@login_required
def evaluasi_detail(request, pk: int):
    evaluasi = _evaluasi(request, pk)
    can_edit = authz.can(request.user, EVALUATE, evaluasi)
    form = EvaluasiForm(request.POST or None, instance=evaluasi)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                sv.simpan_evaluasi(evaluasi, form.cleaned_data, request.user)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Evaluation saved."))
                return redirect("monev:evaluasi_detail", pk=evaluasi.pk)
        status = 400
    pita = {p.kategori: p for p in sv.pita_skala(sv.skala_kumulatif(evaluasi.periode.triwulan))}
    pita_c = {p.kategori: p for p in sv.pita_skala(sv.SKALA_CAPAIAN)}
    return render(
        request,
        "monev/evaluasi/evaluasi_detail.html",
        {
            "page_title": _("Evaluation %(p)s") % {"p": evaluasi.periode},
            "e": evaluasi,
            "band": pita.get(evaluasi.kategori),
            "band_capaian": pita_c.get(evaluasi.kategori_capaian),
            "form": form,
            "can_edit": can_edit and evaluasi.periode.status == PeriodeMonev.Status.TERBUKA,
            "can_manage": authz.can(request.user, MANAGE, evaluasi),
            "alasan_form": AlasanForm(),
            "history": history_for(request.user, evaluasi),
        },
        status=status,
    )


@login_required
@require_POST
def evaluasi_kirim(request, pk: int):
    evaluasi = _evaluasi(request, pk)
    _require(request, EVALUATE, evaluasi)
    try:
        sv.kirim_evaluasi(evaluasi, request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Evaluation submitted."))
    return redirect("monev:evaluasi_detail", pk=evaluasi.pk)


@login_required
@require_POST
def evaluasi_kembalikan(request, pk: int):
    evaluasi = _evaluasi(request, pk)
    _require(request, MANAGE, evaluasi)
    try:
        sv.kembalikan_evaluasi(evaluasi, request.POST.get("alasan", ""), request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Evaluation returned to the OPD."))
    return redirect("monev:evaluasi_detail", pk=evaluasi.pk)


@login_required
def capaian_isi(request, pk: int, indikator: int):
    from terpadu.perencanaan.models import Indikator

    periode = get_object_or_404(PeriodeMonev, pk=pk)
    ind = get_object_or_404(
        Indikator.objects.select_related("renja_sub_kegiatan__unit", "sasaran_pd__tujuan__renstra__unit"), pk=indikator
    )
    unit = sv.unit_indikator(ind)
    if unit is None or not authz.can(request.user, EVALUATE, unit):
        raise Http404
    current = CapaianIndikator.objects.filter(periode=periode, indikator=ind).first()
    initial = {"realisasi": current.realisasi, "catatan": current.catatan} if current else {}
    form = CapaianForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                sv.simpan_capaian(
                    periode, ind, form.cleaned_data["realisasi"], request.user, form.cleaned_data["catatan"]
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Indicator realisation saved."))
                return redirect(periode)
        status = 400
    target = ind.target.filter(tahun=periode.tahun).first()
    return render(
        request,
        "monev/evaluasi/capaian_form.html",
        {"page_title": ind.uraian, "periode": periode, "ind": ind, "form": form, "current": current, "target": target},
        status=status,
    )


# -- early warnings --------------------------------------------------------------------------------------------


@login_required
def peringatan_list(request):
    _require(request, VIEW)
    qs = authz.restrict(PeringatanDini.objects.all(), request.user, VIEW).select_related(
        "unit", "sub_kegiatan__sub_kegiatan"
    )
    filterset = PeringatanFilterSet(request.GET, queryset=qs)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    tahun, bulan = sv.bulan_tinjauan(today)
    return render(
        request,
        "monev/evaluasi/peringatan_list.html",
        {
            "page_title": _("Early warnings"),
            "page": page,
            "filter": filterset,
            "margin": sv.margin(),
            "can_manage": authz.has_action(request.user, MANAGE),
            "periksa_form": PeriksaForm(initial={"tahun": tahun, "bulan": bulan}),
        },
    )


@login_required
@require_POST
def peringatan_periksa(request):
    _require(request, MANAGE)
    form = PeriksaForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a year and a month (1–12)."))
        return redirect("monev:peringatan_list")
    created = sv.periksa_peringatan(form.cleaned_data["tahun"], form.cleaned_data["bulan"], request.user)
    messages.success(request, _("%(n)s new early warnings.") % {"n": len(created)})
    return redirect(reverse("monev:peringatan_list") + f"?tahun={form.cleaned_data['tahun']}")


# -- exports ---------------------------------------------------------------------------------------------------


@login_required
def export_renja(request):
    _require(request, VIEW)
    unit_id = _int(request.GET.get("unit"))
    if unit_id is None:  # default: the user's own OPD
        pegawai = getattr(request.user, "pegawai", None)
        if pegawai is None or pegawai.unit is None:
            raise Http404
        unit = pegawai.unit.opd()
    else:
        unit = get_object_or_404(UnitKerja, pk=unit_id)
    if not authz.can(request.user, VIEW, unit):
        raise Http404
    tahun = _tahun(request)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    tabel = baca.tabel_evaluasi_renja(unit, tahun)
    return _evaluation_table(tabel, f"evaluasi-renja-{unit.kode or unit.pk}-{tahun}", fmt)


@login_required
def export_rkpd(request):
    """The city's RKPD evaluation table: every OPD's Renja table (whole-pemda monev.view)."""
    _require_whole_pemda(request)
    tahun = _tahun(request)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    return _evaluation_table(baca.tabel_evaluasi_rkpd(request.user, tahun), f"evaluasi-rkpd-{tahun}", fmt)


def _evaluation_table(tabel: dict, name: str, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(
            exports.xlsx_renja(tabel), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        response = HttpResponse(exports.pdf_renja(tabel), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# -- home card -------------------------------------------------------------------------------------------------


def card_context(user):
    """The monev card: the user's OPD progress (weighted by pagu) and the warnings count; None hides it."""
    if not authz.has_action(user, VIEW):
        return None
    tahun = timezone.localdate().year
    bulan = baca.bulan_default(tahun)
    scope = baca.unit_scope(user)
    per_unit = sv.angka(tahun, bulan, kelompok="unit", unit_ids=scope)
    total = baca._sum(list(per_unit.values()))
    warnings = authz.restrict(PeringatanDini.objects.filter(tahun=tahun), user, VIEW).count()
    return {
        "title": _("Monev %(t)s") % {"t": tahun},
        "tahun": tahun,
        "bulan": bulan,
        "opd": len(per_unit),
        "keuangan": total.persen_keuangan,
        "fisik": total.fisik,
        "pagu": total.pagu,
        "realisasi": total.realisasi,
        "warnings": warnings,
        "leader": baca.whole_pemda(user),
    }
