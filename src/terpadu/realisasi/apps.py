from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RealisasiConfig(AppConfig):
    name = "terpadu.realisasi"
    label = "realisasi"
    verbose_name = _("Realisation (realisasi)")

    def ready(self):
        from terpadu.core import authz, registry
        from terpadu.realisasi.models import FotoProgres, ProgresFisik, Realisasi, Sp2d

        registry.register_actions(
            "realisasi",
            {
                "view": _("See SP2D, realisation and physical progress of the OPD in scope"),
                "record": _("Record and import SP2D (finance)"),
                "progress": _("Report monthly physical progress with photos"),
            },
        )
        authz.register_model(Sp2d, unit_path="unit__path")
        authz.register_model(Realisasi, unit_path="unit__path")
        authz.register_model(ProgresFisik, unit_path="unit__path")
        authz.register_model(FotoProgres, unit_path="progres__unit__path")
        from terpadu.realisasi import register_realisasi

        register_realisasi.register()
