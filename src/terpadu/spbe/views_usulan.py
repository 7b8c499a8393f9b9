"""Aplikasi khusus proposal pages (Pasal 39): list, draft/edit, submission with the overlap check, Diskominfo
review, cover letter, sent, pertimbangan; and the budget check of a sub kegiatan. Every query goes through the
gate (spbe.view in unit scope); every change through services_usulan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.core import authz
from terpadu.core.views import history_for
from terpadu.spbe import services_usulan as svc
from terpadu.spbe.filters_usulan import UsulanFilterSet
from terpadu.spbe.forms_usulan import AjukanForm, PertimbanganForm, ReviewForm, SuratForm, UsulanForm
from terpadu.spbe.models import UsulanAplikasi

S = UsulanAplikasi.Status


def _require(request, action: str, obj=None) -> None:
    if not authz.can(request.user, action, obj):
        raise PermissionDenied


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _visible(request):
    return authz.restrict(
        UsulanAplikasi.objects.select_related("unit", "sub_kegiatan__sub_kegiatan", "aplikasi", "surat_pengantar"),
        request.user,
        "spbe.view",
    )


def _get(request, pk: int) -> UsulanAplikasi:
    return get_object_or_404(_visible(request), pk=pk)


@login_required
def usulan_list(request):
    _require(request, "spbe.view")
    base = _visible(request)
    filterset = UsulanFilterSet(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    page = Paginator(queryset.order_by("-dibuat", "-pk"), 50).get_page(request.GET.get("page"))
    context = {
        "filter": filterset if filterset.is_bound else UsulanFilterSet(queryset=base),
        "page": page,
        "can_propose": authz.has_action(request.user, "spbe.propose"),
        "page_title": _("Aplikasi khusus proposals (Pasal 39)"),
    }
    return render(request, "spbe/usulan/list.html", context)


def _units_for(user):
    from terpadu.organisasi.models import UnitKerja

    return UnitKerja.objects.current().filter(authz.scope(user, "spbe.propose").q("path")).order_by("path")


def _sub_kegiatan_for(units):
    from terpadu.perencanaan.models import RenjaSubKegiatan

    return (
        RenjaSubKegiatan.objects.filter(unit__in=units)
        .select_related("sub_kegiatan", "unit")
        .order_by("-tahun", "sub_kegiatan__kode")
    )


@login_required
def usulan_create(request):
    if not authz.has_action(request.user, "spbe.propose"):
        raise PermissionDenied
    units = _units_for(request.user)
    form = UsulanForm(request.POST or None, units=units, sub_kegiatan=_sub_kegiatan_for(units))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = data.pop("unit")
        try:
            usulan = svc.buat(request.user, unit, data)
        except ValidationError as exc:
            _form_errors(form, exc)
        except PermissionDenied:
            form.add_error("unit", _("You may not propose applications for this OPD."))
        else:
            messages.success(request, _("The proposal was saved as a draft."))
            return redirect(usulan)
    return render(request, "spbe/usulan/form.html", {"form": form, "page_title": _("New aplikasi khusus proposal")})


@login_required
def usulan_edit(request, pk: int):
    usulan = _get(request, pk)
    _require(request, "spbe.propose", usulan)
    if usulan.status not in svc.EDITABLE:
        messages.error(request, _("Only a draft or a returned proposal can be edited."))
        return redirect(usulan)
    units = _units_for(request.user)
    form = UsulanForm(
        request.POST or None, instance=usulan, units=units, sub_kegiatan=_sub_kegiatan_for([usulan.unit_id])
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("unit", None)
        try:
            svc.ubah(request.user, usulan, data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The proposal was saved."))
            return redirect(usulan)
    return render(request, "spbe/usulan/form.html", {"form": form, "usulan": usulan, "page_title": _("Edit proposal")})


@login_required
def usulan_detail(request, pk: int):
    usulan = _get(request, pk)
    editable = usulan.status in svc.EDITABLE and svc.may_propose(request.user, usulan)
    overlaps = svc.tumpang_tindih(usulan) if editable else usulan.tumpang_tindih
    reviewer = svc.may_review(request.user, usulan)
    labels = {i.kode: i.uraian for i in svc.checklist_items()}
    context = {
        "usulan": usulan,
        "items": [(svc.ITEM_LABELS[n], getattr(usulan, n)) for n in UsulanAplikasi.SEVEN_ITEMS],
        "missing": [svc.ITEM_LABELS[m] for m in svc.missing_items(usulan)],
        "overlaps": overlaps,
        "overlap_keys": [svc.overlap_key(o) for o in overlaps],
        "editable": editable,
        "ajukan_form": AjukanForm() if editable else None,
        "reviewer": reviewer,
        "review_form": ReviewForm(checklist=usulan.checklist) if reviewer and usulan.status == S.DIAJUKAN else None,
        "surat_form": SuratForm() if reviewer and usulan.status == S.DIREKOMENDASIKAN else None,
        "pertimbangan_form": PertimbanganForm() if reviewer and usulan.status == S.DIKIRIM else None,
        "checklist": [(labels.get(k, k), v) for k, v in (usulan.checklist or {}).items()],
        "history": history_for(request.user, usulan),
        "page_title": usulan.nama_aplikasi,
    }
    return render(request, "spbe/usulan/detail.html", context)


@login_required
@require_POST
def usulan_submit(request, pk: int):
    usulan = _get(request, pk)
    _require(request, "spbe.propose", usulan)
    form = AjukanForm(request.POST)
    form.is_valid()
    try:
        svc.ajukan(
            request.user,
            usulan,
            konfirmasi=form.cleaned_data.get("konfirmasi", False),
            justifikasi=form.cleaned_data.get("justifikasi", ""),
            dilihat=request.POST.getlist("dilihat") if "dilihat_dikirim" in request.POST else None,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The proposal was submitted to Diskominfo."))
    return redirect(usulan)


@login_required
@require_POST
def usulan_delete(request, pk: int):
    usulan = _get(request, pk)
    _require(request, "spbe.propose", usulan)
    try:
        svc.hapus(request.user, usulan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(usulan)
    messages.success(request, _("The draft was deleted."))
    return redirect("spbe:usulan_list")


@login_required
@require_POST
def usulan_review(request, pk: int):
    """Save the checklist, return with notes, or recommend (button `aksi`)."""
    usulan = _get(request, pk)
    _require(request, "spbe.review", usulan)
    form = ReviewForm(request.POST, checklist=usulan.checklist)
    form.is_valid()
    aksi = request.POST.get("aksi", "simpan")
    try:
        if aksi == "kembalikan":
            svc.kembalikan(request.user, usulan, form.cleaned_data.get("catatan_review", ""), form.checklist())
            messages.success(request, _("The proposal was returned to the OPD."))
        elif aksi == "rekomendasikan":
            svc.rekomendasikan(request.user, usulan, form.checklist(), form.cleaned_data.get("catatan_review", ""))
            messages.success(request, _("The proposal was recommended."))
        else:
            svc.simpan_checklist(request.user, usulan, form.checklist())
            messages.success(request, _("The checklist was saved."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(usulan)


@login_required
@require_POST
def usulan_surat(request, pk: int):
    usulan = _get(request, pk)
    _require(request, "spbe.review", usulan)
    form = SuratForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the signing position and the classification."))
        return redirect(usulan)
    try:
        naskah = svc.buat_surat_pengantar(
            request.user,
            usulan,
            penandatangan_jabatan=form.cleaned_data.get("penandatangan_jabatan"),
            klasifikasi=form.cleaned_data.get("klasifikasi"),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Only an employee (pegawai) can draft the cover letter."))
    else:
        messages.success(request, _("The cover letter was drafted: %(hal)s.") % {"hal": naskah.hal})
    return redirect(usulan)


@login_required
@require_POST
def usulan_kirim(request, pk: int):
    usulan = _get(request, pk)
    _require(request, "spbe.review", usulan)
    try:
        svc.tandai_dikirim(request.user, usulan, alasan=_("marked manually"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The proposal is marked as sent to KemenPANRB."))
    return redirect(usulan)


@login_required
def usulan_pertimbangan(request, pk: int):
    usulan = _get(request, pk)
    _require(request, "spbe.review", usulan)
    form = PertimbanganForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            svc.catat_pertimbangan(
                request.user,
                usulan,
                keputusan=data.get("keputusan") or "",
                nomor=data.get("pertimbangan_nomor") or "",
                tanggal=data.get("pertimbangan_tanggal"),
                dokumen=data.get("pertimbangan_dokumen"),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("KemenPANRB's pertimbangan was recorded."))
            return redirect(usulan)
    return render(
        request,
        "spbe/usulan/pertimbangan.html",
        {"form": form, "usulan": usulan, "page_title": _("Record KemenPANRB's pertimbangan")},
    )


@login_required
def usulan_cek_anggaran(request):
    """The budget gate as a page: what would block budgeting a sub kegiatan (without the budget module too)."""
    from terpadu.perencanaan.models import RenjaSubKegiatan

    _require(request, "spbe.view")
    units = authz.scope(request.user, "spbe.view")
    subs = RenjaSubKegiatan.objects.filter(units.q("unit__path")).select_related("sub_kegiatan", "unit")
    sub = None
    reasons: list[str] = []
    raw = request.GET.get("sub_kegiatan", "")
    if raw.isdigit():
        sub = subs.filter(pk=int(raw)).first()
        if sub is None:
            messages.error(request, _("Unknown sub kegiatan."))
        else:
            reasons = svc.check_budget(sub)
    context = {
        "subs": subs.order_by("-tahun", "unit__path", "sub_kegiatan__kode")[:500],
        "sub": sub,
        "reasons": reasons,
        "page_title": _("Budget gate: new aplikasi khusus"),
    }
    return render(request, "spbe/usulan/cek_anggaran.html", context)
