"""What the publik part registers with the platform: the landing-page section, the dashboard card and the menu."""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def section_context() -> dict:
    """The latest index and predikat and the catalogue size (a failure here must never break the portal)."""
    from terpadu.spbe import publik

    try:
        return {"terbaru": publik.terbaru(), "katalog": publik.ringkasan_katalog()}
    except Exception:  # noqa: BLE001
        logger.exception("SPBE public section failed")
        return {"terbaru": None, "katalog": None}


def _card(user):
    from terpadu.spbe.views_publik import card_context

    return card_context(user)


def register() -> None:
    from terpadu.core import registry

    registry.register_public_section(registry.PublicSection("spbe", "spbe/publik/section.html", section_context, 30))
    registry.register_card(registry.DashboardCard("spbe", "spbe/publik/card.html", _card, 50))
    group = _("SPBE")
    # The menu skips an entry whose route is not mounted (spbe:opd lives in urls_opd.py, included by spbe/urls.py).
    registry.register_menu(registry.MenuItem(_("My OPD (SPBE)"), "spbe:opd", "spbe.view", "building", 90, group))
    registry.register_menu(
        registry.MenuItem(_("SPBE transparency (public)"), "spbe_publik:index", None, "world", 99, group)
    )
