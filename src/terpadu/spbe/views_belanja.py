"""ICT spending pages: the list (flags, totals in SQL), the unlinked list for Diskominfo, aggregates by domain /
OPD / application / year with charts, DPA line registration with suggestions, entered lines, import, export.
Every query goes through the gate (spbe.view in unit scope); every change through services_belanja."""

from __future__ import annotations

import json
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.core import authz, tabular
from terpadu.core.views import history_for
from terpadu.spbe import importing_belanja
from terpadu.spbe import services_belanja as svc
from terpadu.spbe.filters_belanja import BelanjaFilterSet
from terpadu.spbe.forms_belanja import BelanjaForm, DaftarDpaForm, ImportForm, TautanForm
from terpadu.spbe.models import BelanjaTik, Domain

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE = 50


def _require(request, action: str, obj=None) -> None:
    if not authz.can(request.user, action, obj):
        raise PermissionDenied


def _may_write(user) -> bool:
    return authz.has_action(user, "spbe.manage") or authz.has_action(user, "spbe.propose")


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _visible(request):
    return authz.restrict(BelanjaTik.objects.all(), request.user, "spbe.view")


def _query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()


def _rows(queryset):
    return svc.with_amount(queryset).select_related(
        "unit", "elemen", "peta_rencana", "aplikasi", "dpa_baris__sub_kegiatan__sub_kegiatan"
    )


