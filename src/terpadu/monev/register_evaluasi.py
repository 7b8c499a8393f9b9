"""What the evaluasi part registers with the platform (menu, dashboard card, jobs)."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from terpadu.core import registry
    from terpadu.monev import tasks_evaluasi  # noqa: F401  (declares the periodic jobs)

    group = _("Monev")
    for label, url_name, action, icon, order in (
        (_("Monev dashboard"), "monev:dashboard", "monev.view", "sitemap", 80),
        (_("Evaluation periods"), "monev:periode_list", "monev.view", "clock", 81),
        (_("Early warnings"), "monev:peringatan_list", "monev.view", "bell", 82),
        (_("Rating scales"), "monev:skala_list", "monev.view", "list-tree", 83),
    ):
        registry.register_menu(registry.MenuItem(label, url_name, action, icon, order, group))
    registry.register_card(registry.DashboardCard("monev", "monev/evaluasi/card.html", _card, 45))


def _card(user):
    from terpadu.monev.views_evaluasi import card_context

    return card_context(user)
