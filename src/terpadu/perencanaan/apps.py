from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerencanaanConfig(AppConfig):
    name = "terpadu.perencanaan"
    label = "perencanaan"
    verbose_name = _("Planning (perencanaan)")

    def ready(self):
        from terpadu.core import authz, registry
        from terpadu.perencanaan.models import Renja, RenjaSubKegiatan, Renstra, RenstraItem, SasaranPd, TujuanPd

        registry.register_actions(
            "perencanaan",
            {
                "view": _("See the nomenklatur, RPJMD, Renstra and Renja"),
                "plan": _("Draft the Renstra and Renja of the OPD in scope"),
                "change": _("Edit the RPJMD and adopt the Renstra and Renja of every OPD (Bappeda)"),
                "configure": _("Maintain the nomenklatur editions, their mapping and imports"),
            },
        )
        authz.register_model(Renstra, unit_path="unit__path")
        authz.register_model(TujuanPd, unit_path="renstra__unit__path")
        authz.register_model(SasaranPd, unit_path="tujuan__renstra__unit__path")
        authz.register_model(RenstraItem, unit_path="renstra__unit__path")
        authz.register_model(Renja, unit_path="unit__path")
        authz.register_model(RenjaSubKegiatan, unit_path="unit__path")
        from terpadu.perencanaan import register_master

        register_master.register()
        from terpadu.perencanaan import register_rencana

        register_rencana.register()
