"""The gate's party rule on naskah: unit scope shows open naskah; secret ones only to their parties."""

from __future__ import annotations

import pytest

from terpadu.core import authz
from terpadu.naskah.models import Naskah, PihakNaskah


def _naskah(city, klasifikasi, jenis, sifat, unit=None):
    return Naskah.objects.create(
        jenis=jenis["surat_dinas"],
        klasifikasi=klasifikasi["000.1.5"],
        sifat=sifat,
        hal=f"Perihal {sifat}",
        unit=unit or city.dinas_a,
        pembuat=city.pegawai_same,
    )


@pytest.fixture
def letters(city, klasifikasi, jenis):
    return {sifat: _naskah(city, klasifikasi, jenis, sifat) for sifat in ("biasa", "terbatas", "rahasia")}


def _visible(user):
    return set(authz.restrict(Naskah.objects.all(), user, "naskah.view").values_list("sifat", flat=True))


def test_a_head_sees_the_open_naskah_of_the_unit_but_not_the_secret_one(city, letters):
    assert _visible(city.pimpinan) == {"biasa", "terbatas"}
    assert not authz.can(city.pimpinan, "naskah.view", letters["rahasia"])
    assert authz.can(city.pimpinan, "naskah.view", letters["terbatas"])


def test_staff_without_scope_see_nothing_until_they_are_a_party(city, letters):
    assert _visible(city.staff_other) == set()
    PihakNaskah.objects.create(naskah=letters["rahasia"], peran="tujuan", pegawai=city.pegawai_other)
    assert _visible(city.staff_other) == {"rahasia"}
    assert authz.can(city.staff_other, "naskah.view", letters["rahasia"])
    assert not authz.can(city.staff_other, "naskah.view", letters["biasa"])


def test_a_position_party_covers_whoever_holds_the_position(city, letters):
    PihakNaskah.objects.create(naskah=letters["rahasia"], peran="tujuan", jabatan=city.kepala_a)
    assert "rahasia" in _visible(city.pimpinan)
    assert authz.can(city.pimpinan, "naskah.view", letters["rahasia"])
    assert "rahasia" not in _visible(city.staff_same)


def test_being_a_party_gives_sight_but_no_other_action(city, letters):
    PihakNaskah.objects.create(naskah=letters["biasa"], peran="tujuan", pegawai=city.pegawai_other)
    assert not authz.can(city.staff_other, "naskah.configure", letters["biasa"])
    assert not authz.restrict(Naskah.objects.all(), city.staff_other, "naskah.grant").exists()


def test_anonymous_is_never_a_party(city, letters):
    from django.contrib.auth.models import AnonymousUser

    assert not authz.restrict(Naskah.objects.all(), AnonymousUser(), "naskah.view").exists()
