"""Managing publication exceptions (monev.manage): validation, audit, who may; and the demo seed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from terpadu.core.models import AuditEvent
from terpadu.monev.models import PengecualianPublikasi

pytestmark = pytest.mark.django_db


@pytest.fixture
def perencana(city):
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role, User
    from terpadu.core import authz
    from terpadu.core.context import acting

    User.objects.update(language="en")
    with acting(None, via="command"):
        access.assign_role(city.staff_other, Role.objects.get(code="perencana"), None)
    authz.forget(city.staff_other)
    return city.staff_other


def test_bappeda_excepts_an_item_with_a_reason_and_it_is_audited(client, login, chain, perencana):
    login(client, perencana)
    response = client.post(
        reverse("transparansi:kelola_create"),
        {"tahun": 2026, "kode": "2.16.03.2.02.0023", "unit": chain.sub.unit_id, "alasan": "Alasan keamanan"},
    )
    assert response.status_code == 302
    item = PengecualianPublikasi.objects.get()
    assert (item.kode, item.unit_id, item.dibuat_oleh) == ("2.16.03.2.02.0023", chain.sub.unit_id, perencana)
    event = AuditEvent.objects.filter(object_type="monev.pengecualianpublikasi", action="create").get()
    assert event.actor_username == perencana.username
    assert "Alasan keamanan" in client.get(reverse("transparansi:kelola_list")).content.decode()

    response = client.post(reverse("transparansi:kelola_delete", args=[item.pk]))
    assert response.status_code == 302
    assert not PengecualianPublikasi.objects.exists()
    assert AuditEvent.objects.filter(object_type="monev.pengecualianpublikasi", action="delete").exists()


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"kode": "2.16.03.2.02.0023", "alasan": ""}, "alasan", "reason is required"),
        ({"kode": "2.16", "alasan": "x"}, "kode", "not a program, kegiatan or sub kegiatan code"),
        ({"kode": "2.16.09", "alasan": "x"}, "kode", "Unknown code 2.16.09 in the 2026"),
    ],
)
def test_bad_input_is_a_form_error_and_writes_nothing(client, login, chain, perencana, data, field, message):
    login(client, perencana)
    response = client.post(reverse("transparansi:kelola_create"), {"tahun": 2026, **data})
    assert response.status_code == 200
    assert message in " ".join(str(e) for e in response.context["form"].errors.get(field, []))
    assert not PengecualianPublikasi.objects.exists()


def test_the_service_refuses_a_blank_reason(chain):
    from django.core.exceptions import ValidationError

    from terpadu.monev import services_publik

    with pytest.raises(ValidationError) as caught:
        services_publik.kecualikan(None, tahun=2026, kode="2.16.03", alasan="   ")
    assert "reason is required" in str(caught.value.message_dict["alasan"])
    assert not PengecualianPublikasi.objects.exists()


def test_the_same_exception_twice_is_refused(client, login, chain, perencana):
    login(client, perencana)
    data = {"tahun": 2026, "kode": "2.16.03", "alasan": "Alasan"}
    client.post(reverse("transparansi:kelola_create"), data)
    response = client.post(reverse("transparansi:kelola_create"), data)
    assert "already excepted" in str(response.context["form"].errors["kode"])
    assert PengecualianPublikasi.objects.count() == 1


def test_without_monev_manage_the_pages_are_refused(client, login, city, chain):
    for user in (city.staff_same, city.pimpinan, city.admin):
        login(client, user)
        assert client.get(reverse("transparansi:kelola_list")).status_code == 403
        response = client.post(reverse("transparansi:kelola_create"), {"tahun": 2026, "kode": "2.16.03", "alasan": "x"})
        assert response.status_code == 403
    assert not PengecualianPublikasi.objects.exists()


def test_demo_seed_excepts_a_sub_kegiatan_of_kesbangpol_only_when_it_exists(chain, city):
    from terpadu.core.context import acting
    from terpadu.monev import demo_publik
    from terpadu.organisasi import services as org
    from terpadu.perencanaan.models import Renja, RenjaSubKegiatan

    today = dt.date(2026, 5, 4)
    with acting(None, via="command"):
        demo_publik.seed(today)  # no such unit: nothing
        assert not PengecualianPublikasi.objects.exists()
        unit = org.create_unit(
            {"parent": city.root, "kode": "401.206", "nama": "Badan Kesatuan Bangsa dan Politik", "jenis": "badan"}
        )
        demo_publik.seed(today)  # no sub kegiatan: nothing
        assert not PengecualianPublikasi.objects.exists()
        renja = Renja.objects.create(unit=unit, tahun=2026, status="ditetapkan")
        RenjaSubKegiatan.objects.create(
            renja=renja, unit=unit, tahun=2026, sub_kegiatan=chain.kode["2.16.02.2.01.0014"],
            kode_program="2.16.02", kode_kegiatan="2.16.02.2.01",
        )  # fmt: skip
        demo_publik.seed(today)
        demo_publik.seed(today)  # idempotent
    item = PengecualianPublikasi.objects.get()
    assert (item.kode, item.unit) == ("2.16.02.2.01.0014", unit)
    assert "keamanan" in item.alasan
