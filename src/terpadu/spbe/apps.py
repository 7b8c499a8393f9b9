from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpbeConfig(AppConfig):
    name = "terpadu.spbe"
    label = "spbe"
    verbose_name = _("SPBE governance (tata kelola SPBE)")

    def ready(self):
        from terpadu.core import authz, registry
        from terpadu.spbe.models import (
            Aplikasi,
            BelanjaTik,
            BuktiDukung,
            DataAplikasi,
            ElemenArsitektur,
            IntegrasiAplikasi,
            NilaiIndikator,
            PetaRencanaItem,
            UsulanAplikasi,
        )

        registry.register_actions(
            "spbe",
            {
                "view": _(
                    "See the architecture, roadmap, applications, ICT spending and evaluation of the OPD in scope"
                ),
                "manage": _(
                    "Maintain the architecture, roadmap, application catalogue and ICT spending links (Diskominfo)"
                ),
                "propose": _("Draft and submit aplikasi khusus proposals and the OPD's own catalogue entries"),
                "review": _("Review aplikasi khusus proposals and record KemenPANRB's pertimbangan (Diskominfo)"),
                "assess": _("Fill in the self-assessment for the indicators the OPD is responsible for"),
                "configure": _("Load reference models and evaluation frameworks; open, review and lock evaluations"),
            },
        )
        # Elements and applications without an owner are visible through whole-pemda grants only (and flagged).
        authz.register_model(ElemenArsitektur, unit_path="unit__path")
        authz.register_model(PetaRencanaItem, unit_path="unit__path")
        authz.register_model(Aplikasi, unit_path="unit__path")
        authz.register_model(DataAplikasi, unit_path="aplikasi__unit__path")
        authz.register_model(IntegrasiAplikasi, unit_path="dari__unit__path")
        authz.register_model(BelanjaTik, unit_path="unit__path")
        authz.register_model(UsulanAplikasi, unit_path="unit__path")
        authz.register_model(NilaiIndikator, unit_path="unit__path")
        authz.register_model(BuktiDukung, unit_path="nilai__unit__path")
        from terpadu.spbe import register_arsitektur

        register_arsitektur.register()
        from terpadu.spbe import register_katalog

        register_katalog.register()
        from terpadu.spbe import register_belanja

        register_belanja.register()
        from terpadu.spbe import register_usulan

        register_usulan.register()
        from terpadu.spbe import register_evaluasi

        register_evaluasi.register()
        from terpadu.spbe import register_publik

        register_publik.register()
