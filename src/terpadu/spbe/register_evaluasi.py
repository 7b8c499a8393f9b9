"""What the evaluasi part registers with the platform (menu, picker, evidence providers)."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from terpadu.core import pickers, registry
    from terpadu.organisasi.models import Pegawai
    from terpadu.spbe import providers_evaluasi

    group = _("SPBE")
    for label, url_name, icon, order in (
        (_("SPBE / Pemdi evaluation"), "spbe:penilaian_list", "chart-bar", 96),
        (_("Evaluation frameworks"), "spbe:kerangka_list", "list-check", 97),
    ):
        registry.register_menu(registry.MenuItem(label, url_name, "spbe.view", icon, order, group))
    # The internal assessor of an indicator: chosen by spbe.configure (who may lack organisasi.view).
    pickers.register_picker(
        pickers.Picker(
            "spbe-asesor",
            Pegawai,
            "spbe.configure",
            "pegawai",
            describe=lambda p: f"{p.nama_lengkap} — {p.nip}",
            base=lambda: Pegawai.objects.filter(aktif=True),
        )
    )
    providers_evaluasi.register()
