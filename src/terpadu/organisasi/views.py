"""Organisation pages. Every query goes through the gate; every change through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.core import audit, authz, files
from terpadu.core.models import AuditEvent
from terpadu.core.views import history_for
from terpadu.organisasi import importing, services
from terpadu.organisasi.filters import PegawaiFilterSet
from terpadu.organisasi.forms import ActingForm, AssignJabatanForm, ImportForm, JabatanForm, PegawaiForm, UnitForm
from terpadu.organisasi.models import Jabatan, Pegawai, PenugasanSementara, RiwayatJabatan, UnitKerja

PRIVATE_FIELDS = ("email", "telepon", "nik", "tanggal_lahir", "jenis_kelamin")


def _require(request, action: str, obj=None) -> None:
    if not authz.can(request.user, action, obj):
        raise PermissionDenied


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _visible(model, request, action="organisasi.view"):
    return authz.restrict(model.objects.all(), request.user, action)


def _with_related(events: list, *related) -> list:
    """A detail page's history plus the events of its appointments and acting assignments (audited on
    their own rows, which have no page of their own), newest first."""
    query = Q(pk__in=[])
    for queryset in related:
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        query |= Q(object_type=audit.object_type_of(queryset.model), object_id__in=ids)
    for event in AuditEvent.objects.filter(query).order_by("-seq")[:100]:
        event.visible_changes, event.related = event.changes or {}, event.object_repr
        events.append(event)
    return sorted(events, key=lambda event: event.seq, reverse=True)[:100]


@login_required
def tree(request):
    _require(request, "organisasi.view")
    context = {"roots": services.current_tree(), "pemda": services.the_pemda(), "page_title": _("Organisation")}
    return render(request, "organisasi/tree.html", context)


@login_required
def unit_detail(request, pk: int):
    unit = get_object_or_404(_visible(UnitKerja, request).select_related("parent", "pemda"), pk=pk)
    context = {
        "unit": unit,
        "children": unit.children.current(),
        "jabatan": unit.jabatan.current().prefetch_related("pemangku"),
        "head": services.head_holders().get(unit.pk),
        "pegawai_count": Pegawai.objects.filter(unit__path__startswith=unit.path, aktif=True).count(),
        "history": history_for(request.user, unit),
        "page_title": unit.nama,
    }
    return render(request, "organisasi/unit_detail.html", context)


@login_required
def unit_edit(request, pk: int | None = None):
    return _edit(request, UnitKerja, pk, UnitForm, services.create_unit, services.update_unit, _("New unit"))


@login_required
def jabatan_detail(request, pk: int):
    jabatan = get_object_or_404(_visible(Jabatan, request).select_related("unit"), pk=pk)
    holder, acting = services.holder_of(jabatan)
    can_change = authz.can(request.user, "organisasi.change", jabatan)
    acting_form = ActingForm(request.POST or None) if can_change else None
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if acting_form.is_valid():
            data = acting_form.cleaned_data
            try:
                services.assign_acting(
                    data["pegawai"], jabatan, data["jenis"], data["mulai"], data["selesai"], data["nomor_sk"]
                )
            except ValidationError as exc:
                _form_errors(acting_form, exc)
            else:
                messages.success(request, _("The acting assignment was recorded."))
                return redirect(jabatan)
    context = {
        "jabatan": jabatan,
        "holder": holder,
        "acting": acting,
        "atasan": services.atasan_of(jabatan),
        "riwayat": jabatan.riwayat.select_related("pegawai")[:50],
        "penugasan": jabatan.penugasan_sementara.select_related("pegawai")[:50],
        "acting_form": acting_form,
        "can_change": can_change,
        "history": _with_related(
            history_for(request.user, jabatan), jabatan.riwayat.all(), jabatan.penugasan_sementara.all()
        ),
        "page_title": jabatan.nama,
    }
    return render(request, "organisasi/jabatan_detail.html", context)


@login_required
def jabatan_edit(request, pk: int | None = None):
    initial = {"unit": request.GET.get("unit")}
    return _edit(
        request, Jabatan, pk, JabatanForm, services.create_jabatan, services.update_jabatan, _("New position"), initial
    )


@login_required
@require_POST
def acting_revoke(request, pk: int):
    penugasan = get_object_or_404(PenugasanSementara, pk=pk)
    _require(request, "organisasi.change", penugasan)
    services.revoke_acting(penugasan, timezone.now())
    messages.success(request, _("The acting assignment was revoked."))
    return redirect(penugasan.jabatan)


@login_required
def pegawai_list(request):
    _require(request, "organisasi.view")
    base = _visible(Pegawai, request).select_related("jabatan", "unit")
    filterset = PegawaiFilterSet(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base.order_by("nama")
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    template = "organisasi/pegawai_rows.html" if request.htmx else "organisasi/pegawai_list.html"
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "query": query.urlencode(), "page_title": _("Employees")}
    return render(request, template, context)


@login_required
def pegawai_detail(request, pk: int):
    pegawai = get_object_or_404(_visible(Pegawai, request).select_related("jabatan__unit", "unit"), pk=pk)
    context = {
        "pegawai": pegawai,
        "show_private": authz.can(request.user, "organisasi.view_private", pegawai),
        "can_change": authz.can(request.user, "organisasi.change", pegawai),
        "positions": services.positions_held(pegawai),
        "riwayat": pegawai.riwayat_jabatan.select_related("jabatan__unit"),
        "penugasan": pegawai.penugasan_sementara.select_related("jabatan"),
        "atasan": services.atasan_of(pegawai.jabatan) if pegawai.jabatan else None,
        "history": _with_related(
            history_for(request.user, pegawai, PRIVATE_FIELDS, "organisasi.view_private"),
            pegawai.riwayat_jabatan.all(),
            pegawai.penugasan_sementara.all(),
        ),
        "page_title": pegawai.nama_lengkap,
    }
    return render(request, "organisasi/pegawai_detail.html", context)


@login_required
def pegawai_edit(request, pk: int | None = None):
    return _edit(request, Pegawai, pk, PegawaiForm, services.create_pegawai, services.update_pegawai, _("New employee"))


def _edit(request, model, pk, form_class, create, update, new_title, initial=None):
    """Create (pk None) or edit one object through its services, with the gate and form errors."""
    instance = get_object_or_404(model, pk=pk) if pk else None
    _require(request, "organisasi.change", instance)
    form = form_class(request.POST or None, request.FILES or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields}
        try:
            instance = update(instance, data) if instance else create(data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(instance)
    title = _("Edit %(name)s") % {"name": instance} if instance else new_title
    return render(request, "organisasi/form.html", {"form": form, "page_title": title})


@login_required
def pegawai_assign(request, pk: int):
    pegawai = get_object_or_404(Pegawai, pk=pk)
    _require(request, "organisasi.change", pegawai)
    form = AssignJabatanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not authz.can(request.user, "organisasi.change", data["jabatan"]):
            form.add_error("jabatan", _("You may not appoint to this position."))
        else:
            try:
                services.assign_jabatan(pegawai, data["jabatan"], data["tmt_mulai"], data["nomor_sk"])
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("The appointment was recorded."))
                return redirect(pegawai)
    title = _("Appoint %(name)s") % {"name": pegawai}
    return render(request, "organisasi/form.html", {"form": form, "page_title": title})


@login_required
def import_view(request):
    _require(request, "organisasi.import")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        allowed = {"xlsx"} if kind == "xlsx" else {"csv"}
        try:
            stored = files.store(form.cleaned_data["file"], allowed, request.user)
        except files.UploadRejected as exc:
            form.add_error("file", str(exc))
        else:
            job = importing.start_import(request.user, stored, kind, form.cleaned_data["dry_run"])
            return redirect("core:job_detail", pk=job.pk)
    return render(request, "organisasi/import.html", {"form": form, "page_title": _("Import / export")})


@login_required
def export_view(request):
    _require(request, "organisasi.export")
    fmt = request.GET.get("format", "xlsx")
    kind = request.GET.get("kind", "pegawai")
    if fmt not in ("xlsx", "csv") or kind not in ("unit", "jabatan", "pegawai"):
        return HttpResponse(_("Unknown format or kind."), status=400, content_type="text/plain; charset=utf-8")
    content = importing.export_file(request.user, kind, fmt)
    name = (
        f"struktur-{timezone.localdate():%Y%m%d}.xlsx" if fmt == "xlsx" else f"{kind}-{timezone.localdate():%Y%m%d}.csv"
    )
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if fmt == "xlsx"
        else "text/csv; charset=utf-8"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def riwayat_list(request, pk: int):
    """Position history of a unit's positions (for reorganisations)."""
    unit = get_object_or_404(_visible(UnitKerja, request), pk=pk)
    rows = RiwayatJabatan.objects.filter(jabatan__unit=unit).select_related("pegawai", "jabatan")[:500]
    return render(
        request, "organisasi/riwayat_list.html", {"unit": unit, "rows": rows, "page_title": _("Position history")}
    )
