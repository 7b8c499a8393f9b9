"""The arsiparis card on the home dashboard: proposals waiting and berkas per retention status."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from terpadu.arsip.models import Berkas, IsiBerkas
from terpadu.core import authz, registry

CARD_STATUSES = (
    Berkas.Status.TERBUKA,
    Berkas.Status.INAKTIF,
    Berkas.Status.USUL_MUSNAH,
    Berkas.Status.USUL_SERAH,
    Berkas.Status.DINILAI_KEMBALI,
)


def arsip_card(user):
    if not authz.has_action(user, "arsip.view"):
        return None
    berkas = authz.restrict(Berkas.objects.all(), user, "arsip.view")
    counts = dict(berkas.values_list("status").annotate(n=Count("pk")).order_by())
    proposals = None
    if authz.has_action(user, "arsip.file"):
        items = IsiBerkas.objects.filter(status=IsiBerkas.Status.USULAN)
        proposals = authz.restrict(items, user, "arsip.file").count()
    return {
        "title": _("Archives"),
        "proposals": proposals,
        "statuses": [(status, Berkas.Status(status).label, counts.get(status, 0)) for status in CARD_STATUSES],
    }


registry.register_card(registry.DashboardCard("arsip", "arsip/card.html", arsip_card, 40))
