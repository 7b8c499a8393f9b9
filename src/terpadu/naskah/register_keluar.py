"""Registrations of the naskah module's 'keluar' part: menu and event subscribers.

The outgoing counters on the dashboard are the masuk part's card (register_masuk.outgoing_card)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from terpadu.core import jobs


@jobs.periodic("naskah.expire_grants", cron="5 0 * * *")
def expire_grants(timestamp: int | None = None) -> None:
    """Daily: explicit access grants past their end date stop making their holder a party."""
    from terpadu.naskah import services

    services.expire_grants()


def _email_status(event: str, payload: dict) -> None:
    from terpadu.naskah import services

    services.email_status_changed(payload["email_id"], payload["status"])


def register() -> None:
    from terpadu.core import events, registry

    group = _("Naskah")
    for label, url_name, action, icon, order in (
        (_("Drafts"), "naskah:draft_list", "naskah.draft", "edit", 30),
        (_("To verify (paraf)"), "naskah:to_verify", None, "shield", 31),
        (_("To sign"), "naskah:to_sign", None, "key", 32),
        (_("Sent"), "naskah:sent", None, "upload", 33),
    ):
        registry.register_menu(registry.MenuItem(label, url_name, action, icon, order, group))
    events.subscribe("core.email_status")(_email_status)
