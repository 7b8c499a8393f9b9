"""What the arsitektur part registers with the platform (gate rules, menu, search, evidence providers)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

VIEW = "spbe.view"


def _reference_visibility(model) -> None:
    """Reference codes and editions have no unit: every holder of spbe.view (in any scope) reads them, since
    each OPD needs them to read its own elements. The gate widens only *view* actions through parties rules."""
    from terpadu.core import authz

    authz.register_model(
        model,
        parties_q=lambda user: Q(pk__isnull=False) if authz.has_action(user, VIEW) else Q(pk__in=[]),
        parties_check=lambda user, obj: authz.has_action(user, VIEW),
    )


def _responsible_unit_q(user):
    """A need is also visible to its responsible OPD (besides the owner of the gap's element)."""
    from terpadu.core import authz

    scope = authz.scope(user, VIEW)
    return scope.q("unit__path") if scope.paths else Q(pk__in=[])


def _responsible_unit_check(user, obj) -> bool:
    from terpadu.core import authz

    return obj.unit_id is not None and authz.scope(user, VIEW).covers_path(obj.unit.path)


def register() -> None:
    from terpadu.core import authz, registry, search
    from terpadu.spbe import admin_arsitektur  # noqa: F401  (read-only admin)
    from terpadu.spbe.models import (
        ElemenArsitektur,
        Kebutuhan,
        Kesenjangan,
        PetaRencanaItem,
        ReferensiArsitektur,
        RelasiElemen,
        VersiReferensi,
    )

    _reference_visibility(ReferensiArsitektur)
    _reference_visibility(VersiReferensi)
    # Links, gaps and needs follow their element's owner OPD (elements without an owner: whole-pemda only).
    authz.register_model(RelasiElemen, unit_path="dari__unit__path")
    authz.register_model(Kesenjangan, unit_path="elemen__unit__path")
    authz.register_model(
        Kebutuhan,
        unit_path="kesenjangan__elemen__unit__path",
        parties_q=_responsible_unit_q,
        parties_check=_responsible_unit_check,
    )
    search.register_search(
        search.SearchSpec(
            key="spbe_elemen",
            label=_("Architecture elements (SPBE)"),
            model=ElemenArsitektur,
            text_fields=("nama", "uraian"),
            code_fields=("kode",),
            action=VIEW,
        )
    )
    search.register_search(
        search.SearchSpec(
            key="spbe_peta_rencana",
            label=_("Peta Rencana SPBE"),
            model=PetaRencanaItem,
            text_fields=("nama", "target_keluaran", "uraian"),
            action=VIEW,
        )
    )
    group = _("SPBE")
    for label, url_name, icon, order in (
        (_("Architecture (SPBE)"), "spbe:elemen_list", "sitemap", 90),
        (_("Peta Rencana SPBE"), "spbe:rencana_timeline", "timeline", 91),
    ):
        registry.register_menu(registry.MenuItem(label, url_name, VIEW, icon, order, group))
    _register_evidence_providers()


def _register_evidence_providers() -> None:
    """Evidence for the architecture and roadmap indicators (SPBE 2020 #1, #11, #2, #12; PEMDI 2026 #1, #15).
    The evaluasi part's registry may not be there yet: guarded with getattr."""
    from terpadu.spbe import evidence_arsitektur

    try:
        from terpadu.spbe import services_evaluasi
    except ImportError:
        return
    register = getattr(services_evaluasi, "register_evidence_provider", None)
    if register is None:
        return
    register(
        "spbe.arsitektur.relasi",
        _("Architecture: elements per domain and their links"),
        {"SPBE_2020": [1, 11], "PEMDI_2026": [1, 15]},
        evidence_arsitektur.elemen_dan_relasi,
    )
    register(
        "spbe.peta_rencana.muatan",
        _("Peta Rencana: items per section and year, linked to the architecture"),
        {"SPBE_2020": [2, 12]},
        evidence_arsitektur.rencana_per_muatan,
    )
