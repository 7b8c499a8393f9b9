"""Pages of the anggaran master data: kode rekening editions (the same pages as the nomenklatur, see
perencanaan/views_master.py) and the standar harga list, detail, import and export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terpadu.anggaran import importing_master, services_master
from terpadu.anggaran.filters_master import RekeningFilterSet, StandarHargaFilterSet
from terpadu.anggaran.forms_master import StandarHargaImportForm
from terpadu.anggaran.models import StandarHarga
from terpadu.core import authz, tabular
from terpadu.core.views import history_for
from terpadu.perencanaan.views_master import XLSX, MasterPages, badges


def _rekening_used(user, code) -> list:
    from terpadu.anggaran.models import RincianBelanja

    if code.level == services_master.REKENING.leaf:
        lines = RincianBelanja.objects.filter(rekening=code)
        items = StandarHarga.objects.filter(rekening=code)
    else:
        lines = RincianBelanja.objects.filter(rekening__versi=code.versi_id, rekening__kode__startswith=code.kode + ".")
        items = StandarHarga.objects.filter(
            rekening__versi=code.versi_id, rekening__kode__startswith=code.kode + "."
        ).distinct()
    return [
        (_("Budget lines (rincian belanja)"), authz.restrict(lines, user, "anggaran.view").count()),
        (_("Standard price items allowed on it"), items.count()),
    ]


REKENING_PAGES = MasterPages(
    tree=services_master.REKENING,
    namespace="anggaran",
    prefix="rekening",
    title=gettext_lazy("Kode rekening"),
    view_action="anggaran.view",
    configure_action="anggaran.configure",
    filterset=RekeningFilterSet,
    where_used=_rekening_used,
)


def _require(request, action: str) -> None:
    if not authz.has_action(request.user, action):
        raise PermissionDenied


def _visible_ssh(request):
    return authz.restrict(StandarHarga.objects.all(), request.user, "anggaran.view")


def _chosen_tahun(request) -> int | None:
    value = request.GET.get("tahun", "")
    return int(value) if value.isdigit() else services_master.standar_harga_tahun()


@login_required
def ssh_list(request):
    _require(request, "anggaran.view")
    tahun = _chosen_tahun(request)
    base = _visible_ssh(request).filter(tahun=tahun).prefetch_related("rekening")
    params = request.GET.copy()
    params.pop("tahun", None)
    filterset = StandarHargaFilterSet(params or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    page = Paginator(queryset.order_by("kode"), 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    years = sorted(set(StandarHarga.objects.values_list("tahun", flat=True)), reverse=True)
    context = {
        "tahun": tahun,
        "years": years,
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "can_configure": authz.has_action(request.user, "anggaran.configure"),
        "page_title": _("Standard prices (SSH/SBU)"),
    }
    return render(request, "anggaran/master/ssh_list.html", context)


@login_required
def ssh_detail(request, pk: int):
    _require(request, "anggaran.view")
    item = get_object_or_404(_visible_ssh(request), pk=pk)
    accounts = list(item.rekening.select_related("versi").order_by("kode"))
    badges(accounts)
    context = {
        "item": item,
        "accounts": accounts,
        "history": history_for(request.user, item),
        "page_title": f"{item.kode} {item.uraian}",
    }
    return render(request, "anggaran/master/ssh_detail.html", context)


@login_required
def ssh_import(request):
    _require(request, "anggaran.configure")
    form = StandarHargaImportForm(
        request.POST or None, request.FILES or None, initial={"tahun": _chosen_tahun(request), "dry_run": True}
    )
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name.lower()
        kind = "xlsx" if name.endswith(".xlsx") else "csv" if name.endswith((".csv", ".txt")) else ""
        try:
            if not kind:
                raise tabular.TableError(_("Upload a .csv or .xlsx file."))
            report = importing_master.run_standar_harga(
                form.cleaned_data["tahun"], kind, upload.read(), form.cleaned_data["dry_run"]
            )
        except (tabular.TableError, ValidationError) as exc:
            form.add_error("file", " ".join(getattr(exc, "messages", [str(exc)])))
    context = {
        "form": form,
        "report": report,
        "columns": importing_master.SSH_COLUMNS,
        "page_title": _("Import standard prices"),
    }
    return render(request, "anggaran/master/ssh_import.html", context)


@login_required
def ssh_export(request):
    _require(request, "anggaran.view")
    tahun = _chosen_tahun(request)
    fmt = request.GET.get("format", "csv")
    if tahun is None or fmt not in ("csv", "xlsx"):
        return HttpResponse(_("Unknown format or year."), status=400, content_type="text/plain; charset=utf-8")
    params = request.GET.copy()
    params.pop("tahun", None)
    params.pop("format", None)
    base = _visible_ssh(request).filter(tahun=tahun)
    filterset = StandarHargaFilterSet(params or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    content = importing_master.export_standar_harga(queryset, fmt)
    response = HttpResponse(content, content_type=XLSX if fmt == "xlsx" else "text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="standar-harga-{tahun}.{fmt}"'
    return response
