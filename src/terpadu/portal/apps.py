from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "terpadu.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self):
        from terpadu.core import registry
        from terpadu.portal import sections

        registry.register_public_section(registry.PublicSection("opd", "portal/section_opd.html", sections.opd, 10))
        registry.register_public_section(
            registry.PublicSection("audit", "portal/section_audit.html", sections.audit_checkpoints, 90)
        )
