from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisasiConfig(AppConfig):
    name = "terpadu.organisasi"
    label = "organisasi"
    verbose_name = _("Organisation")

    def ready(self):
        from terpadu.core import authz, pickers, registry, search
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
        search.register_search(
            search.SearchSpec(
                key="jabatan",
                label=_("Positions"),
                model=Jabatan,
                text_fields=("nama", "unit__nama"),
                code_fields=("kode",),
                action="organisasi.view",
                select_related=("unit",),
            )
        )
        pickers.register_picker(
            pickers.Picker(
                "pegawai",
                Pegawai,
                "organisasi.view",
                "pegawai",
                describe=lambda p: f"{p.nama_lengkap} — {p.nip}",
                base=lambda: Pegawai.objects.filter(aktif=True),
            )
        )
        pickers.register_picker(
            pickers.Picker(
                "jabatan",
                Jabatan,
                "organisasi.view",
                "jabatan",
                describe=lambda j: f"{j.nama} — {j.unit.nama}",
                base=lambda: Jabatan.objects.current().select_related("unit"),
            )
        )
        pickers.register_picker(
            pickers.Picker(
                "unit",
                UnitKerja,
                "organisasi.view",
                "unit",
                describe=lambda u: f"{u.nama} ({u.kode})",
                base=lambda: UnitKerja.objects.current(),
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
