"""The authorization scope: unit subtrees from role assignments and from the positions a pegawai holds,
including active Plt./Plh., and object rules that narrow it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from terpadu.accounts import services as access
from terpadu.accounts.models import Role, User
from terpadu.core import authz
from terpadu.core.authz import Scope
from terpadu.organisasi import services as org
from terpadu.organisasi.models import Pegawai, UnitKerja
from terpadu.organisasi.nip import make_nip


@pytest.fixture
def throwaway_rule():
    """Register object rules for one test and take them out again afterwards."""
    added = []

    def register(model, action, **functions):
        authz.register_rule(model, action, **functions)
        added.append((model, action, authz._rule_for(model).rules[action][-1]))

    yield register
    for model, action, entry in added:
        rules = authz._rule_for(model).rules
        rules[action].remove(entry)
        if not rules[action]:
            del rules[action]


def fresh(user) -> User:
    """The user as a new request sees it (grants are cached per user object)."""
    return User.objects.get(pk=user.pk)


def role(code: str) -> Role:
    return Role.objects.get(code=code)


def names(queryset) -> set[str]:
    return {str(obj) for obj in queryset}


def new_user_with_pegawai(nama: str, jabatan=None) -> User:
    pegawai = org.create_pegawai(
        {
            "nip": make_nip(dt.date(1992, 8, 9), 2018, 2, "L", 41),
            "nama": nama,
            "status": "PNS",
            "golongan": "II/c",
        }
    )
    if jabatan is not None:
        org.assign_jabatan(pegawai, jabatan, timezone.localdate())
    return access.create_user("baru", "Rahasia-Uji-12345", pegawai=pegawai)


# -- role assignments ----------------------------------------------------------------------


def test_a_unit_scoped_assignment_covers_the_unit_and_its_sub_units_only(city):
    access.assign_role(city.staff_other, role("auditor"), unit=city.dinas_a)
    user = fresh(city.staff_other)

    assert authz.scope(user, "audit.verify") == Scope(paths=frozenset([city.dinas_a.path]))
    assert names(authz.restrict(UnitKerja.objects.all(), user, "audit.verify")) == {
        "Dinas Alfa",
        "Bidang Alfa Satu",
    }
    assert authz.can(user, "organisasi.view_private", city.pegawai_same)  # in Bidang Alfa Satu
    assert not authz.can(user, "organisasi.view_private", Pegawai.objects.get(nama="Kepala Beta"))
    assert not authz.can(user, "audit.verify", city.root)
    assert not authz.can(user, "audit.verify", city.dinas_b)


def test_a_scope_on_a_sub_unit_does_not_reach_up_to_its_parent(city):
    access.assign_role(city.staff_other, role("auditor"), unit=city.bidang_a)
    user = fresh(city.staff_other)
    assert names(authz.restrict(UnitKerja.objects.all(), user, "audit.verify")) == {"Bidang Alfa Satu"}
    assert not authz.can(user, "organisasi.view_private", Pegawai.objects.get(nama="Kepala Alfa"))


def test_an_assignment_without_a_unit_covers_the_whole_pemda(city):
    access.assign_role(city.staff_other, role("auditor"))
    user = fresh(city.staff_other)
    assert authz.scope(user, "audit.verify").whole
    assert authz.restrict(Pegawai.objects.all(), user, "organisasi.view_private").count() == Pegawai.objects.count()
    assert authz.can(user, "audit.verify", city.root)


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "granted"),
    [(1, None, False), (None, -1, False), (-1, 1, True), (0, 0, True), (None, None, True)],
    ids=["starts-tomorrow", "ended-yesterday", "running", "just-today", "open"],
)
def test_an_assignment_counts_only_between_its_dates(city, today, valid_from, valid_to, granted):
    def day(offset):
        return None if offset is None else today + dt.timedelta(days=offset)

    access.assign_role(city.staff_other, role("auditor"), valid_from=day(valid_from), valid_to=day(valid_to))
    assert authz.has_action(fresh(city.staff_other), "audit.verify") is granted


def test_an_assignment_expires_when_its_last_day_has_passed(city, today, freeze_today):
    access.assign_role(city.staff_other, role("auditor"), valid_to=today + dt.timedelta(days=2))
    freeze_today(today + dt.timedelta(days=2))
    assert authz.has_action(fresh(city.staff_other), "audit.verify")
    freeze_today(today + dt.timedelta(days=3))
    assert not authz.has_action(fresh(city.staff_other), "audit.verify")


def test_an_assignment_to_a_closed_unit_grants_nothing(city, today):
    access.assign_role(city.staff_other, role("auditor"), unit=city.bidang_a)
    org.close_unit(city.bidang_a, today - dt.timedelta(days=1))
    assert not authz.has_action(fresh(city.staff_other), "audit.verify")


def test_revoking_an_assignment_takes_the_rights_away(city):
    assignment = access.assign_role(city.staff_other, role("auditor"))
    access.revoke_role(assignment)
    assert not authz.has_action(fresh(city.staff_other), "audit.verify")


def test_forget_makes_the_gate_see_a_new_assignment(city):
    user = fresh(city.staff_other)
    assert not authz.has_action(user, "audit.verify")
    access.assign_role(user, role("auditor"))
    authz.forget(user)
    assert authz.has_action(user, "audit.verify")


def test_a_deactivated_user_has_no_grants(city):
    access.update_user(city.admin, {"is_active": False})
    user = fresh(city.admin)
    assert authz.grants(user) == {}
    assert not authz.has_action(user, "organisasi.view")
    assert authz.restrict(UnitKerja.objects.all(), user, "organisasi.view").count() == 0


def test_a_deactivated_superuser_has_no_grants_either(city):
    boss = access.create_user("root", "Rahasia-Uji-12345", is_superuser=True)
    assert authz.scope(fresh(boss), "accounts.manage").whole
    access.update_user(boss, {"is_active": False})
    assert not authz.has_action(fresh(boss), "accounts.manage")


def test_a_user_without_pegawai_or_roles_may_do_nothing(city):
    loner = access.create_user("tamu", "Rahasia-Uji-12345")
    assert authz.grants(fresh(loner)) == {}


# -- automatic roles from the pegawai and their positions ----------------------------------


def test_the_all_pegawai_role_applies_to_every_pegawai(city):
    for user in (city.staff_same, city.staff_other, city.pimpinan):
        assert authz.scope(fresh(user), "organisasi.view").whole
        assert "pegawai" in {held.role.code for held in access.held_roles(fresh(user))}


def test_the_all_pegawai_role_applies_to_a_pegawai_without_a_position(city):
    user = new_user_with_pegawai("Calon Pegawai")
    assert user.pegawai.jabatan is None
    assert authz.scope(fresh(user), "organisasi.view").whole
    assert [held.role.code for held in access.held_roles(fresh(user))] == ["pegawai"]


def test_the_head_role_is_scoped_to_the_head_position_unit(city):
    user = fresh(city.pimpinan)
    assert authz.scope(user, "organisasi.view_private") == Scope(paths=frozenset([city.dinas_a.path]))
    assert names(authz.restrict(Pegawai.objects.all(), user, "organisasi.view_private")) == {
        "Kepala Alfa",
        "Staf Alfa",
    }
    assert not authz.has_action(fresh(city.staff_same), "organisasi.view_private")


def test_an_inactive_pegawai_gets_no_position_derived_roles(city):
    org.update_pegawai(city.pimpinan.pegawai, {"aktif": False})
    user = fresh(city.pimpinan)
    assert access.held_roles(user) == []
    assert not authz.has_action(user, "organisasi.view_private")
    assert not authz.has_action(user, "organisasi.view")


def test_an_inactive_pegawai_keeps_explicitly_assigned_roles(city):
    access.assign_role(city.staff_same, role("arsiparis"), unit=city.bidang_a)
    org.update_pegawai(city.pegawai_same, {"aktif": False})
    assert [held.role.code for held in access.held_roles(fresh(city.staff_same))] == ["arsiparis"]


def test_a_new_appointment_moves_the_head_scope(city, today):
    org.assign_jabatan(city.pimpinan.pegawai, city.kepala_b, today)
    user = fresh(city.pimpinan)
    assert authz.scope(user, "organisasi.view_private") == Scope(paths=frozenset([city.dinas_b.path]))


# -- Plt. / Plh. ---------------------------------------------------------------------------


def test_a_plt_head_holds_the_head_role_scoped_to_that_unit(city, today):
    org.assign_acting(city.pegawai_same, city.kepala_b, "plt", today, today + dt.timedelta(days=30))
    user = fresh(city.staff_same)

    assert authz.scope(user, "organisasi.view_private") == Scope(paths=frozenset([city.dinas_b.path]))
    assert authz.can(user, "organisasi.view_private", city.pegawai_other)
    assert not authz.can(user, "organisasi.view_private", Pegawai.objects.get(nama="Kepala Alfa"))
    visible = names(authz.restrict(Pegawai.objects.all(), user, "organisasi.view_private"))
    assert visible == {"Staf Beta", "Kepala Beta", "Staf Alfa"}  # the unit, plus the user's own record
    sources = {held.source for held in access.held_roles(user) if held.role.code == "pimpinan"}
    assert sources == {"Plt. Kepala Dinas Beta"}
    assert access.acting_as_label(user) == "Pengelola Alfa; Plt. Kepala Dinas Beta"


def test_a_plh_holds_the_rights_too(city, today):
    org.assign_acting(city.pegawai_other, city.kepala_a, "plh", today, today)
    user = fresh(city.staff_other)
    assert authz.can(user, "organisasi.export", city.bidang_a)
    assert access.acting_as_label(user) == "Pengelola Beta; Plh. Kepala Dinas Alfa"


def test_an_acting_assignment_grants_nothing_before_it_starts(city, today):
    org.assign_acting(
        city.pegawai_same, city.kepala_b, "plt", today + dt.timedelta(days=1), today + dt.timedelta(days=30)
    )
    user = fresh(city.staff_same)
    assert not authz.has_action(user, "organisasi.view_private")
    assert access.acting_as_label(user) == "Pengelola Alfa"


def test_an_acting_assignment_grants_from_its_first_to_its_last_day_only(city, today, freeze_today):
    start, end = today + dt.timedelta(days=5), today + dt.timedelta(days=9)
    org.assign_acting(city.pegawai_same, city.kepala_b, "plt", start, end)
    for day, granted in [
        (start - dt.timedelta(days=1), False),
        (start, True),
        (end, True),
        (end + dt.timedelta(days=1), False),
    ]:
        freeze_today(day)
        assert authz.can(fresh(city.staff_same), "organisasi.view_private", city.pegawai_other) is granted, day


def test_a_revoked_acting_assignment_grants_nothing(city, today):
    penugasan = org.assign_acting(city.pegawai_same, city.kepala_b, "plt", today, today + dt.timedelta(days=30))
    org.revoke_acting(penugasan, timezone.now())
    user = fresh(city.staff_same)
    assert not authz.has_action(user, "organisasi.view_private")
    assert not authz.can(user, "organisasi.view_private", city.pegawai_other)


def test_an_acting_non_head_position_does_not_give_the_head_role(city, today):
    org.assign_acting(city.pegawai_same, city.staff_b_jabatan, "plh", today, today)
    assert not authz.has_action(fresh(city.staff_same), "organisasi.view_private")


# -- object rules --------------------------------------------------------------------------


def test_an_object_rule_narrows_restrict_and_can(city, throwaway_rule):
    user = fresh(city.admin)
    assert authz.can(user, "organisasi.view", city.dinas_b)
    throwaway_rule(
        UnitKerja,
        "organisasi.view",
        q=lambda user: ~Q(kode="400.2"),
        check=lambda user, unit: unit.kode != "400.2",
    )

    assert "Dinas Beta" not in names(authz.restrict(UnitKerja.objects.all(), user, "organisasi.view"))
    assert "Dinas Alfa" in names(authz.restrict(UnitKerja.objects.all(), user, "organisasi.view"))
    assert not authz.can(user, "organisasi.view", city.dinas_b)
    assert authz.can(user, "organisasi.view", city.dinas_a)
    assert authz.can(user, "organisasi.change", city.dinas_b)  # other actions are not narrowed


def test_an_object_rule_cannot_widen_the_scope(city, throwaway_rule):
    throwaway_rule(UnitKerja, "organisasi.view_private", q=lambda user: Q(), check=lambda user, unit: True)
    user = fresh(city.pimpinan)
    assert names(authz.restrict(UnitKerja.objects.all(), user, "organisasi.view_private")) == {
        "Dinas Alfa",
        "Bidang Alfa Satu",
    }
    assert not authz.can(user, "organisasi.view_private", city.dinas_b)


def test_the_throwaway_rule_is_gone_after_its_test(city):
    assert "organisasi.view" not in authz._rule_for(UnitKerja).rules
    assert authz.can(fresh(city.admin), "organisasi.view", city.dinas_b)
