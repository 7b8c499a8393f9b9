from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisasiConfig(AppConfig):
    name = "terpadu.organisasi"
    label = "organisasi"
    verbose_name = _("Organisation")

    def ready(self):
        from terpadu.core import authz, registry, search
        from terpadu.organisasi import dashboard, tasks  # noqa: F401
        from terpadu.organisasi.models import Jabatan, Pegawai, PenugasanSementara, RiwayatJabatan, UnitKerja

        registry.register_actions(
            "organisasi",
            {
                "view": _("See the organisation, positions and the staff directory"),
                "view_private": _("See employees' contact and personal data"),
                "change": _("Change units, positions, employees and acting assignments"),
                "import": _("Import the structure from CSV/XLSX"),
                "export": _("Export the structure to CSV/XLSX"),
            },
        )
        authz.register_model(UnitKerja, unit_path="path")
        authz.register_model(Jabatan, unit_path="unit__path")
        authz.register_model(Pegawai, unit_path="unit__path", self_lookup="user__pk")
        authz.register_model(RiwayatJabatan, unit_path="jabatan__unit__path")
        authz.register_model(PenugasanSementara, unit_path="jabatan__unit__path")
        search.register_search(
            search.SearchSpec(
                key="pegawai",
                label=_("Employees"),
                model=Pegawai,
                text_fields=("nama",),
                code_fields=("nip",),
                action="organisasi.view",
                select_related=("jabatan", "unit"),
            )
        )
        search.register_search(
            search.SearchSpec(
                key="unit",
                label=_("Units"),
                model=UnitKerja,
                text_fields=("nama",),
                code_fields=("kode", "singkatan"),
                action="organisasi.view",
            )
        )
        registry.register_menu(
            registry.MenuItem(_("Organisation"), "organisasi:tree", "organisasi.view", "sitemap", 10, _("Organisation"))
        )
        registry.register_menu(
            registry.MenuItem(
                _("Employees"), "organisasi:pegawai_list", "organisasi.view", "users", 11, _("Organisation")
            )
        )
        registry.register_menu(
            registry.MenuItem(
                _("Import / export"), "organisasi:import", "organisasi.import", "upload", 12, _("Organisation")
            )
        )
