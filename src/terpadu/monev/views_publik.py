"""The public transparency pages (/transparansi/anggaran/, no login) and the internal exception pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.core import authz
from terpadu.monev import publik, services_publik
from terpadu.monev.api_publik import csv_response
from terpadu.monev.filters_publik import PublikFilterSet
from terpadu.monev.forms_publik import PengecualianForm
from terpadu.monev.models import PengecualianPublikasi
from terpadu.organisasi import services as org

MANAGE = "monev.manage"


def _years(tahun: int) -> list[int]:
    available = publik.years()
    return sorted(set(available) | {tahun}, reverse=True)


def _base(tahun: int, title: str) -> dict:
    return {"tahun": tahun, "years": _years(tahun), "page_title": title, "pemda": org.the_pemda()}


def _filtered(request, tahun: int):
    filterset = PublikFilterSet(request.GET or None, queryset=publik.visible_subs(tahun))
    filterset.form.fields["unit"].queryset = org.opd_list()
    return filterset, (filterset.qs if filterset.is_bound and filterset.is_valid() else publik.visible_subs(tahun))


def index(request):
    return overview(request, publik.default_year())


def overview(request, tahun: int):
    opd_rows = [publik.shape(r, "opd", tahun) for r in publik.rollup(publik.visible_subs(tahun), "opd")]
    context = _base(tahun, _("Budget transparency %(tahun)s") % {"tahun": tahun})
    context.update({"ringkasan": publik.ringkasan(tahun), "opd_rows": opd_rows})
    return render(request, "monev/publik/overview.html", context)


def opd(request, tahun: int, unit: int):
    subs = publik.visible_subs(tahun).filter(unit_id=unit)
    rows = list(publik.sub_rows(subs))
    if not rows:
        raise Http404
    programs = [publik.shape(r, "program", tahun) for r in publik.rollup(subs, "program")]
    kegiatan = [publik.shape(r, "kegiatan", tahun) for r in publik.rollup(subs, "kegiatan")]
    total = publik._measure_part(publik.rollup(subs, None))
    by_kegiatan: dict = {}
    for sub in rows:
        by_kegiatan.setdefault(sub.kode_kegiatan, []).append(publik.shape_sub(sub))
    by_program: dict = {}
    for keg in kegiatan:
        keg["sub"] = by_kegiatan.get(keg["kode_kegiatan"], [])
        by_program.setdefault(keg["kode_program"], []).append(keg)
    for program in programs:
        program["kegiatan"] = by_program.get(program["kode_program"], [])
    unit_obj = rows[0].unit
    context = _base(tahun, f"{unit_obj.nama} — {tahun}")
    context.update(
        {
            "unit": unit_obj,
            "total": total,
            "programs": programs,
            "kontrak": [publik.shape_contract(k) for k in publik.contracts(subs, tahun)[:50]],
        }
    )
    return render(request, "monev/publik/opd.html", context)


def sub_kegiatan_list(request, tahun: int):
    filterset, subs = _filtered(request, tahun)
    if request.GET.get("format") == "csv":
        from terpadu.monev.api_publik import SubKegiatanSerializer

        columns = list(SubKegiatanSerializer().fields)
        return csv_response(columns, [publik.shape_sub(s) for s in publik.sub_rows(subs)], f"sub-kegiatan-{tahun}.csv")
    page = Paginator(publik.sub_rows(subs), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = _base(tahun, _("Sub kegiatan %(tahun)s") % {"tahun": tahun})
    context.update(
        {
            "filter": filterset,
            "page": page,
            "rows": [publik.shape_sub(s) for s in page.object_list],
            "query": query.urlencode(),
        }
    )
    return render(request, "monev/publik/sub_list.html", context)


def kontrak_list(request, tahun: int):
    filterset, subs = _filtered(request, tahun)
    page = Paginator(publik.contracts(subs, tahun), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = _base(tahun, _("Contracts %(tahun)s") % {"tahun": tahun})
    context.update(
        {
            "filter": filterset,
            "page": page,
            "rows": [publik.shape_contract(k) for k in page.object_list],
            "query": query.urlencode(),
        }
    )
    return render(request, "monev/publik/kontrak_list.html", context)


def _visible_sub(pk: int):
    from terpadu.perencanaan.models import RenjaSubKegiatan

    sub = get_object_or_404(RenjaSubKegiatan.objects.only("pk", "tahun"), pk=pk)
    found = publik.sub_rows(publik.visible_subs(sub.tahun).filter(pk=pk)).first()
    if found is None:
        raise Http404
    return found


def sub_kegiatan(request, pk: int):
    sub = _visible_sub(pk)
    context = _base(sub.tahun, f"{sub.sub_kegiatan.kode} {sub.sub_kegiatan.nama}")
    context.update(
        {
            "sub": sub,
            "row": publik.shape_sub(sub),
            "indikator": publik.indicators(sub),
            "dpa": list(publik.dpa_lines(sub)),
            "bulanan": publik.monthly(sub),
            "kontrak": [
                publik.shape_contract(k)
                for k in publik.contracts(publik.visible_subs(sub.tahun).filter(pk=pk), sub.tahun)
            ],
            "evaluasi": list(publik.evaluations(sub)),
        }
    )
    return render(request, "monev/publik/sub_detail.html", context)


def kontrak(request, pk: int):
    from terpadu.kontrak.models import Kontrak

    item = get_object_or_404(Kontrak.objects.only("pk", "tahun"), pk=pk)
    found = publik.contracts(publik.visible_subs(item.tahun), item.tahun).filter(pk=pk).first()
    if found is None:
        raise Http404
    context = _base(found.tahun, _("Contract %(nomor)s") % {"nomor": found.nomor})
    context.update(
        {
            "kontrak": found,
            "row": publik.shape_contract(found),
            "subs": publik.contract_subs(found),
            "adendum": publik.adendum_history(found),
            "termin": list(found.termin.order_by("urutan")),
        }
    )
    return render(request, "monev/publik/kontrak_detail.html", context)


def foto(request, pk: int):
    """A progress photo, only of a published (not excepted) sub kegiatan and only when it is an image."""
    from terpadu.realisasi.models import FotoProgres

    item = get_object_or_404(FotoProgres.objects.select_related("file", "progres"), pk=pk)
    stored = item.file
    if not (stored.content_type or "").startswith("image/"):
        raise Http404
    if not publik.visible_subs(item.progres.tahun).filter(pk=item.progres.sub_kegiatan_id).exists():
        raise Http404
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Content-Disposition"] = f'inline; filename="foto-{item.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300"
    return response


def pengecualian_publik(request, tahun: int):
    context = _base(tahun, _("Items excepted from publication in %(tahun)s") % {"tahun": tahun})
    context.update({"rows": publik.exception_summary(tahun), "ringkasan": publik.ringkasan(tahun)})
    return render(request, "monev/publik/pengecualian.html", context)


# -- internal: managing exceptions (monev.manage) ----------------------------------------------------------


def _require_manage(request) -> None:
    if not authz.has_action(request.user, MANAGE):
        raise PermissionDenied


@login_required
def kelola_list(request):
    _require_manage(request)
    items = PengecualianPublikasi.objects.select_related("unit", "dibuat_oleh").order_by("-tahun", "kode")
    return render(
        request,
        "monev/publik/kelola_list.html",
        {"items": items, "page_title": _("Publication exceptions")},
    )


@login_required
def kelola_create(request):
    _require_manage(request)
    form = PengecualianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_publik.kecualikan(
                request.user, tahun=data["tahun"], kode=data["kode"], alasan=data["alasan"], unit=data["unit"]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The item and everything under it are no longer published."))
            return redirect("transparansi:kelola_list")
    return render(
        request, "monev/publik/kelola_form.html", {"form": form, "page_title": _("New publication exception")}
    )


@login_required
@require_POST
def kelola_delete(request, pk: int):
    _require_manage(request)
    item = get_object_or_404(PengecualianPublikasi, pk=pk)
    services_publik.hapus_pengecualian(request.user, item)
    messages.success(request, _("The exception was removed: the item is published again."))
    return redirect("transparansi:kelola_list")
