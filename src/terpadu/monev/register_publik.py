"""What the publik part registers with the platform: the landing-page section and the menu entries."""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def section_context() -> dict:
    """The year's headline figures for the landing page (a failure here must never break the portal)."""
    from terpadu.monev import publik

    try:
        tahun = publik.default_year()
        return {"tahun": tahun, "ringkasan": publik.ringkasan(tahun)}
    except Exception:  # noqa: BLE001
        logger.exception("transparency section failed")
        from django.utils import timezone

        return {"tahun": timezone.localdate().year, "ringkasan": None}


def register() -> None:
    from terpadu.core import registry

    registry.register_public_section(
        registry.PublicSection("anggaran", "monev/publik/section.html", section_context, 20)
    )
    group = _("Monitoring and evaluation")
    registry.register_menu(
        registry.MenuItem(_("Budget transparency (public)"), "transparansi:index", None, "search", 79, group)
    )
    registry.register_menu(
        registry.MenuItem(_("Publication exceptions"), "transparansi:kelola_list", "monev.manage", "shield", 80, group)
    )
