"""Pages of the planning documents (RPJMD, Renstra PD, Renja PD / RKPD, pohon kinerja). Every read goes through
the gate, every change through services_rencana."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terpadu.core import authz, tabular
from terpadu.core.views import history_for
from terpadu.perencanaan import rencana
from terpadu.perencanaan import services_rencana as services
from terpadu.perencanaan.filters_rencana import RenjaFilterSet, RenstraFilterSet
from terpadu.perencanaan.forms_rencana import (
    AlasanForm,
    IndikatorForm,
    KodeUraianForm,
    MisiForm,
    PaguForm,
    ProgramPrioritasForm,
    RenjaDrawForm,
    RenstraCreateForm,
    RenstraItemForm,
    RpjmdForm,
    SasaranPdForm,
    SubKegiatanAddForm,
    SubKegiatanForm,
    TujuanPdForm,
    opd_units,
)
from terpadu.perencanaan.models import (
    Indikator,
    Misi,
    ProgramPrioritas,
    Renja,
    RenjaSubKegiatan,
    Renstra,
    RenstraItem,
    Rpjmd,
    Sasaran,
    SasaranPd,
    Status,
    TargetIndikator,
    Tujuan,
    TujuanPd,
)
from terpadu.perencanaan.register_rencana import render_panels

VIEW = "perencanaan.view"
KEYAKINAN_BADGE = {"official": "bg-green-lt", "local": "bg-green-lt", "multi": "bg-azure-lt",
                   "secondary": "bg-yellow-lt", "unconfirmed": "bg-orange-lt", "demo": "bg-purple-lt"}  # fmt: skip


def _visible(request, queryset):
    return authz.restrict(queryset, request.user, VIEW)


def _get(request, model, pk, queryset=None):
    """An object the user may see: RPJMD elements through the RPJMD (no unit), the rest by unit scope."""
    if not authz.has_action(request.user, VIEW):
        raise PermissionDenied
    obj = get_object_or_404(queryset if queryset is not None else model.objects.all(), pk=pk)
    doc = services.dokumen_of(obj)
    if not authz.can(request.user, VIEW, None if isinstance(doc, Rpjmd) else doc):
        raise Http404
    return obj


def _require_edit(request, obj) -> None:
    if not rencana.may_edit(request.user, obj):
        raise PermissionDenied


def _require_adopt(request, obj) -> None:
    if not rencana.may_adopt(request.user, obj):
        raise PermissionDenied


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _back(obj) -> str:
    """Where to return after changing an element."""
    if isinstance(obj, Indikator):
        return _back(obj.pemilik)
    if isinstance(obj, (Sasaran, RenjaSubKegiatan)):
        return obj.get_absolute_url()
    if isinstance(obj, ProgramPrioritas):
        return obj.sasaran.get_absolute_url()
    return services.dokumen_of(obj).get_absolute_url()


def _locked_notice(request, obj) -> bool:
    """True (with a message) when the element's document is adopted, so an edit page is not offered."""
    if rencana.is_draft(obj):
        return False
    messages.error(
        request,
        _("%(doc)s is adopted (ditetapkan) and locked: it must be reopened, with a reason, by Bappeda before it can "
          "be changed.") % {"doc": services.dokumen_of(obj)},
    )  # fmt: skip
    return True


def _form_page(request, form, title: str, back: str, intro: str = ""):
    return render(request, "perencanaan/rencana/form.html",
                  {"form": form, "page_title": title, "back": back, "intro": intro})  # fmt: skip


def _indikator_rows(indikators, years: list[int]):
    rows = []
    for ind in indikators:
        targets = {t.tahun: t.target for t in ind.target.all()}
        ind.targets = [targets.get(t) for t in years]
        rows.append(ind)
    return rows


# -- RPJMD -------------------------------------------------------------------------------------------------------


@login_required
def rpjmd_list(request):
    if not authz.has_action(request.user, VIEW):
        raise PermissionDenied
    documents = _visible(request, Rpjmd.objects.annotate(opd=Count("renstra")))
    context = {
        "documents": documents,
        "can_change": authz.has_action(request.user, "perencanaan.change"),
        "page_title": _("RPJMD"),
    }
    return render(request, "perencanaan/rencana/rpjmd_list.html", context)


