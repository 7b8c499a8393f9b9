"""Pages of the application catalogue: list with filters and search, detail, forms, lifecycle, data and
integrations, the flag list for Diskominfo, the integration map, the national applications, export and import.

Gate: spbe.view in unit scope (each OPD sees its own applications; those without an owner only through a
whole-pemda grant); spbe.manage changes anything; spbe.propose changes the OPD's own entries."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.core import authz, tabular
from terpadu.core.views import history_for
from terpadu.perencanaan.forms_master import KEYAKINAN_BADGE, NO_BADGE
from terpadu.spbe import importing_katalog, services_katalog
from terpadu.spbe.filters_katalog import AplikasiFilterSet, AplikasiNasionalFilterSet
from terpadu.spbe.forms_katalog import AplikasiForm, DataForm, ImportForm, IntegrasiForm, StatusForm
from terpadu.spbe.models import Aplikasi, AplikasiNasional, DataAplikasi, IntegrasiAplikasi

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEVERITY_BADGE = {"high": "bg-red-lt", "medium": "bg-orange-lt", "low": "bg-yellow-lt"}
DISPLAYED = ("status", "hosting", "time")  # choice fields the list shows by label


def _require(request, *actions: str) -> None:
    if not any(authz.has_action(request.user, a) for a in actions):
        raise PermissionDenied


def _visible(request):
    return authz.restrict(Aplikasi.objects.all(), request.user, "spbe.view")


def _editable(request, pk: int) -> Aplikasi:
    aplikasi = get_object_or_404(_visible(request), pk=pk)
    if not services_katalog.may_edit(request.user, aplikasi):
        raise PermissionDenied
    return aplikasi


def _filtered(request, base):
    params = request.GET.copy()
    for key in ("page", "format"):
        params.pop(key, None)
    filterset = AplikasiFilterSet(params or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    return filterset, queryset


def _badge(item) -> str | None:
    return None if item.keyakinan in NO_BADGE else KEYAKINAN_BADGE.get(item.keyakinan, "bg-secondary-lt")


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


_PK_PLACEHOLDER = 2147483647  # the detail URL is reversed once per page with this pk, then the row's pk put in


def _detail_url_parts() -> tuple[str, str]:
    """The detail URL around its pk (reverse() once per page instead of once per row)."""
    head, tail = reverse("spbe:aplikasi_detail", args=[_PK_PLACEHOLDER]).split(str(_PK_PLACEHOLDER))
    return escape(head), escape(tail)


def _truncator(length: int):
    """Truncator(text).chars(length) for the texts of one page, without its walk over every character of an ASCII
    text (no normalisation, no combining characters: one character is one character), i.e. almost every flag
    message, and with the length of the truncation mark worked out once."""
    keep = calculate_truncate_chars_length(length, None)

    def truncated(text: str) -> str:
        if not text.isascii():
            return Truncator(text).chars(length)
        return text if len(text) <= length else add_truncation_text(text[:keep])

    return truncated


def _rows_html(applications: list[services_katalog.ListRow]) -> SafeString:
    """The list's table rows, written in Python once per page: the same markup the template loop wrote (~30
    template nodes per row), with every value escaped. The flags (the page's own rows, one shared context) as
    badges; the labels, column titles and choice labels translated once per page, not once per cell."""
    found = services_katalog.flags_for(applications)
    labels = {name: {v: escape(label) for v, label in Aplikasi._meta.get_field(name).flatchoices} for name in DISPLAYED}
    status_labels, hosting_labels, time_labels = (labels[name] for name in DISPLAYED)
    url_head, url_tail = _detail_url_parts()
    t_app, t_kind, t_unit, t_status, t_hosting, t_time, t_flags = map(
        escape, (_("Application"), _("Kind"), _("Owner OPD"), _("Status"), _("Hosting"), _("TIME"), _("Flags"))
    )  # the column titles, as data-label of every cell (the table stacks on narrow screens)
    t_umum, t_khusus, t_unconfirmed = map(escape, (_("umum"), _("khusus"), _("rule unconfirmed")))
    umum = f'<span class="badge bg-blue-lt">{t_umum}</span>'
    khusus = f'<span class="badge bg-secondary-lt">{t_khusus}</span>'
    unconfirmed = f' <span class="text-secondary">({t_unconfirmed})</span>'
    short = _truncator(60)
    badges: dict[services_katalog.Flag, str] = {}  # the same flag (code, message) recurs on many rows
    rows = []
    for a in applications:
        bidang = f'<div class="small text-secondary">{escape(a.bidang)}</div>' if a.bidang else ""
        if a.jenis != Aplikasi.Jenis.UMUM:
            kind = khusus
        elif a.aplikasi_nasional_id is None:
            kind = umum
        else:
            kind = f'{umum} <span class="small">{escape(a.aplikasi_nasional_nama)}</span>'
        owner = "—" if a.unit_id is None else escape(a.unit_singkatan or a.unit_nama)
        status = status_labels.get(a.status)
        if status is None:
            status = escape(a.status)
        hosting = hosting_labels.get(a.hosting) or (escape(a.hosting) if a.hosting else "—")
        time = time_labels.get(a.time) or (escape(a.time) if a.time else "—")
        flags = []
        for flag in found.get(a.pk, ()):
            badge = badges.get(flag)
            if badge is None:
                message = escape(flag.message)
                badge = badges[flag] = (
                    f'<span class="badge {SEVERITY_BADGE.get(flag.severity, "bg-yellow-lt")} me-1" title="{message}" '
                    f'data-flag="{escape(flag.code)}">{escape(short(flag.message))}'
                    f"{unconfirmed if flag.unconfirmed else ''}</span>"
                )
            flags.append(badge)
        rows.append(
            f'<tr>\n<td data-label="{t_app}"><a href="{url_head}{a.pk}{url_tail}">{escape(a.nama)}</a>{bidang}</td>\n'
            f'<td data-label="{t_kind}">{kind}</td>\n'
            f'<td data-label="{t_unit}">{owner}</td>\n'
            f'<td data-label="{t_status}">{status}</td>\n'
            f'<td data-label="{t_hosting}">{hosting}</td>\n'
            f'<td data-label="{t_time}">{time}</td>\n'
            f'<td data-label="{t_flags}">{"".join(flags)}</td>\n</tr>'
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value above is escaped)


PER_PAGE = 50
_LAST_PAGE = (2**63 - 1) // PER_PAGE - 1  # the last page whose LIMIT and OFFSET the database takes (64-bit)


@dataclass(frozen=True)
class _Page:
    """A page of the list as the template reads it (Django's Page, without the count of the whole list: the list
    shows no total, and whether a next page exists is told by the one row read beyond the page)."""

    object_list: list
    number: int
    has_next: bool

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def _list_page(queryset, number) -> _Page:
    """The page `number` of the ordered queryset as ListRow, as Paginator.get_page() picks it (not a number: the
    first page; beyond the last or below 1: the last), counting the list only in the latter case."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    if 1 <= number <= _LAST_PAGE:
        offset = (number - 1) * PER_PAGE
        rows = services_katalog.list_rows(queryset[offset : offset + PER_PAGE + 1])
        if rows or number == 1:
            return _Page(rows[:PER_PAGE], number, len(rows) > PER_PAGE)
    page = Paginator(queryset, PER_PAGE).get_page(number)
    return _Page(services_katalog.list_rows(page.object_list), page.number, page.has_next())


@login_required
def aplikasi_list(request):
    _require(request, "spbe.view")
    filterset, queryset = _filtered(request, _visible(request))
    page = _list_page(queryset.order_by("nama", "pk"), request.GET.get("page"))
    rows = _rows_html(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "can_create": services_katalog.may_create(request.user),
        "page_title": _("Application catalogue"),
    }
    return render(request, "spbe/katalog/list.html", context)


@login_required
def aplikasi_detail(request, pk: int):
    _require(request, "spbe.view")
    aplikasi = get_object_or_404(
        _visible(request).select_related("unit", "aplikasi_nasional").prefetch_related("layanan"), pk=pk
    )
    belanja = authz.restrict(aplikasi.belanja.select_related("unit", "dpa_baris"), request.user, "spbe.view")
    temuan = services_katalog.flags(aplikasi)
    can_edit = services_katalog.may_edit(request.user, aplikasi)
    context = {
        "aplikasi": aplikasi,
        "nasional_badge": _badge(aplikasi.aplikasi_nasional) if aplikasi.aplikasi_nasional else None,
        "data": aplikasi.data.select_related("elemen").order_by("nama"),
        "keluar": aplikasi.integrasi_keluar.select_related("ke").order_by("ke__nama"),
        "masuk": aplikasi.integrasi_masuk.select_related("dari").order_by("dari__nama"),
        "layanan": aplikasi.layanan.order_by("kode"),
        "belanja": belanja.order_by("-tahun", "uraian"),
        "temuan": temuan,
        "severity_badge": SEVERITY_BADGE,
        "periode": services_katalog.audit_period(aplikasi),
        "can_edit": can_edit,
        "status_form": StatusForm(initial={"status": aplikasi.status}) if can_edit else None,
        "data_form": DataForm(user=request.user) if can_edit else None,
        "integrasi_form": IntegrasiForm(dari=aplikasi) if can_edit else None,
        "history": history_for(request.user, aplikasi),
        "page_title": aplikasi.nama,
    }
    return render(request, "spbe/katalog/detail.html", context)


def _form_context(request, form, title, aplikasi=None):
    return {
        "form": form,
        "aplikasi": aplikasi,
        "bidang_list": services_katalog.known_bidang(),
        "page_title": title,
    }


@login_required
def aplikasi_create(request):
    if not services_katalog.may_create(request.user):
        raise PermissionDenied
    form = AplikasiForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        layanan = data.pop("layanan", [])
        try:
            aplikasi = services_katalog.create_aplikasi(request.user, data, layanan)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Application registered."))
            return redirect(aplikasi.get_absolute_url())
    return render(request, "spbe/katalog/form.html", _form_context(request, form, _("Register an application")))


@login_required
def aplikasi_edit(request, pk: int):
    aplikasi = _editable(request, pk)
    form = AplikasiForm(request.POST or None, instance=Aplikasi.objects.get(pk=aplikasi.pk), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        layanan = data.pop("layanan", [])
        alasan = data.pop("alasan", "")
        try:
            services_katalog.update_aplikasi(request.user, aplikasi, data, layanan, alasan=alasan)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Application saved."))
            return redirect(aplikasi.get_absolute_url())
    title = _("Edit %(a)s") % {"a": aplikasi.nama}
    return render(request, "spbe/katalog/form.html", _form_context(request, form, title, aplikasi))


@login_required
def aplikasi_status(request, pk: int):
    aplikasi = _editable(request, pk)
    form = StatusForm(request.POST or None, initial={"status": aplikasi.status})
    if request.method == "POST" and form.is_valid():
        try:
            services_katalog.change_status(
                request.user,
                aplikasi,
                form.cleaned_data["status"],
                form.cleaned_data["tanggal"],
                form.cleaned_data["alasan"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Lifecycle status changed."))
            return redirect(aplikasi.get_absolute_url())
    context = {"form": form, "aplikasi": aplikasi, "page_title": _("Lifecycle of %(a)s") % {"a": aplikasi.nama}}
    return render(request, "spbe/katalog/status.html", context, status=400 if request.method == "POST" else 200)


@login_required
def aplikasi_delete(request, pk: int):
    aplikasi = _editable(request, pk)
    if request.method == "POST":
        try:
            services_katalog.delete_aplikasi(request.user, aplikasi)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(aplikasi.get_absolute_url())
        messages.success(request, _("Application deleted."))
        return redirect("spbe:aplikasi_list")
    context = {"aplikasi": aplikasi, "page_title": _("Delete %(a)s") % {"a": aplikasi.nama}}
    return render(request, "spbe/katalog/delete.html", context)


@login_required
@require_POST
def aplikasi_data_add(request, pk: int):
    aplikasi = _editable(request, pk)
    form = DataForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services_katalog.add_data(request.user, aplikasi, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Data added."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(aplikasi.get_absolute_url())


@login_required
@require_POST
def aplikasi_data_delete(request, pk: int):
    item = get_object_or_404(
        authz.restrict(DataAplikasi.objects.select_related("aplikasi"), request.user, "spbe.view"), pk=pk
    )
    if not services_katalog.may_edit(request.user, item.aplikasi):
        raise PermissionDenied
    services_katalog.remove_data(request.user, item)
    messages.success(request, _("Data removed."))
    return redirect(item.aplikasi.get_absolute_url())


@login_required
@require_POST
def aplikasi_integrasi_add(request, pk: int):
    aplikasi = _editable(request, pk)
    form = IntegrasiForm(request.POST, dari=aplikasi)
    if form.is_valid():
        try:
            services_katalog.add_integrasi(request.user, aplikasi, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Integration added."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(aplikasi.get_absolute_url())


@login_required
@require_POST
def aplikasi_integrasi_delete(request, pk: int):
    item = get_object_or_404(
        authz.restrict(IntegrasiAplikasi.objects.select_related("dari", "ke"), request.user, "spbe.view"), pk=pk
    )
    if not services_katalog.may_edit(request.user, item.dari):
        raise PermissionDenied
    services_katalog.remove_integrasi(request.user, item)
    messages.success(request, _("Integration removed."))
    return redirect(item.dari.get_absolute_url())


@login_required
def aplikasi_flags(request):
    """Every flagged application in scope, filterable by flag (Diskominfo's work list)."""
    _require(request, "spbe.view")
    base = _visible(request)
    filterset, queryset = _filtered(request, base)
    chosen = request.GET.get("flag", "")
    rows = [
        (a, [f for f in found if not chosen or chosen == "any" or f.code == chosen])
        for a, found in services_katalog.flagged_applications(queryset.order_by("nama", "pk"))
    ]
    counts: dict[str, int] = {}
    for _a, found in rows:
        for flag in found:
            counts[flag.code] = counts.get(flag.code, 0) + 1
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "counts": [(code, label, counts.get(code, 0)) for code, label in services_katalog.flag_labels().items()],
        "severity_badge": SEVERITY_BADGE,
        "page_title": _("Catalogue flags"),
    }
    return render(request, "spbe/katalog/flags.html", context)


@login_required
def aplikasi_map(request):
    """The integrations between the applications in scope: an ECharts graph when vendored, and a table."""
    _require(request, "spbe.view")
    from django.contrib.staticfiles import finders

    visible = _visible(request)
    edges = list(
        IntegrasiAplikasi.objects.filter(dari__in=visible, ke__in=visible)
        .select_related("dari", "ke")
        .order_by("dari__nama", "ke__nama")
    )
    nodes = {}
    for edge in edges:
        for app in (edge.dari, edge.ke):
            nodes[app.pk] = app
    graph = {
        "nodes": [{"id": str(a.pk), "name": a.nama, "category": 0 if a.jenis == "umum" else 1} for a in nodes.values()],
        "links": [{"source": str(e.dari_id), "target": str(e.ke_id), "label": e.metode} for e in edges],
        "categories": [str(Aplikasi.Jenis.UMUM.label), str(Aplikasi.Jenis.KHUSUS.label)],
    }
    context = {
        "edges": edges,
        "graph": graph,
        "has_echarts": bool(finders.find("vendor/echarts/echarts.min.js")),
        "page_title": _("Integration map"),
    }
    return render(request, "spbe/katalog/map.html", context)


@login_required
def aplikasi_export(request):
    _require(request, "spbe.view")
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        return HttpResponse(_("Unknown format (csv, xlsx)."), status=400, content_type="text/plain; charset=utf-8")
    _filterset, queryset = _filtered(request, _visible(request))
    content = importing_katalog.export_file(queryset, fmt)
    response = HttpResponse(content, content_type=XLSX if fmt == "xlsx" else "text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="katalog-aplikasi.{fmt}"'
    return response


@login_required
def aplikasi_import(request):
    if not services_katalog.may_create(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, initial={"dry_run": True})
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name.lower()
        kind = "xlsx" if name.endswith(".xlsx") else "csv" if name.endswith((".csv", ".txt")) else ""
        try:
            if not kind:
                raise tabular.TableError(_("Upload a .csv or .xlsx file."))
            report = importing_katalog.run(request.user, kind, upload.read(), form.cleaned_data["dry_run"])
        except (tabular.TableError, ValidationError) as exc:
            form.add_error("file", " ".join(getattr(exc, "messages", [str(exc)])))
    context = {
        "form": form,
        "report": report,
        "columns": importing_katalog.COLUMNS,
        "required": importing_katalog.REQUIRED,
        "page_title": _("Import applications"),
    }
    return render(request, "spbe/katalog/import.html", context)


@login_required
def nasional_list(request):
    # Reference data without a unit: every holder of spbe.view reads it (OPDs choose from it when registering).
    _require(request, "spbe.view")
    base = AplikasiNasional.objects.all()
    filterset = AplikasiNasionalFilterSet(request.GET or None, queryset=base)
    items = list((filterset.qs if filterset.is_bound and filterset.is_valid() else base).order_by("nama"))
    for item in items:
        item.badge = _badge(item)
        item.dipakai_count = _visible(request).filter(aplikasi_nasional=item).count()
    context = {"filter": filterset, "items": items, "page_title": _("National applications")}
    return render(request, "spbe/katalog/nasional_list.html", context)


@login_required
def aplikasi_overlap(request):
    """The overlap check as a fragment (htmx) or page: ?bidang=&nama=&fungsi=."""
    _require(request, "spbe.view")
    results = services_katalog.overlap_details(
        request.GET.get("bidang", ""), request.GET.get("nama", ""), request.GET.get("fungsi", "")
    )
    visible = set(_visible(request).values_list("pk", flat=True))
    rows = [
        {
            **o.as_dict(),
            "url": o.objek.get_absolute_url() if isinstance(o.objek, Aplikasi) and o.objek.pk in visible else "",
        }
        for o in results
    ]
    template = "spbe/katalog/_overlap.html" if request.headers.get("HX-Request") else "spbe/katalog/overlap.html"
    context = {
        "rows": rows,
        "bidang_list": services_katalog.known_bidang(),
        "q": request.GET,
        "page_title": _("Overlap check"),
    }
    return render(request, template, context)
