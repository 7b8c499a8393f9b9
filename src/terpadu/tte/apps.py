from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TteConfig(AppConfig):
    name = "terpadu.tte"
    label = "tte"
    verbose_name = _("Electronic signatures (TTE)")

    def ready(self):
        from terpadu.core import authz, registry
        from terpadu.tte.models import SertifikatPenandatangan

        registry.register_actions(
            "tte",
            {
                "enrol": _("Hold a signing certificate (own CA or uploaded PKCS#12) and sign with it"),
                "manage": _("Run the instance's certificate authority: issue and revoke certificates"),
            },
        )
        # A holder always sees their own certificates; tte.manage sees those of its unit scope.
        authz.register_model(SertifikatPenandatangan, unit_path="pegawai__unit__path", self_lookup="pegawai__user__pk")
        group = _("Electronic signatures")
        registry.register_menu(
            registry.MenuItem(_("My signing certificates"), "tte:mine", "tte.enrol", "key", 60, group)
        )
        registry.register_menu(
            registry.MenuItem(_("Certificate authority"), "tte:ca", "tte.manage", "shield", 61, group)
        )
