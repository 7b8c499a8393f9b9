"""Arsip pages. Every query goes through the gate; every change through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.arsip import importing, services
from terpadu.arsip.filters import BeritaAcaraFilterSet, BerkasFilterSet, KlasifikasiFilterSet
from terpadu.arsip.forms import (
    KEYAKINAN_BADGE,
    BeritaAcaraForm,
    BerkasForm,
    ImportForm,
    KlasifikasiCreateForm,
    KlasifikasiForm,
    MoveForm,
    VersiForm,
)
from terpadu.arsip.models import BeritaAcara, Berkas, IsiBerkas, Klasifikasi, KlasifikasiVersi
from terpadu.core import authz, files
from terpadu.core.views import history_for
from terpadu.organisasi.models import UnitKerja


def _require(request, action: str, obj=None) -> None:
    if not authz.can(request.user, action, obj):
        raise PermissionDenied


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def naskah_url(pk: int) -> str | None:
    """The naskah detail page."""
    return reverse("naskah:detail", kwargs={"pk": pk})


def visible_items(user, items):
    """Items whose naskah the user may see (secret naskah only for their parties); (visible, hidden count)."""
    from terpadu.naskah.models import Naskah

    visible_naskah = authz.restrict(Naskah.objects.all(), user, "naskah.view").values("pk")
    shown = list(items.filter(naskah__in=visible_naskah).select_related("naskah", "berkas__klasifikasi"))
    for item in shown:
        item.url = naskah_url(item.naskah_id)
    return shown, items.count() - len(shown)


def _badges(codes) -> None:
    for code in codes:
        code.badge = KEYAKINAN_BADGE.get(code.keyakinan, "bg-secondary-lt")
        code.jra_badge = KEYAKINAN_BADGE.get(code.jra_keyakinan, "bg-secondary-lt")


# -- klasifikasi -----------------------------------------------------------------------------


def _chosen_versi(request) -> KlasifikasiVersi | None:
    pk = request.GET.get("versi", "")
    if pk.isdigit():
        return get_object_or_404(KlasifikasiVersi, pk=pk)
    return services.current_versi()


@login_required
def klasifikasi_list(request):
    """The classification scheme is public regulation: every signed-in user may read it."""
    versi = _chosen_versi(request)
    base = Klasifikasi.objects.filter(versi=versi) if versi else Klasifikasi.objects.none()
    filterset = KlasifikasiFilterSet(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    codes = sorted(queryset.select_related("parent"), key=lambda k: services.kode_sort_key(k.kode))
    page = Paginator(codes, 200).get_page(request.GET.get("page"))
    _badges(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "versi": versi,
        "editions": KlasifikasiVersi.objects.all(),
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "incomplete": services.incomplete_jra_count(versi) if versi else 0,
        "can_configure": authz.has_action(request.user, "arsip.configure"),
        "page_title": _("Classification & retention (JRA)"),
    }
    return render(request, "arsip/klasifikasi_list.html", context)


@login_required
def klasifikasi_detail(request, pk: int):
    code = get_object_or_404(Klasifikasi.objects.select_related("versi", "parent"), pk=pk)
    children = sorted(code.children.all(), key=lambda k: services.kode_sort_key(k.kode))
    _badges([code, *children])
    context = {
        "code": code,
        "children": children,
        "can_configure": authz.has_action(request.user, "arsip.configure"),
        "history": history_for(request.user, code),
        "page_title": f"{code.kode} {code.nama}",
    }
    return render(request, "arsip/klasifikasi_detail.html", context)


@login_required
def klasifikasi_edit(request, pk: int):
    _require(request, "arsip.configure")
    code = get_object_or_404(Klasifikasi, pk=pk)
    form = KlasifikasiForm(request.POST or None, instance=Klasifikasi.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            code = services.update_klasifikasi(code, {name: form.cleaned_data[name] for name in form.fields})
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(code)
    title = _("Edit %(name)s") % {"name": code}
    return render(request, "arsip/form.html", {"form": form, "page_title": title})


@login_required
def klasifikasi_create(request):
    _require(request, "arsip.configure")
    versi = _chosen_versi(request)
    if versi is None:
        raise Http404
    parent = request.GET.get("parent", "")
    initial = {"parent": parent if parent.isdigit() else None}
    form = KlasifikasiCreateForm(request.POST or None, versi=versi, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields}
        try:
            code = services.create_klasifikasi(versi, data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(code)
    title = _("New code in %(versi)s") % {"versi": versi}
    return render(request, "arsip/form.html", {"form": form, "page_title": title})


@login_required
@require_POST
def klasifikasi_retire(request, pk: int):
    _require(request, "arsip.configure")
    code = get_object_or_404(Klasifikasi, pk=pk)
    try:
        services.retire_klasifikasi(code)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The code was retired; naskah that use it keep it."))
    return redirect(code)


@login_required
def versi_list(request):
    _require(request, "arsip.configure")
    editions = KlasifikasiVersi.objects.annotate(codes=Count("kode"))
    for versi in editions:
        versi.incomplete = services.incomplete_jra_count(versi)
    context = {"editions": editions, "page_title": _("Classification editions")}
    return render(request, "arsip/versi_list.html", context)


@login_required
def versi_create(request):
    _require(request, "arsip.configure")
    form = VersiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_versi(form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The edition was created: import its codes, then make it current."))
            return redirect("arsip:versi_list")
    return render(request, "arsip/form.html", {"form": form, "page_title": _("New classification edition")})


@login_required
@require_POST
def versi_activate(request, pk: int):
    _require(request, "arsip.configure")
    versi = get_object_or_404(KlasifikasiVersi, pk=pk)
    try:
        services.activate_versi(versi)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(versi)s is now the current edition.") % {"versi": versi})
    return redirect("arsip:versi_list")


@login_required
def klasifikasi_import(request):
    _require(request, "arsip.configure")
    form = ImportForm(request.POST or None, request.FILES or None, initial={"versi": services.current_versi()})
    if request.method == "POST" and form.is_valid():
        try:
            stored = files.store(form.cleaned_data["file"], {"csv", "xlsx"}, request.user)
        except files.UploadRejected as exc:
            form.add_error("file", str(exc))
        else:
            kind = "xlsx" if stored.content_type.endswith("sheet") else "csv"
            job = importing.start_import(
                request.user, stored, kind, form.cleaned_data["versi"], form.cleaned_data["dry_run"]
            )
            return redirect("core:job_detail", pk=job.pk)
    context = {"form": form, "columns": importing.COLUMNS, "page_title": _("Import classification codes")}
    return render(request, "arsip/import.html", context)


@login_required
def klasifikasi_export(request):
    versi = _chosen_versi(request)
    fmt = request.GET.get("format", "csv")
    if versi is None or fmt not in ("csv", "xlsx"):
        return HttpResponse(_("Unknown format or edition."), status=400, content_type="text/plain; charset=utf-8")
    content = importing.export_file(versi, fmt)
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if fmt == "xlsx"
        else "text/csv; charset=utf-8"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="klasifikasi-{versi.pk}-{timezone.localdate():%Y%m%d}.{fmt}"'
    )
    return response


# -- berkas ----------------------------------------------------------------------------------


def _visible_berkas(request, action="arsip.view"):
    return authz.restrict(Berkas.objects.select_related("unit", "klasifikasi"), request.user, action)


@login_required
def berkas_list(request):
    _require(request, "arsip.view")
    base = _visible_berkas(request).annotate(items=Count("isi"))
    filterset = BerkasFilterSet(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    page = Paginator(queryset.order_by("-tahun", "unit__path", "-nomor"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "can_file": authz.has_action(request.user, "arsip.file"),
        "page_title": _("Files (berkas)"),
    }
    return render(request, "arsip/berkas_list.html", context)


@login_required
def berkas_detail(request, pk: int):
    berkas = get_object_or_404(_visible_berkas(request), pk=pk)
    items, hidden = visible_items(request.user, berkas.isi.exclude(status=IsiBerkas.Status.DITOLAK))
    context = {
        "berkas": berkas,
        "items": items,
        "hidden": hidden,
        "can_file": authz.can(request.user, "arsip.file", berkas),
        "berita_acara": berkas.berita_acara.all(),
        "history": history_for(request.user, berkas),
        "page_title": berkas.label,
    }
    return render(request, "arsip/berkas_detail.html", context)


@login_required
def berkas_create(request):
    _require(request, "arsip.file")
    units = authz.restrict(UnitKerja.objects.current(), request.user, "arsip.file").order_by("path")
    form = BerkasForm(request.POST or None, units=units, initial={"tahun": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            berkas = services.create_berkas(request.user, form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The file was opened."))
            return redirect(berkas)
    return render(request, "arsip/form.html", {"form": form, "page_title": _("New file")})


@login_required
def berkas_edit(request, pk: int):
    berkas = get_object_or_404(_visible_berkas(request), pk=pk)
    _require(request, "arsip.file", berkas)
    form = BerkasForm(request.POST or None, instance=Berkas.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            berkas = services.update_berkas(berkas, {name: form.cleaned_data[name] for name in form.fields})
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(berkas)
    return render(request, "arsip/form.html", {"form": form, "page_title": _("Edit %(name)s") % {"name": berkas.label}})


@login_required
@require_POST
def berkas_close(request, pk: int):
    berkas = get_object_or_404(_visible_berkas(request), pk=pk)
    _require(request, "arsip.file", berkas)
    try:
        services.close_berkas(berkas)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The file was closed; its retention clock has started."))
    return redirect(berkas)


# -- proposals -------------------------------------------------------------------------------


@login_required
def usulan_list(request):
    _require(request, "arsip.file")
    pending = authz.restrict(IsiBerkas.objects.filter(status=IsiBerkas.Status.USULAN), request.user, "arsip.file")
    items, hidden = visible_items(request.user, pending.order_by("berkas__unit__path", "-diusulkan"))
    context = {"items": items, "hidden": hidden, "page_title": _("Filing proposals")}
    return render(request, "arsip/usulan_list.html", context)


@login_required
@require_POST
def usulan_decide(request):
    _require(request, "arsip.file")
    ids = [pk for pk in request.POST.getlist("item") if pk.isdigit()]
    decision = request.POST.get("decision")
    one = request.POST.get("one", "")  # a row's own button: "confirm:12" decides that item alone
    if one.partition(":")[2].isdigit():
        decision, ids = one.partition(":")[0], [one.partition(":")[2]]
    items = authz.restrict(IsiBerkas.objects.filter(pk__in=ids), request.user, "arsip.file")
    if decision not in ("confirm", "reject") or not ids:
        messages.error(request, _("Choose items and a decision."))
        return redirect("arsip:usulan_list")
    try:
        count = (services.confirm_items if decision == "confirm" else services.reject_items)(request.user, items)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)d items decided.") % {"n": count})
    return redirect(
        request.POST.get("next") if request.POST.get("next", "").startswith("/arsip/") else "arsip:usulan_list"
    )


@login_required
def isi_move(request, pk: int):
    item = get_object_or_404(
        authz.restrict(IsiBerkas.objects.select_related("berkas"), request.user, "arsip.file"), pk=pk
    )
    targets = Berkas.objects.filter(unit=item.berkas.unit, status=Berkas.Status.TERBUKA).exclude(pk=item.berkas_id)
    form = MoveForm(request.POST or None, targets=targets.select_related("klasifikasi"))
    if request.method == "POST" and form.is_valid():
        try:
            services.move_item(request.user, item, form.cleaned_data["berkas"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The item was moved."))
            return redirect(form.cleaned_data["berkas"])
    return render(request, "arsip/form.html", {"form": form, "page_title": _("Move to another file")})


# -- retention and disposal ------------------------------------------------------------------


@login_required
def retensi(request):
    _require(request, "arsip.view")
    visible = _visible_berkas(request)
    counts = dict(visible.values_list("status").annotate(n=Count("pk")).order_by())
    status = request.GET.get("status", Berkas.Status.INAKTIF)
    if status not in Berkas.Status.values:
        status = Berkas.Status.INAKTIF
    rows = visible.filter(status=status).order_by("inaktif_sampai", "aktif_sampai", "pk")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    jenis = {Berkas.Status.USUL_MUSNAH: "pemusnahan", Berkas.Status.USUL_SERAH: "penyerahan"}.get(status)
    context = {
        "tabs": [(s, Berkas.Status(s).label, counts.get(s, 0)) for s in services.RETENTION_STATUSES],
        "status": status,
        "page": page,
        "jenis": jenis,
        "can_dispose": jenis is not None and authz.has_action(request.user, "arsip.dispose"),
        "page_title": _("Retention"),
    }
    return render(request, "arsip/retensi.html", context)


@login_required
def ba_list(request):
    _require(request, "arsip.view")
    base = authz.restrict(BeritaAcara.objects.select_related("unit"), request.user, "arsip.view")
    filterset = BeritaAcaraFilterSet(
        request.GET or None, queryset=base.annotate(files=Count("berkas")).order_by("-tanggal", "-pk")
    )
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page, "page_title": _("Berita acara")}
    return render(request, "arsip/ba_list.html", context)


def _visible_ba(request, pk):
    return get_object_or_404(authz.restrict(BeritaAcara.objects.all(), request.user, "arsip.view"), pk=pk)


@login_required
def ba_detail(request, pk: int):
    berita_acara = _visible_ba(request, pk)
    context = {
        "ba": berita_acara,
        "berkas": berita_acara.berkas.select_related("klasifikasi", "unit"),
        "history": history_for(request.user, berita_acara),
        "page_title": _("Berita acara %(nomor)s") % {"nomor": berita_acara.nomor},
    }
    return render(request, "arsip/ba_detail.html", context)


@login_required
def ba_file(request, pk: int):
    berita_acara = _visible_ba(request, pk)
    stored = berita_acara.dokumen
    if not stored.file:
        raise Http404
    response = FileResponse(stored.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="berita-acara-{berita_acara.pk}.pdf"'
    return response


@login_required
def ba_create(request):
    _require(request, "arsip.dispose")
    jenis = request.POST.get("jenis") or request.GET.get("jenis") or BeritaAcara.Jenis.PEMUSNAHAN
    source = services.BA_SOURCE_STATUS.get(jenis, Berkas.Status.USUL_MUSNAH)
    candidates = _visible_berkas(request, "arsip.dispose").filter(status=source)
    initial = {"jenis": jenis, "berkas": [pk for pk in request.GET.getlist("berkas") if pk.isdigit()]}
    form = BeritaAcaraForm(request.POST or None, request.FILES or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            berita_acara = services.record_disposal(request.user, data["jenis"], [b.pk for b in data["berkas"]], data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The berita acara was recorded and applied."))
            return redirect(berita_acara)
    return render(request, "arsip/ba_form.html", {"form": form, "page_title": _("New berita acara")})


# -- the panel on the naskah page ------------------------------------------------------------


@login_required
def naskah_panel(request, pk: int):
    """htmx fragment for the naskah detail page: where the naskah is filed or proposed."""
    from terpadu.naskah.models import Naskah

    naskah = get_object_or_404(authz.restrict(Naskah.objects.all(), request.user, "naskah.view"), pk=pk)
    items = authz.restrict(
        IsiBerkas.objects.filter(naskah=naskah).exclude(status=IsiBerkas.Status.DITOLAK), request.user, "arsip.view"
    ).select_related("berkas__klasifikasi", "berkas__unit")
    context = {"naskah": naskah, "items": items, "can_file": authz.has_action(request.user, "arsip.file")}
    return render(request, "arsip/naskah_panel.html", context)
