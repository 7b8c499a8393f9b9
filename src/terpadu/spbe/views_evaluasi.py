"""Pages of the SPBE / Pemdi evaluation: frameworks, self-assessments, indicator filling and review, what-if,
gains, year-over-year comparison and the worksheet export. Every query goes through the gate, every change
through services_evaluasi.

Frameworks and Penilaian have no unit: every OPD must read them while filling in its indicators, so those pages
check `authz.has_action(user, "spbe.view")` instead of restrict(); the indicator rows (NilaiIndikator, unit =
the responsible OPD) are restricted as usual."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.core import authz
from terpadu.core.views import history_for
from terpadu.spbe import engine_evaluasi as engine
from terpadu.spbe import exports_evaluasi as exports
from terpadu.spbe import services_evaluasi as sv
from terpadu.spbe.forms_evaluasi import (
    KEYAKINAN_BADGE,
    BuktiForm,
    HasilResmiForm,
    KerangkaUnggahForm,
    NilaiForm,
    PenilaianForm,
    TetapkanForm,
    TinjauForm,
)
from terpadu.spbe.models import Kerangka, NilaiIndikator, Penilaian

VIEW, ASSESS, CONFIGURE = "spbe.view", "spbe.assess", "spbe.configure"


def _need(request, action: str) -> None:
    if not authz.has_action(request.user, action):
        raise PermissionDenied


def _messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _ctx(request, **extra) -> dict:
    return {
        "can_configure": authz.has_action(request.user, CONFIGURE),
        "can_assess": authz.has_action(request.user, ASSESS),
        "badge": KEYAKINAN_BADGE,
        **extra,
    }


# -- frameworks ------------------------------------------------------------------------------------------------------


@login_required
def kerangka_list(request):
    _need(request, VIEW)
    frameworks = Kerangka.objects.order_by("-tahun_mulai")
    for k in frameworks:
        k.badge = KEYAKINAN_BADGE.get(k.keyakinan, "")
    return render(
        request,
        "spbe/evaluasi/kerangka_list.html",
        _ctx(request, frameworks=frameworks, shipped=sv.shipped_codes(), page_title=_("Evaluation frameworks")),
    )


@login_required
def kerangka_detail(request, pk):
    _need(request, VIEW)
    kerangka = get_object_or_404(Kerangka, pk=pk)
    model = sv.model_of(kerangka)
    aspek_rows = []
    for aspek in model.aspek.values():
        aspek_rows.append({"aspek": aspek, "indikator": [i for i in model.by_nomor.values() if i.aspek_id == aspek.pk]})
    return render(
        request,
        "spbe/evaluasi/kerangka_detail.html",
        _ctx(
            request,
            kerangka=kerangka,
            domains=list(model.domain.values()),
            aspek_rows=aspek_rows,
            levels=kerangka.level.all(),
            bands=kerangka.predikat.order_by("urutan"),
            konversi=kerangka.konversi.all(),
            history=history_for(request.user, kerangka),
            page_title=str(kerangka),
        ),
    )


@login_required
@require_POST
def kerangka_muat(request):
    _need(request, CONFIGURE)
    try:
        results = sv.muat_semua(request.user)
    except ValidationError as exc:
        messages.error(request, _messages(exc))
    else:
        messages.success(request, "; ".join(_("%(k)s: %(o)s") % {"k": k.kode, "o": outcome} for k, outcome in results))
    return redirect("spbe:kerangka_list")


@login_required
def kerangka_unggah(request):
    _need(request, CONFIGURE)
    report = None
    form = KerangkaUnggahForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = sv.unggah_kerangka(
                data, data["indikator"], data["predikat"], dry_run=data["dry_run"], user=request.user
            )
        except (ValidationError, engine.EngineError) as exc:
            form.add_error(None, _messages(exc) if isinstance(exc, ValidationError) else str(exc))
        else:
            if report["kerangka"] is not None:
                messages.success(request, _("Framework %(k)s added.") % {"k": report["kerangka"].kode})
                return redirect("spbe:kerangka_detail", report["kerangka"].pk)
    return render(
        request,
        "spbe/evaluasi/kerangka_unggah.html",
        _ctx(request, form=form, report=report, page_title=_("Add a framework from files")),
    )


# -- assessments -----------------------------------------------------------------------------------------------------


@login_required
def penilaian_list(request):
    _need(request, VIEW)
    rows = []
    for p in Penilaian.objects.select_related("kerangka").order_by("-tahun", "kerangka__kode", "jenis"):
        rows.append({"p": p, "tampil": engine.tampil(p.indeks) if p.indeks is not None else None})
    return render(
        request,
        "spbe/evaluasi/penilaian_list.html",
        _ctx(
            request,
            rows=rows,
            form=PenilaianForm(),
            resmi_form=HasilResmiForm(),
            page_title=_("SPBE / Pemdi evaluations"),
        ),
    )


@login_required
@require_POST
def penilaian_buat(request):
    _need(request, CONFIGURE)
    form = PenilaianForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("spbe:penilaian_list")
    try:
        penilaian = sv.buat_penilaian(form.cleaned_data["kerangka"], form.cleaned_data["tahun"], request.user)
    except ValidationError as exc:
        messages.error(request, _messages(exc))
        return redirect("spbe:penilaian_list")
    return redirect(penilaian)


@login_required
@require_POST
def hasil_resmi(request):
    _need(request, CONFIGURE)
    form = HasilResmiForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("spbe:penilaian_list")
    d = form.cleaned_data
    try:
        sv.catat_hasil_resmi(
            d["kerangka"], d["tahun"], d["indeks"], keputusan=d["keputusan"], sumber=d["sumber"],
            predikat=d["predikat"], user=request.user,
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, _messages(exc))
    else:
        messages.success(request, _("Official result recorded."))
    return redirect("spbe:penilaian_list")


def _penilaian(request, pk) -> Penilaian:
    _need(request, VIEW)
    return get_object_or_404(Penilaian.objects.select_related("kerangka"), pk=pk)


def _visible_rows(request, penilaian):
    qs = penilaian.nilai.select_related("indikator__aspek", "unit", "asesor").order_by("indikator__nomor")
    return authz.restrict(qs, request.user, VIEW)


@login_required
def penilaian_detail(request, pk):
    penilaian = _penilaian(request, pk)
    model = sv.model_of(penilaian.kerangka)
    result = sv.hitung(penilaian, model)
    rows = list(_visible_rows(request, penilaian))
    for n in rows:
        n.can_assess = authz.can(request.user, ASSESS, n)
    counts = {s: 0 for s in NilaiIndikator.Status.values}
    for s in penilaian.nilai.values_list("status", flat=True):
        counts[s] += 1
    return render(
        request,
        "spbe/evaluasi/penilaian_detail.html",
        _ctx(
            request,
            penilaian=penilaian,
            result=result,
            rows=rows,
            counts=counts,
            total=sum(counts.values()),
            history=history_for(request.user, penilaian),
            page_title=str(penilaian),
        ),
    )


@login_required
@require_POST
def penilaian_review(request, pk):
    penilaian = _penilaian(request, pk)
    _need(request, CONFIGURE)
    try:
        sv.mulai_review(penilaian, request.user)
    except ValidationError as exc:
        messages.error(request, _messages(exc))
    return redirect(penilaian)


@login_required
@require_POST
def penilaian_kunci(request, pk):
    penilaian = _penilaian(request, pk)
    _need(request, CONFIGURE)
    try:
        sv.kunci(penilaian, request.user)
    except ValidationError as exc:
        messages.error(request, _messages(exc))
    else:
        messages.success(request, _("The assessment is locked."))
    return redirect(penilaian)


@login_required
def penilaian_whatif(request, pk):
    """The what-if simulator (htmx: the form posts here and the result panel is swapped). Saves nothing."""
    penilaian = _penilaian(request, pk)
    model = sv.model_of(penilaian.kerangka)
    scores, _info = sv.skor_untuk_hitung(model, penilaian)
    result, error = None, None
    if request.method == "POST":
        targets = {}
        for ind in model.indikator:
            value = (request.POST.get(f"t{ind.nomor}") or "").strip()
            if value and engine.dec_or_none(value) != scores.get(ind.nomor):
                targets[ind.nomor] = value
        try:
            result = sv.what_if(penilaian, targets)
        except ValidationError as exc:
            error = _messages(exc)
        if request.headers.get("HX-Request"):
            return render(request, "spbe/evaluasi/_whatif_result.html", {"result": result, "error": error})
    rows = [{"ind": ind, "nilai": scores.get(ind.nomor)} for ind in model.indikator]
    return render(
        request,
        "spbe/evaluasi/whatif.html",
        _ctx(
            request, penilaian=penilaian, rows=rows, result=result, error=error, skala=model.skala,
            page_title=_("What-if: %(p)s") % {"p": penilaian},
        ),
    )  # fmt: skip


@login_required
def penilaian_gains(request, pk):
    penilaian = _penilaian(request, pk)
    return render(
        request,
        "spbe/evaluasi/gains.html",
        _ctx(
            request, penilaian=penilaian, gains=sv.gains(penilaian),
            page_title=_("Greatest index gain per level step: %(p)s") % {"p": penilaian},
        ),
    )  # fmt: skip


@login_required
def penilaian_ekspor(request, pk):
    penilaian = _penilaian(request, pk)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    sheet = exports.worksheet(penilaian, _visible_rows(request, penilaian))
    name = f"lembar-kerja-{penilaian.kerangka.kode}-{penilaian.tahun}-{penilaian.jenis}"
    if fmt == "xlsx":
        response = HttpResponse(
            exports.xlsx(sheet), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        response = HttpResponse(exports.pdf(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def perbandingan(request):
    _need(request, VIEW)
    series = sv.perbandingan()
    benchmark = sv.benchmark()
    for b in benchmark:
        b["badge"] = KEYAKINAN_BADGE.get(b["keyakinan"], "")
    return render(
        request,
        "spbe/evaluasi/perbandingan.html",
        _ctx(request, series=series, benchmark=benchmark, page_title=_("Year-over-year comparison")),
    )


# -- one indicator ---------------------------------------------------------------------------------------------------


def _nilai(request, pk) -> NilaiIndikator:
    nilai = get_object_or_404(
        NilaiIndikator.objects.select_related("indikator__aspek", "indikator__kerangka", "penilaian__kerangka", "unit"),
        pk=pk,
    )
    if not authz.can(request.user, VIEW, nilai):
        raise Http404
    return nilai


@login_required
def bukti_file(request, pk, bukti):
    """An evidence file, to whoever may see the indicator score (its OPD, the reviewers, auditors)."""
    nilai = _nilai(request, pk)
    item = get_object_or_404(nilai.bukti.select_related("file"), pk=bukti)
    if item.file is None or not item.file.file:
        raise Http404
    response = FileResponse(item.file.file.open("rb"), content_type=item.file.content_type)
    response["Content-Disposition"] = f'inline; filename="bukti-{nilai.indikator.nomor}-{item.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def nilai_detail(request, pk):
    nilai = _nilai(request, pk)
    kerangka = nilai.penilaian.kerangka
    can_assess = authz.can(request.user, ASSESS, nilai)
    editable = (
        nilai.penilaian.jenis == Penilaian.Jenis.MANDIRI
        and nilai.penilaian.status != Penilaian.Status.TERKUNCI
        and nilai.status in sv.EDITABLE
    )
    proposals = sv.usulan_bukti(nilai.penilaian, nilai.indikator) if authz.has_action(request.user, VIEW) else []
    return render(
        request,
        "spbe/evaluasi/nilai_detail.html",
        _ctx(
            request,
            nilai=nilai,
            kerangka=kerangka,
            levels=kerangka.level.filter(skala=nilai.indikator.skala_kapabilitas),
            can_edit=can_assess and editable,
            form=NilaiForm(initial={"nilai": nilai.nilai, "justifikasi": nilai.justifikasi,
                                    "nilai_eksternal": nilai.nilai_eksternal}),  # fmt: skip
            bukti_form=BuktiForm(),
            tinjau_form=TinjauForm(),
            bukti=nilai.bukti.select_related("file").order_by("dibuat"),
            proposals=proposals,
            tetapkan_form=TetapkanForm(initial={"unit": nilai.unit_id, "asesor": nilai.asesor_id}),
            history=history_for(request.user, nilai),
            page_title=_("Indicator %(n)s: %(name)s") % {"n": nilai.indikator.nomor, "name": nilai.indikator.nama},
        ),
    )  # fmt: skip


def _assess_post(request, pk) -> NilaiIndikator:
    nilai = _nilai(request, pk)
    if not authz.can(request.user, ASSESS, nilai):
        raise PermissionDenied
    return nilai


@login_required
@require_POST
def nilai_isi(request, pk):
    nilai = _assess_post(request, pk)
    form = NilaiForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            sv.isi_nilai(
                nilai, request.user, skor=d["nilai"] or None, justifikasi=d["justifikasi"],
                nilai_eksternal=d["nilai_eksternal"] or None,
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, _messages(exc))
        else:
            messages.success(request, _("Saved."))
    return redirect("spbe:nilai_detail", nilai.pk)


@login_required
@require_POST
def nilai_kirim(request, pk):
    nilai = _assess_post(request, pk)
    try:
        sv.kirim_nilai(nilai, request.user)
    except ValidationError as exc:
        messages.error(request, _messages(exc))
    else:
        messages.success(request, _("Submitted for review."))
    return redirect("spbe:nilai_detail", nilai.pk)


@login_required
@require_POST
def nilai_bukti(request, pk):
    nilai = _assess_post(request, pk)
    form = BuktiForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        try:
            sv.tambah_bukti(nilai, form.cleaned_data["file"], form.cleaned_data["keterangan"], request.user)
        except ValidationError as exc:
            messages.error(request, _messages(exc))
        else:
            messages.success(request, _("Evidence added."))
    return redirect("spbe:nilai_detail", nilai.pk)


@login_required
@require_POST
def nilai_usulan_terima(request, pk):
    nilai = _assess_post(request, pk)
    try:
        posisi = int(request.POST.get("posisi", ""))
    except ValueError:
        messages.error(request, _("Choose a proposal."))
        return redirect("spbe:nilai_detail", nilai.pk)
    try:
        sv.terima_usulan(nilai, request.POST.get("penyedia", ""), posisi, request.user)
    except ValidationError as exc:
        messages.error(request, _messages(exc))
    else:
        messages.success(request, _("The proposal is stored as evidence."))
    return redirect("spbe:nilai_detail", nilai.pk)


@login_required
@require_POST
def nilai_tinjau(request, pk):
    nilai = _nilai(request, pk)
    _need(request, CONFIGURE)
    form = TinjauForm(request.POST)
    if form.is_valid():
        try:
            sv.tinjau_nilai(
                nilai, form.cleaned_data["keputusan"] == "terima", form.cleaned_data["catatan"], request.user
            )
        except ValidationError as exc:
            messages.error(request, _messages(exc))
    return redirect("spbe:nilai_detail", nilai.pk)


@login_required
@require_POST
def nilai_tetapkan(request, pk):
    nilai = _nilai(request, pk)
    _need(request, CONFIGURE)
    form = TetapkanForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("spbe:nilai_detail", nilai.pk)
    unit, asesor = form.cleaned_data["unit"], form.cleaned_data["asesor"]
    try:
        sv.tetapkan(nilai, unit=unit, asesor=asesor, user=request.user)
    except ValidationError as exc:
        messages.error(request, _messages(exc))
    return redirect("spbe:nilai_detail", nilai.pk)
