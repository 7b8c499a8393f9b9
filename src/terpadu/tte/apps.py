from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TteConfig(AppConfig):
    name = "terpadu.tte"
    label = "tte"
    verbose_name = _("Electronic signatures (TTE)")

    def ready(self):
        from terpadu.core import registry

        registry.register_actions(
            "tte",
            {
                "enrol": _("Hold a signing certificate (own CA or uploaded PKCS#12) and sign with it"),
                "manage": _("Run the instance's certificate authority: issue and revoke certificates"),
            },
        )
