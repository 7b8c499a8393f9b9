"""What the rencana part registers with the platform (menu, search, pickers), and the panel registry of the
RenjaSubKegiatan page.

The RenjaSubKegiatan detail page ("perencanaan:sub_kegiatan_detail") is the hub of the chain: RKA/DPA,
contracts, realisation, monev and the public page all hang on one sub kegiatan. Other modules add a panel to it
by appending a callable to SUB_KEGIATAN_PANELS, usually in their register_<part>.register():

    from terpadu.perencanaan.register_rencana import SUB_KEGIATAN_PANELS

    def anggaran_panel(request, sub) -> str | None:
        if not authz.can(request.user, "anggaran.view", sub):   # the panel asks the gate itself
            return None
        return render_to_string("anggaran/rka/_sub_panel.html", {...}, request=request)

    SUB_KEGIATAN_PANELS.append(anggaran_panel)

Each callable receives the request and the RenjaSubKegiatan and returns HTML (a Tabler card is expected) or
None to show nothing. Panels render in the order they were appended; a panel that raises is skipped and logged,
so one module's bug does not take the hub page down. Append once (register() runs once per process).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("terpadu.perencanaan")

SUB_KEGIATAN_PANELS: list[Callable] = []


def render_panels(request, sub) -> list[str]:
    """The HTML of every registered panel for `sub`, in order (None answers are left out)."""
    result = []
    for panel in list(SUB_KEGIATAN_PANELS):
        try:
            html = panel(request, sub)
        except Exception:  # noqa: BLE001 - one module's panel must not break the hub page
            logger.exception("sub kegiatan panel %r failed", panel)
            name = escape(getattr(panel, "__module__", "?"))
            html = f'<div class="card"><div class="card-body text-secondary small">{name}: —</div></div>'
        if html:
            result.append(mark_safe(html))  # noqa: S308 - panels return rendered, escaped templates
    return result


def register() -> None:
    from terpadu.core import pickers, registry, search
    from terpadu.perencanaan.models import RenjaSubKegiatan

    search.register_search(
        search.SearchSpec(
            key="renja_sub_kegiatan",
            label=_("Sub kegiatan (Renja)"),
            model=RenjaSubKegiatan,
            text_fields=("sub_kegiatan__nama",),
            code_fields=("sub_kegiatan__kode",),
            action="perencanaan.view",
            select_related=("sub_kegiatan", "unit"),
        )
    )
    pickers.register_picker(
        pickers.Picker(
            "renja_sub_kegiatan",
            RenjaSubKegiatan,
            "perencanaan.view",
            "renja_sub_kegiatan",
            describe=lambda s: (
                f"{s.sub_kegiatan.kode} — {s.sub_kegiatan.nama} ({s.unit.singkatan or s.unit.nama}, {s.tahun})"
            ),
        )
    )
    group = _("Planning")
    for label, url_name, action, icon, order in (
        (_("RPJMD"), "perencanaan:rpjmd_list", "perencanaan.view", "sitemap", 70),
        (_("Renstra PD"), "perencanaan:renstra_list", "perencanaan.view", "sitemap", 71),
        (_("Renja PD"), "perencanaan:renja_list", "perencanaan.view", "sitemap", 72),
        (_("RKPD"), "perencanaan:rkpd", "perencanaan.view", "sitemap", 73),
        (_("Pohon kinerja"), "perencanaan:pohon", "perencanaan.view", "sitemap", 74),
    ):
        registry.register_menu(registry.MenuItem(label, url_name, action, icon, order, group))
