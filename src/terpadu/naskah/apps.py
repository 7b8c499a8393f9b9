from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Every action that reads naskah content or metadata in bulk must carry the secret rule.
READ_ACTIONS = ("naskah.view", "naskah.export")


class NaskahConfig(AppConfig):
    name = "terpadu.naskah"
    label = "naskah"
    verbose_name = _("Official documents (naskah dinas)")

    def ready(self):
        from terpadu.core import authz, registry
        from terpadu.naskah import access
        from terpadu.naskah.models import Naskah

        registry.register_actions(
            "naskah",
            {
                "view": _("See the naskah of the units in scope (secret ones only as a party)"),
                "draft": _("Draft outgoing naskah"),
                "register": _("Register incoming letters and give agenda numbers"),
                "number": _("Reserve and insert numbers (nomor sisipan)"),
                "export": _("Export naskah lists and packages"),
                "grant": _("Grant named people access to a naskah"),
                "configure": _("Edit kinds, templates, number formats and disposition instructions"),
            },
        )
        authz.register_model(Naskah, unit_path="unit__path", parties_q=access.parties_q, parties_check=access.is_party)
        for action in READ_ACTIONS:
            authz.register_rule(Naskah, action, q=access.secret_rule_q, check=access.secret_rule_check)
        from terpadu.naskah import register_cari, register_keluar, register_masuk, register_tata

        for part in (register_tata, register_keluar, register_masuk, register_cari):
            part.register()
