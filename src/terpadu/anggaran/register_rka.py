"""What the rka part registers with the platform (menu, jobs)."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from terpadu.anggaran import importing_rka  # noqa: F401  (declares the import job)
    from terpadu.core import registry

    group = _("Budget")
    for label, url_name, action, icon, order in (
        (_("RKA / DPA"), "anggaran:rka_list", "anggaran.view", "report-money", 80),
        (_("Budget rounds"), "anggaran:tahap_list", "anggaran.view", "calendar-dollar", 81),
        (_("Compare rounds"), "anggaran:compare", "anggaran.view", "arrows-diff", 82),
        (_("Import budget lines"), "anggaran:rincian_import", "anggaran.draft", "upload", 83),
    ):
        registry.register_menu(registry.MenuItem(label, url_name, action, icon, order, group))
