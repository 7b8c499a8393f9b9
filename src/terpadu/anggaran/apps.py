from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnggaranConfig(AppConfig):
    name = "terpadu.anggaran"
    label = "anggaran"
    verbose_name = _("Budget (anggaran)")

    def ready(self):
        from terpadu.anggaran.models import AnggaranKas, DpaBaris, Pagu, RincianBelanja, Rka
        from terpadu.core import authz, registry

        registry.register_actions(
            "anggaran",
            {
                "view": _("See the RKA, DPA, ceilings and cash plans of the OPD in scope"),
                "draft": _("Draft and submit the RKA and cash plans of the OPD in scope"),
                "verify": _("Verify RKA as TAPD: return with notes or approve into the DPA"),
                "configure": _("Maintain kode rekening, standard prices, budget rounds and ceilings"),
            },
        )
        authz.register_model(Pagu, unit_path="unit__path")
        authz.register_model(Rka, unit_path="unit__path")
        authz.register_model(RincianBelanja, unit_path="rka__unit__path")
        authz.register_model(AnggaranKas, unit_path="rka__unit__path")
        authz.register_model(DpaBaris, unit_path="unit__path")
        from terpadu.anggaran import register_master

        register_master.register()
        from terpadu.anggaran import register_rka

        register_rka.register()
