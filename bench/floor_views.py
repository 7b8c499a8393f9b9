"""Floors: minimal views that do the same data work as a scenario's real view and answer a few bytes.

Mounted under /_bench/ only when TERPADU_BENCH=1 (terpadu.urls) and answering loopback clients only:
they skip sign-in, throttling and the authorization of the request itself, so they must never be
reachable in a deployment. The bench calls them without cookies (no session, no CSRF), naming the
persona whose data they load with ?user=<username>; the ratio real/floor is then what the page adds on
top of its queries: session, middleware, forms, templates.

A module that adds a scenario adds its floor here (and its entry in bench/scenarios.py).
"""

from __future__ import annotations

import ipaddress
from functools import wraps

from django.contrib.auth import authenticate
from django.core.paginator import Paginator
from django.http import HttpResponseForbidden, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from terpadu.accounts.models import User
from terpadu.core import authz, registry
from terpadu.organisasi import services as org
from terpadu.organisasi.filters import PegawaiFilterSet
from terpadu.organisasi.models import Pegawai


def loopback_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            local = ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
        except ValueError:
            local = False
        if not local or request.META.get("HTTP_X_FORWARDED_FOR"):
            return HttpResponseForbidden("bench floors answer loopback clients only")
        return view(request, *args, **kwargs)

    return wrapper


def _user(request) -> User:
    """The persona, as the authentication middleware would load it (one query)."""
    return User.objects.get(username=request.GET["user"], is_active=True)


@csrf_exempt
@require_POST
@loopback_only
def login_floor(request):
    """The user lookup and Argon2 check of a sign-in, nothing else."""
    user = authenticate(request, username=request.POST.get("username"), password=request.POST.get("password"))
    return JsonResponse({"ok": user is not None}, status=200 if user is not None else 403)


@loopback_only
def home_floor(request):
    """Every dashboard card's context (grants, counters), as core.views.home computes them."""
    user = _user(request)
    cards = [card.context(user) for card in registry.DASHBOARD]
    return JsonResponse({"cards": sum(1 for c in cards if c is not None)})


@loopback_only
def tree_floor(request):
    """The unit tree with its heads, as organisasi.views.tree loads it."""
    user = _user(request)
    authz.has_action(user, "organisasi.view")
    roots, pemda = org.current_tree(), org.the_pemda()
    count, stack = 0, list(roots)
    while stack:
        node = stack.pop()
        count += 1
        stack.extend(node["children"])
    return JsonResponse({"units": count, "pemda": pemda.pk if pemda else None})


@loopback_only
def pegawai_floor(request):
    """The pegawai list's queries: the restricted, searched page of 50 with its count, and the unit
    choices of the filter form (the same querysets organisasi.views.pegawai_list evaluates)."""
    user = _user(request)
    base = authz.restrict(Pegawai.objects.all(), user, "organisasi.view").select_related("jabatan", "unit")
    filterset = PegawaiFilterSet(request.GET, queryset=base)
    queryset = filterset.qs if filterset.is_valid() else base.order_by("nama")
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    rows = [(p.pk, p.nip, p.jabatan_id and p.jabatan.nama, p.unit_id and p.unit.nama) for p in page]
    units = list(filterset.form.fields["unit"].queryset)
    return JsonResponse({"count": page.paginator.count, "rows": len(rows), "unit_choices": len(units)})


urlpatterns = [
    path("login/", login_floor, name="bench_login"),
    path("home/", home_floor, name="bench_home"),
    path("tree/", tree_floor, name="bench_tree"),
    path("pegawai/", pegawai_floor, name="bench_pegawai"),
    path("naskah/", include("bench.floor_views_naskah")),  # inbox, raw FTS, ILIKE (bench/floor_views_naskah.py)
    path("chain/", include("bench.floor_views_chain")),  # monev dashboard as raw SQL (bench/floor_views_chain.py)
    path("spbe/", include("bench.floor_views_spbe")),  # application catalogue as raw SQL (bench/floor_views_spbe.py)
]
