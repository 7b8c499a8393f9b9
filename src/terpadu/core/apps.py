from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "terpadu.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self):
        from terpadu.core import registry, tasks  # noqa: F401

        registry.register_actions(
            "audit",
            {
                "view": _("See the history of objects"),
                "verify": _("See the audit chain status"),
            },
        )
        registry.register_actions("core", {"jobs": _("See every background job")})
        registry.register_menu(
            registry.MenuItem(_("Audit trail"), "core:audit_status", "audit.verify", "shield", 90, _("Platform"))
        )
        registry.register_menu(
            registry.MenuItem(_("Background jobs"), "core:job_list", None, "clock", 95, _("Platform"))
        )
