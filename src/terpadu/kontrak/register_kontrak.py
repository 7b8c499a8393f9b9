"""What the kontrak part registers with the platform (menu, search, pickers, the sub kegiatan panel, the gate rule
for suppliers)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def _penyedia_readers_q(user):
    """Penyedia has no unit. Every holder of kontrak.view (in any unit) reads the supplier register: such a
    user counts as a 'party' of every supplier (the gate applies parties to view actions only)."""
    from terpadu.core import authz

    return Q(pk__isnull=False) if authz.has_action(user, "kontrak.view") else Q(pk__in=[])


def _penyedia_readers_check(user, obj) -> bool:
    from terpadu.core import authz

    return authz.has_action(user, "kontrak.view")


def register() -> None:
    from terpadu.core import authz, pickers, registry, search
    from terpadu.kontrak.models import Kontrak, Paket, Penyedia
    from terpadu.kontrak.services import format_npwp

    authz.register_model(Penyedia, parties_q=_penyedia_readers_q, parties_check=_penyedia_readers_check)
    search.register_search(
        search.SearchSpec(
            key="kontrak_paket",
            label=_("Procurement packages"),
            model=Paket,
            text_fields=("nama", "lokasi"),
            code_fields=("kode_rup",),
            action="kontrak.view",
        )
    )
    search.register_search(
        search.SearchSpec(
            key="kontrak",
            label=_("Contracts"),
            model=Kontrak,
            text_fields=("paket__nama", "penyedia__nama"),
            code_fields=("nomor", "penyedia__npwp"),
            action="kontrak.view",
            select_related=("penyedia", "paket"),
        )
    )
    search.register_search(
        search.SearchSpec(
            key="penyedia",
            label=_("Suppliers (penyedia)"),
            model=Penyedia,
            text_fields=("nama",),
            code_fields=("npwp",),
            action="kontrak.view",
            url=lambda obj: _penyedia_url(obj),
        )
    )
    pickers.register_picker(
        pickers.Picker(
            "penyedia", Penyedia, "kontrak.view", "penyedia", describe=lambda p: f"{p.nama} — {format_npwp(p.npwp)}"
        )
    )
    group = _("Contracts")
    for label, url_name, action, icon, order in (
        (_("Packages (RUP)"), "kontrak:paket_list", "kontrak.view", "list-tree", 80),
        (_("Contracts"), "kontrak:kontrak_list", "kontrak.view", "edit", 81),
        (_("Suppliers"), "kontrak:penyedia_list", "kontrak.view", "users", 82),
    ):
        registry.register_menu(registry.MenuItem(label, url_name, action, icon, order, group))
    _register_panel()


def _penyedia_url(obj) -> str:
    from django.urls import reverse

    return reverse("kontrak:penyedia_detail", args=[obj.pk])


def _register_panel() -> None:
    """Append our panel to the sub kegiatan hub page (the perencanaan rencana part owns the list)."""
    from terpadu.perencanaan import register_rencana

    panels = getattr(register_rencana, "SUB_KEGIATAN_PANELS", None)
    if panels is None:
        return
    from terpadu.kontrak.views import sub_kegiatan_panel

    if sub_kegiatan_panel not in panels:
        panels.append(sub_kegiatan_panel)
