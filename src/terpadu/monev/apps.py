from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonevConfig(AppConfig):
    name = "terpadu.monev"
    label = "monev"
    verbose_name = _("Monitoring and evaluation (monev)")

    def ready(self):
        from terpadu.core import authz, registry
        from terpadu.monev.models import CapaianIndikator, EvaluasiSubKegiatan, PeringatanDini

        registry.register_actions(
            "monev",
            {
                "view": _("See evaluations, early warnings and dashboards of the OPD in scope"),
                "evaluate": _("Fill in the quarterly evaluation of the OPD in scope"),
                "manage": _("Open and lock periods, configure rating bands, except items from publication"),
            },
        )
        authz.register_model(EvaluasiSubKegiatan, unit_path="unit__path")
        authz.register_model(CapaianIndikator, unit_path="unit__path")
        authz.register_model(PeringatanDini, unit_path="unit__path")
        from terpadu.monev import register_evaluasi

        register_evaluasi.register()
        from terpadu.monev import register_publik

        register_publik.register()
