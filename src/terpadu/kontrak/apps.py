from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KontrakConfig(AppConfig):
    name = "terpadu.kontrak"
    label = "kontrak"
    verbose_name = _("Contracts (kontrak)")

    def ready(self):
        from terpadu.core import authz, registry
        from terpadu.kontrak.models import Adendum, Jaminan, Kontrak, Paket, PaketDpa, Termin

        registry.register_actions(
            "kontrak",
            {
                "view": _("See procurement packages and contracts of the OPD in scope"),
                "manage": _("Record packages, contracts, payment stages, guarantees and addenda"),
            },
        )
        authz.register_model(Paket, unit_path="unit__path")
        authz.register_model(PaketDpa, unit_path="paket__unit__path")
        authz.register_model(Kontrak, unit_path="unit__path")
        authz.register_model(Termin, unit_path="kontrak__unit__path")
        authz.register_model(Jaminan, unit_path="kontrak__unit__path")
        authz.register_model(Adendum, unit_path="kontrak__unit__path")
        from terpadu.kontrak import register_kontrak

        register_kontrak.register()
