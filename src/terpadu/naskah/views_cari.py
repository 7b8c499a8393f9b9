"""Pages of the 'cari' part: the naskah search (with its export) and numbering (reserve, insert, void, gap
report, number formats). Every query goes through the gate; every change through penomoran."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Window
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from terpadu.core import audit, authz, tabular
from terpadu.core.forms import LongSelect
from terpadu.naskah import penomoran
from terpadu.naskah.filters import NaskahFilterSet
from terpadu.naskah.models import FormatNomor, JenisNaskah, Naskah, NomorCadangan
from terpadu.organisasi.models import UnitKerja

PAGE_SIZE = 25
EXPORT_LIMIT = 10_000  # rows per export file; narrow the filters for more
EXPORT_COLUMNS = ("nomor", "tanggal", "hal", "unit", "jenis", "klasifikasi", "sifat", "status", "arah")


# -- search ---------------------------------------------------------------------------------------------


LIGHT = ("teks", "search_vector", "isi")  # large columns no list shows


def searched(request, action: str = "naskah.view"):
    """(filterset, queryset): what the user may see under `action`, filtered by the one FilterSet."""
    base = authz.restrict(Naskah.objects.all(), request.user, action)
    filterset = NaskahFilterSet(request.GET or None, queryset=base, request=request)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    return filterset, queryset


# What the search page's rows show (naskah/cari/rows.html): number, subject, date, unit, security.
PAGE_FIELDS = ("nomor", "hal", "tanggal", "sifat", "unit__nama")


def load_rows(ids: list[int], fields: tuple[str, ...] | None = None) -> list[Naskah]:
    """The naskah of one page, in the page's order, with what the list shows: every column but the large ones,
    with unit, kind and classification; or only `fields` (with their units)."""
    if fields is None:
        found = Naskah.objects.select_related("unit", "jenis", "klasifikasi").defer(*LIGHT)
    else:
        found = Naskah.objects.select_related("unit").only(*fields)
    rows = found.in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def page_of(queryset, number, per_page: int = PAGE_SIZE, fields: tuple[str, ...] | None = None):
    """One page of a searched queryset in two queries: the page's ids with the total (COUNT(*) OVER (), so
    the matching and the gate run once, without joins or wide rows), then only those rows with their unit,
    kind and classification. A page past the end falls back to a plain count and the last page."""
    ids = queryset.values_list("pk", flat=True)
    paginator = Paginator(ids, per_page)
    try:
        wanted = max(1, int(number or 1))
    except (TypeError, ValueError):
        wanted = 1
    start = (wanted - 1) * per_page
    found = list(queryset.annotate(_total=Window(Count("pk"))).values_list("pk", "_total")[start : start + per_page])
    if found:
        paginator.__dict__["count"] = found[0][1]  # Paginator.count is a cached_property: no COUNT query
    page = paginator.get_page(wanted)
    page.object_list = load_rows([pk for pk, _total in found] if found else list(page.object_list), fields)
    return page


@login_required
def search(request):
    """Anyone signed in may search: the gate shows each user their units' open naskah and the ones they
    are a party to (secret ones only then)."""
    filterset, queryset = searched(request)
    page = page_of(queryset, request.GET.get("page"), fields=PAGE_FIELDS)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "may_export": authz.has_action(request.user, "naskah.export"),
        "page_title": _("Search naskah"),
    }
    template = "naskah/cari/rows.html" if request.htmx else "naskah/cari/search.html"
    return render(request, template, context)


def export_rows(queryset):
    for naskah in queryset[:EXPORT_LIMIT].iterator(chunk_size=1000):
        yield [
            naskah.nomor,
            naskah.tanggal.isoformat() if naskah.tanggal else "",
            naskah.hal,
            naskah.unit.nama,
            naskah.jenis.nama,
            naskah.klasifikasi.kode,
            naskah.get_sifat_display(),
            naskah.get_status_display(),
            naskah.get_arah_display(),
        ]


@login_required
def export(request):
    """The search result as CSV or XLSX: only naskah in the user's naskah.export scope (secret ones only
    for their parties), at most EXPORT_LIMIT rows. The export itself is audited."""
    if not authz.has_action(request.user, "naskah.export"):
        raise PermissionDenied
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        return HttpResponse(_("Unknown format."), status=400, content_type="text/plain; charset=utf-8")
    filterset, queryset = searched(request, "naskah.export")
    if filterset.is_bound and not filterset.is_valid():
        return HttpResponse(_("Invalid filters."), status=400, content_type="text/plain; charset=utf-8")
    rows = list(export_rows(queryset.select_related("unit", "jenis", "klasifikasi").defer(*LIGHT)))
    columns = list(EXPORT_COLUMNS)
    with transaction.atomic():
        filters = {k: v for k, v in request.GET.items() if k not in ("format", "page")}
        audit.record(
            None,
            "naskah.export",
            {"filters": filters, "rows": len(rows), "format": fmt},
            object_type="naskah.naskah",
            object_id="",
            object_repr=_("naskah search export"),
        )
    stamp = f"{timezone.localdate():%Y%m%d}"
    if fmt == "csv":
        response = HttpResponse(tabular.write_csv(columns, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            tabular.write_xlsx({"naskah": (columns, rows)}),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="naskah-{stamp}.{fmt}"'
    return response


# -- numbering (naskah.number) -------------------------------------------------------------------------


def number_units(user):
    return authz.restrict(UnitKerja.objects.current(), user, "naskah.number").order_by("path")


class SequenceForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=UnitKerja.objects.none(), widget=LongSelect)
    jenis = forms.ModelChoiceField(
        label=gettext_lazy("Kind"), queryset=JenisNaskah.objects.filter(aktif=True), required=False
    )
    tahun = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    alasan = forms.CharField(label=gettext_lazy("Reason"), max_length=255)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = number_units(user)
        self.fields["tahun"].initial = timezone.localdate().year


class SisipanForm(SequenceForm):
    after_urut = forms.IntegerField(label=gettext_lazy("Insert after number"), min_value=1)


class VoidForm(forms.Form):
    alasan = forms.CharField(label=gettext_lazy("Reason"), max_length=255)


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _number_context(request, reserve_form=None, sisipan_form=None) -> dict:
    units = number_units(request.user)
    unit = units.filter(pk=request.GET.get("unit") or 0).first() or units.first()
    try:
        tahun = int(request.GET.get("tahun") or timezone.localdate().year)
    except ValueError:
        tahun = timezone.localdate().year
    tahun = min(max(tahun, 2000), 2100)
    initial = {"unit": unit, "tahun": tahun}
    return {
        "unit": unit,
        "units": units,
        "tahun": tahun,
        "rows": penomoran.gap_report(unit, tahun) if unit else [],
        "reserve_form": reserve_form or SequenceForm(request.user, initial=initial),
        "sisipan_form": sisipan_form or SisipanForm(request.user, initial=initial),
        "void_form": VoidForm(),
        "page_title": _("Numbering"),
    }


@login_required
def number_index(request):
    """The unit's sequences for a year: every number given, reserved, inserted or voided (the gap report)."""
    if not authz.has_action(request.user, "naskah.number"):
        raise PermissionDenied
    return render(request, "naskah/nomor/index.html", _number_context(request))


