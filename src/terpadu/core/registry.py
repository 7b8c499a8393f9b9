"""What modules contribute to the shell: actions, menu entries, dashboard cards, public sections.

Each module registers in its AppConfig.ready(); the shell renders whatever is registered, so a new
module adds its counters and menu without touching the core.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ACTIONS: dict[str, str] = {}  # "module.verb" -> human label (lazy translated)


def register_actions(module: str, actions: dict[str, str]) -> None:
    for verb, label in actions.items():
        ACTIONS[f"{module}.{verb}"] = label


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    action: str | None  # shown when authz.has_action(user, action); None = any signed-in user
    icon: str = "circle"
    order: int = 100
    group: str = ""


MENU: list[MenuItem] = []


def register_menu(item: MenuItem) -> None:
    MENU.append(item)
    MENU.sort(key=lambda m: (m.order, str(m.label)))


@dataclass(frozen=True)
class DashboardCard:
    """A card on the home dashboard. `context(user)` returns None to hide the card for that user."""

    key: str
    template: str
    context: Callable
    order: int = 100


DASHBOARD: list[DashboardCard] = []


def register_card(card: DashboardCard) -> None:
    DASHBOARD[:] = [c for c in DASHBOARD if c.key != card.key] + [card]
    DASHBOARD.sort(key=lambda c: c.order)


@dataclass(frozen=True)
class PublicSection:
    """A block on the public landing page (no login)."""

    key: str
    template: str
    context: Callable = field(default=lambda: {})
    order: int = 100


PUBLIC_SECTIONS: list[PublicSection] = []


def register_public_section(section: PublicSection) -> None:
    PUBLIC_SECTIONS[:] = [s for s in PUBLIC_SECTIONS if s.key != section.key] + [section]
    PUBLIC_SECTIONS.sort(key=lambda s: s.order)
