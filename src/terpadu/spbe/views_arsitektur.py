"""Pages of the arsitektur part: reference codes, architecture elements (neighbourhood, domain × OPD matrix),
gaps and needs, the Peta Rencana (list, timeline, export). Every read goes through the gate, every change
through services_arsitektur.

Gate: spbe.view in unit scope (an OPD sees its own elements and roadmap items; elements without an owner only
through whole-pemda grants), spbe.manage to change, spbe.configure to load a reference edition. The reference
codes have no unit: every holder of spbe.view reads them (has_action), since each OPD needs them to read its
elements."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.core import authz
from terpadu.core.views import history_for
from terpadu.spbe import services_arsitektur as services
from terpadu.spbe.filters_arsitektur import ElemenFilterSet, KesenjanganFilterSet, ReferensiFilterSet, RencanaFilterSet
from terpadu.spbe.forms_arsitektur import (
    ElemenForm,
    KebutuhanForm,
    KesenjanganForm,
    KodeKotaEditForm,
    KodeKotaForm,
    LoadEditionForm,
    RelasiForm,
    RencanaForm,
)
from terpadu.spbe.models import (
    Domain,
    ElemenArsitektur,
    Kebutuhan,
    Kesenjangan,
    ModelReferensi,
    PetaRencanaItem,
    ReferensiArsitektur,
    RelasiElemen,
    VersiReferensi,
)

VIEW, MANAGE, CONFIGURE = "spbe.view", "spbe.manage", "spbe.configure"
TEMPLATES = "spbe/arsitektur/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _need(request, action: str) -> None:
    if not authz.has_action(request.user, action):
        raise PermissionDenied


def _elemen_visible(request):
    return authz.restrict(ElemenArsitektur.objects.all(), request.user, VIEW)


def _rencana_visible(request):
    return authz.restrict(PetaRencanaItem.objects.all(), request.user, VIEW)


def _get_elemen(request, pk) -> ElemenArsitektur:
    _need(request, VIEW)
    return get_object_or_404(_elemen_visible(request).select_related("unit", "referensi__versi"), pk=pk)


def _get_rencana(request, pk) -> PetaRencanaItem:
    _need(request, VIEW)
    return get_object_or_404(_rencana_visible(request).select_related("unit", "kebutuhan"), pk=pk)


def _require_manage(request, obj) -> None:
    if not authz.can(request.user, MANAGE, obj):
        raise PermissionDenied


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            if name == "metadata":
                form.add_error(None, errors)
            else:
                form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _form_page(request, form, title: str, back: str, intro: str = "", status: int = 200):
    return render(request, TEMPLATES + "form.html",
                  {"form": form, "page_title": title, "back": back, "intro": intro}, status=status)  # fmt: skip


# -- reference codes ------------------------------------------------------------------------------------------


@login_required
def referensi_list(request):
    _need(request, VIEW)  # reference data without a unit: every holder of spbe.view reads it
    versi_id = request.GET.get("versi", "")
    versi = (VersiReferensi.objects.filter(pk=versi_id).first() if versi_id.isdigit() else None) or (
        services.current_versi()
    )
    codes = ReferensiArsitektur.objects.filter(versi=versi).select_related("parent") if versi else None
    filterset = ReferensiFilterSet(
        request.GET, queryset=codes if codes is not None else ReferensiArsitektur.objects.none()
    )
    rows = filterset.qs.annotate(jumlah_elemen=Count("elemen")).order_by("model", "kode")
    return render(request, TEMPLATES + "referensi_list.html", {
        "page_title": _("Reference architecture"), "versi": versi, "editions": VersiReferensi.objects.all(),
        "filter": filterset, "rows": rows, "models": ModelReferensi.choices,
        "can_manage": authz.has_action(request.user, MANAGE),
        "can_configure": authz.has_action(request.user, CONFIGURE),
    })  # fmt: skip


@login_required
def referensi_load(request):
    _need(request, CONFIGURE)
    form = LoadEditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.load_reference(form.cleaned_data["tahun"], nama=form.cleaned_data["nama"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Edition %(nama)s loaded: %(n)s national codes, %(c)s city codes carried over.")
                             % {"nama": result["versi"].nama, "n": result["codes"],
                                "c": result["carried"]})  # fmt: skip
            return redirect(f"{_url('spbe:referensi_list')}?versi={result['versi'].pk}")
    return _form_page(request, form, _("Load a national reference edition"), "spbe:referensi_list",
                      _("Loads the shipped reference file (data/arsitektur_referensi.csv) as the edition in force from "
                        "the given year. The edition with the latest year is the current one."))  # fmt: skip


def _url(name, *args):
    from django.urls import reverse

    return reverse(name, args=args)


@login_required
def referensi_kode_create(request):
    _need(request, MANAGE)
    form = KodeKotaForm(request.POST or None, initial={"parent": request.GET.get("parent", "")})
    if request.method == "POST" and form.is_valid():
        try:
            code = services.tambah_kode_kota(form.cleaned_data["parent"], form.cleaned_data["nama"],
                                             form.cleaned_data["kode"])  # fmt: skip
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("City code %(kode)s added.") % {"kode": code.kode})
            return redirect(f"{_url('spbe:referensi_list')}?model={code.model}")
    return _form_page(request, form, _("Add a city reference code (level 3+)"), "spbe:referensi_list")


@login_required
def referensi_kode_edit(request, pk):
    _need(request, MANAGE)
    code = get_object_or_404(ReferensiArsitektur, pk=pk)
    if code.nasional:
        raise PermissionDenied
    form = KodeKotaEditForm(request.POST or None, initial={"nama": code.nama})
    if request.method == "POST" and form.is_valid():
        try:
            services.ubah_kode_kota(code, form.cleaned_data["nama"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect(f"{_url('spbe:referensi_list')}?model={code.model}")
    return _form_page(request, form, _("Rename city code %(kode)s") % {"kode": code.kode}, "spbe:referensi_list")


@login_required
@require_POST
def referensi_kode_retire(request, pk):
    _need(request, MANAGE)
    code = get_object_or_404(ReferensiArsitektur, pk=pk)
    try:
        services.pensiunkan_kode(code)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Code %(kode)s retired.") % {"kode": code.kode})
    return redirect(f"{_url('spbe:referensi_list')}?model={code.model}")


# -- elements -------------------------------------------------------------------------------------------------


@login_required
def elemen_list(request):
    _need(request, VIEW)
    filterset = ElemenFilterSet(request.GET, queryset=_elemen_visible(request).select_related("unit", "referensi"))
    page = Paginator(filterset.qs.order_by("domain", "kode"), 50).get_page(request.GET.get("page"))
    return render(request, TEMPLATES + "elemen_list.html", {
        "page_title": _("Architecture elements"), "filter": filterset, "page": page, "domains": Domain.choices,
        "can_manage": authz.has_action(request.user, MANAGE),
    })  # fmt: skip


def _save_elemen_from_form(request, form, elemen=None):
    data = form.service_data()
    probe = ElemenArsitektur(unit=data.get("unit"))
    if not authz.can(request.user, MANAGE, probe):
        form.add_error("unit", _("You may not manage elements of this OPD."))
        return None
    try:
        return services.simpan_elemen(data, elemen)
    except ValidationError as exc:
        _form_errors(form, exc)
        return None


@login_required
def elemen_create(request, domain):
    _need(request, MANAGE)
    if domain not in Domain.values:
        raise Http404
    form = ElemenForm(request.POST or None, domain=domain, initial={"status": ElemenArsitektur.Status.SAAT_INI})
    if request.method == "POST" and form.is_valid():
        elemen = _save_elemen_from_form(request, form)
        if elemen is not None:
            messages.success(request, _("Element %(elemen)s saved.") % {"elemen": elemen})
            return redirect(elemen)
    return _form_page(request, form, _("New %(domain)s element") % {"domain": Domain(domain).label}, "spbe:elemen_list")


@login_required
def elemen_edit(request, pk):
    elemen = _get_elemen(request, pk)
    _require_manage(request, elemen)
    form = ElemenForm(request.POST or None, domain=elemen.domain, initial=ElemenForm.initial_for(elemen))
    if request.method == "POST" and form.is_valid():
        saved = _save_elemen_from_form(request, form, elemen)
        if saved is not None:
            messages.success(request, _("Element %(elemen)s saved.") % {"elemen": saved})
            return redirect(saved)
    return _form_page(request, form, _("Edit %(elemen)s") % {"elemen": elemen}, elemen.get_absolute_url())


@login_required
@require_POST
def elemen_retire(request, pk):
    elemen = _get_elemen(request, pk)
    _require_manage(request, elemen)
    try:
        services.pensiunkan_elemen(elemen, request.POST.get("alasan", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Element %(elemen)s retired.") % {"elemen": elemen})
    return redirect(elemen)


@login_required
def elemen_detail(request, pk):
    elemen = _get_elemen(request, pk)
    visible = _elemen_visible(request)
    can_manage = authz.can(request.user, MANAGE, elemen)
    specs = services.metadata_fields(elemen.domain)
    metadata = [(spec, (elemen.metadata or {}).get(spec.key, "")) for spec in specs]
    gaps = elemen.kesenjangan.prefetch_related(Prefetch("kebutuhan", queryset=Kebutuhan.objects.select_related("unit")))
    relasi_form = RelasiForm(elemen_qs=visible.exclude(pk=elemen.pk).exclude(status=ElemenArsitektur.Status.DIHENTIKAN))
    return render(request, TEMPLATES + "elemen_detail.html", {
        "page_title": f"{elemen.kode} {elemen.nama}", "elemen": elemen, "metadata": metadata,
        "tree": services.neighbourhood(elemen, visible), "gaps": gaps,
        "rencana": _rencana_visible(request).filter(elemen=elemen).select_related("unit"),
        "can_manage": can_manage, "relasi_form": relasi_form if can_manage else None,
        "to_analyse": services.has_target(elemen) and not gaps.exists(),
        "history": history_for(request.user, elemen),
    })  # fmt: skip


@login_required
def relasi_create(request, pk):
    elemen = _get_elemen(request, pk)
    _require_manage(request, elemen)
    visible = _elemen_visible(request).exclude(pk=elemen.pk)
    form = RelasiForm(request.POST or None, elemen_qs=visible)
    if request.method == "POST" and form.is_valid():
        other = form.cleaned_data["lain"]
        dari, ke = (elemen, other) if form.cleaned_data["arah"] == "keluar" else (other, elemen)
        try:
            services.tambah_relasi(dari, ke, form.cleaned_data["keterangan"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Link %(dari)s → %(ke)s added.") % {"dari": dari, "ke": ke})
            return redirect(elemen)
    return _form_page(request, form, _("Link %(elemen)s") % {"elemen": elemen}, elemen.get_absolute_url(),
                      status=400 if request.method == "POST" else 200)  # fmt: skip


@login_required
@require_POST
def relasi_delete(request, pk):
    _need(request, MANAGE)
    relasi = get_object_or_404(RelasiElemen.objects.select_related("dari", "ke"), pk=pk)
    visible = _elemen_visible(request)
    if not visible.filter(pk=relasi.dari_id).exists():
        raise Http404
    _require_manage(request, relasi.dari)
    back = request.POST.get("back") or relasi.dari.get_absolute_url()
    services.hapus_relasi(relasi)
    messages.success(request, _("Link removed."))
    return redirect(back if back.startswith("/") and not back.startswith("//") else relasi.dari.get_absolute_url())


@login_required
def elemen_matrix(request):
    _need(request, VIEW)
    return render(request, TEMPLATES + "matriks.html", {
        "page_title": _("Architecture: domain × OPD"), "matrix": services.matrix(_elemen_visible(request)),
    })  # fmt: skip


@login_required
def elemen_export(request):
    _need(request, VIEW)
    domain = request.GET.get("domain", "")
    if domain not in Domain.values:
        return HttpResponse(_("Choose a domain: %(choices)s.") % {"choices": ", ".join(Domain.values)}, status=400,
                            content_type="text/plain; charset=utf-8")  # fmt: skip
    filterset = ElemenFilterSet(request.GET, queryset=_elemen_visible(request))
    response = HttpResponse(services.export_sia(domain, filterset.qs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sia-spbe-{domain}.csv"'
    return response


# -- gaps and needs ------------------------------------------------------------------------------------------


@login_required
def kesenjangan_create(request, pk):
    elemen = _get_elemen(request, pk)
    _require_manage(request, elemen)
    form = KesenjanganForm(request.POST or None, initial={"kondisi_saat_ini": elemen.kondisi_saat_ini,
                                                          "kondisi_target": elemen.kondisi_target})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.catat_kesenjangan(elemen, form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Gap recorded."))
            return redirect(elemen)
    return _form_page(request, form, _("Gap of %(elemen)s") % {"elemen": elemen}, elemen.get_absolute_url())


@login_required
def kebutuhan_create(request, pk):
    _need(request, VIEW)
    gap = get_object_or_404(Kesenjangan.objects.filter(elemen__in=_elemen_visible(request)).select_related("elemen"),
                            pk=pk)  # fmt: skip
    _require_manage(request, gap.elemen)
    form = KebutuhanForm(request.POST or None, initial={"unit": gap.elemen.unit_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.catat_kebutuhan(gap, form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Need recorded."))
            return redirect(gap.elemen)
    return _form_page(request, form, _("Need derived from the gap: %(gap)s") % {"gap": gap.uraian[:80]},
                      gap.elemen.get_absolute_url())  # fmt: skip


@login_required
def kesenjangan_list(request):
    _need(request, VIEW)
    visible = _elemen_visible(request)
    gaps = Kesenjangan.objects.filter(elemen__in=visible).select_related("elemen__unit")
    filterset = KesenjanganFilterSet(request.GET, queryset=gaps)
    analyse = services.to_analyse(ElemenFilterSet(
        {k: v for k, v in request.GET.items() if k in ("domain", "unit")}, queryset=visible
    ).qs).select_related("unit")  # fmt: skip
    rows = filterset.qs.prefetch_related(Prefetch("kebutuhan", queryset=Kebutuhan.objects.select_related("unit")))
    return render(request, TEMPLATES + "kesenjangan_list.html", {
        "page_title": _("Gap analysis"), "filter": filterset,
        "rows": rows.order_by("elemen__domain", "elemen__unit__kode", "elemen__kode"), "to_analyse": analyse,
    })  # fmt: skip


# -- Peta Rencana --------------------------------------------------------------------------------------------


def _rencana_form(request, item=None):
    visible = _elemen_visible(request)
    linkable = visible.exclude(status=ElemenArsitektur.Status.DIHENTIKAN)
    if item is not None:
        linkable = visible.filter(Q(pk__in=linkable) | Q(pk__in=item.elemen.all()))
    needs = Kebutuhan.objects.filter(kesenjangan__elemen__in=visible).order_by("tahun_target", "pk")
    initial = (
        RencanaForm.initial_for(item)
        if item
        else {"status": PetaRencanaItem.Status.RENCANA, "kebutuhan": request.GET.get("kebutuhan") or None}
    )
    return RencanaForm(request.POST or None, initial=initial, elemen_qs=linkable, kebutuhan_qs=needs)


def _save_rencana(request, form, item=None):
    data = dict(form.cleaned_data)
    if not authz.can(request.user, MANAGE, PetaRencanaItem(unit=data["unit"])):
        form.add_error("unit", _("You may not manage roadmap items of this OPD."))
        return None
    data["elemen"] = list(data.get("elemen") or [])
    try:
        return services.simpan_rencana(data, item)
    except ValidationError as exc:
        _form_errors(form, exc)
        return None


@login_required
def rencana_list(request):
    _need(request, VIEW)
    filterset = RencanaFilterSet(request.GET, queryset=_rencana_visible(request).select_related("unit"))
    queryset = filterset.qs.prefetch_related("elemen")
    flagged = set(services.flagged_rencana(filterset.qs).values_list("pk", flat=True))
    page = Paginator(queryset.order_by("tahun", "muatan", "nama"), 50).get_page(request.GET.get("page"))
    return render(request, TEMPLATES + "rencana_list.html", {
        "page_title": _("Peta Rencana SPBE"), "filter": filterset, "page": page, "flagged": flagged,
        "can_manage": authz.has_action(request.user, MANAGE), "query": request.GET.urlencode(),
    })  # fmt: skip


@login_required
def rencana_timeline(request):
    _need(request, VIEW)
    filterset = RencanaFilterSet(request.GET, queryset=_rencana_visible(request))
    data = services.timeline(filterset.qs)
    return render(request, TEMPLATES + "rencana_timeline.html", {
        "page_title": _("Peta Rencana SPBE: timeline"), "filter": filterset, "data": data,
        "columns": len(data["years"]), "query": request.GET.urlencode(),
    })  # fmt: skip


@login_required
def rencana_create(request):
    _need(request, MANAGE)
    form = _rencana_form(request)
    if request.method == "POST" and form.is_valid():
        item = _save_rencana(request, form)
        if item is not None:
            messages.success(request, _("Roadmap item saved."))
            return redirect(item)
    return _form_page(request, form, _("New Peta Rencana item"), "spbe:rencana_list")


@login_required
def rencana_edit(request, pk):
    item = _get_rencana(request, pk)
    _require_manage(request, item)
    form = _rencana_form(request, item)
    if request.method == "POST" and form.is_valid():
        saved = _save_rencana(request, form, item)
        if saved is not None:
            messages.success(request, _("Roadmap item saved."))
            return redirect(saved)
    return _form_page(request, form, _("Edit %(item)s") % {"item": item}, item.get_absolute_url())


@login_required
@require_POST
def rencana_delete(request, pk):
    item = _get_rencana(request, pk)
    _require_manage(request, item)
    services.hapus_rencana(item)
    messages.success(request, _("Roadmap item deleted."))
    return redirect("spbe:rencana_list")


@login_required
def rencana_detail(request, pk):
    item = _get_rencana(request, pk)
    return render(request, TEMPLATES + "rencana_detail.html", {
        "page_title": item.nama, "item": item, "flags": services.rencana_flags(item),
        "elemen": item.elemen.filter(pk__in=_elemen_visible(request)).select_related("unit", "referensi"),
        "can_manage": authz.can(request.user, MANAGE, item), "history": history_for(request.user, item),
    })  # fmt: skip


@login_required
def rencana_export(request):
    _need(request, VIEW)
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        return HttpResponse(_("Unknown format (csv, xlsx)."), status=400, content_type="text/plain; charset=utf-8")
    filterset = RencanaFilterSet(request.GET, queryset=_rencana_visible(request))
    response = HttpResponse(services.export_rencana(filterset.qs.order_by("tahun", "muatan", "nama"), fmt),
                            content_type=XLSX if fmt == "xlsx" else "text/csv; charset=utf-8")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="peta-rencana-spbe.{fmt}"'
    return response
