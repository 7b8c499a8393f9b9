"""Registrations (menu, cards, search, pickers, events, gate rules) of the naskah module's 'masuk' part."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

OUTGOING_CARD = "naskah_keluar"


def incoming_card(user):
    """Inbox and disposition counters; hidden for users holding no position."""
    from terpadu.naskah import access, masuk

    if not getattr(user, "pegawai_id", None) or not access.my_position_ids(user):
        return None
    counts = masuk.incoming_counters(user)
    return {"title": _("Incoming"), "counts": counts, "labels": _labels(counts), "cap": masuk.COUNT_CAP}


def outgoing_card(user):
    """Drafts, to verify, to sign and signed-not-sent (registered only when the outgoing part has no card)."""
    from terpadu.naskah import masuk

    if not getattr(user, "pegawai_id", None):
        return None
    counts = masuk.outgoing_counters(user)
    return {"title": _("Outgoing"), "counts": counts, "labels": _labels(counts), "cap": masuk.COUNT_CAP}


def _labels(counts: dict) -> list[tuple[str, str, int]]:
    from terpadu.naskah import masuk

    names = {
        "inbox_unread": _("unread letters"),
        "tembusan_unread": _("unread copies"),
        "disposisi_unread": _("unread dispositions"),
        "disposisi_open": _("open dispositions"),
        "disposisi_overdue": _("overdue dispositions"),
        "drafts": _("drafts"),
        "to_verify": _("to verify"),
        "to_sign": _("to sign"),
        "signed_not_sent": _("signed, not sent"),
    }
    return [(key, names[key], masuk.count_label(value)) for key, value in counts.items()]


def register() -> None:
    from terpadu.core import registry
    from terpadu.naskah import tasks_masuk  # noqa: F401  (declares the periodic job)

    registry.register_menu(registry.MenuItem(_("Inbox"), "naskah:inbox", None, "bell", 20, _("Naskah")))
    registry.register_menu(
        registry.MenuItem(_("Dispositions"), "naskah:disposisi_list", None, "sitemap", 21, _("Naskah"))
    )
    registry.register_menu(
        registry.MenuItem(
            _("Register incoming letter"), "naskah:register", "naskah.register", "upload", 22, _("Naskah")
        )
    )
    registry.register_menu(
        registry.MenuItem(_("Agenda book"), "naskah:agenda", "naskah.register", "history", 23, _("Naskah"))
    )
    registry.register_card(registry.DashboardCard("naskah_masuk", "naskah/masuk/card.html", incoming_card, 20))
    # The outgoing part (register_keluar, registered before this one) may bring its own counters; add ours
    # only when it has none, so the dashboard never shows the same counters twice.
    if not any(card.key.startswith("naskah") and card.key != "naskah_masuk" for card in registry.DASHBOARD):
        registry.register_card(registry.DashboardCard(OUTGOING_CARD, "naskah/masuk/card.html", outgoing_card, 21))
