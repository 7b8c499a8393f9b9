from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArsipConfig(AppConfig):
    name = "terpadu.arsip"
    label = "arsip"
    verbose_name = _("Archives (arsip dinamis)")

    def ready(self):
        from terpadu.arsip import dashboard, tasks  # noqa: F401
        from terpadu.arsip.models import BeritaAcara, Berkas, IsiBerkas, Klasifikasi
        from terpadu.core import authz, pickers, registry, search

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
        authz.register_model(IsiBerkas, unit_path="berkas__unit__path")
        authz.register_model(BeritaAcara, unit_path="unit__path")
        # Klasifikasi has no unit: it is reference data for the whole pemda (whole-pemda grants see it).
        search.register_search(
            search.SearchSpec(
                key="klasifikasi",
                label=_("Classification codes"),
                model=Klasifikasi,
                text_fields=("nama",),
                code_fields=("kode",),
                action="naskah.draft",
            )
        )
        search.register_search(
            search.SearchSpec(
                key="berkas",
                label=_("Files (berkas)"),
                model=Berkas,
                text_fields=("uraian",),
                code_fields=("klasifikasi__kode",),
                action="arsip.view",
                select_related=("klasifikasi",),
            )
        )
        pickers.register_picker(
            pickers.Picker(
                "klasifikasi",
                Klasifikasi,
                "naskah.draft",
                "klasifikasi",
                describe=lambda k: f"{k.kode} — {k.nama}",
                base=_current_codes,
            )
        )
        group = _("Archives")
        for label, url_name, action, icon, order in (
            (_("Klasifikasi & JRA"), "arsip:klasifikasi_list", "arsip.view", "list-tree", 60),
            (_("Berkas"), "arsip:berkas_list", "arsip.view", "folders", 61),
            (_("Usulan pemberkasan"), "arsip:usulan_list", "arsip.file", "inbox", 62),
            (_("Retensi"), "arsip:retensi", "arsip.view", "hourglass", 63),
            (_("Berita acara"), "arsip:ba_list", "arsip.view", "file-certificate", 64),
            (_("Klasifikasi editions"), "arsip:versi_list", "arsip.configure", "settings", 65),
        ):
            registry.register_menu(registry.MenuItem(label, url_name, action, icon, order, group))


def _current_codes():
    from terpadu.arsip.services import current_klasifikasi

    return current_klasifikasi()