def _export(rows_qs, name: str) -> HttpResponse:
    columns = [
        "tahun", "kode_unit", "opd", "dpa", "uraian", "kategori", "sumber", "nilai", "domain", "kode_elemen",
        "elemen", "peta_rencana", "aplikasi", "tanda",
    ]  # fmt: skip

    def rows():
        for b in rows_qs.iterator(chunk_size=2000):
            yield [
                b.tahun, b.unit.kode, b.unit.nama, b.dpa_baris.kode if b.dpa_baris_id else "", b.uraian, b.kategori,
                b.sumber, b.jumlah_nilai, b.elemen.domain if b.elemen_id else "", b.elemen.kode if b.elemen_id else "",
                b.elemen.nama if b.elemen_id else "", b.peta_rencana.nama if b.peta_rencana_id else "",
                b.aplikasi.nama if b.aplikasi_id else "", ", ".join(svc.flag_labels(svc.flags(b))),
            ]  # fmt: skip

    content = tabular.write_xlsx({importing_belanja.SHEET: (columns, rows())})
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
def belanja_list(request, unlinked: bool = False):
    _require(request, "spbe.view")
    base = _visible(request)
    if unlinked:
        base = base.filter(svc.q_flagged())
    filterset = BelanjaFilterSet(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    if request.GET.get("format") == "xlsx":
        return _export(_rows(queryset).order_by("-tahun", "unit__path", "uraian"), "belanja-tik")
    page = Paginator(_rows(queryset).order_by("-tahun", "unit__path", "uraian", "pk"), PAGE).get_page(
        request.GET.get("page")
    )
    for b in page.object_list:
        b.tanda = svc.flag_labels(svc.flags(b))
    context = {
        "filter": filterset if filterset.is_bound else BelanjaFilterSet(queryset=base),
        "page": page,
        "ringkasan": svc.ringkasan(queryset),
        "query": _query(request),
        "unlinked": unlinked,
        "can_write": _may_write(request.user),
        "page_title": _("ICT spending not identified / not linear with the architecture")
        if unlinked
        else _("ICT spending"),
    }
    return render(request, "spbe/belanja/list.html", context)


@login_required
def belanja_unlinked(request):
    return belanja_list(request, unlinked=True)


def _chart(rows, label_of) -> str:
    return json.dumps([{"name": str(label_of(r)), "value": float(r["total"])} for r in rows])


@login_required
def belanja_rekap(request):
    """Totals by domain, OPD, application and year (SQL aggregates: one query per table), with charts."""
    _require(request, "spbe.view")
    base = _visible(request)
    filterset = BelanjaFilterSet(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    domains = dict(Domain.choices)
    tables = {
        "domain": (_("By domain of the linked element"), svc.rekap(queryset, "domain"),
                   lambda r: domains.get(r["elemen__domain"], _("(no element)"))),
        "unit": (_("By OPD"), svc.rekap(queryset, "unit"), lambda r: r["unit__nama"]),
        "aplikasi": (_("By application"), svc.rekap(queryset, "aplikasi"),
                     lambda r: r["aplikasi__nama"] or _("(no application)")),
        "tahun": (_("By year"), svc.rekap(queryset, "tahun"), lambda r: r["tahun"]),
        "kategori": (_("By category"), svc.rekap(queryset, "kategori"),
                     lambda r: dict(BelanjaTik.Kategori.choices).get(r["kategori"], r["kategori"])),
    }  # fmt: skip
    if request.GET.get("format") == "xlsx":
        sheets = {
            key: (
                [str(_("group")), "jumlah_baris", "total", "baris_tidak_linear"],
                [[str(label(r)), r["n"], r["total"], r["tidak_linear"]] for r in rows],
            )
            for key, (_title, rows, label) in tables.items()
        }
        response = HttpResponse(tabular.write_xlsx(sheets), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="rekap-belanja-tik-{timezone.localdate():%Y%m%d}.xlsx"'
        return response
    sections = [
        {
            "key": key,
            "title": title,
            "rows": [dict(r, label=label(r)) for r in rows],
            "chart": _chart(rows, label),
        }
        for key, (title, rows, label) in tables.items()
    ]
    context = {
        "filter": filterset if filterset.is_bound else BelanjaFilterSet(queryset=base),
        "sections": sections,
        "ringkasan": svc.ringkasan(queryset),
        "query": _query(request),
        "page_title": _("ICT spending by domain, OPD, application and year"),
    }
    return render(request, "spbe/belanja/rekap.html", context)


@login_required
def belanja_detail(request, pk: int):
    belanja = get_object_or_404(_rows(_visible(request)), pk=pk)
    context = {
        "b": belanja,
        "tanda": svc.flag_labels(svc.flags(belanja)),
        "can_change": svc.may_change(request.user, belanja),
        "history": history_for(request.user, belanja),
        "page_title": str(belanja),
    }
    return render(request, "spbe/belanja/detail.html", context)


@login_required
def belanja_edit(request, pk: int):
    belanja = get_object_or_404(_rows(_visible(request)), pk=pk)
    if not svc.may_change(request.user, belanja):
        raise PermissionDenied
    initial = {
        "uraian": belanja.uraian,
        "kategori": belanja.kategori,
        "nilai": belanja.nilai,
        "elemen": belanja.elemen_id,
        "peta_rencana": belanja.peta_rencana_id,
        "aplikasi": belanja.aplikasi_id,
    }
    form = TautanForm(request.POST or None, initial=initial, tahun=belanja.tahun)
    if belanja.dpa_baris_id:
        form.fields["nilai"].disabled = True
        form.fields["nilai"].help_text = _("The amount is the DPA line's; it changes with the budget.")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if belanja.dpa_baris_id:
            data.pop("nilai", None)
        try:
            svc.ubah(request.user, belanja, data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The ICT spending line was saved."))
            return redirect("spbe:belanja_detail", pk=belanja.pk)
    return render(request, "spbe/belanja/form.html", {"form": form, "b": belanja, "page_title": _("Edit ICT spending")})


@login_required
@require_POST
def belanja_delete(request, pk: int):
    belanja = get_object_or_404(_visible(request), pk=pk)
    if not svc.may_change(request.user, belanja):
        raise PermissionDenied
    svc.hapus(request.user, belanja)
    messages.success(request, _("The line was removed from the ICT spending."))
    return redirect("spbe:belanja_list")


def _units_for(user):
    from terpadu.organisasi.models import UnitKerja

    scope = authz.scope(user, "spbe.manage").union(authz.scope(user, "spbe.propose"))
    return UnitKerja.objects.current().filter(scope.q("path")).order_by("path")


@login_required
def belanja_create(request):
    if not _may_write(request.user):
        raise PermissionDenied
    form = BelanjaForm(
        request.POST or None, units=_units_for(request.user), initial={"tahun": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        try:
            belanja = svc.buat(request.user, form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The ICT spending line was entered."))
            return redirect("spbe:belanja_detail", pk=belanja.pk)
    return render(request, "spbe/belanja/form.html", {"form": form, "page_title": _("Enter ICT spending")})


@login_required
def belanja_dpa(request):
    """DPA lines proposed as ICT spending (by kode rekening / sub kegiatan, data files); register the chosen."""
    if not _may_write(request.user):
        raise PermissionDenied
    try:
        tahun = int(request.GET.get("tahun") or request.POST.get("tahun") or timezone.localdate().year)
    except ValueError:
        tahun = timezone.localdate().year
    form = DaftarDpaForm(request.POST or None, tahun=tahun)
    if request.method == "POST" and form.is_valid():
        ids = request.POST.getlist("dpa")
        data = form.cleaned_data
        try:
            created = svc.daftarkan_dpa(
                request.user,
                [int(i) for i in ids if str(i).isdigit()],
                data.get("kategori") or None,
                {k: data.get(k) for k in svc.LINK_FIELDS},
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("You may not register DPA lines of this OPD."))
        else:
            messages.success(request, _("%(n)s DPA lines were registered as ICT spending.") % {"n": len(created)})
            return redirect(f"{request.path}?tahun={tahun}")
    saran = svc.saran_dpa(request.user, tahun)
    page = Paginator(saran, 100).get_page(request.GET.get("page"))
    for d in page.object_list:
        d.alasan = svc.alasan_saran(d.kode_rekening, d.sub_kegiatan.sub_kegiatan.kode)
    context = {
        "form": form,
        "page": page,
        "tahun": tahun,
        "rekening_tik": svc.rekening_tik(),
        "sub_kegiatan_tik": svc.sub_kegiatan_tik(),
        "page_title": _("Register DPA lines as ICT spending"),
    }
    return render(request, "spbe/belanja/dpa.html", context)


@login_required
def belanja_import(request):
    if not _may_write(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["berkas"]
        try:
            report = importing_belanja.run(request.user, upload.name or "", upload.read(), form.cleaned_data["dry_run"])
        except (tabular.TableError, ValueError, zipfile.BadZipFile) as exc:
            form.add_error("berkas", str(exc))
        else:
            if report.ok and not report.dry_run:
                messages.success(request, _("%(n)s lines were imported.") % {"n": report.created})
                return redirect("spbe:belanja_list")
    context = {
        "form": form,
        "report": report,
        "columns": importing_belanja.COLUMNS,
        "page_title": _("Import ICT spending"),
    }
    return render(request, "spbe/belanja/import.html", context)
