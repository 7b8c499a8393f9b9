from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArsipConfig(AppConfig):
    name = "terpadu.arsip"
    label = "arsip"
    verbose_name = _("Archives (arsip dinamis)")

    def ready(self):
        from terpadu.arsip.models import Berkas
        from terpadu.core import authz, registry

        registry.register_actions(
            "arsip",
            {
                "view": _("See the files (berkas) and retention lists of the units in scope"),
                "file": _("Confirm naskah into files, open and close files"),
                "dispose": _("Propose and record destruction or transfer with a berita acara"),
                "configure": _("Edit the classification scheme, retention schedule (JRA) and access classes"),
            },
        )
        authz.register_model(Berkas, unit_path="unit__path")
