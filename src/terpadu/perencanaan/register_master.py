"""What the master part registers with the platform (menu, search, pickers, gate)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def reference_visibility(model, action: str) -> None:
    """Reference data without a unit (code trees, standard prices): whoever holds `action` in any scope reads
    all of it. The gate sees such models only through whole-pemda grants otherwise, and an OPD operator with
    a unit-scoped grant must still be able to pick the codes. (Registered as the model's "parties" rule: the
    gate widens only *view* actions that way.)"""
    from terpadu.core import authz

    authz.register_model(
        model,
        parties_q=lambda user: Q(pk__isnull=False) if authz.has_action(user, action) else Q(pk__in=[]),
        parties_check=lambda user, obj: authz.has_action(user, action),
    )


def _describe(code) -> str:
    return f"{code.kode} — {code.nama}"


def _current_sub_kegiatan():
    from terpadu.perencanaan.services_master import current_sub_kegiatan

    return current_sub_kegiatan()


def register() -> None:
    from terpadu.core import pickers, registry, search
    from terpadu.perencanaan.models import Nomenklatur

    reference_visibility(Nomenklatur, "perencanaan.view")
    search.register_search(
        search.SearchSpec(
            key="nomenklatur",
            label=_("Nomenklatur codes"),
            model=Nomenklatur,
            text_fields=("nama",),
            code_fields=("kode",),
            action="perencanaan.view",
        )
    )
    # The sub kegiatan in use of the current edition (this calendar year's, else the latest before it).
    pickers.register_picker(
        pickers.Picker(
            "sub_kegiatan",
            Nomenklatur,
            "perencanaan.view",
            "nomenklatur",
            describe=_describe,
            base=_current_sub_kegiatan,
        )
    )
    group = _("Planning")
    for label, url_name, action, icon, order in (
        (_("Nomenklatur"), "perencanaan:nomenklatur_list", "perencanaan.view", "list-tree", 78),
        (
            _("Nomenklatur mapping"),
            "perencanaan:nomenklatur_pemetaan",
            "perencanaan.configure",
            "arrows-right-left",
            79,
        ),
    ):
        registry.register_menu(registry.MenuItem(label, url_name, action, icon, order, group))