@login_required
def rpjmd_create(request):
    if not authz.can(request.user, "perencanaan.change"):
        raise PermissionDenied
    form = RpjmdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rpjmd = services.create_rpjmd(form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The RPJMD draft was created: add its misi, tujuan and sasaran."))
            return redirect(rpjmd)
    return _form_page(request, form, _("New RPJMD"), "perencanaan:rpjmd_list")


@login_required
def rpjmd_detail(request, pk: int):
    rpjmd = _get(request, Rpjmd, pk)
    years = rpjmd.tahun_list
    ind_qs = Indikator.objects.prefetch_related("target")
    misi = rpjmd.misi.prefetch_related(
        Prefetch("tujuan", Tujuan.objects.prefetch_related(
            Prefetch("indikator", ind_qs),
            Prefetch("sasaran", Sasaran.objects.prefetch_related(
                Prefetch("indikator", ind_qs),
                Prefetch("program_prioritas", ProgramPrioritas.objects.select_related("program", "unit")),
            )),
        ))
    )  # fmt: skip
    misi = list(misi)
    for m in misi:
        for t in m.tujuan.all():
            t.rows = _indikator_rows(t.indikator.all(), years)
            for s in t.sasaran.all():
                s.rows = _indikator_rows(s.indikator.all(), years)
    context = {
        "rpjmd": rpjmd,
        "misi": misi,
        "years": years,
        "draft": rpjmd.status == Status.DRAFT,
        "can_edit": rencana.may_edit(request.user, rpjmd),
        "can_adopt": rencana.may_adopt(request.user, rpjmd),
        "missing_targets": rencana.missing_targets(rpjmd),
        "renstra": _visible(request, rpjmd.renstra.select_related("unit")).order_by("unit__path"),
        "history": history_for(request.user, rpjmd),
        "page_title": str(rpjmd),
    }
    return render(request, "perencanaan/rencana/rpjmd_detail.html", context)


@login_required
def rpjmd_edit(request, pk: int):
    rpjmd = _get(request, Rpjmd, pk)
    _require_edit(request, rpjmd)
    if _locked_notice(request, rpjmd):
        return redirect(rpjmd)
    initial = {name: getattr(rpjmd, name) for name in ("nama", "tahun_awal", "tahun_akhir", "visi", "dasar_hukum")}
    form = RpjmdForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rpjmd = services.update_rpjmd(rpjmd, form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(rpjmd)
    return _form_page(request, form, _("Edit %(doc)s") % {"doc": rpjmd}, rpjmd.get_absolute_url())


@login_required
@require_POST
def rpjmd_adopt(request, pk: int):
    rpjmd = _get(request, Rpjmd, pk)
    _require_adopt(request, rpjmd)
    try:
        services.adopt_rpjmd(rpjmd)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The RPJMD is adopted and locked."))
    return redirect(rpjmd)


DOKUMEN = {"rpjmd": Rpjmd, "renstra": Renstra, "renja": Renja}


@login_required
def dokumen_reopen(request, kind: str, pk: int):
    model = DOKUMEN.get(kind)
    if model is None:
        raise Http404
    doc = _get(request, model, pk)
    _require_adopt(request, doc)
    form = AlasanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen(doc, form.cleaned_data["alasan"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("%(doc)s is a draft again; the reason is in its history.") % {"doc": doc})
            return redirect(doc)
    intro = _("Reopening lets the document be changed again. Everything it feeds (Renstra, Renja, budget) keeps "
              "its data; the reason is recorded in the audit trail.")  # fmt: skip
    return _form_page(request, form, _("Reopen %(doc)s") % {"doc": doc}, doc.get_absolute_url(), intro)


# -- elements (misi, tujuan, sasaran, tujuan PD, sasaran PD) -------------------------------------------------------

ELEMENT_PARENT = {"misi": Rpjmd, "tujuan": Misi, "sasaran": Tujuan, "tujuan_pd": Renstra, "sasaran_pd": TujuanPd}
ELEMENT_MODEL = {
    "misi": Misi,
    "tujuan": Tujuan,
    "sasaran": Sasaran,
    "tujuan_pd": TujuanPd,
    "sasaran_pd": SasaranPd,
    "program_prioritas": ProgramPrioritas,
    "item": RenstraItem,
    "indikator": Indikator,
}
CREATE = {
    "misi": services.create_misi,
    "tujuan": services.create_tujuan,
    "sasaran": services.create_sasaran,
    "tujuan_pd": services.create_tujuan_pd,
    "sasaran_pd": services.create_sasaran_pd,
}
LABEL = {
    "misi": _("mission (misi)"),
    "tujuan": _("goal (tujuan)"),
    "sasaran": _("target (sasaran)"),
    "tujuan_pd": _("OPD goal (tujuan PD)"),
    "sasaran_pd": _("OPD target (sasaran PD)"),
}


def _element_form(kind: str, doc, data=None, initial=None):
    if kind == "misi":
        return MisiForm(data, initial=initial)
    if kind == "tujuan_pd":
        return TujuanPdForm(data, initial=initial, rpjmd=doc.rpjmd)
    if kind == "sasaran_pd":
        return SasaranPdForm(data, initial=initial, rpjmd=doc.rpjmd)
    return KodeUraianForm(data, initial=initial)


@login_required
def element_create(request, kind: str, parent: int):
    if kind not in CREATE:
        raise Http404
    owner = _get(request, ELEMENT_PARENT[kind], parent)
    _require_edit(request, owner)
    if _locked_notice(request, owner):
        return redirect(_back(owner))
    form = _element_form(kind, services.dokumen_of(owner), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            CREATE[kind](owner, form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_back(owner))
    title = _("New %(what)s in %(owner)s") % {"what": LABEL[kind], "owner": owner}
    return _form_page(request, form, title, _back(owner))


@login_required
def element_edit(request, kind: str, pk: int):
    if kind not in LABEL:
        raise Http404
    obj = _get(request, ELEMENT_MODEL[kind], pk)
    _require_edit(request, obj)
    if _locked_notice(request, obj):
        return redirect(_back(obj))
    fields = services.EDITABLE[type(obj)]
    form = _element_form(kind, services.dokumen_of(obj), request.POST or None,
                         initial={name: getattr(obj, name) for name in fields})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.update_element(obj, form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_back(obj))
    return _form_page(request, form, _("Edit %(what)s") % {"what": obj}, _back(obj))


@login_required
@require_POST
def element_delete(request, kind: str, pk: int):
    model = ELEMENT_MODEL.get(kind)
    if model is None:
        raise Http404
    obj = _get(request, model, pk)
    _require_edit(request, obj)
    back = _back(services.dokumen_of(obj) if kind in ("misi", "tujuan", "sasaran") else obj)
    if kind == "indikator":
        back = _back(obj.pemilik)
    elif kind == "program_prioritas":
        back = obj.sasaran.get_absolute_url()
    try:
        services.delete_element(obj)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Removed."))
    return redirect(back)


# -- indicators and priority programs -------------------------------------------------------------------------------

INDIKATOR_OWNER = {"sasaran": Sasaran, "tujuan": Tujuan, "sasaran_pd": SasaranPd, "item": RenstraItem,
                   "sub": RenjaSubKegiatan}  # fmt: skip


@login_required
def indikator_create(request, kind: str, pk: int):
    model = INDIKATOR_OWNER.get(kind)
    if model is None:
        raise Http404
    owner = _get(request, model, pk)
    _require_edit(request, owner)
    if _locked_notice(request, owner):
        return redirect(_back(owner))
    form = IndikatorForm(request.POST or None, years=services.periode_of(owner))
    if request.method == "POST" and form.is_valid():
        data, targets = form.data_and_targets()
        try:
            services.add_indikator(owner, data, targets)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_back(owner))
    return _form_page(request, form, _("New indicator of %(owner)s") % {"owner": owner}, _back(owner))


@login_required
def indikator_edit(request, pk: int):
    ind = _get(request, Indikator, pk)
    _require_edit(request, ind)
    if _locked_notice(request, ind):
        return redirect(_back(ind))
    initial = {name: getattr(ind, name) for name in services.INDIKATOR_FIELDS}
    targets = dict(TargetIndikator.objects.filter(indikator=ind).values_list("tahun", "target"))
    form = IndikatorForm(request.POST or None, initial=initial, years=services.periode_of(ind), targets=targets)
    if request.method == "POST" and form.is_valid():
        data, targets = form.data_and_targets()
        try:
            services.update_indikator(ind, data, targets)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_back(ind))
    return _form_page(request, form, _("Edit indicator %(ind)s") % {"ind": ind}, _back(ind))


@login_required
def program_prioritas_create(request, pk: int):
    sasaran = _get(request, Sasaran, pk)
    _require_edit(request, sasaran)
    if _locked_notice(request, sasaran):
        return redirect(sasaran)
    form = ProgramPrioritasForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_program_prioritas(sasaran, form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(sasaran)
    rpjmd = services.dokumen_of(sasaran)
    intro = _("Program codes come from the nomenklatur of %(tahun)s, the RPJMD's first year.") % {
        "tahun": rpjmd.tahun_awal
    }
    title = _("New priority program of %(s)s") % {"s": sasaran.kode}
    return _form_page(request, form, title, sasaran.get_absolute_url(), intro)


def _tahun(request, default: int | None = None) -> int:
    value = request.GET.get("tahun", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return default or timezone.localdate().year


@login_required
def sasaran_detail(request, pk: int):
    sasaran = _get(request, Sasaran, pk, Sasaran.objects.select_related("tujuan__misi__rpjmd"))
    rpjmd = sasaran.tujuan.misi.rpjmd
    years = rpjmd.tahun_list
    default = timezone.localdate().year if timezone.localdate().year in years else years[0]
    tahun = _tahun(request, default)
    context = {
        "sasaran": sasaran,
        "rpjmd": rpjmd,
        "years": years,
        "tahun": tahun,
        "rows": _indikator_rows(sasaran.indikator.prefetch_related("target"), years),
        "programs": sasaran.program_prioritas.select_related("program", "unit"),
        "pohon": rencana.pohon_turun(sasaran, tahun, rencana.sub_kegiatan_visible(request.user)),
        "draft": rpjmd.status == Status.DRAFT,
        "can_edit": rencana.may_edit(request.user, sasaran),
        "history": history_for(request.user, sasaran),
        "page_title": _("Sasaran %(kode)s") % {"kode": sasaran.kode},
    }
    return render(request, "perencanaan/rencana/sasaran_detail.html", context)


# -- Renstra ----------------------------------------------------------------------------------------------------------


def _writable_units(request):
    user = request.user
    units = opd_units()
    if authz.has_action(user, "perencanaan.change"):
        return authz.restrict(units, user, "perencanaan.change") | authz.restrict(units, user, "perencanaan.plan")
    return authz.restrict(units, user, "perencanaan.plan")


def _can_plan(user) -> bool:
    return authz.has_action(user, "perencanaan.plan") or authz.has_action(user, "perencanaan.change")


@login_required
def renstra_list(request):
    if not authz.has_action(request.user, VIEW):
        raise PermissionDenied
    base = _visible(request, Renstra.objects.select_related("unit", "rpjmd").annotate(jumlah_item=Count("items")))
    filterset = RenstraFilterSet(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    page = Paginator(queryset.order_by("-rpjmd__tahun_awal", "unit__path"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "query": query.urlencode(), "can_plan": _can_plan(request.user),
               "page_title": _("Renstra PD")}  # fmt: skip
    return render(request, "perencanaan/rencana/renstra_list.html", context)


@login_required
def renstra_create(request):
    if not _can_plan(request.user):
        raise PermissionDenied
    form = RenstraCreateForm(request.POST or None, units=_writable_units(request))
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        try:
            renstra = services.create_renstra(form.cleaned_data["rpjmd"], unit)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The Renstra draft was created."))
            return redirect(renstra)
    return _form_page(request, form, _("New Renstra PD"), "perencanaan:renstra_list")


@login_required
def renstra_detail(request, pk: int):
    renstra = _get(request, Renstra, pk, Renstra.objects.select_related("unit", "rpjmd"))
    years = renstra.rpjmd.tahun_list
    ind_qs = Indikator.objects.prefetch_related("target")
    items = list(
        renstra.items.select_related("nomenklatur__versi", "sasaran_pd")
        .prefetch_related("pagu", Prefetch("indikator", ind_qs))
        .order_by("nomenklatur__kode")
    )
    for item in items:
        pagu = {p.tahun: p.nilai for p in item.pagu.all()}
        item.pagu_years = [pagu.get(t) for t in years]
        item.rows = _indikator_rows(item.indikator.all(), years)
        item.badge = KEYAKINAN_BADGE.get(item.nomenklatur.keyakinan, "bg-secondary-lt")
    tujuan = list(
        renstra.tujuan.select_related("tujuan_rpjmd").prefetch_related(
            Prefetch("sasaran", SasaranPd.objects.select_related("sasaran_rpjmd").prefetch_related(
                Prefetch("indikator", ind_qs)))
        )
    )  # fmt: skip
    for t in tujuan:
        for s in t.sasaran.all():
            s.rows = _indikator_rows(s.indikator.all(), years)
            s.item_rows = [i for i in items if i.sasaran_pd_id == s.pk]
    totals = [sum((i.pagu_years[n] or Decimal(0) for i in items if i.level == "sub_kegiatan"), Decimal(0))
              for n in range(len(years))]  # fmt: skip
    context = {
        "renstra": renstra,
        "tujuan": tujuan,
        "years": years,
        "totals": totals,
        "draft": renstra.status == Status.DRAFT,
        "can_edit": rencana.may_edit(request.user, renstra),
        "can_adopt": rencana.may_adopt(request.user, renstra),
        "renja": renstra.renja.order_by("tahun"),
        "history": history_for(request.user, renstra),
        "page_title": str(renstra),
    }
    return render(request, "perencanaan/rencana/renstra_detail.html", context)


@login_required
@require_POST
def renstra_adopt(request, pk: int):
    renstra = _get(request, Renstra, pk)
    _require_adopt(request, renstra)
    try:
        services.adopt_renstra(renstra)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The Renstra is adopted and locked."))
    return redirect(renstra)


@login_required
def item_create(request, pk: int):
    renstra = _get(request, Renstra, pk, Renstra.objects.select_related("rpjmd"))
    _require_edit(request, renstra)
    if _locked_notice(request, renstra):
        return redirect(renstra)
    parent = None
    parent_pk = request.GET.get("parent", "")
    if parent_pk.isdigit():
        parent = get_object_or_404(RenstraItem, pk=parent_pk, renstra=renstra)
    form = RenstraItemForm(request.POST or None, renstra=renstra, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_item(renstra, form.service_data())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(renstra)
    title = _("New program in %(r)s") % {"r": renstra} if parent is None else _("New item below %(p)s") % {"p": parent}
    return _form_page(request, form, title, renstra.get_absolute_url())


@login_required
def item_pagu(request, pk: int):
    item = _get(request, RenstraItem, pk, RenstraItem.objects.select_related("renstra__rpjmd", "nomenklatur"))
    _require_edit(request, item)
    if _locked_notice(request, item):
        return redirect(item.renstra)
    current = dict(item.pagu.values_list("tahun", "nilai"))
    form = PaguForm(request.POST or None, years=item.renstra.rpjmd.tahun_list, initial_values=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_pagu(item, form.pagu())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(item.renstra)
    return _form_page(
        request, form, _("Indicative ceiling of %(item)s") % {"item": item}, item.renstra.get_absolute_url()
    )


# -- Renja and its sub kegiatan ---------------------------------------------------------------------------------------


@login_required
def renja_list(request):
    if not authz.has_action(request.user, VIEW):
        raise PermissionDenied
    renja = Renja.objects.select_related("unit")
    base = _visible(request, renja.annotate(jumlah=Count("sub_kegiatan"), pagu=Sum("sub_kegiatan__pagu_indikatif")))
    filterset = RenjaFilterSet(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    page = Paginator(queryset.order_by("-tahun", "unit__path"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "query": query.urlencode(), "can_plan": _can_plan(request.user),
               "page_title": _("Renja PD")}  # fmt: skip
    return render(request, "perencanaan/rencana/renja_list.html", context)


@login_required
def renja_draw(request):
    """Create or complete an OPD's Renja of a year from its adopted Renstra."""
    if not _can_plan(request.user):
        raise PermissionDenied
    form = RenjaDrawForm(request.POST or None, units=_writable_units(request),
                         initial={"tahun": timezone.localdate().year})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        unit, tahun = form.cleaned_data["unit"], form.cleaned_data["tahun"]
        existing = Renja.objects.filter(unit=unit, tahun=tahun).first()
        if existing is not None and not rencana.may_edit(request.user, existing):
            raise PermissionDenied
        try:
            result = services.draw_renja(unit, tahun)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(n)d sub kegiatan drawn from the Renstra into %(renja)s.") % {"n": len(result.created),
                                                                                   "renja": result.renja},
            )  # fmt: skip
            context = {"result": result, "page_title": _("Renja drawn from the Renstra")}
            return render(request, "perencanaan/rencana/draw_result.html", context)
    intro = _("Every sub kegiatan of the OPD's adopted Renstra is carried into the year's Renja, with the code of "
              "the year's nomenklatur edition, the year's pagu indikatif and its indicators. Codes that do not map "
              "to the year's edition are listed, not dropped.")  # fmt: skip
    return _form_page(request, form, _("Draw a Renja from the Renstra"), "perencanaan:renja_list", intro)


@login_required
def renja_detail(request, pk: int):
    renja = _get(request, Renja, pk, Renja.objects.select_related("unit", "renstra__rpjmd"))
    subs = list(
        renja.sub_kegiatan.select_related("sub_kegiatan", "renstra_item__nomenklatur")
        .annotate(n_indikator=Count("indikator"))
        .order_by("sub_kegiatan__kode")
    )
    dpa = rencana.dpa_per_sub(s.pk for s in subs)
    for sub in subs:
        sub.dpa = dpa.get(sub.pk)
        sub.badge = KEYAKINAN_BADGE.get(sub.sub_kegiatan.keyakinan, "bg-secondary-lt")
    report = rencana.konsistensi(renja.tahun, units=[renja.unit])
    context = {
        "renja": renja,
        "subs": subs,
        "total": sum((s.pagu_indikatif for s in subs), Decimal(0)),
        "report": report,
        "draft": renja.status == Status.DRAFT,
        "can_edit": rencana.may_edit(request.user, renja),
        "can_adopt": rencana.may_adopt(request.user, renja),
        "history": history_for(request.user, renja),
        "page_title": str(renja),
    }
    return render(request, "perencanaan/rencana/renja_detail.html", context)


@login_required
@require_POST
def renja_adopt(request, pk: int):
    renja = _get(request, Renja, pk)
    _require_adopt(request, renja)
    try:
        services.adopt_renja(renja)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The Renja is adopted and locked."))
    return redirect(renja)


@login_required
def sub_kegiatan_add(request, pk: int):
    renja = _get(request, Renja, pk)
    _require_edit(request, renja)
    if _locked_notice(request, renja):
        return redirect(renja)
    form = SubKegiatanAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sub = services.add_sub_kegiatan(renja, form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(sub)
    intro = _("A sub kegiatan that is not in the Renstra needs a reason; it is kept in the audit trail.")
    return _form_page(request, form, _("Add a sub kegiatan outside the Renstra"), renja.get_absolute_url(), intro)


@login_required
def sub_kegiatan_detail(request, pk: int):
    """The hub of the chain: the cascade up to the RPJMD, indicators and targets, and other modules' panels."""
    sub = _get(
        request,
        RenjaSubKegiatan,
        pk,
        RenjaSubKegiatan.objects.select_related(
            "sub_kegiatan__versi", "unit", "renja", "pptk",
            "renstra_item__nomenklatur__versi", "renstra_item__sasaran_pd__tujuan__renstra",
            "renstra_item__sasaran_pd__sasaran_rpjmd__tujuan__misi__rpjmd",
        ),
    )  # fmt: skip
    rows = _indikator_rows(sub.indikator.prefetch_related("target"), [sub.tahun])
    context = {
        "sub": sub,
        "chain": rencana.pohon_naik(sub),
        "rows": rows,
        "target_years": [sub.tahun],
        "dpa": rencana.dpa_per_sub([sub.pk]).get(sub.pk),
        "badge": KEYAKINAN_BADGE.get(sub.sub_kegiatan.keyakinan, "bg-secondary-lt"),
        "panels": render_panels(request, sub),
        "draft": sub.renja.status == Status.DRAFT,
        "can_edit": rencana.may_edit(request.user, sub),
        "history": history_for(request.user, sub),
        "page_title": f"{sub.sub_kegiatan.kode} {sub.sub_kegiatan.nama}",
    }
    return render(request, "perencanaan/rencana/sub_kegiatan_detail.html", context)


@login_required
def sub_kegiatan_edit(request, pk: int):
    sub = _get(request, RenjaSubKegiatan, pk)
    _require_edit(request, sub)
    if _locked_notice(request, sub):
        return redirect(sub)
    form = SubKegiatanForm(request.POST or None, initial={name: getattr(sub, name) for name in services.SUB_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            sub = services.update_sub_kegiatan(sub, form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(sub)
    return _form_page(request, form, _("Edit %(sub)s") % {"sub": sub}, sub.get_absolute_url())


@login_required
def sub_kegiatan_remove(request, pk: int):
    sub = _get(request, RenjaSubKegiatan, pk)
    _require_edit(request, sub)
    if _locked_notice(request, sub):
        return redirect(sub)
    form = AlasanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        renja = sub.renja
        try:
            services.remove_sub_kegiatan(sub, form.cleaned_data["alasan"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The sub kegiatan was removed from the Renja."))
            return redirect(renja)
    return _form_page(request, form, _("Remove %(sub)s from the Renja") % {"sub": sub}, sub.get_absolute_url())


# -- RKPD, pohon kinerja ----------------------------------------------------------------------------------------------


@login_required
def rkpd(request):
    if not authz.has_action(request.user, VIEW):
        raise PermissionDenied
    years = rencana.renja_years()
    tahun = _tahun(request, years[0] if years else None)
    visible = rencana.sub_kegiatan_visible(request.user)
    context = {
        "tahun": tahun,
        "years": years,
        "data": rencana.rkpd(tahun, visible),
        "report": rencana.konsistensi(tahun),
        "page_title": _("RKPD %(tahun)s") % {"tahun": tahun},
    }
    return render(request, "perencanaan/rencana/rkpd.html", context)


EXPORT_COLUMNS = ["tahun", "kode_opd", "opd", "kode_program", "kode_kegiatan", "kode_sub_kegiatan", "sub_kegiatan",
                  "pagu_indikatif", "prakiraan_maju", "dari_renstra", "indikator", "satuan", "target"]  # fmt: skip


@login_required
def rkpd_export(request):
    if not authz.has_action(request.user, VIEW):
        raise PermissionDenied
    tahun = _tahun(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        return HttpResponse(_("Unknown format: use csv or xlsx."), status=400, content_type="text/plain; charset=utf-8")
    subs = (
        rencana.sub_kegiatan_visible(request.user)
        .filter(tahun=tahun)
        .select_related("unit", "sub_kegiatan")
        .prefetch_related("indikator__target")
        .order_by("unit__path", "sub_kegiatan__kode")
    )
    rows = []
    for sub in subs:
        indikators = list(sub.indikator.all()) or [None]
        for ind in indikators:
            target = next((t.target for t in ind.target.all() if t.tahun == tahun), None) if ind else None
            rows.append([
                tahun, sub.unit.kode, sub.unit.nama, sub.kode_program, sub.kode_kegiatan, sub.sub_kegiatan.kode,
                sub.sub_kegiatan.nama, sub.pagu_indikatif, sub.prakiraan_maju, "ya" if sub.renstra_item_id else "tidak",
                ind.uraian if ind else "", ind.satuan if ind else "", target if target is not None else "",
            ])  # fmt: skip
    if fmt == "xlsx":
        content = tabular.write_xlsx({f"RKPD {tahun}": (EXPORT_COLUMNS, rows)})
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = tabular.write_csv(EXPORT_COLUMNS, rows)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="rkpd-{tahun}.{fmt}"'
    return response


@login_required
def pohon(request):
    """The pohon kinerja of an RPJMD: choose a sasaran and a year, see the cascade down to every sub kegiatan."""
    if not authz.has_action(request.user, VIEW):
        raise PermissionDenied
    documents = list(_visible(request, Rpjmd.objects.all()))
    rpjmd = None
    pk = request.GET.get("rpjmd", "")
    if pk.isdigit():
        rpjmd = next((d for d in documents if d.pk == int(pk)), None)
    rpjmd = rpjmd or next((d for d in documents if d.status == Status.DITETAPKAN), None) or (documents[:1] or [None])[0]
    trees, tahun = [], _tahun(request)
    if rpjmd is not None:
        if tahun not in rpjmd.tahun_list:
            tahun = (
                rpjmd.tahun_list[0] if timezone.localdate().year not in rpjmd.tahun_list else timezone.localdate().year
            )
        chosen = request.GET.get("sasaran", "")
        visible = rencana.sub_kegiatan_visible(request.user)
        for sasaran in rencana.sasaran_of(rpjmd):
            if chosen.isdigit() and sasaran.pk != int(chosen):
                continue
            trees.append(rencana.pohon_turun(sasaran, tahun, visible))
    context = {
        "documents": documents,
        "rpjmd": rpjmd,
        "tahun": tahun,
        "trees": trees,
        "sasaran_list": rencana.sasaran_of(rpjmd) if rpjmd else [],
        "chosen": request.GET.get("sasaran", ""),
        "page_title": _("Pohon kinerja"),
    }
    return render(request, "perencanaan/rencana/pohon.html", context)