def _sequence_post(request, form_class, act, done_message):
    if not authz.has_action(request.user, "naskah.number"):
        raise PermissionDenied
    form = form_class(request.user, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            cadangan = act(data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, done_message % {"nomor": str(cadangan)})
            query = f"?unit={data['unit'].pk}&tahun={data['tahun']}"
            return redirect(reverse("naskah:number_index") + query)
    key = "reserve_form" if form_class is SequenceForm else "sisipan_form"
    return render(request, "naskah/nomor/index.html", _number_context(request, **{key: form}), status=400)


@login_required
@require_POST
def number_reserve(request):
    def act(data):
        return penomoran.reserve(data["unit"], data["jenis"], data["tahun"], data["alasan"], request.user)

    return _sequence_post(request, SequenceForm, act, _("Number %(nomor)s reserved."))


@login_required
@require_POST
def number_insert(request):
    def act(data):
        return penomoran.insert_sisipan(
            data["unit"], data["jenis"], data["tahun"], data["after_urut"], data["alasan"], request.user
        )

    return _sequence_post(request, SisipanForm, act, _("Number %(nomor)s inserted."))


@login_required
@require_POST
def number_void(request, pk: int):
    cadangan = get_object_or_404(
        authz.restrict(NomorCadangan.objects.select_related("urutan"), request.user, "naskah.number"), pk=pk
    )
    form = VoidForm(request.POST)
    target = reverse("naskah:number_index") + f"?unit={cadangan.urutan.unit_id}&tahun={cadangan.urutan.tahun}"
    if not form.is_valid():
        messages.error(request, _("Give the reason for voiding the number."))
        return redirect(target)
    try:
        penomoran.void(cadangan, form.cleaned_data["alasan"], request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Number %(nomor)s voided.") % {"nomor": str(cadangan)})
    return redirect(target)


# -- number formats (naskah.configure) ------------------------------------------------------------------


class FormatForm(forms.ModelForm):
    class Meta:
        model = FormatNomor
        fields = ["unit", "jenis", "pola", "urut_per_jenis", "digit"]
        widgets = {"unit": LongSelect}

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = authz.restrict(UnitKerja.objects.current(), user, "naskah.configure")
        tokens = ", ".join(f"{{{token}}}" for token in penomoran.allowed_tokens())
        self.fields["pola"].help_text = _("Tokens: %(tokens)s. {urut} is required.") % {"tokens": tokens}
        self.fields["pola"].widget.attrs.update(
            {
                "hx-get": reverse("naskah:format_preview"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#pola-preview",
                "hx-include": "closest form",
            }
        )

    def clean_pola(self):
        pola = self.cleaned_data["pola"]
        penomoran.validate_pola(pola)
        return pola

    def validate_unique(self):
        """The service checks (unit, jenis) itself, the pemda default (two NULLs) included."""


def formats_visible(user):
    return authz.restrict(FormatNomor.objects.select_related("unit", "jenis"), user, "naskah.configure")


@login_required
def format_list(request):
    if not authz.has_action(request.user, "naskah.configure"):
        raise PermissionDenied
    formats = formats_visible(request.user).order_by("unit__path", "jenis__urutan")
    context = {
        "formats": formats,
        "bawaan": penomoran.reference()["pola_bawaan"],
        "page_title": _("Number formats"),
    }
    return render(request, "naskah/nomor/formats.html", context)


@login_required
def format_edit(request, pk: int | None = None):
    if not authz.has_action(request.user, "naskah.configure"):
        raise PermissionDenied
    instance = get_object_or_404(formats_visible(request.user), pk=pk) if pk else None
    form = FormatForm(request.user, request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in penomoran.FORMAT_FIELDS}
        if data["unit"] is None and not authz.scope(request.user, "naskah.configure").whole:
            form.add_error("unit", _("Only a pemda-wide administrator may set the pemda default."))
        else:
            try:
                penomoran.save_format(instance, data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("naskah:format_list")
    title = _("Edit number format") if instance else _("New number format")
    return render(request, "naskah/nomor/format_form.html", {"form": form, "page_title": title})


@login_required
def format_preview(request):
    """htmx: the next number a pattern would give (for the unit and kind chosen), or its error."""
    if not authz.has_action(request.user, "naskah.configure"):
        raise PermissionDenied
    pola = request.GET.get("pola", "")[:200]
    try:
        penomoran.validate_pola(pola)
    except ValidationError as exc:
        return render(request, "naskah/nomor/preview.html", {"error": " ".join(exc.messages)})
    units = authz.restrict(UnitKerja.objects.current(), request.user, "naskah.configure")
    unit = units.filter(pk=_int(request.GET.get("unit"))).first()
    jenis = JenisNaskah.objects.filter(pk=_int(request.GET.get("jenis"))).first()
    text = _preview_text(FormatNomor(pola=pola, digit=_int(request.GET.get("digit")) or 0), unit, jenis)
    return render(request, "naskah/nomor/preview.html", {"text": text})


def _preview_text(fmt: FormatNomor, unit, jenis) -> str:
    """The next number of the unit's sequence in this pattern; per-naskah values are shown as [token]."""
    for token in ("klasifikasi", "kode_keamanan"):
        fmt.pola = fmt.pola.replace(f"{{{token}}}", f"[{token}]")
    tahun = timezone.localdate().year
    urut = penomoran.next_urut(unit, penomoran.lingkup_for(fmt, jenis), tahun) if unit else 1
    return penomoran.render(fmt, urut=urut, tahun=tahun, unit=unit, jenis=jenis)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
