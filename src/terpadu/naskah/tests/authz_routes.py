"""Who may reach the naskah module's routes: merged into tests/authz_expectations.py (see its docstring)."""

from __future__ import annotations

from tests.authz_expectations import ADMIN_ONLY, EVERYONE, SIGNED_IN, Expect, World, _pk  # noqa: F401


def build(world: World) -> dict:
    """Objects the routes below act on, by name (reach them with _pk("name"))."""
    return {}


EXPECTATIONS: dict[str, Expect] = {}
