"""What the usulan part registers with the platform: menu, the budget gate on anggaran, naskah event handlers."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from terpadu.core import events, registry
    from terpadu.spbe import services_usulan

    group = _("SPBE")
    for label, url_name, action, icon, order in (
        (_("Aplikasi khusus proposals"), "spbe:usulan_list", "spbe.view", "bulb", 93),
    ):
        registry.register_menu(registry.MenuItem(label, url_name, action, icon, order, group))
    # The cover letter signed or sent: the proposal moves to "sent to KemenPANRB".
    events.subscribe("naskah.ditandatangani")(services_usulan.on_naskah_event)
    events.subscribe("naskah.dikirim")(services_usulan.on_naskah_event)
    # The budget gate: TAPD may not approve an RKA budgeting a new aplikasi khusus without a pertimbangan.
    try:
        from terpadu.anggaran import services_rka
    except ImportError:  # a deployment without the budget module: services_usulan.check_budget is the check
        return
    register_check = getattr(services_rka, "register_approval_check", None)
    if register_check is not None:
        register_check(services_usulan.rka_approval_check)
