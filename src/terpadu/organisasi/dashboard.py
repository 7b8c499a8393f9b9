"""The organisation card on the home dashboard."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from terpadu.core import authz, registry
from terpadu.organisasi import services as org
from terpadu.organisasi.models import Pegawai, PenugasanSementara, UnitKerja


def organisation_card(user):
    if not authz.has_action(user, "organisasi.view"):
        return None
    pegawai = getattr(user, "pegawai", None)
    held = org.positions_held(pegawai) if pegawai else []
    acting = PenugasanSementara.objects.filter(PenugasanSementara.active_q())
    return {
        "title": _("Organisation"),
        "positions": [org.position_label(j, a) for j, a in held],
        "unit": pegawai.unit if pegawai else None,
        "units": authz.restrict(UnitKerja.objects.current(), user, "organisasi.view").count(),
        "pegawai": authz.restrict(Pegawai.objects.filter(aktif=True), user, "organisasi.view").count(),
        "acting": authz.restrict(acting, user, "organisasi.view").count(),
    }


registry.register_card(registry.DashboardCard("organisasi", "organisasi/card.html", organisation_card, 10))
