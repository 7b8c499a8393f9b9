"""Pages of a versioned code tree: nomenklatur here, kode rekening in anggaran/views_master.py (same views,
their own tree, gate actions and URL names). Every query goes through the gate; every change through the
services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from terpadu.core import authz, tabular
from terpadu.core.views import history_for
from terpadu.perencanaan import importing_master, services_master
from terpadu.perencanaan.filters_master import NomenklaturFilterSet
from terpadu.perencanaan.forms_master import (
    EXTRA_LABELS,
    KEYAKINAN_BADGE,
    NO_BADGE,
    ImportForm,
    KodeCreateForm,
    KodeEditForm,
    PemetaanForm,
    VersiForm,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_NAMES = (
    "list",
    "detail",
    "create",
    "edit",
    "retire",
    "reactivate",
    "import",
    "export",
    "versi_list",
    "versi_create",
    "pemetaan",
    "pemetaan_create",
    "pemetaan_delete",
)


@dataclass(frozen=True)
class MasterPages:
    tree: services_master.KodeTree
    namespace: str
    prefix: str  # URL names: <namespace>:<prefix>_list, …
    title: object
    view_action: str
    configure_action: str
    filterset: type
    where_used: Callable  # (user, code) -> list of (label, count)

    @property
    def urls(self) -> dict:
        return {name: f"{self.namespace}:{self.prefix}_{name}" for name in PAGE_NAMES}


def _require(request, action: str) -> None:
    if not authz.has_action(request.user, action):
        raise PermissionDenied


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def badges(codes) -> None:
    for code in codes:
        code.badge = None if code.keyakinan in NO_BADGE else KEYAKINAN_BADGE.get(code.keyakinan, "bg-secondary-lt")


def _chosen_versi(pages: MasterPages, request, name: str = "tahun"):
    value = request.GET.get(name, "") or request.POST.get(name, "")
    if value.isdigit():
        return services_master.versi_of(pages.tree, value)
    return services_master.current_versi(pages.tree)


def _context(pages: MasterPages, request, **extra) -> dict:
    return {
        "pages": pages,
        "urls": pages.urls,
        "tree": pages.tree,
        "can_configure": authz.has_action(request.user, pages.configure_action),
        **extra,
    }


def kode_list(request, pages: MasterPages):
    _require(request, pages.view_action)
    tree = pages.tree
    versi = _chosen_versi(pages, request)
    base = tree.kode_model.objects.filter(versi=versi) if versi else tree.kode_model.objects.none()
    base = authz.restrict(base, request.user, pages.view_action)
    params = request.GET.copy()
    params.pop("tahun", None)
    filterset = pages.filterset(params or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    codes = sorted(queryset, key=lambda c: services_master.kode_sort_key(c.kode))
    page = Paginator(codes, 200).get_page(request.GET.get("page"))
    depth = {level: i for i, level in enumerate(tree.levels)}
    for code in page.object_list:
        code.depth = depth.get(code.level, 0)
    badges(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = _context(
        pages,
        request,
        versi=versi,
        editions=tree.versi_model.objects.order_by("-tahun"),
        filter=filterset,
        levels=[(level, tree.level_labels[level]) for level in tree.levels],
        page=page,
        query=query.urlencode(),
        page_title=pages.title,
    )
    return render(request, "perencanaan/master/kode_list.html", context)


def kode_detail(request, pages: MasterPages, pk: int):
    _require(request, pages.view_action)
    tree = pages.tree
    visible = authz.restrict(tree.kode_model.objects.select_related("versi", "parent"), request.user, pages.view_action)
    code = get_object_or_404(visible, pk=pk)
    children = sorted(code.children.all(), key=lambda c: services_master.kode_sort_key(c.kode))
    forward = tree.pemetaan_model.objects.filter(dari=code).select_related("ke__versi").order_by("ke__versi__tahun")
    back = tree.pemetaan_model.objects.filter(ke=code).select_related("dari__versi").order_by("dari__versi__tahun")
    badges([code, *children])
    context = _context(
        pages,
        request,
        code=code,
        level_label=tree.level_labels.get(code.level, code.level),
        children=children,
        forward=forward,
        back=back,
        extras=[
            (EXTRA_LABELS.get(name, name), getattr(code, name)) for name in tree.extra_fields if getattr(code, name)
        ],
        where_used=pages.where_used(request.user, code),
        history=history_for(request.user, code),
        page_title=f"{code.kode} {code.nama}",
    )
    return render(request, "perencanaan/master/kode_detail.html", context)


def kode_create(request, pages: MasterPages):
    _require(request, pages.configure_action)
    tree = pages.tree
    versi = _chosen_versi(pages, request)
    if versi is None:
        messages.error(request, _("Create an edition first."))
        return redirect(pages.urls["versi_create"])
    initial = {}
    parent = request.GET.get("parent", "")
    if parent.isdigit():
        parent_code = tree.kode_model.objects.filter(pk=parent, versi=versi).first()
        if parent_code is not None and parent_code.level != tree.leaf:
            initial = {"parent_kode": parent_code.kode, "kode": parent_code.kode + "."}
            initial["level"] = tree.levels[tree.levels.index(parent_code.level) + 1]
    form = KodeCreateForm(request.POST or None, tree=tree, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            code = services_master.create_kode(tree, versi, dict(form.cleaned_data))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse(pages.urls["detail"], args=[code.pk]))
    title = _("New code in the %(tahun)s edition") % {"tahun": versi.tahun}
    return render(request, "perencanaan/master/form.html", _context(pages, request, form=form, page_title=title))


def kode_edit(request, pages: MasterPages, pk: int):
    _require(request, pages.configure_action)
    tree = pages.tree
    code = get_object_or_404(tree.kode_model, pk=pk)
    initial = {name: getattr(code, name) for name in ("nama", "keyakinan", "sumber", *tree.extra_fields)}
    form = KodeEditForm(request.POST or None, tree=tree, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            code = services_master.update_kode(tree, code, dict(form.cleaned_data))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse(pages.urls["detail"], args=[code.pk]))
    title = _("Edit %(kode)s") % {"kode": code.kode}
    return render(request, "perencanaan/master/form.html", _context(pages, request, form=form, page_title=title))


def kode_retire(request, pages: MasterPages, pk: int):
    _require(request, pages.configure_action)
    code = get_object_or_404(pages.tree.kode_model, pk=pk)
    try:
        services_master.retire_kode(pages.tree, code)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The code was retired: it can no longer be newly planned or budgeted."))
    return redirect(reverse(pages.urls["detail"], args=[code.pk]))


def kode_reactivate(request, pages: MasterPages, pk: int):
    _require(request, pages.configure_action)
    code = get_object_or_404(pages.tree.kode_model, pk=pk)
    try:
        services_master.reactivate_kode(pages.tree, code)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The code is in use again."))
    return redirect(reverse(pages.urls["detail"], args=[code.pk]))


def versi_list(request, pages: MasterPages):
    _require(request, pages.view_action)
    editions = pages.tree.versi_model.objects.annotate(codes=Count("kode")).order_by("-tahun")
    title = _("Editions: %(title)s") % {"title": pages.title}
    return render(
        request, "perencanaan/master/versi_list.html", _context(pages, request, editions=editions, page_title=title)
    )


def versi_create(request, pages: MasterPages):
    _require(request, pages.configure_action)
    tree = pages.tree
    latest = tree.versi_model.objects.order_by("-tahun").first()
    initial = {"tahun": latest.tahun + 1, "copy_from": latest} if latest else {}
    form = VersiForm(request.POST or None, tree=tree, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            versi = services_master.create_versi(tree, data["tahun"], data, data.get("copy_from"))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The %(tahun)s edition was created.") % {"tahun": versi.tahun})
            return redirect(f"{reverse(pages.urls['list'])}?tahun={versi.tahun}")
    title = _("New edition: %(title)s") % {"title": pages.title}
    return render(request, "perencanaan/master/form.html", _context(pages, request, form=form, page_title=title))


def kode_import(request, pages: MasterPages):
    _require(request, pages.configure_action)
    tree = pages.tree
    editions = tree.versi_model.objects.order_by("-tahun")
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        versi_queryset=editions,
        initial={"versi": services_master.current_versi(tree), "dry_run": True},
    )
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name.lower()
        kind = "xlsx" if name.endswith(".xlsx") else "csv" if name.endswith((".csv", ".txt")) else ""
        try:
            if not kind:
                raise tabular.TableError(_("Upload a .csv or .xlsx file."))
            report = importing_master.run(
                tree, form.cleaned_data["versi"], kind, upload.read(), form.cleaned_data["dry_run"]
            )
        except (tabular.TableError, ValidationError) as exc:
            form.add_error("file", " ".join(getattr(exc, "messages", [str(exc)])))
    context = _context(
        pages,
        request,
        form=form,
        report=report,
        hierarchical=tree.hierarchical_columns(),
        flat=tree.flat_columns(),
        page_title=_("Import: %(title)s") % {"title": pages.title},
    )
    return render(request, "perencanaan/master/import.html", context, status=200)


def kode_export(request, pages: MasterPages):
    _require(request, pages.view_action)
    versi = _chosen_versi(pages, request)
    fmt = request.GET.get("format", "csv")
    shape = request.GET.get("shape", "sipd")
    if versi is None or fmt not in ("csv", "xlsx") or shape not in ("sipd", "flat"):
        return HttpResponse(
            _("Unknown format, shape or edition."), status=400, content_type="text/plain; charset=utf-8"
        )
    content = importing_master.export_file(pages.tree, versi, fmt, shape)
    response = HttpResponse(content, content_type=XLSX if fmt == "xlsx" else "text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{pages.tree.key}-{versi.tahun}-{shape}.{fmt}"'
    return response


def pemetaan(request, pages: MasterPages):
    """The mapping worklist: codes in use of the older edition not yet mapped into the newer one."""
    _require(request, pages.view_action)
    tree = pages.tree
    editions = list(tree.versi_model.objects.order_by("-tahun"))
    ke = _chosen_versi(pages, request, "ke") if request.GET.get("ke") else (editions[0] if editions else None)
    dari = services_master.versi_of(tree, request.GET.get("dari")) if request.GET.get("dari") else None
    if dari is None and ke is not None:
        dari = tree.versi_model.objects.filter(tahun__lt=ke.tahun).order_by("-tahun").first()
    open_codes, changes = [], []
    if dari is not None and ke is not None:
        open_codes = sorted(
            services_master.worklist(tree, dari, ke), key=lambda c: services_master.kode_sort_key(c.kode)
        )
        changes = [
            m
            for m in tree.pemetaan_model.objects.filter(dari__versi=dari, ke__versi=ke).select_related("dari", "ke")
            if m.dari.kode != m.ke.kode or m.catatan or m.dari.nama != m.ke.nama
        ]
    context = _context(
        pages,
        request,
        editions=editions,
        dari=dari,
        ke=ke,
        open_codes=open_codes,
        changes=changes,
        form=PemetaanForm(),
        page_title=_("Mapping: %(title)s") % {"title": pages.title},
    )
    return render(request, "perencanaan/master/pemetaan.html", context)


def pemetaan_create(request, pages: MasterPages):
    _require(request, pages.configure_action)
    tree = pages.tree
    form = PemetaanForm(request.POST)
    dari_versi = services_master.versi_of(tree, request.POST.get("dari_tahun"))
    ke_versi = services_master.versi_of(tree, request.POST.get("ke_tahun"))
    target = reverse(pages.urls["pemetaan"])
    if dari_versi is None or ke_versi is None or not form.is_valid():
        messages.error(request, _("Choose both editions and give the old and the new code."))
        return redirect(target)
    target += f"?dari={dari_versi.tahun}&ke={ke_versi.tahun}"
    dari = tree.kode_model.objects.filter(versi=dari_versi, kode=form.cleaned_data["dari"].strip()).first()
    ke = tree.kode_model.objects.filter(versi=ke_versi, kode=form.cleaned_data["ke"].strip()).first()
    if dari is None or ke is None:
        missing = form.cleaned_data["dari"] if dari is None else form.cleaned_data["ke"]
        year = dari_versi.tahun if dari is None else ke_versi.tahun
        messages.error(request, _("%(kode)s is not in the %(tahun)s edition.") % {"kode": missing, "tahun": year})
        return redirect(target)
    try:
        services_master.add_mapping(tree, dari, ke, form.cleaned_data["catatan"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(dari)s → %(ke)s mapped.") % {"dari": dari.kode, "ke": ke.kode})
    return redirect(target)


def pemetaan_delete(request, pages: MasterPages, pk: int):
    _require(request, pages.configure_action)
    mapping = get_object_or_404(pages.tree.pemetaan_model.objects.select_related("dari__versi", "ke__versi"), pk=pk)
    target = f"{reverse(pages.urls['pemetaan'])}?dari={mapping.dari.versi.tahun}&ke={mapping.ke.versi.tahun}"
    services_master.remove_mapping(pages.tree, mapping)
    messages.success(request, _("The mapping was removed."))
    return redirect(target)


def build_views(pages: MasterPages) -> dict[str, Callable]:
    """The page functions of one tree, ready for urlpatterns (login required; POST-only where they change)."""

    def bind(func, post=False):
        def view(request, *args, **kwargs):
            return func(request, pages, *args, **kwargs)

        view.__name__ = f"{pages.prefix}_{func.__name__}"
        view.__doc__ = func.__doc__
        view = require_POST(view) if post else view
        return login_required(view)

    return {
        "list": bind(kode_list),
        "detail": bind(kode_detail),
        "create": bind(kode_create),
        "edit": bind(kode_edit),
        "retire": bind(kode_retire, post=True),
        "reactivate": bind(kode_reactivate, post=True),
        "import": bind(kode_import),
        "export": bind(kode_export),
        "versi_list": bind(versi_list),
        "versi_create": bind(versi_create),
        "pemetaan": bind(pemetaan),
        "pemetaan_create": bind(pemetaan_create, post=True),
        "pemetaan_delete": bind(pemetaan_delete, post=True),
    }


def url_patterns(pages: MasterPages, base: str) -> list:
    from django.urls import path

    views = build_views(pages)
    routes = {
        "list": "",
        "detail": "<int:pk>/",
        "create": "baru/",
        "edit": "<int:pk>/ubah/",
        "retire": "<int:pk>/pensiunkan/",
        "reactivate": "<int:pk>/aktifkan/",
        "import": "impor/",
        "export": "ekspor/",
        "versi_list": "versi/",
        "versi_create": "versi/baru/",
        "pemetaan": "pemetaan/",
        "pemetaan_create": "pemetaan/tambah/",
        "pemetaan_delete": "pemetaan/<int:pk>/hapus/",
    }
    return [path(f"{base}{route}", views[name], name=f"{pages.prefix}_{name}") for name, route in routes.items()]


# -- the nomenklatur ---------------------------------------------------------------------------------------


def _nomenklatur_used(user, code) -> list:
    from terpadu.perencanaan.models import Level, RenjaSubKegiatan, RenstraItem

    if code.level == Level.SUB_KEGIATAN:
        renja = RenjaSubKegiatan.objects.filter(sub_kegiatan=code)
    else:
        renja = RenjaSubKegiatan.objects.filter(
            sub_kegiatan__versi=code.versi_id, sub_kegiatan__kode__startswith=code.kode + "."
        )
    renja = authz.restrict(renja, user, "perencanaan.view")
    items = authz.restrict(RenstraItem.objects.filter(nomenklatur=code), user, "perencanaan.view")
    used = [(_("Sub kegiatan of OPDs (Renja)"), renja.count()), (_("Renstra items"), items.count())]
    if authz.has_action(user, "anggaran.view"):
        from terpadu.anggaran.models import RincianBelanja

        lines = RincianBelanja.objects.filter(rka__sub_kegiatan__in=renja.values("pk"))
        used.append((_("Budget lines (rincian belanja)"), authz.restrict(lines, user, "anggaran.view").count()))
    return used


NOMENKLATUR_PAGES = MasterPages(
    tree=services_master.NOMENKLATUR,
    namespace="perencanaan",
    prefix="nomenklatur",
    title=gettext_lazy("Nomenklatur"),
    view_action="perencanaan.view",
    configure_action="perencanaan.configure",
    filterset=NomenklaturFilterSet,
    where_used=_nomenklatur_used,
)
