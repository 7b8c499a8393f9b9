"""What the realisasi part registers with the platform (menu, search, panels, jobs)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from terpadu.core import registry, search
    from terpadu.realisasi import tasks  # noqa: F401  (registers the import job)
    from terpadu.realisasi.models import Sp2d

    search.register_search(
        search.SearchSpec(
            key="sp2d",
            label=_("SP2D"),
            model=Sp2d,
            text_fields=("uraian",),
            code_fields=("nomor",),
            action="realisasi.view",
        )
    )
    group = _("Realisation")
    for label, url_name, action, icon, order in (
        (_("SP2D"), "realisasi:sp2d_list", "realisasi.view", "list-tree", 140),
        (_("Realisation per DPA line"), "realisasi:lra", "realisasi.view", "circle", 141),
        (_("My physical progress"), "realisasi:progres_saya", "realisasi.progress", "edit", 142),
        (_("Import SP2D"), "realisasi:sp2d_import", "realisasi.record", "upload", 143),
    ):
        registry.register_menu(registry.MenuItem(label, url_name, action, icon, order, group))
    _register_panel()


def _register_panel() -> None:
    """The sub kegiatan hub page (perencanaan) shows our panel, once that page offers the hook."""
    try:
        from terpadu.perencanaan import register_rencana
    except ImportError:
        return
    panels = getattr(register_rencana, "SUB_KEGIATAN_PANELS", None)
    if panels is None:
        return
    from terpadu.realisasi.views import sub_kegiatan_panel

    if sub_kegiatan_panel not in panels:
        panels.append(sub_kegiatan_panel)
