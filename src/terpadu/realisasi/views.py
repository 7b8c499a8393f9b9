"""Realisasi pages. Every query goes through the gate; every change through the services."""

from __future__ import annotations

import io
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.core import authz, files
from terpadu.core.views import history_for
from terpadu.organisasi.models import UnitKerja
from terpadu.realisasi import importing, services
from terpadu.realisasi.filters import Sp2dFilterSet
from terpadu.realisasi.forms import CancelForm, ImportForm, LineFormSet, ProgresForm, Sp2dForm
from terpadu.realisasi.models import FotoProgres, ProgresFisik, Realisasi, Sp2d

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZERO = Decimal("0")


def _require(request, action: str, obj=None) -> None:
    if not authz.can(request.user, action, obj):
        raise PermissionDenied


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _download(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX if fmt == "xlsx" else "text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.{fmt}"'
    return response


def _year(request) -> int:
    value = request.GET.get("tahun", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2999 else timezone.localdate().year


# -- SP2D ------------------------------------------------------------------------------------------------


def _visible_sp2d(request):
    return authz.restrict(Sp2d.objects.select_related("unit"), request.user, "realisasi.view")


def _filtered_sp2d(request):
    base = _visible_sp2d(request)
    filterset = Sp2dFilterSet(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    return filterset, queryset


@login_required
def sp2d_list(request):
    _require(request, "realisasi.view")
    filterset, queryset = _filtered_sp2d(request)
    totals = queryset.filter(dibatalkan__isnull=True).aggregate(n=Count("pk"), total=Sum("nilai"))
    page = Paginator(queryset.order_by("-tanggal", "-pk"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "totals": totals,
        "can_record": authz.has_action(request.user, "realisasi.record"),
        "page_title": _("SP2D"),
    }
    return render(request, "realisasi/sp2d_list.html", context)


@login_required
def sp2d_export(request):
    _require(request, "realisasi.view")
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        return HttpResponse(_("Unknown format."), status=400, content_type="text/plain; charset=utf-8")
    _filterset, queryset = _filtered_sp2d(request)
    return _download(importing.export_file(queryset, fmt), fmt, "sp2d")


@login_required
def sp2d_detail(request, pk: int):
    sp2d = get_object_or_404(_visible_sp2d(request), pk=pk)
    rows = (
        sp2d.rincian.filter(membatalkan__isnull=True)
        .select_related("dpa_baris__sub_kegiatan__sub_kegiatan", "termin__kontrak")
        .order_by("pk")
    )
    context = {
        "sp2d": sp2d,
        "rows": rows,
        "can_cancel": sp2d.dibatalkan is None and authz.can(request.user, "realisasi.record", sp2d),
        "cancel_form": CancelForm(),
        "history": history_for(request.user, sp2d),
        "page_title": _("SP2D %(nomor)s") % {"nomor": sp2d.nomor},
    }
    return render(request, "realisasi/sp2d_detail.html", context)


@login_required
@require_POST
def sp2d_cancel(request, pk: int):
    sp2d = get_object_or_404(_visible_sp2d(request), pk=pk)
    _require(request, "realisasi.record", sp2d)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the cancellation."))
        return redirect(sp2d)
    try:
        services.cancel_sp2d(sp2d, form.cleaned_data["alasan"], request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The SP2D was cancelled; its amounts no longer count as realisation."))
    return redirect(sp2d)


def _record_units(request):
    return authz.restrict(UnitKerja.objects.current(), request.user, "realisasi.record").order_by("path")


def _unit_lines(unit, tahun: int) -> dict:
    from terpadu.anggaran.models import DpaBaris

    if unit is None:
        return {}
    lines = DpaBaris.objects.filter(unit=unit, tahun=tahun).select_related("sub_kegiatan__sub_kegiatan")
    return {line.kode: line for line in lines}


def _resolve_lines(unit, tahun: int, formset) -> tuple[list, list[str]]:
    """The formset's filled rows as (dpa_baris, nilai, termin); errors name the row."""
    from terpadu.kontrak.models import Termin

    known = _unit_lines(unit, tahun)
    lines, errors = [], []
    for number, form in enumerate(formset.forms, start=1):
        data = getattr(form, "cleaned_data", None) or {}
        if not data.get("baris"):
            continue
        code = data["baris"].strip()
        dpa = known.get(code)
        if dpa is None:
            errors.append(
                _("Row %(n)d: %(code)s is not a DPA line of %(unit)s in %(tahun)d.")
                % {"n": number, "code": code, "unit": unit, "tahun": tahun}
            )
            continue
        termin = None
        if data.get("nomor_kontrak"):
            termin = (
                Termin.objects.select_related("kontrak")
                .filter(kontrak__unit=unit, kontrak__nomor=data["nomor_kontrak"].strip(), urutan=data["termin"])
                .order_by("-kontrak__tahun")
                .first()
            )
            if termin is None:
                errors.append(
                    _("Row %(n)d: contract %(k)s of %(unit)s has no termin %(t)s.")
                    % {"n": number, "k": data["nomor_kontrak"], "unit": unit, "t": data["termin"]}
                )
                continue
        lines.append((dpa, data["nilai"], termin))
    return lines, errors


@login_required
def sp2d_create(request):
    _require(request, "realisasi.record")
    units = _record_units(request)
    form = Sp2dForm(request.POST or None, units=units, initial={"tanggal": timezone.localdate()})
    form.fields["unit"].widget.attrs["hx-get"] = reverse("realisasi:dpa_options")
    formset = LineFormSet(request.POST or None, prefix="baris")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = dict(form.cleaned_data, sumber=Sp2d.Sumber.MANUAL)
        lines, errors = _resolve_lines(data["unit"], data["tanggal"].year, formset)
        if not lines and not errors:
            errors.append(_("Fill in at least one DPA line."))
        if errors:
            form.add_error(None, errors)
        else:
            try:
                sp2d = services.record_sp2d(data, lines, request.user)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("SP2D %(nomor)s was recorded.") % {"nomor": sp2d.nomor})
                return redirect(sp2d)
    chosen = form["unit"].value()
    unit = units.filter(pk=chosen).first() if str(chosen or "").isdigit() else None
    tahun = form.cleaned_data["tanggal"].year if form.is_bound and form.is_valid() else timezone.localdate().year
    context = {
        "form": form,
        "formset": formset,
        "lines": _line_options(unit, tahun),
        "page_title": _("Record an SP2D"),
    }
    return render(request, "realisasi/sp2d_form.html", context)


def _line_options(unit, tahun):
    lines = list(_unit_lines(unit, tahun).values())
    for line in lines:
        line.sisa = line.pagu - services.realisasi_baris(line)
    return lines


@login_required
def dpa_options(request):
    """htmx fragment: the <option>s of the chosen OPD's DPA lines (with what remains) for the SP2D form."""
    _require(request, "realisasi.record")
    pk = request.GET.get("unit", "")
    unit = _record_units(request).filter(pk=pk).first() if pk.isdigit() else None
    return render(request, "realisasi/_dpa_options.html", {"lines": _line_options(unit, _year(request))})


@login_required
def sp2d_import(request):
    _require(request, "realisasi.record")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            stored = files.store(form.cleaned_data["file"], {"csv", "xlsx"}, request.user)
        except files.UploadRejected as exc:
            form.add_error("file", str(exc))
        else:
            kind = "xlsx" if stored.content_type.endswith("sheet") else "csv"
            job = importing.start_import(request.user, stored, kind, form.cleaned_data["dry_run"])
            return redirect("core:job_detail", pk=job.pk)
    context = {"form": form, "columns": importing.COLUMNS, "page_title": _("Import SP2D from the finance system")}
    return render(request, "realisasi/import.html", context)


# -- realisation per DPA line (LRA-like) -----------------------------------------------------------------


def _dpa_lines(request, tahun: int, unit=None):
    from terpadu.anggaran.models import DpaBaris

    lines = authz.restrict(DpaBaris.objects.filter(tahun=tahun), request.user, "realisasi.view")
    if unit is not None:
        lines = lines.filter(unit__path__startswith=unit.path)
    return lines


def _dpa_rows(request, tahun: int, unit=None):
    return _dpa_lines(request, tahun, unit).annotate(realised=Sum("realisasi__nilai"))


def _percent(part, whole) -> Decimal | None:
    return (Decimal(part or 0) * 100 / whole).quantize(Decimal("0.01")) if whole else None


@login_required
def lra(request):
    """Pagu, realised, remaining and % per DPA line: per OPD, then sub kegiatan → kode rekening."""
    _require(request, "realisasi.view")
    tahun = _year(request)
    pk = request.GET.get("unit", "")
    unit = get_object_or_404(UnitKerja, pk=pk) if pk.isdigit() else None
    rows = _dpa_rows(request, tahun, unit)
    if unit is None:
        realised = dict(
            authz.restrict(Realisasi.objects.filter(tahun=tahun), request.user, "realisasi.view")
            .order_by()
            .values_list("unit")
            .annotate(t=Sum("nilai"))
        )
        lines = _dpa_lines(request, tahun)
        pagu = {o["unit"]: o["pagu"] for o in lines.order_by().values("unit").annotate(pagu=Sum("pagu"))}
        opds = []
        for row in lines.order_by("unit__path").values("unit", "unit__nama", "unit__kode", "unit__path").distinct():
            total = pagu.get(row["unit"]) or ZERO
            done = realised.get(row["unit"]) or ZERO
            opds.append({**row, "pagu": total, "realised": done, "sisa": total - done, "persen": _percent(done, total)})
        groups = None
    else:
        opds = None
        groups = _group_lines(rows)
    context = {
        "tahun": tahun,
        "unit": unit,
        "opds": opds,
        "groups": groups,
        "page_title": _("Realisation per DPA line %(tahun)d") % {"tahun": tahun},
    }
    return render(request, "realisasi/lra.html", context)


def _group_lines(rows) -> list[dict]:
    groups: dict[int, dict] = {}
    for line in rows.select_related("sub_kegiatan__sub_kegiatan", "rekening").order_by(
        "sub_kegiatan__sub_kegiatan__kode", "kode_rekening"
    ):
        realised = line.realised or ZERO
        line.sisa, line.persen = line.pagu - realised, _percent(realised, line.pagu)
        group = groups.setdefault(
            line.sub_kegiatan_id, {"sub": line.sub_kegiatan, "lines": [], "pagu": ZERO, "realised": ZERO}
        )
        group["lines"].append(line)
        group["pagu"] += line.pagu
        group["realised"] += realised
    for group in groups.values():
        group["sisa"], group["persen"] = group["pagu"] - group["realised"], _percent(group["realised"], group["pagu"])
    return list(groups.values())


@login_required
def lra_export(request):
    _require(request, "realisasi.view")
    tahun = _year(request)
    pk = request.GET.get("unit", "")
    unit = get_object_or_404(UnitKerja, pk=pk) if pk.isdigit() else None
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("csv", "xlsx"):
        return HttpResponse(_("Unknown format."), status=400, content_type="text/plain; charset=utf-8")
    rows = _dpa_rows(request, tahun, unit).select_related("unit", "sub_kegiatan__sub_kegiatan", "rekening")
    columns = ["tahun", "kode_skpd", "skpd", "kode_sub_kegiatan", "sub_kegiatan", "kode_rekening", "rekening",
               "pagu", "realisasi", "sisa", "persen"]  # fmt: skip
    data = (
        [
            tahun,
            line.unit.kode,
            line.unit.nama,
            line.sub_kegiatan.sub_kegiatan.kode,
            line.sub_kegiatan.sub_kegiatan.nama,
            line.kode_rekening,
            line.rekening.nama,
            line.pagu,
            line.realised or ZERO,
            line.pagu - (line.realised or ZERO),
            _percent(line.realised, line.pagu),
        ]
        for line in rows.order_by("unit__path", "sub_kegiatan__sub_kegiatan__kode", "kode_rekening")
    )
    if fmt == "xlsx":
        from terpadu.core import tabular

        return _download(tabular.write_xlsx({"realisasi": (columns, data)}), fmt, f"realisasi-{tahun}")
    from terpadu.core import tabular

    return _download(tabular.write_csv(columns, data), fmt, f"realisasi-{tahun}")


# -- physical progress -------------------------------------------------------------------------------------


def _sub_kegiatan_qs():
    from terpadu.perencanaan.models import RenjaSubKegiatan

    return RenjaSubKegiatan.objects.select_related("sub_kegiatan", "unit")


@login_required
def progres_saya(request):
    """An OPD operator's sub kegiatan of the year with last month's progress and a link to the entry page."""
    _require(request, "realisasi.progress")
    tahun = _year(request)
    today = timezone.localdate()
    bulan = 12 if tahun < today.year else max(today.month - 1, 1)
    subs = list(authz.restrict(_sub_kegiatan_qs().filter(tahun=tahun), request.user, "realisasi.progress"))
    latest: dict[int, ProgresFisik] = {}
    for row in ProgresFisik.objects.filter(sub_kegiatan__in=[s.pk for s in subs]).order_by("sub_kegiatan", "bulan"):
        latest[row.sub_kegiatan_id] = row
    for sub in subs:
        sub.terakhir = latest.get(sub.pk)
        sub.bulan_lalu = services.progres_fisik(sub, bulan) if sub.terakhir else None
    context = {
        "subs": subs,
        "tahun": tahun,
        "bulan": bulan,
        "page_title": _("My physical progress %(t)d") % {"t": tahun},
    }
    return render(request, "realisasi/progres_saya.html", context)


@login_required
def progres_entry(request, pk: int):
    """One sub kegiatan: its months with progress and photos, and (for its operator) the entry form."""
    sub = get_object_or_404(authz.restrict(_sub_kegiatan_qs(), request.user, "realisasi.view"), pk=pk)
    can_report = authz.can(request.user, "realisasi.progress", sub)
    today = timezone.localdate()
    default_month = today.month if sub.tahun == today.year else 12
    form = ProgresForm(request.POST or None, request.FILES or None, initial={"bulan": default_month})
    if request.method == "POST":
        _require(request, "realisasi.progress", sub)
        if form.is_valid():
            data = form.cleaned_data
            photos = [(f, data.get("keterangan", "")) for f in data.get("foto") or []]
            try:
                services.lapor_progres(
                    sub_kegiatan=sub,
                    bulan=data["bulan"],
                    persen=data["persen"],
                    narasi=data.get("narasi", ""),
                    alasan_koreksi=data.get("alasan_koreksi", ""),
                    user=request.user,
                    foto=photos,
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(
                    request, _("The progress of %(m)02d/%(y)d was saved.") % {"m": data["bulan"], "y": sub.tahun}
                )
                return redirect("realisasi:progres_entry", pk=sub.pk)
    months = list(ProgresFisik.objects.filter(sub_kegiatan=sub).prefetch_related("foto").order_by("-bulan"))
    if not form.is_bound and months:
        current = next((m for m in months if m.bulan == default_month), None)
        if current is not None:
            form.initial.update({"persen": current.persen, "narasi": current.narasi})
        else:
            form.initial.setdefault("persen", months[0].persen)
    context = {
        "sub": sub,
        "form": form,
        "months": months,
        "can_report": can_report,
        "page_title": _("Physical progress: %(kode)s") % {"kode": sub.sub_kegiatan.kode},
    }
    return render(request, "realisasi/progres_entry.html", context)


def _visible_foto(request, pk: int):
    return get_object_or_404(
        authz.restrict(FotoProgres.objects.select_related("file", "progres"), request.user, "realisasi.view"), pk=pk
    )


@login_required
def foto_file(request, pk: int):
    """The photo (or, with ?thumb=1, a 320 px JPEG thumbnail made on the fly)."""
    foto = _visible_foto(request, pk)
    stored = foto.file
    if not stored.file:
        raise Http404
    with stored.file.open("rb") as handle:
        data = handle.read()
    if request.GET.get("thumb"):
        data, content_type = _thumbnail(data), "image/jpeg"
    else:
        content_type = stored.content_type
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


def _thumbnail(data: bytes) -> bytes:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((320, 320))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


@login_required
@require_POST
def foto_delete(request, pk: int):
    foto = _visible_foto(request, pk)
    _require(request, "realisasi.progress", foto)
    sub_pk = foto.progres.sub_kegiatan_id
    try:
        services.hapus_foto(foto, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The photo was removed."))
    return redirect("realisasi:progres_entry", pk=sub_pk)


# -- the panel on the sub kegiatan hub page ---------------------------------------------------------------


def kas_kumulatif(sub, bulan: int) -> Decimal | None:
    """The cumulative cash plan (anggaran kas) of the adopted DPA; anggaran's service when it is there."""
    try:
        from terpadu.anggaran import services_rka

        return services_rka.kas_kumulatif(sub, bulan)
    except (ImportError, AttributeError):
        from terpadu.anggaran.models import AnggaranKas, Rka

        rka = (
            Rka.objects.filter(sub_kegiatan=sub, status=Rka.Status.DISETUJUI).order_by("-tahap__urutan", "-pk").first()
        )
        if rka is None:
            return None
        return AnggaranKas.objects.filter(rka=rka, bulan__lte=bulan).aggregate(t=Sum("nilai"))["t"] or ZERO


def panel_context(sub) -> dict:
    per_month = services.realisasi_per_bulan(sub)
    progress = {p.bulan: p for p in ProgresFisik.objects.filter(sub_kegiatan=sub).prefetch_related("foto")}
    from terpadu.anggaran.models import DpaBaris

    pagu = DpaBaris.objects.filter(sub_kegiatan=sub).aggregate(t=Sum("pagu"))["t"] or ZERO
    rows, cumulative, last_pct = [], ZERO, None
    for bulan in range(1, 13):
        cumulative += per_month[bulan]
        kas = kas_kumulatif(sub, bulan)
        if bulan in progress:
            last_pct = progress[bulan].persen
        rows.append(
            {
                "bulan": bulan,
                "realisasi": per_month[bulan],
                "kumulatif": cumulative,
                "kas": kas,
                "persen_keuangan": _percent(cumulative, pagu),
                "persen_kas": _percent(kas, pagu) if kas is not None else None,
                "fisik": progress.get(bulan),
                "fisik_persen": last_pct,
            }
        )
    return {"sub": sub, "pagu": pagu, "rows": rows, "photos": [f for p in progress.values() for f in p.foto.all()][-8:]}


def sub_kegiatan_panel(request, sub) -> str | None:
    """For perencanaan's sub kegiatan page: monthly realisation vs cash plan, physical progress and photos."""
    if not authz.can(request.user, "realisasi.view", sub):
        return None
    context = panel_context(sub)
    context["can_report"] = authz.can(request.user, "realisasi.progress", sub)
    return render_to_string("realisasi/panel.html", context, request=request)


@login_required
def panel(request, pk: int):
    """The same panel as an htmx fragment (also usable on its own)."""
    sub = get_object_or_404(authz.restrict(_sub_kegiatan_qs(), request.user, "realisasi.view"), pk=pk)
    return HttpResponse(sub_kegiatan_panel(request, sub) or "")
