"""Tata naskah pages (naskah.configure): kinds, templates with a live preview, disposition instructions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.core import authz
from terpadu.core.views import history_for
from terpadu.naskah import tata
from terpadu.naskah.forms_tata import InstruksiForm, TemplateForm
from terpadu.naskah.models import InstruksiDisposisi, JenisNaskah, TemplateNaskah
from terpadu.organisasi.models import UnitKerja

ACTION = "naskah.configure"


def _require(request, obj=None) -> None:
    if not authz.can(request.user, ACTION, obj):
        raise PermissionDenied


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = "fields_text" if field == "fields" else field
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _templates(request):
    return authz.restrict(TemplateNaskah.objects.select_related("jenis", "unit"), request.user, ACTION)


# -- kinds -----------------------------------------------------------------------------------------


@login_required
def jenis_list(request):
    _require(request)
    reference = tata.jenis_reference()
    kinds = list(JenisNaskah.objects.all())
    for jenis in kinds:
        jenis.reference = reference.get(jenis.kode, {})
    context = {"kinds": kinds, "tab": "jenis", "page_title": _("Tata naskah: kinds of naskah")}
    return render(request, "naskah/tata/jenis_list.html", context)


@login_required
@require_POST
def jenis_toggle(request, pk: int):
    _require(request)
    jenis = get_object_or_404(JenisNaskah, pk=pk)
    tata.set_jenis_active(jenis, not jenis.aktif)
    messages.success(request, _("“%(name)s” is now %(state)s.") % {"name": jenis, "state": _state(jenis.aktif)})
    return redirect("naskah:tata_jenis_list")


def _state(aktif: bool) -> str:
    return _("in use") if aktif else _("not in use")


# -- templates -----------------------------------------------------------------------------------------


@login_required
def template_list(request):
    _require(request)
    templates = _templates(request).order_by("jenis__urutan", "unit__path", "nama")
    context = {"templates": templates, "tab": "template", "page_title": _("Tata naskah: templates")}
    return render(request, "naskah/tata/template_list.html", context)


@login_required
def template_edit(request, pk: int | None = None):
    template = get_object_or_404(_templates(request), pk=pk) if pk else None
    _require(request, template)
    form = TemplateForm.for_template(template, request.POST or None)
    if template is None and request.method == "GET":
        form.initial.update({"jenis": request.GET.get("jenis"), "aktif": True, "paper": "A4"})
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        if not authz.can(request.user, ACTION, TemplateNaskah(unit=data.get("unit"))):
            form.add_error("unit", _("You may not configure this unit."))
        else:
            try:
                template = tata.save_template(template, data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Saved (version %(versi)d).") % {"versi": template.versi})
                return redirect("naskah:tata_template_edit", pk=template.pk)
    context = {
        "form": form,
        "template": template,
        "tab": "template",
        "history": history_for(request.user, template) if template else [],
        "page_title": _("Edit template %(name)s") % {"name": template} if template else _("New template"),
    }
    return render(request, "naskah/tata/template_form.html", context)


def _preview_unit(request, template: TemplateNaskah):
    if template.unit_id:
        return template.unit
    pegawai = getattr(request.user, "pegawai", None)
    if pegawai is not None and pegawai.unit_id:
        return pegawai.unit
    return UnitKerja.objects.filter(parent__isnull=True).order_by("path").first()


@login_required
@require_POST
def template_preview(request):
    """The form's unsaved template rendered with sample values: an HTML fragment for htmx, or a PDF."""
    _require(request)
    form = TemplateForm(request.POST)
    if not form.is_valid():
        return render(request, "naskah/tata/preview.html", {"form": form, "errors": True})
    data = form.service_data()
    template = TemplateNaskah(
        jenis=data["jenis"],
        unit=data["unit"],
        nama=data["nama"],
        isi=data["isi"],
        fields=data["fields"],
        css=tata.css_with_paper(data["css"], data["paper"]),
    )
    unit = _preview_unit(request, template)
    if unit is None:
        return render(request, "naskah/tata/preview.html", {"form": form, "no_unit": True})
    from terpadu.naskah import rendering  # imported when used: WeasyPrint costs every web worker ~45 MB

    if request.POST.get("format") == "pdf":
        return _pdf_response(rendering.preview_pdf(template, unit), template)
    return render(request, "naskah/tata/preview.html", {"form": form, "html": rendering.preview_html(template, unit)})


@login_required
def template_pdf(request, pk: int):
    """The saved template rendered with sample values."""
    template = get_object_or_404(_templates(request), pk=pk)
    _require(request, template)
    unit = _preview_unit(request, template)
    if unit is None:
        raise PermissionDenied  # no unit at all: nothing to put in the kop
    from terpadu.naskah import rendering  # imported when used: WeasyPrint costs every web worker ~45 MB

    return _pdf_response(rendering.preview_pdf(template, unit), template)


def _pdf_response(pdf: bytes, template: TemplateNaskah) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="contoh-{template.jenis.kode}.pdf"'
    return response


# -- disposition instructions -----------------------------------------------------------------------------


@login_required
def instruksi_list(request):
    _require(request)
    form = InstruksiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tata.save_instruksi(None, {"teks": form.cleaned_data["teks"]})
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The instruction was added."))
            return redirect("naskah:tata_instruksi_list")
    context = {
        "items": InstruksiDisposisi.objects.order_by("urutan", "teks"),
        "form": form,
        "tab": "instruksi",
        "page_title": _("Tata naskah: disposition instructions"),
    }
    return render(request, "naskah/tata/instruksi_list.html", context)


@login_required
def instruksi_edit(request, pk: int):
    _require(request)
    instruksi = get_object_or_404(InstruksiDisposisi, pk=pk)
    form = InstruksiForm(request.POST or None, instance=instruksi)
    if request.method == "POST" and form.is_valid():
        try:
            tata.save_instruksi(instruksi, {"teks": form.cleaned_data["teks"]})
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("naskah:tata_instruksi_list")
    context = {
        "form": form,
        "history": history_for(request.user, instruksi),
        "tab": "instruksi",
        "back": reverse("naskah:tata_instruksi_list"),
        "page_title": _("Rename instruction"),
    }
    return render(request, "naskah/tata/instruksi_form.html", context)


@login_required
@require_POST
def instruksi_move(request, pk: int):
    _require(request)
    instruksi = get_object_or_404(InstruksiDisposisi, pk=pk)
    tata.move_instruksi(instruksi, -1 if request.POST.get("arah") == "naik" else 1)
    return redirect("naskah:tata_instruksi_list")


@login_required
@require_POST
def instruksi_toggle(request, pk: int):
    _require(request)
    instruksi = get_object_or_404(InstruksiDisposisi, pk=pk)
    tata.save_instruksi(instruksi, {"aktif": not instruksi.aktif})
    messages.success(request, _("“%(name)s” is now %(state)s.") % {"name": instruksi, "state": _state(instruksi.aktif)})
    return redirect("naskah:tata_instruksi_list")
