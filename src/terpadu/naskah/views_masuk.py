"""Pages of the incoming part: registration, the inbox, dispositions (lists, tree, panel, print view).

Every query goes through the gate (a naskah outside the user's sight answers 404); every change goes
through naskah.masuk / naskah.disposisi.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.core import authz
from terpadu.naskah import access, masuk
from terpadu.naskah import disposisi as services
from terpadu.naskah.forms_masuk import DisposisiForm, RegistrasiForm, SelesaiForm
from terpadu.naskah.models import Disposisi, Naskah, Urgensi

PER_PAGE = 25


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _naskah(request, pk: int) -> Naskah:
    return get_object_or_404(masuk.visible_naskah(request.user).select_related("unit", "jenis"), pk=pk)


def _disposisi(request, pk: int) -> Disposisi:
    visible = Disposisi.objects.filter(naskah__in=masuk.visible_naskah(request.user).values("pk"))
    return get_object_or_404(visible.select_related("naskah", "dari_jabatan", "kepada_jabatan"), pk=pk)


def _page_number(request) -> int:
    value = request.GET.get("page", "1")
    return max(1, int(value)) if value.isdigit() else 1


# -- registration --------------------------------------------------------------------------------


@login_required
def register(request):
    if not authz.has_action(request.user, "naskah.register"):
        raise PermissionDenied
    form = RegistrasiForm(request.POST or None, request.FILES or None, user=request.user)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            naskah = masuk.register_incoming(
                request.user,
                data,
                data.pop("dokumen"),
                data.pop("lampiran") or [],
                allow_duplicate=data.pop("konfirmasi_duplikat"),
            )
        except masuk.DuplicateWarning as exc:
            duplicates = [(n, n.get_absolute_url()) for n in exc.duplicates]
            form.show_duplicate_confirmation(exc.messages)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("Registered with agenda number %(agenda)s.") % {"agenda": masuk.agenda_label(naskah)}
            )
            return redirect(naskah.get_absolute_url())
    context = {"form": form, "duplicates": duplicates, "page_title": _("Register an incoming letter")}
    return render(request, "naskah/masuk/register.html", context)


@login_required
def agenda(request):
    """The agenda book: incoming letters of the units the user registers for, newest first."""
    if not authz.has_action(request.user, "naskah.register"):
        raise PermissionDenied
    year = request.GET.get("tahun", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    scope = authz.scope(request.user, "naskah.register")
    rows = masuk.visible_naskah(request.user).filter(arah=Naskah.Arah.MASUK, nomor_tahun=year)
    if not scope.whole:
        rows = rows.filter(scope.q("unit__path"))
    page = _page_number(request)
    chunk = list(rows.select_related("unit").order_by("-diterima", "-pk")[(page - 1) * PER_PAGE : page * PER_PAGE + 1])
    context = {
        "rows": [(n, n.get_absolute_url()) for n in chunk[:PER_PAGE]],
        "has_more": len(chunk) > PER_PAGE,
        "page": page,
        "tahun": year,
        "page_title": _("Agenda book %(year)s") % {"year": year},
    }
    return render(request, "naskah/masuk/agenda.html", context)


# -- the inbox -----------------------------------------------------------------------------------


@login_required
def inbox(request):
    filters = {
        "unread": request.GET.get("unread") == "1",
        "tembusan": {"1": True, "0": False}.get(request.GET.get("tembusan", "")),
        "urgensi": request.GET.get("urgensi", "") if request.GET.get("urgensi") in Urgensi.values else "",
    }
    page = _page_number(request)
    items, has_more = masuk.inbox_page(request.user, page, PER_PAGE, **filters)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "items": items,
        "has_more": has_more,
        "page": page,
        "query": query.urlencode(),
        "filters": filters,
        "urgensi_choices": Urgensi.choices,
        "counts": masuk.incoming_counters(request.user),
        "cap": masuk.COUNT_CAP,
        "page_title": _("Inbox"),
    }
    template = "naskah/masuk/inbox_rows.html" if request.htmx else "naskah/masuk/inbox.html"
    return render(request, template, context)


# -- dispositions: lists ---------------------------------------------------------------------------

TABS = ("open", "overdue", "completed")


@login_required
def disposisi_list(request):
    """Dispositions addressed to my positions: open, overdue or completed."""
    tab = request.GET.get("status", "open") if request.GET.get("status") in TABS else "open"
    rows = masuk.dispositions_to(request.user)
    today = timezone.localdate()
    if tab == "open":
        rows = rows.filter(status__in=services.OPEN)
    elif tab == "overdue":
        rows = rows.filter(status__in=services.OPEN, batas_waktu__lt=today)
    else:
        rows = rows.filter(status=Disposisi.Status.SELESAI)
    return _disposisi_page(request, rows, tab, _("Dispositions to me"), "naskah/masuk/disposisi_list.html")


@login_required
def disposisi_keluar(request):
    """Dispositions I gave (as a person, or from a position I hold), with their status."""
    pegawai_id = getattr(request.user, "pegawai_id", None)
    rows = Disposisi.objects.filter(dari_pegawai_id=pegawai_id) if pegawai_id else Disposisi.objects.none()
    rows = rows.filter(naskah__in=masuk.visible_naskah(request.user).values("pk"))
    return _disposisi_page(request, rows, "", _("Dispositions I gave"), "naskah/masuk/disposisi_keluar.html")


def _disposisi_page(request, rows, tab: str, title: str, template: str):
    page = _page_number(request)
    chunk = list(
        rows.select_related("naskah", "dari_jabatan", "kepada_jabatan", "kepada_pegawai").order_by("-dibuat", "-pk")[
            (page - 1) * PER_PAGE : page * PER_PAGE + 1
        ]
    )
    context = {
        "rows": chunk[:PER_PAGE],
        "has_more": len(chunk) > PER_PAGE,
        "page": page,
        "tab": tab,
        "tabs": [("open", _("Open")), ("overdue", _("Overdue")), ("completed", _("Completed"))],
        "today": timezone.localdate(),
        "page_title": title,
    }
    return render(request, template, context)


# -- dispositions of one naskah --------------------------------------------------------------------


def _panel_context(request, naskah: Naskah, form=None, complete_forms=None) -> dict:
    user = request.user
    choices = services.giver_choices(user, naskah, with_targets=True)
    if form is None and choices:
        form = DisposisiForm(choices=choices)
    roots = services.tree(naskah)
    positions = set(access.my_position_ids(user))
    mine_open = [
        node.disposisi
        for node in _walk(roots)
        if node.disposisi.kepada_jabatan_id in positions and node.disposisi.status in services.OPEN
    ]
    complete_forms = complete_forms or {}
    return {
        "naskah": naskah,
        "roots": roots,
        "form": form if choices else None,
        "complete": [(d, complete_forms.get(d.pk) or SelesaiForm(prefix=f"d{d.pk}")) for d in mine_open],
        "pegawai_id": getattr(user, "pegawai_id", None),
        "positions": positions,
        "naskah_url": naskah.get_absolute_url(),
        "today": timezone.localdate(),
    }


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


@login_required
def disposisi_tree(request, pk: int):
    naskah = _naskah(request, pk)
    masuk.mark_read(naskah, request.user)  # until the naskah page exists this page is where letters open
    services.read_mine(request.user, naskah)
    context = _panel_context(request, naskah)
    context["page_title"] = _("Dispositions: %(hal)s") % {"hal": naskah.hal}
    return render(request, "naskah/masuk/disposisi_tree.html", context)


@login_required
def disposisi_panel(request, pk: int):
    """htmx fragment for the naskah detail page: the tree, the dispose form, the complete forms."""
    naskah = _naskah(request, pk)
    services.read_mine(request.user, naskah)
    return render(request, "naskah/masuk/disposisi_panel.html", _panel_context(request, naskah))


@login_required
def disposisi_create(request, pk: int):
    naskah = _naskah(request, pk)
    choices = services.giver_choices(request.user, naskah, with_targets=True)
    if not choices:
        raise PermissionDenied
    form = DisposisiForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.dispose(request.user, naskah, form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("%(n)d disposition(s) sent.") % {"n": len(created)})
            if request.htmx:
                return render(request, "naskah/masuk/disposisi_panel.html", _panel_context(request, naskah))
            return redirect(naskah.get_absolute_url())
    if request.htmx:
        return render(request, "naskah/masuk/disposisi_panel.html", _panel_context(request, naskah, form=form))
    context = {"naskah": naskah, "form": form, "page_title": _("Dispose: %(hal)s") % {"hal": naskah.hal}}
    return render(request, "naskah/masuk/disposisi_form.html", context)


@login_required
@require_POST
def disposisi_cancel(request, pk: int):
    disposisi = _disposisi(request, pk)
    try:
        services.cancel(request.user, disposisi)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The disposition was cancelled."))
    if request.htmx:
        return render(request, "naskah/masuk/disposisi_panel.html", _panel_context(request, disposisi.naskah))
    return redirect(reverse("naskah:disposisi_tree", args=[disposisi.naskah_id]))


@login_required
def disposisi_complete(request, pk: int):
    disposisi = _disposisi(request, pk)
    if not services.is_receiver(request.user, disposisi):
        raise PermissionDenied
    services.read(request.user, disposisi)
    form = SelesaiForm(request.POST or None, request.FILES or None, prefix=f"d{disposisi.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            services.complete(
                request.user, disposisi, form.cleaned_data["tindak_lanjut"], form.cleaned_data["lampiran"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The disposition was completed."))
            if request.htmx:
                return render(request, "naskah/masuk/disposisi_panel.html", _panel_context(request, disposisi.naskah))
            return redirect(reverse("naskah:disposisi_tree", args=[disposisi.naskah_id]))
    if request.htmx:
        context = _panel_context(request, disposisi.naskah, complete_forms={disposisi.pk: form})
        return render(request, "naskah/masuk/disposisi_panel.html", context)
    context = {"disposisi": disposisi, "form": form, "page_title": _("Complete the disposition")}
    return render(request, "naskah/masuk/disposisi_complete.html", context)


@login_required
def lembar_disposisi(request, pk: int):
    """The printable disposition sheet (lembar disposisi) of a naskah."""
    naskah = _naskah(request, pk)
    context = {
        "naskah": naskah,
        "agenda": masuk.agenda_label(naskah),
        "rows": [node.disposisi for node in _walk(services.tree(naskah))],
        "printed": timezone.now(),
    }
    return render(request, "naskah/masuk/lembar_disposisi.html", context)
