"""Registrations (menu, cards, search, pickers, events, gate rules) of the naskah module's 'tata' part."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from terpadu.core import authz, registry
    from terpadu.naskah.models import TemplateNaskah

    # A unit's own template is configurable by whoever holds naskah.configure for that unit; the pemda-wide
    # ones (no unit) only with a whole-pemda grant.
    authz.register_model(TemplateNaskah, unit_path="unit__path")
    registry.register_menu(
        registry.MenuItem(_("Tata naskah"), "naskah:tata_jenis_list", "naskah.configure", "edit", 48, _("Naskah"))
    )
