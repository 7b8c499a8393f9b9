"""What the belanja part registers with the platform: menu, the evidence provider for SPBE 2020 #13."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from terpadu.core import registry
    from terpadu.spbe import services_belanja

    group = _("SPBE")
    for label, url_name, action, icon, order in (
        (_("ICT spending"), "spbe:belanja_list", "spbe.view", "cash", 91),
        (_("ICT spending by domain / OPD"), "spbe:belanja_rekap", "spbe.view", "chart-pie", 92),
    ):
        registry.register_menu(registry.MenuItem(label, url_name, action, icon, order, group))
    from terpadu.spbe import services_evaluasi

    register = getattr(services_evaluasi, "register_evidence_provider", None)
    if register is not None:
        register(
            "spbe.belanja_tik",
            _("ICT spending linked to the architecture"),
            {"SPBE_2020": [13]},
            services_belanja.bukti_keterpaduan,
        )
