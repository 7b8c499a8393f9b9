"""Registrations (menu, cards, search, pickers, events, gate rules) of the naskah module's 'cari' part."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from terpadu.core import authz, registry
    from terpadu.naskah import pencarian
    from terpadu.naskah.models import FormatNomor, NomorCadangan, UrutanNomor

    pencarian.register()  # the global search finds naskah (gate action naskah.view: the secret rule applies)
    authz.register_model(UrutanNomor, unit_path="unit__path")
    authz.register_model(NomorCadangan, unit_path="urutan__unit__path")
    authz.register_model(FormatNomor, unit_path="unit__path")  # the pemda default: whole-pemda grants only
    registry.register_menu(registry.MenuItem(_("Search naskah"), "naskah:search", None, "search", 34, _("Naskah")))
    registry.register_menu(
        registry.MenuItem(_("Numbering"), "naskah:number_index", "naskah.number", "hash", 38, _("Naskah"))
    )
    registry.register_menu(
        registry.MenuItem(_("Number formats"), "naskah:format_list", "naskah.configure", "settings", 39, _("Naskah"))
    )
