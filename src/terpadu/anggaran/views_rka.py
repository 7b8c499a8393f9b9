"""Budgeting pages: rounds and ceilings, RKA with its lines (htmx), TAPD verification, cash plans, the DPA print
view, comparison of two rounds, import/export of lines. Every query goes through the gate; every change through
services_rka."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.anggaran import importing_rka
from terpadu.anggaran import services_rka as svc
from terpadu.anggaran.filters_rka import RkaFilterSet
from terpadu.anggaran.forms_rka import (
    ImportForm,
    KasForm,
    PaguForm,
    RincianForm,
    RkaCreateForm,
    TahapForm,
    TetapkanForm,
)
from terpadu.anggaran.models import AnggaranKas, DpaBaris, Pagu, RincianBelanja, Rka, TahapAnggaran
from terpadu.core import authz, files, tabular
from terpadu.core.views import history_for
from terpadu.organisasi.models import UnitKerja

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(request, action: str, obj=None) -> None:
    if not authz.can(request.user, action, obj):
        raise PermissionDenied


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _visible_rka(request, action="anggaran.view"):
    return authz.restrict(
        Rka.objects.select_related("tahap", "unit", "sub_kegiatan__sub_kegiatan"), request.user, action
    )


def _download(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX if fmt == "xlsx" else "text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.{fmt}"'
    return response


# -- rounds and ceilings -----------------------------------------------------------------------------------


@login_required
def tahap_list(request):
    """Rounds are city-wide facts: anyone with anggaran.view in some scope sees them (totals of their scope)."""
    _require(request, "anggaran.view")
    visible = authz.restrict(Rka.objects.all(), request.user, "anggaran.view")
    totals = dict(visible.values("tahap_id").annotate(s=Sum("total")).values_list("tahap_id", "s"))
    rounds = list(TahapAnggaran.objects.all())
    for tahap in rounds:
        tahap.jumlah = totals.get(tahap.pk) or Decimal(0)
    can_configure = authz.has_action(request.user, "anggaran.configure")
    context = {
        "rounds": rounds,
        "form": TahapForm(initial={"tahun": timezone.localdate().year}) if can_configure else None,
        "can_configure": can_configure,
        "page_title": _("Budget rounds"),
    }
    return render(request, "anggaran/rka/tahap_list.html", context)


@login_required
@require_POST
def tahap_create(request):
    _require(request, "anggaran.configure")
    form = TahapForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            tahap = svc.buka_tahap(request.user, data["tahun"], data["jenis"], data["nama"], data["dasar_hukum"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(t)s was opened.") % {"t": tahap})
            return redirect(tahap)
    else:
        messages.error(request, _("Check the year and kind of the round."))
    return redirect("anggaran:tahap_list")


def _opd_rows(request, tahap):
    pagu = authz.restrict(Pagu.objects.filter(tahap=tahap).select_related("unit"), request.user, "anggaran.view")
    rka = authz.restrict(Rka.objects.filter(tahap=tahap), request.user, "anggaran.view")
    stats = {row["unit_id"]: row for row in rka.values("unit_id").annotate(s=Sum("total"), n=Count("pk"))}
    approved = dict(
        rka.filter(status=Rka.Status.DISETUJUI).values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n")
    )
    rows = []
    for p in pagu.order_by("unit__path"):
        s = stats.get(p.unit_id, {})
        total = s.get("s") or Decimal(0)
        rows.append(
            {
                "pagu": p,
                "unit": p.unit,
                "total": total,
                "sisa": p.nilai - total,
                "rka": s.get("n", 0),
                "approved": approved.get(p.unit_id, 0),
                "percent": min(100, int(total * 100 / p.nilai)) if p.nilai else 0,
            }
        )
    return rows


@login_required
def tahap_detail(request, pk: int):
    _require(request, "anggaran.view")
    tahap = get_object_or_404(TahapAnggaran, pk=pk)
    can_configure = authz.has_action(request.user, "anggaran.configure")
    rows = _opd_rows(request, tahap)
    context = {
        "tahap": tahap,
        "rows": rows,
        "sum_pagu": sum((r["pagu"].nilai for r in rows), Decimal(0)),
        "sum_total": sum((r["total"] for r in rows), Decimal(0)),
        "pending": svc.pending_rka(tahap).count(),
        "can_configure": can_configure,
        "tetapkan_form": TetapkanForm() if can_configure else None,
        "others": TahapAnggaran.objects.filter(tahun=tahap.tahun).exclude(pk=tahap.pk),
        "history": history_for(request.user, tahap),
        "page_title": str(tahap),
    }
    return render(request, "anggaran/rka/tahap_detail.html", context)


@login_required
@require_POST
def tahap_tetapkan(request, pk: int):
    _require(request, "anggaran.configure")
    tahap = get_object_or_404(TahapAnggaran, pk=pk)
    form = TetapkanForm(request.POST)
    form.is_valid()
    try:
        svc.tetapkan_tahap(request.user, tahap, form.cleaned_data.get("dasar_hukum", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(t)s was adopted: its DPA is locked.") % {"t": tahap})
    return redirect(tahap)


@login_required
def pagu_set(request, pk: int):
    _require(request, "anggaran.configure")
    tahap = get_object_or_404(TahapAnggaran, pk=pk)
    units = authz.restrict(UnitKerja.objects.current(), request.user, "anggaran.configure").order_by("path")
    initial = {"unit": request.GET.get("unit")} if request.GET.get("unit", "").isdigit() else {}
    form = PaguForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.set_pagu(request.user, tahap, form.cleaned_data["unit"], form.cleaned_data["nilai"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The ceiling was saved."))
            return redirect(tahap)
    title = _("Ceiling (pagu) in %(t)s") % {"t": tahap}
    return render(request, "anggaran/rka/form.html", {"form": form, "page_title": title, "back": tahap})


# -- RKA ---------------------------------------------------------------------------------------------------


@login_required
def rka_list(request):
    _require(request, "anggaran.view")
    base = _visible_rka(request).annotate(koreksi=Count("rincian", filter=_perlu()))
    data = request.GET.copy()
    if "tahap" not in data:
        latest = TahapAnggaran.objects.first()
        if latest:
            data["tahap"] = str(latest.pk)
    filterset = RkaFilterSet(data, queryset=base)
    queryset = filterset.qs if filterset.is_valid() else base
    queryset = queryset.order_by("unit__path", "sub_kegiatan__sub_kegiatan__kode")
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    query = data.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "jumlah": queryset.aggregate(s=Sum("total"))["s"] or 0,
        "can_draft": authz.has_action(request.user, "anggaran.draft"),
        "can_verify": authz.has_action(request.user, "anggaran.verify"),
        "page_title": _("RKA"),
    }
    return render(request, "anggaran/rka/rka_list.html", context)


def _perlu():
    from django.db.models import Q

    return Q(rincian__perlu_perbaikan=True)


@login_required
def rka_create(request):
    _require(request, "anggaran.draft")
    from terpadu.perencanaan.models import RenjaSubKegiatan

    open_rounds = TahapAnggaran.objects.filter(status=TahapAnggaran.Status.PENYUSUNAN)
    tahap = open_rounds.filter(pk=request.GET.get("tahap") or request.POST.get("tahap") or 0).first()
    tahap = tahap or open_rounds.first()
    if tahap is None:
        messages.error(request, _("No budget round is being drafted."))
        return redirect("anggaran:rka_list")
    candidates = (
        authz.restrict(RenjaSubKegiatan.objects.filter(tahun=tahap.tahun), request.user, "anggaran.draft")
        .exclude(rka__tahap=tahap)
        .select_related("sub_kegiatan", "unit")
        .order_by("unit__path", "sub_kegiatan__kode")
    )
    form = RkaCreateForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            rka = svc.buat_rka(request.user, tahap, form.cleaned_data["sub_kegiatan"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect(rka)
    title = _("New RKA in %(t)s") % {"t": tahap}
    return render(request, "anggaran/rka/form.html", {"form": form, "page_title": title, "hidden": {"tahap": tahap.pk}})


def _groups(rka):
    groups: OrderedDict = OrderedDict()
    for line in rka.rincian.select_related("rekening", "standar_harga").order_by("rekening__kode", "urutan", "pk"):
        group = groups.setdefault(line.rekening.kode, {"rekening": line.rekening, "lines": [], "jumlah": Decimal(0)})
        group["lines"].append(line)
        group["jumlah"] += line.jumlah
    return list(groups.values())


def _rka_context(request, rka, form=None, editing=None):
    can_draft = (
        rka.status in svc.EDITABLE
        and rka.tahap.status == "penyusunan"
        and authz.can(request.user, "anggaran.draft", rka)
    )
    pagu = Pagu.objects.filter(tahap=rka.tahap, unit=rka.unit).first()
    return {
        "rka": rka,
        "groups": _groups(rka),
        "can_draft": can_draft,
        "can_verify": rka.status == Rka.Status.DIAJUKAN and authz.can(request.user, "anggaran.verify", rka),
        "form": form if form is not None else (RincianForm() if can_draft else None),
        "editing": editing,
        "pagu": pagu,
        "opd_total": svc.total_opd(rka.tahap_id, rka.unit_id),
        "kas": list(rka.anggaran_kas.all()),
        "kas_sum": svc.kas_sum(rka),
    }


@login_required
def rka_detail(request, pk: int):
    rka = get_object_or_404(_visible_rka(request), pk=pk)
    context = _rka_context(request, rka)
    context.update({"history": history_for(request.user, rka), "page_title": str(rka)})
    return render(request, "anggaran/rka/rka_detail.html", context)


def _rka_for_draft(request, pk):
    rka = get_object_or_404(_visible_rka(request), pk=pk)
    _require(request, "anggaran.draft", rka)
    return rka


def _lines_response(request, rka, form=None, editing=None):
    rka.refresh_from_db()
    context = _rka_context(request, rka, form, editing)
    if request.headers.get("HX-Request"):
        return render(request, "anggaran/rka/_lines.html", context)
    if form is not None and form.errors:
        context.update({"history": history_for(request.user, rka), "page_title": str(rka)})
        return render(request, "anggaran/rka/rka_detail.html", context, status=400)
    return redirect(rka)


@login_required
@require_POST
def rincian_add(request, pk: int):
    rka = _rka_for_draft(request, pk)
    form = RincianForm(request.POST)
    if form.is_valid():
        try:
            svc.tambah_rincian(request.user, rka, form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return _lines_response(request, rka)
    return _lines_response(request, rka, form)


def _line_for_draft(request, pk):
    line = get_object_or_404(
        authz.restrict(
            RincianBelanja.objects.select_related("rka__tahap", "rka__unit", "rekening", "standar_harga"),
            request.user,
            "anggaran.view",
        ),
        pk=pk,
    )
    _require(request, "anggaran.draft", line.rka)
    return line


@login_required
def rincian_edit(request, pk: int):
    line = _line_for_draft(request, pk)
    rka = line.rka
    if request.method == "POST":
        form = RincianForm(request.POST)
        if form.is_valid():
            try:
                svc.ubah_rincian(request.user, line, form.cleaned_data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                return _lines_response(request, rka)
        return _lines_response(request, rka, form, editing=line)
    form = RincianForm(initial=RincianForm.initial_for(line))
    return (
        _lines_response(request, rka, form, editing=line)
        if request.headers.get("HX-Request")
        else render(request, "anggaran/rka/form.html", {"form": form, "page_title": _("Edit budget line"), "back": rka})
    )


@login_required
@require_POST
def rincian_delete(request, pk: int):
    line = _line_for_draft(request, pk)
    rka = line.rka
    try:
        svc.hapus_rincian(request.user, line)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _lines_response(request, rka)


@login_required
@require_POST
def rka_submit(request, pk: int):
    rka = _rka_for_draft(request, pk)
    try:
        svc.ajukan(request.user, rka)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The RKA was submitted to TAPD."))
    return redirect(rka)


@login_required
def kas_edit(request, pk: int):
    rka = _rka_for_draft(request, pk)
    current = {k.bulan: k.nilai for k in rka.anggaran_kas.all()}
    if request.method == "POST" and request.POST.get("ratakan"):
        initial = {f"bulan_{b}": v for b, v in enumerate(svc.ratakan(rka.total), start=1)}
        form = KasForm(initial=initial)
    else:
        form = KasForm(request.POST or None, initial={f"bulan_{b}": v for b, v in current.items()})
        if request.method == "POST" and form.is_valid():
            try:
                svc.simpan_kas(request.user, rka, form.months())
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("The cash plan was saved."))
                return redirect(rka)
    context = {"rka": rka, "form": form, "page_title": _("Cash plan (anggaran kas) — %(r)s") % {"r": rka}}
    return render(request, "anggaran/rka/kas_form.html", context, status=400 if form.errors else 200)


@login_required
def rka_verify(request, pk: int):
    rka = get_object_or_404(_visible_rka(request, "anggaran.verify"), pk=pk)
    errors: list[str] = []
    if request.method == "POST":
        decision = request.POST.get("decision")
        notes = {
            int(key.removeprefix("catatan_")): value
            for key, value in request.POST.items()
            if key.startswith("catatan_") and key.removeprefix("catatan_").isdigit()
        }
        try:
            if decision == "approve":
                svc.setujui(request.user, rka)
                messages.success(request, _("The RKA was approved: its DPA lines are written."))
            elif decision == "return":
                svc.kembalikan(request.user, rka, request.POST.get("catatan", ""), notes)
                messages.success(request, _("The RKA was returned to the OPD with notes."))
            else:
                raise ValidationError(_("Choose approve or return."))
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect(rka)
    context = {
        "rka": rka,
        "groups": _groups(rka),
        "errors": errors,
        "blockers": svc.approval_blockers(rka) if rka.status == Rka.Status.DIAJUKAN else [],
        "kas_sum": svc.kas_sum(rka),
        "post": request.POST if request.method == "POST" else {},
        "page_title": _("Verification — %(r)s") % {"r": rka},
    }
    return render(request, "anggaran/rka/verify.html", context, status=400 if errors else 200)


@login_required
def dpa_print(request, pk: int):
    """A printable DPA of one sub kegiatan (the lines as approved, the DPA lines and the cash plan)."""
    rka = get_object_or_404(_visible_rka(request), pk=pk)
    context = {
        "rka": rka,
        "groups": _groups(rka),
        "dpa": DpaBaris.objects.filter(sub_kegiatan=rka.sub_kegiatan).order_by("kode_rekening"),
        "kas": AnggaranKas.objects.filter(rka=rka),
        "printed": timezone.now(),
    }
    return render(request, "anggaran/rka/dpa_print.html", context)


# -- comparison --------------------------------------------------------------------------------------------


@login_required
def compare(request):
    _require(request, "anggaran.view")
    rounds = list(TahapAnggaran.objects.all())
    by_pk = {str(t.pk): t for t in rounds}
    b = by_pk.get(request.GET.get("b", "")) or (rounds[0] if rounds else None)
    a = by_pk.get(request.GET.get("a", "")) or (b.sebelumnya if b and b.sebelumnya_id else b)
    result = None
    if a and b:
        scope = authz.restrict(Rka.objects.all(), request.user, "anggaran.view")
        result = svc.bandingkan(a, b, scope, only_changes=request.GET.get("semua") != "1")
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            rows = list(svc.compare_rows(result))
            if fmt == "csv":
                return _download(tabular.write_csv(svc.COMPARE_COLUMNS, rows), "csv", "perbandingan")
            sub_rows = [
                [s["unit"], s["sub_kegiatan"], s["sebelum"], s["sesudah"], s["selisih"]] for s in result.per_sub
            ]
            opd_rows = [[o["unit"], o["sebelum"], o["sesudah"], o["selisih"]] for o in result.per_opd]
            content = tabular.write_xlsx(
                {
                    "rincian": (svc.COMPARE_COLUMNS, rows),
                    "sub_kegiatan": (["unit", "kode_sub_kegiatan", "sebelum", "sesudah", "selisih"], sub_rows),
                    "opd": (["unit", "sebelum", "sesudah", "selisih"], opd_rows),
                }
            )
            return _download(content, "xlsx", "perbandingan")
    context = {
        "rounds": rounds,
        "a": a,
        "b": b,
        "result": result,
        "baris": result.baris[:1000] if result else [],
        "query": request.GET.urlencode(),
        "page_title": _("Compare budget rounds"),
    }
    return render(request, "anggaran/rka/compare.html", context)


# -- import / export ---------------------------------------------------------------------------------------


@login_required
def rincian_import(request):
    _require(request, "anggaran.draft")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            stored = files.store(form.cleaned_data["file"], {"csv", "xlsx"}, request.user)
        except files.UploadRejected as exc:
            form.add_error("file", str(exc))
        else:
            kind = "xlsx" if stored.content_type.endswith("sheet") else "csv"
            job = importing_rka.start_import(
                request.user, stored, kind, form.cleaned_data["tahap"], form.cleaned_data["dry_run"]
            )
            return redirect("core:job_detail", pk=job.pk)
    context = {"form": form, "columns": importing_rka.COLUMNS, "page_title": _("Import budget lines")}
    return render(request, "anggaran/rka/import.html", context)


@login_required
def rincian_export(request):
    _require(request, "anggaran.view")
    fmt = request.GET.get("format", "csv")
    tahap = TahapAnggaran.objects.filter(pk=request.GET.get("tahap") or 0).first() or TahapAnggaran.objects.first()
    if tahap is None or fmt not in ("csv", "xlsx"):
        return HttpResponse(_("Unknown format or round."), status=400, content_type="text/plain; charset=utf-8")
    scope = authz.restrict(Rka.objects.all(), request.user, "anggaran.view")
    if request.GET.get("unit", "").isdigit():
        scope = scope.filter(unit_id=request.GET["unit"])
    return _download(importing_rka.export_file(tahap, scope, fmt), fmt, f"rincian-{tahap.tahun}-{tahap.urutan}")
