"""Kontrak pages: packages (RUP) with their DPA funding, contracts with termin, jaminan, adendum history and
flags, suppliers. Every query goes through the gate; every change through the services.

Penyedia has no unit: any holder of kontrak.view (in any unit) reads the supplier list (a party rule registered
in register_kontrak), and any holder of kontrak.manage (in any unit) may add or correct a supplier.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.core import authz, files, tabular
from terpadu.core.views import history_for
from terpadu.kontrak import pantauan, services
from terpadu.kontrak.filters import KontrakFilterSet, PaketFilterSet, PenyediaFilterSet
from terpadu.kontrak.forms import (
    AdendumForm,
    JaminanForm,
    KontrakEditForm,
    KontrakForm,
    PaketForm,
    PenyediaForm,
    StatusForm,
    TerminForm,
    UnitTahunForm,
)
from terpadu.kontrak.models import Adendum, Jaminan, Kontrak, Paket, Penyedia, Termin
from terpadu.organisasi.models import UnitKerja

VIEW, MANAGE = "kontrak.view", "kontrak.manage"
DOCUMENT_KINDS = {"pdf"}


def _require_action(request, action: str) -> None:
    if not authz.has_action(request.user, action):
        raise PermissionDenied


def _require(request, action: str, obj) -> None:
    if not authz.can(request.user, action, obj):
        raise PermissionDenied


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _store(request, form, field: str):
    """The uploaded PDF as a StoredFile, or None; an upload error becomes a form error (returns False)."""
    upload = form.cleaned_data.get(field)
    if not upload:
        return None
    try:
        return files.store(upload, DOCUMENT_KINDS, request.user)
    except files.UploadRejected as exc:
        form.add_error(field, str(exc))
        return False


def visible_paket(user, action: str = VIEW):
    return authz.restrict(Paket.objects.select_related("unit"), user, action)


def visible_kontrak(user, action: str = VIEW):
    return authz.restrict(Kontrak.objects.select_related("unit", "penyedia", "paket"), user, action)


def visible_penyedia(user):
    return authz.restrict(Penyedia.objects.all(), user, VIEW)


def manage_units(user):
    """OPDs (units with DPA lines) in which the user may record packages."""
    from terpadu.anggaran.models import DpaBaris

    units = UnitKerja.objects.filter(pk__in=DpaBaris.objects.values("unit")).order_by("path")
    return authz.restrict(units, user, MANAGE)


# -- paket ------------------------------------------------------------------------------------


@login_required
def paket_list(request):
    _require_action(request, VIEW)
    base = visible_paket(request.user).annotate(n_kontrak=Count("kontrak", distinct=True))
    filterset = PaketFilterSet(request.GET or None, queryset=base, request=request)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    page = Paginator(queryset.order_by("-tahun", "unit__path", "nama"), 50).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "query": _query(request),
        "can_manage": authz.has_action(request.user, MANAGE),
        "page_title": _("Procurement packages (RUP)"),
    }
    return render(request, "kontrak/paket_list.html", context)


@login_required
def paket_detail(request, pk: int):
    paket = get_object_or_404(visible_paket(request.user), pk=pk)
    alokasi = list(paket.alokasi.select_related("dpa_baris__sub_kegiatan__sub_kegiatan", "dpa_baris__rekening"))
    for row in alokasi:
        row.tersedia = services.tersedia(row.dpa_baris)
    contracts = list(paket.kontrak.select_related("penyedia").order_by("tanggal", "pk"))
    dikontrak = sum((k.nilai for k in contracts), Decimal(0))
    context = {
        "paket": paket,
        "alokasi": alokasi,
        "contracts": contracts,
        "dikontrak": dikontrak,
        "sisa": paket.pagu - dikontrak,
        "can_manage": authz.can(request.user, MANAGE, paket),
        "history": history_for(request.user, paket),
        "page_title": paket.nama,
    }
    return render(request, "kontrak/paket_detail.html", context)


def _dpa_lines(unit, tahun, paket=None):
    from terpadu.anggaran.models import DpaBaris

    lines = list(
        DpaBaris.objects.filter(unit=unit, tahun=tahun).select_related("sub_kegiatan__sub_kegiatan", "rekening")
    )
    for line in lines:
        line.tersedia = services.tersedia(line, exclude_paket=paket)
    return lines


def _paket_form(request, unit, tahun, paket=None):
    lines = _dpa_lines(unit, tahun, paket)
    initial = {}
    if paket is not None:
        initial = {
            name: getattr(paket, name)
            for name in ("kode_rup", "nama", "metode", "jenis", "pagu", "sumber_dana", "lokasi")
        }
        initial.update({f"dpa_{a.dpa_baris_id}": a.nilai for a in paket.alokasi.all()})
    return PaketForm(request.POST or None, lines=lines, initial=initial)


@login_required
def paket_create(request):
    _require_action(request, MANAGE)
    units = manage_units(request.user)
    start = UnitTahunForm(request.GET if "unit" in request.GET else None, units=units,
                          initial={"tahun": timezone.localdate().year})  # fmt: skip
    if not start.is_bound or not start.is_valid():
        context = {"form": start, "method": "get", "page_title": _("New package: OPD and year")}
        return render(request, "kontrak/form.html", context)
    unit, tahun = start.cleaned_data["unit"], start.cleaned_data["tahun"]
    form = _paket_form(request, unit, tahun)
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in ("kode_rup", "nama", "metode", "jenis", "pagu", "sumber_dana", "lokasi")
        }
        try:
            paket = services.create_paket(unit, tahun, data, form.alokasi(), request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The package was recorded."))
            return redirect(paket)
    title = _("New package of %(unit)s, %(tahun)s") % {"unit": unit.nama, "tahun": tahun}
    return render(request, "kontrak/paket_form.html", {"form": form, "page_title": title})


@login_required
def paket_edit(request, pk: int):
    paket = get_object_or_404(visible_paket(request.user, MANAGE), pk=pk)
    form = _paket_form(request, paket.unit, paket.tahun, paket)
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in ("kode_rup", "nama", "metode", "jenis", "pagu", "sumber_dana", "lokasi")
        }
        try:
            paket = services.update_paket(paket, data, form.alokasi(), request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(paket)
    title = _("Edit %(name)s") % {"name": paket.nama}
    return render(request, "kontrak/paket_form.html", {"form": form, "paket": paket, "page_title": title})


@login_required
@require_POST
def paket_delete(request, pk: int):
    paket = get_object_or_404(visible_paket(request.user, MANAGE), pk=pk)
    try:
        services.delete_paket(paket, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(paket)
    messages.success(request, _("The package was deleted."))
    return redirect("kontrak:paket_list")


# -- kontrak ----------------------------------------------------------------------------------


def _kontrak_rows(request):
    base = pantauan.annotate_flags(visible_kontrak(request.user))
    filterset = KontrakFilterSet(request.GET or None, queryset=base, request=request)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    return filterset, queryset.order_by("-tahun", "-tanggal", "nomor")


@login_required
def kontrak_list(request):
    _require_action(request, VIEW)
    filterset, queryset = _kontrak_rows(request)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    for kontrak in page.object_list:
        kontrak.flags = pantauan.list_flags(kontrak)
    context = {
        "filter": filterset,
        "page": page,
        "query": _query(request),
        "page_title": _("Contracts"),
    }
    return render(request, "kontrak/kontrak_list.html", context)


EXPORT_COLUMNS = [
    "tahun", "opd", "paket", "kode_rup", "metode", "jenis_pengadaan", "nomor", "tanggal", "penyedia", "npwp",
    "jenis_kontrak", "pagu_paket", "hps", "nilai_awal", "nilai", "nilai_pdn", "nilai_umk", "mulai", "selesai",
    "status", "adendum", "dibayar",
]  # fmt: skip


@login_required
def kontrak_export(request):
    _require_action(request, VIEW)
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        return HttpResponse(_("Unknown format."), status=400, content_type="text/plain; charset=utf-8")
    _filterset, queryset = _kontrak_rows(request)
    from terpadu.realisasi.models import Realisasi

    queryset = queryset.annotate(n_adendum=Count("adendum", distinct=True))
    paid = dict(
        Realisasi.objects.filter(termin__kontrak__in=queryset.values("pk"))
        .values_list("termin__kontrak")
        .annotate(total=Sum("nilai"))
    )
    rows = (
        [
            k.tahun,
            k.unit.nama,
            k.paket.nama,
            k.paket.kode_rup,
            k.paket.metode,
            k.paket.jenis,
            k.nomor,
            k.tanggal,
            k.penyedia.nama,
            k.penyedia.npwp,
            k.jenis_kontrak,
            k.paket.pagu,
            k.hps,
            k.nilai_awal,
            k.nilai,
            k.nilai_pdn,
            k.nilai_umk,
            k.mulai,
            k.selesai,
            k.status,
            k.n_adendum,
            paid.get(k.pk, Decimal(0)),
        ]  # fmt: skip
        for k in queryset.iterator(chunk_size=500)
    )
    if fmt == "xlsx":
        content = tabular.write_xlsx({"kontrak": (EXPORT_COLUMNS, rows)})
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = tabular.write_csv(EXPORT_COLUMNS, rows)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="kontrak-{timezone.localdate():%Y%m%d}.{fmt}"'
    return response


def _get_kontrak(request, pk: int, action: str = VIEW) -> Kontrak:
    return get_object_or_404(visible_kontrak(request.user, action), pk=pk)


@login_required
def kontrak_detail(request, pk: int):
    kontrak = _get_kontrak(request, pk)
    termin = pantauan.termin_rows(kontrak)
    jaminan = list(kontrak.jaminan.all())
    for row in jaminan:
        row.kedaluwarsa = pantauan.jaminan_kedaluwarsa(row)
    context = {
        "kontrak": kontrak,
        "termin": termin,
        "termin_total": sum((t.nilai for t in termin), Decimal(0)),
        "dibayar": sum((t.dibayar for t in termin), Decimal(0)),
        "jaminan": jaminan,
        "riwayat": services.riwayat(kontrak),
        "adendum": list(kontrak.adendum.order_by("urutan")),
        "flags": pantauan.flags(kontrak, termin),
        "npwp": services.format_npwp(kontrak.penyedia.npwp),
        "jenis_unconfirmed": pantauan.unconfirmed("jenis_kontrak", kontrak.jenis_kontrak),
        "can_manage": authz.can(request.user, MANAGE, kontrak),
        "running": kontrak.status == Kontrak.Status.BERJALAN,
        "history": history_for(request.user, kontrak),
        "page_title": _("Contract %(nomor)s") % {"nomor": kontrak.nomor},
    }
    return render(request, "kontrak/kontrak_detail.html", context)


@login_required
def kontrak_riwayat(request, pk: int):
    kontrak = _get_kontrak(request, pk)
    context = {
        "kontrak": kontrak,
        "riwayat": services.riwayat(kontrak),
        "page_title": _("Adendum history of %(nomor)s") % {"nomor": kontrak.nomor},
    }
    return render(request, "kontrak/riwayat.html", context)


@login_required
def kontrak_ocds(request, pk: int):
    kontrak = _get_kontrak(request, pk)
    return JsonResponse(pantauan.ocds_release(kontrak), json_dumps_params={"ensure_ascii": False, "indent": 1})


def _file_response(stored, name: str):
    if stored is None or not stored.file:
        raise Http404
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def kontrak_dokumen(request, pk: int):
    kontrak = _get_kontrak(request, pk)
    return _file_response(kontrak.dokumen, f"kontrak-{kontrak.pk}.pdf")


@login_required
def adendum_dokumen(request, pk: int):
    adendum = get_object_or_404(authz.restrict(Adendum.objects.select_related("dokumen"), request.user, VIEW), pk=pk)
    return _file_response(adendum.dokumen, f"adendum-{adendum.kontrak_id}-{adendum.urutan}.pdf")


KONTRAK_FIELDS = ("nomor", "tanggal", "penyedia", "jenis_kontrak", "hps", "nilai", "mulai", "selesai", "ppk",
                  "nilai_pdn", "nilai_umk", "lingkup")  # fmt: skip


@login_required
def kontrak_create(request, pk: int):
    paket = get_object_or_404(visible_paket(request.user, MANAGE), pk=pk)
    form = KontrakForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        dokumen = _store(request, form, "dokumen")
        if dokumen is not False:
            data = {name: form.cleaned_data[name] for name in KONTRAK_FIELDS}
            data["dokumen"] = dokumen
            try:
                kontrak = services.create_kontrak(paket, data, request.user)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("The contract was recorded."))
                return redirect(kontrak)
    title = _("New contract for %(paket)s") % {"paket": paket.nama}
    return render(request, "kontrak/form.html", {"form": form, "page_title": title, "paket": paket})


@login_required
def kontrak_edit(request, pk: int):
    kontrak = _get_kontrak(request, pk, MANAGE)
    initial = {name: getattr(kontrak, name) for name in KONTRAK_FIELDS}
    form = KontrakEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        dokumen = _store(request, form, "dokumen")
        if dokumen is not False:
            data = {name: form.cleaned_data[name] for name in KONTRAK_FIELDS if name in form.fields}
            if dokumen is not None:
                data["dokumen"] = dokumen
            try:
                kontrak = services.update_kontrak(kontrak, data, request.user)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(kontrak)
    title = _("Edit contract %(nomor)s") % {"nomor": kontrak.nomor}
    return render(request, "kontrak/form.html", {"form": form, "page_title": title})


@login_required
def kontrak_status(request, pk: int):
    kontrak = _get_kontrak(request, pk, MANAGE)
    form = StatusForm(request.POST or None, initial={"tanggal": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_status(kontrak, data["status"], data["alasan"], data["tanggal"], request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The status was changed."))
            return redirect(kontrak)
    title = _("Change the status of %(nomor)s") % {"nomor": kontrak.nomor}
    return render(request, "kontrak/form.html", {"form": form, "page_title": title})


@login_required
def adendum_create(request, pk: int):
    kontrak = _get_kontrak(request, pk, MANAGE)
    form = AdendumForm(
        request.POST or None, request.FILES or None, initial={"jenis": request.GET.get("jenis", "nilai")}
    )
    if request.method == "POST" and form.is_valid():
        dokumen = _store(request, form, "dokumen")
        if dokumen is not False:
            data = dict(form.cleaned_data, dokumen=dokumen)
            try:
                services.create_adendum(kontrak, data["jenis"], data, request.user)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("The adendum was recorded and applied."))
                return redirect(kontrak)
    context = {
        "form": form,
        "kontrak": kontrak,
        "page_title": _("New adendum to %(nomor)s") % {"nomor": kontrak.nomor},
    }
    return render(request, "kontrak/form.html", context)


# -- termin and jaminan ------------------------------------------------------------------------


TERMIN_FIELDS = ("urutan", "jenis", "persen_fisik", "nilai", "bap_nomor", "bap_tanggal")
JAMINAN_FIELDS = ("jenis", "penerbit", "nomor", "nilai", "berlaku_sampai")


@login_required
def termin_create(request, pk: int):
    kontrak = _get_kontrak(request, pk, MANAGE)
    form = TerminForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_termin(kontrak, {n: form.cleaned_data[n] for n in TERMIN_FIELDS}, request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(kontrak)
    title = _("New termin of %(nomor)s") % {"nomor": kontrak.nomor}
    return render(request, "kontrak/form.html", {"form": form, "page_title": title})


def _get_termin(request, pk: int) -> Termin:
    return get_object_or_404(authz.restrict(Termin.objects.select_related("kontrak"), request.user, MANAGE), pk=pk)


@login_required
def termin_edit(request, pk: int):
    termin = _get_termin(request, pk)
    form = TerminForm(request.POST or None, instance=Termin.objects.get(pk=termin.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_termin(termin, {n: form.cleaned_data[n] for n in TERMIN_FIELDS}, request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(termin.kontrak)
    title = _("Edit %(termin)s") % {"termin": termin}
    return render(request, "kontrak/form.html", {"form": form, "page_title": title})


@login_required
@require_POST
def termin_delete(request, pk: int):
    termin = _get_termin(request, pk)
    try:
        services.delete_termin(termin, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The termin was deleted."))
    return redirect(termin.kontrak)


@login_required
def jaminan_create(request, pk: int):
    kontrak = _get_kontrak(request, pk, MANAGE)
    form = JaminanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_jaminan(kontrak, {n: form.cleaned_data[n] for n in JAMINAN_FIELDS}, request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(kontrak)
    title = _("New guarantee for %(nomor)s") % {"nomor": kontrak.nomor}
    return render(request, "kontrak/form.html", {"form": form, "page_title": title})


@login_required
def jaminan_edit(request, pk: int):
    jaminan = get_object_or_404(authz.restrict(Jaminan.objects.select_related("kontrak"), request.user, MANAGE), pk=pk)
    form = JaminanForm(request.POST or None, instance=Jaminan.objects.get(pk=jaminan.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_jaminan(jaminan, {n: form.cleaned_data[n] for n in JAMINAN_FIELDS}, request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(jaminan.kontrak)
    title = _("Edit %(jaminan)s") % {"jaminan": jaminan}
    return render(request, "kontrak/form.html", {"form": form, "page_title": title})


# -- penyedia ----------------------------------------------------------------------------------


@login_required
def penyedia_list(request):
    _require_action(request, VIEW)
    base = visible_penyedia(request.user).annotate(n_kontrak=Count("kontrak"))
    filterset = PenyediaFilterSet(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    page = Paginator(queryset.order_by("nama", "pk"), 50).get_page(request.GET.get("page"))
    for penyedia in page.object_list:
        penyedia.npwp_text = services.format_npwp(penyedia.npwp)
    context = {
        "filter": filterset,
        "page": page,
        "query": _query(request),
        "can_manage": authz.has_action(request.user, MANAGE),
        "page_title": _("Suppliers (penyedia)"),
    }
    return render(request, "kontrak/penyedia_list.html", context)


@login_required
def penyedia_detail(request, pk: int):
    _require_action(request, VIEW)
    penyedia = get_object_or_404(visible_penyedia(request.user), pk=pk)
    contracts = visible_kontrak(request.user).filter(penyedia=penyedia).order_by("-tanggal")[:100]
    context = {
        "penyedia": penyedia,
        "npwp": services.format_npwp(penyedia.npwp),
        "contracts": contracts,
        "can_manage": authz.has_action(request.user, MANAGE),
        "history": history_for(request.user, penyedia),
        "page_title": penyedia.nama,
    }
    return render(request, "kontrak/penyedia_detail.html", context)


@login_required
def penyedia_create(request):
    _require_action(request, MANAGE)
    form = PenyediaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            penyedia = services.create_penyedia(form.cleaned_data, request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The supplier was recorded."))
            return redirect("kontrak:penyedia_detail", pk=penyedia.pk)
    return render(request, "kontrak/form.html", {"form": form, "page_title": _("New supplier")})


@login_required
def penyedia_edit(request, pk: int):
    _require_action(request, MANAGE)
    penyedia = get_object_or_404(Penyedia, pk=pk)
    initial = {name: getattr(penyedia, name) for name in services.PENYEDIA_FIELDS}
    initial["npwp"] = services.format_npwp(penyedia.npwp)
    form = PenyediaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_penyedia(penyedia, form.cleaned_data, request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("kontrak:penyedia_detail", pk=penyedia.pk)
    title = _("Edit %(name)s") % {"name": penyedia.nama}
    return render(request, "kontrak/form.html", {"form": form, "page_title": title})


# -- the panel on the sub kegiatan hub page -----------------------------------------------------------


def sub_kegiatan_panel(request, sub) -> str | None:
    """Packages and contracts funded by the sub kegiatan's DPA lines (None when the user may not see any)."""
    if not authz.has_action(request.user, VIEW):
        return None
    pakets = list(
        visible_paket(request.user)
        .filter(alokasi__dpa_baris__sub_kegiatan=sub)
        .annotate(dari_sub=Sum("alokasi__nilai"))
        .order_by("nama")
    )
    if not pakets:
        return None
    contracts = {}
    for kontrak in visible_kontrak(request.user).filter(paket__in=pakets).order_by("tanggal"):
        contracts.setdefault(kontrak.paket_id, []).append(kontrak)
    for paket in pakets:
        paket.contracts = contracts.get(paket.pk, [])
    return render_to_string("kontrak/sub_kegiatan_panel.html", {"pakets": pakets}, request=request)
