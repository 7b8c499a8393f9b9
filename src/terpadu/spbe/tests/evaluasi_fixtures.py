"""Fixtures of the evaluasi tests (imported by test_evaluasi_*.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def kerangka(db):
    from terpadu.core.context import acting
    from terpadu.spbe import services_evaluasi as sv

    with acting(None, via="command"):
        loaded = dict((k.kode, k) for k, _o in sv.muat_semua())
    return loaded


@pytest.fixture
def personas(city):
    """operator-opd of Dinas Alfa (staff_same), operator-opd of Dinas Beta (staff_other), admin-spbe (admin)."""
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.core.context import acting

    with acting(None, via="command"):
        access.assign_role(city.staff_same, Role.objects.get(code="operator-opd"), city.dinas_a)
        access.assign_role(city.staff_other, Role.objects.get(code="operator-opd"), city.dinas_b)
        access.assign_role(city.admin, Role.objects.get(code="admin-spbe"))
    return city
